"""`python -m autograder grade <assignment>`: autograde every submission, N at a time.

    python -m autograder grade week1                  # every student not yet graded, one worker per CPU
    python -m autograder grade week1 --workers 2      # two at a time
    python -m autograder grade week1 --force          # grade everyone again
    python -m autograder grade week1 --student ada --student bob

What it does, from the course root (or --course DIR):

1. Finds the submissions: submitted/<student>/<assignment>/. A student is skipped
   when already graded: autograded/<student>/<assignment>/ holds every submitted
   notebook, with the same timestamp.txt, and the gradebook has the submission
   (--force grades everyone again). So an interrupted run resumes where it stopped.
2. Autogrades each student with nbgrader's own Autograde converter (what
   `nbgrader autograde <assignment> --student <id> --force` runs, with the
   course's nbgrader_config.py), then generates the student's feedback. N worker
   processes do this in parallel (autograder/commands/pool.py); each loads nbgrader
   once and grades one student after another, as nbgrader's formgrader does. BLAS
   libraries get one thread per worker (OMP/OPENBLAS/MKL_NUM_THREADS=1), so N
   workers use N cores. Before the first worker starts, a probe kernel checks that
   grading kernels can import what grading needs (autograder/plugins/probe.py).
3. A student whose grading fails is graded again once, with the plain
   `nbgrader autograde ... --student <id> --force` command in a fresh process; if
   that fails too, the student is reported (and the error log is written to
   grade-<assignment>.log) and the batch goes on.
4. Writes grades_by_test.csv and grades_by_student.csv (autograder/commands/export.py)
   and prints a summary. The exit code is 1 only if some student could not be
   graded at all.

The progress bar (tqdm, on stderr) shows students done, how many were graded and
how many failed, elapsed time and an estimate of the time left; without a
terminal it prints one line per student in the same format.

The gradebook: every worker writes its own students' rows to the one gradebook;
the default SQLite URL gets a busy timeout (autograder/coursedir.py, `db_url`).
tests/grading/test_grade_command.py grades many students with 4 workers and checks
every grade and the database's integrity.
"""

import argparse
import os
import re
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from autograder.commands.export import write_csvs
from autograder.commands.nbgrader_cli import run_nbgrader
from autograder.commands.pool import WorkerPool, single_threaded
from autograder.coursedir import (assignment_notebooks, autograded_ok, db_url, graded_in_gradebook, has_feedback,
                                  is_graded, load_nbgrader_config, submitted_students)


# ---------------------------------------------------------------- progress

def _clock(seconds):
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """tqdm's bar with the graded and failed counts: redrawn in place on a terminal; on anything
    else (a log file, a pipe) the same text, one line per student."""

    FORMAT = "{desc} [{bar:24}] {n_fmt}/{total_fmt} {percentage:3.0f}%  elapsed {elapsed}  ETA {remaining}{postfix}"

    def __init__(self, total, label, stream=None):
        self.total, self.label = total, label
        self.stream = stream if stream is not None else sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.graded = self.failed = 0
        self.start = time.monotonic()
        self.lock = threading.Lock()
        self.bar = tqdm(total=total, desc=label, file=self.stream, bar_format=self.FORMAT, ascii="-#",
                        mininterval=0, disable=not (self.tty and total))

    def _counts(self):
        return f"{self.graded} graded, {self.failed} failed"

    def step(self, ok, note=""):
        with self.lock:
            if ok:
                self.graded += 1
            else:
                self.failed += 1
            postfix = self._counts() + (f"; {note}" if note else "")
            if self.tty:
                self.bar.set_postfix_str(postfix, refresh=False)
                self.bar.update(1)
            else:
                done = self.graded + self.failed
                self.stream.write(tqdm.format_meter(done, self.total, time.monotonic() - self.start,
                                                    prefix=self.label, bar_format=self.FORMAT, ascii="-#",
                                                    postfix=postfix) + "\n")
                self.stream.flush()

    def message(self, text):
        """A line of its own (a failure, say) without breaking the bar."""
        with self.lock:
            if self.tty:
                self.bar.write(text, file=self.stream)
            else:
                self.stream.write(text + "\n")
                self.stream.flush()

    def close(self):
        self.bar.close()


# ---------------------------------------------------------------- grading

@dataclass
class Outcome:
    student: str
    ok: bool = False
    seconds: float = 0.0
    attempts: int = 0
    feedback: bool = False
    error: str = ""
    log: list = field(default_factory=list)


@dataclass
class GradeReport:
    assignment: str
    graded: list = field(default_factory=list)     # Outcome
    failed: list = field(default_factory=list)     # Outcome
    skipped: list = field(default_factory=list)    # student ids, already graded
    seconds: float = 0.0
    workers: int = 1
    feedback: bool = True
    csv_paths: tuple = ()

    @property
    def exit_code(self):
        return 1 if self.failed else 0


def _cause(*texts):
    """The most telling line of nbgrader's log and traceback: the last "SomeError: ..." that is
    not nbgrader's own summary, else the last line."""
    lines = [line.strip() for text in texts for line in (text or "").splitlines() if line.strip()]
    causes = [line for line in lines if re.match(r"^[\w.]*(Error|Exception)\b.*:", line)
              and not line.startswith("nbgrader.")]
    return causes[-1] if causes else (lines[-1] if lines else "unknown error")


def _grade_one(worker, course_dir, assignment, student, notebooks, url, feedback, timeout):
    """Autograde (and make the feedback of) one student: a worker first, then a fresh `nbgrader` process."""
    outcome = Outcome(student)
    start = time.monotonic()
    for attempt in (1, 2):
        outcome.attempts = attempt
        if attempt == 1:
            result = worker.run("autograde", assignment, student, timeout)
        else:
            proc = run_nbgrader(course_dir, "autograde", assignment, "--student", student, "--force",
                                f"--CourseDirectory.db_url={url}", check=False)
            result = {"success": proc.returncode == 0, "log": proc.stdout or "",
                      "error": "" if proc.returncode == 0 else f"nbgrader autograde exited with {proc.returncode}"}
        ok, why = autograded_ok(course_dir, assignment, student, notebooks)
        if result.get("success") and ok:
            outcome.ok = True
            break
        outcome.error = _cause(result.get("log"), result.get("error")) if not result.get("success") else why
        outcome.log.append(f"--- attempt {attempt}: {outcome.error}\n{result.get('error', '')}\n"
                           f"{result.get('log', '')}")
    if outcome.ok and feedback:
        result = worker.run("feedback", assignment, student, timeout)
        if not result.get("success"):
            proc = run_nbgrader(course_dir, "generate_feedback", assignment, "--student", student, "--force",
                                f"--CourseDirectory.db_url={url}", check=False)
            result = {"success": proc.returncode == 0, "log": proc.stdout or ""}
        outcome.feedback = bool(result.get("success")) and has_feedback(course_dir, assignment, student)
        if not outcome.feedback:
            outcome.log.append(f"--- feedback failed\n{result.get('error', '')}\n{result.get('log', '')}")
    outcome.seconds = time.monotonic() - start
    return outcome


def grade(course_dir, assignment, workers=None, force=False, students=None, feedback=True, export=True,
          timeout=3600, stream=None):
    """Autograde the assignment's submissions in parallel. Returns a GradeReport (see the module docstring).

    Inputs:
    - course_dir: the course root
    - workers: worker processes (default: the number of CPUs)
    - force: grade students that are already graded again
    - students: only these student ids (default: every submission)
    - feedback: generate the feedback pages; export: write the two CSV files
    - timeout: seconds one student may take before its worker is stopped
    - stream: where the progress bar goes (default stderr)
    """
    import fcntl

    course_dir = Path(course_dir).resolve()
    lock_file = open(course_dir / f".grade-{assignment}.lock", "w")
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock_file.close()
        raise SystemExit(f"another `grade {assignment}` is running in {course_dir}")
    try:
        return _grade(course_dir, assignment, workers, force, students, feedback, export, timeout, stream)
    finally:
        lock_file.close()  # releases the lock


def _plan(course_dir, assignment, url, notebooks, force, students, feedback, report):
    """(students to grade, students that only need their feedback); the others go to report.skipped."""
    everyone = submitted_students(course_dir, assignment)
    if students:
        unknown = sorted(set(students) - set(everyone))
        if unknown:
            raise SystemExit(f"no submission of {assignment} for: {', '.join(unknown)}")
        everyone = [s for s in everyone if s in set(students)]
    in_gradebook = graded_in_gradebook(url, assignment)
    todo, feedback_only = [], []
    for student in everyone:
        if not force and is_graded(course_dir, assignment, student, notebooks, in_gradebook):
            report.skipped.append(student)
            if feedback and not has_feedback(course_dir, assignment, student):
                feedback_only.append(student)
        else:
            todo.append(student)
    return todo, feedback_only


def _grade(course_dir, assignment, workers, force, students, feedback, export, timeout, stream):
    from autograder.plugins.probe import check_environment, mark_checked

    start = time.monotonic()
    config = load_nbgrader_config(course_dir)
    url = db_url(course_dir, config)
    workers = max(1, workers or os.cpu_count() or 1)
    notebooks = assignment_notebooks(url, assignment)
    if not notebooks:
        raise SystemExit(f"assignment {assignment!r} is not in the gradebook: run "
                         f"`nbgrader generate_assignment {assignment}` first")
    report = GradeReport(assignment, workers=workers, feedback=feedback)
    todo, feedback_only = _plan(course_dir, assignment, url, notebooks, force, students, feedback, report)
    if todo:
        check_environment(config, course_dir, assignment)
        mark_checked(course_dir, assignment)

    log_dir = Path(os.environ.get("TMPDIR", "/tmp"))
    worker_log = Path(tempfile.mkstemp(prefix=f"autograder-{assignment}-", suffix=".log", dir=log_dir)[1])
    progress = Progress(len(todo), f"grading {assignment}", stream)
    lock = threading.Lock()

    def grade_student(worker, student):
        try:
            return _grade_one(worker, course_dir, assignment, student, notebooks, url, feedback, timeout)
        except Exception:
            outcome = Outcome(student, error=_cause(traceback.format_exc()))
            outcome.log.append(traceback.format_exc())
            worker.stop(kill=True)
            return outcome

    def graded(student, outcome):
        with lock:
            (report.graded if outcome.ok else report.failed).append(outcome)
        if outcome.ok:
            progress.step(True, f"{student}: graded in {outcome.seconds:.0f} s")
        else:
            progress.message(f"FAILED {student}: {outcome.error}")
            progress.step(False, f"{student}: failed")

    def feedback_of(worker, student):  # students graded earlier, feedback missing
        return worker.run("feedback", assignment, student, timeout)

    pool = WorkerPool(course_dir, url, worker_log, size=min(workers, max(len(todo) + len(feedback_only), 1)))
    try:
        with single_threaded():  # also for the `nbgrader` processes of the second attempts
            pool.run([(todo, grade_student, graded), (feedback_only, feedback_of, None)])
    finally:
        progress.close()

    report.graded.sort(key=lambda o: o.student)
    report.failed.sort(key=lambda o: o.student)
    if report.failed:
        with open(course_dir / f"grade-{assignment}.log", "w") as f:
            for o in report.failed:
                f.write(f"===== {o.student}\n" + "\n".join(o.log) + "\n")
    try:
        os.unlink(worker_log)
    except OSError:
        pass
    if export:
        report.csv_paths = write_csvs(course_dir, assignment, url=url)
    report.seconds = time.monotonic() - start
    return report


def summary(report, course_dir):
    course_dir = Path(course_dir).resolve()
    n = len(report.graded) + len(report.failed) + len(report.skipped)
    lines = [f"{report.assignment}: {n} submission(s): {len(report.graded)} graded, "
             f"{len(report.skipped)} already graded (skipped), {len(report.failed)} failed; "
             f"{_clock(report.seconds)} with {report.workers} worker(s)."]
    for o in report.failed:
        lines.append(f"  FAILED {o.student} (after {o.attempts} attempts): {o.error}")
    if report.failed:
        lines.append(f"  Error logs: {course_dir / f'grade-{report.assignment}.log'}")
    no_feedback = [o.student for o in report.graded if not o.feedback]
    if no_feedback and report.feedback:
        lines.append(f"  No feedback for: {', '.join(no_feedback)}")
    if report.csv_paths:
        lines.append(f"Grades per test:    {report.csv_paths[0]}")
        lines.append(f"Grades per student: {report.csv_paths[1]}")
    if report.feedback:
        lines.append(f"Feedback (HTML):    {course_dir / 'feedback'}/<student>/{report.assignment}/")
    return "\n".join(lines)


def add_arguments(parser):
    parser.add_argument("assignment")
    parser.add_argument("--workers", "-j", type=int, default=None,
                        help=f"worker processes (default: the number of CPUs, {os.cpu_count()})")
    parser.add_argument("--force", action="store_true", help="grade students that are already graded again")
    parser.add_argument("--student", action="append", metavar="ID", help="only this student (repeatable)")
    parser.add_argument("--no-feedback", action="store_true", help="skip generate_feedback")
    parser.add_argument("--no-export", action="store_true", help="skip writing the CSV files")
    parser.add_argument("--timeout", type=float, default=3600,
                        help="seconds one student may take before its worker is stopped (default 3600)")
    parser.add_argument("--course", default=".", help="the course root (default: the current directory)")


def main(args):
    course = Path(args.course).resolve()
    if not (course / "nbgrader_config.py").exists():
        print(f"{course} has no nbgrader_config.py: run from the course root or pass --course", file=sys.stderr)
        return 2
    try:
        report = grade(course, args.assignment, workers=args.workers, force=args.force, students=args.student,
                       feedback=not args.no_feedback, export=not args.no_export, timeout=args.timeout)
    except KeyboardInterrupt:
        print("\nInterrupted: the students graded so far are kept; run the same command again to resume.",
              file=sys.stderr)
        return 130
    print(summary(report, course))
    return report.exit_code


if __name__ == "__main__":
    p = argparse.ArgumentParser(prog="python -m autograder.commands.grade")
    add_arguments(p)
    sys.exit(main(p.parse_args()))
