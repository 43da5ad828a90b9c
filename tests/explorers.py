"""The course's slider explorers built headless, as their notebooks build them, with
the reference solution (for tests/test_widgets.py and the benchmark).

CASES has one entry per explorer: how to build it from a dict of the student's
functions (a week's reference module by default), the functions it needs in
the order it calls them, and a tour: moves (control name, value) that visit
every position of every slider and every option of the other controls.
Weeks 2 and 3 add entries.
"""

from dataclasses import dataclass, field

import numpy as np

from autograder.reference.week1 import initialization as ref_initialization
from autograder.reference.week1 import regularization as ref_regularization
from course import data
from course.widgets.week1.initialization import activation_explorer
from course.widgets.week1.regularization import regularization_explorer
from autograder.reference.week2 import optimization as ref_optimization
from course.widgets.week2.optimization import ewa_explorer, lr_schedule_explorer, optimizer_explorer


@dataclass
class Case:
    build: object  # callable(functions: dict, **options) -> widgets.Explorer
    needs: list  # the student's functions it takes, in the order it calls them
    reference: object  # module holding the reference functions
    tour: list = field(default_factory=list)  # [(control name, value), ...]
    fast: dict = field(default_factory=dict)  # build options that keep a test quick

    def functions(self, **replace):
        """The reference functions it needs, some replaced (name=function)."""
        funcs = {name: getattr(self.reference, name) for name in self.needs}
        funcs.update(replace)
        return funcs


def _initial_parameters(layers_dims):
    """As the regularization notebook's provided initialize_parameters: He, after np.random.seed(3)."""
    rng = np.random.RandomState(3)
    return {key: value for l in range(1, len(layers_dims))
            for key, value in ((f"W{l}", rng.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2 / layers_dims[l - 1])),
                               (f"b{l}", np.zeros((layers_dims[l], 1))))}


def _activation_explorer(f, **options):
    return activation_explorer(f["initialize_parameters_he"], f["initialize_parameters_random"], **options)


def _regularization_explorer(f, **options):
    X_train, Y_train, X_dev, Y_dev, _, _ = data.load_noisy_moons()
    return regularization_explorer(
        f["compute_cost_with_regularization"], f["backward_propagation_with_regularization"],
        f["forward_propagation_with_dropout"], f["backward_propagation_with_dropout"],
        X_train, Y_train, X_dev, Y_dev, _initial_parameters([X_train.shape[0], 20, 3, 1]), **options)


_GAINS = [float(10 ** e) for e in np.round(np.arange(-1, 1.0001, 0.05), 2)]  # the slider's 41 positions

CASES = {
    "activation_explorer": Case(
        build=_activation_explorer, reference=ref_initialization,
        needs=["initialize_parameters_random", "initialize_parameters_he"],
        tour=[("gain", g) for g in _GAINS if g != 1.0] + [("gain", 1.0)]
        + [("weights", w) for w in ("your random ×10", "Xavier sqrt(1/n)", "your He")]
        + [("activation", a) for a in ("tanh", "sigmoid", "relu")]),
    "regularization_explorer": Case(
        build=_regularization_explorer, reference=ref_regularization,
        needs=["compute_cost_with_regularization", "backward_propagation_with_regularization",
               "forward_propagation_with_dropout", "backward_propagation_with_dropout"],
        tour=[("lambd", v) for v in (0.0, 1.4, 0.7)] + [("technique", "dropout")]
        + [("keep_prob", v) for v in (0.72, 1.0, 0.86)] + [("technique", "L2")],
        fast={"num_iterations": 300}),
}


_OPT = ["update_parameters_with_gd", "initialize_velocity", "update_parameters_with_momentum", "initialize_rmsprop",
        "update_parameters_with_rmsprop", "initialize_adam", "update_parameters_with_adam"]


def _ewa_explorer(f, **options):
    days, temperatures = data.load_temperatures()
    return ewa_explorer(f["exponentially_weighted_averages"], days, temperatures, **options)


def _optimizer_explorer(f, **options):
    return optimizer_explorer(*(f[n] for n in _OPT), **options)


def _lr_schedule_explorer(f, **options):
    return lr_schedule_explorer(f["update_lr"], f["schedule_lr_decay"], **options)


_BETAS = [float(b) for b in np.round(np.arange(0.5, 0.99001, 0.01), 2)]
_RATES = [float(10 ** e) for e in np.round(np.arange(-3, 1.0001, 0.25), 2)]

CASES.update({
    "ewa_explorer": Case(
        build=_ewa_explorer, reference=ref_optimization, needs=["exponentially_weighted_averages"],
        tour=[("beta", b) for b in _BETAS if b != 0.9] + [("beta", 0.9), ("bias_correction", True),
                                                           ("bias_correction", False)]),
    "optimizer_explorer": Case(
        build=_optimizer_explorer, reference=ref_optimization, needs=_OPT,
        tour=[("optimizer", "Adam")] + [("learning_rate", r) for r in _RATES if r != 0.9]
        + [("beta1", b) for b in (0.0, 0.5, 0.8, 0.95, 0.99, 0.9)] + [("beta2", b) for b in (0.9, 0.99, 0.999)]
        + [("optimizer", o) for o in ("momentum", "RMSprop", "gradient descent")]),
    "lr_schedule_explorer": Case(
        build=_lr_schedule_explorer, reference=ref_optimization, needs=["update_lr", "schedule_lr_decay"],
        tour=[("decay_rate", d) for d in (0.1, 0.3, 3.0, 10.0, 1.0)]
        + [("time_interval", i) for i in (10, 100, 250, 500, 1990, 2000, 1000)]),
})

from autograder.reference.week3 import batchnorm as ref_batchnorm
from course import bn_net
from course.widgets.week3.batchnorm import batchnorm_explorer, sampling_explorer


def _sampling_explorer(f, **options):
    return sampling_explorer(f["sample_learning_rates"], **options)


def _batchnorm_explorer(f, **options):
    X_train = data.load_digits()[0]
    Z = bn_net.initialize_parameters([64, 64, 10], seed=0)["W1"] @ X_train[:, :256]   # as the notebook builds it
    return batchnorm_explorer(f["batchnorm_forward"], Z, **options)


CASES.update({
    "sampling_explorer": Case(
        build=_sampling_explorer, reference=ref_batchnorm, needs=["sample_learning_rates"],
        tour=[("log_low", v) for v in (-6.0, -5.5, -5.0, -4.5, -3.5, -3.0, -2.5, -2.0, -1.5, -1.0, -4.0)]
        + [("log_high", v) for v in (-0.5, 0.5, 1.0, 0.0)]),
    "batchnorm_explorer": Case(
        build=_batchnorm_explorer, reference=ref_batchnorm, needs=["batchnorm_forward"],
        tour=[("gamma", float(g)) for g in np.round(np.arange(0.1, 3.0001, 0.1), 1) if g != 1.0] + [("gamma", 1.0)]
        + [("beta", float(b)) for b in np.round(np.arange(-3.0, 3.0001, 0.1), 1) if b != 0.0] + [("beta", 0.0)]),
})


def move(explorer, name, value):
    """Set one control of an explorer by its name, as the slider would."""
    explorer.controls[explorer.names.index(name)].value = value


def tour_redraws(explorer, tour, cached=False):
    """Make every move of the tour; return the wall time (seconds) of each redraw.
    With cached=False the cache is cleared first, so every redraw draws."""
    times = []
    for name, value in tour:
        if not cached:
            explorer.clear_cache()
        done = len(explorer.redraw_seconds)
        move(explorer, name, value)
        times.extend(explorer.redraw_seconds[done:])
    return times
