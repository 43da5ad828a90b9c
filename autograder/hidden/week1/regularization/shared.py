"""What the regularization checks share: the reference and the 3-layer nets."""


from autograder.hidden.common import random_net
from autograder.reference.week1 import regularization as ref  # noqa: F401 (the checks' reference)

BACKWARD_ORDER = ("dW3", "db3", "dW2", "db2", "dW1", "db1")


def net(rng, n0, n1, n2, m):
    """Random X (n0, m), Y (1, m) and parameters of a [n0, n1, n2, 1] net (nonzero biases)."""
    return random_net(rng, [n0, n1, n2, 1], m)


def where(n0, n1, n2, m, **kw):
    extra = "".join(f", {k}={v}" for k, v in kw.items())
    return f"(layer widths [{n0}, {n1}, {n2}, 1], m={m}{extra})"


