"""The 3-layer net of the gradient-checking notebook: its forward pass, and the per-parameter diagnosis.

LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID, any widths, cross-entropy
cost. Its backward pass, `backward_propagation_n`, is in the notebook (with two
planted bugs for the student to find and fix). The notebook's gradient_check_n
calls the global `forward_propagation_n`; `using_forward` swaps another cost in
for the duration of a `with` block (a regularized cost, a restricted one).
"""

import contextlib

import numpy as np

from course.nn import forward_propagation


def forward_propagation_n(X, Y, parameters):
    """Forward pass and cross-entropy cost.

    Inputs:
    - X: data, shape (n0, m); Y: labels, shape (1, m)
    - parameters: dict W1 (n1, n0), b1 (n1, 1), W2 (n2, n1), b2 (n2, 1), W3 (1, n2), b3 (1, 1)

    Returns a tuple of:
    - cost: float, the cross-entropy cost
    - cache: (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
    """
    m = X.shape[1]
    A3, cache = forward_propagation(X, parameters)
    Z3 = cache[8]
    # log(sigmoid(z)) = -logaddexp(0, -z): exact even when A3 rounds to 0 or 1.
    cost = float(np.sum(Y * np.logaddexp(0, -Z3) + (1 - Y) * np.logaddexp(0, Z3)) / m)
    return cost, cache


@contextlib.contextmanager
def using_forward(check, forward):
    """Inside the `with` block, `check` (a notebook function) calls `forward` where it calls forward_propagation_n.

    The name is rebound in the namespace `check` was defined in (the notebook's
    globals) and put back afterwards, even after an error.
    """
    namespace = check.__globals__
    missing = object()
    saved = namespace.get("forward_propagation_n", missing)
    namespace["forward_propagation_n"] = forward
    try:
        yield
    finally:
        if saved is missing:
            namespace.pop("forward_propagation_n", None)
        else:
            namespace["forward_propagation_n"] = saved


def per_parameter_differences(check, parameters, gradients, X, Y, forward=forward_propagation_n):
    """The difference of each parameter array on its own, computed with the notebook's gradient_check_n.

    For key W2, say, `check` gets a cost in which only W2 follows its perturbations
    (the other arrays stay at their values: their gradapprox entries are exactly 0)
    and a gradient that is 0 outside dW2: what is left in the difference is W2's part.

    Inputs:
    - check: gradient_check_n(parameters, gradients, X, Y) -> difference
    - parameters, gradients, X, Y: as for gradient_check_n
    - forward: the full cost, forward(X, Y, parameters) -> (cost, cache)

    Returns:
    - {key: difference} for every key of parameters, in their order
    """
    results = {}
    for key in parameters:
        def forward_only_key(X, Y, params, key=key):
            mixed = dict(parameters)      # the original arrays: frozen
            mixed[key] = params[key]      # only `key` follows the perturbation
            return forward(X, Y, mixed)

        one_gradient = {"d" + k: (gradients["d" + k] if k == key else np.zeros_like(v))
                        for k, v in parameters.items()}
        with using_forward(check, forward_only_key):
            results[key] = check(parameters, one_gradient, X, Y)
    return results
