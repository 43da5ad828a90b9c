"""The optimization notebook's training loop: a small ReLU net trained with mini-batches and
the student's own update functions (provided, not graded).

    runs = {"gradient descent": gd(update_parameters_with_gd),
            "Adam": adam(initialize_adam, update_parameters_with_adam)}
    results = train(X, Y, random_mini_batches, runs)       # {name: Result}
    results["Adam"].parameters, results["Adam"].costs

The net is LINEAR -> RELU -> ... -> LINEAR -> SIGMOID with widths `layers_dims`
([2, 5, 2, 1] by default), initialized like the original course's optimization
notebook (He, np.random.seed(3)), trained on mini-batches drawn by the student's
`random_mini_batches(X, Y, mini_batch_size, seed)` with seed 11, 12, ... one per epoch.
Every epoch starts with learning_rate = decay(learning_rate0, epoch, decay_rate) when
a decay function is given.

Why it is fast. A mini-batch step of this net is a few dozen NumPy calls on tiny
arrays, so the time goes into the calls, not the arithmetic. Two things cut them:
- All runs step together, on the same mini-batch: one forward and backward pass serves
  them all, with the runs' weights laid out as one matrix per layer (stacked for the first
  layer, block-diagonal for the others, see _Stack), so a layer is one matrix product.
- Each run's numbers are handed to the update functions *packed as one layer*: all
  the weights of the net in one column "W1" (W1, W2, W3 flattened, in order) and all
  the biases in "b1", and the gradients likewise in "dW1" and "db1". Every optimizer
  of the course updates each number from its own gradient and state only, so this is
  the same arithmetic, number for number, as with six arrays, in a third of the calls.
  `Result.parameters` is unpacked again into W1, b1, ..., WL, bL.
The student's update is then the only per-run cost of a step.
"""

import gc
import sys
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.special import expit

LAYERS_DIMS = (2, 5, 2, 1)


def initialize_parameters(layers_dims=LAYERS_DIMS):
    """He initialization, as week 1 and the original course's notebook do it (np.random.seed(3), then layer
    by layer W_l = randn(n_l, n_{l-1}) * sqrt(2 / n_{l-1}), b_l = 0)."""
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2 / layers_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


# ---------------------------------------------------------------- optimizers

@dataclass
class Optimizer:
    """One training run: how to start (`init(parameters) -> state`), how to step
    (`step(parameters, grads, state, t, learning_rate) -> (parameters, state)`), and its schedule."""
    names: tuple          # the student's functions it calls, for error messages
    init: object
    step: object
    learning_rate: float = 0.0007
    num_epochs: int = 10000
    decay: object = None  # decay(learning_rate0, epoch_num, decay_rate) -> learning rate
    decay_rate: float = 1.0


def gd(update_parameters_with_gd, **schedule):
    """Plain (mini-batch) gradient descent with your update function."""
    def step(parameters, grads, state, t, learning_rate):
        return update_parameters_with_gd(parameters, grads, learning_rate), None
    return Optimizer((update_parameters_with_gd.__name__,), lambda parameters: None, step, **schedule)


def momentum(initialize_velocity, update_parameters_with_momentum, beta=0.9, **schedule):
    """Gradient descent with momentum (your two functions)."""
    def step(parameters, grads, v, t, learning_rate):
        return update_parameters_with_momentum(parameters, grads, v, beta, learning_rate)
    return Optimizer((initialize_velocity.__name__, update_parameters_with_momentum.__name__),
                     initialize_velocity, step, **schedule)


def rmsprop(initialize_rmsprop, update_parameters_with_rmsprop, beta2=0.999, epsilon=1e-8, **schedule):
    """RMSprop (your two functions)."""
    def step(parameters, grads, s, t, learning_rate):
        return update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon)
    return Optimizer((initialize_rmsprop.__name__, update_parameters_with_rmsprop.__name__),
                     initialize_rmsprop, step, **schedule)


def adam(initialize_adam, update_parameters_with_adam, beta1=0.9, beta2=0.999, epsilon=1e-8, **schedule):
    """Adam (your two functions); t counts the steps from 1."""
    def step(parameters, grads, state, t, learning_rate):
        out = update_parameters_with_adam(parameters, grads, state[0], state[1], t, learning_rate, beta1, beta2,
                                          epsilon)
        return out[0], (out[1], out[2])
    return Optimizer((initialize_adam.__name__, update_parameters_with_adam.__name__),
                     initialize_adam, step, **schedule)


# ---------------------------------------------------------------- packing

class Layout:
    """Where each layer's W and b sit in the packed columns "W1" (all weights) and "b1" (all biases)."""

    def __init__(self, layers_dims):
        self.dims = tuple(int(n) for n in layers_dims)
        self.L = len(self.dims) - 1
        sizes_w = [self.dims[l] * self.dims[l - 1] for l in range(1, self.L + 1)]
        self.w_at = np.concatenate([[0], np.cumsum(sizes_w)]).astype(int)
        self.b_at = np.concatenate([[0], np.cumsum(self.dims[1:])]).astype(int)
        self.n_w, self.n_b = int(self.w_at[-1]), int(self.b_at[-1])

    def pack(self, parameters):
        return {"W1": np.concatenate([np.asarray(parameters[f"W{l}"], dtype=float).reshape(-1, 1)
                                      for l in range(1, self.L + 1)]),
                "b1": np.concatenate([np.asarray(parameters[f"b{l}"], dtype=float).reshape(-1, 1)
                                      for l in range(1, self.L + 1)])}

    def unpack(self, packed):
        w, b = np.asarray(packed["W1"], dtype=float).ravel(), np.asarray(packed["b1"], dtype=float).ravel()
        out = {}
        for l in range(1, self.L + 1):
            out[f"W{l}"] = w[self.w_at[l - 1]:self.w_at[l]].reshape(self.dims[l], self.dims[l - 1]).copy()
            out[f"b{l}"] = b[self.b_at[l - 1]:self.b_at[l]].reshape(self.dims[l], 1).copy()
        return out


class _Stack:
    """The packed parameters of R runs, laid out so that one 2-D product per layer serves every run.

    Layer l is one matrix M_l with the bias as its last column, times the activations with a row
    of ones appended. Layer 1's M_1 stacks the runs' [W1 | b1], (R * n_1, n_0 + 1), since every run
    sees the same input; layer l > 1 is block-diagonal, (R * n_l, R * n_{l-1} + 1), with run r's W_l
    as block r and all the runs' b_l in the last column. Activations are (R * n_l + 1, k): run r's
    units are rows r * n_l ... (r + 1) * n_l - 1, and the last row is ones. The gradient
    dZ_l @ A_{l-1}^T has the shape of M_l, so one gather reads every run's packed gradients.
    """

    def __init__(self, layout, R):
        d, L = layout.dims, layout.L
        self.R, self.L, self.n_w, self.n_b = R, L, layout.n_w, layout.n_b
        shapes = [(R * d[1], d[0] + 1)] + [(R * d[l + 1], R * d[l] + 1) for l in range(1, L)]
        sizes = [a * b for a, b in shapes]
        starts = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        self.flat = np.zeros(int(starts[-1]))
        self.M = [self.flat[starts[l]:starts[l + 1]].reshape(shapes[l]) for l in range(L)]
        self.M_T = [None] + [M[:, :-1].T for M in self.M[1:]]   # for dA_{l-1} = W_l^T dZ_l
        # dZ_l @ A_{l-1}^T is written into G[l] (laid out like M), then gathered into fresh arrays
        self.gflat = np.zeros_like(self.flat)
        self.G = [self.gflat[starts[l]:starts[l + 1]].reshape(shapes[l]) for l in range(L)]
        # pos[r, q]: flat position in self.flat of entry q of run r's packed [W (n_w), b (n_b)]
        pos = np.empty((R, layout.n_w + layout.n_b), dtype=np.intp)
        for r in range(R):
            for l in range(L):
                n, p = d[l + 1], d[l]
                rows = r * n + np.arange(n)[:, None]
                cols = np.arange(p)[None, :] + (0 if l == 0 else r * p)
                width = shapes[l][1]
                pos[r, layout.w_at[l]:layout.w_at[l + 1]] = (starts[l] + rows * width + cols).ravel()
                pos[r, layout.n_w + layout.b_at[l]:layout.n_w + layout.b_at[l + 1]] = \
                    starts[l] + rows.ravel() * width + width - 1
        self.pos = pos.ravel()
        self.buffers = {}   # batch size k -> activation buffers with their row of ones

    def _buffers(self, n_x, k):
        if k not in self.buffers:
            acts = [np.ones((n_x + 1, k))] + [np.ones((M.shape[0] + 1, k)) for M in self.M[:-1]]
            self.buffers[k] = (acts, [a[:-1] for a in acts])
        return self.buffers[k]

    def load(self, packed_list):
        """Write the runs' packed parameters (a list of {"W1", "b1"}) into the layer matrices."""
        self.flat[self.pos] = np.concatenate([a for p in packed_list for a in (p["W1"], p["b1"])]).ravel()

    def step(self, Xb, Yb):
        """Forward and backward pass of every run on one mini-batch.

        Returns (g (R, n_w + n_b, 1), z_L (R, k)): each run's packed gradients of the mean
        cross-entropy over the batch ([dW; db]), and the output layer's pre-activations."""
        acts, units = self._buffers(Xb.shape[0], Xb.shape[1])
        np.copyto(units[0], Xb)
        L = self.L
        for l in range(L - 1):
            np.maximum(self.M[l] @ acts[l], 0, out=units[l + 1])
        z = self.M[L - 1] @ acts[L - 1]
        dZ = expit(z)
        dZ -= Yb
        dZ *= 1.0 / Xb.shape[1]
        for l in range(L - 1, -1, -1):
            np.matmul(dZ, acts[l].T, out=self.G[l])
            if l > 0:
                dZ = self.M_T[l] @ dZ
                dZ *= units[l] > 0
        return self.gflat[self.pos].reshape(self.R, -1, 1), z


def _cross_entropy_sums(z, Y):
    """Sum over the batch of the cross-entropy of sigmoid(z) against Y, per run: z (R, k) -> (R,)."""
    return (Y * np.logaddexp(0, -z) + (1 - Y) * np.logaddexp(0, z)).sum(axis=1)


# ---------------------------------------------------------------- training

@dataclass
class Result:
    """What one run produced."""
    parameters: dict                                 # W1, b1, ..., WL, bL after training
    costs: list = field(default_factory=list)        # mean cost of the epoch's mini-batches, every record_every epochs
    record_every: int = 100
    learning_rates: list = field(default_factory=list)   # the learning rate of every epoch
    num_epochs: int = 0
    step_costs: list = field(default_factory=list)   # with record_steps: the mean cost of every mini-batch


class StudentFunctionError(RuntimeError):
    """A student's function returned something the loop cannot use."""


def _checked(packed, names, layout, what):
    """The packed parameters a student's update returned, checked once (the first step)."""
    try:
        W, b = packed["W1"], packed["b1"]
        if np.shape(W) == (layout.n_w, 1) and np.shape(b) == (layout.n_b, 1):
            return packed
    except (TypeError, KeyError, IndexError):
        pass
    raise StudentFunctionError(f"`{names[-1]}` should return {what} as a dict of arrays W1, b1, ... shaped like "
                               f"the parameters it was given; it returned {type(packed).__name__} "
                               f"{packed if not isinstance(packed, dict) else sorted(packed)!r:.80}")


def _check_batches(batches, n_x, m, name):
    """The mini-batches of the first epoch: pairs (X (n_x, k), Y (1, k)) that hold m examples in all."""
    try:
        pairs = [(np.shape(Xb), np.shape(Yb)) for Xb, Yb in batches]
    except (TypeError, ValueError):
        raise StudentFunctionError(f"`{name}` should return a list of (mini_batch_X, mini_batch_Y) tuples") from None
    for (sx, sy) in pairs:
        if len(sx) != 2 or sx[0] != n_x or sy != (1, sx[1]):
            raise StudentFunctionError(f"`{name}` returned a mini-batch with X of shape {sx} and Y of shape {sy}; "
                                       f"expected ({n_x}, k) and (1, k)")
    if sum(sx[1] for sx, _ in pairs) != m:
        raise StudentFunctionError(f"`{name}` returned {sum(sx[1] for sx, _ in pairs)} examples in all, "
                                   f"expected the {m} of the training set")


class _Progress:
    """Progress of a long training, on stdout: a tqdm bar on a terminal; elsewhere (a notebook,
    a log) the same text as a line of its own every tenth of the run."""

    FORMAT = "{desc} [{bar:20}] {n_fmt}/{total_fmt} epochs  elapsed {elapsed}  ETA {remaining}"

    def __init__(self, total, label, on):
        from tqdm import tqdm

        self.tqdm, self.total, self.label, self.on = tqdm, total, label, on
        self.every = max(1, total // 10)
        self.tty = on and sys.stdout.isatty()
        self.start = time.monotonic()
        self.bar = tqdm(total=total, desc=label, file=sys.stdout, bar_format=self.FORMAT, ascii="-#",
                        mininterval=0.5) if self.tty else None

    def update(self, epoch):
        """epoch: how many epochs are done."""
        if not self.on:
            return
        if self.tty:
            self.bar.update(epoch - self.bar.n)
        elif epoch % self.every == 0 or epoch == self.total:
            sys.stdout.write(self.tqdm.format_meter(epoch, self.total, time.monotonic() - self.start,
                                                    prefix=self.label, bar_format=self.FORMAT, ascii="-#") + "\n")
            sys.stdout.flush()

    def close(self):
        if self.bar is not None:
            self.bar.close()


def train(X, Y, random_mini_batches, runs, layers_dims=LAYERS_DIMS, mini_batch_size=64, seed=10,
          record_every=100, record_steps=False, progress=None, initial_parameters=None):
    """Train one net per run, all on the same mini-batches, with the runs' update functions.

    Inputs:
    - X: data (n_x, m); Y: labels (1, m)
    - random_mini_batches(X, Y, mini_batch_size, seed) -> [(X_batch, Y_batch), ...]: called once per
      epoch, with seed = seed + epoch + 1, and shared by every run
    - runs: {name: Optimizer} (from gd, momentum, rmsprop, adam); each has its own learning rate,
      decay and number of epochs
    - layers_dims: widths of the net, [n_x, ..., 1]
    - record_every: record the mean cost of the epoch's mini-batches every this many epochs
    - record_steps: also record the cost of every mini-batch (before its update)
    - progress: True / False; None shows it when the runs take more than 20,000 steps in all
    - initial_parameters: the starting parameters of every run (default: initialize_parameters)

    Returns {name: Result}.
    """
    layout = Layout(layers_dims)
    start = initial_parameters if initial_parameters is not None else initialize_parameters(layers_dims)
    names = list(runs)
    params = {name: layout.pack(start) for name in names}
    states = {name: runs[name].init(layout.pack(start)) for name in names}
    results = {name: Result(parameters={}, record_every=record_every, num_epochs=runs[name].num_epochs)
               for name in names}
    total = max((r.num_epochs for r in runs.values()), default=0)
    m = X.shape[1]
    steps = sum(r.num_epochs for r in runs.values()) * -(-m // mini_batch_size)
    bar = _Progress(total, f"training {len(names)} run{'s' * (len(names) != 1)}",
                    progress if progress is not None else steps > 20_000)
    active, stack, t, n_w = None, None, 0, layout.n_w
    gc_was_on = gc.isenabled()
    gc.disable()   # millions of small dicts: the collector would only slow the loop down
    try:
        for epoch in range(total):
            now = [name for name in names if epoch < runs[name].num_epochs]
            if now != active:
                active, stack = now, _Stack(layout, len(now))
                steppers = [runs[name].step for name in active]
            rates = []
            for name in active:
                run = runs[name]
                lr = run.learning_rate if run.decay is None else \
                    float(run.decay(run.learning_rate, epoch, run.decay_rate))
                results[name].learning_rates.append(lr)
                rates.append(lr)
            record = epoch % record_every == 0
            cost_sums = 0.0
            batches = random_mini_batches(X, Y, mini_batch_size, seed + epoch + 1)
            if epoch == 0:
                _check_batches(batches, X.shape[0], m, getattr(random_mini_batches, "__name__", "random_mini_batches"))
            for Xb, Yb in batches:
                t += 1
                stack.load([params[name] for name in active])
                g, z = stack.step(Xb, Yb)
                if record or record_steps:
                    sums = _cross_entropy_sums(z, Yb)
                    cost_sums = cost_sums + sums
                    if record_steps:
                        for r, name in enumerate(active):
                            results[name].step_costs.append(float(sums[r] / Yb.shape[1]))
                for r, name in enumerate(active):
                    params[name], states[name] = steppers[r](params[name], {"dW1": g[r, :n_w], "db1": g[r, n_w:]},
                                                             states[name], t, rates[r])
                if t == 1:
                    for name in active:
                        _checked(params[name], runs[name].names, layout, "the updated parameters")
            if record:
                for r, name in enumerate(active):
                    results[name].costs.append(float(cost_sums[r] / m))
            bar.update(epoch + 1)
    finally:
        bar.close()
        if gc_was_on:
            gc.enable()
    for name in names:
        results[name].parameters = layout.unpack(params[name])
    return results
