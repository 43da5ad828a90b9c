from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def graded_demo_class(tmp_path_factory):
    """graded(week) -> (course, the grade command's CompletedProcess).

    The week's whole demo class (autograder/commands/samples.py: SAMPLES plus COMMON_MISTAKES),
    handed in and graded once per session by `python -m autograder grade WEEK --workers 2`, as an
    instructor runs it: the nbgrader workflow tests and the mistake report read the same course.
    Readers may run commands that leave the grades as they are (grading again without --force, report).
    """
    import os
    import subprocess
    import sys

    from autograder.commands.nbgrader_cli import nbgrader_env, run_nbgrader
    from autograder.commands.samples import demo_class, hand_in
    from autograder.coursedir import make_course
    from autograder.plugins.sandbox import sandbox_available

    graded = {}

    def grade(week):
        if week not in graded:
            course = make_course(tmp_path_factory.mktemp(f"demo-{week}"), [week])
            run_nbgrader(course, "generate_assignment", week, "--force")
            for student, recipe in demo_class()[week].items():
                hand_in(course, week, student, recipe)
            env = nbgrader_env()
            if not sandbox_available()[0] and not os.environ.get("REQUIRE_SANDBOX"):
                env["AUTOGRADER_UNSANDBOXED"] = "1"  # our own samples: safe without the sandbox
            proc = subprocess.run([sys.executable, "-m", "autograder", "grade", week, "--workers", "2"], cwd=course,
                                  env=env, text=True, capture_output=True, timeout=900)
            graded[week] = course, proc
        return graded[week]

    return grade
