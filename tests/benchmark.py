"""Benchmark: how long each solution notebook takes top to bottom on a real kernel.

    python -m tests.benchmark            # every source notebook, 3 runs each
    python -m tests.benchmark --runs 5 source/week1/initialization.ipynb

Reports the median and every run (kernel start-up included, as a student sees it).
Not a test: the numbers go in the README and the closing notes.
"""

import argparse
import statistics
import sys
from pathlib import Path

from tests.notebook_runner import ROOT, execute


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "source").glob("week*/*.ipynb"))
    print(f"{'notebook':45s} {'median':>8s}   runs")
    failed = False
    for path in paths:
        times = []
        for _ in range(args.runs):
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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
