#!/usr/bin/env python3
"""Turns the raw outputs of bench/run.sh into the markdown report.

    report.py RAW_DIR                     the report
    report.py --slowest RAW_DIR DB        "NAME PATH" of DB's slowest search-matrix run

RAW_DIR holds meta.txt (key=value lines), endpoints.tsv (name, label, whether pgbench runs it),
and per database DB.NAME.wrk (wrk --latency output) and DB.NAME.pgbench (pgbench output) for each
endpoint, plus DB.meta.txt (seeding time, sizes, peak RSS, ...). Standard library only.
"""
import json
import re
import statistics
import sys
from pathlib import Path

DATABASES = [("postgres", "PostgreSQL"), ("sqlite", "SQLite")]
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def read_meta(path):
    meta = {}
    if path.exists():
        for line in path.read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep:
                meta[key.strip()] = value.strip()
    return meta


def to_ms(text):
    """'812.00us', '1.23ms', '2.01s', '1.00m' -> milliseconds."""
    match = re.fullmatch(r"([\d.]+)\s*(us|ms|s|m|h)", text.strip())
    if not match:
        return None
    return float(match.group(1)) * UNIT_MS[match.group(2)]


def parse_wrk(text):
    """rps, p50 ms, p99 ms, errors, followed — from the BENCH_JSON line of bench/wrk/common.lua,
    else from wrk's own text (Requests/sec, the --latency distribution, error lines)."""
    for line in text.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line[len("BENCH_JSON "):])
            seconds = data["duration_us"] / 1e6
            errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
            return {
                "rps": data["requests"] / seconds if seconds else 0.0,
                "p50": data["p50_us"] / 1000.0,
                "p99": data["p99_us"] / 1000.0,
                "errors": errors,
                "requests": data["requests"],
                "followed": data["followed"],
                "error_detail": error_detail(data["status"], data["connect"], data["read"], data["write"],
                                             data["timeout"]),
            }
    rps = re.search(r"Requests/sec:\s*([\d.]+)", text)
    if not rps:
        return None
    percentile = {}
    for share, value in re.findall(r"^\s*(50|99)(?:\.0+)?%\s+(\S+)\s*$", text, re.M):
        percentile[share] = to_ms(value)
    status = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    status_n = int(status.group(1)) if status else 0
    socket_n = [int(n) for n in sockets.groups()] if sockets else [0, 0, 0, 0]
    requests = re.search(r"(\d+) requests in", text)
    return {
        "rps": float(rps.group(1)),
        "p50": percentile.get("50"),
        "p99": percentile.get("99"),
        "errors": status_n + sum(socket_n),
        "requests": int(requests.group(1)) if requests else 0,
        "followed": None,
        "error_detail": error_detail(status_n, *socket_n),
    }


def error_detail(status, connect, read, write, timeout):
    parts = [f"{n} {what}" for n, what in [(status, "non-2xx/3xx"), (connect, "connect"), (read, "read"),
                                            (write, "write"), (timeout, "timeout")] if n]
    return ", ".join(parts)


def parse_pgbench(text):
    tps = re.search(r"^tps = ([\d.]+)", text, re.M)
    failed = re.search(r"number of failed transactions: (\d+)", text)
    if not tps:
        return None
    return {"tps": float(tps.group(1)), "failed": int(failed.group(1)) if failed else 0}


def number(value, digits=0):
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def latency(value):
    if value is None:
        return "—"
    return f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def table(raw, db, endpoints):
    rows = [
        "| endpoint | requests/s | p50 ms | p99 ms | errors | pgbench tps | API/DB |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    notes = []
    for name, label, _ in endpoints:
        wrk_file = raw / f"{db}.{name}.wrk"
        if not wrk_file.exists():
            continue
        wrk = parse_wrk(wrk_file.read_text(errors="replace"))
        pg_file = raw / f"{db}.{name}.pgbench"
        pg = parse_pgbench(pg_file.read_text(errors="replace")) if pg_file.exists() else None
        if wrk is None:
            rows.append(f"| {label} | wrk failed | — | — | — | — | — |")
            notes.append(f"{label}: no wrk result, see the log above")
            continue
        errors = str(wrk["errors"]) if not wrk["errors"] else f"**{wrk['errors']}**"
        if wrk["errors"]:
            notes.append(f"{label}: {wrk['errors']} errors of {wrk['requests']:,} requests ({wrk['error_detail']})")
        if name == "pages" and wrk["followed"] is not None and wrk["requests"]:
            share = wrk["followed"] / wrk["requests"]
            warning = " — expected ~90%: is the Link header still followed?" if share < 0.8 else ""
            notes.append(f"{label}: {share:.0%} of the requests followed a Link header{warning}")
        tps = ratio = "—"
        if pg_file.exists():
            if pg is None:
                tps = "failed"
                notes.append(f"{label}: pgbench failed, see the log above")
            else:
                tps = number(pg["tps"])
                ratio = f"{wrk['rps'] / pg['tps']:.2f}" if pg["tps"] else "—"
                if pg["failed"]:
                    notes.append(f"{label}: pgbench had {pg['failed']} failed transactions")
        rows.append(f"| {label} | {number(wrk['rps'])} | {latency(wrk['p50'])} | {latency(wrk['p99'])} "
                    f"| {errors} | {tps} | {ratio} |")
    return rows, notes


TELEMETRY_MODES = [("none", "neither"), ("metrics", "metrics"), ("both", "metrics + request log")]
TELEMETRY_ROWS = [("get", "get by id"), ("list", "first page, unfiltered")]


def telemetry_table(raw, db):
    """What the request log and the metrics cost: each mode's median round."""
    rows = []
    for name, label in TELEMETRY_ROWS:
        best = {}
        for mode, _ in TELEMETRY_MODES:
            runs = [parse_wrk(f.read_text(errors="replace")) for f in sorted(raw.glob(f"{db}.telemetry.{mode}.{name}.*.wrk"))]
            runs = [run for run in runs if run]
            if runs:
                best[mode] = statistics.median(run["rps"] for run in runs)
        if len(best) < len(TELEMETRY_MODES):
            continue
        cost = lambda mode: f"{best[mode] / best['none'] - 1:+.1%}" if best["none"] else "—"
        rows.append(f"| {label} | {number(best['none'])} | {number(best['metrics'])} ({cost('metrics')}) "
                    f"| {number(best['both'])} ({cost('both')}) |")
    if not rows:
        return []
    rounds = len(list(raw.glob(f"{db}.telemetry.none.get.*.wrk")))
    header = " | ".join(title for _, title in TELEMETRY_MODES)
    return ["", "What the request log and the metrics cost (requests/s, the median of "
            f"{rounds} rounds in turn; in brackets the change against neither):", "", f"| endpoint | {header} |",
            "|---|--:|--:|--:|", *rows]


TARGET_P99_MS = {"postgres": 50.0, "sqlite": 100.0}  # issue 17, at a million tickets


def search_rows(raw, db):
    """The matrix rows measured on db: dicts with the row's facts and its two wrk results."""
    tsv = raw / f"{db}.search.tsv"
    if not tsv.exists():
        return []
    hits = {}
    hits_file = raw / f"{db}.search_hits.txt"
    combos_file = raw / "search_combos.txt"
    if hits_file.exists() and combos_file.exists():
        numbers = hits_file.read_text().split()
        names = [line.split("|")[0] for line in combos_file.read_text().splitlines() if line]
        hits = {name: int(n) for name, n in zip(names, numbers[1:]) if n.isdigit()}
    rows = []
    for line in tsv.read_text().splitlines():
        if not line:
            continue
        name, term, label, limit, page, path = line.split("\t")
        combo = name.rsplit("-", 1)[0]
        row = {"name": name, "term": term, "label": label, "limit": int(limit), "deep_page": int(page),
               "path": path, "hits": hits.get(combo)}
        for which in ("first", "deep"):
            wrk_file = raw / f"{db}.search.{name}.{which}.wrk"
            row[which] = parse_wrk(wrk_file.read_text(errors="replace")) if wrk_file.exists() else None
        rows.append(row)
    return rows


def search_table(raw, db):
    rows = search_rows(raw, db)
    if not rows:
        return [], []
    target = TARGET_P99_MS[db]
    duration = read_meta(raw / "meta.txt").get("search_duration", "?")
    out = [
        "| term | filters | finds | limit | page | requests/s | p50 ms | p99 ms | errors |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    over, errors, worst = [], [], None
    for row in rows:
        for which in ("first", "deep"):
            wrk = row[which]
            page = "1" if which == "first" else f"{row['deep_page']}" + (" (last)" if row["deep_page"] == 1 else "")
            if wrk is None:
                out.append(f"| {row['term']} | {row['label']} | {number(row['hits'])} | {row['limit']} | {page} "
                           f"| wrk failed | — | — | — |")
                errors.append(f"{row['name']} {which}: no wrk result")
                continue
            p99 = wrk["p99"]
            if not wrk["rps"]:  # not one answer within the run: slower than any p99 it could show
                over.append(f"{row['term']} {row['label']} limit {row['limit']} page {page} (no answer)")
                out.append(f"| {row['term']} | {row['label']} | {number(row['hits'])} | {row['limit']} | {page} "
                           f"| **0** | — | **no answer in {duration} s** | {wrk['errors']} |")
                continue
            late = p99 is not None and p99 >= target
            if late:
                over.append(f"{row['term']} {row['label']} limit {row['limit']} page {page}")
            if p99 is not None and (worst is None or p99 > worst[0]):
                worst = (p99, f"{row['term']} / {row['label']} / limit {row['limit']} / page {page}")
            if wrk["errors"]:
                errors.append(f"{row['name']} {which}: {wrk['errors']} errors ({wrk['error_detail']})")
            p99_text = f"**{latency(p99)}**" if late else latency(p99)
            errors_text = f"**{wrk['errors']}**" if wrk["errors"] else "0"
            out.append(f"| {row['term']} | {row['label']} | {number(row['hits'])} | {row['limit']} | {page} "
                       f"| {number(wrk['rps'])} | {latency(wrk['p50'])} | {p99_text} | {errors_text} |")
    notes = [f"{len(rows) * 2} runs ({len(rows)} searches, first and deep page); target p99 < {target:.0f} ms: "
             + (f"**{len(over)} over** ({'; '.join(over)})" if over else "every run under it")
             + (f"; slowest p99 {latency(worst[0])} ms ({worst[1]})" if worst else "")]
    notes += errors
    return out, notes


def slowest(raw_dir, db):
    """'NAME PATH' of the matrix run with the highest p99 (the deep page's path for a deep run)."""
    worst = None
    for row in search_rows(Path(raw_dir), db):
        for which in ("first", "deep"):
            wrk = row[which]
            if not wrk:
                continue
            p99 = wrk["p99"] if wrk["rps"] else float("inf")  # no answer at all: the slowest
            if p99 is not None and (worst is None or p99 > worst[0]):
                worst = (p99, f"{row['name']}.{which}", which, row["path"])
    if worst is None:
        return
    _, name, which, first_path = worst
    deep = Path(raw_dir) / f"{db}.search.{name}.path"
    print(name, deep.read_text().strip() if which == "deep" and deep.exists() else first_path)


def main(raw_dir):
    raw = Path(raw_dir)
    meta = read_meta(raw / "meta.txt")
    endpoints = [line.split("\t") for line in (raw / "endpoints.tsv").read_text().splitlines() if line]
    out = [
        "# helpdesk load benchmark",
        "",
        f"commit {meta.get('commit', '?')} · {meta.get('date', '?')} · {meta.get('cpus', '?')} CPUs · "
        f"N={int(meta.get('n', 0)):,} tickets · {meta.get('connections')} connections, "
        f"{meta.get('threads')} wrk threads · {meta.get('duration')} s per run after a "
        f"{meta.get('warmup')} s warm-up · server pool DATABASE_POOL_SIZE={meta.get('pool_size')}, "
        f"HTTP_WORKERS={meta.get('http_workers')} · whole run {meta.get('wall', '?')} s",
        "",
        f"Lists ask for `limit=20`; search: common word \"{meta.get('common_word')}\", rare word "
        f"\"{meta.get('rare_word')}\" with `status=open`. API/DB = API requests/s ÷ pgbench tps of the "
        f"same SQL ({meta.get('connections')} clients straight to PostgreSQL, no server).",
    ]
    for db, title in DATABASES:
        db_meta = read_meta(raw / f"{db}.meta.txt")
        if not db_meta:
            continue
        rows, notes = table(raw, db, endpoints)
        out += ["", f"## {title} — {db_meta.get('store', '')}", ""]
        out.append(f"Seeded in {db_meta.get('seed', '?')}; {db_meta.get('size', '?')}. "
                   f"{db_meta.get('hits', '')}")
        for key, label in (("export", "`helpdesk export`"), ("copy", "`helpdesk copy` to PostgreSQL")):
            if key in db_meta:
                out += ["", f"{label}: {db_meta[key]}"]
        out += ["", *rows, *telemetry_table(raw, db), ""]
        out.append(f"Server peak RSS (VmHWM) after all runs: {db_meta.get('peak_rss', '?')}; "
                   f"server log: {db_meta.get('log_lines', '?')} warning/error lines.")
        for note in notes + [v for k, v in sorted(db_meta.items()) if k.startswith("note")]:
            out.append(f"- {note}")
        matrix, matrix_notes = search_table(raw, db)
        if matrix:
            out += ["", f"### {title}: search matrix", ""]
            out.append(f"Each run {meta.get('search_duration')} s after a {meta.get('search_warmup')} s warm-up, "
                       f"{meta.get('connections')} connections. \"finds\": tickets the search and filters find in "
                       f"all. Page 1, then the page reached by following `Link` {meta.get('search_depth')} times "
                       f"(\"(last)\": the walk ended sooner).")
            out += ["", *matrix, ""]
            out += [f"- {note}" for note in matrix_notes]
            if db == "postgres" and (raw / "postgres.explain.txt").exists():
                out.append("- EXPLAIN (ANALYZE, BUFFERS) of the slowest run's statements: `latest-explain.txt`")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--slowest":
        slowest(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 2:
        main(sys.argv[1])
    else:
        sys.exit(__doc__)
