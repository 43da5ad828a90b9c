"""Week 2, optimization: only what is special to this notebook.

The shared tests already run, for every graded function: the hidden-check contract
(tests/test_contract.py), the visible checks on the reference, the correct variants and a
stub (tests/test_visible_checks.py), the solution cells against the reference
(tests/test_solutions.py) and the layout (tests/test_layout.py). Here:
- the provided training loop (course/train_optim.py): packed and side by side, it computes what
  a plain loop over the six arrays computes; costs, learning rates, progress, errors; its speed;
- the results the notebook promises (slow: the full runs);
- the data loaders;
- what the visible checks reject, the hidden checks' speed, the test cells' points;
- what the three explorers show.
"""

import time

import numpy as np
import pytest

from autograder.hidden.week2 import optimization as hidden
from autograder.reference.week2 import optimization as ref
from course import data, nn, train_optim
from course.checks.week2 import optimization as checks
from tests.course_map import Notebook
from tests.implementations.week2.optimization import averages, basics, optimizers

NOTEBOOK = Notebook("week2", "optimization")
X, Y, X_DEV, Y_DEV = data.load_moons()


def _runs(num_epochs, **schedule):
    return {
        "gd": train_optim.gd(ref.update_parameters_with_gd, num_epochs=num_epochs, **schedule),
        "momentum": train_optim.momentum(ref.initialize_velocity, ref.update_parameters_with_momentum,
                                         num_epochs=num_epochs, **schedule),
        "rmsprop": train_optim.rmsprop(ref.initialize_rmsprop, ref.update_parameters_with_rmsprop,
                                       num_epochs=num_epochs, **schedule),
        "adam": train_optim.adam(ref.initialize_adam, ref.update_parameters_with_adam, num_epochs=num_epochs,
                                 **schedule),
    }


def _plain_loop(optimizer, num_epochs, learning_rate=0.0007, decay=None, X=X, Y=Y):
    """The original course's loop: six arrays, course.nn's forward and backward, one run at a time.
    Returns (parameters, costs every 100 epochs, learning rates)."""
    params = train_optim.initialize_parameters()
    v = ref.initialize_velocity(params)
    va, sa = ref.initialize_adam(params)
    costs, rates, t = [], [], 0
    for epoch in range(num_epochs):
        lr = learning_rate if decay is None else decay(learning_rate, epoch, 1)
        rates.append(lr)
        total = 0.0
        for Xb, Yb in ref.random_mini_batches(X, Y, 64, 10 + epoch + 1):
            t += 1
            A3, cache = nn.forward_propagation(Xb, params)
            total += nn.compute_cost(A3, Yb) * Yb.shape[1]
            grads = nn.backward_propagation(Xb, Yb, cache)
            if optimizer == "gd":
                params = ref.update_parameters_with_gd(params, grads, lr)
            elif optimizer == "momentum":
                params, v = ref.update_parameters_with_momentum(params, grads, v, 0.9, lr)
            elif optimizer == "rmsprop":
                params, v = ref.update_parameters_with_rmsprop(params, grads, v, 0.999, lr)
            else:
                params, va, sa, _, _ = ref.update_parameters_with_adam(params, grads, va, sa, t, lr)
        if epoch % 100 == 0:
            costs.append(total / X.shape[1])
    return params, costs, rates


# ---------------------------------------------------------------- the training loop

def test_packed_side_by_side_training_is_the_plain_loop():
    runs = _runs(12)
    runs["gd + decay"] = train_optim.gd(ref.update_parameters_with_gd, learning_rate=0.1, num_epochs=7,
                                        decay=ref.update_lr)
    results = train_optim.train(X, Y, ref.random_mini_batches, runs)
    for name, result in results.items():
        optimizer = name.split()[0]
        epochs, lr, decay = (7, 0.1, ref.update_lr) if "decay" in name else (12, 0.0007, None)
        params, costs, rates = _plain_loop(optimizer, epochs, lr, decay)
        assert sorted(result.parameters) == sorted(params)
        for key in params:
            np.testing.assert_allclose(result.parameters[key], params[key], rtol=1e-10, atol=1e-13, err_msg=name)
        np.testing.assert_allclose(result.costs, costs, rtol=1e-10)
        np.testing.assert_allclose(result.learning_rates, rates, rtol=1e-12)
        assert result.num_epochs == epochs


def test_a_run_does_not_depend_on_the_runs_beside_it():
    alone = train_optim.train(X, Y, ref.random_mini_batches, {"adam": _runs(5)["adam"]})["adam"].parameters
    together = train_optim.train(X, Y, ref.random_mini_batches, _runs(5))["adam"].parameters
    for key in alone:
        np.testing.assert_allclose(together[key], alone[key], rtol=1e-12, atol=1e-15)


def test_step_costs_and_batch_sizes():
    result = train_optim.train(X, Y, ref.random_mini_batches, {"gd": _runs(2)["gd"]}, mini_batch_size=128,
                               record_steps=True, record_every=1)["gd"]
    assert len(result.step_costs) == 2 * 3   # 300 = 128 + 128 + 44
    assert len(result.costs) == 2
    assert all(0.3 < c < 1.5 for c in result.step_costs)


def test_the_student_functions_get_one_packed_layer():
    seen = []

    def update(parameters, grads, learning_rate):
        seen.append({k: np.shape(v) for k, v in list(parameters.items()) + list(grads.items())})
        return ref.update_parameters_with_gd(parameters, grads, learning_rate)

    train_optim.train(X, Y, ref.random_mini_batches, {"gd": train_optim.gd(update, num_epochs=1)})
    assert seen == [{"W1": (22, 1), "b1": (8, 1), "dW1": (22, 1), "db1": (8, 1)}] * 5


def test_progress_lines_on_stdout_for_long_runs_only(capfd):
    train_optim.train(X, Y, ref.random_mini_batches, {"gd": _runs(20)["gd"]})
    assert capfd.readouterr() == ("", "")
    train_optim.train(X, Y, ref.random_mini_batches, {"gd": _runs(20)["gd"]}, progress=True)
    out, err = capfd.readouterr()
    lines = out.splitlines()
    assert err == "" and len(lines) == 10
    assert lines[0].startswith("training 1 run [##") and "2/20 epochs" in lines[0]
    assert "20/20 epochs" in lines[-1] and "ETA" in lines[-1]


def test_a_stub_and_a_broken_update_are_reported():
    def update_parameters_with_gd(parameters, grads, learning_rate):
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        train_optim.train(X, Y, ref.random_mini_batches, {"gd": train_optim.gd(update_parameters_with_gd)})

    def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
        ref.update_parameters_with_momentum(parameters, grads, v, beta, learning_rate)   # no return

    run = train_optim.momentum(ref.initialize_velocity, update_parameters_with_momentum, num_epochs=1)
    with pytest.raises(TypeError, match="cannot unpack"):
        train_optim.train(X, Y, ref.random_mini_batches, {"m": run})

    def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon):
        return grads, v, s, v, s

    run = train_optim.adam(ref.initialize_adam, update_parameters_with_adam, num_epochs=1)
    with pytest.raises(train_optim.StudentFunctionError, match="`update_parameters_with_adam` should return"):
        train_optim.train(X, Y, ref.random_mini_batches, {"a": run})


def test_wrong_mini_batches_are_reported():
    with pytest.raises(train_optim.StudentFunctionError, match="Y of shape \\(64,\\)"):
        train_optim.train(X, Y, basics.mb_flat_y, {"gd": _runs(1)["gd"]})
    with pytest.raises(train_optim.StudentFunctionError, match="256 examples in all, expected the 300"):
        train_optim.train(X, Y, basics.mb_drops_last, {"gd": _runs(1)["gd"]})


def test_side_by_side_is_much_faster_than_the_plain_loop():
    # CPU time, both measured now, so a busy machine slows both alike; about 4x on this machine
    start = time.process_time()
    for optimizer in ("gd", "momentum", "adam"):
        _plain_loop(optimizer, 30)
    plain = time.process_time() - start
    start = time.process_time()
    runs = _runs(30)
    del runs["rmsprop"]
    train_optim.train(X, Y, ref.random_mini_batches, runs)
    assert time.process_time() - start < plain / 2


@pytest.mark.slow
def test_the_results_the_notebook_promises():
    runs = _runs(10000)
    for name in ("gd", "momentum"):
        runs[name + " + decay"] = {"gd": train_optim.gd, "momentum": train_optim.momentum}[name](
            *((ref.update_parameters_with_gd,) if name == "gd" else
              (ref.initialize_velocity, ref.update_parameters_with_momentum)),
            learning_rate=0.1, num_epochs=5000, decay=ref.schedule_lr_decay, decay_rate=1)
    results = train_optim.train(X, Y, ref.random_mini_batches, runs, progress=False)
    train = {name: round(100 * nn.accuracy(X, Y, r.parameters), 1) for name, r in results.items()}
    assert train["gd"] == train["momentum"] == 79.7
    assert train["adam"] == train["rmsprop"] == 94.0
    assert 93.5 <= train["gd + decay"] <= 96 and 93.5 <= train["momentum + decay"] <= 96
    assert abs(results["gd"].costs[-1] - results["momentum"].costs[-1]) < 1e-3   # momentum barely helps


# ---------------------------------------------------------------- data

def test_moons_are_scikit_learns_and_the_original_courses():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    for n, noise, seed in ((300, 0.2, 3), (200, 0.2, 4), (7, None, 0)):
        ours = data.make_moons(n, noise=noise, random_state=seed)
        theirs = sklearn_datasets.make_moons(n_samples=n, noise=noise, random_state=seed)
        assert np.array_equal(ours[0], theirs[0]) and np.array_equal(ours[1], theirs[1])
    np.random.seed(3)   # the original course: np.random.seed(3), then make_moons without a random_state
    X_orig, y_orig = sklearn_datasets.make_moons(n_samples=300, noise=0.2)
    assert np.array_equal(X, X_orig.T) and np.array_equal(Y, y_orig.reshape(1, -1))
    assert X_DEV.shape == (2, 200) and Y_DEV.shape == (1, 200) and 0.4 < Y_DEV.mean() < 0.6


def test_temperatures_are_a_deterministic_year():
    days, temperatures = data.load_temperatures()
    assert np.array_equal(days, np.arange(1, 366)) and temperatures.shape == (365,)
    assert np.array_equal(temperatures, data.load_temperatures()[1])
    january, july = temperatures[:31].mean(), temperatures[181:212].mean()
    assert 0 < january < 7 and 14 < july < 22
    assert np.all(np.round(temperatures, 1) == temperatures)


# ---------------------------------------------------------------- checks and the notebook

VISIBLE_WRONG = [
    ("update_parameters_with_gd", basics.gd_plus, "W = W - learning_rate * dW"),
    ("update_parameters_with_gd", basics.gd_weights_only, "is off"),
    ("random_mini_batches", basics.mb_drops_last, "smaller last one"),
    ("random_mini_batches", basics.mb_y_not_shuffled, "same permutation"),
    ("random_mini_batches", basics.mb_not_shuffled, "original order"),
    ("random_mini_batches", basics.mb_flat_y, "mini_batch_Y has shape"),
    ("exponentially_weighted_averages", averages.ewa_never_corrected, "bias_correction=True"),
    ("exponentially_weighted_averages", averages.ewa_swapped, "v_0 = 0"),
    ("initialize_velocity", optimizers.velocity_param_keys, "like the gradients"),
    ("initialize_rmsprop", optimizers.rmsprop_init_ones, "all zeros"),
    ("initialize_adam", optimizers.adam_init_v_only, "a tuple (v, s)"),
    ("update_parameters_with_momentum", optimizers.momentum_swapped, "beta * v + (1 - beta) * dW"),
    ("update_parameters_with_momentum", optimizers.momentum_reset, "step 2: "),
    ("update_parameters_with_rmsprop", optimizers.rmsprop_epsilon_inside, "np.sqrt(s) + epsilon"),
    ("update_parameters_with_adam", optimizers.adam_t_always_one, "step 2: "),
    ("update_parameters_with_adam", optimizers.adam_returns_three, "(parameters, v, s, v_corrected, s_corrected)"),
    ("update_lr", averages.lr_precedence, "expected"),
    ("schedule_lr_decay", averages.schedule_no_floor, "floor(epoch_num / time_interval)"),
]


@pytest.mark.parametrize("name,fn,expected", VISIBLE_WRONG, ids=[f"{n}-{f.__name__}" for n, f, _ in VISIBLE_WRONG])
def test_mistake_fails_visible_check(name, fn, expected):
    with pytest.raises(AssertionError) as info:
        getattr(checks, "check_" + name)(fn)
    assert expected in str(info.value)


def test_visible_check_explains_another_shuffle(capsys):
    checks.check_random_mini_batches(basics.mb_generator)
    assert "your shuffle differs from the expected output" in capsys.readouterr().out


@pytest.mark.parametrize("name", hidden.__all__)
def test_hidden_check_is_fast(name):
    check, fn = getattr(hidden, name), getattr(ref, name[len("check_"):])
    check(fn)  # warm up
    start = time.process_time()
    check(fn)
    assert time.process_time() - start < 1.0   # at most about 0.15 s on an idle machine


def test_test_cells_and_points():
    points = {"test_update_parameters_with_gd": 1, "test_random_mini_batches": 2,
              "test_exponentially_weighted_averages": 1, "test_initialize_velocity": 1,
              "test_update_parameters_with_momentum": 1, "test_initialize_rmsprop": 1,
              "test_update_parameters_with_rmsprop": 1, "test_initialize_adam": 1,
              "test_update_parameters_with_adam": 2, "test_update_lr": 1, "test_schedule_lr_decay": 1}
    cells = {c["metadata"]["nbgrader"]["grade_id"]: c for c in NOTEBOOK.cells()
             if c["metadata"].get("nbgrader", {}).get("grade")}
    assert {gid: c["metadata"]["nbgrader"]["points"] for gid, c in cells.items()} == points


# ---------------------------------------------------------------- explorers

OPTIMIZER_FUNCTIONS = ["update_parameters_with_gd", "initialize_velocity", "update_parameters_with_momentum",
                       "initialize_rmsprop", "update_parameters_with_rmsprop", "initialize_adam",
                       "update_parameters_with_adam"]


def _move(explorer, name, value):
    explorer.controls[explorer.names.index(name)].value = value


def test_ewa_explorer_shows_the_bias_and_the_window():
    from course.widgets.week2.optimization import ewa_explorer

    days, temperatures = data.load_temperatures()
    explorer = ewa_explorer(ref.exponentially_weighted_averages, days, temperatures)
    assert explorer.error is None
    assert explorer.status.value == ("β = 0.90: about the last 10 days; bias correction off: day 1 average 0.9 °C "
                                     "(measured 8.6 °C)")
    _move(explorer, "bias_correction", True)
    assert "day 1 average 8.6 °C" in explorer.status.value
    _move(explorer, "beta", 0.98)
    assert explorer.status.value.startswith("β = 0.98: about the last 50 days; bias correction on")


def test_optimizer_paths():
    from course.widgets.week2.optimization import BOWL, SADDLE, optimizer_path

    functions = {name: getattr(ref, name) for name in OPTIMIZER_FUNCTIONS}
    zigzag = optimizer_path("gradient descent", functions, BOWL, 0.9, 0.9, 0.999)[:, 1]
    assert np.all(np.sign(zigzag[1:11]) == -np.sign(zigzag[:10]))   # y flips sign every step
    assert -1.1 < optimizer_path("gradient descent", functions, BOWL, 0.9, 0.9, 0.999)[-1, 0] < -0.9   # crawls
    assert np.isnan(optimizer_path("gradient descent", functions, BOWL, 2.0, 0.9, 0.999)[-1, 1])   # diverged
    assert BOWL.f(*optimizer_path("momentum", functions, BOWL, 5.62, 0.9, 0.999)[-1]) < 0.01   # stable, and there

    def steps_to_leave(optimizer, lr):
        path = optimizer_path(optimizer, functions, SADDLE, lr, 0.9, 0.999)
        return int(np.argmax(np.abs(path[:, 1]) > 0.5))

    assert steps_to_leave("Adam", 0.1) < 10 < 30 < steps_to_leave("gradient descent", 0.9)


@pytest.mark.parametrize("name", OPTIMIZER_FUNCTIONS)
def test_optimizer_explorer_names_a_stub(name):
    from course.widgets.week2.optimization import optimizer_explorer

    functions = {n: getattr(ref, n) for n in OPTIMIZER_FUNCTIONS}
    namespace = {}
    exec(f"def {name}(*args):\n    raise NotImplementedError()\n", namespace)
    functions[name] = namespace[name]
    explorer = optimizer_explorer(*functions.values())
    assert explorer.error == f"implement `{name}` above first"


def test_optimizer_explorer_labels_and_speed():
    from course.widgets.week2.optimization import optimizer_explorer

    explorer = optimizer_explorer(*(getattr(ref, n) for n in OPTIMIZER_FUNCTIONS))
    assert explorer.status.value.startswith("gradient descent, learning rate 0.9: after 60 steps, bowl f = ")
    for optimizer in ("momentum", "RMSprop", "Adam"):
        _move(explorer, "optimizer", optimizer)
        assert explorer.status.value.startswith(optimizer)
    _move(explorer, "learning_rate", 0.1)
    assert "Adam, learning rate 0.1, β1 = 0.90, β2 = 0.999" in explorer.status.value
    explorer.clear_cache()
    _move(explorer, "beta1", 0.5)
    assert explorer.redraw_seconds[-1] < 0.1   # a few milliseconds of drawing, plus 120 steps of the optimizer


def test_lr_schedule_explorer():
    from course.widgets.week2.optimization import lr_schedule_explorer

    explorer = lr_schedule_explorer(ref.update_lr, ref.schedule_lr_decay)
    assert explorer.status.value == ("decay_rate = 1, time_interval = 1000: at epoch 4999, update_lr gives 2e-05, "
                                     "schedule_lr_decay 0.02")
    _move(explorer, "time_interval", 100)
    assert explorer.status.value.endswith("schedule_lr_decay 0.002")
    namespace = {}
    exec("def schedule_lr_decay(*args):\n    raise NotImplementedError()\n", namespace)
    assert lr_schedule_explorer(ref.update_lr, namespace["schedule_lr_decay"]).error == \
        "implement `schedule_lr_decay` above first"
