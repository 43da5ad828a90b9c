"""Reference solution of week 1, notebook `initialization` (instructors only).

The source notebook's solution cells hold the same code, statement for statement
(tests/test_solutions.py compares the ASTs). The random initializers draw in the
canonical order, so their outputs match the notebook's Expected outputs exactly.
"""

import numpy as np


def initialize_parameters_zeros(layers_dims):
    """W_l = 0 of shape (n_l, n_{l-1}), b_l = 0 of shape (n_l, 1)."""
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


def initialize_parameters_random(layers_dims):
    """W_l = randn * 10, b_l = 0, after np.random.seed(3)."""
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


def initialize_parameters_he(layers_dims):
    """W_l = randn * sqrt(2 / n_{l-1}), b_l = 0, after np.random.seed(3)."""
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        scale = np.sqrt(2.0 / layers_dims[l - 1])
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * scale
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
