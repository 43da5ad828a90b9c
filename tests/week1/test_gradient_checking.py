"""Hidden and visible checks of the gradient checking notebook (week 1).

The reference and correct variants pass, typical mistakes fail with a message
naming the mistake, the reference's derivatives agree with numerical gradients,
and the notebook's solution cells are the code tested here.
"""

import ast
import json

import numpy as np
import pytest

import autograder.hidden.week1.gradient_checking as hidden
import tests.implementations.week1_gradient_checking as impl
from autograder import numgrad
from autograder.hidden.common import CheckFailed
from autograder.reference import week1 as ref
from course import checks, data, gradcheck_net
from tests.conftest import ROOT

NOTEBOOK = ROOT / "source" / "week1" / "gradient_checking.ipynb"

CHECKS = {
    "forward_propagation": hidden.check_forward_propagation,
    "backward_propagation": hidden.check_backward_propagation,
    "gradient_check": hidden.check_gradient_check,
    "gradient_check_n": hidden.check_gradient_check_n,
}

REFERENCE = {
    "forward_propagation": impl.reference_forward_propagation,
    "backward_propagation": impl.reference_backward_propagation,
    "gradient_check": impl.reference_gradient_check,
    "gradient_check_n": impl.reference_gradient_check_n,
}

CORRECT = {
    "forward_propagation": [impl.forward_propagation, impl.forward_multiply, impl.forward_dot],
    "backward_propagation": [impl.backward_propagation, impl.backward_times_one, impl.backward_ones_like],
    "gradient_check": [impl.gradient_check, impl.gradient_check_abs, impl.gradient_check_sqrt],
    "gradient_check_n": [impl.gradient_check_n, impl.gradient_check_n_original_style,
                         impl.gradient_check_n_restore, impl.gradient_check_n_dict,
                         impl.gradient_check_n_eye],
}

WRONG = [
    ("forward_propagation", impl.forward_sum, "you added them"),
    ("forward_propagation", impl.forward_power, "power x"),
    ("forward_propagation", impl.forward_returns_x, "that is the derivative"),
    ("forward_propagation", impl.forward_returns_theta, "you returned theta"),
    ("forward_propagation", impl.forward_no_return, "returned None"),
    ("backward_propagation", impl.backward_returns_theta, "you returned theta"),
    ("backward_propagation", impl.backward_returns_J, "J = theta * x itself"),
    ("backward_propagation", impl.backward_returns_one, "not 1"),
    ("gradient_check", impl.gradient_check_one_sided, "one-sided difference"),
    ("gradient_check", impl.gradient_check_missing_2, "divide by 2 * epsilon, not epsilon"),
    ("gradient_check", impl.gradient_check_fixed_epsilon, "epsilon=1e-7 was used"),
    ("gradient_check", impl.gradient_check_no_norms, "need norms"),
    ("gradient_check", impl.gradient_check_numerator_only, "only the numerator"),
    ("gradient_check", impl.gradient_check_grad_denominator, "not just ||grad||"),
    ("gradient_check", impl.gradient_check_precedence, "parentheses"),
    ("gradient_check", impl.gradient_check_returns_bool, "returned a bool"),
    ("gradient_check", impl.gradient_check_no_return, "returned None"),
    ("gradient_check", impl.gradient_check_hardcoded_J, "never called forward_propagation"),
    ("gradient_check", impl.gradient_check_backward_for_forward,
     "called backward_propagation where forward_propagation belongs"),
    ("gradient_check_n", impl.gradient_check_n_no_copy, "forget np.copy"),
    ("gradient_check_n", impl.gradient_check_n_pileup, "pile up"),
    ("gradient_check_n", impl.gradient_check_n_one_sided, "one-sided difference"),
    ("gradient_check_n", impl.gradient_check_n_missing_2, "divide by 2 * epsilon, not epsilon"),
    ("gradient_check_n", impl.gradient_check_n_precedence, "parentheses"),
    ("gradient_check_n", impl.gradient_check_n_fixed_epsilon, "epsilon=1e-7 was used"),
    ("gradient_check_n", impl.gradient_check_n_numerator_only, "only the numerator"),
    ("gradient_check_n", impl.gradient_check_n_grad_denominator, "not just ||grad||"),
    ("gradient_check_n", impl.gradient_check_n_sum_denominator, "not ||grad + gradapprox||"),
    ("gradient_check_n", impl.gradient_check_n_returns_bool, "returned a bool"),
    ("gradient_check_n", impl.gradient_check_n_original_parameters, "got the original parameters"),
    ("gradient_check_n", impl.gradient_check_n_mutates, "modified the parameters dict"),
    ("gradient_check_n", impl.gradient_check_n_vectorizes_gradients_wrong, "gradients_to_vector"),
]


def _ids(value):
    return getattr(value, "__name__", str(value))


# ---------------------------------------------------------------- hidden checks

@pytest.mark.parametrize("name", list(CHECKS))
def test_reference_passes_over_global_seeds(name, capfd):
    # The checks never touch the global RNG (next test), so fewer seeds suffice for the slow one.
    for seed in range(8 if name == "gradient_check_n" else 20):
        np.random.seed(seed)
        CHECKS[name](REFERENCE[name])
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("name", list(CHECKS))
def test_checks_leave_the_global_rng_alone(name):
    np.random.seed(123)
    before, pos = np.random.get_state()[1].copy(), np.random.get_state()[2]
    CHECKS[name](REFERENCE[name])
    assert np.array_equal(np.random.get_state()[1], before) and np.random.get_state()[2] == pos


@pytest.mark.parametrize("name,fn", [(n, f) for n, fns in CORRECT.items() for f in fns],
                         ids=[f.__name__ for fns in CORRECT.values() for f in fns])
def test_correct_variants_pass(name, fn, capfd):
    for seed in (0, 1, 2):
        np.random.seed(seed)
        CHECKS[name](fn)
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("name,fn,expected", WRONG, ids=[w[1].__name__ for w in WRONG])
def test_wrong_implementations_fail_with_diagnosis(name, fn, expected, capfd):
    with pytest.raises(CheckFailed) as info:
        CHECKS[name](fn)
    assert expected in str(info.value), str(info.value)
    assert str(info.value).startswith(name + ":")
    assert capfd.readouterr().err == ""


def test_every_graded_function_has_three_wrong_versions():
    for name in CHECKS:
        assert sum(1 for n, _, _ in WRONG if n == name) >= 3, name


@pytest.mark.parametrize("name", list(CHECKS))
def test_stub_is_reported_as_not_implemented(name):
    def stub(*args, **kwargs):
        raise NotImplementedError()
    stub.__name__ = name
    with pytest.raises(CheckFailed, match="not implemented yet"):
        CHECKS[name](stub)


def test_swapped_globals_are_restored_after_pass_and_failure():
    forward, backward, net = impl.forward_propagation, impl.backward_propagation, impl.forward_propagation_n
    hidden.check_gradient_check(impl.gradient_check)
    with pytest.raises(CheckFailed):
        hidden.check_gradient_check(impl.gradient_check_one_sided)
    hidden.check_gradient_check_n(impl.gradient_check_n)
    with pytest.raises(CheckFailed):
        hidden.check_gradient_check_n(impl.gradient_check_n_no_copy)
    assert impl.forward_propagation is forward
    assert impl.backward_propagation is backward
    assert impl.forward_propagation_n is net


def test_swapped_globals_are_removed_when_they_were_missing():
    # A notebook where gradient_check was defined before forward/backward_propagation existed.
    namespace = {"np": np}
    exec(_solution_source("gradient_check"), namespace)  # noqa: S102
    hidden.check_gradient_check(namespace["gradient_check"])
    assert "forward_propagation" not in namespace and "backward_propagation" not in namespace


def test_net_cases_are_well_conditioned():
    """The fixed inputs of check_gradient_check_n: correct gradients give a tiny difference at
    epsilon=1e-7, a clearly larger one at 1e-2, and every diagnosis candidate is distinct.
    (||grad - gradapprox|| / ||grad + gradapprox|| equals the right value to second order when
    the gradients are right; the buggy-gradient step of the check tells them apart.)"""
    for dims, m, seed in hidden._NET_CASES:
        X, Y, parameters = hidden._net_case(dims, m, seed)
        _, cache = gradcheck_net.forward_propagation_n(X, Y, parameters)
        grads = gradcheck_net.backward_propagation_n_fixed(X, Y, cache)
        assert ref.gradient_check_n(parameters, grads, X, Y) < 5e-9
        big = ref.gradient_check_n(parameters, grads, X, Y, hidden._BIG_EPS)
        assert big > 1e-6
        candidates = dict(hidden._n_candidates(parameters, grads, X, Y, hidden._BIG_EPS))
        candidates.pop(hidden._ONE_NORM)   # two candidates, one message
        values = [big] + [v for msg, v in candidates.items() if "||grad + gradapprox||" not in msg]
        for i, a in enumerate(values):
            for b in values[i + 1:]:
                assert abs(a - b) > 1e-4 * max(abs(a), abs(b)), (dims, values)


def test_hidden_checks_are_fast():
    import time
    for name, check in CHECKS.items():
        start = time.perf_counter()
        check(REFERENCE[name])
        assert time.perf_counter() - start < 1.0, name


# ---------------------------------------------------------------- visible checks

@pytest.mark.parametrize("name", list(CHECKS))
def test_visible_check_passes_on_notebook_solution(name, capsys):
    getattr(checks, f"check_{name}")(getattr(impl, name))
    assert "all visible tests passed" in capsys.readouterr().out


@pytest.mark.parametrize("name,fn,expected", [
    ("forward_propagation", impl.forward_sum, "J = theta * x"),
    ("forward_propagation", impl.forward_no_return, "returned None"),
    ("backward_propagation", impl.backward_returns_theta, "derivative of theta * x"),
    ("gradient_check", impl.gradient_check_missing_2, "divide by 2 * epsilon"),
    ("gradient_check", impl.gradient_check_returns_bool, "returned a bool"),
    ("gradient_check", impl.gradient_check_precedence, "parentheses"),
    ("gradient_check_n", impl.gradient_check_n_no_copy, "np.copy"),
    ("gradient_check_n", impl.gradient_check_n_mutates, "changed the parameters dict"),
    ("gradient_check_n", impl.gradient_check_n_sum_denominator, "0.285093"),
], ids=_ids)
def test_visible_check_fails_on_wrong_version(name, fn, expected):
    with pytest.raises(AssertionError) as info:
        getattr(checks, f"check_{name}")(fn)
    assert expected in str(info.value), str(info.value)


@pytest.mark.parametrize("name", list(CHECKS))
def test_visible_check_lets_not_implemented_through(name):
    def stub(*args, **kwargs):
        raise NotImplementedError()
    with pytest.raises(NotImplementedError):
        getattr(checks, f"check_{name}")(stub)


# ---------------------------------------------------------------- numerical gradients

def test_backward_propagation_matches_numerical_gradient():
    for x, theta in [(3.0, 4.0), (-1.3, 0.2), (0.7, -2.0)]:
        t = np.array(theta)
        num = numgrad.numerical_gradient(lambda: float(ref.forward_propagation(x, t)), t)
        assert numgrad.relative_error(ref.backward_propagation(x, theta), num) < 1e-7


def test_gradcheck_net_backward_matches_numerical_gradient():
    """backward_propagation_n_fixed is right; backward_propagation_n is wrong exactly in dW2 and db1."""
    for seed in (1, 2, 3):
        X, Y, parameters = data.load_gradcheck_example(seed)
        num = numgrad.numerical_param_gradients(
            lambda p: gradcheck_net.forward_propagation_n(X, Y, p)[0], parameters)
        _, cache = gradcheck_net.forward_propagation_n(X, Y, parameters)
        fixed = gradcheck_net.backward_propagation_n_fixed(X, Y, cache)
        buggy = gradcheck_net.backward_propagation_n(X, Y, cache)
        for k in num:
            assert numgrad.relative_error(fixed[k], num[k]) < 1e-7, k
            if k in ("dW2", "db1") and np.any(np.abs(num[k]) > 1e-6):
                assert numgrad.relative_error(buggy[k], num[k]) > 0.3, k
            elif k not in ("dW2", "db1"):
                assert numgrad.relative_error(buggy[k], num[k]) < 1e-7, k


def test_notebook_numbers():
    """The numbers printed in the notebook's expected outputs."""
    assert ref.gradient_check(3, 4) == 7.814075313343006e-11
    X, Y, parameters = data.load_gradcheck_example()
    _, cache = gradcheck_net.forward_propagation_n(X, Y, parameters)
    buggy = gradcheck_net.backward_propagation_n(X, Y, cache)
    fixed = gradcheck_net.backward_propagation_n_fixed(X, Y, cache)
    assert ref.gradient_check_n(parameters, buggy, X, Y) == pytest.approx(0.2850931493916854, rel=1e-12)
    assert ref.gradient_check_n(parameters, fixed, X, Y) < 2e-9


# ---------------------------------------------------------------- notebook vs tested code

def _cells():
    return json.loads(NOTEBOOK.read_text())["cells"]


def _solution_source(grade_id):
    for cell in _cells():
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id:
            return "".join(cell["source"])
    raise KeyError(grade_id)


def _body_dump(func_def):
    body = func_def.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return [ast.dump(stmt) for stmt in body], ast.dump(func_def.args)


def _function_def(source, name):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    raise KeyError(name)


@pytest.mark.parametrize("name", list(CHECKS))
def test_notebook_solution_is_the_tested_implementation(name):
    import inspect
    notebook_fn = _function_def(_solution_source(name), name)
    tested_fn = _function_def(inspect.getsource(impl), name)
    assert _body_dump(notebook_fn) == _body_dump(tested_fn)


@pytest.mark.parametrize("name", ["forward_propagation", "backward_propagation"])
def test_notebook_solution_body_equals_reference(name):
    import inspect
    assert _body_dump(_function_def(_solution_source(name), name))[0] == \
        _body_dump(_function_def(inspect.getsource(ref), name))[0]


def test_notebook_gradient_checks_compute_exactly_what_the_reference_does(capsys):
    """gradient_check(_n) differ from the reference only in naming (globals instead of forward=/
    backward= keywords, the relative difference and verdict inlined): same floats, same messages."""
    rng = np.random.RandomState(0)
    for _ in range(10):
        x, theta, eps = rng.randn(), rng.randn(), 10.0 ** rng.uniform(-8, -2)
        assert impl.gradient_check(x, theta, eps, True) == ref.gradient_check(x, theta, eps, True)
        out = capsys.readouterr().out.splitlines()
        assert out[0] == out[1]
    for seed in (1, 2):
        X, Y, parameters = data.load_gradcheck_example(seed)
        _, cache = gradcheck_net.forward_propagation_n(X, Y, parameters)
        for backward in (gradcheck_net.backward_propagation_n, gradcheck_net.backward_propagation_n_fixed):
            grads = backward(X, Y, cache)
            for eps in (1e-7, 1e-3):
                assert impl.gradient_check_n(parameters, grads, X, Y, eps, True) == \
                    ref.gradient_check_n(parameters, grads, X, Y, eps, True)
                out = capsys.readouterr().out.splitlines()
                assert out[0] == out[1]


def test_notebook_test_cells_and_points():
    points = {}
    for cell in _cells():
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade"):
            name = meta["grade_id"][len("test_"):]
            points[name] = meta["points"]
            assert "".join(cell["source"]) == (
                f"checks.check_{name}({name})\n### BEGIN HIDDEN TESTS\n"
                "import autograder.hidden.week1 as hidden_week1\n"
                f"hidden_week1.check_{name}({name})\n### END HIDDEN TESTS")
    assert points == {"forward_propagation": 1, "backward_propagation": 1,
                      "gradient_check": 2, "gradient_check_n": 3}


def test_one_d_candidates_are_distinct():
    """No diagnosis of check_gradient_check coincides with the right value on its correct-backprop
    cases, and on the first case (where a mistake first shows) they are all told apart."""
    cases = [(-0.8, 1.7, 1e-2), (2.5, -0.6, 5e-2), (1.3, 2.2, 1e-3)]
    for k, (x, theta, eps) in enumerate(cases):
        right = ref.gradient_check(x, theta, eps, forward=lambda x, t: t ** 3 * x,
                                   backward=lambda x, t: 3 * t ** 2 * x)
        candidates = hidden._gc_candidates(x, theta, eps, 3.0)
        for message, value in candidates:
            assert abs(value - right) > 1e-4 * abs(right), (x, theta, message)
        if k == 0:
            distinct = dict(candidates)
            distinct.pop(hidden._ONE_NORM)          # two candidates, one message each
            distinct.pop(hidden._RETURNED_GRADIENT)
            values = list(distinct.values())
            for i, a in enumerate(values):
                for b in values[i + 1:]:
                    assert abs(a - b) > 1e-4 * max(abs(a), abs(b)), values
