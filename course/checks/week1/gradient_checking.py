"""Visible checks of week 1, notebook `gradient_checking` (see course/checks/_common.py)."""

import numpy as np

from course.checks._common import _expect_close, _fail, _ok
from course.data import load_gradcheck_example
from course.gradcheck_net import backward_propagation_n, backward_propagation_n_fixed, forward_propagation_n


def _number(name, what, value):
    """A returned difference must be one number (not None, a bool or an array)."""
    if value is None:
        _fail(name, f"{what} returned None: did you forget `return difference`?")
    if isinstance(value, (bool, np.bool_)):
        _fail(name, f"{what} returned a bool; return the difference itself, a number.")
    if np.size(value) != 1:
        _fail(name, f"{what} returned {np.size(value)} numbers; the difference is a single number "
                    "(use np.linalg.norm on the vectors).")
    return float(np.asarray(value, dtype=float).reshape(-1)[0])


def _hint(difference):
    if abs(difference - 1 / 3) < 1e-3:
        return (" A difference of 1/3 means gradapprox is half or twice the true gradient:"
                " divide by 2 * epsilon, and build theta_plus and theta_minus from np.copy().")
    if abs(difference - 1) < 1e-3:
        return (" A difference of 1 means gradapprox is about 0: check the parentheses"
                " (J_plus - J_minus) / (2 * epsilon) and that you perturb theta.")
    if difference < 0:
        return " A negative difference means the norms are missing (np.linalg.norm)."
    return ""


def check_forward_propagation(fn):
    name = "forward_propagation"
    J = fn(3, 4)
    if J is None:
        _fail(name, "returned None: did you forget `return J`?")
    _expect_close(name, "forward_propagation(x=3, theta=4)", J, 12, hint="J = theta * x = 4 * 3 = 12.")
    _expect_close(name, "forward_propagation(x=np.array([1., -2.]), theta=0.5)",
                  fn(np.array([1.0, -2.0]), 0.5), [0.5, -1.0], hint="J = theta * x, elementwise.")
    _ok(name)


def check_backward_propagation(fn):
    name = "backward_propagation"
    dtheta = fn(3, 4)
    if dtheta is None:
        _fail(name, "returned None: did you forget `return dtheta`?")
    _expect_close(name, "backward_propagation(x=3, theta=4)", dtheta, 3,
                  hint="The derivative of theta * x with respect to theta is x.")
    _ok(name)


def check_gradient_check(fn):
    name = "gradient_check"
    difference = _number(name, "gradient_check(x=3, theta=4)", fn(3, 4))
    if not difference < 2e-7:
        _fail(name, f"gradient_check(x=3, theta=4) returned {difference:.3g}, expected a tiny number "
                    f"(about 7.8e-11): forward and backward propagation agree here.{_hint(difference)}")
    _ok(name)


def check_gradient_check_n(fn):
    name = "gradient_check_n"
    X, Y, parameters = load_gradcheck_example()
    saved = {k: v.copy() for k, v in parameters.items()}
    _, cache = forward_propagation_n(X, Y, parameters)
    what = "gradient_check_n with the fixed backward_propagation_n_fixed"
    difference = _number(name, what, fn(parameters, backward_propagation_n_fixed(X, Y, cache), X, Y))
    if any(not np.array_equal(saved[k], parameters[k]) for k in saved):
        _fail(name, "your function changed the parameters dict it was given; perturb copies "
                    "(np.copy) of the parameter vector instead.")
    if not difference < 1e-7:
        _fail(name, f"{what} returned {difference:.3g}, expected about 1e-9 (below 1e-7): the fixed "
                    f"backprop is correct.{_hint(difference)}")
    what = "gradient_check_n with the buggy backward_propagation_n"
    difference = _number(name, what, fn(parameters, backward_propagation_n(X, Y, cache), X, Y))
    _expect_close(name, what, difference, 0.2850931493916854, rtol=1e-4,
                  hint="Expected 0.285093 (the two planted bugs).")
    _ok(name)
