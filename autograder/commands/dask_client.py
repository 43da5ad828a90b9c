"""The grade command's client side: a Dask cluster, one task per student, results into the course.

    with cluster(workers=2) as client:                      # a local cluster (the default)
    with cluster(scheduler="tcp://10.0.0.5:8786") as client:  # an existing one
        run(client, bundle, course_dir, students, feedback, timeout, on_start, on_result)

- `cluster`: a LocalCluster of `workers` processes with one thread each (the
  task changes the working directory, and BLAS gets one thread), or a Client of
  an existing scheduler. Either way the workers need this project installed.
- `assignment_bundle`, `student_files`: what the tasks get as data
  (autograder/commands/grading_task.py).
- `run`: scatters the bundle, submits one task per student (Dask's `retries`
  repeats a task that raised; the scheduler reruns a task whose worker died, up
  to distributed.scheduler.allowed-failures times), and hands each result to
  `on_result` in the order they finish. Task starts arrive as structured
  events (`on_start`): a student started twice was retried. A student with no
  result after `timeout` seconds is given up: its task is cancelled and its
  worker restarted.
- `save_result`: a result into the course, in an order that makes a crash at
  any point harmless: the old autograded folder is moved aside first (the
  student no longer counts as graded), then the submitted files grading
  changed, the feedback, the gradebook (`GradebookWriter`), and last the new
  autograded folder, put in place with one rename.
"""

import contextlib
import hashlib
import logging
import shutil
import time
from pathlib import Path

from autograder.commands.grading_task import (SINGLE_THREAD_ENV, START_TOPIC, grade_student, read_tree,
                                              single_threaded, write_tree)
from autograder.commands.gradebook_sync import template_gradebook


@contextlib.contextmanager
def cluster(workers=1, scheduler=None):
    """A distributed.Client: of the scheduler at `scheduler`, else of a new local cluster."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout="60s") as client:
            yield client
        return
    with single_threaded():  # the worker processes inherit it, and so do their kernels
        local = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                             memory_limit=0, silence_logs=logging.ERROR, env=dict(SINGLE_THREAD_ENV))
    try:
        with Client(local) as client:
            yield client
    finally:
        local.close()


def worker_count(client):
    return len(client.scheduler_info().get("workers", {}))


def assignment_bundle(course_dir, url, assignment, notebooks, course_id):
    """The assignment's files and template gradebook (see grading_task's docstring)."""
    course_dir = Path(course_dir)
    files = {"nbgrader_config.py": (course_dir / "nbgrader_config.py").read_bytes()}
    for folder in ("source", "release"):
        for rel, data in read_tree(course_dir / folder / assignment).items():
            files[f"{folder}/{assignment}/{rel}"] = data
    db = template_gradebook(url, assignment, course_id)
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode() + b"\0" + files[rel])
    return {"assignment": assignment, "files": files, "gradebook": db, "notebooks": list(notebooks),
            "course_id": course_id, "digest": digest.hexdigest()}


def student_files(course_dir, assignment, student):
    return read_tree(Path(course_dir) / "submitted" / student / assignment)


def save_result(course_dir, writer, assignment, result):
    """Write an ok result into the course (see the module docstring for the order)."""
    course_dir = Path(course_dir)
    student = result["student"]
    graded_dir = course_dir / "autograded" / student / assignment
    old = graded_dir.with_name(f".{assignment}.old")
    new = graded_dir.with_name(f".{assignment}.new")
    for stale in (old, new):
        shutil.rmtree(stale, ignore_errors=True)
    if graded_dir.exists():
        graded_dir.rename(old)
    write_tree(course_dir / "submitted" / student / assignment, result.get("submitted", {}))
    pages = course_dir / "feedback" / student / assignment
    if result.get("feedback"):
        shutil.rmtree(pages, ignore_errors=True)
        write_tree(pages, result["feedback"])
    writer.write(assignment, student, result["scores"])
    write_tree(new, result["autograded"])
    new.rename(graded_dir)
    shutil.rmtree(old, ignore_errors=True)


def run(client, bundle, course_dir, students, feedback, timeout, on_start, on_result):
    """Grade `students` on the cluster (see the module docstring). on_start(event dict, retried: bool);
    on_result(result dict) once per student, with ok False and the error for a task that failed."""
    from distributed import as_completed

    if not students:
        return
    started = {}   # student -> (first start time, worker address of the latest start)

    def started_event(event):
        _, msg = event
        student = msg.get("student")
        retried = student in started
        started[student] = (started.get(student, (time.monotonic(), None))[0], msg.get("worker"))
        on_start(msg, retried)

    client.subscribe_topic(START_TOPIC, started_event)
    try:
        shared = client.scatter(bundle, broadcast=True, hash=False)
        futures = {}
        for student in students:
            future = client.submit(grade_student, shared, student,
                                   student_files(course_dir, bundle["assignment"], student), feedback,
                                   key=f"grade-{bundle['assignment']}-{student}-{time.time_ns()}", pure=False,
                                   retries=1)
            futures[future] = student
        done = set()
        queue = as_completed(list(futures))
        while len(done) < len(futures):
            batch = queue.next_batch(block=False)
            for future in batch:
                student = futures[future]
                if student in done:
                    continue
                done.add(student)
                on_result(_result_of(future, student))
            if not batch:
                _give_up_late(client, futures, done, started, timeout, on_result)
                time.sleep(0.2)
    finally:
        try:
            client.unsubscribe_topic(START_TOPIC)
        except Exception:  # the client may be closing
            pass


def _result_of(future, student):
    if future.status == "cancelled":
        return {"student": student, "ok": False, "error": "the task was cancelled", "log": [], "attempts": 1}
    try:
        return future.result()
    except Exception as exc:  # the task raised twice, or killed its worker too often (KilledWorker)
        return {"student": student, "ok": False, "error": f"{type(exc).__name__}: {exc}", "attempts": 1,
                "log": [f"--- the Dask task failed: {type(exc).__name__}: {exc}"]}


def _give_up_late(client, futures, done, started, timeout, on_result):
    now = time.monotonic()
    for future, student in futures.items():
        if student in done or student not in started or now - started[student][0] < timeout:
            continue
        done.add(student)
        future.cancel()
        worker = started[student][1]
        if worker:
            try:
                client.restart_workers([worker], raise_for_error=False)
            except Exception:  # the worker may be gone already
                pass
        on_result({"student": student, "ok": False, "attempts": 1,
                   "error": f"no result after {timeout:.0f} s: the task was stopped",
                   "log": [f"--- no result after {timeout:.0f} s; worker {worker} restarted"]})
