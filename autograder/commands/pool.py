"""The grade command's worker processes: each loads nbgrader once and grades one student after another.

    pool = WorkerPool(course_dir, url, log_path, size=2)
    pool.run([(students, grade_one, on_done), (others, feedback_one, None)])

A worker is a fresh `python` running `worker_main`, talking over a socket pair
(not stdin/stdout, which student code can write to): it answers
("autograde" | "feedback", assignment, student) requests with nbgrader's
NbGraderAPI, as nbgrader's formgrader does. Its stdout and stderr (nbgrader's
console log, the kernels' inherited ones) go to a log file; each answer carries
nbgrader's log. A worker that dies or takes longer than the timeout is killed
with everything it started (its kernels) and started again for the next request.

`WorkerPool.run` feeds the workers from one queue per stage, one thread per
worker; Ctrl-C stops the queues and kills every worker. (To be replaced by Dask.)
BLAS libraries get one thread per worker (SINGLE_THREAD_ENV), so N workers use N cores.
"""

import contextlib
import os
import subprocess
import sys
import threading
import time
import traceback

SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@contextlib.contextmanager
def single_threaded():
    """os.environ with SINGLE_THREAD_ENV inside (for the `nbgrader` processes started meanwhile), restored after."""
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


def worker_main(fd, course_dir, url):
    """A worker process: load nbgrader once, then serve ("autograde"|"feedback", assignment, student)
    requests on the connection at file descriptor fd until it gets None or the pipe closes."""
    from multiprocessing.connection import Connection

    conn = Connection(fd)
    try:
        from nbgrader.apps.api import NbGraderAPI

        from autograder.coursedir import load_nbgrader_config

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


def kill_tree(pid):
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
        from multiprocessing import Pipe

        from autograder.commands.nbgrader_cli import nbgrader_env

        self.conn, child = Pipe()
        fd = child.fileno()
        env = {**nbgrader_env(), **SINGLE_THREAD_ENV}
        code = f"from autograder.commands.pool import worker_main; worker_main({fd}, {self.course_dir!r}, {self.url!r})"
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
        """Ask the worker (started if needed): {"success", "error", "log"}."""
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
            kill_tree(self.process.pid)
            self.process.wait(10)
        self.conn.close()
        self.process = self.conn = None


class WorkerPool:
    """`size` workers, each driven by a thread of its own through the stages of `run`."""

    def __init__(self, course_dir, url, log_path, size):
        self.course_dir, self.url, self.log_path, self.size = course_dir, url, log_path, max(1, size)
        self.workers = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def run(self, stages):
        """stages: [(items, job, done)]. Every thread takes items of the first stage until none is left,
        then of the next. job(worker, item) -> result; done(item, result) (if given) after each.
        A job's exceptions are its own business (they end that thread). Ctrl-C: KeyboardInterrupt
        after every worker was killed."""
        queues = [(list(items), job, done) for items, job, done in stages]
        threads = [threading.Thread(target=self._slot, args=(queues,), name=f"grade-slot-{i}", daemon=True)
                   for i in range(self.size)]
        try:
            for t in threads:
                t.start()
            for t in threads:
                while t.is_alive():
                    t.join(0.5)
        except KeyboardInterrupt:
            self._stopping.set()
            with self._lock:
                for items, _, _ in queues:
                    items.clear()
            for worker in list(self.workers):
                if worker.process is not None:
                    kill_tree(worker.process.pid)
            raise

    def _slot(self, queues):
        worker = Worker(self.course_dir, self.url, self.log_path)
        with self._lock:
            self.workers.append(worker)
        try:
            for items, job, done in queues:
                while True:
                    with self._lock:
                        if not items:
                            break
                        item = items.pop(0)
                    result = job(worker, item)
                    if self._stopping.is_set():
                        return
                    if done is not None:
                        done(item, result)
        finally:
            worker.stop()
