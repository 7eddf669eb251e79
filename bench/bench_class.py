"""Class-run throughput: mark a folder of generated answer sheets with --summary-csv.

Generates N sheets (default 500) for the bundled problem squared_error_logistic — right,
wrong, partly answered and a few malformed ones — runs one whole `gradtutor check … --answers
FOLDER --summary-csv g.csv` process, and prints sheets per second, the cores the run may use,
the cores it kept busy (CPU time of the process and its workers ÷ wall time), and whether the
CSV has a row for every sheet. Nothing is asserted; read the figures.

    python bench/bench_class.py              # 500 sheets
    python bench/bench_class.py --sheets 100
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROBLEM = "squared_error_logistic"
VARIANTS = (  # (file stem, sheet text); {n} is the sheet's number
    ("right", "student: R{n}\nparts:\n  a: 2*(p - y)\n  b: p*(1 - p)\n  c: p*(1 - p)\n"
              "  d: x\n  e: 2*(p - y)*p*(1 - p)*x\n  f: {{value: 0, verdict: vanishes}}\n"),
    ("wrong", "student: W{n}\nparts:\n  a: 2*(y - p)\n  b: exp(-a)/(1 + exp(-a))^2\n"
              "  d: x\n  e: 2*p^3*exp(-a)*x - 3*p^2*exp(-a)*y*x\n  f: {{value: 1}}\n"),
    ("partly", "student: P{n}\nparts:\n  a: 2*p - 2*y\n  c: d/da(p)\n  d: w\n"),
)
MALFORMED = ("parts: [\n", "parts:\n  zz: 1\n", "parts:\n  a: 2*p\x07\n")


def make_sheets(folder: Path, count: int, bad_every: int = 50) -> None:
    """``count`` sheets: mostly the three variants, every ``bad_every``-th one malformed."""
    for n in range(count):
        if n % bad_every == bad_every - 1:
            text = MALFORMED[(n // bad_every) % len(MALFORMED)]
            name = f"s{n:05}_bad.yaml"
        else:
            stem, template = VARIANTS[n % len(VARIANTS)]
            text, name = template.format(n=n), f"s{n:05}_{stem}.yaml"
        (folder / name).write_text(text, encoding="utf-8")


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run(folder: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (the process and its workers), exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "gradtutor", "check", PROBLEM, "--answers",
                           str(folder), "--summary-csv", str(folder.parent / "g.csv")],
                          capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=500)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "subs"
        folder.mkdir()
        make_sheets(folder, args.sheets)
        wall, cpu, code = run(folder)
        with open(Path(tmp) / "g.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))[1:]
    errors = sum(1 for r in rows if r[-1])
    print(f"sheets             {args.sheets}")
    print(f"wall time          {wall:.2f} s  (whole process, start-up and solving included)")
    print(f"sheets per second  {args.sheets / wall:.1f}")
    print(f"cores available    {cores()}")
    print(f"worker processes   {min(cores(), args.sheets)}  (one per available core)")
    print(f"cores kept busy    {cpu / wall:.2f}  (CPU time of process + workers ÷ wall time)")
    print(f"CPU per sheet      {1000 * cpu / args.sheets:.0f} ms")
    print(f"load average       {os.getloadavg()[0]:.1f}  (other processes share the cores)")
    print(f"CSV rows           {len(rows)} of {args.sheets} "
          f"({errors} error rows for malformed sheets), exit code {code}")


if __name__ == "__main__":
    main()
