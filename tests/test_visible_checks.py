"""The visible checks (course/checks/weekN/<nb>.py), for every graded function of every week.

They share a test cell with the hidden check, so they must never stand in the way
of a right answer, and a stub must reach the student as its own error:
- the reference passes `check_<name>` and gets the success line;
- every correct variant of tests/implementations/weekN/<nb>.py (CORRECT) passes;
- a stub that raises NotImplementedError propagates as NotImplementedError
  (not swallowed, not turned into an AssertionError).
What each visible check rejects is notebook-specific: tests/weekN/test_<nb>.py.
"""

import pytest

from tests import contract
from tests.course_map import graded_functions, notebooks

FUNCTIONS = graded_functions()


def _id(item):
    nb, name = item[:2]
    return f"{nb.id}:{name}"


def visible_check(nb, name):
    return getattr(nb.module("visible"), f"check_{name}")


def stub(name):
    """A student's untouched stub: a function called `name` that raises NotImplementedError."""
    namespace = {}
    exec(f"def {name}(*args, **kwargs):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n", namespace)
    return namespace[name]


CORRECT = [(nb, name, fn) for nb in notebooks() for name, fns in contract.correct(nb).items() for fn in fns]


@pytest.mark.parametrize("item", FUNCTIONS, ids=_id)
def test_reference_passes_the_visible_check(item, capsys):
    nb, name = item
    visible_check(nb, name)(contract.reference(nb, name))
    assert f"✅ {name}" in capsys.readouterr().out


@pytest.mark.parametrize("item", CORRECT, ids=lambda i: f"{_id(i)}:{i[2].__name__}")
def test_correct_variant_passes_the_visible_check(item, capsys):
    nb, name, fn = item
    visible_check(nb, name)(fn)
    assert f"✅ {name}" in capsys.readouterr().out


@pytest.mark.parametrize("item", FUNCTIONS, ids=_id)
def test_stub_error_propagates_through_the_visible_check(item):
    nb, name = item
    with pytest.raises(NotImplementedError):
        visible_check(nb, name)(stub(name))
