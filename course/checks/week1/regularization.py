"""Visible checks of week 1, notebook `regularization`: shapes and the notebook's examples.

The notebook imports this module as `checks`; each check_<name>(fn) prints one
line on success and raises AssertionError saying what to fix otherwise.
"""

import numpy as np

from course import nn
from course.checks._common import _expect_close, _expect_shape, _fail, _ok


def make_example():
    """The regularization notebook's example: X (4, 5), Y (1, 5) and a [4, 4, 3, 1] net,
    all drawn from RandomState(2) (the notebook's make_example())."""
    rng = np.random.RandomState(2)
    X = rng.randn(4, 5)
    Y = np.array([[1, 1, 0, 1, 0]])
    dims = [4, 4, 3, 1]
    parameters = {}
    for l in range(1, 4):
        parameters["W" + str(l)] = rng.randn(dims[l], dims[l - 1])
        parameters["b" + str(l)] = rng.randn(dims[l], 1)
    return X, Y, parameters


def _grads(name, grads, parameters):
    if not isinstance(grads, dict):
        _fail(name, f"should return a dict of gradients, got {type(grads).__name__}")
    for k in ("dW1", "db1", "dW2", "db2", "dW3", "db3"):
        if k not in grads:
            _fail(name, f"the returned dict has no {k!r}")
        _expect_shape(name, k, grads[k], np.shape(parameters[k[1:]]))


def _expect_grads(name, grads, expected, hints):
    for k in ("dW3", "db3", "dW2", "db2", "dW1", "db1"):
        _expect_close(name, k, grads[k], expected[k], hint=hints.get(k[:2], ""))


def check_diagnose(fn):
    name = "diagnose"
    cases = [((0.01, 0.11), (False, True)), ((0.15, 0.16), (True, False)), ((0.15, 0.30), (True, True)),
             ((0.005, 0.01), (False, False)), ((0.15, 0.16, 0.14), (False, False)),
             ((0.08, 0.09, 0.0, 0.1), (False, False)), ((0.20, 0.23, 0.10, 0.05), (True, False))]
    for args, expected in cases:
        out = fn(*args)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            _fail(name, f"should return a tuple (high_bias, high_variance), got {out!r}")
        for what, value in zip(("high_bias", "high_variance"), out):
            if not isinstance(value, (bool, np.bool_)):
                _fail(name, f"{what} should be True or False, got {value!r} for arguments {args}")
        if tuple(bool(v) for v in out) != expected:
            _fail(name, f"diagnose{args} returned {tuple(bool(v) for v in out)}, expected {expected}. "
                        "High bias: train_error - bayes_error > tolerance; "
                        "high variance: dev_error - train_error > tolerance.")
    _ok(name)


def check_normalize_inputs(fn):
    name = "normalize_inputs"
    X_train = np.array([[1., 2., 3., 6.], [10., 20., 40., 50.]])
    X_test = np.array([[0., 4.], [30., 60.]])
    out = fn(X_train.copy(), X_test.copy())
    if not isinstance(out, (tuple, list)) or len(out) != 4:
        _fail(name, "should return four things: X_train_norm, X_test_norm, mu, sigma")
    X_train_norm, X_test_norm, mu, sigma = out
    _expect_shape(name, "mu", mu, (2, 1))
    _expect_shape(name, "sigma", sigma, (2, 1))
    _expect_close(name, "mu", mu, [[3.0], [30.0]], hint="mu is the mean of each row (axis=1) of X_train.")
    _expect_close(name, "sigma", sigma, [[1.8708286933869707], [15.811388300841896]],
                  hint="sigma is the square root of the mean of (X_train - mu) ** 2 over each row (divide by m, "
                       "not m - 1).")
    _expect_close(name, "X_train_norm", X_train_norm,
                  [[-1.0690449676496976, -0.5345224838248488, 0.0, 1.6035674514745464],
                   [-1.2649110640673518, -0.6324555320336759, 0.6324555320336759, 1.2649110640673518]],
                  hint="X_train_norm = (X_train - mu) / sigma.")
    _expect_close(name, "X_test_norm", X_test_norm,
                  [[-1.6035674514745464, 0.5345224838248488], [0.0, 1.8973665961010275]],
                  hint="normalize X_test with the TRAINING set's mu and sigma.")
    rng = np.random.RandomState(0)
    X = rng.randn(3, 50) * [[100.0], [0.01], [3.0]] + [[5.0], [-2.0], [40.0]]
    Xn, _, _, _ = fn(X.copy(), X[:, :4].copy())
    _expect_close(name, "the mean of each row of X_train_norm", np.mean(Xn, axis=1), np.zeros(3), atol=1e-8)
    _expect_close(name, "the std of each row of X_train_norm", np.std(Xn, axis=1), np.ones(3))
    _ok(name)


def check_compute_cost_with_regularization(fn):
    name = "compute_cost_with_regularization"
    X, Y, parameters = make_example()
    A3, _ = nn.forward_propagation(X, parameters)
    cost = fn(A3, Y, parameters, 0.1)
    if np.size(cost) != 1:
        _fail(name, f"the cost should be a single number, got shape {np.shape(cost)}")
    _expect_close(name, "the cost for lambd = 0.1", float(np.reshape(cost, ())), 0.9117356784260546,
                  hint="cost = compute_cost(A3, Y) + lambd / (2 m) * (sum of the squared entries of W1, W2 and W3).")
    _expect_close(name, "the cost for lambd = 0", float(np.reshape(fn(A3, Y, parameters, 0.0), ())),
                  nn.compute_cost(A3, Y), hint="with lambd = 0 it is the plain compute_cost(A3, Y).")
    _ok(name)


def check_backward_propagation_with_regularization(fn):
    name = "backward_propagation_with_regularization"
    X, Y, parameters = make_example()
    _, cache = nn.forward_propagation(X, parameters)
    grads = fn(X, Y, cache, 0.7)
    _grads(name, grads, parameters)
    expected = {
        "dW1": [[0.2495466365586433, 0.08886424541670071, 0.1311225491554766, -0.32839649315275815],
                [-0.05310783828513791, -0.02940690980850723, -0.08540543398567785, -0.1636792601881179],
                [0.6144409749258923, 0.40567244661088037, -0.22717601950684763, 0.2017074684586388],
                [-0.8748253351515076, -0.12121980406694344, -0.10558994756600099, 0.45961585346449907]],
        "db1": [[-0.021302522132268707], [-0.003458430773737091], [-0.43605173036566464], [-0.0008054447721872471]],
        "dW2": [[0.06995371649248959, 0.10794164332971759, 0.44645475032791276, 1.2078329144849],
                [0.1489541508699677, -0.04699482739333864, -0.26590812801253083, -0.47261133796313476],
                [-0.08690418460335032, -0.005500803427233915, 0.2598821504732617, 0.09476854628649337]],
        "db2": [[0.004109884871459269], [-0.0020404421573950613], [-0.018903593419489807]],
        "dW3": [[0.42270498691026337, 0.4164074540461756, 0.1291672672687672]],
        "db3": [[-0.07434307465785295]],
    }
    _expect_grads(name, grads, expected, {
        "dW": "dW_l is the usual gradient plus lambd / m * W_l.",
        "db": "db_l has no regularization term: the biases are not in the L2 cost."})
    plain = nn.backward_propagation(X, Y, cache)
    grads0 = fn(X, Y, cache, 0.0)
    for k in ("dW1", "db1", "dW2", "db2", "dW3", "db3"):
        _expect_close(name, f"{k} for lambd = 0", grads0[k], plain[k], hint="with lambd = 0 it is plain backprop.")
    _ok(name)


def _dropout_consistency(name, cache, X, keep_prob):
    if not isinstance(cache, (tuple, list)) or len(cache) != 14:
        _fail(name, "cache should be the tuple (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)")
    Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3 = (np.asarray(c, dtype=float) for c in cache)
    m = X.shape[1]
    for what, value, shape in (("Z1", Z1, (W1.shape[0], m)), ("D1", D1, (W1.shape[0], m)), ("A1", A1, (W1.shape[0], m)),
                               ("Z2", Z2, (W2.shape[0], m)), ("D2", D2, (W2.shape[0], m)), ("A2", A2, (W2.shape[0], m)),
                               ("A3", A3, (1, m))):
        _expect_shape(name, what, value, shape)
    for what, D in (("D1", D1), ("D2", D2)):
        if not np.all((D == 0) | (D == 1)):
            _fail(name, f"{what} should hold only 0s and 1s: {what} = (np.random.rand(...) < keep_prob)")
    _expect_close(name, "Z1", Z1, W1 @ X + b1, hint="Z1 = W1 X + b1 (no dropout on the input).")
    _expect_close(name, "A1", A1, nn.relu(Z1) * D1 / keep_prob,
                  hint="A1 = relu(Z1), then multiplied by the mask D1, then divided by keep_prob.")
    _expect_close(name, "Z2", Z2, W2 @ A1 + b2, hint="Z2 = W2 A1 + b2 with the dropped-out A1.")
    _expect_close(name, "A2", A2, nn.relu(Z2) * D2 / keep_prob,
                  hint="A2 = relu(Z2), then multiplied by the mask D2, then divided by keep_prob.")
    _expect_close(name, "A3", A3, nn.sigmoid(W3 @ A2 + b3), hint="A3 = sigmoid(W3 A2 + b3), no dropout on the output.")
    return D1, D2, A3


def check_forward_propagation_with_dropout(fn):
    name = "forward_propagation_with_dropout"
    state = np.random.get_state()
    try:
        X, _, parameters = make_example()
        np.random.seed(1)
        out = fn(X, parameters, 0.7)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            _fail(name, "should return (A3, cache)")
        A3, cache = out
        _expect_shape(name, "A3", A3, (1, 5))
        D1, D2, cache_A3 = _dropout_consistency(name, cache, X, 0.7)
        _expect_close(name, "the returned A3", A3, cache_A3, hint="return the A3 that is in the cache.")
        canonical_D1 = [[1, 0, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 0, 1], [1, 1, 1, 1, 1]]
        canonical_D2 = [[0, 0, 1, 1, 0], [0, 1, 1, 1, 0], [1, 1, 0, 1, 1]]
        if np.array_equal(D1, canonical_D1) and np.array_equal(D2, canonical_D2):
            _expect_close(name, "A3", A3, [[0.5538196886750881, 0.5465546615237118, 0.0054959839424361355,
                                            0.6884702833550814, 0.5538196886750881]])
        # a bigger net: the masks keep about keep_prob of the units
        rng = np.random.RandomState(2)
        Xb = rng.randn(2, 2000)
        big = {"W1": rng.randn(30, 2), "b1": np.zeros((30, 1)), "W2": rng.randn(20, 30) / 5,
               "b2": np.zeros((20, 1)), "W3": rng.randn(1, 20), "b3": np.zeros((1, 1))}
        for keep_prob in (0.3, 0.86):
            _, cache = fn(Xb, big, keep_prob)
            D1, D2, _ = _dropout_consistency(name, cache, Xb, keep_prob)
            for what, D in (("D1", D1), ("D2", D2)):
                if abs(D.mean() - keep_prob) > 0.03:
                    _fail(name, f"with keep_prob = {keep_prob} the mask {what} keeps {D.mean():.1%} of the units, "
                                f"expected about {keep_prob:.0%}: keep a unit when np.random.rand(...) < keep_prob.")
        _, cache_again = fn(Xb, big, 0.86)
        if np.array_equal(np.asarray(cache_again[1]), D1) and np.array_equal(np.asarray(cache_again[6]), D2):
            _fail(name, "two calls in a row drew the same masks: don't call np.random.seed inside the function "
                        "(training needs new masks at every iteration; the caller seeds once).")
        A3_1, _ = fn(X, parameters, 1.0)
        _expect_close(name, "A3 with keep_prob = 1", A3_1, nn.forward_propagation(X, parameters)[0],
                      hint="with keep_prob = 1 nothing is dropped: the plain forward pass.")
    finally:
        np.random.set_state(state)
    _ok(name)


def check_backward_propagation_with_dropout(fn):
    name = "backward_propagation_with_dropout"
    X, Y, parameters = make_example()
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    # the cache the notebook's example builds (np.random.seed(1), keep_prob = 0.7)
    D1 = np.array([[1, 0, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 0, 1], [1, 1, 1, 1, 1]])
    D2 = np.array([[0, 0, 1, 1, 0], [0, 1, 1, 1, 0], [1, 1, 0, 1, 1]])
    A1 = np.array([[2.4720723533348887, 0.0, 2.0304495161886535, 0.0, 3.3546706573822607],
                   [0.0, 0.0, 0.0, 0.6441848960268798, 0.0],
                   [0.0, 0.0, 8.339766324783154, 0.0, 3.6621440930063645],
                   [1.2227115005842757, 2.2273753536713845, 10.308680110553055, 0.0, 7.169206258460813]])
    A2 = np.array([[0.0, 0.0, 1.792224873326931, 0.1728638474925058, 0.0],
                   [0.0, 0.04625393019178678, 12.140754394763075, 0.0, 0.0],
                   [0.0, 0.0, 0.0, 0.6999970400034811, 0.0]])
    Z1 = W1 @ X + b1
    Z2 = W2 @ A1 + b2
    Z3 = W3 @ A2 + b3
    cache = (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, nn.sigmoid(Z3), W3, b3)
    expected = {
        "dW1": [[0.006384374468721868, 0.0037217488986426113, -0.00012414732928449818, -0.0035116850001297834],
                [-0.21487508845393993, 0.13859149077288163, 0.146447969245556, 0.09797091770347083],
                [0.013303345052086446, 0.007755138743573332, -0.00025869014526920693, -0.007317421228945453],
                [-0.010776476698546856, -0.003263580990940621, 0.013119812712335907, 0.005645337692762154]],
        "db1": [[-0.002988664983363376], [-0.13099976379076456], [-0.0062275860718318515], [0.010531208128296377]],
        "dW2": [[0.004075954364152387, -0.07329961265560284, 0.016741370162858406, 0.020693796792412185],
                [-0.002023596615562093, 0.0, -0.008311619065067112, 0.172875151554482],
                [0.0, -0.02915038572422234, 0.0, 0.0]],
        "db2": [[-0.11177919075697892], [0.0812297671688826], [-0.045251582121860215]],
        "dW3": [[-0.008800437260490259, 0.009150352434201087, -0.04361397590491324]],
        "db3": [[-0.1303679387657189]],
    }
    hint = "multiply dA2 by D2 and dA1 by D1, and divide each by keep_prob, as in the forward pass."
    grads = fn(X, Y, tuple(np.array(c) for c in cache), 0.7)
    _grads(name, grads, parameters)
    try:
        _expect_grads(name, grads, expected, {"dW": hint, "db": hint})
    except AssertionError:
        # a backward written for boolean masks (as a forward with `rand < keep_prob` stores them) is fine too
        bool_cache = tuple(np.array(c, dtype=bool) if i in (1, 6) else np.array(c) for i, c in enumerate(cache))
        try:
            bool_grads = fn(X, Y, bool_cache, 0.7)
            _grads(name, bool_grads, parameters)
            _expect_grads(name, bool_grads, expected, {})
        except Exception:  # noqa: BLE001 - report the first attempt's message
            pass
        else:
            _ok(name)
            return
        raise
    _ok(name)



def check_best_iteration(fn):
    name = "best_iteration"
    example = [0.69, 0.52, 0.41, 0.37, 0.39, 0.45, 0.58]
    got = fn(list(example), 100)
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, np.integer)):
        _fail(name, f"should return the iteration as an int, got {got!r}")
    hints = {600: "that is the last recorded iteration; return the one with the LOWEST dev cost.",
             400: "one record too late: the cost at index k was recorded at iteration k * record_every "
                  "(the first at iteration 0).",
             0: "that is where the dev cost is highest; use np.argmin, not np.argmax.",
             3: "that is the index of the lowest cost; multiply it by record_every."}
    if got != 300:
        _fail(name, f"best_iteration({example}, 100) returned {got}, expected 300. {hints.get(int(got), '')}")
    for costs, every, expected in (([0.31, 0.35, 0.42], 1000, 0), ([0.8, 0.6, 0.5], 50, 100),
                                   ([0.5, 0.3, 0.4, 0.3, 0.6], 10, 10)):
        got = fn(list(costs), every)
        if got != expected:
            tie = " With equal lowest costs, take the earliest (np.argmin does)." if costs[1] == costs[3] else ""
            _fail(name, f"best_iteration({costs}, {every}) returned {got}, expected {expected}.{tie}")
    _ok(name)
