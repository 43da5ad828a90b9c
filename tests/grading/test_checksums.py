"""nbgrader's checksum warning marks only test cells a student altered.

The gradebook keeps each test cell's checksum with its hidden block; the release
has the block cleared. Without RestoreCells handing untouched test cells the
gradebook's source, `nbgrader autograde` logs "Attribute 'checksum' for cell ...
has changed!" for every test cell of every student. Read from the real
`nbgrader autograde` log of the crafted course (conftest.py).
"""

import re

import pytest

from tests.grading.helpers import AUTOGRADE_LOG

CHECKSUM = re.compile(r"Attribute 'checksum' for cell (\S+) has changed!")
RESTORED = re.compile(r"Restored test cell (\S+) from the gradebook")
SANITIZING = re.compile(r"Sanitizing \S*/submitted/([^/]+)/week1/(\w+)\.ipynb")


def warnings_by_notebook(log):
    """{(student, notebook): {"checksum": [grade_id], "restored": [grade_id]}} in log order."""
    out, current = {}, None
    for line in log.splitlines():
        found = SANITIZING.search(line)
        if found:
            current = out.setdefault(found.groups(), {"checksum": [], "restored": []})
        elif current is not None:
            for key, pattern in (("checksum", CHECKSUM), ("restored", RESTORED)):
                hit = pattern.search(line)
                if hit:
                    current[key].append(hit.group(1))
    return out


@pytest.mark.slow
def test_checksum_warnings_only_for_altered_test_cells(crafted):
    course, _ = crafted
    seen = warnings_by_notebook((course / AUTOGRADE_LOG).read_text())
    assert {"crash", "loops", "restored", "broken"} <= {student for student, _ in seen}
    # "restored": test_backward_propagation's source replaced ("pass"): nbgrader notices it;
    # test_forward_propagation (metadata stripped) and test_gradient_check (deleted) are
    # restored by RestoreCells, with their released source: no checksum warning.
    assert seen.pop(("restored", "gradient_checking")) == {
        "checksum": ["test_backward_propagation"],
        "restored": ["test_forward_propagation", "test_backward_propagation", "test_gradient_check"]}
    # Everyone else's test cells are as released: not one warning.
    assert {key: w for key, w in seen.items() if w["checksum"] or w["restored"]} == {}
