"""`python -m autograder export <assignment>`: the grades as CSV, per test and per student.

    python -m autograder export week1                          # grades_by_test.csv, grades_by_student.csv
    python -m autograder export week1 -o week1_tests.csv --students week1_students.csv

grades_by_test.csv has one row per student x notebook x graded test:
student, assignment, notebook, test (the cell's grade_id), points, max_points,
status, reason, tag, flags. tag is the judge's stable mistake tag
(`he.scale_sqrt_1_over_n`) when a hidden check failed. status is one of

- ok: full points
- failed: the test ran and failed; reason is its message, "ename: evalue"
- timeout / kernel died / not run: the test was interrupted or could not run (reason says why)
- broken: the notebook file could not be read; reason says why
- missing: the student did not hand in this notebook
- not graded: the submission is not in the gradebook (grading failed)
- needs manual grading: nbgrader left the grade to a person
- flagged: full points, but the notebook is flagged (it imports `autograder` or
  opens course files); the flags column says what was seen

grades_by_student.csv has one row per student: student, assignment, score,
max_score, status (ok, or what needs a look: broken / flagged / missing / not
graded / needs manual grading, with the notebooks named) and notes (restored
test cells, kernel events).

Both files hold every assignment exported so far: exporting an assignment
replaces its rows and keeps the others'.

Scores come from the gradebook (nbgrader.api.Gradebook), reasons from the
autograded notebooks (each test cell's error output) and the notes
autograder's preprocessors leave next to them,
autograded/<student>/<assignment>/<notebook>.autograder.json (autograder/plugins/sidecar.py).
"""

import csv
import re
from pathlib import Path

import nbformat

from autograder.coursedir import course_argument, db_url, gradebook, handed_in, submitted_students
from autograder.plugins.cells import grade_id
from autograder.plugins.sidecar import read_sidecar, sidecar_file

TEST_FIELDS = ["student", "assignment", "notebook", "test", "points", "max_points", "status", "reason", "tag",
               "flags"]
STUDENT_FIELDS = ["student", "assignment", "score", "max_score", "status", "notes"]
STATUS_BY_ENAME = {"BrokenSubmission": "broken", "KernelDied": "kernel died", "NotRun": "not run",
                   "CellTimeout": "timeout"}
RESTORED = "test cell restored from the gradebook"


def _one_line(text, limit=500):
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(text or ""))  # ANSI colours
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(x):
    return f"{x:g}" if isinstance(x, (int, float)) else ""


def _cell_errors(nb):
    """{grade_id: first error output as "ename: evalue"} and the grade_ids in cell order."""
    errors, order = {}, []
    for cell in nb.cells:
        gid = grade_id(cell)
        if not gid or cell.cell_type != "code":
            continue
        order.append(gid)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                ename, evalue = out.get("ename", ""), _one_line(out.get("evalue", ""))
                errors[gid] = (ename, f"{ename}: {evalue}" if evalue else ename)
                break
    return errors, order


def _read_notebook(path):
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception:
        return None


def collect(course_dir, assignment, url=None):
    """(test rows, student rows) as lists of dicts (see the module docstring)."""
    from nbgrader.api import MissingEntry

    course_dir = Path(course_dir).resolve()
    url = url if url is not None else db_url(course_dir)
    folders = set(submitted_students(course_dir, assignment))
    test_rows, student_rows = [], []
    with gradebook(url) as gb:
        try:
            spec = gb.find_assignment(assignment)
        except MissingEntry:
            raise SystemExit(f"assignment {assignment!r} is not in the gradebook")
        notebooks = sorted(nb.name for nb in spec.notebooks)
        cells_by_nb = {nb.name: [(c.name, c.max_score) for c in nb.grade_cells] for nb in spec.notebooks}
        subs = {s.student.id: s for s in gb.assignment_submissions(assignment)}
        for student in sorted(set(subs) | folders):
            sub = subs.get(student)
            problems, notes = [], []
            for name in notebooks:
                graded_dir = course_dir / "autograded" / student / assignment
                submitted = handed_in(course_dir, assignment, student, name)
                side = read_sidecar(sidecar_file(graded_dir, name))
                nb = _read_notebook(graded_dir / f"{name}.ipynb")
                errors, order = _cell_errors(nb) if nb is not None else ({}, [])
                if nb is None:
                    release = _read_notebook(course_dir / "release" / assignment / f"{name}.ipynb")
                    order = _cell_errors(release)[1] if release is not None else []
                grades = {}
                if sub is not None:
                    try:
                        grades = {g.name: g for g in gb.find_submission_notebook(name, assignment, student).grades}
                    except MissingEntry:
                        grades = {}
                broken = side["broken"]
                if not broken:
                    broken = next((r for e, r in errors.values() if e == "BrokenSubmission"), None)
                flags = [str(f) for f in side["flags"]]
                restored = set(side["restored_cells"])
                if broken:
                    problems.append(f"broken: {name}")
                if flags:
                    problems.append(f"flagged: {name} ({'; '.join(flags)})")
                if sub is not None and not submitted and not broken:
                    problems.append(f"missing: {name}")
                if restored:
                    notes.append(f"{name}: restored test cells {', '.join(sorted(restored))}")
                notes += [f"{name}: {e}" for e in side["events"]]
                cells = dict(cells_by_nb[name])
                ranked = [g for g in order if g in cells] + sorted(g for g in cells if g not in order)
                for test in ranked:
                    grade = grades.get(test)
                    points = grade.score if grade is not None else None
                    max_points = grade.max_score if grade is not None else cells[test]
                    ename, message = errors.get(test, ("", ""))
                    if sub is None:
                        status, reason = "not graded", "the submission is not in the gradebook"
                    elif broken:
                        status, reason = "broken", _one_line(broken)
                    elif not submitted:
                        status, reason = "missing", "notebook not submitted"
                    elif grade is None:
                        status, reason = "not graded", "no grade in the gradebook"
                    elif grade.needs_manual_grade:
                        status, reason = "needs manual grading", message
                    elif points >= max_points:
                        status, reason = ("flagged" if flags else "ok"), ""
                    else:
                        status = STATUS_BY_ENAME.get(ename, "failed")
                        reason = message
                    if test in restored:
                        reason = "; ".join(r for r in (reason, RESTORED) if r)
                    failed = [v for v in side.get("verdicts", {}).get(test, []) if not v.get("passed")]
                    tag = failed[0].get("tag", "") if failed and status not in ("ok", "flagged") else ""
                    test_rows.append({"student": student, "assignment": assignment, "notebook": name,
                                      "test": test, "points": _number(points), "max_points": _number(max_points),
                                      "status": status, "reason": reason, "tag": tag, "flags": "; ".join(flags)})
            if sub is None:
                problems = ["not graded"]
            elif sub.needs_manual_grade:
                problems.append("needs manual grading")
            student_rows.append({"student": student, "assignment": assignment,
                                 "score": _number(sub.score) if sub is not None else "",
                                 "max_score": _number(spec.max_score),
                                 "status": "; ".join(problems) or "ok", "notes": "; ".join(notes)})
    return test_rows, student_rows


def _merge(path, fields, rows, assignment):
    """Rows of other assignments already in the file, then these."""
    kept = []
    if path.exists():
        with open(path, newline="") as f:
            kept = [r for r in csv.DictReader(f) if r.get("assignment") != assignment]
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore", restval="")
        writer.writeheader()
        writer.writerows(sorted(kept + rows, key=lambda r: r["assignment"]))  # stable: test order kept


def write_csvs(course_dir, assignment, by_test=None, by_student=None, url=None):
    """Write both CSV files (default: grades_by_test.csv, grades_by_student.csv in the course root).

    Returns (by_test path, by_student path).
    """
    course_dir = Path(course_dir).resolve()
    by_test = Path(by_test) if by_test else course_dir / "grades_by_test.csv"
    by_student = Path(by_student) if by_student else course_dir / "grades_by_student.csv"
    test_rows, student_rows = collect(course_dir, assignment, url=url)
    _merge(by_test, TEST_FIELDS, test_rows, assignment)
    _merge(by_student, STUDENT_FIELDS, student_rows, assignment)
    return by_test, by_student


def add_arguments(parser):
    parser.add_argument("assignment")
    parser.add_argument("-o", "--output", metavar="FILE", help="per-test CSV (default: grades_by_test.csv)")
    parser.add_argument("--students", metavar="FILE", help="per-student CSV (default: grades_by_student.csv)")
    parser.add_argument("--course", default=".", help="the course root (default: the current directory)")


def main(args):
    course = course_argument(args.course)
    if course is None:
        return 2
    by_test, by_student = write_csvs(course, args.assignment, args.output, args.students)
    print(f"Grades per test:    {by_test}\nGrades per student: {by_student}")
    return 0
