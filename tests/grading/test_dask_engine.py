"""The grading engine with real parts: a local Dask cluster, a `dask scheduler` with two `dask worker`
processes, a PostgreSQL server; and its faults: the client stopped halfway (Ctrl-C, and a crash:
SIGKILL), a worker killed while it grades, the database restarted while a class is graded,
submissions that hang or crash, a student over the whole-task time limit (--timeout).

One class of 12 (tests/grading/cluster_class.py) is graded three times, each run starting from a
copy of the same ungraded course; every run must give every student the same scores, once.
"""

import csv
import os
import re
import signal
import subprocess
import threading

import psutil
import pytest

from autograder.commands.nbgrader_cli import nbgrader_env, run_nbgrader
from autograder.coursedir import gradebook
from tests.grading.cluster_class import (ASSIGNMENT, KINDS, DaskCluster, build_class, copy_course,
                                         grade_command, graded_students, grading_kernel_of, run_grade, wait_for)
from tests.grading.helpers import AVAILABLE, grades
from tests.grading.postgres import PostgresServer, postgres_bin

pytestmark = pytest.mark.slow
N = len(KINDS)
QUICK = ["correct0", "correct1", "correct2", "wrong0", "wrong1", "stub0"]   # half the class, none that hangs


@pytest.fixture(scope="module")
def unsandboxed_if_needed():
    with pytest.MonkeyPatch.context() as env:
        if not AVAILABLE and not os.environ.get("REQUIRE_SANDBOX"):
            env.setenv("AUTOGRADER_UNSANDBOXED", "1")  # our own submissions: safe without the sandbox
        yield


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, unsandboxed_if_needed):
    return build_class(tmp_path_factory.mktemp("class") / "course")


def totals(scores):
    return {s: sum(sum(tests.values()) for tests in nbs.values()) for s, nbs in scores.items()}


def counts(url):
    """Rows of the submission tables: each student, notebook and grade cell exactly once."""
    with gradebook(url) as gb:
        subs = gb.assignment_submissions(ASSIGNMENT)
        return (len(subs), sum(len(s.notebooks) for s in subs),
                sum(len(nb.grades) for s in subs for nb in s.notebooks))


@pytest.fixture(scope="module")
def local_run(pristine, tmp_path_factory):
    """The class on a local cluster of 2 workers, stopped with Ctrl-C after a few students, then resumed."""
    course = copy_course(pristine, tmp_path_factory.mktemp("local") / "course")
    # Ctrl-C as from a terminal: SIGINT at its default in the child, whatever an earlier test left in this
    # process (a child inherits an ignored SIGINT, and Python then never raises KeyboardInterrupt)
    proc = subprocess.Popen(grade_command(course, "--workers", "2"), env=nbgrader_env(), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        wait_for(lambda: len(graded_students(course)) >= 3 or proc.poll() is not None, 600, "3 students graded")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    first = graded_students(course)
    resumed = run_grade(course, "--workers", "2")
    return course, proc.returncode, out + err, first, resumed


def test_stopped_run_resumes_and_grades_only_the_rest(local_run):
    course, code, output, first, resumed = local_run
    assert code == 130 and "run the same command again to resume" in output, output
    assert 3 <= len(first) < N, first
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert f"{N - len(first)} graded, {len(first)} already graded (skipped), 0 failed" in resumed.stdout, \
        resumed.stdout
    assert graded_students(course) == sorted(KINDS)


def test_scores_are_right_and_a_hang_or_a_crash_costs_only_itself(local_run):
    course = local_run[0]
    total = totals(grades(course))
    full = total["correct0"]
    assert full > 0 and all(total[f"correct{i}"] == full for i in range(6)), total
    assert all(0 < total[s] < full for s in ("wrong0", "wrong1", "wrong2", "stub0", "loops", "crash")), total
    assert counts(course) == (N, N * 3, N * 16)  # 3 notebooks, 16 graded tests in week 1
    with open(course / "grades_by_test.csv") as f:
        status = {(r["student"], r["test"]): r["status"] for r in csv.DictReader(f)}
    assert status["loops", "test_gradient_check"] == "timeout", status
    assert status["crash", "test_gradient_check"] == "kernel died", status


@pytest.mark.skipif(postgres_bin() is None, reason="PostgreSQL is not installed (apt-get install postgresql)")
def test_postgresql_gradebook_restarted_midway_gives_the_same_scores(local_run, pristine, tmp_path):
    """--db postgresql://...: the server is stopped and started again while the class is graded."""
    expected = grades(local_run[0])
    course = copy_course(pristine, tmp_path / "course")
    with PostgresServer() as pg:
        url = pg.create_database("gradebook")
        run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force", f"--CourseDirectory.db_url={url}")
        proc = subprocess.Popen(grade_command(course, "--workers", "2", "--db", url), env=nbgrader_env(),
                                text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            wait_for(lambda: len(graded_students(course)) >= 2 or proc.poll() is not None, 600,
                     "2 students graded")
            pg.restart(down_seconds=4)
            out, err = proc.communicate(timeout=600)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, out + err
        assert f"{N} graded, 0 already graded (skipped), 0 failed" in out, out + err
        assert grades(url) == expected
        assert counts(url) == (N, N * 3, N * 16)
        assert pg.query("gradebook", "SELECT count(*) FROM submitted_assignment") == [(str(N),)]
        export = run_nbgrader(course, "export", f"--CourseDirectory.db_url={url}")
        assert export.returncode == 0
        with open(course / "grades.csv") as f:
            exported = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(f)}
        assert exported == totals(expected)


def test_cluster_with_a_worker_killed_midway_gives_the_same_scores(local_run, pristine, tmp_path):
    """`dask scheduler` + 2 `dask worker` on loopback; one worker process is killed while it grades.
    Half the class (the quick ones) keeps it short."""
    expected = {s: v for s, v in grades(local_run[0]).items() if s in QUICK}
    course = copy_course(pristine, tmp_path / "course")
    killed = []
    with DaskCluster(tmp_path, workers=2) as cluster:
        only = [arg for s in QUICK for arg in ("--student", s)]
        proc = subprocess.Popen(grade_command(course, "--scheduler", cluster.address, *only), env=nbgrader_env(),
                                text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

        def kill_one_while_grading():
            def busy():
                if proc.poll() is not None or len(graded_students(course)) < 1:
                    return proc.poll() is not None
                for p in cluster.worker_processes():
                    if grading_kernel_of(p):
                        p.send_signal(signal.SIGKILL)
                        killed.append(p.pid)
                        return True
                return False
            wait_for(busy, 600, "a worker grading")

        killer = threading.Thread(target=kill_one_while_grading, daemon=True)
        killer.start()
        try:
            out, err = proc.communicate(timeout=900)
        finally:
            if proc.poll() is None:
                proc.kill()
        killer.join(5)
    assert killed, "no worker was killed"
    assert proc.returncode == 0, out + err
    assert f"{len(QUICK)} graded, 0 already graded (skipped), 0 failed" in out, out + err
    assert "Retried (a worker died or a task raised): " in out, out + err
    assert grades(course) == expected
    assert counts(course) == (len(QUICK), len(QUICK) * 3, len(QUICK) * 16)


def _alive(processes):
    """The processes still running (a zombie, which only its parent can reap, has stopped)."""
    out = []
    for p in processes:
        try:
            if p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


def test_a_crashed_client_leaves_nothing_running_and_resumes(local_run, pristine, tmp_path):
    """The client is killed with SIGKILL (no handler of its runs) while its local cluster grades: the
    worker processes and kernels it started exit by themselves, and the same command then grades only
    the students not yet done."""
    expected = {s: v for s, v in grades(local_run[0]).items() if s in QUICK}
    course = copy_course(pristine, tmp_path / "course")
    only = [arg for s in QUICK for arg in ("--student", s)]
    proc = subprocess.Popen(grade_command(course, "--workers", "2", *only), env=nbgrader_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    family = []

    def grading_after_two():
        if proc.poll() is not None:
            return True
        if len(graded_students(course)) < 2:
            return False
        try:
            client = psutil.Process(proc.pid)
            family[:] = client.children(recursive=True)
        except psutil.Error:
            return False
        return grading_kernel_of(client)

    try:
        wait_for(grading_after_two, 600, "2 students graded and a kernel grading")
    finally:
        proc.kill()
        proc.wait(30)
    first = graded_students(course)
    assert 2 <= len(first) < len(QUICK), first
    assert family, "no worker process was seen"
    try:
        wait_for(lambda: not _alive(family), 60, "the crashed client's workers and kernels to exit")
    finally:
        for p in _alive(family):
            p.kill()
    resumed = run_grade(course, "--workers", "2", *only)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert f"{len(QUICK) - len(first)} graded, {len(first)} already graded (skipped), 0 failed" in resumed.stdout, \
        resumed.stdout + resumed.stderr
    assert grades(course) == expected
    assert counts(course) == (len(QUICK), len(QUICK) * 3, len(QUICK) * 16)


def test_a_student_over_the_time_limit_is_stopped_and_nothing_is_written(pristine, tmp_path):
    """--timeout: the whole task's limit. `loops` needs a per-cell timeout (5 s) for each of its calls of
    gradient_check, far over 3 s: its task is stopped, its worker restarted, and no score is written."""
    course = copy_course(pristine, tmp_path / "course")
    proc = run_grade(course, "--workers", "1", "--student", "loops", "--timeout", "3")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "0 graded, 0 already graded (skipped), 1 failed" in proc.stdout, output
    assert "FAILED loops (after 1 attempts): no result after 3 s: the task was stopped" in proc.stdout, output
    assert re.search(r"no result after 3 s; worker \S+ restarted", (course / f"grade-{ASSIGNMENT}.log").read_text())
    assert graded_students(course) == []
    assert counts(course) == (0, 0, 0)
