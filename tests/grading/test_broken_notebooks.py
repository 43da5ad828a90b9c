"""Submitted files that cannot be read: set aside, graded 0 with the reason, never dropped.

autograder/plugins/broken.py on its own, then the crafted course's "broken" student.
"""

import json
import re

import nbformat
import pytest

from autograder import notebooks as nbt
from autograder.coursedir import notebook_scores
from autograder.plugins.broken import check_submission
from autograder.plugins.sidecar import BROKEN_KEY
from tests.grading.helpers import errors, graded_nb, sidecar, graded_cells


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


@pytest.mark.slow
def test_unreadable_notebook_scores_zero_with_its_reason(crafted):
    course, handed = crafted
    scores = notebook_scores(course, "week1")["broken"]
    assert scores["initialization"] == (0.0, 4.0)
    assert scores["gradient_checking"] == (11.0, 11.0)  # the student's other notebook: graded as usual
    reason = sidecar(course, "broken", "initialization")["broken"]
    assert re.fullmatch(r"the file is not valid JSON \(line \d+: .+\): graded as 0; "
                        r"the original is kept as initialization\.ipynb\.broken", reason)
    tests = graded_cells(graded_nb(course, "broken", "initialization"))
    assert list(tests) == ["test_initialize_parameters_zeros", "test_initialize_parameters_random",
                           "test_initialize_parameters_he"]
    assert all(errors(c) == [("BrokenSubmission", reason)] for c in tests.values())
    # Nothing is lost: the file as handed in is kept next to the submission and the graded notebook.
    for folder in ("submitted", "autograded"):
        kept = course / folder / "broken" / "week1" / "initialization.ipynb.broken"
        assert kept.read_text() == handed["initialization"]
    # The other notebook did not validate but had its cells: rebuilt and graded, original kept.
    events = sidecar(course, "broken")["events"]
    assert len(events) == 1 and events[0].startswith("the submitted file did not match the notebook format (")
    assert (course / "submitted" / "broken" / "week1" / "gradient_checking.ipynb.original").read_text() == \
        handed["gradient_checking"]
