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
   processes do this in parallel; each loads nbgrader once and grades one student
   after another, as nbgrader's formgrader does. BLAS libraries get one thread per
   worker (OMP/OPENBLAS/MKL_NUM_THREADS=1), so N workers use N cores.
3. A student whose grading fails is graded again once, with the plain
   `nbgrader autograde ... --student <id> --force` command in a fresh process; if
   that fails too, the student is reported (and the error log is written to
   grade-<assignment>.log) and the batch goes on.
4. Writes grades_by_test.csv and grades_by_student.csv (autograder/export.py)
   and prints a summary. The exit code is 1 only if some student could not be
   graded at all.

The progress bar (stderr) shows students done, elapsed time and an estimate of
the time left; without a terminal it prints one line per student.

The gradebook: every worker writes its own students' rows to the one SQLite
gradebook.db. SQLite serialises writers with a file lock; nbgrader's writes are
short transactions, so the only risk is a writer that waits longer than SQLite's
busy timeout (5 s by default) and fails with "database is locked". The workers
use a 60 s timeout (`?timeout=60` on the default db_url); tests/test_grade_command.py
grades many students with 4 workers and checks every grade and the database's
integrity. A course that configures its own db_url (e.g. PostgreSQL) keeps it.
"""

import argparse
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from autograder.commands.nbgrader_cli import run_nbgrader

SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
SQLITE_TIMEOUT_S = 60


# ---------------------------------------------------------------- the course

def load_nbgrader_config(course_dir):
    """The configuration `nbgrader` would use in course_dir: the Jupyter config
    paths' nbgrader_config.py, then the course's own."""
    import logging

    from nbgrader.apps.baseapp import NbGrader
    from traitlets.config.application import Application

    app = NbGrader()
    app.log_level = logging.ERROR  # no "No nbgrader_config.py file found" warning: the course's comes next
    app.load_cwd_config = False
    app.load_config_file()
    Application.load_config_file(app, "nbgrader_config.py", path=str(course_dir))
    return app.config


def db_url(course_dir, config=None):
    """The gradebook's URL; the default SQLite one gets a busy timeout of SQLITE_TIMEOUT_S."""
    from nbgrader.coursedir import CourseDirectory

    config = config if config is not None else load_nbgrader_config(course_dir)
    coursedir = CourseDirectory(config=config)
    if not coursedir.root:
        coursedir.root = str(Path(course_dir).resolve())
    url = coursedir.db_url
    if url.startswith("sqlite:///") and "?" not in url:
        url += f"?timeout={SQLITE_TIMEOUT_S}"
    return url


def submitted_students(course_dir, assignment):
    """Students with a submitted/<student>/<assignment>/ folder, sorted."""
    root = Path(course_dir) / "submitted"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / assignment).is_dir())


def assignment_notebooks(url, assignment):
    """The assignment's notebook names in the gradebook (generate_assignment puts them there)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(url) as gb:
        try:
            return sorted(nb.name for nb in gb.find_assignment(assignment).notebooks)
        except MissingEntry:
            return []


def graded_in_gradebook(url, assignment):
    """Students whose submission of the assignment is in the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(url) as gb:
        return {sub.student.id for sub in gb.assignment_submissions(assignment)}


def _read(path):
    try:
        return Path(path).read_text()
    except OSError:
        return None


def is_graded(course_dir, assignment, student, notebooks, in_gradebook):
    """Whether autograded/ has every submitted notebook, from the same submission, and the gradebook has it."""
    if student not in in_gradebook:
        return False
    course_dir = Path(course_dir)
    sub = course_dir / "submitted" / student / assignment
    out = course_dir / "autograded" / student / assignment
    if not out.is_dir() or _read(sub / "timestamp.txt") != _read(out / "timestamp.txt"):
        return False
    for name in notebooks:
        submitted = (sub / f"{name}.ipynb").exists() or (sub / f"{name}.ipynb.broken").exists()
        if submitted and not (out / f"{name}.ipynb").exists():
            return False
    return True


def has_feedback(course_dir, assignment, student):
    """Whether feedback/ has a page for every autograded notebook."""
    course_dir = Path(course_dir)
    graded = sorted((course_dir / "autograded" / student / assignment).glob("*.ipynb"))
    pages = course_dir / "feedback" / student / assignment
    return all((pages / f"{p.stem}.html").exists() for p in graded)


def autograded_ok(course_dir, assignment, student, notebooks):
    """After grading: every submitted notebook has its autograded copy."""
    course_dir = Path(course_dir)
    sub = course_dir / "submitted" / student / assignment
    out = course_dir / "autograded" / student / assignment
    missing = [n for n in notebooks if ((sub / f"{n}.ipynb").exists() or (sub / f"{n}.ipynb.broken").exists())
               and not (out / f"{n}.ipynb").exists()]
    return (False, "no autograded notebook for " + ", ".join(missing)) if missing else (True, "")


# ---------------------------------------------------------------- worker processes

def _worker_main(fd, course_dir, url):
    """A worker process: load nbgrader once, then serve ("autograde"|"feedback", assignment, student)
    requests on the connection at file descriptor fd until it gets None or the pipe closes.

    Its stdout and stderr (nbgrader's console log, and the kernels' inherited ones) go to a
    log file, not through the progress bar; each answer carries nbgrader's log.
    """
    from multiprocessing.connection import Connection

    conn = Connection(fd)
    try:
        from nbgrader.apps.api import NbGraderAPI

        config = load_nbgrader_config(course_dir)
        config.CourseDirectory.db_url = url
        api = NbGraderAPI(config=config)
    except Exception:
        conn.send({"success": False, "error": traceback.format_exc(), "log": ""})
        return
    conn.send({"success": True, "ready": True})
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        kind, assignment, student = task
        try:
            if kind == "autograde":
                result = api.autograde(assignment, student, force=True, create=True)
            else:
                result = api.generate_feedback(assignment, student, force=True)
        except Exception:
            result = {"success": False, "error": traceback.format_exc()}
        conn.send({"success": bool(result.get("success")), "error": result.get("error") or "",
                   "log": result.get("log") or ""})


def _kill_tree(pid):
    """Kill a process and everything it started (its nbgrader kernels included)."""
    import psutil

    try:
        parent = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    procs = parent.children(recursive=True) + [parent]
    for p in procs:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=10)


class Worker:
    """One worker process and the pipe to it; restarted when it dies or hangs."""

    def __init__(self, course_dir, url, log_path):
        self.course_dir, self.url, self.log_path = str(course_dir), url, str(log_path)
        self.process = self.conn = None

    def _start(self):
        """A fresh `python` running _worker_main, talking over a socket pair (not stdin/stdout, which
        student code can write to)."""
        import subprocess
        from multiprocessing import Pipe

        from autograder.commands.nbgrader_cli import nbgrader_env

        self.conn, child = Pipe()
        fd = child.fileno()
        env = {**nbgrader_env(), **SINGLE_THREAD_ENV}
        code = f"from autograder.commands.grade import _worker_main; _worker_main({fd}, {self.course_dir!r}, {self.url!r})"
        with open(self.log_path, "ab") as log:
            # its own session: a Ctrl-C reaches the parent only, which then stops the workers
            self.process = subprocess.Popen([sys.executable, "-c", code], cwd=self.course_dir, env=env,
                                            pass_fds=[fd], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                            start_new_session=True)
        child.close()
        ready = self._receive(timeout=300)
        if not ready.get("success"):
            self.stop(kill=True)
            raise RuntimeError("the worker process could not start nbgrader:\n" + ready.get("error", ""))

    def _receive(self, timeout):
        deadline = time.monotonic() + timeout
        while not self.conn.poll(0.5):
            if self.process.poll() is not None:
                return {"success": False, "error": f"the worker process died (exit code {self.process.returncode})",
                        "dead": True}
            if time.monotonic() > deadline:
                return {"success": False, "error": f"no result after {timeout:.0f} s: the worker was stopped",
                        "dead": True}
        try:
            return self.conn.recv()
        except (EOFError, OSError):
            return {"success": False, "error": "the worker process died", "dead": True}

    def run(self, kind, assignment, student, timeout):
        if self.process is None or self.process.poll() is not None:
            self._start()
        try:
            self.conn.send((kind, assignment, student))
        except (BrokenPipeError, OSError):
            self.stop(kill=True)
            return {"success": False, "error": "the worker process died"}
        result = self._receive(timeout)
        if result.get("dead"):
            self.stop(kill=True)
        return result

    def stop(self, kill=False):
        if self.process is None:
            return
        if not kill and self.process.poll() is None:
            try:
                self.conn.send(None)
                self.process.wait(10)
            except Exception:
                pass
        if self.process.poll() is None:
            _kill_tree(self.process.pid)
            self.process.wait(10)
        self.conn.close()
        self.process = self.conn = None


# ---------------------------------------------------------------- progress

def _clock(seconds):
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """A text progress bar with an ETA: redrawn in place on a terminal, one line per step otherwise."""

    def __init__(self, total, label, stream=None, width=24):
        self.total, self.label, self.width = total, label, width
        self.stream = stream if stream is not None else sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.done = 0
        self.start = time.monotonic()
        self.lock = threading.Lock()
        if total and self.tty:
            self._draw("")

    def line(self, note=""):
        elapsed = time.monotonic() - self.start
        filled = int(self.width * self.done / self.total) if self.total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        eta = _clock(elapsed / self.done * (self.total - self.done)) if self.done else "?"
        text = (f"{self.label} [{bar}] {self.done}/{self.total} {100 * self.done // max(self.total, 1):3d}%"
                f"  elapsed {_clock(elapsed)}  ETA {eta}")
        return text + (f"  {note}" if note else "")

    def _draw(self, note):
        if self.tty:
            self.stream.write("\r\033[K" + self.line(note))
        else:
            self.stream.write(self.line(note) + "\n")
        self.stream.flush()

    def step(self, note=""):
        with self.lock:
            self.done += 1
            self._draw(note)

    def message(self, text):
        """A line of its own (a failure, say) without breaking the bar."""
        with self.lock:
            if self.tty:
                self.stream.write("\r\033[K" + text + "\n")
                self._draw("")
            else:
                self.stream.write(text + "\n")
            self.stream.flush()

    def close(self):
        if self.tty and self.total:
            self.stream.write("\n")
            self.stream.flush()


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
    import re

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


def _grade(course_dir, assignment, workers, force, students, feedback, export, timeout, stream):
    start = time.monotonic()
    url = db_url(course_dir)
    workers = max(1, workers or os.cpu_count() or 1)
    notebooks = assignment_notebooks(url, assignment)
    if not notebooks:
        raise SystemExit(f"assignment {assignment!r} is not in the gradebook: run "
                         f"`nbgrader generate_assignment {assignment}` first")
    everyone = submitted_students(course_dir, assignment)
    if students:
        unknown = sorted(set(students) - set(everyone))
        if unknown:
            raise SystemExit(f"no submission of {assignment} for: {', '.join(unknown)}")
        everyone = [s for s in everyone if s in set(students)]
    in_gradebook = graded_in_gradebook(url, assignment)
    report = GradeReport(assignment, workers=workers, feedback=feedback)
    todo, feedback_only = [], []
    for student in everyone:
        if not force and is_graded(course_dir, assignment, student, notebooks, in_gradebook):
            report.skipped.append(student)
            if feedback and not has_feedback(course_dir, assignment, student):
                feedback_only.append(student)
        else:
            todo.append(student)

    log_dir = Path(os.environ.get("TMPDIR", "/tmp"))
    worker_log = Path(__import__("tempfile").mkstemp(prefix=f"autograder-{assignment}-", suffix=".log",
                                                     dir=log_dir)[1])
    progress = Progress(len(todo), f"grading {assignment}", stream)
    queue = list(todo)
    lock = threading.Lock()
    saved_env = {k: os.environ.get(k) for k in SINGLE_THREAD_ENV}
    os.environ.update(SINGLE_THREAD_ENV)  # for the `nbgrader` processes of the second attempts

    pool = []
    stopping = threading.Event()

    def slot():
        worker = Worker(course_dir, url, worker_log)
        with lock:
            pool.append(worker)
        try:
            while True:
                with lock:
                    if not queue:
                        break
                    student = queue.pop(0)
                try:
                    outcome = _grade_one(worker, course_dir, assignment, student, notebooks, url, feedback, timeout)
                except Exception:
                    outcome = Outcome(student, error=_cause(traceback.format_exc()))
                    outcome.log.append(traceback.format_exc())
                    worker.stop(kill=True)
                if stopping.is_set():
                    break
                with lock:
                    (report.graded if outcome.ok else report.failed).append(outcome)
                if outcome.ok:
                    progress.step(f"{student}: graded in {outcome.seconds:.0f} s")
                else:
                    progress.message(f"FAILED {student}: {outcome.error}")
                    progress.step(f"{student}: failed")
            while True:  # then the feedback of students graded earlier
                with lock:
                    if not feedback_only:
                        break
                    student = feedback_only.pop(0)
                worker.run("feedback", assignment, student, timeout)
        finally:
            worker.stop()

    try:
        n = min(workers, max(len(todo) + len(feedback_only), 1))
        threads = [threading.Thread(target=slot, name=f"grade-slot-{i}", daemon=True) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            while t.is_alive():
                t.join(0.5)
    except KeyboardInterrupt:
        stopping.set()
        with lock:
            queue.clear()
            feedback_only.clear()
        for worker in list(pool):
            proc = worker.process
            if proc is not None:
                _kill_tree(proc.pid)
        raise
    finally:
        progress.close()
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

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
        from autograder.commands.export import write_csvs
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
