"""Explorer of the initialization notebook: activations of a deep net under He and random init."""

import ipywidgets as widgets
import numpy as np

from course.widgets.explorer import (Explorer, StudentCodeError, new_figure, png_bytes, run_student_code,
                                     single_threaded_blas)


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


_ACTIVATIONS = {
    "relu": lambda z: np.maximum(0, z),
    "tanh": np.tanh,
    "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)),
}
_BINS = 40


def _histogram(values, lo, hi, bins=_BINS):
    """np.histogram(values, bins, range=(lo, hi)) for values within [lo, hi], five times faster."""
    index = ((values - lo) * (bins / (hi - lo))).astype(np.intp)
    return np.bincount(np.clip(index, 0, bins - 1).ravel(), minlength=bins)


def _stats(X, layers, gain, activation):
    """What the figure shows for one position: per layer (input first) the std, the
    histogram (counts, lo, hi) and, for relu layers, the fraction of exact zeros
    (left out of the histogram)."""
    g = _ACTIVATIONS[activation]
    a = X
    panels = []
    with single_threaded_blas():  # small products: threads only add contention
        for k in range(len(layers) + 1):
            if k > 0:
                W, b = layers[k - 1]
                a = g((gain * W) @ a + b)
            values = a if np.isfinite(a).all() else a[np.isfinite(a)]
            relu = activation == "relu" and k > 0
            zeros = int(values.size - np.count_nonzero(values)) if relu else 0
            hist = None
            if values.size > zeros:
                lo, hi = (0.0 if relu else float(values.min())), float(values.max())
                if not hi > lo:
                    lo, hi = lo - 0.5, hi + 0.5
                counts = _histogram(values, lo, hi)
                counts[0] -= zeros  # the zeros all fall in the first bin (lo = 0)
                hist = (counts, lo, hi)
            panels.append({"std": float(np.std(a)), "zeros": zeros / max(values.size, 1) if relu else None,
                           "hist": hist})
    return panels


class _Figure:
    """Small multiples drawn in one axes (much faster than one axes per panel): a histogram
    per layer, titled with its std, then the std against depth on a log scale. Built once;
    render() updates the artists in place and returns PNG bytes."""

    W, H = 0.86, 0.6  # panel size in data units; panel k sits in column k % 4, row k // 4

    def __init__(self, n_layers):
        self.n_panels = n_layers + 1
        self.rows = (self.n_panels + 1 + 3) // 4  # + the std panel
        self.fig = fig = new_figure((9.5, 1.8 * self.rows + 0.2))
        self.ax = ax = fig.add_axes([0, 0, 1, 1])
        ax.set_axis_off()
        ax.set_xlim(0, 4)
        ax.set_ylim(0, self.rows + 0.25)
        self.title = ax.text(2, self.rows + 0.17, "", ha="center", va="center", fontsize=11)
        self.panels = []
        w, h = self.W, self.H
        for k in range(self.n_panels):
            x0, y0 = self._origin(k)
            edges = np.linspace(x0, x0 + w, _BINS + 1)
            self.panels.append({
                "bars": ax.stairs(np.full(_BINS, y0), edges, baseline=y0, fill=True,
                                  color="#7570b3" if k == 0 else "#1b9e77"),
                "range": ax.text(x0 + w / 2, y0 - 0.03, "", ha="center", va="top", fontsize=7),
                "title": ax.text(x0 + w / 2, y0 + h + 0.06, "", ha="center", va="bottom", fontsize=8.5),
            })
            ax.plot([x0, x0 + w], [y0, y0], color="k", lw=0.6)
        # Last panel: log10(std) against the layer index.
        x0, y0 = self._origin(self.n_panels)
        ax.plot([x0, x0, x0 + w], [y0 + h, y0, y0], color="k", lw=0.6)
        self.std_line, = ax.plot([], [], "o-", ms=3, lw=1, color="#d95f02")
        ax.text(x0 + w / 2, y0 + h + 0.06, "std by layer (log scale)", ha="center", va="bottom", fontsize=8.5)
        self.std_hi = ax.text(x0 - 0.02, y0 + h, "", ha="right", va="center", fontsize=7)
        self.std_lo = ax.text(x0 - 0.02, y0, "", ha="right", va="center", fontsize=7)
        ax.text(x0 + w / 2, y0 - 0.03, f"layer 0 … {self.n_panels - 1}", ha="center", va="top", fontsize=7)

    def _origin(self, k):
        row, col = divmod(k, 4)
        return col + 0.07, self.rows - 1 - row + 0.17

    def render(self, panels, title):
        w, h = self.W, self.H
        self.title.set_text(title)
        for k, (stats, artists) in enumerate(zip(panels, self.panels)):
            x0, y0 = self._origin(k)
            text = ("input" if k == 0 else f"layer {k}") + f": std {stats['std']:.2g}"
            if stats["zeros"] is not None:
                text += f" ({stats['zeros']:.0%} = 0)"
            artists["title"].set_text(text)
            if stats["hist"] is None:
                artists["bars"].set_visible(False)
                artists["range"].set_text("")
                continue
            counts, lo, hi = stats["hist"]
            artists["bars"].set_visible(True)
            artists["bars"].set_data(y0 + h * counts / max(counts.max(), 1))
            artists["range"].set_text(f"{lo:.2g} … {hi:.2g}")
        stds = np.array([p["std"] for p in panels])
        logs = np.log10(np.where(np.isfinite(stds) & (stds > 0), stds, np.nan))
        if np.all(np.isnan(logs)):
            logs = np.zeros(len(stds))
        lo, hi = np.nanmin(logs), np.nanmax(logs)
        if not hi > lo:
            lo, hi = lo - 1, hi + 1
        x0, y0 = self._origin(self.n_panels)
        self.std_line.set_data(x0 + w * np.arange(len(stds)) / (len(stds) - 1), y0 + h * (logs - lo) / (hi - lo))
        self.std_hi.set_text(f"{10 ** hi:.2g}")
        self.std_lo.set_text(f"{10 ** lo:.2g}")
        return png_bytes(self.fig)


def activation_explorer(initialize_parameters_he, initialize_parameters_random, n_layers=10, width=100, m=1000):
    """Watch activations vanish or explode through a deep net.

    A net of n_layers layers, each `width` units wide, gets m random standard-normal
    inputs. The weights come from your initializer (called with
    layers_dims = [width] * (n_layers + 1)) or from Xavier's randn * sqrt(1/n),
    times the gain of the slider. Each panel is the histogram of one layer's
    activations, titled with their standard deviation; the last panel plots the
    standard deviation against the depth (log scale).

    Inputs:
    - initialize_parameters_he, initialize_parameters_random: your two functions
    - n_layers, width, m: depth and width of the net, number of inputs
    """
    dims = [width] * (n_layers + 1)
    X = np.random.RandomState(0).randn(width, m)
    rng = np.random.RandomState(1)
    xavier = [(rng.randn(width, width) * np.sqrt(1.0 / width), np.zeros((width, 1))) for _ in range(n_layers)]
    choices = {"your He": None, "your random ×10": None, "Xavier sqrt(1/n)": xavier}
    figure = []

    def prepare():
        # in the notebook's order, so the message names the first function still to write
        choices["your random ×10"] = _weights(initialize_parameters_random, dims)
        choices["your He"] = _weights(initialize_parameters_he, dims)
        figure.append(_Figure(n_layers))

    def draw(weights, gain, activation):
        panels = _stats(X, choices[weights], gain, activation)
        std = panels[-1]["std"]
        png = figure[0].render(panels, f"{activation} activations through the net; weights: {weights} × {gain:.2g}")
        return png, f"{activation}, {weights} × {gain:.2g}: layer-{n_layers} std = {std:.2g}"

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
