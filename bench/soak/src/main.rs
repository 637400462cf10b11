//! `kangzhan-soak`: an open-loop load generator for a Kangzhan server on
//! this machine.
//!
//! A timer ticks `--rate` times a second for `--duration` seconds; each tick
//! sends one GraphQL request if fewer than `--concurrency` are in flight, and
//! is counted as *dropped* otherwise (the load is open-loop: a slow server
//! does not slow the ticks down, and what it cannot take is counted, not
//! hidden). The queries rotate through a mix of cheap and expensive ones;
//! every 50th request is one the server must refuse with `BAD_USER_INPUT`.
//!
//! Prints a progress line every minute and a summary at the end, with the
//! server's memory (from `/proc/PID/status`) when `--pid` is given. Exits 1
//! when any request failed, 2 on bad arguments or when the server does not
//! answer at all.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::ExitCode;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use awc::http::{StatusCode, Uri};
use tokio::sync::Semaphore;
use tokio::time::MissedTickBehavior;

const USAGE: &str = "usage: kangzhan-soak [--url http://127.0.0.1:8000] [--rate 200] [--duration 600] \
                     [--concurrency 32] [--pid PID] [--warmup 10] [--progress 60] [--timeout 30]";

/// Every how many requests the one that must fail is sent.
const BAD_EVERY: u64 = 50;
/// Error samples printed as they happen; the rest are only counted.
const ERROR_SAMPLES: usize = 20;
/// Responses larger than this are a transport error (the largest, the deep
/// traversal, is well under 1 MiB).
const MAX_BODY: usize = 32 << 20;

/// The queries that must succeed, sent in turn.
const QUERIES: [(&str, &str); 6] = [
    ("typename", "{ __typename }"),
    ("node", r#"{ node(id: "QmF0dGxlOjQ=") { id ... on Battle { name } } }"#),
    (
        "battles_page",
        "{ battles(first: 20) { nodes { name start { earliest latest } end { earliest latest } } } }",
    ),
    (
        "deep_traversal",
        "{ commanders(first: 100) { nodes { name battles { name start { earliest } commanders { name } forces { name kind } } } } }",
    ),
    ("search", r#"{ search(text: "军", first: 20) { __typename } }"#),
    (
        "active_on",
        r#"{ battles(filter: { activeOn: "1938-06-01" }) { totalCount nodes { name } } }"#,
    ),
];
/// The query that must be refused: `first` over 100.
const BAD_QUERY: (&str, &str) = ("bad_first_1000", "{ battles(first: 1000) { totalCount } }");
const BAD_INDEX: usize = QUERIES.len();

struct Args {
    url: String,
    rate: u64,
    duration: u64,
    concurrency: usize,
    pid: Option<u32>,
    warmup: u64,
    progress: u64,
    timeout: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        url: "http://127.0.0.1:8000".to_owned(),
        rate: 200,
        duration: 600,
        concurrency: 32,
        pid: None,
        warmup: 10,
        progress: 60,
        timeout: 30,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (flag.clone(), None),
        };
        let value = match inline {
            Some(v) => v,
            None => it.next().ok_or_else(|| format!("{name} needs a value"))?,
        };
        fn num<T: std::str::FromStr>(name: &str, v: &str) -> Result<T, String> {
            v.parse().map_err(|_| format!("{name}: not a number: {v:?}"))
        }
        match name.as_str() {
            "--url" => args.url = value,
            "--rate" => args.rate = num(&name, &value)?,
            "--duration" => args.duration = num(&name, &value)?,
            "--concurrency" => args.concurrency = num(&name, &value)?,
            "--pid" => args.pid = Some(num(&name, &value)?),
            "--warmup" => args.warmup = num(&name, &value)?,
            "--progress" => args.progress = num(&name, &value)?,
            "--timeout" => args.timeout = num(&name, &value)?,
            _ => return Err(format!("unknown argument {name:?}")),
        }
    }
    // Bounded in rate, time and concurrency: this is a soak, not a flood.
    if !(1..=20_000).contains(&args.rate) {
        return Err("--rate must be 1..=20000 requests a second".to_owned());
    }
    if !(1..=86_400).contains(&args.duration) {
        return Err("--duration must be 1..=86400 seconds".to_owned());
    }
    if !(1..=1024).contains(&args.concurrency) {
        return Err("--concurrency must be 1..=1024".to_owned());
    }
    if !(1..=600).contains(&args.timeout) {
        return Err("--timeout must be 1..=600 seconds".to_owned());
    }
    if args.progress == 0 {
        return Err("--progress must be at least 1 second".to_owned());
    }
    Ok(args)
}

/// The GraphQL endpoint for `--url`, which must be plain HTTP on loopback.
fn endpoint(url: &str) -> Result<String, String> {
    let uri: Uri = url.parse().map_err(|e| format!("--url {url:?}: {e}"))?;
    if uri.scheme_str() != Some("http") {
        return Err(format!("--url {url:?}: only http:// is supported"));
    }
    let host = uri.host().unwrap_or("");
    if !matches!(host, "127.0.0.1" | "localhost" | "[::1]" | "::1") {
        return Err(format!(
            "--url {url:?}: refusing host {host:?}; the soak only targets loopback (127.0.0.1, localhost, [::1])"
        ));
    }
    if uri.query().is_some() {
        return Err(format!("--url {url:?}: no query string, please"));
    }
    let base = url.trim_end_matches('/');
    Ok(match uri.path() {
        "" | "/" => format!("{base}/graphql"),
        _ => base.to_owned(),
    })
}

/// A line of /proc/PID/status, in KiB (`VmRSS`, `VmHWM`).
fn proc_status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.trim().trim_end_matches("kB").trim().parse().ok()
    })
}

/// The machine's 1-minute load average: how busy the box was (2 cores here,
/// shared with whatever else runs).
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "n/a".to_owned())
}

fn mib(kib: Option<u64>) -> String {
    match kib {
        Some(k) => format!("{:.1} MiB", k as f64 / 1024.0),
        None => "n/a".to_owned(),
    }
}

/// What can go wrong with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Failure {
    /// Connect, send, receive or time-out failure.
    Transport,
    /// An HTTP status other than 200.
    Status,
    /// `errors` in the answer to a query that must succeed, or no `data`.
    GraphqlErrors,
    /// The query that must be refused was not refused with BAD_USER_INPUT.
    NotRefused,
    /// A 200 whose body is not JSON.
    BadJson,
    /// A successful answer that differs from the first one of its kind.
    Inconsistent,
}

#[derive(Default)]
struct Stats {
    sent: u64,
    dropped: u64,
    completed: u64,
    ok: u64,
    expected_errors: u64,
    errors: u64,
    /// (kind, failure) -> count.
    failures: BTreeMap<(&'static str, Failure), u64>,
    /// Distinct error texts -> count (for the summary).
    failure_texts: BTreeMap<String, u64>,
    /// Answers to a successful query that differ from the first answer of
    /// its kind: the data is static, so they should not. Reported, and
    /// counted as errors.
    mismatches: u64,
    /// Latency in microseconds, all requests that got an HTTP answer.
    latencies: Vec<u32>,
    /// Per kind (QUERIES, then the bad query).
    kind_latencies: Vec<Vec<u32>>,
    kind_counts: Vec<u64>,
    /// The first answer of each successful kind.
    reference: Vec<Option<Vec<u8>>>,
    max_in_flight: usize,
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

fn sorted(v: &[u32]) -> Vec<u32> {
    let mut v = v.to_vec();
    v.sort_unstable();
    v
}

/// Judges one answer: `Ok(true)` for a success, `Ok(false)` for the expected
/// refusal, `Err` with what was wrong.
fn judge(kind: usize, status: StatusCode, body: &[u8]) -> Result<bool, (Failure, String)> {
    let snippet = || {
        let text = String::from_utf8_lossy(body);
        let mut s: String = text.chars().take(300).collect();
        if text.chars().count() > 300 {
            s.push('…');
        }
        s
    };
    if status != StatusCode::OK {
        return Err((Failure::Status, format!("HTTP {status}: {}", snippet())));
    }
    let json: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| (Failure::BadJson, format!("not JSON ({e}): {}", snippet())))?;
    let errors = json.get("errors").and_then(|e| e.as_array()).filter(|e| !e.is_empty());
    if kind == BAD_INDEX {
        let code = errors
            .and_then(|e| e.first())
            .and_then(|e| e.pointer("/extensions/code"))
            .and_then(|c| c.as_str());
        return match code {
            Some("BAD_USER_INPUT") => Ok(false),
            _ => Err((
                Failure::NotRefused,
                format!("expected a BAD_USER_INPUT error, got: {}", snippet()),
            )),
        };
    }
    if let Some(errors) = errors {
        let first = &errors[0];
        let code = first
            .pointer("/extensions/code")
            .and_then(|c| c.as_str())
            .unwrap_or("-");
        let message = first.get("message").and_then(|m| m.as_str()).unwrap_or("-");
        return Err((
            Failure::GraphqlErrors,
            format!("{} error(s), first: [{code}] {message}", errors.len()),
        ));
    }
    if !json.get("data").is_some_and(|d| d.is_object()) {
        return Err((Failure::GraphqlErrors, format!("no data: {}", snippet())));
    }
    Ok(true)
}

struct Run {
    client: awc::Client,
    endpoint: String,
    bodies: Vec<String>,
    stats: RefCell<Stats>,
    started: Instant,
}

impl Run {
    fn record_failure(&self, kind: usize, failure: Failure, text: String) {
        let mut s = self.stats.borrow_mut();
        s.errors += 1;
        let name = kind_name(kind);
        *s.failures.entry((name, failure)).or_default() += 1;
        let key: String = format!("{name}: {failure:?}: {text}").chars().take(400).collect();
        if s.errors as usize <= ERROR_SAMPLES {
            eprintln!(
                "[{:7.1} s] ERROR #{} {key}",
                self.started.elapsed().as_secs_f64(),
                s.errors
            );
        }
        if s.failure_texts.len() < 100 || s.failure_texts.contains_key(&key) {
            *s.failure_texts.entry(key).or_default() += 1;
        }
    }

    async fn one(self: Rc<Self>, kind: usize) {
        let sent = Instant::now();
        let result = async {
            let mut response = self
                .client
                .post(&self.endpoint)
                .insert_header(("content-type", "application/json"))
                .insert_header(("accept", "application/json"))
                .send_body(self.bodies[kind].clone())
                .await
                .map_err(|e| format!("send: {e}"))?;
            let body = response
                .body()
                .limit(MAX_BODY)
                .await
                .map_err(|e| format!("receive body (HTTP {}): {e}", response.status()))?;
            Ok::<_, String>((response.status(), body))
        }
        .await;
        let micros = sent.elapsed().as_micros().min(u32::MAX as u128) as u32;

        let (status, body) = match result {
            Ok(answer) => answer,
            Err(text) => {
                self.stats.borrow_mut().completed += 1;
                self.record_failure(kind, Failure::Transport, text);
                return;
            }
        };
        {
            let mut s = self.stats.borrow_mut();
            s.completed += 1;
            s.latencies.push(micros);
            s.kind_latencies[kind].push(micros);
        }
        match judge(kind, status, &body) {
            Ok(true) => {
                // The data is static: every answer of a kind must be the
                // same as the first one.
                let differs = {
                    let mut s = self.stats.borrow_mut();
                    match &s.reference[kind] {
                        None => {
                            s.reference[kind] = Some(body.to_vec());
                            None
                        }
                        Some(first) if first[..] == body[..] => None,
                        Some(first) => Some(String::from_utf8_lossy(first).chars().take(200).collect::<String>()),
                    }
                };
                match differs {
                    None => self.stats.borrow_mut().ok += 1,
                    Some(first) => {
                        self.stats.borrow_mut().mismatches += 1;
                        self.record_failure(
                            kind,
                            Failure::Inconsistent,
                            format!(
                                "answer differs from the first one of its kind; first: {first} now: {}",
                                String::from_utf8_lossy(&body).chars().take(200).collect::<String>()
                            ),
                        );
                    }
                }
            }
            Ok(false) => self.stats.borrow_mut().expected_errors += 1,
            Err((failure, text)) => self.record_failure(kind, failure, text),
        }
    }
}

fn kind_name(kind: usize) -> &'static str {
    if kind == BAD_INDEX {
        BAD_QUERY.0
    } else {
        QUERIES[kind].0
    }
}

fn progress_line(run: &Run, pid: Option<u32>) -> String {
    let s = run.stats.borrow();
    let all = sorted(&s.latencies);
    format!(
        "[{:5.0} s] sent {} completed {} errors {} dropped {} expected-errors {} | p50 {:.2} ms p99 {:.2} ms | server RSS {} | load {}",
        run.started.elapsed().as_secs_f64(),
        s.sent,
        s.completed,
        s.errors,
        s.dropped,
        s.expected_errors,
        percentile(&all, 50.0),
        percentile(&all, 99.0),
        mib(pid.and_then(|p| proc_status_kib(p, "VmRSS"))),
        loadavg(),
    )
}

#[actix_rt::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("kangzhan-soak: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let endpoint = match endpoint(&args.url) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("kangzhan-soak: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(pid) = args.pid
        && proc_status_kib(pid, "VmRSS").is_none()
    {
        eprintln!("kangzhan-soak: --pid {pid}: no such process (or no /proc/{pid}/status)");
        return ExitCode::from(2);
    }

    let client = awc::Client::builder()
        .timeout(Duration::from_secs(args.timeout))
        .connector(awc::Connector::new().limit(args.concurrency))
        .disable_redirects()
        .finish();
    let bodies: Vec<String> = QUERIES
        .iter()
        .chain(std::iter::once(&BAD_QUERY))
        .map(|(_, q)| serde_json::json!({ "query": q }).to_string())
        .collect();
    let kinds = bodies.len();

    // One request first: a server that is not there is a setup error (exit
    // 2), not 120,000 failed requests.
    match client
        .post(&endpoint)
        .insert_header(("content-type", "application/json"))
        .send_body(bodies[0].clone())
        .await
    {
        Ok(r) if r.status() == StatusCode::OK => {}
        Ok(r) => {
            eprintln!(
                "kangzhan-soak: {endpoint} answered HTTP {} to {{ __typename }}",
                r.status()
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("kangzhan-soak: cannot reach {endpoint}: {e}");
            return ExitCode::from(2);
        }
    }

    let total_ticks = args.rate * args.duration;
    println!(
        "kangzhan-soak: {endpoint}, {} requests/s for {} s ({total_ticks} ticks), at most {} in flight, \
         every {BAD_EVERY}th request a bad one{}",
        args.rate,
        args.duration,
        args.concurrency,
        args.pid.map(|p| format!(", server pid {p}")).unwrap_or_default()
    );

    let run = Rc::new(Run {
        client,
        endpoint,
        bodies,
        stats: RefCell::new(Stats {
            latencies: Vec::with_capacity(total_ticks as usize),
            kind_latencies: vec![Vec::new(); kinds],
            kind_counts: vec![0; kinds],
            reference: vec![None; kinds],
            ..Stats::default()
        }),
        started: Instant::now(),
    });
    let permits = Arc::new(Semaphore::new(args.concurrency));
    let mut interval = tokio::time::interval(Duration::from_nanos(1_000_000_000 / args.rate));
    // Late ticks are caught up, so the count of ticks is rate x duration
    // however the runtime was scheduled.
    interval.set_missed_tick_behavior(MissedTickBehavior::Burst);

    let mut rss_start: Option<u64> = None;
    let mut next_progress = Duration::from_secs(args.progress);
    let warmup = Duration::from_secs(args.warmup);
    let mut rotation = 0usize;
    let mut max_load = f64::NAN;
    for tick in 1..=total_ticks {
        interval.tick().await;
        let kind = if tick % BAD_EVERY == 0 {
            BAD_INDEX
        } else {
            rotation += 1;
            (rotation - 1) % QUERIES.len()
        };
        match permits.clone().try_acquire_owned() {
            Ok(permit) => {
                {
                    let mut s = run.stats.borrow_mut();
                    s.sent += 1;
                    s.kind_counts[kind] += 1;
                    let in_flight = args.concurrency - permits.available_permits();
                    s.max_in_flight = s.max_in_flight.max(in_flight);
                }
                let run = run.clone();
                actix_rt::spawn(async move {
                    run.one(kind).await;
                    drop(permit);
                });
            }
            Err(_) => run.stats.borrow_mut().dropped += 1,
        }
        let elapsed = run.started.elapsed();
        if rss_start.is_none() && elapsed >= warmup {
            rss_start = args.pid.and_then(|p| proc_status_kib(p, "VmRSS"));
            if let Some(kib) = rss_start {
                println!(
                    "[{:5.0} s] warm-up over: server RSS {}",
                    elapsed.as_secs_f64(),
                    mib(Some(kib))
                );
            }
        }
        if elapsed >= next_progress {
            if let Ok(l) = loadavg().parse::<f64>() {
                max_load = if max_load.is_nan() { l } else { max_load.max(l) };
            }
            println!("{}", progress_line(&run, args.pid));
            next_progress += Duration::from_secs(args.progress);
        }
    }
    let ticking = run.started.elapsed();

    // Let what is in flight finish (each request is bounded by --timeout).
    let drained = tokio::time::timeout(
        Duration::from_secs(args.timeout + 10),
        permits.acquire_many(args.concurrency as u32),
    )
    .await
    .is_ok();
    let elapsed = run.started.elapsed();
    if rss_start.is_none() {
        rss_start = args.pid.and_then(|p| proc_status_kib(p, "VmRSS"));
    }
    let rss_end = args.pid.and_then(|p| proc_status_kib(p, "VmRSS"));
    let rss_peak = args.pid.and_then(|p| proc_status_kib(p, "VmHWM"));

    let s = run.stats.borrow();
    let all = sorted(&s.latencies);
    let unfinished = s.sent - s.completed;
    let errors = s.errors + unfinished;
    let mut out = String::new();
    let _ = writeln!(out, "\n== kangzhan-soak summary ==");
    let _ = writeln!(
        out,
        "target            {} ({} req/s x {} s, concurrency {})",
        run.endpoint, args.rate, args.duration, args.concurrency
    );
    let _ = writeln!(out, "ticks             {total_ticks}");
    let _ = writeln!(out, "requests sent     {}", s.sent);
    let _ = writeln!(out, "completed         {}", s.completed);
    let _ = writeln!(out, "ok                {}", s.ok);
    let _ = writeln!(out, "errors            {errors}");
    let _ = writeln!(
        out,
        "dropped           {} (ticks with {} already in flight)",
        s.dropped, args.concurrency
    );
    let _ = writeln!(
        out,
        "expected errors   {} (BAD_USER_INPUT for first: 1000)",
        s.expected_errors
    );
    let _ = writeln!(out, "max in flight     {}", s.max_in_flight);
    let _ = writeln!(
        out,
        "machine load      1-min load average {} at the end ({} cores; max seen in progress lines {})",
        loadavg(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if max_load.is_nan() {
            "n/a".to_owned()
        } else {
            format!("{max_load:.2}")
        }
    );
    let _ = writeln!(
        out,
        "achieved rate     {:.1} req/s completed ({:.1} s sending, {:.1} s in all)",
        s.completed as f64 / elapsed.as_secs_f64(),
        ticking.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    let _ = writeln!(
        out,
        "latency (ms)      p50 {:.2}  p90 {:.2}  p99 {:.2}  p99.9 {:.2}  max {:.2}",
        percentile(&all, 50.0),
        percentile(&all, 90.0),
        percentile(&all, 99.0),
        percentile(&all, 99.9),
        all.last().map_or(f64::NAN, |m| *m as f64 / 1000.0)
    );
    let _ = writeln!(
        out,
        "by query (ms)     {:<16} {:>7} {:>8} {:>8} {:>8}",
        "", "count", "p50", "p99", "max"
    );
    for kind in 0..kinds {
        let v = sorted(&s.kind_latencies[kind]);
        let _ = writeln!(
            out,
            "                  {:<16} {:>7} {:>8.2} {:>8.2} {:>8.2}",
            kind_name(kind),
            s.kind_counts[kind],
            percentile(&v, 50.0),
            percentile(&v, 99.0),
            v.last().map_or(f64::NAN, |m| *m as f64 / 1000.0)
        );
    }
    if let Some(pid) = args.pid {
        let growth = match (rss_start, rss_end) {
            (Some(a), Some(b)) => format!("{:+.1} MiB", (b as f64 - a as f64) / 1024.0),
            _ => "n/a".to_owned(),
        };
        let _ = writeln!(
            out,
            "server memory     pid {pid}: RSS after {} s warm-up {}, at end {} ({growth}), peak (VmHWM) {}",
            args.warmup,
            mib(rss_start),
            mib(rss_end),
            mib(rss_peak)
        );
    }
    if errors > 0 {
        let _ = writeln!(out, "error breakdown:");
        for ((kind, failure), n) in &s.failures {
            let _ = writeln!(out, "  {n:>7}  {kind} {failure:?}");
        }
        if s.mismatches > 0 {
            let _ = writeln!(
                out,
                "  ({} answers differed from the first of their kind)",
                s.mismatches
            );
        }
        if unfinished > 0 || !drained {
            let _ = writeln!(out, "  {unfinished:>7}  requests still unanswered at the end");
        }
        let _ = writeln!(out, "error messages:");
        let mut texts: Vec<_> = s.failure_texts.iter().collect();
        texts.sort_by(|a, b| b.1.cmp(a.1));
        for (text, n) in texts.iter().take(20) {
            let _ = writeln!(out, "  {n:>7}  {text}");
        }
    }
    let _ = writeln!(out, "result            {}", if errors == 0 { "PASS" } else { "FAIL" });
    print!("{out}");
    if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback() {
        assert_eq!(
            endpoint("http://127.0.0.1:8000").unwrap(),
            "http://127.0.0.1:8000/graphql"
        );
        assert_eq!(endpoint("http://localhost:9/").unwrap(), "http://localhost:9/graphql");
        assert_eq!(endpoint("http://[::1]:8000").unwrap(), "http://[::1]:8000/graphql");
        assert_eq!(
            endpoint("http://127.0.0.1:8000/graphql").unwrap(),
            "http://127.0.0.1:8000/graphql"
        );
        for bad in [
            "http://10.0.0.1:8000",
            "http://192.168.1.1",
            "http://127.0.0.2:8000",
            "http://example.com",
            "https://127.0.0.1:8000",
            "http://localhost.example.com",
        ] {
            assert!(endpoint(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn judges_answers() {
        assert_eq!(
            judge(0, StatusCode::OK, br#"{"data":{"__typename":"Query"}}"#),
            Ok(true)
        );
        assert!(judge(0, StatusCode::OK, br#"{"data":null,"errors":[{"message":"x"}]}"#).is_err());
        assert!(judge(0, StatusCode::BAD_REQUEST, br#"{"data":{}}"#).is_err());
        let refused = br#"{"data":null,"errors":[{"message":"no","extensions":{"code":"BAD_USER_INPUT"}}]}"#;
        assert_eq!(judge(BAD_INDEX, StatusCode::OK, refused), Ok(false));
        assert!(judge(BAD_INDEX, StatusCode::OK, br#"{"data":{"battles":{"totalCount":30}}}"#).is_err());
    }

    #[test]
    fn percentiles() {
        let v: Vec<u32> = (1..=100).map(|i| i * 1000).collect();
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
        assert_eq!(percentile(&v, 100.0), 100.0);
    }
}
