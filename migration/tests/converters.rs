//! The generated data files still say what their converters say, so that
//! every difference is a deliberate, explained hand edit: `names.toml`
//! against OpenCC, pypinyin and pykakasi (`tools/names.py --check`), and
//! the search's fold table against OpenCC (`tools/fold.py --check`).
//! They need Python with `tools/requirements.txt` installed (`.ci/run`
//! installs it); without it the tests are skipped, and fail under CI=true.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

fn tools() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/tools")
}

/// The Python to run the tools with: `KANGZHAN_TOOLS_PYTHON`, else `python3`.
fn python() -> String {
    std::env::var("KANGZHAN_TOOLS_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// Whether the converters can be imported; says why not otherwise.
fn converters_installed() -> bool {
    let probe = Command::new(python())
        .args(["-c", "import opencc, pypinyin, pykakasi"])
        .output();
    if probe.is_ok_and(|out| out.status.success()) {
        return true;
    }
    let what = format!(
        "{} with the packages of migration/data/tools/requirements.txt (pip install -r it)",
        python()
    );
    assert!(!std::env::var("CI").is_ok_and(|v| v == "true"), "CI must have {what}");
    let _ = writeln!(std::io::stderr(), "SKIPPED: {what}");
    false
}

fn check(script: &str) {
    if !converters_installed() {
        return;
    }
    let out = Command::new(python())
        .arg(tools().join(script))
        .arg("--check")
        .output()
        .expect("run the tool");
    assert!(
        out.status.success(),
        "{script} --check:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn names_match_their_converters_or_say_why_not() {
    check("names.py");
}

#[test]
fn fold_table_matches_opencc() {
    check("fold.py");
}
