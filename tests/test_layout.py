"""The one rule, and what every graded function needs, checked on the tree.

Notebook source/weekN/<nb>.ipynb has a module named <nb> in every place that
holds per-notebook code (tests/course_map.py, COMPANIONS); every graded
function has a reference, a visible check, a hidden check and at least three
wrong versions; every hidden test cell names a check that exists, in the
notebook's own module. The README's "Adding a week" checklist names the same places.
"""

import importlib

import pytest

from autograder.hidden.check import Check
from tests.course_map import COMPANIONS, ROOT, WIDGETS, graded_functions, hidden_calls, notebooks

NOTEBOOKS = notebooks()


def _exists(pattern, nb):
    path = ROOT / pattern.format(week=nb.week, nb=nb.name)
    if path.suffix == ".py":
        return path.is_file()
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_there_are_notebooks():
    assert NOTEBOOKS, "no source/week*/*.ipynb found"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda nb: nb.id)
def test_every_place_has_the_notebooks_module(nb):
    missing = [f"{place}: {pattern.format(week=nb.week, nb=nb.name)}" for place, pattern in COMPANIONS.items()
               if not _exists(pattern, nb)]
    if nb.uses_widgets() and not _exists(WIDGETS, nb):
        missing.append(f"explorers: {WIDGETS.format(week=nb.week, nb=nb.name)}")
    assert not missing, f"{nb.id} lacks its module in: " + "; ".join(missing)


@pytest.mark.parametrize("item", graded_functions(), ids=lambda i: f"{i[0].id}:{i[1]}")
def test_every_graded_function_is_checked_both_ways(item):
    nb, name = item
    problems = []
    if not callable(getattr(nb.module("reference"), name, None)):
        problems.append(f"no reference {name} in autograder/reference/{nb.week}/{nb.name}.py")
    if not callable(getattr(nb.module("visible"), f"check_{name}", None)):
        problems.append(f"no visible check check_{name} in course/checks/{nb.week}/{nb.name}.py")
    if not isinstance(getattr(nb.module("hidden"), f"check_{name}", None), Check):
        problems.append(f"no hidden Check check_{name} in autograder/hidden/{nb.week}/{nb.name}")
    wrong = getattr(nb.module("implementations"), "WRONG", {}).get(name, [])
    if len(wrong) < 3:
        problems.append(f"only {len(wrong)} wrong version(s) of {name} in tests/implementations/{nb.week}/"
                        f"{nb.name}.py (WRONG[{name!r}] needs at least 3)")
    assert not problems, "; ".join(problems)


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda nb: nb.id)
def test_hidden_test_cells_name_existing_checks_of_their_notebook(nb):
    own = f"autograder.hidden.{nb.week}.{nb.name}"
    for gid, source in nb.test_cells().items():
        calls = hidden_calls(source)
        assert calls, f"{nb.id} {gid}: the hidden block calls no check (expected `from {own} import check_...`)"
        assert "import *" not in source, f"{nb.id} {gid}: no star imports in hidden tests"
        for module, check, args in calls:
            assert module == own, f"{nb.id} {gid}: imports {module}, not the notebook's own {own}"
            assert isinstance(getattr(importlib.import_module(module), check, None), Check), \
                f"{nb.id} {gid}: {module}.{check} is not a hidden Check"
            assert len(args) == 1, f"{nb.id} {gid}: {check} takes the student's function, one argument"


def test_readme_checklist_names_every_place():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "### Adding a week" in readme
    checklist = readme.split("### Adding a week", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    expected = list(COMPANIONS.values()) + [WIDGETS]
    missing = [p for p in expected if p.format(week="weekN", nb="<nb>") not in checklist]
    assert not missing, f"README's 'Adding a week' checklist does not name: {missing}"
