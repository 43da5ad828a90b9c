"""Explorer of the initialization notebook: activations and gradients of a deep net under He and random init.

Fast by construction: a slider step computes at most one forward and one backward pass (in
float32; none at all for relu, see _relu_at) and redraws only the artists that change, on a
fastdraw.Canvas made once (static part cached, texts from a glyph cache).
"""

import ipywidgets as widgets
import numpy as np

from course.widgets.explorer import Canvas, Explorer, StudentCodeError, run_student_code, single_threaded_blas


def _weights(fn, dims):
    """The W_l and b_l of a student initializer for layers_dims=dims, as float arrays, checked."""
    params = run_student_code(fn, list(dims))
    name = getattr(fn, "__name__", "the function")
    layers = []
    for l in range(1, len(dims)):
        try:
            W = np.asarray(params[f"W{l}"], dtype=float)
            b = np.asarray(params[f"b{l}"], dtype=float)
        except (KeyError, TypeError, ValueError, IndexError):
            raise StudentCodeError(f"`{name}` should return a dict with W1..W{len(dims) - 1} and b1..b{len(dims) - 1}; "
                                   f"W{l} or b{l} is missing; fix it above and re-run this cell") from None
        if W.shape != (dims[l], dims[l - 1]) or b.shape != (dims[l], 1):
            raise StudentCodeError(f"`{name}` returned W{l} {W.shape} and b{l} {b.shape} for layers_dims={dims}; "
                                   f"expected ({dims[l]}, {dims[l - 1]}) and ({dims[l]}, 1); "
                                   f"fix it above and re-run this cell")
        layers.append((W, b))
    return layers


def _tanh_slope(z, a):
    """1 / cosh(z)^2 from exp(-2|z|): no overflow, and 0 below 1e-34 (float32 denormals are slow)."""
    t = np.minimum(np.abs(z), 40)
    e = np.exp(-2 * t)
    return np.where(t < 40, 4 * e / (1 + e) ** 2, 0).astype(z.dtype)


def _sigmoid_slope(z, a):
    """sigmoid(z) (1 - sigmoid(z)) = exp(-|z|) / (1 + exp(-|z|))^2, 0 below 1e-35."""
    t = np.minimum(np.abs(z), 80)
    e = np.exp(-t)
    return np.where(t < 80, e / (1 + e) ** 2, 0).astype(z.dtype)


# activation g and its derivative g'(z), written with z and a = g(z); the slopes of tanh and sigmoid come
# from exp(-|z|), not from 1 - a^2 or a (1 - a), which are 0 in float32 as soon as |z| > 9 or 17
_ACTIVATIONS = {
    "relu": (lambda z: np.maximum(0, z), lambda z, a: (z > 0).astype(z.dtype)),
    "tanh": (np.tanh, _tanh_slope),
    "sigmoid": (lambda z: 0.5 * (1 + np.tanh(0.5 * z)), _sigmoid_slope),
}
_BINS = 40
_HIST_M = 250  # the histograms count the activations of the first 250 inputs (enough for 40 bins, and fast)


def _histogram(values, lo, hi, bins=_BINS):
    """np.histogram(values, bins, range=(lo, hi)) for values within [lo, hi], five times faster."""
    index = ((values - lo) * (bins / (hi - lo))).astype(np.intp)
    return np.bincount(np.clip(index, 0, bins - 1).ravel(), minlength=bins)


def _layer_stats(a, relu):
    """What a histogram panel shows: the std, the histogram (counts, lo, hi) of the first
    _HIST_M inputs' activations over the range of all of them, and, for relu layers, the
    fraction of exact zeros (left out of the histogram)."""
    finite = np.isfinite(a).all()
    values = a if finite else a[np.isfinite(a)]
    zeros = int(values.size - np.count_nonzero(values)) if relu else 0
    hist = None
    if values.size > zeros:
        lo, hi = (0.0 if relu else float(values.min())), float(values.max())
        if not hi > lo:
            lo, hi = lo - 0.5, hi + 0.5
        sample = a[:, :_HIST_M] if finite else values[:_HIST_M * a.shape[0]]
        counts = _histogram(sample, lo, hi)
        if relu:
            counts[0] -= sample.size - np.count_nonzero(sample)  # the zeros all fall in the first bin (lo = 0)
        hist = (counts, lo, hi)
    return {"std": _std(a), "zeros": zeros / max(values.size, 1) if relu else None, "hist": hist}


def _std(a):
    """np.std in the array's precision, or in float64 if that overflows (exploding float32 values)."""
    std = float(np.std(a))
    return std if np.isfinite(std) or not np.isfinite(a).all() else float(np.std(a, dtype=np.float64))


def _stats(X, R, layers, gain, activation, dtype=np.float64):
    """One forward and one backward pass through the net (weights times gain), in `dtype`.

    Forward: A[0] = X, A[l] = g(gain W_l A[l-1] + b_l). Backward from dA[L] = R, the gradient
    of the stand-in cost J = (1/m) sum(R * A[L]), with the course's formulas:
    dZ[l] = dA[l] * g'(Z[l]), dW[l] = dZ[l] A[l-1]^T / m, dA[l-1] = (gain W_l)^T dZ[l].
    Returns {"panels": per layer 0..L (see _layer_stats), "grad_std": std of dA[l] for
    l = 1..L, "dW": Frobenius norm of dW[l] for l = 1..L}."""
    g, dg = _ACTIVATIONS[activation]
    m = X.shape[1]
    layers = [((gain * W).astype(dtype), b.astype(dtype)) for W, b in layers]
    A, G = [X.astype(dtype)], []
    with single_threaded_blas(), np.errstate(all="ignore"):  # small products: threads only add contention
        for W, b in layers:
            z = W @ A[-1] + b
            A.append(g(z))
            G.append(dg(z, A[-1]))
        dA, grad_std, dW = R.astype(dtype), [], []
        for l in range(len(layers), 0, -1):
            grad_std.append(_std(dA))
            dZ = dA * G[l - 1]
            dW.append(float(np.linalg.norm((dZ @ A[l - 1].T).astype(np.float64)) / m))
            if l > 1:
                dA = layers[l - 1][0].T @ dZ
    panels = [_layer_stats(a, activation == "relu" and k > 0) for k, a in enumerate(A)]
    return {"panels": panels, "grad_std": np.array(grad_std[::-1]), "dW": np.array(dW[::-1])}


def _relu_at(base, gain):
    """The stats of a relu net with zero biases at `gain`, from its stats at gain 1 (`base`).

    relu(c z) = c relu(z) for c > 0, so with b = 0 every A[k] is gain**k times its value at
    gain 1 (same histogram, range times gain**k, same zeros), dA[l] is gain**(L - l) times,
    and dW[l] = dZ[l] A[l-1]^T / m is gain**(L - 1) times: one pass serves the whole slider."""
    L = len(base["panels"]) - 1
    panels = []
    for k, p in enumerate(base["panels"]):
        scale = gain ** k
        hist = p["hist"] and (p["hist"][0], p["hist"][1] * scale, p["hist"][2] * scale)
        panels.append({"std": p["std"] * scale, "zeros": p["zeros"], "hist": hist})
    return {"panels": panels, "grad_std": base["grad_std"] * gain ** (L - np.arange(1, L + 1)),
            "dW": base["dW"] * gain ** (L - 1)}


def _log10(values):
    values = np.asarray(values, dtype=float)
    with np.errstate(all="ignore"):
        return np.log10(np.where(np.isfinite(values) & (values > 0), values, np.nan))


_SERIES = (("std of A[l]: activations (forward)", "#d95f02", "o"),
           ("std of dA[l]: gradients (backward)", "#7570b3", "s"),
           ("‖dW[l]‖: weight gradients", "#1b9e77", "^"))


class _Figure:
    """Small multiples drawn in one axes (much faster than one axes per panel): a histogram
    per layer, titled with its std, a legend, and below them the sizes of the activations and
    of the gradients against depth on a log scale. Built once; render() updates the artists
    in place and returns PNG bytes."""

    W, H = 0.86, 0.6  # histogram panel size in data units; panel k sits in column k % 4, row k // 4
    LINES = (0.62, 0.33, 3.25, 0.75)  # the lines panel: x0, y0, width, height
    TICKS = 7  # at most this many y tick labels (powers of ten)

    def __init__(self, n_layers):
        self.n_layers = n_layers
        self.n_panels = n_layers + 1
        self.rows = (self.n_panels + 1 + 3) // 4  # + the legend
        self.top = self.rows + 1.55  # the title, the histogram rows, then the lines panel
        self.canvas = canvas = Canvas((9.5, 1.45 * self.top))
        dynamic = canvas.dynamic
        self.ax = ax = canvas.fig.add_axes([0, 0, 1, 1])
        ax.set_axis_off()
        ax.set_xlim(0, 4)
        ax.set_ylim(0, self.top)
        self.title = dynamic(ax.text(2, self.top - 0.1, "", ha="center", va="center", fontsize=11))
        self.panels = []
        w, h = self.W, self.H
        for k in range(self.n_panels):
            x0, y0 = self._origin(k)
            edges = np.linspace(x0, x0 + w, _BINS + 1)
            self.panels.append({
                "bars": dynamic(ax.stairs(np.full(_BINS, y0), edges, baseline=y0, fill=True,
                                          color="#7570b3" if k == 0 else "#1b9e77")),
                "range": dynamic(ax.text(x0 + w / 2, y0 - 0.03, "", ha="center", va="top", fontsize=7)),
                "title": dynamic(ax.text(x0 + w / 2, y0 + h + 0.06, "", ha="center", va="bottom", fontsize=8.5)),
            })
            ax.plot([x0, x0 + w], [y0, y0], color="k", lw=0.6)
        # the legend, in the slot after the last histogram
        x0, y0 = self._origin(self.n_panels)
        for i, (label, color, marker) in enumerate(_SERIES):
            y = y0 + h - 0.1 - 0.16 * i
            ax.plot([x0, x0 + 0.08], [y, y], marker + "-", ms=3, lw=1, color=color)
            ax.text(x0 + 0.11, y, label, ha="left", va="center", fontsize=7.5)
        ax.text(x0, y0 + h - 0.6, "backward pass started from dA[L] = noise", ha="left", va="center", fontsize=7)
        # the lines panel: log10 of the sizes against the layer index
        x0, y0, w, h = self.LINES
        ax.plot([x0, x0, x0 + w], [y0 + h, y0, y0], color="k", lw=0.6)
        ax.text(x0 + w / 2, y0 + h + 0.05, "sizes by layer (log scale): activations forward, gradients backward",
                ha="center", va="bottom", fontsize=8.5)
        self.xs = x0 + w * np.arange(self.n_panels) / n_layers
        for k, x in enumerate(self.xs):
            ax.text(x, y0 - 0.03, f"{k}", ha="center", va="top", fontsize=7)
        ax.text(x0 + w / 2, y0 - 0.17, "layer l", ha="center", va="top", fontsize=7)
        self.grid = dynamic(ax.plot([], [], color="#dddddd", lw=0.6, zorder=1)[0])
        self.ticks = [dynamic(ax.text(x0 - 0.02, y0, "", ha="right", va="center", fontsize=7))
                      for _ in range(self.TICKS)]
        self.lines = [dynamic(ax.plot([], [], marker + "-", ms=3, lw=1, color=color)[0]) for _, color, marker in _SERIES]
        self.note = dynamic(ax.text(x0 + w / 2, y0 + h / 2, "", ha="center", va="center", fontsize=8, color="#555555"))

    def _origin(self, k):
        row, col = divmod(k, 4)
        return col + 0.07, self.top - 1.08 - row

    def render(self, stats, title):
        w, h = self.W, self.H
        panels = stats["panels"]
        self.title.set_text(title)
        for k, (layer, artists) in enumerate(zip(panels, self.panels)):
            x0, y0 = self._origin(k)
            text = ("input" if k == 0 else f"layer {k}") + f": std {layer['std']:.2g}"
            if layer["zeros"] is not None:
                text += f" ({layer['zeros']:.0%} = 0)"
            artists["title"].set_text(text)
            if layer["hist"] is None:
                artists["bars"].set_visible(False)
                artists["range"].set_text("")
                continue
            counts, lo, hi = layer["hist"]
            artists["bars"].set_visible(True)
            artists["bars"].set_data(y0 + h * counts / max(counts.max(), 1))
            artists["range"].set_text(f"{lo:.2g} … {hi:.2g}")
        self._lines([[p["std"] for p in panels], [np.nan, *stats["grad_std"]], [np.nan, *stats["dW"]]])
        return self.canvas.png()

    def _lines(self, series):
        """The three series on one log scale, powers of ten as grid lines; a note if a gradient is 0."""
        x0, y0, w, h = self.LINES
        logs = [_log10(s) for s in series]
        finite = np.concatenate([v[np.isfinite(v)] for v in logs])
        lo, hi = (np.floor(finite.min()), np.ceil(finite.max())) if finite.size else (-1.0, 1.0)
        if not hi > lo:
            lo, hi = lo - 1, hi + 1
        for line, v in zip(self.lines, logs):
            line.set_data(self.xs, y0 + h * (v - lo) / (hi - lo))
        step = max(1, int(np.ceil((hi - lo) / (self.TICKS - 1))))
        powers = np.arange(hi, lo - 0.5, -step)
        ys = y0 + h * (powers - lo) / (hi - lo)
        self.grid.set_data(np.tile([x0, x0 + w, np.nan], len(ys)), np.repeat(ys, 3))
        for i, tick in enumerate(self.ticks):
            if i < len(powers):
                tick.set_text("1" if powers[i] == 0 else f"1e{int(powers[i]):+03d}")
                tick.set_y(ys[i])
            else:
                tick.set_text("")
        zeros = [name.split(":")[0] for (name, _, _), s in zip(_SERIES[1:], series[1:]) if np.any(np.asarray(s) == 0)]
        self.note.set_text(f"{' and '.join(zeros)}: exactly 0 at some layers (not shown): saturated units pass "
                           "no gradient back" if zeros else "")


def activation_explorer(initialize_parameters_he, initialize_parameters_random, n_layers=10, width=100, m=1000):
    """Watch activations and gradients vanish or explode through a deep net.

    A net of n_layers layers, each `width` units wide, gets m random standard-normal
    inputs. The weights come from your initializer (called with
    layers_dims = [width] * (n_layers + 1)) or from Xavier's randn * sqrt(1/n),
    times the gain of the slider. Each panel is the histogram of one layer's
    activations, titled with their standard deviation. Below, against the depth on a
    log scale: the std of the activations A[l] (forward pass), and of the gradients of a
    backward pass started from random noise at the last layer: the std of dA[l] and the
    norm of dW[l].

    Inputs:
    - initialize_parameters_he, initialize_parameters_random: your two functions
    - n_layers, width, m: depth and width of the net, number of inputs
    """
    dims = [width] * (n_layers + 1)
    X = np.random.RandomState(0).randn(width, m)
    R = np.random.RandomState(2).randn(width, m)  # dA[L], the same for every position
    rng = np.random.RandomState(1)
    xavier = [(rng.randn(width, width) * np.sqrt(1.0 / width), np.zeros((width, 1))) for _ in range(n_layers)]
    choices = {"your He": None, "your random ×10": None, "Xavier sqrt(1/n)": xavier}
    relu_base = {}  # weights -> stats at gain 1 (relu, zero biases)
    figure = []

    def prepare():
        # in the notebook's order, so the message names the first function still to write
        choices["your random ×10"] = _weights(initialize_parameters_random, dims)
        choices["your He"] = _weights(initialize_parameters_he, dims)
        figure.append(_Figure(n_layers))

    def stats(weights, gain, activation):
        layers = choices[weights]
        if activation != "relu" or any(np.any(b) for _, b in layers):  # a pass per position, in float32
            return _stats(X, R, layers, gain, activation, np.float32)
        if weights not in relu_base:
            relu_base[weights] = _stats(X, R, layers, 1.0, "relu")
        return _relu_at(relu_base[weights], gain)

    def draw(weights, gain, activation):
        result = stats(weights, gain, activation)
        std, dW = result["panels"][-1]["std"], result["dW"]
        png = figure[0].render(result, f"{activation} activations through the net; weights: {weights} × {gain:.2g}")
        return png, (f"{activation}, {weights} × {gain:.2g}: layer-{n_layers} std = {std:.2g}; "
                     f"‖dW1‖ = {dW[0]:.2g}, ‖dW{n_layers}‖ = {dW[-1]:.2g}")

    controls = [
        widgets.Dropdown(options=list(choices), value="your He", description="weights",
                         layout=widgets.Layout(width="230px")),
        widgets.FloatLogSlider(value=1.0, base=10, min=-1, max=1, step=0.05, description="× gain",
                               readout_format=".2f", layout=widgets.Layout(width="300px")),
        widgets.Dropdown(options=list(_ACTIVATIONS), value="relu", description="activation",
                         layout=widgets.Layout(width="200px")),
    ]
    return Explorer(controls, ["weights", "gain", "activation"], draw, prepare,
                    key=lambda weights, gain, activation: (weights, round(float(gain), 9), activation))
