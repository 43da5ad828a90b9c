"""Week 1, regularization: the hidden and visible checks against the reference,
correct variants and deliberately wrong implementations; the reference's backward
functions against numerical gradients."""

import contextlib
import io

import numpy as np
import pytest

import autograder.hidden.week1 as hidden_week1
from autograder.hidden.common import CheckFailed
from autograder.hidden.week1 import regularization as hidden
from autograder.numgrad import numerical_param_gradients
from autograder.reference import week1 as ref
from course import checks, nn
from tests.implementations import week1_regularization as impl

NAMES = ["normalize_inputs", "diagnose", "compute_cost_with_regularization",
         "backward_propagation_with_regularization", "forward_propagation_with_dropout",
         "backward_propagation_with_dropout"]
PARAM_GRADS = ("dW1", "db1", "dW2", "db2", "dW3", "db3")


def _silent(fn, *args):
    """Run fn, capturing stdout and stderr; fail the test if anything reached stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        result = fn(*args)
    assert err.getvalue() == "", f"wrote to stderr: {err.getvalue()}"
    return result, out.getvalue()


def test_checks_are_exported():
    assert sorted(hidden.__all__) == sorted("check_" + n for n in NAMES)
    for n in NAMES:
        assert getattr(hidden_week1, "check_" + n) is getattr(hidden, "check_" + n)


@pytest.mark.parametrize("name", NAMES)
def test_reference_passes_hidden_check_over_many_seeds(name):
    check = getattr(hidden, "check_" + name)
    for seed in range(20):
        np.random.seed(seed)
        _silent(check, getattr(ref, name))


@pytest.mark.parametrize("name", NAMES)
def test_hidden_check_leaves_global_rng_alone(name):
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    getattr(hidden, "check_" + name)(getattr(ref, name))
    assert np.array_equal(np.random.get_state()[1], before)


@pytest.mark.parametrize("name, fn", [pytest.param(n, f, id=f.__name__) for n in NAMES for f in impl.CORRECT[n]])
def test_correct_variants_pass(name, fn):
    for seed in (0, 1, 7):
        np.random.seed(seed)
        _silent(getattr(hidden, "check_" + name), fn)
    _silent(getattr(checks, "check_" + name), fn)


@pytest.mark.parametrize("name, fn, expected",
                         [pytest.param(n, f, s, id=f.__name__) for n in NAMES for f, s in impl.WRONG[n]])
def test_wrong_implementations_are_diagnosed(name, fn, expected):
    with pytest.raises(CheckFailed) as info:
        _silent(getattr(hidden, "check_" + name), fn)
    assert expected in str(info.value), str(info.value)
    assert str(info.value).startswith(name + ": ")


@pytest.mark.parametrize("name", NAMES)
def test_at_least_three_wrong_implementations(name):
    assert len(impl.WRONG[name]) >= 3


@pytest.mark.parametrize("name", NAMES)
def test_visible_check_passes_reference(name):
    _, printed = _silent(getattr(checks, "check_" + name), getattr(ref, name))
    assert printed.strip() == f"✅ {name}: all visible tests passed."


@pytest.mark.parametrize("name", NAMES)
def test_visible_check_rejects_wrong_versions(name):
    caught = 0
    for fn, _ in impl.WRONG[name]:
        try:
            _silent(getattr(checks, "check_" + name), fn)
        except (AssertionError, ValueError):  # a wrong shape may crash inside the student's own code
            caught += 1
    assert caught >= 3


@pytest.mark.parametrize("name", NAMES)
def test_stub_errors_propagate(name):
    def stub(*args, **kwargs):
        raise NotImplementedError()
    with pytest.raises(NotImplementedError):
        getattr(checks, "check_" + name)(stub)
    with pytest.raises(CheckFailed, match="not implemented yet"):
        getattr(hidden, "check_" + name)(stub)


def test_hidden_checks_are_fast():
    import time
    for name in NAMES:
        start = time.perf_counter()
        getattr(hidden, "check_" + name)(getattr(ref, name))
        assert time.perf_counter() - start < 1.0, name


# ---------------------------------------------------------------- the reference's gradients


def _net(seed, dims, m):
    rng = np.random.RandomState(seed)
    X = rng.randn(dims[0], m)
    Y = (rng.rand(1, m) > 0.5).astype(int)
    params = {}
    for l in range(1, 4):
        params[f"W{l}"] = rng.randn(dims[l], dims[l - 1])
        params[f"b{l}"] = 0.5 * rng.randn(dims[l], 1)
    return X, Y, params


def _rel(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b) + 1e-300)


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
        A3 = hidden._dropout_cache(X, p, D1, D2, keep_prob)[11]
        return nn.compute_cost(A3, Y)

    num = numerical_param_gradients(cost, params)
    for k in PARAM_GRADS:
        assert _rel(grads[k], num[k]) < 1e-7, k


def test_hidden_dropout_cache_matches_reference_forward():
    X, _, params = _net(4, [3, 5, 4, 1], 7)
    np.random.seed(9)
    _, cache = ref.forward_propagation_with_dropout(X, params, 0.6)
    rebuilt = hidden._dropout_cache(X, params, cache[1], cache[6], 0.6)
    for a, b in zip(cache, rebuilt):
        assert np.array_equal(a, b)


def test_visible_dropout_example_is_the_notebook_one():
    """The visible backward check hard-codes the cache the canonical forward pass builds."""
    X, Y, params = checks._reg_example()
    np.random.seed(1)
    _, cache = ref.forward_propagation_with_dropout(X, params, 0.7)
    expected = ref.backward_propagation_with_dropout(X, Y, cache, 0.7)

    captured = {}

    def spy(X_, Y_, cache_, keep_prob):
        captured["cache"] = cache_
        return expected

    _silent(checks.check_backward_propagation_with_dropout, spy)
    for a, b in zip(cache, captured["cache"]):
        assert np.array_equal(a, b)


# ---------------------------------------------------------------- the notebook's solution cells


def _notebook_cells(root):
    import json

    with open(root / "source/week1/regularization.ipynb") as f:
        return json.load(f)["cells"]


def _body_dump(fn_node):
    import ast
    body = fn_node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return [ast.dump(s) for s in body]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_solution_is_the_reference(name, root):
    """The solution cell's function body (docstring aside) is the reference's, statement for statement."""
    import ast
    import inspect

    cells = [c for c in _notebook_cells(root) if c["metadata"].get("nbgrader", {}).get("grade_id") == name]
    assert len(cells) == 1 and cells[0]["metadata"]["nbgrader"]["solution"]
    source = "".join(cells[0]["source"]).replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", "")
    notebook_fn = next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef))
    reference_fn = ast.parse(inspect.getsource(getattr(ref, name))).body[0]
    assert notebook_fn.name == name
    assert ast.dump(notebook_fn.args) == ast.dump(reference_fn.args)
    assert _body_dump(notebook_fn) == _body_dump(reference_fn)


def test_notebook_test_cells_and_points(root):
    cells = _notebook_cells(root)
    points = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"]["points"] for c in cells
              if c["metadata"].get("nbgrader", {}).get("grade")}
    assert points == {"test_normalize_inputs": 1, "test_diagnose": 1, "test_compute_cost_with_regularization": 2,
                      "test_backward_propagation_with_regularization": 2,
                      "test_forward_propagation_with_dropout": 3, "test_backward_propagation_with_dropout": 2}
    for c in cells:
        gid = c["metadata"].get("nbgrader", {}).get("grade_id", "")
        if gid.startswith("test_"):
            name = gid[len("test_"):]
            assert "".join(c["source"]) == (f"checks.check_{name}({name})\n### BEGIN HIDDEN TESTS\n"
                                f"import autograder.hidden.week1 as hidden_week1\n"
                                f"hidden_week1.check_{name}({name})\n### END HIDDEN TESTS")


# ---------------------------------------------------------------- the explorer


def _explorer(**functions):
    from course import data, widgets

    X_train, Y_train, X_test, Y_test = data.load_noisy_moons()
    rng = np.random.RandomState(3)
    initial = {"W1": rng.randn(20, 2) / np.sqrt(2), "b1": np.zeros((20, 1)), "W2": rng.randn(3, 20) / np.sqrt(20),
               "b2": np.zeros((3, 1)), "W3": rng.randn(1, 3) / np.sqrt(3), "b3": np.zeros((1, 1))}
    fns = {name: getattr(ref, name) for name in NAMES[2:]}
    fns.update(functions)
    return widgets.regularization_explorer(
        fns["compute_cost_with_regularization"], fns["backward_propagation_with_regularization"],
        fns["forward_propagation_with_dropout"], fns["backward_propagation_with_dropout"],
        X_train, Y_train, X_test, Y_test, initial, num_iterations=30, resolution=40)


def test_explorer_draws_every_position_and_sets_the_label():
    import re

    np.random.seed(5)
    state = np.random.get_state()[1].copy()
    explorer = _explorer()
    assert np.array_equal(np.random.get_state()[1], state), "the explorer must not disturb the global RNG"
    assert explorer.error is None
    technique, lambd, keep_prob = explorer.controls
    assert re.fullmatch(r"lambd = 0\.7: train \d+\.\d%, test \d+\.\d%", explorer.status.value)
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
