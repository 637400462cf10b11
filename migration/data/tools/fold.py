"""Writes migration/data/fold-han.tsv: every Han character that OpenCC turns
into a different simplified one: a traditional character by t2s; a
character that is neither traditional nor simplified Chinese (a Japanese
shinjitai such as 団) by jp2t, then t2s. A simplified character stays: jp2t
would read 沪 as the Japanese short form of 濾. The search index folds names, texts and
queries through this table, so 淞滬會戰 finds 淞沪会战 and 第5師団 finds
第5师团. One character to one character only, so offsets survive folding.

    python3 migration/data/tools/fold.py           # rewrite the table
    python3 migration/data/tools/fold.py --check   # fail if it is stale
"""

import pathlib
import sys

import opencc

OUT = pathlib.Path(__file__).resolve().parent.parent / "fold-han.tsv"
# CJK Unified Ideographs and Extension A: every Han character of the data,
# and of any query a reader types in these scripts.
RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]


def table():
    jp2t = opencc.OpenCC("jp2t")
    t2s = opencc.OpenCC("t2s")
    s2t = opencc.OpenCC("s2t")
    mapping = {}
    for low, high in RANGES:
        for code in range(low, high + 1):
            char = chr(code)
            folded = t2s.convert(char)
            if folded == char and s2t.convert(char) == char:
                folded = t2s.convert(jp2t.convert(char))
            if folded != char and len(folded) == 1:
                mapping[char] = folded
    # Closed under itself, so that folding twice changes nothing: OpenCC
    # maps U+F92C to 郎 and 郎 to 郞, and a reader may type either.
    for char in list(mapping):
        seen = {char}
        target = mapping[char]
        while target in mapping and mapping[target] not in seen:
            seen.add(target)
            target = mapping[target]
        mapping[char] = target
    rows = [f"{char}\t{target}" for char, target in mapping.items() if target != char]
    header = [
        "# Han character -> simplified, by OpenCC %s (t2s; jp2t then t2s for Japanese forms), one per line." % opencc_version(),
        "# Written by migration/data/tools/fold.py; do not edit by hand.",
    ]
    return "\n".join(header + rows) + "\n"


def opencc_version():
    from importlib.metadata import version

    return version("opencc")


def main():
    text = table()
    if "--check" in sys.argv:
        if OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT} is stale: run python3 migration/data/tools/fold.py")
        print(f"{OUT.name}: up to date")
    else:
        OUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUT} ({text.count(chr(10)) - 2} characters)")


if __name__ == "__main__":
    main()
