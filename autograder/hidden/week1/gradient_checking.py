"""Hidden checks for week 1, gradient checking notebook.

``gradient_check`` and ``gradient_check_n`` use globals of the student's notebook
(``forward_propagation``, ``backward_propagation``, ``forward_propagation_n``).
The checks swap those globals in ``fn.__globals__`` for functions they control,
and always put the originals back.

Diagnosis: when a value is wrong, the checks compute what the usual mistakes
would have returned on the same inputs (one-sided difference, missing 2, no
np.copy, wrong denominator, ...) and name the one that matches.
"""

import contextlib
import io

import numpy as np

from autograder.hidden.common import CheckFailed, call, fail, quiet
from autograder.reference import week1 as ref
from course import gradcheck_net

__all__ = [
    "check_forward_propagation",
    "check_backward_propagation",
    "check_gradient_check",
    "check_gradient_check_n",
]


# ---------------------------------------------------------------- helpers

_RETURNED_GRADIENT = "you returned a gradient (grad or gradapprox); return the relative difference"
_ONE_NORM = "the denominator is ||grad|| + ||gradapprox||, not just ||grad|| or just ||gradapprox||"


def _number(name, value, what):
    """The student's returned difference as a float; a bool, None or array fails."""
    if value is None:
        fail(name, f"{what} returned None: did you forget `return difference`?")
    if isinstance(value, (bool, np.bool_)) or getattr(value, "dtype", None) == np.bool_:
        fail(name, f"{what} returned a bool ({value}); return the difference itself, a number "
                   "(the verdict is only printed when print_msg=True)")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        fail(name, f"{what} should return a number, got {type(value).__name__}")
    if arr.size != 1:
        fail(name, f"{what} returned an array of shape {arr.shape}, expected a single number: "
                   "take np.linalg.norm of the vectors, not their elementwise absolute values")
    return float(arr.reshape(-1)[0])


def _rd(grad, approx):
    """The correct relative difference (computed here, not by the student)."""
    with quiet():
        return float(np.linalg.norm(grad - approx) / (np.linalg.norm(grad) + np.linalg.norm(approx)))


def _matches(got, value, rtol):
    return bool(np.isfinite(value) and abs(got - value) <= rtol * abs(value) + 1e-15)


def _diagnose(got, candidates, rtol):
    """The message of the first candidate (message, value) that got matches, or None."""
    for message, value in candidates:
        if _matches(got, value, rtol):
            return message
    return None


@contextlib.contextmanager
def _swapped_globals(name, fn, **replacements):
    """Temporarily bind names in the module (notebook) namespace fn reads its globals from."""
    namespace = getattr(fn, "__globals__", None)
    if namespace is None:
        fail(name, "should be a plain Python function defined with def")
    missing = object()
    saved = {k: namespace.get(k, missing) for k in replacements}
    try:
        namespace.update(replacements)
        yield
    finally:
        for k, v in saved.items():
            if v is missing:
                namespace.pop(k, None)
            else:
                namespace[k] = v


def _silent_call(name, fn, *args, **kwargs):
    """call() with stdout captured (print_msg output stays out of the grade cell)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = call(name, fn, *args, **kwargs)
    return result, out.getvalue()


# ---------------------------------------------------------------- 1-D forward / backward

_ONE_D_CASES = [
    (3, 4),
    (-2.5, 0.7),
    (1.5, -3.0),
    (0.0, 2.0),
    (2.0, 0.0),
    (np.array([1.0, -2.0, 0.5]), 1.5),
    (np.random.RandomState(7).randn(2, 3), -0.8),
]


def _check_value(name, got, expected, candidates, call_text, hint):
    if got is None:
        fail(name, f"{call_text} returned None: did you forget the return statement?")
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        fail(name, f"{call_text} should return a number or an array, got {type(got).__name__}")
    if arr.shape != np.shape(expected) and not (np.ndim(expected) == 0 and arr.size == 1):
        fail(name, f"{call_text} has shape {arr.shape}, expected {np.shape(expected)} "
                   f"(the same shape as x). {hint}")
    arr = arr.reshape(np.shape(expected))
    with quiet():
        if np.allclose(arr, expected, rtol=1e-10, atol=1e-12):
            return
        for message, cand in candidates:
            if np.shape(cand) == np.shape(expected) and np.allclose(arr, cand, rtol=1e-10, atol=1e-12):
                fail(name, f"{call_text} returned {np.round(arr, 6).tolist()}, "
                           f"expected {np.round(expected, 6).tolist()}: {message}")
    fail(name, f"{call_text} returned {np.round(arr, 6).tolist()}, expected "
               f"{np.round(np.asarray(expected, dtype=float), 6).tolist()}. {hint}")


def check_forward_propagation(fn):
    """J = theta * x for numbers and arrays x, negative and zero values."""
    name = "forward_propagation"
    for x, theta in _ONE_D_CASES:
        got = call(name, fn, np.copy(x) if isinstance(x, np.ndarray) else x, theta)
        expected = ref.forward_propagation(x, theta)
        with quiet():
            candidates = [
                ("you added them; J is the product theta * x", theta + x),
                ("you raised theta to the power x; J is the product theta * x", np.power(float(theta), x)),
                ("you raised x to the power theta; J is the product theta * x", np.power(x, float(theta))),
                ("that is the derivative (x), not the cost J = theta * x", x),
                ("you returned theta; J is theta * x", np.full(np.shape(x), theta, dtype=float)),
                ("the sign is flipped: J = theta * x, no minus", -theta * x),
                ("J = theta * x, not theta * x ** 2", theta * x ** 2),
            ]
        _check_value(name, got, expected, candidates, f"forward_propagation(x={_short(x)}, theta={theta})",
                     "J = theta * x (elementwise when x is an array).")
    print(f"{name}: hidden tests passed.")


def check_backward_propagation(fn):
    """dJ/dtheta = x for numbers and arrays x."""
    name = "backward_propagation"
    for x, theta in _ONE_D_CASES:
        got = call(name, fn, np.copy(x) if isinstance(x, np.ndarray) else x, theta)
        expected = ref.backward_propagation(x, theta)
        with quiet():
            candidates = [
                ("you returned J = theta * x itself; the derivative of theta * x with respect to theta is x",
                 theta * x),
                ("you returned theta; that is the derivative with respect to x, but we differentiate "
                 "with respect to theta, which gives x", np.full(np.shape(x), theta, dtype=float)),
                ("the derivative of theta * x with respect to theta is x, not 1",
                 np.ones(np.shape(x))),
                ("the sign is flipped: dJ/dtheta = x", -np.asarray(x, dtype=float)),
                ("dJ/dtheta = x, not theta + x", theta + x),
            ]
        _check_value(name, got, expected, candidates, f"backward_propagation(x={_short(x)}, theta={theta})",
                     "dJ/dtheta of J = theta * x is x.")
    print(f"{name}: hidden tests passed.")


def _short(x):
    if isinstance(x, np.ndarray):
        return f"array of shape {x.shape}"
    return repr(x)


# ---------------------------------------------------------------- 1-D gradient_check

def _cubic_pair(calls, backward_factor=3.0):
    """J = theta**3 * x (nonlinear, so one-sided differences show) and its derivative.

    backward_factor=3 is correct; another factor is a backprop bug."""
    def forward(x, theta):
        calls["forward"] += 1
        return theta ** 3 * x

    def backward(x, theta):
        calls["backward"] += 1
        return backward_factor * theta ** 2 * x

    return forward, backward


def _gc_candidates(x, theta, eps, backward_factor):
    """(message, value) of the usual gradient_check mistakes for J = theta**3 * x."""
    J = lambda t: t ** 3 * x  # noqa: E731
    grad = backward_factor * theta ** 2 * x
    plus, minus, mid = J(theta + eps), J(theta - eps), J(theta)
    two = (plus - minus) / (2 * eps)
    one_fwd = (plus - mid) / eps
    one_bwd = (mid - minus) / eps
    num = abs(grad - two)
    return [
        ("this is a one-sided difference (J(theta + eps) - J(theta)) / eps; use the two-sided "
         "(J_plus - J_minus) / (2 * epsilon) with J_minus = J(theta - epsilon)", _rd(grad, one_fwd)),
        ("this is a one-sided difference (J(theta) - J(theta - eps)) / eps; use the two-sided "
         "(J_plus - J_minus) / (2 * epsilon)", _rd(grad, one_bwd)),
        ("the numerical gradient is twice too big: divide by 2 * epsilon, not epsilon", _rd(grad, 2 * two)),
        ("the numerical gradient is half the right one: J_minus must be J(theta - epsilon), "
         "not J(theta), and the divisor is 2 * epsilon", _rd(grad, (plus - mid) / (2 * eps))),
        ("gradapprox is about 0: check the parentheses, (J_plus - J_minus) / (2 * epsilon), "
         "not (J_plus - J_minus) / 2 * epsilon", _rd(grad, (plus - minus) / 2 * eps)),
        ("numerator and denominator need norms (np.linalg.norm): your difference can be negative",
         (grad - two) / (grad + two)),
        ("you returned only the numerator ||grad - gradapprox||; divide by ||grad|| + ||gradapprox||", num),
        (_ONE_NORM, num / abs(grad)),
        (_ONE_NORM, num / abs(two)),
        ("norms are not squared: use np.linalg.norm, not the sum of squares",
         (grad - two) ** 2 / (grad ** 2 + two ** 2)),
        (_RETURNED_GRADIENT, two),
        (_RETURNED_GRADIENT, grad),
        ("you used backward_propagation where forward_propagation belongs (J_plus and J_minus are "
         "values of the cost J)", _rd(grad, (backward_factor * (theta + eps) ** 2 * x
                                           - backward_factor * (theta - eps) ** 2 * x) / (2 * eps))),
        ("you used forward_propagation where backward_propagation belongs (grad is the "
         "derivative)", _rd(J(theta), two)),
    ]


def check_gradient_check(fn):
    """Two-sided difference, its epsilon, the relative-difference formula, big difference on a bug."""
    name = "gradient_check"
    cases = [  # (x, theta, epsilon, factor of the swapped-in backward: 3 = correct)
        (-0.8, 1.7, 1e-2, 3.0),
        (2.5, -0.6, 5e-2, 3.0),
        (1.3, 2.2, 1e-3, 3.0),
        (-1.1, 0.9, 2e-2, 1.0),   # backprop forgot the factor 3
        (0.7, -1.4, 1e-2, 2.0),   # backprop used 2 instead of 3
    ]
    for x, theta, eps, factor in cases:
        calls = {"forward": 0, "backward": 0}
        forward, backward = _cubic_pair(calls, factor)
        with _swapped_globals(name, fn, forward_propagation=forward, backward_propagation=backward):
            got, _ = _silent_call(name, fn, x, theta, eps)
        what = f"gradient_check(x={x}, theta={theta}, epsilon={eps})"
        got = _number(name, got, what)
        expected = ref.gradient_check(x, theta, eps, forward=lambda x, t: t ** 3 * x,
                                      backward=lambda x, t: factor * t ** 2 * x)
        if _matches(got, expected, 1e-6):
            continue
        setting = (f"{what}, with J(theta) = theta**3 * x swapped in for forward_propagation and "
                   f"dJ/dtheta = {factor:g} * theta**2 * x for backward_propagation")
        if calls["forward"] == 0 and calls["backward"] >= 2:
            fail(name, f"{setting}: your function called backward_propagation where forward_propagation "
                       "belongs: J_plus and J_minus are values of the cost, "
                       "forward_propagation(x, theta + epsilon) and forward_propagation(x, theta - epsilon)")
        if calls["forward"] == 0:
            fail(name, f"{setting}: your function never called forward_propagation; compute J_plus and "
                       "J_minus with forward_propagation(x, theta + epsilon) and "
                       "forward_propagation(x, theta - epsilon)")
        if calls["backward"] == 0:
            fail(name, f"{setting}: your function never called backward_propagation; grad must come "
                       "from backward_propagation(x, theta)")
        candidates = _gc_candidates(x, theta, eps, factor)
        default = ref.gradient_check(x, theta, 1e-7, forward=lambda x, t: t ** 3 * x,
                                     backward=lambda x, t: factor * t ** 2 * x)
        if expected > 1e-6 and 0 <= got < 1e-6 and abs(default) < 1e-6:
            candidates.insert(0, ("epsilon=1e-7 was used instead of the epsilon argument; "
                                  "use the parameter epsilon, don't hard-code it", got))
        message = _diagnose(got, candidates, 1e-6)
        if message is None and got < 0:
            message = ("numerator and denominator need norms (np.linalg.norm): a difference is never "
                       "negative")
        if factor != 3.0 and message is None and got < 2e-7:
            message = "the backprop was wrong, so the difference should be large"
        fail(name, f"{setting}: got difference {got:.6g}, expected {expected:.6g}."
                   + (f" It looks like {message}." if message else
                      " Difference = ||grad - gradapprox|| / (||grad|| + ||gradapprox||) with "
                      "gradapprox = (J_plus - J_minus) / (2 * epsilon)."))

    # The default epsilon (1e-7) on the correct cubic, and print_msg=True still returns the number.
    calls = {"forward": 0, "backward": 0}
    forward, backward = _cubic_pair(calls)
    with _swapped_globals(name, fn, forward_propagation=forward, backward_propagation=backward):
        got, _ = _silent_call(name, fn, 0.9, 1.3)
        got_msg, printed = _silent_call(name, fn, 0.9, 1.3, print_msg=True)
    got = _number(name, got, "gradient_check(x=0.9, theta=1.3)")
    if not got < 1e-7:
        fail(name, f"with the default epsilon and a correct backprop (J = theta**3 * x) the difference is "
                   f"{got:.3g}, expected below 1e-7: keep the default epsilon=1e-7")
    got_msg = _number(name, got_msg, "gradient_check(x=0.9, theta=1.3, print_msg=True)")
    if got_msg != got:
        fail(name, "print_msg=True changed the returned difference; it should only print the verdict")
    if not printed.strip():
        fail(name, "print_msg=True printed nothing; it should print the verdict with the difference")
    print(f"{name}: hidden tests passed.")


# ---------------------------------------------------------------- n-D gradient_check_n

# (layer widths, m, seed): chosen so that the reference difference with correct
# gradients is below 3e-9 at epsilon=1e-7 (no ReLU input within 0.08 of its kink)
# and above 1e-6 at epsilon=1e-2.
_NET_CASES = [
    ((3, 4, 2, 1), 5, 20),
    ((2, 1, 3, 1), 4, 24),
    ((5, 3, 1, 1), 6, 1),
    ((1, 2, 2, 1), 1, 3),
]
_BIG_EPS = 1e-2


def _net_case(dims, m, seed):
    rng = np.random.RandomState(seed)
    X = rng.randn(dims[0], m)
    Y = (rng.rand(1, m) < 0.5).astype(int)
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.randn(dims[l], dims[l - 1])
        parameters[f"b{l}"] = rng.randn(dims[l], 1) * 0.5
    return X, Y, parameters


def _buggy_gradients(kind, gradients):
    g = {k: np.array(v, dtype=float) for k, v in gradients.items()}
    if kind == "dW2 * 2 and db1 * 4":
        g["dW2"] = 2 * g["dW2"]
        g["db1"] = 4 * g["db1"]
    elif kind == "one entry of dW1 off by 0.3":
        g["dW1"][0, 0] += 0.3
    elif kind == "dW3 with the wrong sign":
        g["dW3"] = -g["dW3"]
    return g


def _flat(parameters):
    keys = [p + str(l) for l in range(1, 4) for p in ("W", "b")]
    return np.concatenate([np.ravel(np.asarray(parameters[k], dtype=float)) for k in keys])


def _n_candidates(parameters, gradients, X, Y, eps):
    """(message, value) of the usual gradient_check_n mistakes."""
    grad = np.concatenate(
        [np.reshape(gradients[k], (-1, 1)) for k in ("dW1", "db1", "dW2", "db2", "dW3", "db3")])
    theta = _flat(parameters)
    shapes = [(k, np.shape(parameters[k])) for k in ("W1", "b1", "W2", "b2", "W3", "b3")]

    def J(vec):
        d, start = {}, 0
        for k, s in shapes:
            n = int(np.prod(s))
            d[k] = vec[start:start + n].reshape(s)
            start += n
        return gradcheck_net.forward_propagation_n(X, Y, d)[0]

    n = theta.size
    plus, minus, mid = np.zeros((n, 1)), np.zeros((n, 1)), J(theta)
    for i in range(n):
        t = theta.copy()
        t[i] += eps
        plus[i] = J(t)
        t = theta.copy()
        t[i] -= eps
        minus[i] = J(t)
    two = (plus - minus) / (2 * eps)
    norm = np.linalg.norm
    with quiet():
        num = norm(grad - two)
        return [
            ("this is a one-sided difference (J(theta + eps) - J(theta)) / eps; use the two-sided "
             "(J_plus - J_minus) / (2 * epsilon), with J_minus at theta_minus", _rd(grad, (plus - mid) / eps)),
            ("this is a one-sided difference (J(theta) - J(theta - eps)) / eps; use the two-sided "
             "(J_plus - J_minus) / (2 * epsilon)", _rd(grad, (mid - minus) / eps)),
            ("gradapprox is half the true gradient: J_minus was computed at the original parameters. "
             "Did you forget np.copy? With theta_minus = parameters_values (no copy), theta_plus and "
             "theta_minus are the same array, so subtracting epsilon just undoes the +epsilon",
             _rd(grad, (plus - mid) / (2 * eps))),
            ("gradapprox is twice the true gradient: divide by 2 * epsilon, not epsilon", _rd(grad, 2 * two)),
            ("you returned only the numerator ||grad - gradapprox||; divide by "
             "||grad|| + ||gradapprox||", num),
            (_ONE_NORM, num / norm(grad)),
            (_ONE_NORM, num / norm(two)),
            ("the denominator is ||grad|| + ||gradapprox||, not ||grad + gradapprox||",
             num / norm(grad + two)),
            ("norms are not squared: the formula uses np.linalg.norm, not sums of squares",
             num ** 2 / (norm(grad) ** 2 + norm(two) ** 2)),
            ("gradapprox is about 0: check the parentheses, (J_plus - J_minus) / (2 * epsilon), not "
             "(J_plus - J_minus) / 2 * epsilon", _rd(grad, (plus - minus) / 2 * eps)),
        ]


def _recording_forward(log):
    def forward_propagation_n(X, Y, parameters):
        log.append(_flat(parameters))
        return gradcheck_net.forward_propagation_n(X, Y, parameters)
    return forward_propagation_n


def _copy_dict(d):
    return {k: np.array(v, copy=True) for k, v in d.items()}


def _same_dict(a, b):
    return set(a) == set(b) and all(np.shape(a[k]) == np.shape(b[k])
                                    and np.allclose(a[k], b[k], rtol=0, atol=1e-12) for k in a)


def _run_n(name, fn, parameters, gradients, X, Y, what, **kwargs):
    """Call the student's gradient_check_n with a recording forward_propagation_n; check it
    returns a number and leaves its inputs alone. Returns (difference, forward calls)."""
    log = []
    p_in, g_in = _copy_dict(parameters), _copy_dict(gradients)
    with _swapped_globals(name, fn, forward_propagation_n=_recording_forward(log)):
        try:
            result, _ = _silent_call(name, fn, p_in, g_in, X.copy(), Y.copy(), **kwargs)
        except CheckFailed as exc:
            text = str(exc)
            if "concatenate" in text:
                text += (". Hint: flatten the gradients with gradients_to_vector(gradients); "
                         "dictionary_to_vector is for the parameters (W1, b1, ...)")
            raise CheckFailed(text) from None
    difference = _number(name, result, what)
    if not _same_dict(p_in, parameters):
        changed = [k for k in parameters if k not in p_in or not np.allclose(p_in[k], parameters[k])]
        fail(name, f"{what} modified the parameters dict it was given ({', '.join(changed) or 'its keys'} "
                   "changed). Perturb copies: theta_plus = np.copy(parameters_values), then "
                   "vector_to_dictionary(theta_plus)")
    if not _same_dict(g_in, gradients):
        fail(name, f"{what} modified the gradients dict it was given; only read it")
    return difference, log


def _explain_n(name, parameters, gradients, X, Y, got, expected, what, log, eps, rtol):
    """Fail with the best diagnosis of a wrong gradient_check_n difference."""
    head = f"{what}: got difference {got:.6g}, expected {expected:.6g}."
    if not log:
        fail(name, f"{head} Your function never called forward_propagation_n: J_plus[i] and J_minus[i] "
                   "are the costs forward_propagation_n(X, Y, vector_to_dictionary(theta_plus)) and "
                   "... (theta_minus)")
    theta = _flat(parameters)
    if all(np.array_equal(v, theta) for v in log):
        fail(name, f"{head} Every call of forward_propagation_n got the original parameters: pass the "
                   "perturbed ones, vector_to_dictionary(theta_plus) and vector_to_dictionary(theta_minus)")
    moved = [np.flatnonzero(np.abs(v - theta) > 0.5 * eps) for v in log]
    if any(len(mv) > 1 for mv in moved):
        fail(name, f"{head} Some forward_propagation_n calls saw several parameters perturbed at once: "
                   "perturbations pile up when theta_plus/theta_minus are not fresh copies. Start each "
                   "step from np.copy(parameters_values) and change only entry i")
    candidates = _n_candidates(parameters, gradients, X, Y, eps)
    message = _diagnose(got, candidates, rtol)
    if message is None and got < 0:
        message = "numerator and denominator need norms (np.linalg.norm): a difference is never negative"
    if message is None and abs(got - 1.0) < 1e-3:
        message = ("gradapprox is (almost) all zeros: J_plus and J_minus were computed at the same point, "
                   "or divided the wrong way. Use gradapprox[i] = (J_plus[i] - J_minus[i]) / (2 * epsilon)")
    if message is None and eps != 1e-7 and expected > 1e-6 and 0 <= got < 1e-7:
        message = ("epsilon=1e-7 was used instead of the epsilon argument; use the "
                   "parameter epsilon, don't hard-code it")
    if message is None:
        message = ("check the two-sided difference gradapprox[i] = (J_plus[i] - J_minus[i]) / (2 * epsilon), "
                   "that grad comes from gradients_to_vector(gradients) (same order as the parameters), "
                   "and difference = ||grad - gradapprox|| / (||grad|| + ||gradapprox||)")
    fail(name, f"{head} It looks like {message}.")


def check_gradient_check_n(fn):
    """Several widths (incl. 1) and m; correct gradients give < 1e-7 and the exact
    epsilon=1e-2 value; gradients with bugs give the reference's difference."""
    name = "gradient_check_n"
    extra_bugs = ("one entry of dW1 off by 0.3", "dW3 with the wrong sign")
    for case_index, (dims, m, seed) in enumerate(_NET_CASES):
        X, Y, parameters = _net_case(dims, m, seed)
        _, cache = gradcheck_net.forward_propagation_n(X, Y, parameters)
        gradients = gradcheck_net.backward_propagation_n_fixed(X, Y, cache)
        net = f"layer widths {list(dims)}, m = {m}"

        # 1. Correct gradients, epsilon = 1e-2: the two-sided truncation error is exact here.
        what = f"With correct gradients ({net}) and epsilon={_BIG_EPS}"
        got, log = _run_n(name, fn, parameters, gradients, X, Y, what, epsilon=_BIG_EPS)
        expected = ref.gradient_check_n(parameters, gradients, X, Y, _BIG_EPS)
        if not _matches(got, expected, 1e-5):
            _explain_n(name, parameters, gradients, X, Y, got, expected, what, log, _BIG_EPS, 1e-5)

        # 2. Correct gradients, default epsilon: the difference must be tiny.
        what = f"With correct gradients ({net}) and the default epsilon"
        got, log = _run_n(name, fn, parameters, gradients, X, Y, what)
        if not got < 1e-7:
            expected = ref.gradient_check_n(parameters, gradients, X, Y)
            if got > 1e-3:
                _explain_n(name, parameters, gradients, X, Y, got, expected, what, log, 1e-7, 1e-3)
            fail(name, f"{what}: got difference {got:.3g}, expected about {expected:.1g} (below 1e-7). "
                       "Is the default epsilon still 1e-7?")

        # 3. Gradients with bugs: the difference must be the reference's.
        for kind in ("dW2 * 2 and db1 * 4", extra_bugs[case_index % 2]):
            buggy = _buggy_gradients(kind, gradients)
            what = f"With buggy gradients ({kind}; {net})"
            got, log = _run_n(name, fn, parameters, buggy, X, Y, what)
            expected = ref.gradient_check_n(parameters, buggy, X, Y)
            if not _matches(got, expected, 1e-3):
                _explain_n(name, parameters, buggy, X, Y, got, expected, what, log, 1e-7, 1e-3)
    print(f"{name}: hidden tests passed.")
