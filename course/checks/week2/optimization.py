"""Visible checks of week 2, notebook `optimization`: shapes and the notebook's examples.

The notebook imports this module as `checks`; each check_<name>(fn) prints one line on
success and raises AssertionError saying what to fix otherwise. The expected values are
those of the notebook's examples (make_example), written out below.
"""

import numpy as np

from course.checks._common import _expect_close, _expect_shape, _fail, _ok


def make_example(seed=1):
    """The notebook's example: parameters and gradients of a [3, 2, 1] net, all from RandomState(seed).

    Returns (parameters, grads): W1 (2, 3), b1 (2, 1), W2 (1, 2), b2 (1, 1) and dW1 ... db2 alike."""
    rng = np.random.RandomState(seed)
    dims = [3, 2, 1]
    parameters, grads = {}, {}
    for l in (1, 2):
        parameters[f"W{l}"] = rng.randn(dims[l], dims[l - 1])
        parameters[f"b{l}"] = rng.randn(dims[l], 1)
    for l in (1, 2):
        grads[f"dW{l}"] = rng.randn(dims[l], dims[l - 1])
        grads[f"db{l}"] = rng.randn(dims[l], 1)
    return parameters, grads


def make_mini_batch_example(m=148):
    """X (2, m) whose row 0 numbers the examples (0 .. m-1) and row 1 is minus that; Y (1, m): 1 for odd examples."""
    X = np.vstack([np.arange(m), -np.arange(m)]).astype(float)
    Y = (np.arange(m) % 2).reshape(1, m)
    return X, Y


def _copy(d):
    return {k: np.array(v, dtype=float) for k, v in d.items()}


def _dict(name, what, value, like):
    """value is a dict with like's keys and shapes."""
    if not isinstance(value, dict):
        _fail(name, f"{what} should be a dict, got {type(value).__name__}")
    for k, ref_value in like.items():
        if k not in value:
            hint = " Key the state like the gradients: 'dW1', 'db1', ..." if k.startswith("d") and k[1:] in value \
                else ""
            _fail(name, f"{what} has no key {k!r} (it has {', '.join(map(str, value)) or 'none'}).{hint}")
        _expect_shape(name, f"{what}[{k!r}]", value[k], np.shape(ref_value))


def _close_dict(name, what, value, expected, hint=""):
    _dict(name, what, value, expected)
    for k in expected:
        _expect_close(name, f"{what}[{k!r}]", value[k], expected[k], hint=hint)


def _pair(name, out, n, what):
    if not isinstance(out, (tuple, list)) or len(out) != n:
        _fail(name, f"should return {what}, got {type(out).__name__}"
                    f"{' of ' + str(len(out)) if isinstance(out, (tuple, list)) else ''}")
    return out


# ---------------------------------------------------------------- gradient descent and mini-batches

def check_update_parameters_with_gd(fn):
    name = "update_parameters_with_gd"
    parameters, grads = make_example()
    out = fn(_copy(parameters), grads, 0.01)
    _close_dict(name, "the returned parameters", out, _EXPECTED["gd"],
                hint="W = W - learning_rate * dW (a minus sign, and the learning rate), for every layer.")
    _ok(name)


def check_random_mini_batches(fn):
    name = "random_mini_batches"
    for m, size in ((148, 64), (128, 64), (20, 64)):
        X, Y = make_mini_batch_example(m)
        batches = fn(X.copy(), Y.copy(), size, 0)
        if not isinstance(batches, (list, tuple)) or not all(isinstance(b, (list, tuple)) and len(b) == 2
                                                              for b in batches):
            _fail(name, "should return a list of (mini_batch_X, mini_batch_Y) tuples")
        expected = [size] * (m // size) + ([m % size] if m % size else [])
        sizes = [np.shape(b[0])[1] if np.ndim(b[0]) == 2 else None for b in batches]
        if sizes != expected:
            _fail(name, f"with m = {m} and mini_batch_size = {size}, the mini-batches have {sizes} columns, expected "
                        f"{expected} (full batches, then a smaller last one only if m % mini_batch_size != 0)")
        for bx, by in batches:
            _expect_shape(name, "mini_batch_X", bx, (2, np.shape(bx)[1]))
            _expect_shape(name, "mini_batch_Y", by, (1, np.shape(bx)[1]))
        ids = np.concatenate([np.asarray(bx)[0] for bx, _ in batches])
        labels = np.concatenate([np.asarray(by)[0] for _, by in batches])
        if sorted(ids.tolist()) != list(range(m)):
            _fail(name, "together the mini-batches should hold every example (column of X) exactly once")
        if not np.array_equal(labels, ids % 2):
            _fail(name, "the labels no longer belong to their examples: shuffle Y with the same permutation as X")
        if m >= 20 and np.array_equal(ids, np.arange(m)):
            _fail(name, "the examples are in their original order: shuffle the columns first")
    X, Y = make_mini_batch_example()
    ids = np.asarray(fn(X, Y, 64, 0)[0][0])[0, :8]
    if not np.array_equal(ids, _EXPECTED["mini_batch_ids"]):
        print(f"ℹ️ {name}: your shuffle differs from the expected output (another way to draw the permutation?); "
              "the mini-batches themselves are right. np.random.seed(seed) then np.random.permutation(m) gives the "
              "expected one.")
    _ok(name)


# ---------------------------------------------------------------- exponentially weighted averages

def check_exponentially_weighted_averages(fn):
    name = "exponentially_weighted_averages"
    values = np.array(_EXPECTED["ewa_values"])
    for corrected in (False, True):
        out = np.asarray(fn(values.copy(), 0.9, corrected), dtype=float)
        _expect_shape(name, "the averages", out, values.shape)
        expected = _EXPECTED["ewa_corrected" if corrected else "ewa"]
        hint = ("with bias_correction=True, divide v_t by 1 - beta^t (t = 1 for the first value)" if corrected
                else "v_0 = 0 and v_t = beta * v_(t-1) + (1 - beta) * theta_t; "
                     "no correction when bias_correction=False")
        _expect_close(name, f"the averages (bias_correction={corrected})", out, expected, hint=hint)
    _ok(name)


# ---------------------------------------------------------------- momentum, RMSprop, Adam

def _check_state(name, value, what):
    parameters, _ = make_example()
    _dict(name, what, value, {"d" + k: v for k, v in parameters.items()})
    for k in value:
        if np.any(np.asarray(value[k]) != 0):
            _fail(name, f"{what}[{k!r}] should be all zeros")


def check_initialize_velocity(fn):
    _check_state("initialize_velocity", fn(make_example()[0]), "v")
    _ok("initialize_velocity")


def check_initialize_rmsprop(fn):
    _check_state("initialize_rmsprop", fn(make_example()[0]), "s")
    _ok("initialize_rmsprop")


def check_initialize_adam(fn):
    name = "initialize_adam"
    v, s = _pair(name, fn(make_example()[0]), 2, "a tuple (v, s)")
    _check_state(name, v, "v")
    _check_state(name, s, "s")
    _ok(name)


def _zeros(parameters):
    return {"d" + k: np.zeros(np.shape(v)) for k, v in parameters.items()}


def _two_steps(name, step, n_state, what, hints):
    """Two steps from a zero state (the notebook's example, then a second gradient), compared with the
    expected values; step(parameters, grads, state, t) returns (parameters, state) or more."""
    parameters, grads = make_example()
    _, grads2 = make_example(2)
    state = [_zeros(parameters) for _ in range(n_state)]
    for t, (g, expected) in enumerate(zip((grads, grads2), _EXPECTED[name]), start=1):
        out = _pair(name, step(_copy(parameters), g, [_copy(s) for s in state], t), len(expected), what)
        labels = what[what.index("(") + 1:-1].split(", ")   # "parameters", "v", ...
        order = list(range(1, len(expected))) + [0]   # the state first: a wrong state makes the parameters wrong
        for k in order:
            _close_dict(name, f"step {t}: {labels[k]}", out[k], expected[k], hint=hints[min(k, len(hints) - 1)])
        parameters, state = _copy(expected[0]), [_copy(e) for e in expected[1:1 + n_state]]


def check_update_parameters_with_momentum(fn):
    name = "update_parameters_with_momentum"
    _two_steps(name, lambda p, g, st, t: fn(p, g, st[0], 0.9, 0.01), 1, "a tuple (parameters, v)",
               ["W = W - learning_rate * v, with the updated v.",
                "v = beta * v + (1 - beta) * dW, starting from the v passed in."])
    _ok(name)


def check_update_parameters_with_rmsprop(fn):
    name = "update_parameters_with_rmsprop"
    _two_steps(name, lambda p, g, st, t: fn(p, g, st[0], 0.999, 0.01, 1e-8), 1, "a tuple (parameters, s)",
               ["W = W - learning_rate * dW / (np.sqrt(s) + epsilon), with the updated s.",
                "s = beta2 * s + (1 - beta2) * np.square(dW), starting from the s passed in."])
    _ok(name)


def check_update_parameters_with_adam(fn):
    name = "update_parameters_with_adam"
    _two_steps(name, lambda p, g, st, t: fn(p, g, st[0], st[1], t, 0.01, 0.9, 0.999, 1e-8), 2,
               "a tuple (parameters, v, s, v_corrected, s_corrected)",
               ["W = W - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon).",
                "v = beta1 * v + (1 - beta1) * dW.", "s = beta2 * s + (1 - beta2) * np.square(dW).",
                "v_corrected = v / (1 - beta1^t), with the t passed in.",
                "s_corrected = s / (1 - beta2^t), with the t passed in."])
    _ok(name)


# ---------------------------------------------------------------- learning-rate decay

def _number(name, value, args):
    try:
        return float(np.asarray(value, dtype=float).reshape(()))
    except (TypeError, ValueError):
        _fail(name, f"{name}{args} should return a number, got {value!r}")


def check_update_lr(fn):
    name = "update_lr"
    for args, expected in _EXPECTED["update_lr"]:
        got = _number(name, fn(*args), tuple(args))
        if not np.isclose(got, expected, rtol=1e-9):
            _fail(name, f"{name}{tuple(args)} returned {got:.6g}, expected {expected:.6g} = "
                        f"learning_rate0 / (1 + decay_rate * epoch_num)")
    _ok(name)


def check_schedule_lr_decay(fn):
    name = "schedule_lr_decay"
    for args, expected in _EXPECTED["schedule_lr_decay"]:
        got = _number(name, fn(*args), tuple(args))
        if not np.isclose(got, expected, rtol=1e-9):
            _fail(name, f"{name}{tuple(args)} returned {got:.6g}, expected {expected:.6g} = learning_rate0 / "
                        f"(1 + decay_rate * floor(epoch_num / time_interval))")
    _ok(name)


# ---------------------------------------------------------------- the examples' expected values
# (what the reference solution returns on them, written out once)

_EXPECTED = {'ewa': [0.8599999999999998, 1.5739999999999996, 2.2865999999999995, 3.237939999999999, 4.244145999999999,
         4.699731399999999, 5.159758259999999, 5.383782434, 5.4554041905999995, 5.519863771539999],
 'ewa_corrected': [8.6, 8.284210526315789, 8.437638376383765, 9.415353300378015, 10.363961808014455,
                   10.030180617595649, 9.89021966708651, 9.452980633476784, 8.905626278120819, 8.474867271993094],
 'ewa_values': [8.6, 8.0, 8.7, 11.8, 13.3, 8.8, 9.3, 7.4, 6.1, 6.1],
 'gd': {'W1': [[1.6449467707582182, -0.6085322416099403, -0.5243312087167715],
               [-1.0843063165795248, 0.8764065419978189, -2.299814414804778]],
        'W2': [[0.31321094391994037, -0.23836418370528087]],
        'b1': [[1.7535903483956936], [-0.7616290383622587]],
        'b2': [[1.4506606999465779]]},
 'mini_batch_ids': [24.0, 7.0, 37.0, 114.0, 27.0, 26.0, 43.0, 54.0],
 'schedule_lr_decay': [([0.5, 99, 0.3, 100], 0.5), ([0.5, 100, 0.3, 100], 0.3846153846153846),
                       ([0.5, 250, 0.3, 100], 0.3125), ([0.1, 1999, 1.0, 1000], 0.05),
                       ([0.1, 2000, 1.0, 1000], 0.03333333333333333), ([0.1, 2500, 1.0], 0.03333333333333333)],
 'update_lr': [([0.5, 0, 1.0], 0.5), ([0.5, 2, 1.0], 0.16666666666666666), ([0.1, 10, 0.3], 0.025),
               ([0.01, 1000, 0.001], 0.005)],
 'update_parameters_with_adam': [[{'W1': [[1.6343453636147014, -0.6017564139602325, -0.5181717525238355],
                                          [-1.082968622067969, 0.8754076292337605, -2.291538697460234]],
                                   'W2': [[0.30903909622867953, -0.23937037556826804]],
                                   'b1': [[1.7548117641025665], [-0.7712068985262068]],
                                   'b2': [[1.4521079371323313]]},
                                  {'dW1': [[-0.20601407094976537, -0.03224172040135074, -0.03840543546684155],
                                           [0.11337694423354372, -0.10998912673140306, -0.017242820755043572]],
                                   'dW2': [[0.05828152137158221, -0.1100619177212921]],
                                   'db1': [[-0.08778584179213715], [0.004221374671559282]],
                                   'db2': [[0.11447237098396139]]},
                                  {'dW1': [[0.004244179742929501, 0.0001039528534438878, 0.00014749774733977333],
                                           [0.00128543314837361, 0.001209760799913666, 2.9731486759056175e-05]],
                                   'dW2': [[0.0003396735733386198, 0.001211362573248849]],
                                   'db1': [[0.0007706354019154145], [1.782000411768226e-06]],
                                   'db2': [[0.0013103923718689704]]},
                                  {'dW1': [[-2.060140709497654, -0.3224172040135075, -0.38405435466841564],
                                           [1.1337694423354374, -1.0998912673140309, -0.17242820755043575]],
                                   'dW2': [[0.5828152137158222, -1.1006191772129212]],
                                   'db1': [[-0.8778584179213718], [0.04221374671559283]],
                                   'db2': [[1.1447237098396141]]},
                                  {'dW1': [[4.244179742929497, 0.1039528534438877, 0.1474977473397732],
                                           [1.2854331483736088, 1.2097607999136648, 0.02973148675905615]],
                                   'dW2': [[0.3396735733386195, 1.2113625732488478]],
                                   'db1': [[0.7706354019154138], [0.0017820004117682245]],
                                   'db2': [[1.3103923718689692]]}],
                                 [{'W1': [[1.6332873787209858, -0.5960621500667324, -0.5089576579636798],
                                          [-1.0922160552992122, 0.8848452048478466, -2.28405804648496]],
                                   'W2': [[0.3022240399506318, -0.22949127483864998]],
                                   'b1': [[1.7528584861793457], [-0.7641547712953765]],
                                   'b2': [[1.4464771628119524]]},
                                  {'dW1': [[0.04380813742670689, -0.02486360906137532, -0.14635743643150906],
                                           [0.15594508186826822, -0.15860618403890944, -0.01743158833165436]],
                                   'dW2': [[0.053355894331756505, -0.1868665152731971]],
                                   'db1': [[0.03849286433710565], [-0.07098785772498288]],
                                   'db2': [[0.08738171684710289]]},
                                  {'dW1': [[0.009494153137199673, 0.00010557442176111972, 0.0013971075504246894],
                                           [0.001574731588212617, 0.0015639574267870895, 3.006773116944291e-05]],
                                   'dW2': [[0.0003394153549204127, 0.001981224682846593]],
                                   'db1': [[0.0021504926323406715], [0.0005610911752090598]],
                                   'db2': [[0.0013335536291610268]]},
                                  {'dW1': [[0.23056914435108897, -0.13086110032302803, -0.7703022970079426],
                                           [0.8207635887803593, -0.834769389678471, -0.0917452017455493]],
                                   'dW2': [[0.28082049648292906, -0.9835079751220902]],
                                   'db1': [[0.2025940228268719], [-0.3736203038156995]],
                                   'db2': [[0.459903772879489]]},
                                  {'dW1': [[4.749451294247025, 0.052813617689405276, 0.698903226825767],
                                           [0.7877596739432908, 0.7823698983427267, 0.015041386277860587]],
                                   'dW2': [[0.16979257374708218, 0.9911078953709953]],
                                   'db1': [[1.0757842082744875], [0.2806859305698186]],
                                   'db2': [[0.667110369765405]]}]],
 'update_parameters_with_momentum': [[{'W1': [[1.6264055043727392, -0.6114339964460619, -0.5277876979087873],
                                              [-1.074102391598506, 0.8665075205919925, -2.3013662686727323]],
                                       'W2': [[0.31845628084338273, -0.24826975630019718]],
                                       'b1': [[1.7456896226344014], [-0.7612491146418184]],
                                       'b2': [[1.4609632133351345]]},
                                      {'dW1': [[-0.20601407094976537, -0.03224172040135074, -0.03840543546684155],
                                               [0.11337694423354372, -0.10998912673140306, -0.017242820755043572]],
                                       'dW2': [[0.05828152137158221, -0.1100619177212921]],
                                       'db1': [[-0.08778584179213715], [0.004221374671559282]],
                                       'db2': [[0.11447237098396139]]}],
                                     [{'W1': [[1.6259674229984722, -0.6111853603554481, -0.5263241235444722],
                                              [-1.0756618424171887, 0.8680935824323817, -2.3011919527894156]],
                                       'W2': [[0.31792272190006515, -0.24640109114746522]],
                                       'b1': [[1.7453046939910304], [-0.7605392360645686]],
                                       'b2': [[1.4600893961666634]]},
                                      {'dW1': [[0.04380813742670689, -0.02486360906137532, -0.14635743643150906],
                                               [0.15594508186826822, -0.15860618403890944, -0.01743158833165436]],
                                       'dW2': [[0.053355894331756505, -0.1868665152731971]],
                                       'db1': [[0.03849286433710565], [-0.07098785772498288]],
                                       'db2': [[0.08738171684710289]]}]],
 'update_parameters_with_rmsprop': [[{'W1': [[1.9405730811397133, -0.2955289577900799, -0.2119442466262138],
                                             [-1.3891962999716787, 1.1816353044234644, -1.9853115108138952]],
                                      'W2': [[0.0028115016211381905, 0.06685729968150578]],
                                      'b1': [[2.0610394163197734], [-1.0774322980331115]],
                                      'b2': [[1.1458802583854362]]},
                                     {'dW1': [[0.004244179742929501, 0.0001039528534438878, 0.00014749774733977333],
                                              [0.00128543314837361, 0.001209760799913666, 2.9731486759056175e-05]],
                                      'dW2': [[0.0003396735733386198, 0.001211362573248849]],
                                      'db1': [[0.0007706354019154145], [1.782000411768226e-06]],
                                      'db2': [[0.0013103923718689704]]}],
                                    [{'W1': [[1.7053251214055825, -0.3359567819101004, 0.08714293837034892],
                                             [-1.5250377706731932, 1.3323827776311987, -1.9504235873675149]],
                                      'W2': [[-0.0020873389850588637, 0.2641363272225511]],
                                      'b1': [[1.807661217710514], [-0.7617067242914595]],
                                      'b2': [[1.1887179698787242]]},
                                     {'dW1': [[0.009494153137199673, 0.00010557442176111972, 0.0013971075504246894],
                                              [0.001574731588212617, 0.0015639574267870895, 3.006773116944291e-05]],
                                      'dW2': [[0.0003394153549204127, 0.001981224682846593]],
                                      'db1': [[0.0021504926323406715], [0.0005610911752090598]],
                                      'db2': [[0.0013335536291610268]]}]]}
