"""Week 1, regularization: what is special to this notebook.

The reference's backward passes against numerical gradients, the hidden
dropout checks' own pieces (the cache they build, the forward check's seeding
and its frozen-mask case), the visible dropout example, the release template
(skeletons, no seed in the dropout forward pass), the points of the test cells,
the data splits and the dev cost that nn.train records for early stopping, and
the explorer.
The generic contract (hidden checks against the reference, correct and wrong
versions, visible checks, solution cells) is in tests/test_contract.py,
tests/test_visible_checks.py and tests/test_solutions.py.
"""

import ast
import contextlib
import io
import re

import numpy as np
import pytest

from autograder.hidden.common import random_net
from autograder.hidden.week1.regularization import dropout as hidden_dropout
from autograder.numgrad import numerical_param_gradients
from autograder.plugins.release_code import release_source
from autograder.reference.week1 import regularization as ref
from course import data, nn
from course.checks.week1 import regularization as checks
from course.widgets.week1.regularization import regularization_explorer, unit_contributions
from tests.course_map import Notebook

PARAM_GRADS = ("dW1", "db1", "dW2", "db2", "dW3", "db3")


def _net(seed, dims, m):
    return random_net(np.random.RandomState(seed), dims, m)


def _rel(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b) + 1e-300)


# ---------------------------------------------------------------- the reference's gradients


@pytest.mark.parametrize("seed, dims, m, lambd", [(0, [3, 4, 2, 1], 5, 0.7), (1, [2, 6, 3, 1], 9, 0.1),
                                                   (2, [4, 1, 3, 1], 4, 2.0), (3, [2, 3, 1, 1], 1, 0.0)])
def test_reference_l2_backward_matches_numerical_gradients(seed, dims, m, lambd):
    X, Y, params = _net(seed, dims, m)
    _, cache = nn.forward_propagation(X, params)
    grads = ref.backward_propagation_with_regularization(X, Y, cache, lambd)

    def cost(p):
        A3, _ = nn.forward_propagation(X, p)
        return ref.compute_cost_with_regularization(A3, Y, p, lambd)

    num = numerical_param_gradients(cost, params)
    for k in PARAM_GRADS:
        assert _rel(grads[k], num[k]) < 1e-7, k


@pytest.mark.parametrize("seed, dims, m, keep_prob", [(0, [3, 4, 2, 1], 5, 0.7), (1, [2, 6, 3, 1], 9, 0.86),
                                                       (2, [4, 1, 3, 1], 4, 0.5), (3, [2, 3, 3, 1], 6, 1.0)])
def test_reference_dropout_backward_matches_numerical_gradients(seed, dims, m, keep_prob):
    X, Y, params = _net(seed, dims, m)
    np.random.seed(seed)
    _, cache = ref.forward_propagation_with_dropout(X, params, keep_prob)
    D1, D2 = cache[1], cache[6]
    grads = ref.backward_propagation_with_dropout(X, Y, cache, keep_prob)

    def cost(p):
        A3 = hidden_dropout.dropout_cache(X, p, D1, D2, keep_prob)[11]
        return nn.compute_cost(A3, Y)

    num = numerical_param_gradients(cost, params)
    for k in PARAM_GRADS:
        assert _rel(grads[k], num[k]) < 1e-7, k


# ---------------------------------------------------------------- the hidden dropout checks' pieces


def test_hidden_dropout_cache_matches_reference_forward():
    X, _, params = _net(4, [3, 5, 4, 1], 7)
    np.random.seed(9)
    _, cache = ref.forward_propagation_with_dropout(X, params, 0.6)
    rebuilt = hidden_dropout.dropout_cache(X, params, cache[1], cache[6], 0.6)
    for a, b in zip(cache, rebuilt):
        assert np.array_equal(a, b)


def test_forward_dropout_cases_seed_only_the_first_call():
    """Consecutive calls continue the global RNG's stream, as in training: new masks at every call."""
    cases = hidden_dropout.check_forward_propagation_with_dropout.cases()
    assert cases[0]["seed"] == hidden_dropout.SEED
    assert all("seed" not in c for c in cases[1:])
    np.random.seed(hidden_dropout.SEED)
    masks = [ref.forward_propagation_with_dropout(*c["args"])[1][1] for c in cases[:2]]
    assert masks[0].shape != masks[1].shape or not np.array_equal(masks[0], masks[1])


def test_backward_dropout_cases_come_with_int_and_bool_masks():
    cases = hidden_dropout.check_backward_propagation_with_dropout.cases()
    kinds = [(c["args"][2][1].dtype.kind, c["args"][2][6].dtype.kind) for c in cases]
    assert kinds == [("i", "i"), ("b", "b")] * (len(cases) // 2)
    for with_int, with_bool in zip(cases[::2], cases[1::2]):
        for a, b in zip(with_int["args"][2], with_bool["args"][2]):
            assert np.array_equal(a, b)


# ---------------------------------------------------------------- the visible checks and the notebook


def test_visible_dropout_example_is_the_notebook_one():
    """The visible backward check hard-codes the cache the canonical forward pass builds."""
    X, Y, params = checks.make_example()
    np.random.seed(1)
    _, cache = ref.forward_propagation_with_dropout(X, params, 0.7)
    expected = ref.backward_propagation_with_dropout(X, Y, cache, 0.7)

    captured = {}

    def spy(X_, Y_, cache_, keep_prob):
        captured["cache"] = cache_
        return expected

    with contextlib.redirect_stdout(io.StringIO()):
        checks.check_backward_propagation_with_dropout(spy)
    for a, b in zip(cache, captured["cache"]):
        assert np.array_equal(a, b)


def test_visible_example_is_the_notebooks_make_example():
    source = next(c for c in Notebook("week1", "regularization").cells()
                  if "".join(c["source"]).startswith("def make_example():"))
    namespace = {"np": np}
    exec("".join(source["source"]), namespace)
    for a, b in zip(namespace["make_example"](), checks.make_example()):
        if isinstance(a, dict):
            assert a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)
        else:
            assert np.array_equal(a, b)


def test_test_cells_points():
    points = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"]["points"]
              for c in Notebook("week1", "regularization").cells() if c["metadata"].get("nbgrader", {}).get("grade")}
    assert points == {"test_normalize_inputs": 1, "test_diagnose": 1, "test_compute_cost_with_regularization": 2,
                      "test_backward_propagation_with_regularization": 2,
                      "test_forward_propagation_with_dropout": 3, "test_backward_propagation_with_dropout": 2,
                      "test_best_iteration": 1}


# ---------------------------------------------------------------- the explorer

EXPLORED = ["compute_cost_with_regularization", "backward_propagation_with_regularization",
            "forward_propagation_with_dropout", "backward_propagation_with_dropout"]


def _explorer(**functions):
    X_train, Y_train, X_dev, Y_dev, _, _ = data.load_noisy_moons()
    rng = np.random.RandomState(3)
    initial = {"W1": rng.randn(20, 2) * np.sqrt(2 / 2), "b1": np.zeros((20, 1)),
               "W2": rng.randn(3, 20) * np.sqrt(2 / 20), "b2": np.zeros((3, 1)),
               "W3": rng.randn(1, 3) * np.sqrt(2 / 3), "b3": np.zeros((1, 1))}
    fns = {name: getattr(ref, name) for name in EXPLORED}
    fns.update(functions)
    return regularization_explorer(*(fns[name] for name in EXPLORED), X_train, Y_train, X_dev, Y_dev, initial,
                                   num_iterations=30)


def test_explorer_draws_every_position_and_sets_the_label():
    np.random.seed(5)
    state = np.random.get_state()[1].copy()
    explorer = _explorer()
    assert np.array_equal(np.random.get_state()[1], state), "the explorer must not disturb the global RNG"
    assert explorer.error is None
    technique, lambd, keep_prob = explorer.controls
    assert re.fullmatch(r"lambd = 0\.7: train \d+\.\d%, dev \d+\.\d%; \d+ of 20 layer-1 units switched off",
                        explorer.status.value)
    assert keep_prob.disabled and not lambd.disabled
    for value in (0.0, 1.4, 0.5):
        lambd.value = value
        shown = {0.5: "0.7", 0.0: "0 (no regularization)"}.get(value, f"{value:g}")
        assert explorer.status.value.startswith(f"lambd = {shown}: train ")
    technique.value = "dropout"
    assert lambd.disabled and not keep_prob.disabled
    assert explorer.status.value.startswith("keep_prob = 0.86: train ")
    for value in (1.0, 0.86):
        keep_prob.value = value
        assert explorer.status.value.startswith(f"keep_prob = {value:g}")
    assert explorer.image.value[:4] == b"\x89PNG"


def test_explorer_names_a_stub():
    def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
        raise NotImplementedError()

    explorer = _explorer(forward_propagation_with_dropout=forward_propagation_with_dropout)
    assert explorer.error == "implement `forward_propagation_with_dropout` above first"


def test_explorer_bars_are_the_layer_1_units_contributions():
    params = {"W1": np.array([[3.0, 4.0], [0.0, 0.0], [1.0, 0.0]]), "W2": np.array([[1.0, 5.0, 0.0], [0.0, 1.0, 2.0]])}
    assert np.allclose(unit_contributions(params), [5.0 * 1.0, 0.0, 1.0 * 2.0])


# ---------------------------------------------------------------- data, training loop, early stopping


def test_noisy_moons_splits_are_make_moons_points():
    import sklearn.datasets

    X_train, Y_train, X_dev, Y_dev, X_test, Y_test = data.load_noisy_moons()
    assert [a.shape for a in (X_train, Y_train, X_dev, Y_dev, X_test, Y_test)] == \
        [(2, 150), (1, 150), (2, 200), (1, 200), (2, 200), (1, 200)]
    X, y = sklearn.datasets.make_moons(n_samples=150, noise=0.3, random_state=1)
    assert np.array_equal(X_train, X.T) and np.array_equal(Y_train, y.reshape(1, -1))
    X, y = sklearn.datasets.make_moons(n_samples=400, noise=0.3, random_state=2)
    assert np.array_equal(np.hstack([X_dev, X_test]), X.T) and np.array_equal(np.hstack([Y_dev, Y_test]), y[None])
    for Y in (Y_dev, Y_test):  # both splits hold both classes in about equal numbers
        assert 80 < Y.sum() < 120


def _small_training(**options):
    X_train, Y_train, X_dev, Y_dev, _, _ = data.load_noisy_moons()
    _, _, params = _net(7, [2, 5, 3, 1], 1)
    return nn.train(X_train, Y_train, params, learning_rate=0.3, num_iterations=250, record_every=50, **options)


def test_train_records_the_dev_cost_only_when_given_a_dev_set():
    X_train, Y_train, X_dev, Y_dev, _, _ = data.load_noisy_moons()
    params, costs = _small_training()
    params_dev, costs_dev, dev_costs = _small_training(dev=(X_dev, Y_dev))
    assert costs_dev == costs and all(np.array_equal(params[k], params_dev[k]) for k in params)
    assert len(dev_costs) == len(costs) == 5
    _, _, initial = _net(7, [2, 5, 3, 1], 1)
    for k, recorded in enumerate(dev_costs):  # the dev cost of the parameters after k * 50 updates
        at_k, _ = nn.train(X_train, Y_train, initial, learning_rate=0.3, num_iterations=50 * k, record_every=50)
        assert recorded == pytest.approx(nn.compute_cost(nn.forward_propagation(X_dev, at_k)[0], Y_dev), rel=1e-12)


def test_early_stopping_retrains_to_the_lowest_dev_cost():
    """The notebook retrains for best_iteration(...) iterations: that gives the parameters of the lowest dev cost."""
    X_train, Y_train, X_dev, Y_dev, _, _ = data.load_noisy_moons()
    _, _, initial = _net(7, [2, 5, 3, 1], 1)
    _, _, dev_costs = nn.train(X_train, Y_train, initial, learning_rate=0.3, num_iterations=250, record_every=50,
                               dev=(X_dev, Y_dev))
    best = ref.best_iteration(dev_costs, 50)
    at_best, _ = nn.train(X_train, Y_train, initial, learning_rate=0.3, num_iterations=best, record_every=50)
    assert nn.compute_cost(nn.forward_propagation(X_dev, at_best)[0], Y_dev) == pytest.approx(min(dev_costs), rel=1e-12)


# ---------------------------------------------------------------- the release template


def _solution_cell(name):
    return next("".join(c["source"]) for c in Notebook("week1", "regularization").cells()
                if c["cell_type"] == "code" and f"# GRADED FUNCTION: {name}\n" in "".join(c["source"]))


def _calls(source, attribute):
    return [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute) and node.func.attr == attribute]


def test_dropout_forward_template_and_solution_never_seed():
    """New masks at every call: neither the release template (what the student starts from, outside the
    solution regions too) nor the solution calls np.random.seed."""
    source = _solution_cell("forward_propagation_with_dropout")
    released, replaced = release_source(source, "# YOUR CODE HERE\nraise NotImplementedError()")
    assert replaced
    assert "seed" not in released, released
    assert not _calls(source.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""), "seed")


@pytest.mark.parametrize("name, given", [
    ("backward_propagation_with_regularization", "(Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache"),
    ("forward_propagation_with_dropout", 'W3, b3 = parameters["W3"], parameters["b3"]'),
    ("backward_propagation_with_dropout", "(Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache")])
def test_long_exercises_release_with_a_skeleton(name, given):
    """The cache unpacking is given, and every step says how many lines it takes."""
    released, _ = release_source(_solution_cell(name), "# YOUR CODE HERE\nraise NotImplementedError()")
    assert given in released
    steps = re.findall(r"# Step \d.*?\(approx\. \d+ lines?\)\n\s*# YOUR CODE HERE", released, re.DOTALL)
    assert len(steps) == released.count("# YOUR CODE HERE") >= 3, released


def test_forward_dropout_cases_call_twice_in_a_row_for_the_frozen_mask():
    cases = hidden_dropout.check_forward_propagation_with_dropout.cases()
    again = [i for i, c in enumerate(cases) if c["meta"]["kind"] == "again"]
    assert again and all("seed" not in cases[i] for i in again)
    for i in again:
        assert all(a is b for a, b in zip(cases[i]["args"], cases[i - 1]["args"]))


@pytest.mark.parametrize("dims, dev", [([2, 20, 3, 1], True), ([2, 10, 5, 1], False), ([3, 1, 7, 1], False)])
def test_plain_training_loop_takes_the_generic_steps(dims, dev):
    """nn.train's fast path (augmented [W b], preallocated arrays) gives what the generic loop
    over forward_propagation / backward_propagation gives, costs and dev costs included."""
    from course import nn

    rng = np.random.RandomState(sum(dims))
    X, Y = rng.randn(dims[0], 57), (rng.rand(1, 57) > 0.5).astype(float)
    params = {}
    for l in range(1, 4):
        params[f"W{l}"] = rng.randn(dims[l], dims[l - 1]) * np.sqrt(2 / dims[l - 1])
        params[f"b{l}"] = rng.randn(dims[l], 1) * 0.1
    options = dict(learning_rate=0.05, num_iterations=700, record_every=100,
                   dev=(rng.randn(dims[0], 9), np.ones((1, 9))) if dev else None)
    before = {k: v.copy() for k, v in params.items()}
    fast = nn.train(X, Y, params, **options)
    generic = nn.train(X, Y, params, forward=lambda X, p: nn.forward_propagation(X, p), **options)
    assert len(fast) == len(generic) == (3 if dev else 2)
    for key in params:
        np.testing.assert_allclose(fast[0][key], generic[0][key], rtol=1e-10, atol=1e-12)
    for got, expected in zip(fast[1:], generic[1:]):
        np.testing.assert_allclose(got, expected, rtol=1e-10)
    assert all(np.array_equal(params[k], v) for k, v in before.items())   # the initial parameters are untouched
