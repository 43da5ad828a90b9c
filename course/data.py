"""Data sets of the course, built deterministically from scikit-learn generators.

Every loader returns ``X_train (n_x, m_train), Y_train (1, m_train), X_test, Y_test``
in the course convention: one example per column, labels in {0, 1} as a row.
"""

import numpy as np


def _sklearn_datasets():
    import sklearn.datasets  # imported on first use: it takes most of a second

    return sklearn.datasets


def _columns(X, y):
    return X.T.astype(float), y.reshape(1, -1).astype(int)


def load_circles():
    """Two concentric circles (week 1, initialization).

    300 training points (noise 0.05, random_state=1) and 100 test points
    (noise 0.05, random_state=2) from ``sklearn.datasets.make_circles``.
    Not linearly separable: the net has to learn a round boundary.
    """
    X_train, Y_train = _columns(*_sklearn_datasets().make_circles(n_samples=300, noise=0.05, random_state=1))
    X_test, Y_test = _columns(*_sklearn_datasets().make_circles(n_samples=100, noise=0.05, random_state=2))
    return X_train, Y_train, X_test, Y_test


def load_noisy_moons():
    """Two interleaved half-moons with heavy noise (week 1, regularization).

    150 training points and 400 test points from ``sklearn.datasets.make_moons``
    with noise 0.3 (random_state=1 for training, 2 for test). The classes
    overlap, so a [2, 20, 3, 1] net trained long enough memorizes the noisy
    training points: about 99% train but only about 86% test accuracy. That gap
    is what regularization closes.
    """
    X_train, Y_train = _columns(*_sklearn_datasets().make_moons(n_samples=150, noise=0.3, random_state=1))
    X_test, Y_test = _columns(*_sklearn_datasets().make_moons(n_samples=400, noise=0.3, random_state=2))
    return X_train, Y_train, X_test, Y_test


def load_gradcheck_example(seed=1):
    """A tiny random problem for gradient checking: X (4, 3), Y (1, 3) and a
    [4, 5, 3, 1] net's parameters (W: randn, b: randn), all from RandomState(seed)."""
    rng = np.random.RandomState(seed)
    X = rng.randn(4, 3)
    Y = np.array([[1, 1, 0]])
    dims = [4, 5, 3, 1]
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.randn(dims[l], dims[l - 1])
        parameters[f"b{l}"] = rng.randn(dims[l], 1)
    return X, Y, parameters
