"""Hidden checks of week 3, notebook `frameworks`: cases plus a judge each (autograder/hidden/check.py).

- minimize_quadratic: several (learning_rate, num_steps) pairs, the defaults among them, against the
  closed form w_k = 5 (1 - (1 - 2 alpha)^k); a Python float is required.
- forward_propagation: nets of several widths, compared with the NumPy net (course/softmax_net.py);
  then `jax.grad` of sum(G * logits) with respect to the parameters, computed by the runner in the
  student's kernel, against the NumPy backward pass.
- compute_cost: random logits, and two large-logit cases (all near 750: exp overflows without the max
  shift; spread over thousands: the log of a softmax that underflowed to 0), against the NumPy cost;
  then jax.grad with respect to the logits against (softmax - Y) / m.

JAX cases run with 64-bit floats (the runner's "jax": {"x64": True}), so the values can be compared to
about 1e-6 whatever the student wrote. A function whose plain call is right but that `jax.grad` cannot
trace (NumPy on a traced array, float() of one, an if on one) fails with the tag `jax.not_traceable`
and the line of the student's code that broke the trace.
"""

import re

import numpy as np

from autograder.hidden.check import Check, case
from autograder.hidden.common import as_float_array, fail, quiet, relative_norm, returned
from autograder.reference.week3 import frameworks as ref
from course.grading.wire import Unsupported

RTOL = 1e-5   # relative error (by norm) allowed against the float64 reference: a float32 cast still passes
TRACE_ERRORS = {"TracerArrayConversionError", "ConcretizationTypeError", "TracerBoolConversionError",
                "TracerIntegerConversionError", "UnexpectedTracerError"}


def _jax_case(*args, meta, grad=None, cotangent=None):
    c = case(*args, meta=meta)
    c["jax"] = {"x64": True}
    if grad is not None:
        c["jax"]["grad"] = list(grad)
        if cotangent is not None:
            c["jax"]["cotangent"] = cotangent
    return c


def _trace_hint(error):
    """What to use instead, from the line of code that broke the trace."""
    where = error.get("where", "")
    at = f" at `{where}`" if where else ""
    kind = error.get("type")
    if kind == "TracerArrayConversionError":
        calls = sorted(set(re.findall(r"\bnp\.(\w+)", where)))
        if len(calls) == 1:
            fix = f"jnp.{calls[0]}, not np.{calls[0]}"
        elif calls:
            fix = ", ".join(f"jnp.{c}" for c in calls) + " instead of " + ", ".join(f"np.{c}" for c in calls)
        else:
            fix = "jnp functions, not np ones"
        return f"calls NumPy on a traced array{at}: use {fix}"
    if kind == "TracerBoolConversionError":
        return f"uses a traced array in an if or while{at}: use jnp.where or jnp.maximum instead"
    return f"turns a traced array into a Python number{at} ({kind}): keep it a jnp array inside the function"


def traced_gradient(name, prefix, answer, where):
    """The gradient the runner computed with jax.grad; fails when tracing (or differentiating) failed.

    Tags: jax.not_traceable, <prefix>.grad_raised."""
    if "grad_error" in answer:
        error = answer["grad_error"]
        if error.get("type") in TRACE_ERRORS:
            fail(name, f"{_trace_hint(error)}. Its values are right, but jax.grad cannot differentiate it: inside "
                       f"jax.grad your function receives tracers, which NumPy cannot compute with {where}",
                 "jax.not_traceable")
        fail(name, f"jax.grad of your function raised {error.get('type')}: {error.get('message', '')[:300]} "
                   f"{where}", f"{prefix}.grad_raised")
    return answer.get("grad")


# ---------------------------------------------------------------- minimize_quadratic

MQ = "minimize_quadratic"
# (learning_rate, num_steps); () is the defaults (0.1, 1000), last: a mistake shows first where it has a name
_MQ_ARGS = [(0.1, 1), (0.1, 2), (0.01, 10), (0.3, 5), (0.05, 37), (0.45, 4), (0.1, 0), ()]


def _mq_cases():
    return [case(*args, meta={"lr": args[0] if args else 0.1, "k": args[1] if args else 1000}) for args in _MQ_ARGS]


def _as_python_float(value, where_):
    if isinstance(value, float) and not isinstance(value, np.generic):
        return value
    if isinstance(value, Unsupported):
        what = f"a JAX array ({value.text})" if "Array" in value.type_name else f"a {value.type_name}"
    elif isinstance(value, np.ndarray):
        what = f"a NumPy array of shape {value.shape}"
    else:
        what = f"a {type(value).__name__} ({value!r})"
    fail(MQ, f"returned {what} {where_}: return a Python float, float(w)", "quadratic.not_float")


def _mq_mistakes(lr, k):
    w = ref.quadratic_after(lr, k)
    out = [("quadratic.ascent", "w moved up the gradient (w + learning_rate * grad): gradient descent subtracts, "
                                "w = w - learning_rate * grad_cost(w)", 5.0 * (1.0 - (1.0 + 2.0 * lr) ** k))]
    if k > 0:
        out += [("quadratic.off_by_one", f"that is w after {k - 1} steps, one too few: take exactly num_steps steps, "
                                         "for _ in range(num_steps)", ref.quadratic_after(lr, k - 1))]
    out += [("quadratic.off_by_one", f"that is w after {k + 1} steps, one too many: take exactly num_steps steps, "
                                     "for _ in range(num_steps)", ref.quadratic_after(lr, k + 1)),
            ("quadratic.hard_coded", "5.0 is where the minimum is, but not where num_steps steps get to: run the "
                                     "gradient descent loop and return its w", 5.0),
            ("quadratic.returned_cost", "that is the cost J(w) = (w - 5)^2 at the end, not w: return w",
             (w - 5.0) ** 2),
            ("quadratic.no_learning_rate", "w moved by the whole gradient: multiply it by learning_rate",
             5.0 * (1.0 - (-1.0) ** k))]
    return [(tag, msg, v) for tag, msg, v in out if not np.isclose(v, w, rtol=1e-4, atol=1e-5)]


def _mq_judge(cases, answers):
    for c, answer in zip(cases, answers):
        lr, k = c["meta"]["lr"], c["meta"]["k"]
        where_ = f"(learning_rate={lr}, num_steps={k}{', the defaults' if not c['args'] else ''})"
        w = _as_python_float(answer.get("value") if "error" not in answer else returned(MQ, "quadratic", c, answer),
                             where_)
        expected = ref.quadratic_after(lr, k)
        if np.isclose(w, expected, rtol=1e-4, atol=1e-5):
            continue
        if not c["args"]:
            for tag, msg, v in _mq_mistakes(lr, k):
                if np.isclose(w, v, rtol=1e-4, atol=1e-5):
                    fail(MQ, f"got {w:.6g}, expected {expected:.6g}: {msg} {where_}", tag)
            fail(MQ, f"with no arguments it returned {w:.6g}, expected {expected:.6g}: the defaults are "
                     f"learning_rate=0.1 and num_steps=1000", "quadratic.defaults")
        for tag, msg, v in _mq_mistakes(lr, k):
            if np.isclose(w, v, rtol=1e-4, atol=1e-5):
                fail(MQ, f"got {w:.6g}, expected {expected:.6g}: {msg} {where_}", tag)
        fail(MQ, f"got {w:.6g}, expected {expected:.6g} {where_}: start at w = 0 and repeat num_steps times "
                 f"w = w - learning_rate * dJ/dw, with dJ/dw = jax.grad(cost)(w)", "quadratic.wrong_value")


check_minimize_quadratic = Check(MQ, prefix="quadratic", cases=_mq_cases, judge=_mq_judge)


# ---------------------------------------------------------------- forward_propagation

FP = "forward_propagation"
# (n_x, n1, n2, C, m): the notebook's digits net, small odd ones, a single example
_FP_DIMS = [(64, 25, 12, 10, 9), (5, 4, 3, 2, 6), (3, 6, 2, 4, 1)]


def _net(rng, dims):
    n_x, n1, n2, C, m = dims
    X = rng.randn(n_x, m)
    sizes = [n_x, n1, n2, C]
    params = {}
    for l in (1, 2, 3):
        params[f"W{l}"] = rng.randn(sizes[l], sizes[l - 1]) / np.sqrt(sizes[l - 1]) * 1.5
        params[f"b{l}"] = 0.5 * rng.randn(sizes[l], 1)
    return X, params


def _fp_cases():
    rng = np.random.RandomState(31)
    cases = []
    for dims in _FP_DIMS:
        X, params = _net(rng, dims)
        G = rng.randn(dims[3], dims[4])
        cases.append(_jax_case(X, params, meta={"dims": dims}, grad=[1], cotangent=G))
    return cases


def _relu(z):
    return np.maximum(0, z)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _softmax(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _variant(X, p, act1=_relu, act2=_relu, out=lambda z: z, bias=True):
    b = {k: (p[k] if bias else 0) for k in ("b1", "b2", "b3")}
    A1 = act1(p["W1"] @ X + b["b1"])
    A2 = act2(p["W2"] @ A1 + b["b2"])
    return out(p["W3"] @ A2 + b["b3"])


def _fp_mistakes(X, p):
    ident = lambda z: z  # noqa: E731
    return {
        "fp.relu_on_output": ("relu was applied to the output layer too: the last layer is LINEAR only, its logits "
                              "may be negative (compute_cost applies the softmax)", _variant(X, p, out=_relu)),
        "fp.softmax_output": ("you returned probabilities (the softmax of the logits): return the logits Z3, "
                              "compute_cost applies the softmax", _variant(X, p, out=_softmax)),
        "fp.sigmoid_hidden": ("the hidden layers use sigmoid: they are RELU, jnp.maximum(0, Z)",
                              _variant(X, p, act1=_sigmoid, act2=_sigmoid)),
        "fp.missing_relu": ("a hidden layer has no RELU: LINEAR -> RELU -> LINEAR -> RELU -> LINEAR",
                            _variant(X, p, act2=ident)),
        "fp.missing_relu_1": ("the first hidden layer has no RELU: LINEAR -> RELU -> LINEAR -> RELU -> LINEAR",
                              _variant(X, p, act1=ident)),
        "fp.no_bias": ("the biases were left out: Z = W A + b in every layer", _variant(X, p, bias=False)),
    }


def _fp_judge(cases, answers):
    for c, answer in zip(cases, answers):
        X, params = c["args"]
        n_x, n1, n2, C, m = c["meta"]["dims"]
        where_ = f"(X of shape {X.shape}, layer widths [{n_x}, {n1}, {n2}, {C}])"
        Z3 = as_float_array(FP, "the logits", returned(FP, "fp", c, answer), "fp.not_array")
        if Z3.shape == (m, C) and m != C:
            fail(FP, f"the logits have shape {Z3.shape}, the transpose of ({C}, {m}): keep one example per column, "
                     f"Z = jnp.dot(W, A) + b, not jnp.dot(A.T, W.T) {where_}", "fp.transposed")
        if Z3.shape != (C, m):
            fail(FP, f"the logits have shape {Z3.shape}, expected ({C}, {m}), (C, m) {where_}", "fp.shape")
        expected, _ = ref.numpy_forward(X, params)
        if relative_norm(Z3, expected) > RTOL:
            with quiet():
                for tag, (msg, v) in _fp_mistakes(X, params).items():
                    if relative_norm(Z3, v) <= RTOL:
                        fail(FP, f"{msg} {where_}", tag)
            fail(FP, f"the logits differ from the expected ones (relative error {relative_norm(Z3, expected):.2g}): "
                     f"LINEAR -> RELU -> LINEAR -> RELU -> LINEAR, Z = jnp.dot(W, A) + b {where_}", "fp.wrong_value")
        grads = traced_gradient(FP, "fp", answer, where_)
        expected_grads = ref.numpy_forward_vjp(X, params, c["jax"]["cotangent"])
        if not isinstance(grads, list) or len(grads) != 1 or not isinstance(grads[0], dict):
            fail(FP, f"jax.grad did not give a gradient for the parameters dict {where_}", "fp.wrong_gradient")
        for k, g in expected_grads.items():
            got = as_float_array(FP, f"the gradient of {k}", grads[0].get(k), "fp.wrong_gradient")
            if got.shape != g.shape or relative_norm(got, g) > RTOL:
                fail(FP, f"the values are right, but jax.grad's gradient of {k} differs from backpropagation's: "
                         f"does part of the computation leave JAX (jax.lax.stop_gradient, np.asarray, a constant "
                         f"copy)? {where_}", "fp.wrong_gradient")


check_forward_propagation = Check(FP, prefix="fp", cases=_fp_cases, judge=_fp_judge)


# ---------------------------------------------------------------- compute_cost

CC = "compute_cost"
# (C, m, how the logits are drawn); the first case tells sum from mean (m > 1)
_CC_SHAPES = [(10, 9, "normal"), (3, 1, "normal"), (2, 7, "normal"), (4, 6, "offset"), (5, 8, "spread")]


def _one_hot(labels, C):
    Y = np.zeros((C, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def _cc_cases():
    rng = np.random.RandomState(32)
    cases = []
    for C, m, kind in _CC_SHAPES:
        Y = _one_hot(rng.randint(C, size=m), C)
        logits = {"normal": 3.0 * rng.randn(C, m), "offset": 750.0 + rng.randn(C, m),
                  "spread": 400.0 * rng.randn(C, m)}[kind]
        cases.append(_jax_case(logits, Y, meta={"kind": kind}, grad=[0]))
    return cases


def _log_softmax(z, axis):
    s = z - z.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


def _cc_mistakes(z, Y):
    C, m = Y.shape
    J = ref.numpy_cost(z, Y)
    log_sig = -np.logaddexp(0, -z)
    log_one_minus = -np.logaddexp(0, z)
    return {
        "cost.sum_not_mean": ("that is the sum over the examples: the cost is their mean, divide by m", J * m),
        "cost.mean_over_classes": (f"that is the mean over all C * m entries of Y * log(softmax): sum over the C "
                                   f"classes, then average over the m examples only", J / C),
        "cost.softmax_axis": ("the softmax was taken along the examples (axis=1): each column is one example, "
                              "normalize over the classes, axis=0", -np.sum(Y * _log_softmax(z, 1)) / m),
        "cost.transposed": ("the logits were read as (m, C), one example per row: here they are (C, m), one "
                            "example per column (softmax over axis 0, mean over axis 1)",
                            -np.sum(Y * _log_softmax(z, 1)) / C),
        "cost.sign": ("the cost is negative: cross-entropy is minus the mean log-probability of the right class", -J),
        "cost.sigmoid": ("that is the binary (sigmoid) cross-entropy of each class: with C classes the "
                         "probabilities come from one softmax over each column",
                         -np.sum(Y * log_sig + (1 - Y) * log_one_minus) / m),
    }


def _cc_value(answer, c):
    value = returned(CC, "cost", c, answer)
    a = as_float_array(CC, "the cost", value, "cost.not_number")
    if a.size != 1:
        fail(CC, f"returned an array of shape {a.shape}, expected a single number: sum Y * log(softmax) over the "
                 f"classes and average over the examples (logits of shape {c['args'][0].shape})", "cost.not_scalar")
    return float(a.reshape(-1)[0])


def _cc_judge(cases, answers):
    for c, answer in zip(cases, answers):
        z, Y = c["args"]
        kind = c["meta"]["kind"]
        where_ = f"(logits of shape {z.shape})" if kind == "normal" else \
            f"(logits of shape {z.shape}, {'all near 750' if kind == 'offset' else 'spread over thousands'})"
        J = _cc_value(answer, c)
        expected = ref.numpy_cost(z, Y)
        if not np.isfinite(J):
            if kind == "offset":
                fail(CC, f"returned {J} for large logits {where_}: exp(750) overflows. Subtract each column's max "
                         f"from the logits first (softmax does not change), or use jax.nn.log_softmax",
                     "cost.unstable")
            fail(CC, f"returned {J} for logits far apart {where_}: a probability underflowed to 0 and its log is "
                     f"-inf. Take the log-softmax directly, z - max - log(sum(exp(z - max))) (or "
                     f"jax.nn.log_softmax), not jnp.log of the softmax", "cost.log_of_probabilities")
        if abs(J - expected) > RTOL * max(1.0, abs(expected)):
            for tag, (msg, v) in _cc_mistakes(z, Y).items():
                if abs(J - v) <= RTOL * max(1.0, abs(v)):
                    fail(CC, f"got {J:.6g}, expected {expected:.6g}: {msg} {where_}", tag)
            fail(CC, f"got {J:.6g}, expected {expected:.6g}: J = -(1/m) * sum(Y * log_softmax(logits)), the "
                     f"softmax over each column {where_}", "cost.wrong_value")
        grads = traced_gradient(CC, "cost", answer, where_)
        got = as_float_array(CC, "the gradient of the cost", grads[0] if isinstance(grads, list) and grads else None,
                             "cost.wrong_gradient")
        g = ref.numpy_cost_grad(z, Y)
        if got.shape != g.shape or relative_norm(got, g) > RTOL:
            fail(CC, f"the cost is right, but jax.grad's gradient with respect to the logits differs from "
                     f"(softmax - Y) / m {where_}", "cost.wrong_gradient")


check_compute_cost = Check(CC, prefix="cost", cases=_cc_cases, judge=_cc_judge)

__all__ = ["check_minimize_quadratic", "check_forward_propagation", "check_compute_cost"]
