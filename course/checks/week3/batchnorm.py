"""Visible checks of week 3, notebook `batchnorm`: shapes and the notebook's examples.

The notebook imports this module as `checks`; each check_<name>(fn) prints one line on
success and raises AssertionError saying what to fix otherwise. The examples' inputs are
made here (make_logits_example, make_bn_example) and their expected values written out below.
"""

import contextlib

import numpy as np

from course.checks._common import _expect_close, _expect_shape, _fail, _ok
from course.numgrad import relative_error


def make_logits_example():
    """Z (3, 4): logits of 3 classes for 4 examples, and their labels (1, 4)."""
    Z = np.array([[3.25, -1.22, -1.06, -2.15], [1.73, -4.6, 3.49, -1.52], [0.64, -0.5, 2.92, -4.12]])
    return Z, np.array([[2, 0, 0, 1]])


def make_bn_example(m=5, seed=1):
    """Pre-activations Z (3, m) of three units on very different scales, gamma and beta (3, 1)."""
    rng = np.random.RandomState(seed)
    Z = rng.randn(3, m) * np.array([[1.0], [3.0], [0.5]]) + np.array([[0.0], [5.0], [-2.0]])
    return Z, np.array([[1.0], [2.0], [0.5]]), np.array([[0.0], [1.0], [-1.0]])


@contextlib.contextmanager
def _seeded(seed):
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


def _pair(name, out, n, what):
    if not isinstance(out, (tuple, list)) or len(out) != n:
        _fail(name, f"should return {what}, got {type(out).__name__}"
                    f"{' of ' + str(len(out)) if isinstance(out, (tuple, list)) else ''}")
    return out


# ---------------------------------------------------------------- hyperparameter sampling

def check_sample_learning_rates(fn):
    name = "sample_learning_rates"
    with _seeded(0):
        x = np.asarray(fn(20000, 1e-4, 1.0), dtype=float)
        small = np.asarray(fn(3), dtype=float)
        narrow = np.asarray(fn(2000, 1e-3, 1e-2), dtype=float)
    _expect_shape(name, "sample_learning_rates(20000, 1e-4, 1.0)", x, (20000,))
    _expect_shape(name, "sample_learning_rates(3)", small, (3,))
    if x.min() < 1e-4 or x.max() > 1.0 or small.min() < 1e-4 or small.max() > 1.0:
        _fail(name, f"values from {min(x.min(), small.min()):.3g} to {max(x.max(), small.max()):.3g}: they should "
                    "lie between low and high (by default 1e-4 and 1)")
    if narrow.min() < 1e-3 or narrow.max() > 1e-2:
        _fail(name, "with low=1e-3 and high=1e-2 the values should lie between 1e-3 and 1e-2: use the arguments")
    decades = np.histogram(np.log10(x), bins=[-4, -3, -2, -1, 0])[0] / x.size
    if np.any(np.abs(decades - 0.25) > 0.03):
        _fail(name, f"the four decades hold {np.round(decades, 2).tolist()} of the draws, expected about a quarter "
                    "each: draw r uniformly between log10(low) and log10(high) and return 10**r")
    _ok(name)


def check_sample_betas(fn):
    name = "sample_betas"
    with _seeded(0):
        b = np.asarray(fn(20000, 0.9, 0.999), dtype=float)
        small = np.asarray(fn(3), dtype=float)
        wide = np.asarray(fn(2000, 0.5, 0.99), dtype=float)
    _expect_shape(name, "sample_betas(20000, 0.9, 0.999)", b, (20000,))
    _expect_shape(name, "sample_betas(3)", small, (3,))
    if b.min() < 0.9 or b.max() > 0.999 or small.min() < 0.9 or small.max() > 0.999:
        _fail(name, f"values from {min(b.min(), small.min()):.4g} to {max(b.max(), small.max()):.4g}: they should "
                    "lie between low and high (by default 0.9 and 0.999)")
    if wide.min() < 0.5 or wide.max() > 0.99:
        _fail(name, "with low=0.5 and high=0.99 the values should lie between 0.5 and 0.99: use the arguments")
    below = float(np.mean(b < 0.99))
    if abs(below - 0.5) > 0.03:
        _fail(name, f"{below:.0%} of the betas are below 0.99, expected about half (as many in 0.9 .. 0.99 as in "
                    "0.99 .. 0.999): sample r = log10(1 - beta) uniformly and return 1 - 10**r")
    _ok(name)


# ---------------------------------------------------------------- softmax

def check_softmax(fn):
    name = "softmax"
    Z, _ = make_logits_example()
    A = fn(Z.copy())
    _expect_close(name, "softmax(Z)", A, _EXPECTED["softmax"], rtol=1e-3, atol=1e-4,
                  hint="Each column is one example: exponentiate, then divide by the column's sum (axis=0).")
    big = np.asarray(fn(Z + 1000.0), dtype=float)
    if not np.all(np.isfinite(big)):
        _fail(name, "softmax(Z + 1000) holds nan or inf: subtract each column's maximum before np.exp")
    _expect_close(name, "softmax(Z + 1000)", big, _EXPECTED["softmax"], rtol=1e-3, atol=1e-4,
                  hint="Adding a constant to every logit must not change the probabilities.")
    _ok(name)


def check_one_hot(fn):
    name = "one_hot"
    Y = fn(np.array([[2, 0, 1, 2, 1]]), 4)
    _expect_shape(name, "one_hot(labels of shape (1, 5), 4)", Y, (4, 5))
    _expect_close(name, "one_hot(labels, 4)", Y, _EXPECTED["one_hot"], hint="Y[k, i] = 1 where labels[i] == k.")
    _expect_shape(name, "one_hot(labels of shape (5,), 4)", fn(np.array([2, 0, 1, 2, 1]), 4), (4, 5))
    _ok(name)


def check_softmax_cost(fn):
    name = "softmax_cost"
    A, Y = np.array(_EXPECTED["softmax_full"]), np.array(_EXPECTED["labels_one_hot"], dtype=float)
    cost = fn(A, Y)
    if np.size(cost) != 1:
        _fail(name, f"should return one number, got shape {np.shape(cost)}")
    _expect_close(name, "the cost", float(np.ravel(cost)[0]), 2.368324, rtol=1e-5,
                  hint="-(1/m) * sum(Y * log(A)): a mean over the m examples.")
    _ok(name)


def check_softmax_backward(fn):
    name = "softmax_backward"
    A, Y = np.array(_EXPECTED["softmax_full"]), np.array(_EXPECTED["labels_one_hot"], dtype=float)
    _expect_close(name, "dZ", fn(A, Y), _EXPECTED["dZ"], hint="dZ = A - Y (not divided by m).")
    _ok(name)


# ---------------------------------------------------------------- batch norm

def check_batchnorm_forward(fn):
    name = "batchnorm_forward"
    Z, gamma, beta = make_bn_example()
    bn_param = {"mode": "train"}
    out, cache = _pair(name, fn(Z.copy(), gamma, beta, bn_param), 2, "a tuple (out, cache)")
    _expect_shape(name, "out", out, Z.shape)
    out = np.asarray(out, dtype=float)
    _expect_close(name, "the mean of each row of out", out.mean(axis=1, keepdims=True), beta, atol=1e-6,
                  hint="In train mode each unit is normalized over the examples (axis=1), then shifted by beta.")
    _expect_close(name, "the standard deviation of each row of out", out.std(axis=1, keepdims=True), np.abs(gamma),
                  rtol=1e-4, hint="Divide by np.sqrt(var + eps), with the biased variance (1/m), then scale by gamma.")
    _expect_close(name, "out", out, _EXPECTED["bn_out"], rtol=1e-4, atol=1e-6)
    _pair(name, cache, 7, "a cache of 7 entries (Z, Z_norm, mu, var, gamma, beta, eps)")
    for key in ("running_mean", "running_var"):
        if key not in bn_param:
            _fail(name, f"bn_param has no {key!r} after a train step: store the running averages in bn_param")
    _expect_close(name, "bn_param['running_mean']", bn_param["running_mean"], _EXPECTED["running_mean"],
                  hint="running_mean = momentum * running_mean + (1 - momentum) * mu, from zeros, momentum 0.9.")
    _expect_close(name, "bn_param['running_var']", bn_param["running_var"], _EXPECTED["running_var"],
                  hint="running_var = momentum * running_var + (1 - momentum) * var, from zeros, momentum 0.9.")
    test = {"mode": "test", "running_mean": np.array([[0.0], [5.0], [-2.0]]),
            "running_var": np.array([[1.0], [9.0], [0.25]])}
    out_test, _ = _pair(name, fn(Z[:, :1].copy(), gamma, beta, test), 2, "a tuple (out, cache)")
    _expect_close(name, "out in test mode (one example)", out_test, _EXPECTED["bn_test"], rtol=1e-4, atol=1e-6,
                  hint="Test mode normalizes with bn_param['running_mean'] and bn_param['running_var'].")
    _ok(name)


def check_batchnorm_backward(fn):
    name = "batchnorm_backward"
    Z, gamma, beta = make_bn_example()
    dout = np.random.RandomState(2).randn(*Z.shape)
    cache = (Z, np.array(_EXPECTED["bn_Z_norm"]), np.array(_EXPECTED["bn_mu"]), np.array(_EXPECTED["bn_var"]), gamma,
             beta, 1e-8)
    grads = _pair(name, fn(dout, cache), 3, "a tuple (dZ, dgamma, dbeta)")
    for label, g, shape in zip(("dZ", "dgamma", "dbeta"), grads, (Z.shape, gamma.shape, beta.shape)):
        _expect_shape(name, label, g, shape)
    hints = {"dZ": "The mean and the variance depend on Z too: dZ has three terms.",
             "dgamma": "dgamma = sum of dout * Z_norm over the examples, axis=1, keepdims=True.",
             "dbeta": "dbeta = sum of dout over the examples, axis=1, keepdims=True."}
    for label, g in zip(("dZ", "dgamma", "dbeta"), grads):
        expected = np.array(_EXPECTED["bn_" + label])
        error = relative_error(g, expected)
        if error > 1e-7:
            _fail(name, f"{label} is off: relative error {error:.1e} to the right gradient, expected below 1e-7. "
                        + hints[label])
    _ok(name)


_EXPECTED = {
    "softmax": [[0.773846, 0.323784, 0.006705, 0.331448], [0.169249, 0.011024, 0.63448, 0.62233],
                [0.056904, 0.665192, 0.358815, 0.046223]],
    "one_hot": [[0, 1, 0, 0, 0], [0, 0, 1, 0, 1], [1, 0, 0, 1, 0], [0, 0, 0, 0, 0]],
    "bn_out": [[1.541983, -0.655651, -0.573504, -1.108929, 0.796101],
               [-2.098051, 4.011354, 0.227628, 1.858643, 1.000427],
               [-0.405311, -1.805235, -1.114574, -1.139071, -0.535809]],
    "bn_test": [[1.624345], [-3.603077], [-0.268946]],
    # the logits example's softmax (make_logits_example), its labels one-hot, and A - Y
    "softmax_full": [[0.7738462078, 0.323783798, 0.006704684798, 0.3314476794],
                     [0.1692493643, 0.01102401421, 0.6344804694, 0.6223296693],
                     [0.05690442784, 0.6651921878, 0.3588148458, 0.04622265137]],
    "labels_one_hot": [[0, 1, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0]],
    "dZ": [[0.7738462078, -0.676216202, -0.9932953152, 0.3314476794],
           [0.1692493643, 0.01102401421, 0.6344804694, -0.3776703307],
           [-0.9430955722, 0.6651921878, 0.3588148458, 0.04622265137]],
    # make_bn_example(): running averages after one train step, the batch statistics, and the gradients
    # of sum(dout * out) with dout = RandomState(2).randn(3, 5)
    "running_mean": [[0.005537124098], [0.4251040932], [-0.2017073489]],
    "running_var": [[0.1035314265], [1.579180101], [0.03956496516]],
    "bn_mu": [[0.0553712409836], [4.25104093221], [-2.01707348888]],
    "bn_var": [[1.03531426547], [15.7918010081], [0.39564965156]],
    "bn_Z_norm": [[1.541983333, -0.6556511734, -0.5735044044, -1.108929228, 0.796101473],
                  [-1.549025555, 1.50567693, -0.3861862481, 0.4293214947, 0.0002133781696],
                  [1.189378805, -1.610470235, -0.2291471151, -0.278142724, 0.9283812687]],
    "bn_dZ": [[0.9297041459, 0.1490790247, -1.852646889, 1.582347035, -0.8084833168],
              [0.2593021957, 0.294149657, -0.1881411802, -0.2652203657, -0.1000903068],
              [0.4940698882, 0.88350177, -0.4150191653, -1.35408187, 0.3915293775]],
    "bn_dgamma": [[-2.627325327], [2.087582672], [-2.23376918]],
    "bn_dbeta": [[-2.762385547], [-3.551113869], [2.306334326]],
}
