"""Grading that survives what students hand in (issue #5, "nothing is lost", "hidden stays hidden").

The slow part grades crafted week 1 submissions with the real `nbgrader autograde`
and `generate_feedback` (this course's nbgrader_config.py, sandbox on where
bubblewrap runs), all in one run to keep it fast, and checks exact scores and
messages. Each crafted student hands in gradient_checking (the quickest notebook);
the others count as not submitted. The per-cell timeout is 5 s in that course.

The fast part checks the pieces on their own: unreadable files, flags, redaction.
"""

import html
import json
import os
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell
from traitlets.config import Config

from autograder import notebooks as nbt
from autograder.plugins.broken import check_submission
from autograder.commands.demo import make_course, notebook_scores
from autograder.plugins.feedback import hidden_lines, scrub_text
from autograder.plugins.flags import course_paths, static_flags
from autograder.commands.nbgrader_cli import run_nbgrader
from autograder.plugins.restore_cells import BROKEN_KEY, RESTORED_NOTE
from autograder.plugins.sandbox import SandboxedKernelManager, sandbox_available

AVAILABLE, WHY_NOT = sandbox_available()
needs_bwrap = pytest.mark.skipif(not AVAILABLE and not os.environ.get("REQUIRE_SANDBOX"), reason=WHY_NOT)
ROOT = Path(__file__).resolve().parent.parent
CELL_TIMEOUT = 5
TESTS = ["test_forward_propagation", "test_backward_propagation", "test_gradient_check", "test_gradient_check_n"]


# ============================================================================ fast: the pieces

@pytest.fixture(scope="module")
def release_json():
    return nbformat.writes(nbt.read(ROOT / "release" / "week1" / "gradient_checking.ipynb"))


def _variant(text, change):
    data = json.loads(text)
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize("name, content, reason", [
    ("empty", "", "the file is empty"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00", "the file is not UTF-8 text (byte 0)"),
    ("truncated", lambda t: t[:2000], "the file is not valid JSON (line "),
    ("not a notebook", "[1, 2]", "the file is JSON but not a notebook (no nbformat version)"),
    ("future format", lambda t: _variant(t, lambda d: d.update(nbformat=5)),
     "the notebook format version 5 is not supported"),
    ("no cells", lambda t: _variant(t, lambda d: d.pop("cells")), "the notebook has no list of cells"),
    ("bad cell", lambda t: _variant(t, lambda d: d["cells"].__setitem__(3, "text")), "cell 4 is not a notebook cell"),
])
def test_unreadable_file_is_set_aside_with_its_reason(tmp_path, release_json, name, content, reason):
    path = tmp_path / "gradient_checking.ipynb"
    data = content(release_json) if callable(content) else content
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    message = check_submission(str(path))
    assert message.startswith(reason)
    assert message.endswith(": graded as 0; the original is kept as gradient_checking.ipynb.broken")
    assert (tmp_path / "gradient_checking.ipynb.broken").read_bytes() == \
        (data if isinstance(data, bytes) else data.encode())
    placeholder = nbt.read(path)
    assert placeholder.metadata[BROKEN_KEY] == message
    # Graded again: the placeholder is read as it is, nothing moves.
    assert check_submission(str(path)) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gradient_checking.ipynb", "gradient_checking.ipynb.broken"]


def test_resubmissions_keep_every_broken_file(tmp_path, release_json):
    path = tmp_path / "nb.ipynb"
    path.write_text("{")
    check_submission(str(path))
    path.write_text("{")  # the same file again: already kept
    check_submission(str(path))
    path.write_text("{ different")
    check_submission(str(path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb.ipynb", "nb.ipynb.broken", "nb.ipynb.broken-2"]
    path.write_text(release_json)  # fixed: graded as it is, the broken copies stay
    assert check_submission(str(path)) is None
    assert path.read_text() == release_json


def test_invalid_but_intact_notebook_is_repaired(tmp_path, release_json):
    path = tmp_path / "nb.ipynb"
    bad = _variant(release_json, lambda d: d["cells"][3].pop("metadata"))
    path.write_text(bad)
    message = check_submission(str(path))
    assert message.startswith("the submitted file did not match the notebook format (")
    assert message.endswith("graded a copy rebuilt from its cells; the original is kept as nb.ipynb.original")
    assert (tmp_path / "nb.ipynb.original").read_text() == bad
    repaired = nbt.read(path)
    nbformat.validate(repaired)
    assert [c.source for c in repaired.cells] == [c.source for c in nbformat.reads(release_json, as_version=4).cells]


def test_static_flags():
    assert static_flags("import autograder.hidden.week1 as h\n") == (True, [])
    assert static_flags("x = __import__('autograder')") == (True, [])
    assert static_flags("open('../../../gradebook.db')\n%matplotlib inline") == (False, ["gradebook.db"])
    assert static_flags("import os\nos.listdir('/srv/course/source/week1')") == (False, ["source/"])
    assert static_flags("# reads ../../source? no: a comment\nprint('hello')") == (False, [])
    assert course_paths("../../bob/week1/gradient_checking.ipynb") == ["other students' folders (../../)"]
    assert course_paths("data/train.csv") == []


def test_scrub_removes_hidden_lines_and_grader_names():
    source = ("checks.check_f(f)\n### BEGIN HIDDEN TESTS\nimport autograder.hidden.week1 as hidden_week1\n"
              "hidden_week1.check_f(f)\n### END HIDDEN TESTS")
    secret = hidden_lines(source)
    assert "hidden_week1.check_f(f)" in secret
    text = ("ok\n----> 4 hidden_week1.check_f(f)\n  File <hidden autograder.hidden.week1>:12\n"
            "/srv/course/autograder/hidden/common.py:3: RuntimeWarning\n")
    assert scrub_text(text, secret) == "ok\n  File <grader>:12\n<grader file>:3: RuntimeWarning\n"


# ============================================================================ slow: the real nbgrader

def _perfect(course, name):
    release = nbt.read(course / "release" / "week1" / f"{name}.ipynb")
    source = nbt.read(course / "source" / "week1" / f"{name}.ipynb")
    return nbt.fill_solutions(release, source)


def _index(nb, cell_id):
    return next(i for i, c in enumerate(nb.cells) if c.get("id") == cell_id)


def _answer(nb, grade_id, code):
    next(c for c in nb.cells if nbt.nbgrader_meta(c).get("grade_id") == grade_id).source = code


def _drop(nb, *ids):
    nb.cells = [c for c in nb.cells if c.get("id") not in ids]


def _hand_in(course, student, notebooks):
    folder = course / "submitted" / student / "week1"
    folder.mkdir(parents=True)
    for name, nb in notebooks.items():
        path = folder / f"{name}.ipynb"
        if isinstance(nb, str):
            path.write_text(nb)
        else:
            nbt.write(nb, path)


def _craft(course):
    """The crafted students; returns the files the "broken" student handed in, as written."""
    # restored: a test cell deleted, one with its metadata stripped, one made a 100-point
    # "solution" cell with its source replaced, and a bogus grade cell; forward_propagation
    # writes to stderr (the tests calling it must not lose their points for that).
    nb = _perfect(course, "gradient_checking")
    _drop(nb, "test-gradient-check")
    nb.cells[_index(nb, "test-forward-propagation")].metadata = {}
    tampered = nb.cells[_index(nb, "test-backward-propagation")]
    tampered.metadata["nbgrader"].update(solution=True, points=100)
    tampered.source = "pass"
    nb.cells.insert(5, new_code_cell("print('bonus')", metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": False, "grade_id": "bonus", "points": 10, "schema_version": 3}}))
    _answer(nb, "forward_propagation", "import sys\n\ndef forward_propagation(x, theta):\n"
                                       "    print('debug: forward', file=sys.stderr)\n    return theta * x\n")
    _hand_in(course, "restored", {"gradient_checking": nb})

    # crash: backward_propagation wrong; a student cell exits the kernel after it;
    # gradient_check exits the kernel when its test calls it.
    nb = _perfect(course, "gradient_checking")
    _answer(nb, "backward_propagation", "def backward_propagation(x, theta):\n    return theta\n")
    nb.cells.insert(_index(nb, "test-backward-propagation") + 1, new_code_cell("import os\nos._exit(1)"))
    _answer(nb, "gradient_check", "def gradient_check(x, theta, epsilon=1e-7, print_msg=False):\n"
                                  "    import os\n    os._exit(3)\n")
    _drop(nb, "gradient-check-example")
    _hand_in(course, "crash", {"gradient_checking": nb})

    # loops: gradient_check loops (interruptible), gradient_check_n ignores interrupts.
    nb = _perfect(course, "gradient_checking")
    _answer(nb, "gradient_check", "def gradient_check(x, theta, epsilon=1e-7, print_msg=False):\n"
                                  "    while True:\n        pass\n")
    _answer(nb, "gradient_check_n",
            "def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):\n"
            "    while True:\n        try:\n            while True:\n                pass\n"
            "        except KeyboardInterrupt:\n            pass\n")
    _drop(nb, "gradient-check-example", "gradient-check-n-example", "per-parameter-differences",
          "gradient-check-n-fixed")
    _hand_in(course, "loops", {"gradient_checking": nb})

    # broken: initialization cut in half; gradient_checking correct, missing a cell's
    # metadata key (repaired), and trying to import the grader and read the gradebook.
    text = nbformat.writes(_perfect(course, "initialization"))
    nb = _perfect(course, "gradient_checking")
    nb.cells.insert(2, new_code_cell("try:\n    import autograder\nexcept ImportError as e:\n    print(e)\n"
                                     "try:\n    open('../../../gradebook.db').read()\nexcept OSError as e:\n"
                                     "    print(e)\n"))
    raw = json.loads(nbformat.writes(nb))
    del raw["cells"][0]["metadata"]
    handed = {"initialization": text[: len(text) // 2], "gradient_checking": json.dumps(raw)}
    _hand_in(course, "broken", handed)
    return handed


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    saved = os.environ.get("AUTOGRADER_UNSANDBOXED")
    if not AVAILABLE and not os.environ.get("REQUIRE_SANDBOX"):
        os.environ["AUTOGRADER_UNSANDBOXED"] = "1"  # our own submissions: safe without the sandbox
    try:
        course = make_course(tmp_path_factory.mktemp("robust"), ["week1"])
        with open(course / "nbgrader_config.py", "a") as f:
            f.write(f"\nc.Execute.timeout = {CELL_TIMEOUT}\n")
        run_nbgrader(course, "generate_assignment", "week1", "--force")
        handed = _craft(course)
        run_nbgrader(course, "autograde", "week1", "--force")
        run_nbgrader(course, "generate_feedback", "week1", "--force")
        yield course, handed
    finally:
        if saved is None:
            os.environ.pop("AUTOGRADER_UNSANDBOXED", None)
        else:
            os.environ["AUTOGRADER_UNSANDBOXED"] = saved


def _graded_nb(course, student, name="gradient_checking"):
    return nbt.read(course / "autograded" / student / "week1" / f"{name}.ipynb")


def _sidecar(course, student, name="gradient_checking"):
    return json.loads((course / "autograded" / student / "week1" / f"{name}.autograder.json").read_text())


def _tests(nb):
    return {nbt.nbgrader_meta(c)["grade_id"]: c for c in nb.cells if nbt.is_test(c)}


def _errors(cell):
    return [(o.ename, o.evalue) for o in cell.outputs if o.output_type == "error"]


def _stdout(cell):
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")


def _grades(course):
    """{student: {notebook: {test: points}}} from the gradebook."""
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions("week1"):
            out[sub.student.id] = {nb.name: {g.name: g.score for g in nb.grades} for nb in sub.notebooks}
    return out


@pytest.mark.slow
def test_deleted_and_tampered_test_cells_are_restored(graded):
    course, _ = graded
    assert notebook_scores(course, "week1")["restored"]["gradient_checking"] == (7.0, 7.0)
    sidecar = _sidecar(course, "restored")
    assert sidecar == {"broken": None, "flags": [], "events": [],
                       "restored_cells": ["test_forward_propagation", "test_backward_propagation",
                                          "test_gradient_check"]}
    nb = _graded_nb(course, "restored")
    tests = _tests(nb)
    assert list(tests) == TESTS  # all four, in the release's order, and no "bonus"
    for gid in sidecar["restored_cells"]:
        first = tests[gid].outputs[0]
        assert (first.output_type, first.name, first.text) == ("stream", "stdout", RESTORED_NOTE + "\n")
    assert RESTORED_NOTE not in _stdout(tests["test_gradient_check_n"])
    # The deleted cell is back where the release has it: after the expected-output cell.
    release = nbt.read(course / "release" / "week1" / "gradient_checking.ipynb")
    position = next(i for i, c in enumerate(nb.cells) if c is tests["test_gradient_check"])
    assert nb.cells[position - 1].get("id") == release.cells[_index(release, "test-gradient-check") - 1].id
    # Points and flags come from the gradebook, the hidden tests ran.
    assert nbt.nbgrader_meta(tests["test_backward_propagation"])["points"] == 1
    assert "backward_propagation: hidden tests passed." in _stdout(tests["test_backward_propagation"])
    # stderr from the student's function: kept as text, no longer a failure.
    out = _stdout(tests["test_forward_propagation"])
    assert "[stderr] debug: forward\n" in out and "forward_propagation: hidden tests passed." in out
    assert not any(o.get("name") == "stderr" for c in tests.values() for o in c.outputs)
    assert not any(nbt.nbgrader_meta(c).get("grade_id") == "bonus" for c in nb.cells)


@pytest.mark.slow
def test_kernel_crash_costs_only_the_tests_that_could_not_run(graded):
    course, _ = graded
    assert notebook_scores(course, "week1")["crash"]["gradient_checking"] == (4.0, 7.0)
    assert _grades(course)["crash"]["gradient_checking"] == {
        "test_forward_propagation": 1.0, "test_backward_propagation": 0.0,
        "test_gradient_check": 0.0, "test_gradient_check_n": 3.0}
    nb = _graded_nb(course, "crash")
    tests = _tests(nb)
    assert _errors(tests["test_backward_propagation"]) == [(
        "AssertionError", "backward_propagation: backward_propagation(x=3, theta=4) is off (largest difference 1). "
                          "The derivative of theta * x with respect to theta is x.")]
    crash_cell = next(c for c in nb.cells if c.source == "import os\nos._exit(1)")
    assert _errors(crash_cell) == [("KernelDied", "the kernel died while running this cell (exit code 1); "
                                                  "grading went on in a fresh kernel")]
    assert _errors(tests["test_gradient_check"]) == [("KernelDied", "the kernel died while running this cell "
                                                                    "(exit code 3); grading went on in a fresh kernel")]
    # After the fresh kernel re-ran the cells before, the last test had everything it needed.
    assert "gradient_check_n: hidden tests passed." in _stdout(tests["test_gradient_check_n"])
    assert _sidecar(course, "crash")["events"] == [
        "kernel died in cell 16 ('import os') (exit code 1); re-ran the notebook from a fresh kernel",
        "kernel died in cell 20 (test_gradient_check) (exit code 3); re-ran the notebook from a fresh kernel"]


@pytest.mark.slow
def test_infinite_loops_cost_only_their_tests(graded):
    course, _ = graded
    assert _grades(course)["loops"]["gradient_checking"] == {
        "test_forward_propagation": 1.0, "test_backward_propagation": 1.0,
        "test_gradient_check": 0.0, "test_gradient_check_n": 0.0}
    tests = _tests(_graded_nb(course, "loops"))
    assert _errors(tests["test_gradient_check"]) == [
        ("CellTimeout", f"this cell ran longer than the per-cell limit ({CELL_TIMEOUT} s) and was interrupted")]
    assert _errors(tests["test_gradient_check_n"]) == [
        ("CellTimeout", f"this cell ran longer than the per-cell limit ({CELL_TIMEOUT} s) and did not stop when "
                        "interrupted; grading went on in a fresh kernel")]
    assert _sidecar(course, "loops")["events"] == [
        "cell 25 (test_gradient_check_n) did not stop when interrupted; re-ran the notebook from a fresh kernel"]


@pytest.mark.slow
def test_unreadable_notebook_scores_zero_with_its_reason(graded):
    course, handed = graded
    scores = notebook_scores(course, "week1")["broken"]
    assert scores["initialization"] == (0.0, 4.0)
    assert scores["gradient_checking"] == (7.0, 7.0)  # the student's other notebook: graded as usual
    reason = _sidecar(course, "broken", "initialization")["broken"]
    assert re.fullmatch(r"the file is not valid JSON \(line \d+: .+\): graded as 0; "
                        r"the original is kept as initialization\.ipynb\.broken", reason)
    tests = _tests(_graded_nb(course, "broken", "initialization"))
    assert list(tests) == ["test_initialize_parameters_zeros", "test_initialize_parameters_random",
                           "test_initialize_parameters_he"]
    assert all(_errors(c) == [("BrokenSubmission", reason)] for c in tests.values())
    # Nothing is lost: the file as handed in is kept next to the submission and the graded notebook.
    for folder in ("submitted", "autograded"):
        kept = course / folder / "broken" / "week1" / "initialization.ipynb.broken"
        assert kept.read_text() == handed["initialization"]
    # The other notebook did not validate but had its cells: rebuilt and graded, original kept.
    events = _sidecar(course, "broken")["events"]
    assert len(events) == 1 and events[0].startswith("the submitted file did not match the notebook format (")
    assert (course / "submitted" / "broken" / "week1" / "gradient_checking.ipynb.original").read_text() == \
        handed["gradient_checking"]


@pytest.mark.slow
def test_reaching_for_the_grader_is_flagged(graded):
    course, _ = graded
    assert _sidecar(course, "broken")["flags"] == ["imports autograder", "opens course files: gradebook.db"]
    for student in ("restored", "crash", "loops"):
        assert _sidecar(course, student)["flags"] == []
    page = (course / "feedback" / "broken" / "week1" / "gradient_checking.html").read_text()
    assert "<strong>Flagged</strong>: imports autograder." in page
    assert "<strong>Flagged</strong>: opens course files: gradebook.db." in page


@pytest.mark.slow
def test_nothing_needs_manual_grading(graded):
    from nbgrader.api import Gradebook

    course, _ = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grades = [g for sub in gb.assignment_submissions("week1") for nb in sub.notebooks for g in nb.grades]
        assert len(grades) == 4 * 13
        assert [(g.student.id, g.name) for g in grades if g.needs_manual_grade or g.auto_score is None] == []


def _page_text(path):
    page = path.read_text()
    page = re.sub(r"<style.*?</style>", "", page, flags=re.S)  # Pygments' CSS names a "Generic.Traceback"
    return html.unescape(page)


def _hidden_sources():
    """Lines of every hidden-test block and of the grader's hidden checks and reference."""
    lines = set()
    for path in (ROOT / "source" / "week1").glob("*.ipynb"):
        for cell in nbt.read(path).cells:
            lines |= hidden_lines(cell.source)
    for path in (ROOT / "autograder" / "hidden").rglob("*.py"):
        lines |= {line.strip() for line in path.read_text().splitlines()
                  if len(line.strip()) >= 30 and not line.strip().startswith(("#", '"""', "- "))}
    return lines


@pytest.mark.slow
def test_feedback_shows_points_and_messages_but_no_hidden_tests(graded):
    course, _ = graded
    pages = sorted((course / "feedback").rglob("*.html"))
    assert len(pages) == 5
    forbidden = ["BEGIN HIDDEN", "hidden_week1", "autograder/", "autograder.hidden", "autograder.reference",
                 "Traceback", "<hidden"]
    secret = _hidden_sources()
    for page in pages:
        text = _page_text(page)
        assert [s for s in forbidden if s in text] == [], page
        assert [s for s in secret if s in text] == [], page

    def page(student, name="gradient_checking"):
        return _page_text(course / "feedback" / student / "week1" / f"{name}.html")

    def points(text):
        return dict(re.findall(r'href="#(test_\w+)">Test cell</a> \(Score: ([\d.]+ / [\d.]+)\)', text))

    crash = page("crash")
    assert points(crash) == {"test_forward_propagation": "1.0 / 1.0", "test_backward_propagation": "0.0 / 1.0",
                             "test_gradient_check": "0.0 / 2.0", "test_gradient_check_n": "3.0 / 3.0"}
    assert "AssertionError: backward_propagation: backward_propagation(x=3, theta=4) is off" in crash
    assert "KernelDied: the kernel died while running this cell (exit code 3)" in crash
    assert "<strong>Note</strong>: kernel died in cell 20 (test_gradient_check) (exit code 3)" in crash
    assert "checks.check_gradient_check(gradient_check)" in re.sub(r"<[^>]+>", "", crash)  # the visible part
    loops = page("loops")
    assert f"CellTimeout: this cell ran longer than the per-cell limit ({CELL_TIMEOUT} s)" in loops
    broken = page("broken", "initialization")
    assert points(broken) == {"test_initialize_parameters_zeros": "0.0 / 1.0",
                              "test_initialize_parameters_random": "0.0 / 1.0",
                              "test_initialize_parameters_he": "0.0 / 2.0"}
    assert "BrokenSubmission: the file is not valid JSON" in broken
    assert "<strong>This notebook could not be read</strong>: the file is not valid JSON" in broken
    restored = page("restored")
    assert RESTORED_NOTE in restored and "<strong>Restored test cells</strong>" in restored
    # The grader's notes stay with the autograded notebooks.
    assert not list((course / "feedback").rglob("*.autograder.json"))


@pytest.mark.slow
def test_grading_again_gives_the_same_result(graded):
    course, _ = graded

    def snapshot():
        outcome = {}
        for path in sorted((course / "autograded").rglob("*.ipynb")):
            nb = nbt.read(path)
            outcome[str(path.relative_to(course))] = {
                "tests": {gid: _errors(c) for gid, c in _tests(nb).items()},
                "sidecar": json.loads(path.with_suffix(".autograder.json").read_text())}
        return _grades(course), outcome

    before = snapshot()
    run_nbgrader(course, "autograde", "week1", "--force")
    assert snapshot() == before


# ============================================================================ slow: RobustExecute on its own

def _grade_cell(source, grade_id):
    return new_code_cell(source, metadata={"nbgrader": {"grade": True, "solution": False, "locked": True,
                                                        "grade_id": grade_id, "points": 1, "schema_version": 3}})


def _robust_run(tmp_path, cells, sandbox=None, **traits):
    from autograder.plugins.robust_execute import RobustExecute

    nb = nbformat.v4.new_notebook(cells=cells)
    executor = RobustExecute(kernel_manager_class=SandboxedKernelManager,
                             config=Config({"SandboxedKernelManager": sandbox or {}}), **traits)
    nb, resources = executor.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    return nb, resources["autograder"]["events"]


SLEEP_THROUGH_INTERRUPTS = ("import time\nwhile True:\n    try:\n        time.sleep(10)\n"
                            "    except KeyboardInterrupt:\n        pass")


@needs_bwrap
@pytest.mark.slow
def test_notebook_time_limit(tmp_path):
    nb, events = _robust_run(tmp_path, [_grade_cell("print('a')", "a"), new_code_cell("import time\ntime.sleep(30)"),
                                        _grade_cell("print('b')", "b")], timeout=20, notebook_time_limit=4)
    assert _stdout(nb.cells[0]) == "a\n"
    assert _errors(nb.cells[1]) == [("CellTimeout", "this cell was interrupted when the notebook's time limit (4 s) "
                                                    "ran out")]
    assert _errors(nb.cells[2]) == [("NotRun", "the notebook's time limit (4 s) ran out before this test could run")]
    assert events == ["the notebook's time limit (4 s) ran out at cell 3 (b); the tests after it did not run"]


@needs_bwrap
@pytest.mark.slow
def test_sandbox_kill_is_a_kernel_death_and_restarts_are_limited(tmp_path):
    # The sandbox kills the kernel at its wall-clock limit: a death; the fresh kernel re-ran cell 1.
    nb, events = _robust_run(tmp_path, [_grade_cell("x = 1", "a"), new_code_cell(SLEEP_THROUGH_INTERRUPTS),
                                        _grade_cell("print('b', x)", "b")], sandbox={"time_limit_s": 3}, timeout=20)
    assert _errors(nb.cells[1]) == [("KernelDied", "the kernel died while running this cell (stopped at the "
                                                   "sandbox's time limit for one kernel, 3 s); grading went on in a "
                                                   "fresh kernel")]
    assert _stdout(nb.cells[2]) == "b 1\n"
    assert events == ["kernel died in cell 2 ('import time') (stopped at the sandbox's time limit for one kernel, 3 s);"
                      " re-ran the notebook from a fresh kernel"]
    # Past max_kernel_restarts, the remaining tests are not run.
    crash = "import os\nos._exit(7)"
    nb, events = _robust_run(tmp_path, [_grade_cell("x = 1", "a"), new_code_cell(crash), new_code_cell(crash),
                                        _grade_cell("print(x)", "b")], timeout=20, max_kernel_restarts=1)
    died = "the kernel died while running this cell (exit code 7); "
    assert [_errors(c) for c in nb.cells] == [
        [], [("KernelDied", died + "grading went on in a fresh kernel")],
        [("KernelDied", died + "the tests after it were not run")],
        [("NotRun", "the kernel failed 2 times (last in cell 3 ('import os')); the remaining tests were not run")]]
    assert events[-1] == "kernel died in cell 3 ('import os') (exit code 7); gave up after 2 kernel failures"
