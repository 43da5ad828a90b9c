"""What is special to the gradient checking notebook (week 1).

The shared tests cover the rest: tests/test_contract.py (reference, correct and
wrong versions of tests/implementations/week1/gradient_checking), test_layout.py,
test_solutions.py and test_visible_checks.py. Here: the derivatives behind the
checks agree with numerical gradients, the numbers the notebook promises, the
hidden checks' fixed inputs tell every diagnosis apart, speed, points, and the
visible checks' own messages.
"""

import time

import numpy as np
import pytest

from autograder import numgrad
from autograder.hidden.week1 import gradient_checking as hidden
from autograder.hidden.week1.gradient_checking import n_d, one_d
from autograder.hidden.week1.gradient_checking.shared import ONE_NORM, RETURNED_GRADIENT
from autograder.reference.week1 import gradient_checking as ref
from course import data, gradcheck_net, gradcheck_toys
from course.checks.week1 import gradient_checking as checks
from tests.course_map import Notebook
from tests.implementations.week1 import gradient_checking as impl

NAMES = ["forward_propagation", "backward_propagation", "gradient_check", "gradient_check_n"]
NOTEBOOK = Notebook("week1", "gradient_checking")


def _cell_source(grade_id):
    return next("".join(c["source"]) for c in NOTEBOOK.cells()
                if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


# ---------------------------------------------------------------- numerical gradients

def test_backward_propagation_matches_numerical_gradient():
    for x, theta in [(3.0, 4.0), (-1.3, 0.2), (0.7, -2.0)]:
        t = np.array(theta)
        num = numgrad.numerical_gradient(lambda: float(ref.forward_propagation(x, t)), t)
        assert numgrad.relative_error(ref.backward_propagation(x, theta), num) < 1e-7


def test_toy_derivatives_for_the_1d_check():
    """cubic_backward is the derivative of cubic_forward; the other two are off by their factor."""
    for x, theta in [(-0.8, 1.7), (2.5, -0.6), (0.7, -1.4)]:
        t = np.array(theta)
        num = numgrad.numerical_gradient(lambda: float(gradcheck_toys.cubic_forward(x, t)), t)
        for name, factor in gradcheck_toys.BACKWARD_FACTORS.items():
            got = getattr(gradcheck_toys, name)(x, theta)
            assert numgrad.relative_error(got, factor / 3.0 * num) < 1e-7, name
            assert (numgrad.relative_error(got, num) < 1e-7) == (factor == 3.0), name


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


# ---------------------------------------------------------------- the notebook's numbers

def test_notebook_numbers(capsys):
    """What the Expected outputs show: the verdicts at 3 significant digits, the tiny ones as orders of magnitude."""
    assert 7.8e-12 < ref.gradient_check(3, 4, print_msg=True) < 7.8e-10
    X, Y, parameters = data.load_gradcheck_example()
    _, cache = gradcheck_net.forward_propagation_n(X, Y, parameters)
    buggy = gradcheck_net.backward_propagation_n(X, Y, cache)
    fixed = gradcheck_net.backward_propagation_n_fixed(X, Y, cache)
    assert ref.gradient_check_n(parameters, buggy, X, Y, print_msg=True) == pytest.approx(0.2850931493916854,
                                                                                         rel=1e-9)
    assert 1e-10 < ref.gradient_check_n(parameters, fixed, X, Y, print_msg=True) < 1e-8
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Your backward propagation works perfectly fine! difference = 7.8")
    assert out[1] == "There is a mistake in the backward propagation! difference = 0.285"
    assert out[2].startswith("Your backward propagation works perfectly fine! difference = 1")


# ---------------------------------------------------------------- the hidden checks' fixed inputs

def test_net_cases_are_well_conditioned():
    """The nets of check_gradient_check_n: correct gradients give a tiny difference at epsilon=1e-7, a
    clearly larger one at 1e-2, and every diagnosis candidate is distinct there. (||grad - gradapprox||
    / ||grad + gradapprox|| equals the right value to second order when the gradients are right; the
    buggy-gradient cases of the check tell them apart.)"""
    for dims, m, seed in n_d.NET_CASES:
        X, Y, parameters, grads = n_d.net_case(dims, m, seed)
        assert ref.gradient_check_n(parameters, grads, X, Y) < 5e-9
        big = ref.gradient_check_n(parameters, grads, X, Y, n_d.BIG_EPS)
        assert big > 1e-6
        candidates = {message: value for message, value, _ in n_d.n_candidates(parameters, grads, X, Y, n_d.BIG_EPS)
                      if message != ONE_NORM and "||grad + gradapprox||" not in message}
        values = [big] + list(candidates.values())
        for i, a in enumerate(values):
            for b in values[i + 1:]:
                assert abs(a - b) > 1e-4 * max(abs(a), abs(b)), (dims, values)


def test_one_d_candidates_are_distinct():
    """No diagnosis of check_gradient_check coincides with the right value on its correct-backprop
    cases, and on the first case (where a mistake first shows) they are all told apart."""
    cases = [c for c in hidden.check_gradient_check.cases()
             if c["meta"]["step"] == "value" and c["meta"]["backward"] == "cubic_backward"]
    assert len(cases) == 3
    for k, c in enumerate(cases):
        x, theta, eps = c["args"]
        right = one_d.reference_difference(c)
        candidates = one_d.gradient_check_candidates(x, theta, eps, 3.0)
        for message, value, _ in candidates:
            assert abs(value - right) > 1e-4 * abs(right), (x, theta, message)
        if k == 0:
            distinct = {message: value for message, value, _ in candidates
                        if message not in (ONE_NORM, RETURNED_GRADIENT)}   # two candidates, one message each
            values = list(distinct.values())
            for i, a in enumerate(values):
                for b in values[i + 1:]:
                    assert abs(a - b) > 1e-4 * max(abs(a), abs(b)), values


def test_gradient_check_on_a_namespace_without_the_1d_functions():
    """gradient_check defined before forward/backward_propagation: the check still runs (its toys are
    rebound for each call) and leaves no global behind."""
    namespace = {"np": np}
    exec(_cell_source("gradient_check"), namespace)  # noqa: S102
    hidden.check_gradient_check(namespace["gradient_check"])
    assert "forward_propagation" not in namespace and "backward_propagation" not in namespace


@pytest.mark.parametrize("name", NAMES)
def test_hidden_checks_are_fast(name):
    check, fn = getattr(hidden, f"check_{name}"), getattr(ref, name)
    check(fn)   # warm up imports
    start = time.perf_counter()
    check(fn)
    assert time.perf_counter() - start < 1.0, name


# ---------------------------------------------------------------- notebook structure

def test_notebook_points():
    points = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"]["points"]
              for c in NOTEBOOK.cells() if c["metadata"].get("nbgrader", {}).get("grade")}
    assert points == {"test_forward_propagation": 1, "test_backward_propagation": 1,
                      "test_gradient_check": 2, "test_gradient_check_n": 3}


# ---------------------------------------------------------------- the visible checks' messages

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
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_visible_check_fails_on_wrong_version(name, fn, expected):
    with pytest.raises(AssertionError) as info:
        getattr(checks, f"check_{name}")(fn)
    assert expected in str(info.value), str(info.value)
