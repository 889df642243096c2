#!/usr/bin/env python3
"""Benchmark (not a test): score a large partner from CSV exports and print rows/s and peak memory.

    .venv/bin/python bench/bench_scoring.py [--rows 1000000] [--customers 5000] [--keep DIR]

Writes ``--rows`` revenue rows and ``--rows`` usage rows as CSV (24 months, random customers and
workloads, some inactive subscriptions and ineligible attributions), then scores the profile in a
fresh child process, once with the full files and once with a tenth of them, and prints for each
the time, rows per second and the child's peak resident memory. Scoring streams, so the peak memory
of both runs should be about the same: it grows with the number of (customer, workload) pairs,
not with the number of rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MONTHS = [f"{2024 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}" for i in range(24)]  # 2024-11 … 2026-10
REVENUE_WORKLOADS = ["sales", "customer_service", "finance", "power_apps", "power_bi", "business_central",
                     "marketing", "field_service", "core_hr"]
USAGE_WORKLOADS = ["power_apps", "power_automate", "power_bi", "power_bi_premium", "business_central",
                   "customer_insights", "guides", "core_hr", "common_data_service"]


def generate(folder: Path, rows: int, customers: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    with (folder / "revenue.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["customer", "workload", "month", "subscription", "active", "revenue_usd", "attribution",
                    "channel"])
        for i in range(rows):
            c = rnd.randrange(customers)
            w.writerow([f"C{c}", rnd.choice(REVENUE_WORKLOADS), rnd.choice(MONTHS), f"S{c}-{i % 3}",
                        "false" if rnd.random() < 0.05 else "true", f"{rnd.uniform(0, 1200):.2f}",
                        rnd.choice(["CPOR", "CPOR_REVREC", "CSP_T1", "CSP_T2", "DPOR", "PAL"]),
                        rnd.choice(["EA", "CSP", "WEB_DIRECT"])])
    with (folder / "usage.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["customer", "workload", "month", "units", "attribution"])
        for _ in range(rows):
            c = rnd.randrange(customers)
            w.writerow([f"C{c}", rnd.choice(USAGE_WORKLOADS), rnd.choice(MONTHS), rnd.randrange(1, 40),
                        rnd.choice(["CPOR", "CSP_T1", "CSP_T2", "DPOR", "PAL", "CPOR_REVREC"])])
    (folder / "profile.yaml").write_text(
        "partner: Benchmark BV\nmarket: larger\nevaluated_month: 2026-10\n"
        "metrics: {intermediate_certified_people: 12, advanced_certified_people: 3}\n"
        "records: {revenue: revenue.csv, usage: usage.csv}\n", encoding="utf-8")


def score_in_this_process(profile: Path) -> None:
    from scoring.api import evaluate, load_profile

    start = time.perf_counter()
    result = evaluate(load_profile(profile))
    seconds = time.perf_counter() - start
    rows = sum(r.used + sum(r.ignored.values()) for r in result.rows)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mib": peak_kib / 1024,
                      "total": float(result.shown_total),
                      "row_counts": [r.to_json() for r in result.rows]}))


def run_child(profile: Path) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, "--score", str(profile)], check=True, capture_output=True,
                         text=True, timeout=3600)
    data: dict[str, object] = json.loads(out.stdout)
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="revenue rows and usage rows (each)")
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--keep", type=Path, default=None, help="write the files here and keep them")
    parser.add_argument("--score", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.score:
        score_in_this_process(args.score)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        for label, rows in (("small", args.rows // 10), ("full", args.rows)):
            folder = base / label
            folder.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            generate(folder, rows, args.customers)
            made = time.perf_counter() - t0
            result = run_child(folder / "profile.yaml")
            seconds = float(result["seconds"])  # type: ignore[arg-type]
            total_rows = int(result["rows"])  # type: ignore[call-overload]
            print(f"{label:>5}: {rows:,} revenue + {rows:,} usage rows ({made:.1f} s to generate); "
                  f"scored in {seconds:.2f} s = {total_rows / seconds:,.0f} rows/s; "
                  f"peak memory {float(result['peak_mib']):.1f} MiB; total {result['total']}")  # type: ignore[arg-type]
            print(f"       rows: {json.dumps(result['row_counts'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
