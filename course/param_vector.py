"""Flatten parameter and gradient dicts into one column vector, and back.

Works for any number of layers and any widths. The order is W1, b1, W2, b2, ...
(gradients: dW1, db1, dW2, db2, ...), each array flattened row by row.
"""

import math

import numpy as np


class Layout(list):
    """The (key, shape) pairs of a flattened dict, in vector order.

    It is also a list of the keys, one per vector entry, as the original course's
    ``dictionary_to_vector`` returned.
    """

    def __init__(self, shapes):
        self.shapes = [(k, tuple(s)) for k, s in shapes]
        super().__init__(k for k, s in self.shapes for _ in range(math.prod(s)))


_last_layout = None


def _ordered_keys(d, prefix=""):
    """W1, b1, W2, b2, ... in layer order (with prefix "d" for gradients)."""
    n_layers = len([k for k in d if k.startswith(prefix + "W")])
    return [prefix + p + str(l) for l in range(1, n_layers + 1) for p in ("W", "b")]


def dictionary_to_vector(parameters):
    """Flatten parameters into one column vector.

    Inputs:
    - parameters: dict W1 (n1, n0), b1 (n1, 1), ..., WL, bL

    Returns a tuple of:
    - theta: column vector of shape (total number of parameters, 1)
    - layout: a Layout, to pass to vector_to_dictionary
    """
    global _last_layout
    keys = _ordered_keys(parameters)
    theta = np.concatenate([np.reshape(parameters[k], (-1, 1)) for k in keys], axis=0)
    layout = Layout([(k, np.shape(parameters[k])) for k in keys])
    _last_layout = layout
    return theta.astype(float), layout


def vector_to_dictionary(theta, layout=None):
    """Inverse of dictionary_to_vector.

    Inputs:
    - theta: column vector (N, 1) (a flat (N,) vector works too)
    - layout: the Layout from dictionary_to_vector. If omitted, the layout of the
      most recent dictionary_to_vector call is used, so the one-argument form of
      the original course works.

    Returns:
    - parameters: dict with the shapes recorded in the layout (copies, not views)
    """
    layout = layout if layout is not None else _last_layout
    if layout is None:
        raise ValueError("vector_to_dictionary needs a layout: call dictionary_to_vector first")
    flat = np.asarray(theta, dtype=float).reshape(-1)
    size = sum(math.prod(s) for _, s in layout.shapes)
    if flat.size != size:
        raise ValueError(f"theta has {flat.size} entries but the layout needs {size}")
    parameters, start = {}, 0
    for key, shape in layout.shapes:
        n = math.prod(shape)
        parameters[key] = flat[start:start + n].reshape(shape).copy()
        start += n
    return parameters


def gradients_to_vector(gradients):
    """Flatten dW1, db1, dW2, db2, ... into one column vector (N, 1), in parameter order.

    Other keys (dA1, dZ1, ...) are ignored.
    """
    keys = _ordered_keys(gradients, prefix="d")
    return np.concatenate([np.reshape(gradients[k], (-1, 1)) for k in keys], axis=0).astype(float)
