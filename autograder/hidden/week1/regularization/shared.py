"""What the regularization checks share: the reference, the 3-layer nets, gradient dicts."""

import numpy as np

from autograder.hidden.common import as_float_array, expect_keys, expect_shape, random_net
from autograder.reference.week1 import regularization as ref  # noqa: F401 (the checks' reference)

PARAM_GRADS = ("dW1", "db1", "dW2", "db2", "dW3", "db3")
BACKWARD_ORDER = ("dW3", "db3", "dW2", "db2", "dW1", "db1")


def net(rng, n0, n1, n2, m):
    """Random X (n0, m), Y (1, m) and parameters of a [n0, n1, n2, 1] net (nonzero biases)."""
    return random_net(rng, [n0, n1, n2, 1], m)


def where(n0, n1, n2, m, **kw):
    extra = "".join(f", {k}={v}" for k, v in kw.items())
    return f"(layer widths [{n0}, {n1}, {n2}, 1], m={m}{extra})"


def rel_norm(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    den = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if den == 0 else float(np.linalg.norm(a - b) / den)


def grads_dict(name, prefix, grads, params):
    """Check the gradient dict has dW1..db3 with the parameters' shapes; return float arrays.

    Tags: <prefix>.keys, <prefix>.not_array, <prefix>.shape.
    """
    expect_keys(name, "the returned gradients", grads, PARAM_GRADS, f"{prefix}.keys")
    out = {}
    for k in PARAM_GRADS:
        g = as_float_array(name, k, grads[k], f"{prefix}.not_array")
        expect_shape(name, k, g, np.shape(params[k[1:]]), f"{prefix}.shape")
        out[k] = g
    return out
