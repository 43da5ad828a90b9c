"""The shared contract (tests/contract.py), for every graded function of every week."""

import pytest

from tests import contract
from tests.course_map import graded_functions, notebooks

FUNCTIONS = graded_functions()


def _id(item):
    nb, name = item[:2]
    return f"{nb.id}:{name}"


def _variants(table):
    out = []
    for nb in notebooks():
        for name, entries in table(nb).items():
            for entry in entries:
                out.append((nb, name, entry))
    return out


@pytest.mark.parametrize("item", FUNCTIONS, ids=_id)
def test_reference_passes_over_many_seeds(item):
    nb, name = item
    contract.reference_passes_over_seeds(contract.hidden_check(nb, name), contract.reference(nb, name))


@pytest.mark.parametrize("item", FUNCTIONS, ids=_id)
def test_check_keeps_the_global_rng_and_stderr(item, capfd):
    nb, name = item
    assert contract.keeps_rng(contract.hidden_check(nb, name), contract.reference(nb, name)), \
        f"check_{name} changed the global NumPy RNG state"
    captured = capfd.readouterr()
    assert captured.err == "", f"check_{name} wrote to stderr: {captured.err[:300]}"


@pytest.mark.parametrize("item", _variants(contract.correct), ids=lambda i: f"{_id(i)}:{i[2].__name__}")
def test_correct_variant_passes(item):
    nb, name, fn = item
    contract.expect_pass(contract.hidden_check(nb, name), fn)


@pytest.mark.parametrize("item", _variants(contract.wrong), ids=lambda i: f"{_id(i)}:{i[2][0].__name__}")
def test_wrong_version_fails_naming_the_mistake(item, capfd):
    nb, name, entry = item
    contract.expect_fail(contract.hidden_check(nb, name), *entry)
    assert capfd.readouterr().err == ""
