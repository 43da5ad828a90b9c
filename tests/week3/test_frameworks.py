"""Week 3, frameworks (JAX): only what is special to this notebook.

The shared tests already run, for every graded function: the hidden-check contract
(tests/test_contract.py), the visible checks on the reference, the correct variants and a
stub (tests/test_visible_checks.py), the solution cells against the reference
(tests/test_solutions.py) and the layout (tests/test_layout.py). The runner's JAX cases are
tested in tests/grading/test_runner_jax.py, JAX under the sandbox in tests/test_sandbox.py. Here:
- the NumPy net the checks judge with (course/softmax_net.py): its backward pass against
  numerical gradients, and against jax.grad of the reference in float64;
- the reference's closed form of gradient descent on the quadratic;
- the provided training loop (course/jax_train.py): one-hot labels, a stub reported as such,
  and (slow) the accuracies the notebook promises, test accuracy >= 95%;
- what the visible checks reject, the hidden checks' speed, the test cells' points.
"""

import time

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from autograder.hidden.week3 import frameworks as hidden
from autograder.hidden.common import relative_norm
from autograder.numgrad import numerical_param_gradients
from autograder.reference.week3 import frameworks as ref
from course import data, jax_train, softmax_net
from course.checks.week3 import frameworks as checks
from tests.course_map import Notebook
from tests.implementations.week3 import frameworks as impl

NOTEBOOK = Notebook("week3", "frameworks")


def _net(seed, dims=(6, 5, 4, 3), m=7):
    rng = np.random.RandomState(seed)
    X = rng.randn(dims[0], m)
    params = {}
    for l in (1, 2, 3):
        params[f"W{l}"] = rng.randn(dims[l], dims[l - 1])
        params[f"b{l}"] = 0.3 * rng.randn(dims[l], 1)
    Y = jax_train.one_hot(rng.randint(dims[3], size=(1, m)), dims[3]).astype(float)
    return X, Y, params


# ---------------------------------------------------------------- the NumPy net and the reference

@pytest.mark.parametrize("seed", range(3))
def test_numpy_backprop_matches_numerical_gradients(seed):
    X, Y, params = _net(seed)
    _, cache = softmax_net.forward_propagation(X, params)
    grads = softmax_net.backward_propagation(X, Y, cache)
    numerical = numerical_param_gradients(lambda p: softmax_net.compute_cost(softmax_net.forward_propagation(X, p)[0], Y),
                                          params)
    for k in grads:
        assert relative_norm(grads[k], numerical[k]) < 1e-7, k


@pytest.mark.parametrize("seed", range(3))
def test_jax_grad_of_the_reference_is_the_numpy_backprop_in_float64(seed):
    X, Y, params = _net(seed)
    with jax.enable_x64(True):
        grads = jax.grad(lambda p: ref.compute_cost(ref.forward_propagation(X, p), Y))(
            {k: jnp.asarray(v) for k, v in params.items()})
        cost = float(ref.compute_cost(ref.forward_propagation(X, params), Y))
    _, cache = softmax_net.forward_propagation(X, params)
    expected = softmax_net.backward_propagation(X, Y, cache)
    assert cost == pytest.approx(softmax_net.compute_cost(softmax_net.forward_propagation(X, params)[0], Y), rel=1e-12)
    for k in params:
        assert relative_norm(np.asarray(grads[k]), expected["d" + k]) < 1e-12, k


def test_the_closed_form_is_gradient_descent():
    for lr, k in ((0.1, 7), (0.01, 30), (0.45, 3)):
        w = 0.0
        for _ in range(k):
            w -= lr * (2 * w - 10)
        assert ref.quadratic_after(lr, k) == pytest.approx(w, rel=1e-12)


def test_large_logits_are_stable_in_the_reference():
    logits = np.array([[1000.0, -1000.0], [0.0, 1000.0]], dtype=np.float32)
    Y = np.array([[0.0, 1.0], [1.0, 0.0]], dtype=np.float32)   # the right classes have the smaller logits
    assert float(ref.compute_cost(jnp.asarray(logits), Y)) == pytest.approx((1000.0 + 2000.0) / 2)


# ---------------------------------------------------------------- the training loop

def test_one_hot():
    Y = jax_train.one_hot(np.array([[2, 0, 1, 2]]), 3)
    assert Y.dtype == np.float32 and Y.shape == (3, 4)
    assert Y.tolist() == [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]]


def test_a_stub_reaches_the_student_as_not_implemented():
    X, Y, _ = data.load_digits()[:3]

    def stub(X, parameters):
        raise NotImplementedError()
    with pytest.raises(NotImplementedError):
        jax_train.train(stub, ref.compute_cost, X, jax_train.one_hot(Y), num_epochs=1)


@pytest.mark.slow
def test_the_results_the_notebook_promises():
    X, Y, X_dev, Y_dev, X_test, Y_test = data.load_digits()
    dev = {}
    for lr in (0.0003, 0.001, 0.003, 0.01):
        result = jax_train.train(ref.forward_propagation, ref.compute_cost, X, jax_train.one_hot(Y),
                                 learning_rate=lr, num_epochs=40)
        assert len(result.costs) == 40 and result.costs[-1] < result.costs[0]
        dev[lr] = (jax_train.accuracy(ref.forward_propagation, X_dev, Y_dev, result.parameters), result)
    best = max(dev, key=lambda lr: dev[lr][0])
    assert best == 0.01 and dev[best][0] >= 0.96
    assert 0.85 < dev[0.0003][0] < dev[0.001][0] < dev[0.003][0]
    assert jax_train.accuracy(ref.forward_propagation, X_test, Y_test, dev[best][1].parameters) >= 0.95


# ---------------------------------------------------------------- visible checks, hidden checks, points

@pytest.mark.parametrize("name, fn, message", [
    ("minimize_quadratic", impl.mq_returns_jax_array, "expected a Python float"),
    ("minimize_quadratic", impl.mq_ascent, "Gradient descent subtracts"),
    ("forward_propagation", impl.fp_relu_on_output, "The output layer is LINEAR only"),
    ("forward_propagation", impl.fp_numpy_relu, "calls NumPy on a traced array"),
    ("forward_propagation", impl.fp_transposed, "expected (2, 3)"),
    ("compute_cost", impl.cc_sum, "That is the sum over the examples"),
    ("compute_cost", impl.cc_no_max_shift, "Subtract each column's max"),
    ("compute_cost", impl.cc_numpy_exp, "calls NumPy on a traced array"),
])
def test_visible_checks_name_the_mistake(name, fn, message):
    with pytest.raises(AssertionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        getattr(checks, f"check_{name}")(fn)


def test_hidden_checks_are_quick():
    start = time.perf_counter()
    for name in NOTEBOOK.graded_functions():
        getattr(hidden, f"check_{name}")(getattr(ref, name))
    assert time.perf_counter() - start < 15


def test_points():
    cells = NOTEBOOK.test_cells()
    points = {gid: None for gid in cells}
    for c in NOTEBOOK.cells():
        meta = c["metadata"].get("nbgrader", {})
        if meta.get("grade"):
            points[meta["grade_id"]] = meta["points"]
    assert points == {"test_minimize_quadratic": 1, "test_forward_propagation": 2, "test_compute_cost": 2}
