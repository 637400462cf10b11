#!/usr/bin/env python3
"""The CJK web font subset that /map, /timeline and GraphiQL share.

Reads every character of migration/data/*.toml, migration/data/battles.zh.txt
and the pages' own sources (map/src, static/timeline, playground/src,
playground/index.html), finds each in the 400-weight slices of the npm package
@fontsource/noto-sans-sc (as installed by `npm ci` in map/), subsets the slices
to those characters and merges them into one font, and writes

  static/fonts/noto-sans-sc-kangzhan-400.woff2   the font (WOFF2, Brotli)
  static/fonts/noto-sans-sc-kangzhan-400.txt     the characters it covers
  static/fonts/noto-sans-sc-kangzhan-400.missing.txt  the characters wanted that
                                                 Noto Sans SC lacks (left to other fonts)
  static/fonts/OFL.txt                           the font's licence

Run by `npm run build:font` (part of `npm run build`) in map/. Needs Python 3
with the versions of map/requirements.txt (fonttools, brotli). The output is
deterministic: the same inputs give the same bytes.
"""

import glob
import io
import os
import re
import shutil
import sys

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

HERE = os.path.dirname(os.path.abspath(__file__))
MAP = os.path.dirname(HERE)
REPO = os.path.dirname(MAP)
PACKAGE = os.path.join(MAP, "node_modules", "@fontsource", "noto-sans-sc")
OUT = os.path.join(REPO, "static", "fonts")
NAME = "noto-sans-sc-kangzhan-400"

# Where the characters come from, relative to the repository.
SOURCES = [
    "migration/data/*.toml",
    "migration/data/battles.zh.txt",
    "map/src/*",
    "static/timeline/*.html",
    "static/timeline/*.js",
    "playground/index.html",
    "playground/src/*",
]

# Always in: printable ASCII, and the punctuation the pages and a JSON
# viewer may show around the data.
EXTRA = "".join(chr(c) for c in range(0x20, 0x7F)) + "\u00a0\u00b7\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2190\u2192\u25b6\u25a0\u3000\u3001\u3002\u300a\u300b\u300c\u300d\u3010\u3011\uff08\uff09\uff0c\uff1a\uff1b\uff01\uff1f"


def wanted_characters():
    chars = set(EXTRA)
    for pattern in SOURCES:
        for path in sorted(glob.glob(os.path.join(REPO, pattern))):
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as f:
                    chars.update(f.read())
    # Controls, line breaks and the BOM are not glyphs.
    return {c for c in chars if ord(c) >= 0x20 and c not in "\u007f\ufeff" and not 0xD800 <= ord(c) <= 0xDFFF}


def slices():
    """The 400-weight slices, numbered ones in number order (they cover the whole font)."""
    files = glob.glob(os.path.join(PACKAGE, "files", "noto-sans-sc-*-400-normal.woff2"))
    numbered = [f for f in files if re.search(r"noto-sans-sc-\d+-400-normal", f)]
    numbered.sort(key=lambda f: int(re.search(r"noto-sans-sc-(\d+)-400", f).group(1)))
    named = sorted(set(files) - set(numbered))
    return numbered + named


def main():
    if not os.path.isdir(PACKAGE):
        sys.exit(f"{PACKAGE} is missing: run `npm ci` in map/ first")
    wanted = wanted_characters()
    left = {ord(c) for c in wanted}
    parts = []
    stamps = []
    for path in slices():
        font = TTFont(path)
        stamps.append((font["head"].created, font["head"].modified))
        here = left & set(font.getBestCmap())
        if not here:
            continue
        left -= here
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.glyph_names = False
        options.hinting = False
        options.desubroutinize = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(here))
        subsetter.subset(font)
        font.flavor = None
        font.recalcTimestamp = False
        buffer = io.BytesIO()
        font.save(buffer)
        buffer.seek(0)
        parts.append(buffer)
    if not parts:
        sys.exit("no character found in the font")
    merged = Merger().merge(parts) if len(parts) > 1 else TTFont(parts[0])
    merged.flavor = "woff2"
    # The same inputs give the same bytes: keep head.modified as the slices have it.
    merged.recalcTimestamp = False
    merged["head"].created = min(c for c, _ in stamps)
    merged["head"].modified = max(m for _, m in stamps)
    os.makedirs(OUT, exist_ok=True)
    merged.save(os.path.join(OUT, f"{NAME}.woff2"), reorderTables=True)

    covered = sorted(TTFont(os.path.join(OUT, f"{NAME}.woff2")).getBestCmap())
    text = "".join(chr(c) for c in covered if c > 0x20)
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    with open(os.path.join(OUT, f"{NAME}.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    shutil.copyfile(os.path.join(PACKAGE, "LICENSE"), os.path.join(OUT, "OFL.txt"))

    # What the font could not cover, so that a test can tell a stale font
    # (data with characters the list lacks) from one that cannot have them.
    with open(os.path.join(OUT, f"{NAME}.missing.txt"), "w", encoding="utf-8") as f:
        f.write("".join(chr(c) for c in sorted(left)) + "\n")
    size = os.path.getsize(os.path.join(OUT, f"{NAME}.woff2"))
    print(f"{NAME}.woff2: {len(covered)} characters from {len(parts)} slices, {size} bytes")
    if left:
        missing = "".join(chr(c) for c in sorted(left))
        print(f"not in Noto Sans SC (left to other fonts): {missing!r}")


if __name__ == "__main__":
    # fontTools' merger walks sets of glyph names: fix Python's string hashing
    # so that the same inputs give the same bytes.
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    main()
