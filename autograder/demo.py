"""`python -m autograder demo`: the grader at work on bundled sample submissions.

Builds a throwaway course directory, generates the assignments from source/,
hands in the samples of autograder/samples.py, and runs the real nbgrader:
autograde, generate_feedback and export. Prints each student's score per notebook.
"""

import os
import shutil
import tempfile
import time
from pathlib import Path

from autograder import notebook_tools as nbt
from autograder.nbgrader_cli import run_nbgrader
from autograder.release import COURSE_ROOT
from autograder.samples import SAMPLES


def make_course(target, assignments):
    """A course directory at target with this course's config and the given source weeks."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(COURSE_ROOT / "nbgrader_config.py", target / "nbgrader_config.py")
    for week in assignments:
        shutil.copytree(COURSE_ROOT / "source" / week, target / "source" / week, dirs_exist_ok=True)
    return target


def hand_in(course_dir, assignment, student, recipe):
    """Write submitted/<student>/<assignment>/ from the release and the source answers."""
    course_dir = Path(course_dir)
    out = course_dir / "submitted" / student / assignment
    out.mkdir(parents=True, exist_ok=True)
    for release_path in nbt.notebooks(course_dir / "release" / assignment):
        nb = nbt.read(release_path)
        if recipe is not None:
            source_nb = nbt.read(course_dir / "source" / assignment / release_path.name)
            nb = nbt.fill_solutions(nb, source_nb, replace=recipe.get("answers"))
        nbt.write(nb, out / release_path.name)
    return out


def notebook_scores(course_dir, assignment):
    """{student: {notebook: (score, max_score)}} from the gradebook."""
    from nbgrader.api import Gradebook

    url = f"sqlite:///{Path(course_dir) / 'gradebook.db'}"
    scores = {}
    with Gradebook(url) as gb:
        for sub in gb.assignment_submissions(assignment):
            scores[sub.student.id] = {nb.name: (nb.score, nb.max_score) for nb in sub.notebooks}
    return scores


def grade_samples(course_dir, samples=SAMPLES):
    """Generate, hand in, autograde, feedback, export. Returns {assignment: notebook_scores}."""
    results = {}
    for assignment, students in samples.items():
        run_nbgrader(course_dir, "generate_assignment", assignment, "--force")
        for student, recipe in students.items():
            hand_in(course_dir, assignment, student, recipe)
        run_nbgrader(course_dir, "autograde", assignment, "--force")
        run_nbgrader(course_dir, "generate_feedback", assignment, "--force")
        results[assignment] = notebook_scores(course_dir, assignment)
    run_nbgrader(course_dir, "export")
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


def main(keep=None):
    from autograder.sandbox import sandbox_available

    ok, reason = sandbox_available()
    if not ok:
        # The samples are ours, so grading them unsandboxed is safe; real submissions never are.
        print(f"WARNING: no sandbox ({reason}); grading the bundled samples unsandboxed.")
        os.environ["AUTOGRADER_UNSANDBOXED"] = "1"
    course_dir = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="idnn-demo-"))
    make_course(course_dir, list(SAMPLES))
    print(f"Demo course: {course_dir}")
    print("Grading the sample submissions with the real nbgrader (about a minute)...")
    start = time.perf_counter()
    results = grade_samples(course_dir)
    print(format_table(results))
    print(f"\nGraded in {time.perf_counter() - start:.0f} s.")
    print(f"Feedback (HTML): {course_dir / 'feedback'}")
    print(f"Scores (CSV):    {course_dir / 'grades.csv'}")
    return 0
