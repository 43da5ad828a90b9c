"""Week 1, initialization: only what is special to this notebook.

The shared tests already run, for every graded function: the hidden-check contract
(tests/test_contract.py), the visible checks on the reference, the correct variants
and a stub (tests/test_visible_checks.py), the solution cells against the reference
(tests/test_solutions.py) and the layout (tests/test_layout.py). Here:
- the hidden checks' statistical tolerances, with other draws than the reference's;
- their speed;
- what the visible checks reject and explain;
- the points of the test cells;
- what the activation explorer shows: vanishing and exploding activations and gradients.

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

def _explorer():
    from course.widgets.week1.initialization import activation_explorer

    return activation_explorer(ref.initialize_parameters_he, ref.initialize_parameters_random)


def _status(explorer, weights, gain, activation):
    controls = dict(zip(explorer.names, explorer.controls))
    controls["weights"].value, controls["activation"].value, controls["gain"].value = weights, activation, gain
    return explorer.status.value


def _numbers(status):
    """layer-10 std, ||dW1||, ||dW10|| from the status label."""
    import re

    return [float(x) for x in re.findall(r"= ([-+.e0-9]+)", status)]


def test_activation_explorer_shows_vanishing_and_exploding_activations():
    explorer = _explorer()
    assert explorer.error is None
    assert explorer.status.value.startswith("relu, your He × 1: layer-10 std = ")
    for w, g, a in [("your random ×10", 1.0, "relu"), ("your He", 0.5, "tanh"), ("Xavier sqrt(1/n)", 2.0, "sigmoid"),
                    ("your He", 10.0, "relu"), ("your He", 0.1, "relu")]:
        assert _status(explorer, w, g, a).startswith(f"{a}, {w} × ")
    assert "layer-10 std = 5.1e-11" in explorer.status.value   # He × 0.1 through 10 relu layers: vanished


def test_activation_explorer_shows_vanishing_and_exploding_gradients():
    explorer = _explorer()
    _, dW1, dW10 = _numbers(_status(explorer, "your He", 1.0, "relu"))
    assert 0.3 < dW1 / dW10 < 3   # He, relu: every layer's gradient of the same size
    # relu without biases: every dW[l] scales with gain ** 9 ("about 500 times smaller"; the label rounds)
    _, small1, small10 = _numbers(_status(explorer, "your He", 0.5, "relu"))
    assert small1 / dW1 == pytest.approx(0.5 ** 9, rel=0.06) and small10 / dW10 == pytest.approx(0.5 ** 9, rel=0.06)
    _, big1, _ = _numbers(_status(explorer, "your He", 2.0, "relu"))
    assert big1 / dW1 == pytest.approx(2.0 ** 9, rel=0.06)
    # sigmoid: the gradient vanishes going backward (10^4 to 10^6 times smaller at layer 1, as the notebook says)
    for weights in ("your He", "Xavier sqrt(1/n)"):
        _, s1, s10 = _numbers(_status(explorer, weights, 1.0, "sigmoid"))
        assert 1e-6 < s1 / s10 < 1e-4, (weights, s1, s10)
    # tanh, random × 10: saturated forward, but the gradients explode going backward
    _, t1, t10 = _numbers(_status(explorer, "your random ×10", 1.0, "tanh"))
    assert t1 / t10 > 1e3


def test_relu_shortcut_matches_a_full_pass():
    """The explorer computes a relu net with zero biases once, at gain 1, and scales it (_relu_at)."""
    from course.widgets.week1 import initialization as wi

    X, R = np.random.RandomState(0).randn(20, 300), np.random.RandomState(1).randn(20, 300)
    layers = wi._weights(ref.initialize_parameters_he, [20] * 7)
    base = wi._stats(X, R, layers, 1.0, "relu")
    for gain in (0.1, 0.63, 3.16):
        full, scaled = wi._stats(X, R, layers, gain, "relu"), wi._relu_at(base, gain)
        np.testing.assert_allclose(scaled["dW"], full["dW"], rtol=1e-9)
        np.testing.assert_allclose(scaled["grad_std"], full["grad_std"], rtol=1e-9)
        for a, b in zip(scaled["panels"], full["panels"]):
            assert a["std"] == pytest.approx(b["std"], rel=1e-9) and a["zeros"] == b["zeros"]
            np.testing.assert_allclose(a["hist"][1:], b["hist"][1:], rtol=1e-9)
            assert np.abs(a["hist"][0] - b["hist"][0]).sum() <= 2   # a value on a bin edge may move


def test_backward_pass_is_the_course_backprop():
    """_stats's gradients are those of J = (1/m) sum(R * A[L]) (numerical check on a tiny net)."""
    from course.widgets.week1 import initialization as wi

    rng = np.random.RandomState(3)
    X, R = rng.randn(3, 5), rng.randn(3, 5)
    layers = [(rng.randn(3, 3), np.zeros((3, 1))) for _ in range(3)]
    for activation in ("tanh", "sigmoid"):
        g = wi._ACTIVATIONS[activation][0]

        def cost(W1):
            a = X
            for W, b in [(W1, layers[0][1])] + layers[1:]:
                a = g(W @ a + b)
            return np.sum(R * a) / X.shape[1]

        eps, W1 = 1e-6, layers[0][0]
        numeric = np.zeros_like(W1)
        for idx in np.ndindex(W1.shape):
            plus, minus = W1.copy(), W1.copy()
            plus[idx] += eps
            minus[idx] -= eps
            numeric[idx] = (cost(plus) - cost(minus)) / (2 * eps)
        # ||dW1|| with the course's convention dW = dZ A^T / m equals the norm of dJ/dW1
        assert wi._stats(X, R, layers, 1.0, activation)["dW"][0] == pytest.approx(np.linalg.norm(numeric), rel=1e-6)


def test_activation_explorer_names_a_wrong_shape():
    from course.widgets.week1.initialization import activation_explorer

    explorer = activation_explorer(ref.initialize_parameters_he, impl.random_b_flat)
    assert explorer.error is not None and "`random_b_flat` returned W1 (100, 100) and b1 (100,)" in explorer.error


def test_circles_are_scikit_learns():
    """course.data draws make_circles itself (no scikit-learn import in the notebook): the same points."""
    from course import data

    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    for n, noise, seed in ((300, 0.05, 1), (100, 0.05, 2), (7, None, 0)):
        ours = data.make_circles(n, noise=noise, random_state=seed)
        theirs = sklearn_datasets.make_circles(n_samples=n, noise=noise, random_state=seed)
        assert np.array_equal(ours[0], theirs[0]) and np.array_equal(ours[1], theirs[1])
    X_train, Y_train, X_test, Y_test = data.load_circles()
    assert X_train.shape == (2, 300) and Y_train.shape == (1, 300) and X_test.shape == (2, 100)
    assert Y_train.mean() == 0.5 and Y_test.mean() == 0.5
