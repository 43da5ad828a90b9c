"""Week 1, initialization: only what is special to this notebook.

The shared tests already run, for every graded function: the hidden-check contract
(tests/test_contract.py), the visible checks on the reference, the correct variants
and a stub (tests/test_visible_checks.py), the solution cells against the reference
(tests/test_solutions.py) and the layout (tests/test_layout.py). Here:
- the hidden checks' statistical tolerances, with other draws than the reference's;
- their speed;
- what the visible checks reject and explain;
- the points of the test cells;
- what the activation explorer shows.

The initializers have no backward pass, so there is no numerical-gradient test here.
"""

import time

import numpy as np
import pytest

from autograder.hidden.week1 import initialization as hidden
from autograder.reference.week1 import initialization as ref
from course.checks.week1 import initialization as checks
from tests.course_map import Notebook
from tests.implementations.week1 import initialization as impl

NOTEBOOK = Notebook("week1", "initialization")
NAMES = ["initialize_parameters_zeros", "initialize_parameters_random", "initialize_parameters_he"]


# ---------------------------------------------------------------- hidden checks

def _seeded(kind, seed):
    """A correct initializer that seeds with another seed: other draws, same distribution."""
    def fn(layers_dims):
        np.random.seed(seed)
        parameters = {}
        for l in range(1, len(layers_dims)):
            scale = 10.0 if kind == "random" else np.sqrt(2.0 / layers_dims[l - 1])
            parameters[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * scale
            parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
        return parameters
    return fn


@pytest.mark.parametrize("kind", ["random", "he"])
def test_distribution_checks_accept_other_draws(kind):
    # The reference always draws the same numbers (seed 3 inside), so the statistical tolerances are
    # exercised here with other draws. Offline, 1,000 seeds per kind all passed; the largest std
    # deviation seen was 4.0 standard errors against a tolerance of 7.
    for seed in range(10):
        getattr(hidden, f"check_initialize_parameters_{kind}")(_seeded(kind, 1000 + seed))


@pytest.mark.parametrize("name", NAMES)
def test_hidden_check_is_fast(name):
    check, fn = getattr(hidden, "check_" + name), getattr(ref, name)
    check(fn)  # warm up
    start = time.process_time()   # CPU time: robust to other processes sharing the machine
    check(fn)
    assert time.process_time() - start < 1.0   # about 0.15 s on an idle machine


# ---------------------------------------------------------------- visible checks

def test_visible_check_explains_a_different_draw_order(capsys):
    checks.check_initialize_parameters_he(impl.he_transposed_draw)
    assert "differ from the expected output" in capsys.readouterr().out


VISIBLE_WRONG = [
    ("initialize_parameters_zeros", impl.zeros_ones, "should be all zeros"),
    ("initialize_parameters_zeros", impl.zeros_transposed, "transposed"),
    ("initialize_parameters_zeros", impl.zeros_stops_early, "missing W2, b2"),
    ("initialize_parameters_random", impl.random_no_factor, "forget to multiply by 10"),
    ("initialize_parameters_random", impl.random_no_seed, "np.random.seed(3)"),
    ("initialize_parameters_random", impl.random_b_flat, "make it a column"),
    ("initialize_parameters_random", impl.random_rand, "not np.random.rand"),
    ("initialize_parameters_he", impl.he_xavier, "sqrt(1/n)"),
    ("initialize_parameters_he", impl.he_current_width, "previous layer's width"),
    ("initialize_parameters_he", impl.he_no_sqrt, "square root"),
    ("initialize_parameters_he", impl.he_no_scale, "forget to multiply"),
    ("initialize_parameters_he", impl.he_b_random, "should be all zeros"),
    ("initialize_parameters_he", impl.he_glorot, "expected about"),
]


@pytest.mark.parametrize("name,fn,expected", VISIBLE_WRONG, ids=[f"{n}-{f.__name__}" for n, f, _ in VISIBLE_WRONG])
def test_mistake_fails_visible_check(name, fn, expected):
    with pytest.raises(AssertionError) as info:
        getattr(checks, "check_" + name)(fn)
    assert expected in str(info.value)


# ---------------------------------------------------------------- the notebook

def test_test_cells_and_points():
    points = {f"test_{name}": p for name, p in zip(NAMES, (1, 1, 2))}
    cells = {c["metadata"]["nbgrader"]["grade_id"]: c for c in NOTEBOOK.cells()
             if c["metadata"].get("nbgrader", {}).get("grade")}
    assert {gid: c["metadata"]["nbgrader"]["points"] for gid, c in cells.items()} == points


# ---------------------------------------------------------------- the activation explorer

def test_activation_explorer_shows_vanishing_and_exploding_activations():
    import matplotlib
    matplotlib.use("Agg")
    from course.widgets.week1.initialization import activation_explorer

    explorer = activation_explorer(ref.initialize_parameters_he, ref.initialize_parameters_random)
    assert explorer.error is None
    assert explorer.status.value.startswith("relu, your He × 1: layer-10 std = ")
    weights, gain, activation = explorer.controls
    for w, g, a in [("your random ×10", 1.0, "relu"), ("your He", 0.5, "tanh"), ("Xavier sqrt(1/n)", 2.0, "sigmoid"),
                    ("your He", 10.0, "relu"), ("your He", 0.1, "relu")]:
        weights.value, activation.value, gain.value = w, a, g
        assert explorer.status.value.startswith(f"{a}, {w} × ")
    assert "layer-10 std = 5.1e-11" in explorer.status.value   # He × 0.1 through 10 relu layers: vanished


def test_activation_explorer_names_a_wrong_shape():
    from course.widgets.week1.initialization import activation_explorer

    explorer = activation_explorer(ref.initialize_parameters_he, impl.random_b_flat)
    assert explorer.error is not None and "`random_b_flat` returned W1 (100, 100) and b1 (100,)" in explorer.error
