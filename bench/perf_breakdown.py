#!/usr/bin/env python3
"""Groups a `perf record` profile by what the time was spent on.

    perf record -F 4000 -g -a -C 0 -o deep.data -- sleep 5   # while wrk loads the server
    python3 bench/perf_breakdown.py deep.data

Prints a Markdown table: share of the samples per group (PostgreSQL backends,
SQLite worker threads, kernel, async-graphql, sqlx/sea-orm, allocator, ...),
by process name first and symbol name after. The groups are by name pattern,
so they are approximate: docs/performance.md shows them for the benchmark.
"""
import re, subprocess, sys, collections
data = sys.argv[1]
out = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "comm,dso,sym", "-g", "none", "--stdio"], capture_output=True, text=True).stdout
cats = collections.Counter()
for line in out.splitlines():
    m = re.match(r"\s+([\d.]+)%\s+(\S+(?:\|\S+)?)\s+(\S+)\s+\[(.)\]\s+(.*)", line)
    if not m: continue
    pct, comm, dso, kind, sym = float(m.group(1)), m.group(2), m.group(3), m.group(4), m.group(5)
    if comm.startswith("postgres"): c = "PostgreSQL backends"
    elif "sqlx-sqlite" in comm: c = "SQLite worker threads (sqlx)"
    elif kind == "k": c = "kernel (network, scheduling, syscalls)"
    elif re.search(r"\bmi_|_mi_|malloc|free|realloc", sym) or "mimalloc" in sym: c = "allocator"
    elif re.search(r"sqlx|sea_orm|sea_query|int_decode|PgType|PgRow", sym): c = "sqlx / sea-orm (queries, row decoding)"
    elif re.search(r"async_graphql|futures_util|futures_core|futures_channel|indexmap|resolve_field|ContainerType|OutputType", sym): c = "async-graphql execution (fields, futures, values)"
    elif re.search(r"serde_json|serde_core|format_escaped", sym): c = "JSON writing"
    elif re.search(r"actix|h1|http::|bytes::|tokio", sym): c = "HTTP and runtime (actix, tokio)"
    elif re.search(r"kangzhan::graphql::field_order", sym): c = "field order"
    elif re.search(r"memmove|memcpy|memcmp|memset|strlen|from_utf8", sym): c = "memory copies, UTF-8 checks"
    else: c = "other (std, hashing, formatting, ...)"
    cats[c] += pct
for c, p in cats.most_common():
    print(f"| {c} | {p:.1f}% |")
