"""One Dask task: autograde one student in a private course directory on the worker.

    result = grade_student(bundle, student, files, feedback=True)

Everything the task needs travels as data, so a worker needs no shared
filesystem, only this project installed (`pip install -e .` or the same
requirements.txt) and, for the sandbox, bubblewrap:

- bundle (`autograder.commands.dask_client.assignment_bundle`, built once per run
  and scattered to the workers): the course's nbgrader_config.py, the
  assignment's source/ and release/ files, and a small SQLite gradebook holding
  only the assignment (its notebooks, cells and due date), copied from the
  course's gradebook through nbgrader's API; "probed" when the client already
  ran the environment probe (a local cluster's workers are its own Python),
  else each worker process probes before its first student;
- files: {path relative to submitted/<student>/<assignment>/: bytes}, what the
  student handed in.

The task writes them into a fresh temporary course directory, points its
configuration at the private gradebook, and runs what `nbgrader autograde
<assignment> --student <id> --force` and `generate_feedback` run (nbgrader's
NbGraderAPI, with the course's own plug-ins, time limits and sandbox). A failed
autograde is tried a second time with the plain `nbgrader` command in a fresh
process, as before. The working directory is the private course while the task
runs (the plug-ins' pre-convert hook reads its configuration from there): a
worker must have one thread.

It returns plain data (see `grade_student`): the autograded files (notebooks,
sidecars, timestamp), the feedback pages, the submitted files that grading
changed (a broken notebook set aside), and every grade and comment of the
private gradebook. It writes nothing outside its temporary folder, so running
it twice (a Dask retry, a worker killed halfway) is harmless: the client writes
one result per student.
"""

import contextlib
import os
import shutil
import socket
import tempfile
import time
import traceback
from pathlib import Path

import course  # noqa: F401 (imported before a task changes directory: the sandbox mounts this package)

SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
START_TOPIC = "autograder-start"   # a structured event per task start (the client counts retries)
_probed = set()                    # bundle digests whose environment probe passed in this process


@contextlib.contextmanager
def single_threaded():
    """os.environ with SINGLE_THREAD_ENV inside (processes started meanwhile inherit it), restored after."""
    saved = {k: os.environ.get(k) for k in SINGLE_THREAD_ENV}
    os.environ.update(SINGLE_THREAD_ENV)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def read_tree(folder):
    """{relative path: bytes} of the regular files below folder (empty if there is none)."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()}


def write_tree(folder, files):
    """Write {relative path: bytes} below folder."""
    folder = Path(folder)
    for rel, data in files.items():
        path = folder / rel
        if ".." in Path(rel).parts or path.is_absolute() and not str(path).startswith(str(folder)):
            raise ValueError(f"refusing to write outside {folder}: {rel}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _announce(student):
    """Tell the client (through the scheduler) that a task started: a second start is a retry."""
    try:
        from distributed import get_worker
        worker = get_worker()
    except (ImportError, ValueError):
        return  # not in a Dask worker (called directly)
    worker.log_event(START_TOPIC, {"student": student, "worker": worker.address, "pid": os.getpid(),
                                   "host": socket.gethostname(), "time": time.time()})


def _private_course(root, bundle, student, files):
    """The temporary course: config (pointing at the private gradebook), the assignment, the submission."""
    assignment = bundle["assignment"]
    write_tree(root, bundle["files"])
    (root / "gradebook.db").write_bytes(bundle["gradebook"])
    url = f"sqlite:///{root / 'gradebook.db'}"
    with open(root / "nbgrader_config.py", "a") as f:
        f.write(f"\n# grading task: this private course and its own gradebook\n"
                f"c.CourseDirectory.root = {str(root)!r}\nc.CourseDirectory.db_url = {url!r}\n")
    write_tree(root / "submitted" / student / assignment, files)
    return url


def _scores(url, assignment, student, course_id):
    """The student's submission in the private gradebook, as plain data."""
    from nbgrader.api import Gradebook

    with Gradebook(url, course_id) as gb:
        sub = gb.find_submission(assignment, student)
        return {"timestamp": sub.timestamp.isoformat() if sub.timestamp else None,
                "notebooks": {nb.name: {"late_penalty": nb.late_submission_penalty,
                                        "grades": {g.name: [g.auto_score, bool(g.needs_manual_grade)]
                                                   for g in nb.grades},
                                        "comments": {c.name: c.auto_comment for c in nb.comments}}
                              for nb in sub.notebooks}}


def _cause(*texts):
    """The most telling line of nbgrader's log and traceback: the last "SomeError: ..." that is
    not nbgrader's own summary, else the last line."""
    import re

    lines = [line.strip() for text in texts for line in (text or "").splitlines() if line.strip()]
    causes = [line for line in lines if re.match(r"^[\w.]*(Error|Exception)\b.*:", line)
              and not line.startswith("nbgrader.")]
    return causes[-1] if causes else (lines[-1] if lines else "unknown error")


def _autograde(api, root, assignment, student, notebooks, result):
    """Two attempts (nbgrader's API, then the `nbgrader` command in a fresh process); True if graded."""
    from autograder.commands.nbgrader_cli import run_nbgrader
    from autograder.coursedir import autograded_ok

    for attempt in (1, 2):
        result["attempts"] = attempt
        if attempt == 1:
            try:
                out = api.autograde(assignment, student, force=True, create=True)
            except Exception:
                out = {"success": False, "error": traceback.format_exc(), "log": ""}
        else:
            proc = run_nbgrader(root, "autograde", assignment, "--student", student, "--force", check=False)
            out = {"success": proc.returncode == 0, "log": proc.stdout or "",
                   "error": "" if proc.returncode == 0 else f"nbgrader autograde exited with {proc.returncode}"}
        ok, why = autograded_ok(root, assignment, student, notebooks)
        if out.get("success") and ok:
            return True
        error = _cause(out.get("log"), out.get("error")) if not out.get("success") else why
        result["error"] = error
        result["log"].append(f"--- attempt {attempt}: {error}\n{out.get('error') or ''}\n{out.get('log') or ''}")
    return False


def grade_student(bundle, student, files, feedback=True):
    """Grade one student (see the module docstring). Returns a dict:
    student, ok, error, attempts, log (list of text), seconds (inside the task), worker (pid@host),
    fatal (the environment probe failed: no student can be graded here), and when ok:
    autograded / feedback / submitted ({relative path: bytes}), has_feedback, scores (`_scores`)."""
    from nbgrader.apps.api import NbGraderAPI

    from autograder.coursedir import load_nbgrader_config
    from autograder.plugins.probe import GradingEnvironmentError, check_environment, mark_checked

    start = time.monotonic()
    _announce(student)
    assignment = bundle["assignment"]
    result = {"student": student, "ok": False, "error": "", "attempts": 0, "log": [], "fatal": "",
              "worker": f"{os.getpid()}@{socket.gethostname()}"}
    root = Path(tempfile.mkdtemp(prefix=f"autograder-{assignment}-"))
    cwd = os.getcwd()
    try:
        with single_threaded():
            url = _private_course(root, bundle, student, files)
            os.chdir(root)
            config = load_nbgrader_config(root)
            try:
                if bundle["digest"] not in _probed and not bundle.get("probed"):
                    check_environment(config, root, assignment)
                    _probed.add(bundle["digest"])
                mark_checked(root, assignment)  # the pre-convert hook's probe: done once per process
            except GradingEnvironmentError as e:
                result["fatal"] = result["error"] = f"on worker {result['worker']}: {e}"
                return result
            api = NbGraderAPI(config=config)
            if _autograde(api, root, assignment, student, bundle["notebooks"], result):
                result["ok"] = True
                result["scores"] = _scores(url, assignment, student, bundle["course_id"])
                result["autograded"] = read_tree(root / "autograded" / student / assignment)
                result["has_feedback"] = False
                if feedback:
                    try:
                        out = api.generate_feedback(assignment, student, force=True)
                    except Exception:
                        out = {"success": False, "error": traceback.format_exc(), "log": ""}
                    result["has_feedback"] = bool(out.get("success"))
                    if not out.get("success"):
                        result["log"].append(f"--- feedback failed\n{out.get('error') or ''}\n{out.get('log') or ''}")
                result["feedback"] = read_tree(root / "feedback" / student / assignment)
                changed = read_tree(root / "submitted" / student / assignment)
                result["submitted"] = {k: v for k, v in changed.items() if files.get(k) != v}
    except Exception:
        result["error"] = _cause(traceback.format_exc())
        result["log"].append(traceback.format_exc())
    finally:
        os.chdir(cwd)
        shutil.rmtree(root, ignore_errors=True)
        result["seconds"] = time.monotonic() - start
    return result
