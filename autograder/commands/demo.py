"""`python -m autograder demo`: the grader at work on bundled sample submissions.

Builds a throwaway course directory, generates the assignments from source/,
hands in the demo class of autograder/commands/samples.py (`demo_class`: week 1:
perfect, one mistake, untouched, an endless loop, a kernel crash, a deleted test cell,
a corrupted file, and three students with common mistakes; week 2: perfect, the
original course's style, a missing bias correction, untouched, and three more with
common mistakes; week 3: perfect, three mistakes, untouched) and grades them with
the real nbgrader through `python -m autograder grade` (autograde and generate_feedback, two workers, then the CSV export). Prints
each student's score per notebook, why the others lost points, and where the
feedback pages, the CSV files and the class's mistake reports
(`python -m autograder report`) are.
"""

import os
import tempfile
import time
from pathlib import Path

from autograder.commands.grade import grade
from autograder.commands.nbgrader_cli import run_nbgrader
from autograder.commands.samples import demo_class, hand_in
from autograder.coursedir import make_course, notebook_scores


def grade_samples(course_dir, samples=None, workers=2, stream=None):
    """Generate, hand in, then `python -m autograder grade` (autograde, feedback, CSV) each assignment.

    Returns {assignment: notebook_scores}; the grade reports are in grade_samples.reports.
    """
    samples = samples if samples is not None else demo_class()
    results, grade_samples.reports = {}, {}
    for assignment, students in samples.items():
        run_nbgrader(course_dir, "generate_assignment", assignment, "--force")
        for student, recipe in students.items():
            hand_in(course_dir, assignment, student, recipe)
        report = grade(course_dir, assignment, workers=workers, force=True, stream=stream)
        grade_samples.reports[assignment] = report
        results[assignment] = notebook_scores(course_dir, assignment)
    return results


def format_table(results):
    lines = []
    for assignment, by_student in results.items():
        notebooks = sorted({nb for s in by_student.values() for nb in s})
        header = ["student"] + notebooks + ["total"]
        rows = []
        for student, scores in sorted(by_student.items()):
            total = sum(s for s, _ in scores.values())
            max_total = sum(m for _, m in scores.values())
            rows.append([student] + [f"{scores[nb][0]:g} / {scores[nb][1]:g}" for nb in notebooks]
                        + [f"{total:g} / {max_total:g}"])
        widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
        lines.append(f"\n{assignment}")
        lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths)))
        lines.extend("  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows)
    return "\n".join(lines)


def format_reasons(course_dir, assignment, limit=150):
    """Why each student lost points, from grades_by_test.csv: one line per student and notebook,
    tests with the same status and reason merged; then the grader's notes (grades_by_student.csv)."""
    import csv

    def cut(text):
        return text if len(text) <= limit else text[: limit - 1] + "…"

    course_dir = Path(course_dir)
    groups = {}
    with open(course_dir / "grades_by_test.csv") as f:
        for row in csv.DictReader(f):
            if row["assignment"] != assignment or row["status"] == "ok":
                continue
            key = (row["student"], row["notebook"], row["status"], row["reason"])
            groups.setdefault(key, []).append(row)
    lines = []
    for (student, notebook, status, reason), rows in groups.items():
        points = sum(float(r["points"] or 0) for r in rows)
        max_points = sum(float(r["max_points"] or 0) for r in rows)
        tests = rows[0]["test"] if len(rows) == 1 else f"{len(rows)} tests"
        lines.append(f"  {student:18s} {notebook}, {tests}: {points:g}/{max_points:g} {status}"
                     + (f": {cut(reason)}" if reason else ""))
    with open(course_dir / "grades_by_student.csv") as f:
        for row in csv.DictReader(f):
            if row["assignment"] == assignment and row["notes"]:
                lines.append(f"  {row['student']:18s} note: {cut(row['notes'])}")
    return "\n".join(lines)


def main(keep=None, workers=2):
    from autograder.plugins.sandbox import sandbox_available

    ok, reason = sandbox_available()
    if not ok:
        # The samples are ours, so grading them unsandboxed is safe; real submissions never are.
        print(f"WARNING: no sandbox ({reason}); grading the bundled samples unsandboxed.")
        os.environ["AUTOGRADER_UNSANDBOXED"] = "1"
    course_dir = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="idnn-demo-"))
    make_course(course_dir, list(demo_class()))
    print(f"Demo course: {course_dir}")
    print(f"Grading the sample submissions with the real nbgrader, {workers} workers "
          "(a few minutes: the endless loop waits for the per-cell time limit)...", flush=True)
    start = time.perf_counter()
    results = grade_samples(course_dir, workers=workers)
    print(format_table(results))
    for assignment in results:
        print(f"\nWhy points were lost ({assignment}; grades_by_test.csv has every test):")
        print(format_reasons(course_dir, assignment))
    failed = [o.student for r in grade_samples.reports.values() for o in r.failed]
    if failed:
        print(f"\nCould not grade: {', '.join(failed)}")
    print(f"\nGraded in {time.perf_counter() - start:.0f} s.")
    print(f"Feedback (HTML):    {course_dir / 'feedback'}/<student>/<assignment>/<notebook>.html")
    print(f"Grades per test:    {course_dir / 'grades_by_test.csv'}")
    print(f"Grades per student: {course_dir / 'grades_by_student.csv'}")
    from autograder.commands.report import write_report
    for assignment in results:
        _, page = write_report(course_dir, assignment)
        print(f"Mistakes of the class ({assignment}): {page}")
    return 1 if failed else 0
