"""`make bench`: every figure as one JSON line, then a readable table.

Each benchmark script runs as its own process (so one figure's memory or threads never
colour another's) and prints its JSON lines on stdout; progress goes to stderr. The
runner passes QUICK through (`make bench QUICK=1`: smaller sizes), repeats every JSON
line as it arrives, and ends with a table and the machine the figures were taken on.
"""
from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import sys
import time

from benchmarks.figures import quick
from benchmarks.venue import ROOT

SCRIPTS = ["bench_checkin", "bench_sync", "bench_registration", "bench_convergence",
           "bench_decode", "bench_badge", "bench_mail"]
ORDER = ["check_in_latency_p99", "first_sync", "push", "registration",
         "registration_postgres", "decode", "badge", "memory", "convergence",
         "mail_pump_share", "mail_send"]
TIMEOUT_S = 900   # per script; registration runs its workload twice (SQLite, PostgreSQL)
NOTES = {   # the extra keys worth a glance in the table
    "check_in_latency_p99": ["p50_ms", "baseline_p50_ms", "attendees"],
    "first_sync": ["events", "events_per_s", "peak_rss_mb"],
    "push": ["events", "seconds", "baseline_seconds"],
    "registration": ["oversold", "confirmed", "sold_out", "clients", "statements_per_order",
                     "transactions_per_order", "fsyncs_per_order", "http_requests_per_order"],
    "registration_postgres": ["oversold", "assigned_twice", "confirmed", "web_processes",
                              "workers", "statements_per_order", "transactions_per_order",
                              "fsyncs_per_order", "http_requests_per_order", "skipped"],
    "decode": ["baseline_qr_only", "frames"],
    "badge": ["width_dots", "escpos_bytes"],
    "memory": ["budget_mb", "replica_events"],
    "convergence": ["nodes", "events_per_node", "identical"],
    "mail_pump_share": ["no_yield_s", "orders", "backlog"],
    "mail_send": ["mails", "reader_ms_per_event"],
}


def machine() -> dict:
    """What the figures were taken on."""
    info: dict[str, str] = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                info.setdefault(key.strip().lower(), value.strip())
    except OSError:
        pass
    # x86: "model name"; a Raspberry Pi: "Model" (the board) and "Hardware" (the SoC).
    cpu = (info.get("model name") or info.get("model") or info.get("hardware")
           or platform.processor() or platform.machine())
    try:
        with open("/proc/meminfo") as f:
            ram_gb = round(int(f.readline().split()[1]) / 2**20, 1)
    except (OSError, ValueError, IndexError):
        ram_gb = None
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": ram_gb,
            "load_avg_1m": round(load[0], 2) if load else None,
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "system": f"{platform.system()} {platform.release()}", "quick": quick()}


def run(script: str, figures: dict, failures: list) -> None:
    started = time.monotonic()
    print(f"--- {script}", file=sys.stderr, flush=True)
    proc = subprocess.Popen([sys.executable, "-m", f"benchmarks.{script}"], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        for line in proc.stdout:
            try:
                figure = json.loads(line)
            except ValueError:
                print(line, end="", file=sys.stderr)
                continue
            figures[figure["name"]] = figure
            print(json.dumps(figure, ensure_ascii=False), flush=True)
        proc.wait(timeout=max(1, TIMEOUT_S - (time.monotonic() - started)))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.returncode != 0:
        failures.append(f"{script} exited with {proc.returncode}")
    print(f"--- {script}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)


def cell(value, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        value = f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{value} {unit}".strip()


def table(figures: dict, host: dict, seconds: float) -> str:
    rows = [("figure", "value", "baseline", "ratio", "notes")]
    for name in ORDER:
        f = figures.get(name)
        if f is None:
            rows.append((name, "MISSING", "", "", ""))
            continue
        notes = ", ".join(f"{k}={cell(f[k])}" for k in NOTES.get(name, []) if k in f)
        rows.append((name, cell(f["value"], f["unit"]), cell(f["baseline"], f["unit"]),
                     cell(f["ratio"]) + ("x" if f["ratio"] is not None else ""), notes))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(r[i].ljust(widths[i]) if i == 0 else r[i].rjust(widths[i])
                       for i in range(4)) + "  " + r[4] for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines.append("")
    lines.append(f"ratio = our cost / the baseline's cost for the same work (lower is better); "
                 f"{'QUICK sizes' if host['quick'] else 'full sizes'}, {seconds:.0f} s in all")
    lines.append(f"machine: {host['nproc']} cores, {host['cpu']}, {host['ram_gb']} GB RAM, "
                 f"Python {host['python']}, SQLite {host['sqlite']}, {host['system']}; "
                 f"load average {host.get('load_at_start')} at the start, "
                 f"{host['load_avg_1m']} at the end")
    return "\n".join(lines)


def main() -> int:
    started = time.monotonic()
    load_at_start = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    figures: dict = {}
    failures: list[str] = []
    only = sys.argv[1:] or SCRIPTS
    for script in only:
        run(script, figures, failures)
    print()
    host = {**machine(), "load_at_start": load_at_start}
    print(table(figures, host, time.monotonic() - started))
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
