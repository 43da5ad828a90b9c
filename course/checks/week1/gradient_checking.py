"""Visible checks of week 1, notebook `gradient_checking` (see course/checks/_common.py).

The verdicts use the bands of course.gradcheck_bands (below 1e-7 great, from 1e-3
a bug). gradient_check is also run on J = theta**3 * x (course.gradcheck_toys,
swapped in for the notebook's forward/backward_propagation during the call) with
epsilon = 1e-2: J = theta * x is linear, so a one-sided difference is exact on it
and only a nonlinear J shows the mistake.
"""


import numpy as np

from course import gradcheck_toys, nn
from course.checks._common import _expect_close, _expect_shape, _fail, _ok
from course.data import load_gradcheck_example
from course.gradcheck_bands import GREAT, band
from course.gradcheck_net import forward_propagation_n
from course.grading.runner import rebound

PARAM_GRADS = ("dW1", "db1", "dW2", "db2", "dW3", "db3")


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


def _hint(difference, one_sided=()):
    if any(abs(difference - v) < 1e-4 * v for v in one_sided):
        return (" That is what a one-sided difference gives: use the two-sided"
                " (J_plus - J_minus) / (2 * epsilon), with J_minus computed at theta - epsilon.")
    if abs(difference - 1 / 3) < 1e-3:
        return (" A difference of 1/3 means gradapprox is half or twice the true gradient:"
                " divide by 2 * epsilon, and build theta_plus and theta_minus from np.copy().")
    if abs(difference - 1) < 1e-3:
        return (" A difference of 1 means gradapprox is about 0: check the parentheses"
                " (J_plus - J_minus) / (2 * epsilon) and that you perturb theta.")
    if difference < 0:
        return " A negative difference means the norms are missing (np.linalg.norm)."
    return ""


def _swapped(fn, **names):
    """Rebind names in the namespace fn was defined in (the notebook) during a `with` block."""
    return rebound(fn.__globals__, names)


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


# J = theta**3 * x at x = 2, theta = 1.5, epsilon = 1e-2: the two-sided difference, and the one-sided ones
CUBIC_CASE = (2.0, 1.5, 1e-2)
CUBIC_TWO_SIDED = 7.407352538375244e-06
CUBIC_ONE_SIDED = (0.0033296173523995618, 0.003337024622632352)


def check_gradient_check(fn):
    name = "gradient_check"
    difference = _number(name, "gradient_check(x=3, theta=4)", fn(3, 4))
    if not difference < GREAT:
        _fail(name, f"gradient_check(x=3, theta=4) returned {difference:.3g}, expected a tiny number "
                    f"(about 7.8e-11, below {GREAT:g}): forward and backward propagation agree here."
                    f"{_hint(difference)}")
    x, theta, epsilon = CUBIC_CASE
    what = (f"With J(theta) = theta**3 * x and its derivative 3 * theta**2 * x in place of your forward and "
            f"backward propagation, gradient_check(x={x:g}, theta={theta:g}, epsilon={epsilon:g})")
    with _swapped(fn, forward_propagation=gradcheck_toys.cubic_forward,
                  backward_propagation=gradcheck_toys.cubic_backward):
        difference = _number(name, what, fn(x, theta, epsilon))
    if not abs(difference - CUBIC_TWO_SIDED) <= 1e-6 * CUBIC_TWO_SIDED:
        _fail(name, f"{what} returned {difference:.3g}, expected {CUBIC_TWO_SIDED:.3g} (the two-sided "
                    "difference's error, which grows like epsilon**2; J = theta * x is linear, so it hid this)."
                    f"{_hint(difference, CUBIC_ONE_SIDED)}")
    _ok(name)


def _planted(gradients):
    """The gradients with the release's two bugs: dW2 twice, db1 four times the true value."""
    g = dict(gradients)
    g["dW2"], g["db1"] = 2 * gradients["dW2"], 4 * gradients["db1"]
    return g


# the notebook's example at epsilon = 1e-2: the two-sided difference and the one-sided ones
N_BIG_EPS = 1e-2
N_TWO_SIDED = 1.6800198147631632e-06
N_ONE_SIDED = (0.00018965222778803196, 0.00019234966253927526)
N_PLANTED = 0.2850931493916854


def check_gradient_check_n(fn):
    name = "gradient_check_n"
    X, Y, parameters = load_gradcheck_example()
    saved = {k: v.copy() for k, v in parameters.items()}
    _, cache = forward_propagation_n(X, Y, parameters)
    correct = nn.backward_propagation(X, Y, cache)
    what = "gradient_check_n with correct gradients"
    difference = _number(name, what, fn(parameters, correct, X, Y))
    if any(not np.array_equal(saved[k], parameters[k]) for k in saved):
        _fail(name, "your function changed the parameters dict it was given; perturb copies "
                    "(np.copy) of the parameter vector instead.")
    if not difference < GREAT:
        _fail(name, f"{what} returned {difference:.3g}, expected about 1e-9 (below {GREAT:g}): the "
                    f"gradients are right.{_hint(difference)}")
    what = f"gradient_check_n with correct gradients and epsilon={N_BIG_EPS:g}"
    difference = _number(name, what, fn(parameters, correct, X, Y, N_BIG_EPS))
    if not abs(difference - N_TWO_SIDED) <= 1e-5 * N_TWO_SIDED:
        _fail(name, f"{what} returned {difference:.3g}, expected {N_TWO_SIDED:.3g} (the two-sided difference's "
                    f"error at this epsilon).{_hint(difference, N_ONE_SIDED)}")
    what = "gradient_check_n with the planted bugs (dW2 twice, db1 four times the true gradient)"
    difference = _number(name, what, fn(parameters, _planted(correct), X, Y))
    _expect_close(name, what, difference, N_PLANTED, rtol=1e-4, hint=f"Expected {N_PLANTED:.6f}.")
    _ok(name)


def _gradients(name, grads, parameters):
    if not isinstance(grads, dict):
        _fail(name, f"should return the dict of gradients, got {type(grads).__name__}")
    missing = [k for k in PARAM_GRADS if k not in grads]
    if missing:
        _fail(name, f"the returned gradients lack {', '.join(missing)}")
    for k in PARAM_GRADS:
        _expect_shape(name, k, grads[k], np.shape(parameters[k[1:]]))
    return {k: np.asarray(grads[k], dtype=float) for k in PARAM_GRADS}


def _difference(a, b):
    den = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if den == 0 else float(np.linalg.norm(a - b) / den)


def _factor(got, expected):
    """r with got == r * expected, or None."""
    ee = float(np.sum(expected * expected))
    if ee == 0:
        return None
    r = float(np.sum(got * expected)) / ee
    return r if np.allclose(got, r * expected, rtol=1e-6, atol=1e-10) else None


def check_backward_propagation_n(fn):
    name = "backward_propagation_n"
    X, Y, parameters = load_gradcheck_example()
    _, cache = forward_propagation_n(X, Y, parameters)
    grads = _gradients(name, fn(X, Y, cache), parameters)
    true = nn.backward_propagation(X, Y, cache)
    wrong = [(k, _difference(grads[k], true[k])) for k in PARAM_GRADS if not np.allclose(grads[k], true[k])]
    if wrong:
        lines = []
        for k, d in wrong:
            r = _factor(grads[k], true[k])
            times = f", {r:.3g} times the true gradient" if r is not None else ""
            lines.append(f"{k} (difference {d:.3g}: {band(d)}{times})")
        _fail(name, "on the notebook's example these gradients are still wrong: " + "; ".join(lines)
                    + ". Fix their lines, then run your gradient check again.")
    _ok(name)


# backward_propagation_with_regularization on the notebook's example with lambd = 0.7
L2_LAMBDA = 0.7
L2_EXPECTED = {
    "dW1": [[-0.448708469, -1.56864484, 0.440507629, -1.59349166],
            [-0.0599083846, -0.290569165, 0.0217345266, 0.059247095],
            [-0.21765077, 0.211704849, 0.259098315, 0.0236547446],
            [0.156821946, -0.370921084, -0.00352582356, -0.409410037],
            [-0.0625072186, 0.123749609, -0.161387509, -0.0925758229]],
    "db1": [[0.632907872], [0.037251398], [-0.064013013], [0.0904557523], [0]],
    "dW2": [[0.0546969962, 0.387287175, 0.173143637, -0.0447616289, -0.207113425],
            [-0.174336935, 0.394906074, 0.0118551428, -0.148632318, 0.0445469464],
            [1.40586118, 0.0525525648, 0.0360345211, 0.97285865, -0.0821916308]],
    "db2": [[0], [0], [0.197633425]],
    "dW3": [[0.136878745, 0.195762797, 2.46129953]],
    "db3": [[0.212257527]],
}


def check_backward_propagation_with_regularization(fn):
    """Uses the provided correct backward pass in place of your backward_propagation_n (the hidden check too)."""
    name = "backward_propagation_with_regularization"
    X, Y, parameters = load_gradcheck_example()
    _, cache = forward_propagation_n(X, Y, parameters)
    plain = nn.backward_propagation(X, Y, cache)
    with _swapped(fn, backward_propagation_n=nn.backward_propagation):
        grads = _gradients(name, fn(X, Y, cache, L2_LAMBDA), parameters)
        grads0 = _gradients(name, fn(X, Y, cache, 0.0), parameters)
    for k in PARAM_GRADS:
        expected = np.array(L2_EXPECTED[k])
        if np.allclose(grads[k], expected, rtol=1e-6, atol=1e-8):
            continue
        if k.startswith("db"):
            _fail(name, f"{k} is off: the biases are not in the L2 cost, so {k} is the plain gradient of "
                        "backward_propagation_n.")
        r = _factor(grads[k] - plain[k], expected - plain[k])
        hints = {0.0: "it has no regularization term: add lambd / m * W",
                 0.5: "it adds half the term: the derivative of lambd / (2 m) * ||W||^2 is lambd / m * W",
                 float(X.shape[1]): "it adds lambd * W: divide by m",
                 -1.0: "it subtracts the term: add lambd / m * W"}
        hint = hints.get(None if r is None else round(r, 6), "it is dW plus lambd / m * W")
        _fail(name, f"{k} (lambd = {L2_LAMBDA}) is off: {hint}.")
    for k in PARAM_GRADS:
        _expect_close(name, f"{k} for lambd = 0", grads0[k], plain[k], hint="with lambd = 0 it is plain backprop.")
    _ok(name)
