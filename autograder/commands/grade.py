"""`python -m autograder grade <assignment>`: autograde every submission on a Dask cluster.

    python -m autograder grade week1                  # every student not yet graded, one worker per CPU
    python -m autograder grade week1 --workers 2      # a local cluster of two worker processes
    python -m autograder grade week1 --scheduler tcp://HOST:8786      # the workers of an existing cluster
    python -m autograder grade week1 --db postgresql://grader@dbhost/course   # another gradebook
    python -m autograder grade week1 --force          # grade everyone again
    python -m autograder grade week1 --student ada --student bob

What it does, from the course root (or --course DIR):

1. Finds the submissions: submitted/<student>/<assignment>/. A student is skipped
   when already graded: autograded/<student>/<assignment>/ holds every submitted
   notebook, with the same timestamp.txt, and the gradebook has the submission
   (--force grades everyone again). So a stopped run (Ctrl-C, a crashed client)
   resumes where it stopped.
2. Grades each student in one Dask task (autograder/commands/grading_task.py): the
   task gets the student's files and the assignment's (config, source, release, a
   gradebook holding only the assignment) as data, runs nbgrader's autograde and
   generate_feedback with the course's nbgrader_config.py in a private course
   directory on the worker, and returns the autograded notebooks, sidecars,
   feedback pages and scores. Without --scheduler a local cluster of --workers
   processes (one thread each, BLAS single-threaded) does it: nothing to start by
   hand. A failed autograde is tried again once inside the task with the plain
   `nbgrader` command; a task whose worker dies is rerun by the scheduler
   (autograder/commands/dask_client.py). A student that still cannot be graded is
   reported (the error log goes to grade-<assignment>.log) and the batch goes on.
   Grading kernels must import what grading needs (autograder/plugins/probe.py):
   probed here for a local cluster, once per worker process on another cluster;
   if not, the run stops before any score is written.
3. This process is the gradebook's only writer: each result goes into the course
   directory and, through nbgrader's API, into the gradebook (nbgrader's db_url:
   the course's SQLite gradebook.db by default; --db or c.CourseDirectory.db_url
   for PostgreSQL). Writing a result twice changes nothing
   (autograder/commands/gradebook_sync.py). Students graded earlier whose
   feedback is missing get it here, with `nbgrader generate_feedback`.
4. Writes grades_by_test.csv and grades_by_student.csv (autograder/commands/export.py)
   and prints a summary. The exit code is 1 only if some student could not be
   graded at all.

The progress bar (tqdm, on stderr) shows students done, how many were graded,
failed and retried, elapsed time and an estimate of the time left; without a
terminal it prints one line per student in the same format.
"""

import argparse
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from autograder.commands.export import write_csvs
from autograder.commands.nbgrader_cli import run_nbgrader
from autograder.coursedir import (assignment_notebooks, course_argument, db_url, graded_in_gradebook, has_feedback,
                                  is_graded, load_nbgrader_config, submitted_students)


# ---------------------------------------------------------------- progress

def _clock(seconds):
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """tqdm's bar with the graded, failed and retried counts: redrawn in place on a terminal; on anything
    else (a log file, a pipe) the same text, one line per student."""

    FORMAT = "{desc} [{bar:24}] {n_fmt}/{total_fmt} {percentage:3.0f}%  elapsed {elapsed}  ETA {remaining}{postfix}"

    def __init__(self, total, label, stream=None):
        self.total, self.label = total, label
        self.stream = stream if stream is not None else sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.graded = self.failed = self.retried = 0
        self.start = time.monotonic()
        self.lock = threading.Lock()
        self.bar = tqdm(total=total, desc=label, file=self.stream, bar_format=self.FORMAT, ascii="-#",
                        mininterval=0, disable=not (self.tty and total))

    def _counts(self):
        return f"{self.graded} graded, {self.failed} failed, {self.retried} retried"

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
    seconds: float = 0.0      # inside the task, on the worker
    attempts: int = 0
    feedback: bool = False
    error: str = ""
    log: list = field(default_factory=list)
    worker: str = ""
    received: float = 0.0     # when the client had the result (time.monotonic())


@dataclass
class GradeReport:
    assignment: str
    graded: list = field(default_factory=list)     # Outcome
    failed: list = field(default_factory=list)     # Outcome
    skipped: list = field(default_factory=list)    # student ids, already graded
    retried: list = field(default_factory=list)    # student ids whose task started again
    seconds: float = 0.0
    workers: int = 1
    feedback: bool = True
    csv_paths: tuple = ()
    url: str = ""
    started: dict = field(default_factory=dict)    # student -> first start (time.monotonic(), client clock)

    @property
    def exit_code(self):
        return 1 if self.failed else 0


def grade(course_dir, assignment, workers=None, force=False, students=None, feedback=True, export=True,
          timeout=3600, stream=None, scheduler=None, db=None):
    """Autograde the assignment's submissions on a Dask cluster. Returns a GradeReport (see the module docstring).

    Inputs:
    - course_dir: the course root
    - workers: worker processes of the local cluster (default: the number of CPUs); ignored with scheduler
    - force: grade students that are already graded again
    - students: only these student ids (default: every submission)
    - feedback: generate the feedback pages; export: write the two CSV files
    - timeout: seconds one student may take before its task is stopped
    - stream: where the progress bar goes (default stderr)
    - scheduler: the address of an existing Dask scheduler (tcp://HOST:PORT)
    - db: the gradebook's URL (default: the course's nbgrader db_url)
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
        return _grade(course_dir, assignment, workers, force, students, feedback, export, timeout, stream,
                      scheduler, db)
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


def _grade(course_dir, assignment, workers, force, students, feedback, export, timeout, stream, scheduler, db):
    from autograder.commands import dask_client
    from autograder.commands.gradebook_sync import GradebookWriter
    from autograder.plugins.probe import GradingEnvironmentError, check_environment

    start = time.monotonic()
    config = load_nbgrader_config(course_dir)
    url = db_url(course_dir, config, override=db)
    workers = max(1, workers or os.cpu_count() or 1)
    notebooks = assignment_notebooks(url, assignment)
    if not notebooks:
        raise SystemExit(f"assignment {assignment!r} is not in the gradebook ({url}): run "
                         f"`nbgrader generate_assignment {assignment}` first")
    report = GradeReport(assignment, workers=workers, feedback=feedback, url=url)
    todo, feedback_only = _plan(course_dir, assignment, url, notebooks, force, students, feedback, report)
    progress = Progress(len(todo), f"grading {assignment}", stream)
    writer = GradebookWriter(url, on_wait=progress.message)
    fatal = []

    def started(event, retried):
        report.started.setdefault(event["student"], time.monotonic())
        if retried:
            report.retried.append(event["student"])
            progress.retried += 1
            progress.message(f"retrying {event['student']} (its task started again on {event.get('worker')})")

    def finished(result):
        outcome = Outcome(result["student"], ok=result.get("ok", False), seconds=result.get("seconds", 0.0),
                          attempts=result.get("attempts", 0), error=result.get("error", ""),
                          log=list(result.get("log", [])), worker=result.get("worker", ""),
                          received=time.monotonic())
        if result.get("fatal"):
            fatal.append(result["fatal"])
        if outcome.ok:
            try:
                dask_client.save_result(course_dir, writer, assignment, result)
                outcome.feedback = feedback and has_feedback(course_dir, assignment, outcome.student)
            except Exception as exc:  # the gradebook refused it: this student only
                outcome.ok, outcome.error = False, f"could not save the result: {type(exc).__name__}: {exc}"
                outcome.log.append(outcome.error)
        (report.graded if outcome.ok else report.failed).append(outcome)
        if outcome.ok:
            progress.step(True, f"{outcome.student}: graded in {outcome.seconds:.0f} s")
        else:
            progress.message(f"FAILED {outcome.student}: {outcome.error}")
            progress.step(False, f"{outcome.student}: failed")

    try:
        if todo:
            bundle = dask_client.assignment_bundle(course_dir, url, assignment, notebooks,
                                                   config.CourseDirectory.get("course_id", "") or "default_course")
            if not scheduler:  # a local cluster's workers are this Python: one probe here does for all
                check_environment(config, course_dir, assignment)
                bundle["probed"] = True
            with dask_client.cluster(workers=min(workers, len(todo)), scheduler=scheduler) as client:
                report.workers = dask_client.worker_count(client) or report.workers
                dask_client.run(client, bundle, course_dir, todo, feedback, timeout, started, finished)
    finally:
        progress.close()
        writer.close()
    if fatal:
        raise GradingEnvironmentError(fatal[0])
    for student in feedback_only:  # graded earlier, feedback missing: the course's own gradebook has the grades
        run_nbgrader(course_dir, "generate_feedback", assignment, "--student", student, "--force",
                     f"--CourseDirectory.db_url={url}", check=False)

    report.graded.sort(key=lambda o: o.student)
    report.failed.sort(key=lambda o: o.student)
    if report.failed:
        with open(course_dir / f"grade-{assignment}.log", "w") as f:
            for o in report.failed:
                f.write(f"===== {o.student}\n" + "\n".join(o.log) + "\n")
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
    if report.retried:
        lines.append(f"  Retried (a worker died or a task raised): {', '.join(sorted(set(report.retried)))}")
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
                        help=f"worker processes of the local Dask cluster (default: the number of CPUs, "
                             f"{os.cpu_count()})")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="grade on the workers of this Dask scheduler instead of a local cluster")
    parser.add_argument("--db", metavar="URL", help="the gradebook (default: nbgrader's db_url, the course's "
                                                    "gradebook.db), e.g. postgresql://user@host/dbname")
    parser.add_argument("--force", action="store_true", help="grade students that are already graded again")
    parser.add_argument("--student", action="append", metavar="ID", help="only this student (repeatable)")
    parser.add_argument("--no-feedback", action="store_true", help="skip generate_feedback")
    parser.add_argument("--no-export", action="store_true", help="skip writing the CSV files")
    parser.add_argument("--timeout", type=float, default=3600,
                        help="seconds one student may take before its task is stopped (default 3600)")
    parser.add_argument("--course", default=".", help="the course root (default: the current directory)")


def main(args):
    course = course_argument(args.course)
    if course is None:
        return 2
    try:
        report = grade(course, args.assignment, workers=args.workers, force=args.force, students=args.student,
                       feedback=not args.no_feedback, export=not args.no_export, timeout=args.timeout,
                       scheduler=args.scheduler, db=args.db)
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
