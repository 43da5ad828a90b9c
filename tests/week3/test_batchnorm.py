"""Week 3, batchnorm: only what is special to this notebook.

The shared tests already run, for every graded function: the hidden-check contract
(tests/test_contract.py), the visible checks on the reference, the correct variants and a
stub (tests/test_visible_checks.py), the solution cells against the reference
(tests/test_solutions.py) and the layout (tests/test_layout.py). Here:
- the provided network (course/bn_net.py): its backward pass against numerical gradients of
  its cost, with and without batch norm; no b in batch-norm layers; test mode;
- the reference batch norm against numerical gradients on random shapes;
- the samplers' judge: correct samplers pass over many seeds, the KS distance behaves;
- what the visible checks reject, the hidden checks' speed, the test cells' points;
- what the two explorers show;
- the results the notebook promises (slow).
"""

import copy
import time

import numpy as np
import pytest

from autograder.hidden.week3 import batchnorm as hidden
from autograder.hidden.week3.batchnorm.sampling import KS_LIMIT, ks_uniform
from autograder.numgrad import numerical_param_gradients, numerical_gradient
from autograder.reference.week3 import batchnorm as ref
from course import bn_net, data
from course.checks.week3 import batchnorm as checks
from tests.course_map import Notebook
from tests.implementations.week3.batchnorm import layers, sampling, softmax

NOTEBOOK = Notebook("week3", "batchnorm")
FNS = {name: getattr(ref, name) for name in ("softmax", "softmax_cost", "softmax_backward", "batchnorm_forward",
                                              "batchnorm_backward")}


def _rel(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


# ---------------------------------------------------------------- the provided network

@pytest.mark.parametrize("batchnorm", [False, True])
def test_network_backward_is_the_gradient_of_its_cost(batchnorm):
    rng = np.random.RandomState(0)
    dims = [5, 4, 3, 3]
    X, labels = rng.randn(5, 11), rng.randint(0, 3, 11)
    Y = ref.one_hot(labels, 3)
    parameters = bn_net.initialize_parameters(dims, batchnorm, seed=1)
    for key in parameters:   # gamma and beta away from 1 and 0, biases away from 0
        parameters[key] = parameters[key] + 0.3 * rng.randn(*parameters[key].shape)
    bn_params = bn_net.new_bn_params(parameters)
    AL, caches = bn_net.forward(X, parameters, bn_params, FNS)
    grads = bn_net.backward(AL, Y, caches, parameters, FNS)
    numeric = numerical_param_gradients(lambda p: bn_net.cost(X, Y, p, bn_net.new_bn_params(p), FNS), parameters)
    assert sorted(grads) == sorted(numeric)
    for key in grads:
        assert _rel(grads[key], numeric[key]) < 1e-7, key


def test_batchnorm_layers_have_no_bias():
    plain = bn_net.initialize_parameters([64, 32, 16, 10])
    with_bn = bn_net.initialize_parameters([64, 32, 16, 10], batchnorm=True)
    assert sorted(plain) == ["W1", "W2", "W3", "b1", "b2", "b3"]
    assert sorted(with_bn) == ["W1", "W2", "W3", "b3", "beta1", "beta2", "gamma1", "gamma2"]
    for key in plain:
        if key.startswith("W"):
            assert np.array_equal(plain[key], with_bn[key])   # same weights: the comparison is fair
    assert np.all(with_bn["gamma1"] == 1) and np.all(with_bn["beta2"] == 0)


def test_test_mode_uses_the_running_averages_and_leaves_them():
    X_train, y_train, X_dev, y_dev = data.load_digits()[:4]
    run = bn_net.train(X_train, ref.one_hot(y_train, 10), [64, 32, 10], FNS, batchnorm=True, learning_rate=0.3,
                       num_epochs=3)
    before = copy.deepcopy(run.bn_params)
    one = bn_net.predict(X_dev[:, :1], run.parameters, run.bn_params, FNS)
    assert all(np.array_equal(before[l][k], run.bn_params[l][k]) for l in before for k in ("running_mean",
                                                                                           "running_var"))
    assert one[0, 0] == bn_net.predict(X_dev[:, :20], run.parameters, run.bn_params, FNS)[0, 0]
    # one example in train mode: every unit normalizes to 0, every input gets the same output
    a = bn_net.forward(X_dev[:, :1], run.parameters, copy.deepcopy(run.bn_params), FNS, "train")[0]
    b = bn_net.forward(X_dev[:, 1:2], run.parameters, copy.deepcopy(run.bn_params), FNS, "train")[0]
    assert np.allclose(a, b)
    assert bn_net.accuracy(X_dev, y_dev, run.parameters, run.bn_params, FNS) > 0.85


def test_training_is_deterministic_and_leaves_the_global_rng():
    X, y = data.load_digits()[:2]
    Y = ref.one_hot(y, 10)
    np.random.seed(7)
    state = np.random.get_state()[1].copy()
    a = bn_net.train(X, Y, [64, 16, 10], FNS, batchnorm=True, num_epochs=2)
    b = bn_net.train(X, Y, [64, 16, 10], FNS, batchnorm=True, num_epochs=2)
    assert np.array_equal(np.random.get_state()[1], state)
    assert a.costs == b.costs and len(a.step_costs) == 2 * 17


# ---------------------------------------------------------------- the reference batch norm

@pytest.mark.parametrize("n,m,eps", [(2, 3, 1e-8), (4, 10, 1e-5), (1, 7, 1e-2), (6, 4, 1e-8)])
def test_reference_backward_is_the_numerical_gradient(n, m, eps):
    rng = np.random.RandomState(n * 10 + m)
    Z, gamma, beta = rng.randn(n, m) * 2 + 1, rng.randn(n, 1), rng.randn(n, 1)
    dout = rng.randn(n, m)
    _, cache = ref.batchnorm_forward(Z, gamma, beta, {"mode": "train", "eps": eps})
    analytic = ref.batchnorm_backward(dout, cache)

    def f():
        return np.sum(dout * ref.batchnorm_forward(Z, gamma, beta, {"mode": "train", "eps": eps})[0])

    for got, x in zip(analytic, (Z, gamma, beta)):
        assert _rel(got, numerical_gradient(f, x)) < 1e-8


def test_the_numerical_gradient_is_right():
    """course.numgrad (the notebooks' and the grader's centered differences) on a known gradient."""
    from course.numgrad import relative_error

    x = np.random.RandomState(3).randn(3, 4)
    f = lambda: float(np.sum(np.sin(x) * x ** 2))   # noqa: E731
    before = x.copy()
    assert relative_error(numerical_gradient(f, x), np.cos(x) * x ** 2 + 2 * x * np.sin(x)) < 1e-9
    assert np.array_equal(x, before)   # nudged in place, and restored


# ---------------------------------------------------------------- the samplers' judge

def test_ks_distance():
    rng = np.random.RandomState(0)
    assert ks_uniform(rng.uniform(2, 5, 10000), 2, 5) < KS_LIMIT / 2
    assert ks_uniform(rng.uniform(2, 5, 10000), 5, 2) < KS_LIMIT / 2   # either order of the bounds
    assert ks_uniform(rng.uniform(2, 4, 10000), 2, 5) > 0.3
    assert ks_uniform(rng.uniform(2, 5, 10000), 2, np.inf) == 1.0


@pytest.mark.parametrize("name,fns", [("sample_learning_rates", sampling.CORRECT["sample_learning_rates"]),
                                      ("sample_betas", sampling.CORRECT["sample_betas"])])
def test_correct_samplers_pass_whatever_the_rng(name, fns):
    check = getattr(hidden, "check_" + name)
    for seed in range(25):
        np.random.seed(seed)
        for fn in fns + [getattr(ref, name)]:
            verdict = check.run(fn)
            assert verdict.passed, (fn.__name__, seed, verdict.message)


# ---------------------------------------------------------------- checks and the notebook

VISIBLE_WRONG = [
    ("sample_learning_rates", sampling.lr_linear, "about a quarter each"),
    ("sample_learning_rates", sampling.lr_fixed_range, "use the arguments"),
    ("sample_betas", sampling.betas_linear, "about half"),
    ("sample_betas", sampling.betas_one_minus_beta, "between low and high"),
    ("softmax", softmax.softmax_rows, "divide by the column's sum"),
    ("softmax", softmax.softmax_unstable, "nan or inf"),
    ("one_hot", softmax.one_hot_transposed, "expected (4, 5)"),
    ("softmax_cost", softmax.cost_sum, "a mean over the m examples"),
    ("softmax_backward", softmax.backward_over_m, "not divided by m"),
    ("batchnorm_forward", layers.WRONG["batchnorm_forward"][0][0], "axis=1"),
    ("batchnorm_forward", layers.WRONG["batchnorm_forward"][1][0], "biased variance"),
    ("batchnorm_forward", layers.WRONG["batchnorm_forward"][3][0], "Test mode normalizes with"),
    ("batchnorm_forward", layers.WRONG["batchnorm_forward"][5][0], "(1 - momentum) * mu"),
    ("batchnorm_forward", layers.WRONG["batchnorm_forward"][6][0], "store the running averages"),
    ("batchnorm_backward", layers.WRONG["batchnorm_backward"][0][0], "dZ has three terms"),
    ("batchnorm_backward", layers.WRONG["batchnorm_backward"][4][0], "dgamma is off"),
]


@pytest.mark.parametrize("name,fn,expected", VISIBLE_WRONG, ids=[f"{n}-{f.__name__}" for n, f, _ in VISIBLE_WRONG])
def test_mistake_fails_visible_check(name, fn, expected):
    with pytest.raises(AssertionError) as info:
        getattr(checks, "check_" + name)(fn)
    assert expected in str(info.value)


@pytest.mark.parametrize("name", hidden.__all__)
def test_hidden_check_is_fast(name):
    check, fn = getattr(hidden, name), getattr(ref, name[len("check_"):])
    check(fn)  # warm up
    start = time.process_time()
    check(fn)
    assert time.process_time() - start < 0.5   # at most about 0.03 s on an idle machine


def test_test_cells_and_points():
    points = {"test_sample_learning_rates": 1, "test_sample_betas": 1, "test_softmax": 1, "test_one_hot": 1,
              "test_softmax_cost": 1, "test_softmax_backward": 1, "test_batchnorm_forward": 3,
              "test_batchnorm_backward": 3}
    cells = {c["metadata"]["nbgrader"]["grade_id"]: c for c in NOTEBOOK.cells()
             if c["metadata"].get("nbgrader", {}).get("grade")}
    assert {gid: c["metadata"]["nbgrader"]["points"] for gid, c in cells.items()} == points


# ---------------------------------------------------------------- explorers

def _move(explorer, name, value):
    explorer.controls[explorer.names.index(name)].value = value


def test_sampling_explorer_shows_the_pile_up():
    from course.widgets.week3.batchnorm import sampling_explorer

    explorer = sampling_explorer(ref.sample_learning_rates)
    assert explorer.error is None
    assert explorer.status.value == ("from 1e-4 to 1e0 (4 decades): uniform draws put 90% in the top decade, "
                                     "yours 26% (log-uniform: 25%)")
    _move(explorer, "log_low", -6.0)
    assert explorer.status.value.startswith("from 1e-6 to 1e0 (6 decades): uniform draws put 90%")
    linear = sampling_explorer(sampling.lr_linear)
    assert "yours 90%" in linear.status.value
    state = np.random.get_state()[1].copy()
    _move(explorer, "log_high", 1.0)
    assert np.array_equal(np.random.get_state()[1], state)   # the student's draws leave the global RNG as it was


def test_batchnorm_explorer_sets_mean_and_spread():
    from course.widgets.week3.batchnorm import batchnorm_explorer

    Z = np.random.RandomState(0).randn(8, 200) * 3 + 5
    explorer = batchnorm_explorer(ref.batchnorm_forward, Z)
    assert explorer.status.value.startswith("γ = 1.0, β = 0.0: after batch norm mean 0.00, std 1.00; ")
    _move(explorer, "gamma", 2.5)
    _move(explorer, "beta", -1.0)
    assert explorer.status.value.startswith("γ = 2.5, β = -1.0: after batch norm mean -1.00, std 2.50; ")
    explorer.clear_cache()
    _move(explorer, "gamma", 0.5)
    _move(explorer, "beta", 3.0)   # mean 3, std 0.5: the whole batch passes ReLU
    assert explorer.status.value.endswith("std 0.50; 100% of the mini-batch passes ReLU")
    assert explorer.redraw_seconds[-1] < 0.1
    wrong_axis = batchnorm_explorer(layers.WRONG["batchnorm_forward"][0][0], Z)
    assert "std 1.00" not in wrong_axis.status.value


# ---------------------------------------------------------------- what the notebook promises

def _deep_runs(learning_rate, batchnorm, fns=FNS, nudge=0.0):
    """(dev accuracy, Result) of section 5's deep net; nudge scales W1 by (1 + nudge) before training."""
    X_train, y_train, X_dev, y_dev, _, _ = data.load_digits()
    parameters = bn_net.initialize_parameters
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bn_net, "initialize_parameters", lambda dims, bn, seed: {
            k: v * (1 + nudge) if k == "W1" else v for k, v in parameters(dims, bn, seed).items()})
        run = bn_net.train(X_train, ref.one_hot(y_train, 10), [64, 64, 64, 64, 64, 64, 10], fns, batchnorm=batchnorm,
                           learning_rate=learning_rate, num_epochs=15, seed=0)
    return bn_net.accuracy(X_dev, y_dev, run.parameters, run.bn_params, fns), run


def _logsumexp_softmax(Z):
    """A correct softmax that rounds differently from the reference's."""
    top = Z.max(axis=0, keepdims=True)
    return np.exp(Z - top - np.log(np.sum(np.exp(Z - top), axis=0, keepdims=True)))


@pytest.mark.slow
def test_the_results_the_notebook_promises():
    dev, runs = {}, {}
    for lr in (0.1, 1.0):
        for bn in (False, True):
            dev[(lr, bn)], runs[(lr, bn)] = _deep_runs(lr, bn)
    assert runs[(0.1, False)].costs[4] < 0.4 < runs[(0.1, False)].costs[3]
    assert runs[(0.1, True)].costs[2] < 0.4 < runs[(0.1, True)].costs[1]
    assert runs[(1.0, True)].costs[1] < 0.4 < runs[(1.0, True)].costs[0]
    assert dev[(0.1, True)] > dev[(0.1, False)] + 0.02
    assert max(dev, key=dev.get) == (1.0, True) and dev[(1.0, True)] > 0.97
    plain = runs[(1.0, False)]
    assert dev[(1.0, False)] < 0.25 and min(plain.costs) > 2.1 and abs(plain.costs[-1] - np.log(10)) < 0.1


@pytest.mark.slow
@pytest.mark.parametrize("nudge, fns", [(1e-15, FNS), (1e-13, FNS), (1e-11, FNS),
                                        (0.0, dict(FNS, softmax=_logsumexp_softmax))],
                         ids=["1e-15", "1e-13", "1e-11", "logsumexp-softmax"])
def test_the_promises_survive_rounding(nudge, fns):
    """Training that blows up is chaotic: at learning rate 0.5 a nudge in the 15th digit of W1 moved the plain
    net's dev accuracy from 54% to 88% (and another machine's BLAS gave 70%), so the notebook compares at 0.1
    and 1.0, where its claims hold however the arithmetic rounds."""
    accuracy, run = _deep_runs(1.0, False, fns, nudge)
    assert accuracy < 0.25 and min(run.costs) > 2.1 and np.all(np.isfinite(run.step_costs))
    assert _deep_runs(1.0, True, fns, nudge)[0] > 0.97
