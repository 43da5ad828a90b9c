"""Benchmark: how long each solution notebook takes top to bottom on a real kernel,
and how long each slider explorer takes to redraw.

    python -m tests.benchmark            # every source notebook, 3 runs each, then the explorers
    python -m tests.benchmark --runs 5 source/week1/initialization.ipynb
    python -m tests.benchmark --only explorers

Notebooks: the median and every run (kernel start-up included, as a student sees it).
Explorers (tests/explorers.py): built as in their notebook with the reference
solution, then every position of every control is visited once, cache cleared
before each, so every redraw draws; median and max in ms (in this process,
without a browser: add about 20 ms for the round trip through JupyterLab).
Not a test: the numbers go in the README and the closing notes.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

from tests.notebook_runner import ROOT, execute


def bench_notebooks(paths, runs):
    print(f"{'notebook':45s} {'median':>8s}   runs")
    failed = False
    for path in paths:
        times = []
        for _ in range(runs):
            _, seconds, error = execute(path)
            if error is not None:
                print(f"{path}: failed: {error}", file=sys.stderr)
                failed = True
                break
            times.append(seconds)
        if times:
            rel = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
            print(f"{str(rel):45s} {statistics.median(times):7.2f}s   "
                  + ", ".join(f"{t:.2f}" for t in times), flush=True)
    return failed


def bench_explorers():
    from tests.explorers import CASES, tour_redraws

    print(f"{'explorer redraw (ms, first visits)':38s} {'build':>7s} {'moves':>6s} {'median':>7s} {'max':>6s}")
    failed = False
    for name, case in sorted(CASES.items()):
        start = time.perf_counter()
        explorer = case.build(case.functions())
        build = time.perf_counter() - start
        if explorer.error:
            print(f"{name}: {explorer.error}", file=sys.stderr)
            failed = True
            continue
        ms = [1000 * t for t in tour_redraws(explorer, case.tour)]
        print(f"{name:38s} {build:6.2f}s {len(ms):6d} {statistics.median(ms):7.0f} {max(ms):6.0f}", flush=True)
    return failed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=["notebooks", "explorers"])
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "source").glob("week*/*.ipynb"))
    failed = False
    if args.only != "explorers":
        failed |= bench_notebooks(paths, args.runs)
    if args.only is None:
        print()
    if args.only != "notebooks":
        failed |= bench_explorers()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
