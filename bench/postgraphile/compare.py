#!/usr/bin/env python3
"""Check that each PostGraphile benchmark query returns the same objects as
the Kangzhan query it stands for.

Sends queries/kangzhan/NAME.graphql to Kangzhan and queries/NAME.graphql to
PostGraphile, then, level by level (commanders, their battles, each battle's
commanders and forces, ...), counts the objects in both answers and prints
the counts side by side. Connection wrappers (`nodes`) and junction rows
(command, battle_force) are walked through, not counted: a level is the
objects a Kangzhan client sees.

Beyond the counts it compares the objects themselves: at each level the
compared fields (name, dates, kind) of every object, with its whole subtree,
as multisets, so a difference in which objects, or under which parent, is a
mismatch even when the counts agree. The order of nested lists is not
compared (Kangzhan orders a commander's battles by start date, PostGraphile's
junction connections by primary key).

    python3 bench/postgraphile/compare.py \
        --kangzhan http://127.0.0.1:8130/graphql \
        --postgraphile http://127.0.0.1:8131/graphql [NAME ...]

Exit status 0 when every pair matches, 1 otherwise. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries"


@dataclass
class Level:
    """One level of objects: where to find them in each answer (relative to
    the parent object; `x[]` iterates the list under key x), which fields
    identify them (Kangzhan path, PostGraphile path), and the levels below."""

    name: str
    ours: str
    pg: str
    fields: list[tuple[str, str]]
    children: list["Level"] = field(default_factory=list)


# The level specs of each query pair, by query name.
SPECS: dict[str, Level] = {
    "deep_traversal": Level(
        "commanders",
        "data.commanders.nodes[]",
        "data.allCommanders.nodes[]",
        [("name", "name")],
        [
            Level(
                "battles",
                "battles[]",
                "commandsByCommanderId.nodes[].battleByBattleId",
                [("name", "name"), ("start.earliest", "startEarliest")],
                [
                    Level(
                        "commanders",
                        "commanders[]",
                        "commandsByBattleId.nodes[].commanderByCommanderId",
                        [("name", "name")],
                    ),
                    Level(
                        "forces",
                        "forces[]",
                        "battleForcesByBattleId.nodes[].forceByForceId",
                        [("name", "name"), ("kind", "kind")],
                    ),
                ],
            )
        ],
    ),
    "node": Level("battle", "data.node", "data.node", [("name", "name")]),
    "node_by_row_id": Level("battle", "data.node", "data.battleByRowId", [("name", "name")]),
    "battles_page": Level(
        "battles",
        "data.battles.nodes[]",
        "data.allBattles.nodes[]",
        [
            ("name", "name"),
            ("start.earliest", "startEarliest"),
            ("start.latest", "startLatest"),
            ("end.earliest", "endEarliest"),
            ("end.latest", "endLatest"),
        ],
    ),
}

# Top-level lists whose order is part of the contract: the page must be the
# same page, in the same order.
ORDERED_TOP = {"battles_page", "deep_traversal"}


def post(url: str, query: str) -> dict:
    body = json.dumps({"query": query}).encode()
    req = urllib.request.Request(
        url,
        data=body,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as resp:
        answer = json.load(resp)
    if answer.get("errors"):
        raise SystemExit(f"{url}: errors: {json.dumps(answer['errors'], ensure_ascii=False)}")
    return answer


def walk(value, path: str) -> list:
    """The objects at `path` below `value` (a missing or null step gives none)."""
    current = [value]
    for step in path.split("."):
        many = step.endswith("[]")
        key = step[:-2] if many else step
        following = []
        for item in current:
            if not isinstance(item, dict) or item.get(key) is None:
                continue
            if many:
                following.extend(x for x in item[key] if x is not None)
            else:
                following.append(item[key])
        current = following
    return current


def get(obj: dict, path: str):
    for step in path.split("."):
        obj = obj[step]
    return obj


def canon(obj: dict, level: Level, side: str, counts: dict, prefix: str):
    """The object as a sortable tuple of its fields and its children's
    canonical forms; counts every object met, by level path."""
    fields = tuple(get(obj, ours if side == "ours" else pg) for ours, pg in level.fields)
    children = []
    for child in level.children:
        objs = walk(obj, child.ours if side == "ours" else child.pg)
        path = f"{prefix}.{child.name}"
        counts[path] = counts.get(path, 0) + len(objs)
        children.append(tuple(sorted(canon(o, child, side, counts, path) for o in objs)))
    return (fields, tuple(children))


def level_paths(level: Level, prefix: str = "") -> list[str]:
    path = f"{prefix}.{level.name}" if prefix else level.name
    return [path] + [p for c in level.children for p in level_paths(c, path)]


def compare(name: str, kangzhan: str, postgraphile: str) -> bool:
    spec = SPECS[name]
    ours_q = (QUERIES / "kangzhan" / f"{name}.graphql").read_text()
    pg_q = (QUERIES / f"{name}.graphql").read_text()
    results = {}
    for side, url, query in (("ours", kangzhan, ours_q), ("pg", postgraphile, pg_q)):
        answer = post(url, query)
        top = walk(answer, spec.ours if side == "ours" else spec.pg)
        counts = {spec.name: len(top)}
        forms = [canon(o, spec, side, counts, spec.name) for o in top]
        results[side] = (counts, forms)

    (ours_counts, ours_forms), (pg_counts, pg_forms) = results["ours"], results["pg"]
    print(f"== {name}")
    print(f"   {'level':<32} {'kangzhan':>9} {'postgraphile':>13}")
    counts_ok = True
    for path in level_paths(spec):
        a, b = ours_counts.get(path, 0), pg_counts.get(path, 0)
        mark = "" if a == b else "   <-- differs"
        counts_ok &= a == b
        print(f"   {path:<32} {a:>9} {b:>13}{mark}")
    if name in ORDERED_TOP:
        same = ours_forms == pg_forms
        how = "same objects, top level in the same order"
    else:
        same = sorted(ours_forms) == sorted(pg_forms)
        how = "same objects"
    ok = counts_ok and same
    print(f"   {how}: {'yes' if same else 'NO'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kangzhan", default="http://127.0.0.1:8130/graphql")
    parser.add_argument("--postgraphile", default="http://127.0.0.1:8131/graphql")
    parser.add_argument("names", nargs="*", default=list(SPECS), help="query names (default: all)")
    args = parser.parse_args()
    ok = True
    for name in args.names:
        ok &= compare(name, args.kangzhan, args.postgraphile)
    print("all pairs match" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
