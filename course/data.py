"""Data sets of the course: scikit-learn's generators and bundled digits, read deterministically.

The loaders return ``X_train (n_x, m_train), Y_train (1, m_train), X_test, Y_test``
(load_noisy_moons also a dev set between them; load_moons a dev set instead of the
test set) in the course convention: one example per column, labels in {0, 1} as a row.
load_temperatures returns a series instead.
"""

import numpy as np


def _columns(X, y):
    return X.T.astype(float), y.reshape(1, -1).astype(int)


def load_circles():
    """Two concentric circles (week 1, initialization).

    300 training points (noise 0.05, random_state=1) and 100 test points
    (noise 0.05, random_state=2): the points of ``sklearn.datasets.make_circles``
    (drawn by this module's make_circles). Not linearly separable: the net has
    to learn a round boundary.
    """
    X_train, Y_train = _columns(*make_circles(n_samples=300, noise=0.05, random_state=1))
    X_test, Y_test = _columns(*make_circles(n_samples=100, noise=0.05, random_state=2))
    return X_train, Y_train, X_test, Y_test


def load_noisy_moons():
    """Two interleaved half-moons with heavy noise (week 1, regularization), in three splits.

    The points of ``sklearn.datasets.make_moons`` with noise 0.3 (drawn by this
    module's make_moons): 150 training points (random_state=1), and 400 points
    (random_state=2) whose first 200 are the dev set and last 200 the test set
    (make_moons shuffles, so both are random draws of the same distribution).
    The classes overlap, so a [2, 20, 3, 1] net trained long enough memorizes
    the noisy training points: almost all of them right, but many more dev
    points wrong. Regularization closes that gap; the dev set chooses how much,
    the test set is looked at once, at the end.

    Returns ``X_train (2, 150), Y_train (1, 150), X_dev (2, 200), Y_dev (1, 200),
    X_test (2, 200), Y_test (1, 200)``.
    """
    X_train, Y_train = _columns(*make_moons(n_samples=150, noise=0.3, random_state=1))
    X_rest, Y_rest = _columns(*make_moons(n_samples=400, noise=0.3, random_state=2))
    return X_train, Y_train, X_rest[:, :200], Y_rest[:, :200], X_rest[:, 200:], Y_rest[:, 200:]


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


def _shuffled_with_noise(X, y, noise, random_state):
    """scikit-learn's generators' last steps: shuffle the rows, then add N(0, noise^2) to every coordinate."""
    rng = random_state if isinstance(random_state, np.random.RandomState) else np.random.RandomState(random_state)
    order = np.arange(len(y))
    rng.shuffle(order)
    X, y = X[order], y[order]
    if noise is not None:
        X += rng.normal(scale=noise, size=X.shape)
    return X, y


def make_moons(n_samples=300, noise=None, random_state=None):
    """The points of ``sklearn.datasets.make_moons(n_samples, shuffle=True, noise, random_state)``,
    bit for bit, without importing scikit-learn (whose import takes most of a second).

    Returns X (n_samples, 2) and y (n_samples,) of 0 and 1, in scikit-learn's layout.
    """
    n_out = n_samples // 2
    n_in = n_samples - n_out
    outer = np.linspace(0, np.pi, n_out)
    inner = np.linspace(0, np.pi, n_in)
    X = np.vstack([np.append(np.cos(outer), 1 - np.cos(inner)),
                   np.append(np.sin(outer), 1 - np.sin(inner) - 0.5)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    return _shuffled_with_noise(X, y, noise, random_state)


def make_circles(n_samples=100, noise=None, random_state=None, factor=0.8):
    """The points of ``sklearn.datasets.make_circles(n_samples, shuffle=True, noise, random_state, factor)``,
    bit for bit, without importing scikit-learn.

    Returns X (n_samples, 2) and y (n_samples,): 0 on the outer circle (radius 1), 1 on the inner (radius factor).
    """
    n_out = n_samples // 2
    n_in = n_samples - n_out
    outer = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    inner = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([np.append(np.cos(outer), np.cos(inner) * factor),
                   np.append(np.sin(outer), np.sin(inner) * factor)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    return _shuffled_with_noise(X, y, noise, random_state)


def load_moons():
    """Two interleaved half-moons (week 2, optimization): the original course's optimization data set.

    300 training points: make_moons with noise 0.2 and random_state=3 (the original's
    np.random.seed(3) followed by make_moons(n_samples=300, noise=.2) draws the same points).
    200 dev points from the same distribution (random_state=4), to compare models on data
    they were not trained on. Returns X_train (2, 300), Y_train (1, 300), X_dev (2, 200), Y_dev (1, 200).
    """
    X_train, Y_train = _columns(*make_moons(n_samples=300, noise=0.2, random_state=3))
    X_dev, Y_dev = _columns(*make_moons(n_samples=200, noise=0.2, random_state=4))
    return X_train, Y_train, X_dev, Y_dev


def load_temperatures(seed=0):
    """A year of daily mean temperatures (°C) of a temperate city, synthetic and deterministic.

    A seasonal cycle, 10.5 - 7.5 cos(2 pi (day - 15) / 365) (coldest in mid-January, about 3 °C;
    warmest in mid-July, about 18 °C), plus weather: anomalies that persist for days
    (a_d = 0.75 a_{d-1} + N(0, 2^2), about 3 °C typical), rounded to 0.1 °C like a weather record.
    Returns days (365,) = 1..365 and temperatures (365,).
    """
    rng = np.random.RandomState(seed)
    days = np.arange(1, 366)
    season = 10.5 - 7.5 * np.cos(2 * np.pi * (days - 15) / 365)
    shocks = rng.normal(0.0, 2.0, size=days.size)
    anomaly = np.empty(days.size)
    anomaly[0] = shocks[0] / np.sqrt(1 - 0.75 ** 2)
    for d in range(1, days.size):
        anomaly[d] = 0.75 * anomaly[d - 1] + shocks[d]
    return days, np.round(season + anomaly, 1)


def _bundled_digits():
    """(1797, 64) pixels 0..16 and (1797,) labels: scikit-learn's bundled copy of the UCI digits.

    Read from the file scikit-learn ships (what sklearn.datasets.load_digits reads),
    without importing scikit-learn, which costs most of a second.
    """
    import gzip
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sklearn")
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "data" / "digits.csv.gz"
    with gzip.open(path, "rt") as f:
        data = np.loadtxt(f, delimiter=",")
    return data[:, :-1], data[:, -1].astype(int)


def load_digits(seed=0):
    """Handwritten digits, 8×8 pixels, ten classes (week 3): scikit-learn's bundled data set, no download.

    The 1,797 images, pixels scaled from 0..16 to [0, 1], shuffled once by a fixed
    permutation (np.random.RandomState(seed)) and split 1,077 / 360 / 360 into
    train, dev and test. Returns X_train (64, 1077), Y_train (1, 1077) with labels
    0..9, X_dev (64, 360), Y_dev (1, 360), X_test (64, 360), Y_test (1, 360).
    One-hot labels: the batchnorm notebook's graded one_hot(Y, 10), or course.jax_train.one_hot.
    """
    pixels, labels = _bundled_digits()
    order = np.random.RandomState(seed).permutation(labels.size)
    X, Y = _columns(pixels[order] / 16.0, labels[order])
    return X[:, :1077], Y[:, :1077], X[:, 1077:1437], Y[:, 1077:1437], X[:, 1437:], Y[:, 1437:]
