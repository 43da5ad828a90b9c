"""Benchmark: how long each solution notebook takes top to bottom on a real kernel,
and how long each slider explorer takes to redraw.

    python -m tests.benchmark            # every source notebook, 3 runs each, then the explorers
    python -m tests.benchmark --runs 5 source/week1/initialization.ipynb
    python -m tests.benchmark --only explorers

Notebooks: the median and every run (kernel start-up included, as a student sees it),
beside the yardstick: a notebook that only imports numpy, run the same way in
turn with each notebook, and each notebook's median ratio to it (machines differ
in speed; the course's budgets hold where the yardstick takes about 0.85 s).
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


def _yardstick(folder):
    import nbformat
    path = Path(folder) / "yardstick.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import numpy as np")]), str(path))
    return path


def bench_notebooks(paths, runs):
    import tempfile
    print(f"{'notebook':45s} {'median':>8s}  {'yardstick':>9s}  {'ratio':>5s}   runs")
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        yard = _yardstick(folder)
        for path in paths:
            times, yards = [], []
            for _ in range(runs):
                _, seconds, error = execute(path)
                if error is not None:
                    print(f"{path}: failed: {error}", file=sys.stderr)
                    failed = True
                    break
                times.append(seconds)
                yards.append(execute(yard)[1])
            if times:
                rel = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
                ratio = statistics.median(t / y for t, y in zip(times, yards))
                print(f"{str(rel):45s} {statistics.median(times):7.2f}s  {statistics.median(yards):8.2f}s  "
                      f"{ratio:5.1f}   " + ", ".join(f"{t:.2f}" for t in times), flush=True)
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
