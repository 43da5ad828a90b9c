"""Hidden checks of the 1-D part: forward_propagation, backward_propagation, gradient_check.

gradient_check reads the notebook's globals forward_propagation and
backward_propagation. Its cases rebind them (`globals=`) to the toys of
course.gradcheck_toys, J(theta) = theta**3 * x with a right or a buggy
derivative, and record their calls (`spy=`), so the judge sees which of the two
the student's function called, and how often.
"""

import numpy as np

from autograder.hidden.check import Check, case, public
from autograder.hidden.common import fail, quiet, returned
from autograder.hidden.week1.gradient_checking.shared import (ONE_NORM, RETURNED_GRADIENT, diagnose, matches,
                                                              number, rd)
from autograder.reference.week1 import gradient_checking as ref
from course.gradcheck_bands import GREAT
from course.gradcheck_toys import BACKWARD_FACTORS
from course.grading import runner

# ---------------------------------------------------------------- forward / backward (J = theta * x)


def _one_d_cases():
    """Numbers and arrays x, negative and zero values."""
    rng = np.random.RandomState(7)
    pairs = [(3, 4), (-2.5, 0.7), (1.5, -3.0), (0.0, 2.0), (2.0, 0.0),
             (np.array([1.0, -2.0, 0.5]), 1.5), (rng.randn(2, 3), -0.8)]
    return [case(x, theta) for x, theta in pairs]


def _short(x):
    if isinstance(x, np.ndarray):
        return f"array of shape {x.shape}"
    return repr(x)


def _check_value(name, prefix, got, expected, candidates, call_text, hint):
    """got must equal expected; else name the first candidate (message, value, tag) it equals."""
    if got is None:
        fail(name, f"{call_text} returned None: did you forget the return statement?", f"{prefix}.none")
    try:
        with quiet():
            arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        fail(name, f"{call_text} should return a number or an array, got {type(got).__name__}",
             f"{prefix}.not_a_number")
    if arr.shape != np.shape(expected) and not (np.ndim(expected) == 0 and arr.size == 1):
        fail(name, f"{call_text} has shape {arr.shape}, expected {np.shape(expected)} "
                   f"(the same shape as x). {hint}", f"{prefix}.shape")
    arr = arr.reshape(np.shape(expected))
    with quiet():
        if np.allclose(arr, expected, rtol=1e-10, atol=1e-12):
            return
        for message, cand, tag in candidates:
            if np.shape(cand) == np.shape(expected) and np.allclose(arr, cand, rtol=1e-10, atol=1e-12):
                fail(name, f"{call_text} returned {np.round(arr, 6).tolist()}, "
                           f"expected {np.round(expected, 6).tolist()}: {message}", tag)
    fail(name, f"{call_text} returned {np.round(arr, 6).tolist()}, expected "
               f"{np.round(np.asarray(expected, dtype=float), 6).tolist()}. {hint}", f"{prefix}.wrong_value")


def _forward_judge(cases, answers):
    name, prefix = "forward_propagation", "forward"
    for c, answer in zip(cases, answers):
        x, theta = c["args"]
        got = returned(name, prefix, c, answer)
        expected = ref.forward_propagation(x, theta)
        with quiet():
            candidates = [
                ("you added them; J is the product theta * x", theta + x, "forward.sum"),
                ("you raised theta to the power x; J is the product theta * x", np.power(float(theta), x),
                 "forward.theta_power_x"),
                ("you raised x to the power theta; J is the product theta * x", np.power(x, float(theta)),
                 "forward.x_power_theta"),
                ("that is the derivative (x), not the cost J = theta * x", x, "forward.returned_derivative"),
                ("you returned theta; J is theta * x", np.full(np.shape(x), theta, dtype=float),
                 "forward.returned_theta"),
                ("the sign is flipped: J = theta * x, no minus", -theta * x, "forward.sign"),
                ("J = theta * x, not theta * x ** 2", theta * x ** 2, "forward.x_squared"),
            ]
        _check_value(name, prefix, got, expected, candidates, f"forward_propagation(x={_short(x)}, theta={theta})",
                     "J = theta * x (elementwise when x is an array).")


def _backward_judge(cases, answers):
    name, prefix = "backward_propagation", "backward"
    for c, answer in zip(cases, answers):
        x, theta = c["args"]
        got = returned(name, prefix, c, answer)
        expected = ref.backward_propagation(x, theta)
        with quiet():
            candidates = [
                ("you returned J = theta * x itself; the derivative of theta * x with respect to theta is x",
                 theta * x, "backward.returned_cost"),
                ("you returned theta; that is the derivative with respect to x, but we differentiate "
                 "with respect to theta, which gives x", np.full(np.shape(x), theta, dtype=float),
                 "backward.returned_theta"),
                ("the derivative of theta * x with respect to theta is x, not 1",
                 np.ones(np.shape(x)), "backward.returned_one"),
                ("the sign is flipped: dJ/dtheta = x", -np.asarray(x, dtype=float), "backward.sign"),
                ("dJ/dtheta = x, not theta + x", theta + x, "backward.sum"),
            ]
        _check_value(name, prefix, got, expected, candidates, f"backward_propagation(x={_short(x)}, theta={theta})",
                     "dJ/dtheta of J = theta * x is x.")


check_forward_propagation = Check("forward_propagation", prefix="forward", cases=_one_d_cases, judge=_forward_judge)
check_backward_propagation = Check("backward_propagation", prefix="backward", cases=_one_d_cases,
                                   judge=_backward_judge)


# ---------------------------------------------------------------- gradient_check

_NAME, _PREFIX = "gradient_check", "gradcheck"
# (x, theta, epsilon, backward pass of course.gradcheck_toys swapped in: cubic_backward is correct)
_VALUE_CASES = [
    (-0.8, 1.7, 1e-2, "cubic_backward"),
    (2.5, -0.6, 5e-2, "cubic_backward"),
    (1.3, 2.2, 1e-3, "cubic_backward"),
    (-1.1, 0.9, 2e-2, "cubic_backward_forgot_3"),
    (0.7, -1.4, 1e-2, "cubic_backward_times_2"),
]
_SPIED = ["forward_propagation", "backward_propagation"]


def _toys(backward):
    return {"forward_propagation": "course.gradcheck_toys:cubic_forward",
            "backward_propagation": f"course.gradcheck_toys:{backward}"}


def _gradient_check_cases():
    cases = [case(x, theta, eps, globals=_toys(backward), spy=_SPIED, meta={"step": "value", "backward": backward})
             for x, theta, eps, backward in _VALUE_CASES]
    # The default epsilon (1e-7) on the correct cubic, and print_msg=True still returns the number.
    cases.append(case(0.9, 1.3, globals=_toys("cubic_backward"), meta={"step": "default"}))
    cases.append(case(0.9, 1.3, print_msg=True, globals=_toys("cubic_backward"), meta={"step": "print_msg"}))
    return cases


def reference_difference(c, **changes):
    """What the reference gradient_check returns on case c (with its globals rebound likewise)."""
    c = dict(public([c])[0], **changes)
    return runner.run_case(ref.gradient_check, c)["value"]


def gradient_check_candidates(x, theta, eps, backward_factor):
    """(message, value, tag) of the usual gradient_check mistakes for J = theta**3 * x."""
    J = lambda t: t ** 3 * x  # noqa: E731
    grad = backward_factor * theta ** 2 * x
    plus, minus, mid = J(theta + eps), J(theta - eps), J(theta)
    two = (plus - minus) / (2 * eps)
    one_fwd = (plus - mid) / eps
    one_bwd = (mid - minus) / eps
    num = abs(grad - two)
    with quiet():
        return [
            ("this is a one-sided difference (J(theta + eps) - J(theta)) / eps; use the two-sided "
             "(J_plus - J_minus) / (2 * epsilon) with J_minus = J(theta - epsilon)", rd(grad, one_fwd),
             "gradcheck.one_sided"),
            ("this is a one-sided difference (J(theta) - J(theta - eps)) / eps; use the two-sided "
             "(J_plus - J_minus) / (2 * epsilon)", rd(grad, one_bwd), "gradcheck.one_sided"),
            ("the numerical gradient is twice too big: divide by 2 * epsilon, not epsilon", rd(grad, 2 * two),
             "gradcheck.missing_2"),
            ("the numerical gradient is half the right one: J_minus must be J(theta - epsilon), "
             "not J(theta), and the divisor is 2 * epsilon", rd(grad, (plus - mid) / (2 * eps)),
             "gradcheck.j_minus_at_theta"),
            ("gradapprox is about 0: check the parentheses, (J_plus - J_minus) / (2 * epsilon), "
             "not (J_plus - J_minus) / 2 * epsilon", rd(grad, (plus - minus) / 2 * eps), "gradcheck.precedence"),
            ("numerator and denominator need norms (np.linalg.norm): your difference can be negative",
             (grad - two) / (grad + two), "gradcheck.no_norms"),
            ("you returned only the numerator ||grad - gradapprox||; divide by ||grad|| + ||gradapprox||", num,
             "gradcheck.numerator_only"),
            (ONE_NORM, num / abs(grad), "gradcheck.one_norm_denominator"),
            (ONE_NORM, num / abs(two), "gradcheck.one_norm_denominator"),
            ("norms are not squared: use np.linalg.norm, not the sum of squares",
             (grad - two) ** 2 / (grad ** 2 + two ** 2), "gradcheck.squared_norms"),
            (RETURNED_GRADIENT, two, "gradcheck.returned_gradient"),
            (RETURNED_GRADIENT, grad, "gradcheck.returned_gradient"),
            ("you used backward_propagation where forward_propagation belongs (J_plus and J_minus are "
             "values of the cost J)", rd(grad, (backward_factor * (theta + eps) ** 2 * x
                                                - backward_factor * (theta - eps) ** 2 * x) / (2 * eps)),
             "gradcheck.backward_for_forward"),
            ("you used forward_propagation where backward_propagation belongs (grad is the "
             "derivative)", rd(J(theta), two), "gradcheck.forward_for_backward"),
        ]


def _judge_value(c, answer):
    """A case with a given epsilon: the difference must be the reference's."""
    x, theta, eps = c["args"]
    backward = c["meta"]["backward"]
    factor = BACKWARD_FACTORS[backward]
    what = f"gradient_check(x={x}, theta={theta}, epsilon={eps})"
    got = number(_NAME, _PREFIX, returned(_NAME, _PREFIX, c, answer), what)
    expected = reference_difference(c)
    if matches(got, expected, 1e-6):
        return
    calls = {name: len(answer.get("spy", {}).get(name, [])) for name in _SPIED}
    forward_calls, backward_calls = calls["forward_propagation"], calls["backward_propagation"]
    setting = (f"{what}, with J(theta) = theta**3 * x swapped in for forward_propagation and "
               f"dJ/dtheta = {factor:g} * theta**2 * x for backward_propagation")
    if forward_calls == 0 and backward_calls >= 2:
        fail(_NAME, f"{setting}: your function called backward_propagation where forward_propagation "
                    "belongs: J_plus and J_minus are values of the cost, "
                    "forward_propagation(x, theta + epsilon) and forward_propagation(x, theta - epsilon)",
             "gradcheck.backward_for_forward")
    if forward_calls == 0:
        fail(_NAME, f"{setting}: your function never called forward_propagation; compute J_plus and "
                    "J_minus with forward_propagation(x, theta + epsilon) and "
                    "forward_propagation(x, theta - epsilon)", "gradcheck.no_forward_call")
    if backward_calls == 0:
        fail(_NAME, f"{setting}: your function never called backward_propagation; grad must come "
                    "from backward_propagation(x, theta)", "gradcheck.no_backward_call")
    candidates = gradient_check_candidates(x, theta, eps, factor)
    default = reference_difference(c, args=[x, theta, 1e-7])
    if expected > 1e-6 and 0 <= got < 1e-6 and abs(default) < 1e-6:
        candidates.insert(0, ("epsilon=1e-7 was used instead of the epsilon argument; "
                              "use the parameter epsilon, don't hard-code it", got, "gradcheck.hardcoded_epsilon"))
    found = diagnose(got, candidates, 1e-6)
    if found is None and got < 0:
        found = ("numerator and denominator need norms (np.linalg.norm): a difference is never negative",
                 "gradcheck.no_norms")
    if factor != 3.0 and found is None and got < GREAT:
        found = "the backprop was wrong, so the difference should be large", "gradcheck.small_on_bug"
    message, tag = found or (None, "gradcheck.wrong_value")
    fail(_NAME, f"{setting}: got difference {got:.6g}, expected {expected:.6g}."
                + (f" It looks like {message}." if message else
                   " Difference = ||grad - gradapprox|| / (||grad|| + ||gradapprox||) with "
                   "gradapprox = (J_plus - J_minus) / (2 * epsilon)."), tag)


def _gradient_check_judge(cases, answers):
    default = None
    for c, answer in zip(cases, answers):
        step = c["meta"]["step"]
        if step == "value":
            _judge_value(c, answer)
        elif step == "default":
            default = number(_NAME, _PREFIX, returned(_NAME, _PREFIX, c, answer), "gradient_check(x=0.9, theta=1.3)")
            if not default < GREAT:
                fail(_NAME, "with the default epsilon and a correct backprop (J = theta**3 * x) the difference is "
                            f"{default:.3g}, expected below 1e-7: keep the default epsilon=1e-7",
                     "gradcheck.default_epsilon")
        else:
            got = number(_NAME, _PREFIX, returned(_NAME, _PREFIX, c, answer),
                         "gradient_check(x=0.9, theta=1.3, print_msg=True)")
            if got != default:
                fail(_NAME, "print_msg=True changed the returned difference; it should only print the verdict",
                     "gradcheck.print_msg_changes_value")
            if not answer.get("stdout", "").strip():
                fail(_NAME, "print_msg=True printed nothing; it should print the verdict with the difference",
                     "gradcheck.print_msg_silent")


check_gradient_check = Check(_NAME, prefix=_PREFIX, cases=_gradient_check_cases, judge=_gradient_check_judge)
