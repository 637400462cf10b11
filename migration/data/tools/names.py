"""Writes migration/data/names.toml: every record's names in other scripts
and romanizations, made by converters from the record's `name`, plus the
hand edits and hand-added names already in the file, which a re-run keeps.

    python3 migration/data/tools/names.py           # (re)write names.toml
    python3 migration/data/tools/names.py --check   # fail on any difference

What is made (`via`), for whom:
  zh-Hant            opencc:s2t            every record
  ja                 opencc:s2t+t2jp       belligerents, Japanese forces and commanders,
                                           places in China (Japanese histories write
                                           them in kanji: 台児荘)
  zh-Latn-pinyin     pypinyin              Chinese commanders; places in China, in
                                           place-name style (Tai'erzhuang)
  zh-Latn-wadegile   pypinyin:wadegiles    Chinese commanders; places in China
                                           (T'ai-erh-chuang)
  ja-Latn-hepburn    hepburn               Japanese commanders: pykakasi's kana
                                           reading, romanized by hepburn() below
  (same lang)        ascii                 a preferred romanization that has
                                           diacritics, without them
A hand edit keeps `via`, changes `text` (for Hepburn: `reading`) and adds
`converted` (what the converter made) and `why`. A name from the literature
is `via = "historiography"` with `why`; if preferred, it outranks the
converter's name of its lang; an `en` one (a postal spelling such as Nanking)
is never preferred: the record's name_en is. Records are keyed by ordinal, code or id,
never by name. The packages are pinned in requirements.txt.
"""

import pathlib
import sys
import tomllib
import unicodedata
from importlib.metadata import version

import opencc
import pykakasi
from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.style import convert as pypinyin_style

DATA = pathlib.Path(__file__).resolve().parent.parent
OUT = DATA / "names.toml"

# (subject, file, key field), in the order names.toml lists them.
SUBJECTS = [
    ("battle", "battles.toml", "ordinal"),
    ("phase", "phases.toml", "ordinal"),
    ("belligerent", "belligerents.toml", "code"),
    ("force", "forces.toml", "id"),
    ("commander", "commanders.toml", "id"),
    ("place", "places.toml", "id"),
]
# `en` holds only historiography names that are not preferred (the record's
# name_en is the preferred en name): the postal spellings of places.
LANGS = ["zh-Hant", "ja", "en", "zh-Latn-pinyin", "zh-Latn-wadegile", "ja-Latn-hepburn"]
LATIN = ["zh-Latn-pinyin", "zh-Latn-wadegile", "ja-Latn-hepburn"]
FIELDS = ["lang", "text", "via", "preferred", "reading", "converted", "why"]
HISTORIOGRAPHY = "historiography"
ASCII = "ascii"

JAPANESE = {"JP"}
# Belligerents whose people have Chinese names, romanized as Chinese.
CHINESE = {"CN", "WANG"}

# Commanders whose name_en is a conventional spelling, not pinyin: the only
# ones whose pinyin may differ from name_en. id -> name, to catch a mix-up.
CONVENTIONAL_EN = {9: "蒋介石"}  # Chiang Kai-shek

# Places outside China: their Chinese name is a transliteration, so they get
# no pinyin, Wade-Giles or Japanese by converter (Japanese only by
# historiography). By province (as places.toml gives it), and the countries.
FOREIGN_PROVINCES = {"勃固省", "马圭省", "克钦邦", "掸邦", "阿萨姆邦"}
FOREIGN_COUNTRIES = {"缅甸", "印度", "越南"}
# The kinds whose pinyin is checked against name_en (a one-word name_en): a
# river, pass, railway or region has a descriptive English name (Kunlun
# Pass, southern Henan) or a conventional one (Yangtze, Salween).
PINYIN_CHECKED_KINDS = {"CITY", "TOWN", "VILLAGE"}
# Places whose name_en is not the pinyin of the name as the source writes it:
# id -> name (to catch a mix-up). Each for the reason in places.toml's note:
# a town known by another name (郑县, 衢县: the cities they are), the name the
# source misspells (彬县 for 郴县, 寿街 for 长寿街, 西陕口 for 西峡口), or the
# place without the source's generic word (茨河市: 市, market).
PLACE_EN_OTHER = {
    127: "衢县", 155: "郑县", 172: "寿街", 192: "彬县", 203: "茨河市", 205: "西陕口",
}
# Place names whose characters pypinyin reads otherwise than the place does
# (长 as zhang, 漯 as ta): name -> the syllables.
PLACE_READINGS = {
    "长葛": ["chang", "ge"], "长阳": ["chang", "yang"], "长铺子": ["chang", "pu", "zi"],
    "漯河": ["luo", "he"], "中牟": ["zhong", "mou"],
}

# Surnames whose characters pypinyin knows more than one reading for, with
# the reading as a surname (pypinyin has no surname mode: it reads a lone
# character by its commonest sense, 单 dan, 曾 ceng). names.py stops at a
# polyphonic surname not listed here.
SURNAME_READINGS = {
    "单": ["shan"], "曾": ["zeng"], "解": ["xie"], "仇": ["qiu"], "区": ["ou"],
    "查": ["zha"], "朴": ["piao"], "盖": ["ge"], "乐": ["yue"], "缪": ["miao"],
    "覃": ["qin"], "翟": ["zhai"], "华": ["hua"], "宁": ["ning"], "任": ["ren"],
    "汤": ["tang"], "冯": ["feng"], "杜": ["du"], "吴": ["wu"], "沈": ["shen"],
    "尉迟": ["yu", "chi"], "万俟": ["mo", "qi"], "长孙": ["zhang", "sun"],
}
# Two-character surnames: the given name starts after them.
COMPOUND_SURNAMES = {
    "欧阳", "司马", "诸葛", "上官", "司徒", "夏侯", "皇甫", "东方", "公孙",
    "慕容", "令狐", "端木", "尉迟", "万俟", "长孙", "宇文", "西门", "独孤",
}


# ---------------------------------------------------------------- converters

class Converters:
    def __init__(self):
        self.s2t = opencc.OpenCC("s2t")
        self.t2jp = opencc.OpenCC("t2jp")
        self.kakasi = pykakasi.kakasi()

    def hant(self, name):
        return self.s2t.convert(name)

    def japanese(self, name):
        # Simplified -> traditional -> Japanese shinjitai: OpenCC has no s2jp.
        return self.t2jp.convert(self.s2t.convert(name))

    def kana_tokens(self, name):
        return [(t["orig"], t["hira"]) for t in self.kakasi.convert(name)]


def versions():
    return {p: version(p) for p in ("opencc", "pypinyin", "pykakasi")}


# ------------------------------------------------------------ Chinese names

def chinese_syllables(name):
    """(surname syllables, given-name syllables), toneless, ü as ü."""
    size = 2 if name[:2] in COMPOUND_SURNAMES else 1
    surname = name[:size]
    syllables = lazy_pinyin(name, style=Style.NORMAL, v_to_u=True)
    if surname in SURNAME_READINGS:
        family = SURNAME_READINGS[surname]
    else:
        readings = {r for ch in surname for r in pinyin(ch, style=Style.NORMAL, heteronym=True)[0]}
        if len(readings) > len(surname):
            raise SystemExit(
                f"names.py: the surname {surname} of {name} has several readings "
                f"({', '.join(sorted(readings))}): add its surname reading to SURNAME_READINGS"
            )
        family = syllables[:size]
    return family, syllables[size:]


def pinyin_name(name):
    family, given = chinese_syllables(name)
    # An apostrophe before a/o/e inside a word marks the syllable break (Xi'an).
    word = given[:1] + [("'" + s if s[0] in "aoe" else s) for s in given[1:]]
    return f"{''.join(family).capitalize()} {''.join(word).capitalize()}"


def place_syllables(name):
    """Toneless syllables of a Chinese place name, ü as ü."""
    if name in PLACE_READINGS:
        return PLACE_READINGS[name]
    return lazy_pinyin(name, style=Style.NORMAL, v_to_u=True)


def pinyin_place(name):
    """One word, capitalized, with an apostrophe before a syllable starting
    with a, o or e after the first (Tai'erzhuang, Xi'an)."""
    syllables = place_syllables(name)
    word = syllables[:1] + [("'" + s if s[0] in "aoe" else s) for s in syllables[1:]]
    return "".join(word).capitalize()


def wade_giles_place(name):
    """Syllables joined by hyphens, the first capitalized (T'ai-erh-chuang)."""
    return capital("-".join(wade_giles_syllable(s) for s in place_syllables(name)))


def in_china(record):
    return record.get("province") not in FOREIGN_PROVINCES and record["name"] not in FOREIGN_COUNTRIES


# Syllables pypinyin's Wade-Giles table (0.55.0) gets wrong: -ai as -ei
# (上海 Shang-hei), tie as t'oeh. No commander's name has them; places do.
WADE_GILES_FIXES = {"ai": "ai", "hai": "hai", "lai": "lai", "mai": "mai", "nai": "nai", "sai": "sai",
                    "shai": "shai", "tie": "t'ieh"}


def wade_giles_syllable(syllable):
    if syllable in WADE_GILES_FIXES:
        return WADE_GILES_FIXES[syllable]
    # pypinyin's table writes ü as v in its output; Wade-Giles writes ü.
    return pypinyin_style(syllable, Style.WADEGILES, strict=True).replace("v", "ü")


def wade_giles_name(name):
    family, given = chinese_syllables(name)
    family = "".join(wade_giles_syllable(s) for s in family)
    given = "-".join(wade_giles_syllable(s) for s in given)
    return f"{capital(family)} {capital(given)}"


def capital(word):
    return word[:1].upper() + word[1:]


# ------------------------------------------------------------ Japanese names

ROMAJI = dict(zip(
    "あいうえおかきくけこがぎぐげごさしすせそざじずぜぞたちつてとだぢづでど"
    "なにぬねのはひふへほばびぶべぼぱぴぷぺぽまみむめもやゆよらりるれろわゐゑをん"
    "ぁぃぅぇぉゔ",
    "a i u e o ka ki ku ke ko ga gi gu ge go sa shi su se so za ji zu ze zo "
    "ta chi tsu te to da ji zu de do na ni nu ne no ha hi fu he ho "
    "ba bi bu be bo pa pi pu pe po ma mi mu me mo ya yu yo ra ri ru re ro "
    "wa i e o n a i u e o vu".split(),
))
# A mora in -i followed by a small ya/yu/yo: its consonant, then y (or not: sha).
YOON_STEM = {"き": "ky", "ぎ": "gy", "し": "sh", "じ": "j", "ち": "ch", "ぢ": "j",
             "に": "ny", "ひ": "hy", "び": "by", "ぴ": "py", "み": "my", "り": "ry"}
SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
LONG = {("o", "う"): "ō", ("o", "お"): "ō", ("u", "う"): "ū"}
MACRON = {"a": "ā", "i": "ī", "u": "ū", "e": "ē", "o": "ō"}
# A reading may mark a morpheme boundary with ・ where a vowel pair is not
# long (井上 いの・うえ, Inoue): it stops the long vowel and is dropped.
BOUNDARY = "・"


def hiragana(kana):
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kana)


def morae(word):
    """The word's kana as (kana, romaji) morae; っ, ん, ー and ・ as themselves."""
    out, i = [], 0
    while i < len(word):
        c, nxt = word[i], word[i + 1:i + 2]
        if c in YOON_STEM and nxt in SMALL_Y:
            out.append((c + nxt, YOON_STEM[c] + SMALL_Y[nxt]))
            i += 2
            continue
        if c in "っー" + BOUNDARY:
            out.append((c, c))
        elif c in ROMAJI:
            out.append((c, ROMAJI[c]))
        else:
            raise ValueError(f"not kana: {c!r} in {word!r}")
        i += 1
    return out


def hepburn_word(word):
    """Modified Hepburn with macrons: おう/おお -> ō, うう -> ū, ん before a
    vowel or y -> n', っ doubles the next consonant (っち -> tch)."""
    parts = morae(hiragana(word))
    out = []
    for i, (kana, roman) in enumerate(parts):
        nxt = parts[i + 1][1] if i + 1 < len(parts) else ""
        if kana == BOUNDARY:
            continue
        if kana == "っ":
            out.append("t" if nxt.startswith("ch") else nxt[:1])
        elif kana == "ー":
            if out:
                out[-1] = out[-1][:-1] + MACRON.get(out[-1][-1], out[-1][-1])
        elif kana == "ん":
            out.append("n'" if nxt[:1] in set("aiueoy") else "n")
        elif out and kana in "うお" and parts[i - 1][0] != BOUNDARY and (out[-1][-1:], kana) in LONG:
            out[-1] = out[-1][:-1] + LONG[(out[-1][-1], kana)]
        else:
            out.append(roman)
    return "".join(out)


def hepburn(reading):
    """A reading, family name and given name split by a space."""
    return " ".join(capital(hepburn_word(w)) for w in reading.split(" "))


def romanized(reading):
    """hepburn(reading), or None where the reading is not all kana."""
    try:
        return hepburn(reading)
    except ValueError:
        return None


def kana_reading(conv, name, name_en):
    """pykakasi's reading of a Japanese name, with a space where name_en's
    family name ends (after the first of pykakasi's words if none fits)."""
    tokens = [kana for _, kana in conv.kana_tokens(name)]
    family = norm_latin(name_en.split(" ")[0])
    split = 1
    for k in range(1, len(tokens)):
        if norm_latin(romanized("".join(tokens[:k])) or "") == family:
            split = k
            break
    return "".join(tokens[:split]) + " " + "".join(tokens[split:])


# ------------------------------------------------------------------- folding

def ascii_fold(text):
    """Diacritics and macrons stripped: ü -> u, ō -> o."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def norm_latin(text):
    """For comparing with name_en: no diacritics, case, apostrophes or
    hyphens, and a long vowel spelt ou/oo/uu the same as o/u."""
    text = ascii_fold(text).lower().replace("'", "").replace("-", "")
    for long, short in (("ou", "o"), ("oo", "o"), ("uu", "u")):
        text = text.replace(long, short)
    return text


# ------------------------------------------------------------------- records

def load_records():
    """[(subject, key, record)] in names.toml's order."""
    out = []
    for subject, file, key in SUBJECTS:
        rows = tomllib.loads((DATA / file).read_text(encoding="utf-8")).get(subject, [])
        rows = sorted(rows, key=lambda r: r[key]) if key != "code" else rows
        out += [(subject, r[key], r) for r in rows]
    return out


def belligerent_of(subject, record):
    return record["code"] if subject == "belligerent" else record.get("belligerent")


def label(subject, key, record=None):
    name = f" ({record.get('key', record['name'])})" if record else ""
    return f"{subject} {key}{name}"


# --------------------------------------------------------------- the merging

class Problems(list):
    """What --check fails on, by kind: new (names.py adds it), refresh
    (names.py rewrites a converter's name), review (names.py keeps or drops
    a hand name, a person should look), error (a person must fix it)."""

    quiet = None  # a record not in names.toml at all: say so once, not per name

    def add(self, kind, where, message):
        if not (kind == "new" and where == self.quiet):
            self.append((kind, f"{where}: {message}"))


def merge(generated, old, where, problems):
    """A converter's entry, with the file's hand edit of it applied. A hand
    edit changes `text`, or for Hepburn `reading` (the text follows it)."""
    lang, via, text = generated["lang"], generated["via"], generated["text"]
    what = f"{lang} by {via}"
    if old is None:
        problems.add("new", where, f"no {what} name (names.py adds {text!r})")
        return dict(generated)
    edited = dict(old, via=via)
    if via == "hepburn" and old.get("reading"):
        try:
            edited["text"] = hepburn(old["reading"])
        except ValueError as e:
            problems.add("error", where, f"{what} reading: {e}")
    if edited.get("text") == text and edited.get("reading") == generated.get("reading"):
        if "converted" in old:
            problems.add("review", where, f"{what} hand edit is no longer needed: the converter now makes {text!r}")
        return dict(generated)
    if "converted" not in old:
        # Not a hand edit, so the converter's output from an older name or
        # version: a re-run refreshes it.
        problems.add("refresh", where, f"{what} {old.get('text')!r} differs from the converter's {text!r} "
                                       "and has no converted/why (names.py writes the converter's)")
        return dict(generated)
    if old["converted"] != text:
        # The edit was made against other output: a person must look again,
        # so names.py keeps the stale `converted` and --check fails on it.
        problems.add("error", where, f"{what} converted {old['converted']!r} is stale: the converter now "
                                     f"makes {text!r}; if the hand edit {edited['text']!r} still holds, "
                                     f"set converted = {text!r}, else delete converted and why")
    return edited


def converter_names(conv, subject, record):
    """The converters' names of a record before Hepburn and ascii: [entry]."""
    name, side = record["name"], belligerent_of(subject, record)
    out = [{"lang": "zh-Hant", "text": conv.hant(name), "via": "opencc:s2t"}]
    if subject == "belligerent" or (side in JAPANESE and subject in ("force", "commander")):
        out.append({"lang": "ja", "text": conv.japanese(name), "via": "opencc:s2t+t2jp"})
    if subject == "commander" and side in CHINESE:
        out.append({"lang": "zh-Latn-pinyin", "text": pinyin_name(name), "via": "pypinyin"})
        out.append({"lang": "zh-Latn-wadegile", "text": wade_giles_name(name), "via": "pypinyin:wadegiles"})
    if subject == "place" and in_china(record):
        out.append({"lang": "ja", "text": conv.japanese(name), "via": "opencc:s2t+t2jp"})
        out.append({"lang": "zh-Latn-pinyin", "text": pinyin_place(name), "via": "pypinyin"})
        out.append({"lang": "zh-Latn-wadegile", "text": wade_giles_place(name), "via": "pypinyin:wadegiles"})
    return out


def preferred_text(entries, lang):
    for e in entries:
        if e["lang"] == lang and e.get("preferred", True):
            return e["text"]
    return None


def record_names(conv, subject, key, record, old_entries, problems):
    """The record's names: converters' (with hand edits), historiography,
    Hepburn of the preferred Japanese, then ascii variants."""
    where = label(subject, key, record)
    old = {}
    for e in old_entries:
        check_fields(e, where, problems)
        if e.get("via") != HISTORIOGRAPHY:
            old[(e.get("lang"), e.get("via"))] = e
    kept = [dict(e) for e in old_entries if e.get("via") == HISTORIOGRAPHY]
    outranked = {e["lang"] for e in kept if e.get("preferred", True)}

    def add(generated):
        before = old.pop((generated["lang"], generated["via"]), None)
        entry = merge(generated, before, where, problems)
        # Which of a lang's names is preferred follows from the rest: an
        # ascii variant never is, a converter's is unless historiography is.
        preferred = not (generated["lang"] in outranked or generated["via"] == ASCII)
        entry.pop("preferred", None)
        if not preferred:
            entry["preferred"] = False
        if before is not None and before.get("preferred", True) != preferred:
            problems.add("refresh", where, f"{generated['lang']} name {entry['text']!r} by {generated['via']} "
                                           f"is {'' if preferred else 'not '}preferred (names.py decides it)")
        out.append(entry)

    out = list(kept)
    for generated in converter_names(conv, subject, record):
        add(generated)
    if subject == "commander" and belligerent_of(subject, record) in JAPANESE:
        japanese = preferred_text(out, "ja")
        reading = kana_reading(conv, japanese, record["name_en"])
        if romanized(reading) is None:
            problems.add("error", where, f"pykakasi gives no kana reading of {japanese}: {reading!r}")
        else:
            add({"lang": "ja-Latn-hepburn", "text": hepburn(reading), "via": "hepburn", "reading": reading})
    for lang in LATIN:
        text = preferred_text(out, lang)
        if text is not None and ascii_fold(text) != text:
            add({"lang": lang, "text": ascii_fold(text), "via": ASCII})
    for (lang, via), e in old.items():
        problems.add("review", where, f"{lang} name {e.get('text')!r} by {via!r} is not one names.py makes: dropped")
    check_record(subject, key, record, out, where, problems)
    return sorted(out, key=entry_order)


def entry_order(e):
    kind = 2 if e["via"] == ASCII else 1 if e["via"] == HISTORIOGRAPHY else 0
    return (LANGS.index(e["lang"]) if e["lang"] in LANGS else len(LANGS), not e.get("preferred", True), kind)


def check_fields(e, where, problems):
    unknown = set(e) - set(FIELDS)
    if unknown:
        problems.add("error", where, f"{e.get('lang')} name {e.get('text')!r}: unknown fields {sorted(unknown)} "
                                     "(names.py drops them)")
    for field in ("lang", "text", "via"):
        if not e.get(field):
            problems.add("error", where, f"a name without {field}: {e}")
    if e.get("lang") not in LANGS:
        problems.add("error", where, f"unknown lang {e.get('lang')!r} (zh-Hans and en come from the record)")


def check_record(subject, key, record, entries, where, problems):
    """What the merged names must satisfy, whoever wrote them."""
    for lang in {e["lang"] for e in entries} - {"en"}:
        count = sum(1 for e in entries if e["lang"] == lang and e.get("preferred", True))
        if count != 1:
            problems.add("error", where, f"{count} preferred {lang} names, not 1")
    for e in entries:
        if e["lang"] == "en" and (e["via"] != HISTORIOGRAPHY or e.get("preferred", True)):
            problems.add("error", where, f"en name {e['text']!r}: only a historiography name with "
                                         "preferred = false (the record's name_en is the preferred en name)")
    for e in entries:
        if e["via"] == "hepburn" and e["text"] != romanized(e.get("reading", "")):
            problems.add("error", where, f"Hepburn {e['text']!r} is not the romanization of its reading "
                                         f"{e.get('reading')!r}, {romanized(e.get('reading', ''))!r}")
        editorial = "converted" in e or e["via"] == HISTORIOGRAPHY
        why = e.get("why", "")
        if editorial and not why.strip():
            problems.add("error", where, f"{e['lang']} name {e['text']!r} needs a why")
        if not editorial and "why" in e:
            problems.add("error", where, f"{e['lang']} name {e['text']!r} has a why but is neither "
                                         "a hand edit nor historiography")
    side = belligerent_of(subject, record)
    en = record["name_en"]
    hep = preferred_text(entries, "ja-Latn-hepburn")
    if hep is not None and norm_latin(hep) != norm_latin(en):
        problems.add("error", where, f"Hepburn {hep!r} does not spell name_en {en!r}: give the entry the "
                                     "reading name_en implies, with converted and why")
    pin = preferred_text(entries, "zh-Latn-pinyin")
    if subject == "commander" and side in CHINESE and pin is not None and norm_latin(pin) != norm_latin(en):
        if CONVENTIONAL_EN.get(key) != record["name"]:
            problems.add("error", where, f"pinyin {pin!r} differs from name_en {en!r}: hand-edit the "
                                         "pinyin, or list the record in CONVENTIONAL_EN if name_en is conventional")
    if (subject == "place" and pin is not None and record["kind"] in PINYIN_CHECKED_KINDS and " " not in en
            and norm_latin(pin) != norm_latin(en) and PLACE_EN_OTHER.get(key) != record["name"]):
        problems.add("error", where, f"pinyin {pin!r} differs from name_en {en!r}: hand-edit the pinyin, "
                                     "list the name in PLACE_READINGS, or the place in PLACE_EN_OTHER")


def build(conv, records, old_file, problems):
    """{(subject, key): [entry]} for every record, and the problems."""
    old = {}
    for subject, _, key in SUBJECTS:
        for row in old_file.get(subject, []):
            if (subject, row.get(key)) in old:
                problems.add("error", label(subject, row.get(key)), "listed twice in names.toml")
            old[(subject, row.get(key))] = row.get("names", [])
    out = {}
    for subject, key, record in records:
        if (subject, key) not in old:
            problems.add("new", label(subject, key, record), "not in names.toml")
            problems.quiet = label(subject, key, record)
        out[(subject, key)] = record_names(conv, subject, key, record, old.pop((subject, key), []), problems)
    for (subject, key), entries in old.items():
        hand = [e.get("text") for e in entries if "converted" in e or e.get("via") == HISTORIOGRAPHY]
        lost = f"; its hand names {hand} are dropped" if hand else ""
        problems.add("review", label(subject, key), f"names for a record that no longer exists{lost}")
    return out


# ------------------------------------------------------------------- writing

def header():
    v = versions()
    return f"""\
# Each record's names in other scripts and romanizations. Generated by
# tools/names.py from battles, phases, belligerents, forces, commanders and places.toml
# with OpenCC {v['opencc']} (s2t, t2jp), pypinyin {v['pypinyin']} and pykakasi {v['pykakasi']}.
# zh-Hans (`name`) and en (`name_en`) are not here: they come from the records.
# To edit a converter's name, change its `text` (a Hepburn name: its `reading`)
# and add `converted` (what the converter made) and `why`; to add a name from
# the literature, give it via = "historiography" and a `why`. Then run
# tools/names.py, which keeps both, and tools/names.py --check.
# See README.md, "Names in other scripts".
"""


def toml_string(s):
    escaped = s.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if ord(c) >= 0x20 else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def toml_entry(e):
    parts = []
    for field in FIELDS:
        if field not in e or (field == "preferred" and e[field] is True):
            continue
        value = e[field]
        parts.append(f"{field} = {'true' if value is True else 'false' if value is False else toml_string(value)}")
    return "{ " + ", ".join(parts) + " }"


def render(records, names):
    lines = [header()]
    for subject, key, _ in records:
        field = next(k for s, _, k in SUBJECTS if s == subject)
        lines.append(f"[[{subject}]]")
        lines.append(f"{field} = {toml_string(key) if isinstance(key, str) else key}")
        lines.append("names = [")
        lines += [f"  {toml_entry(e)}," for e in names[(subject, key)]]
        lines.append("]")
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------- main

def read_old():
    if not OUT.exists():
        return "", {}
    text = OUT.read_text(encoding="utf-8")
    return text, tomllib.loads(text)


def versions_line(text):
    """The converters' versions a names.toml names in its header, if any."""
    for line in text.splitlines():
        if line.startswith("# with OpenCC"):
            return line[len("# with "):].rstrip(".")
    return None


def report(problems, kinds):
    for kind, message in problems:
        if kind in kinds:
            print(f"{kind}: {message}")


def main():
    conv = Converters()
    records = load_records()
    old_text, old_file = read_old()
    problems = Problems()
    names = build(conv, records, old_file, problems)
    text = render(records, names)
    if versions_line(old_text) not in (versions_line(text), None):
        print(f"note: names.toml was made with {versions_line(old_text)}, but installed are "
              f"{versions_line(text)}: pip install -r migration/data/tools/requirements.txt")
    if "--check" in sys.argv:
        report(problems, {"new", "refresh", "review", "error"})
        if not problems and text != old_text:
            print("names.toml is not as names.py writes it (order, format or header): run names.py")
            problems.append(("error", "format"))
        if problems:
            sys.exit(f"names.toml: {len(problems)} problem(s); fix them by hand or run "
                     "python3 migration/data/tools/names.py, then --check again")
        print(f"names.toml: up to date ({sum(len(n) for n in names.values())} names of {len(names)} records)")
        return
    OUT.write_text(text, encoding="utf-8")
    remaining = Problems()
    build(conv, records, tomllib.loads(text), remaining)
    # What this run changed or dropped, then what a person must still fix.
    report([p for p in problems if p not in remaining], {"refresh", "review", "error"})
    added = sum(1 for kind, _ in problems if kind == "new")
    print(f"wrote {OUT} ({sum(len(n) for n in names.values())} names of {len(names)} records, {added} added)")
    if remaining:
        report(remaining, {"new", "refresh", "review", "error"})
        sys.exit(f"still to fix by hand: {len(remaining)}")


if __name__ == "__main__":
    main()
