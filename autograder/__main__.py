"""Instructor commands: `python -m autograder <command>`.

    release [week ...]   regenerate release/ from source/ with nbgrader
    clean                strip outputs and metadata from the source notebooks
    grade <assignment>   autograde every submission in parallel (resumable), feedback, CSV
    export <assignment>  grades as CSV: per test (with reasons) and per student
    report <assignment>  the class's mistakes per graded function: an HTML page and a table
    demo                 grade bundled sample submissions in a throwaway course
"""

import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_release = sub.add_parser("release", help="regenerate release/ from source/")
    p_release.add_argument("weeks", nargs="*")
    sub.add_parser("clean", help="strip outputs and metadata from source notebooks")
    from autograder.commands import export, grade, report
    grade.add_arguments(sub.add_parser("grade", help="autograde every submission with N workers"))
    export.add_arguments(sub.add_parser("export", help="grades as CSV, per test and per student"))
    report.add_arguments(sub.add_parser("report", help="the class's mistakes: an HTML page and a table"))
    p_demo = sub.add_parser("demo", help="autograde sample submissions in a throwaway course")
    p_demo.add_argument("--keep", metavar="DIR", help="build the demo course here and keep it")
    args = parser.parse_args(argv)

    if args.command == "release":
        from autograder.commands.release import generate_release
        for path in generate_release(assignments=args.weeks or None):
            print(f"wrote {path}")
    elif args.command == "clean":
        from autograder.commands.release import clean_sources
        changed = clean_sources()
        print("\n".join(f"cleaned {p}" for p in changed) or "all source notebooks are clean")
    elif args.command == "grade":
        return grade.main(args)
    elif args.command == "export":
        return export.main(args)
    elif args.command == "report":
        return report.main(args)
    elif args.command == "demo":
        from autograder.commands.demo import main as demo_main
        return demo_main(keep=args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
