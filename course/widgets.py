"""Slider explorers. They all follow one design:

- They take the student's functions as arguments and run them.
- Controls on top, then a PNG plot, then a status label. On every change the
  plot is redrawn first and the label is set last, so a browser test can wait
  for the label.
- Anything slow is computed once when the explorer is built; a slider step only
  looks results up and draws (well under 200 ms).
- If a student function is still a stub, the explorer shows
  "implement `name` above first" instead of a traceback; if it raises another
  error, a one-line message names the function and the error.
- Built headless (under nbgrader or nbclient) it renders once and never blocks.
"""

import traceback

import ipywidgets as widgets

from course.plots import figure_png


class StudentCodeError(Exception):
    """A student function raised; the message is ready to show."""


def _student_frame_name(exc):
    """Name of the innermost function in the traceback (where the error was raised)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return frames[-1].name if frames else "?"


def run_student_code(fn, *args, **kwargs):
    """Call a student's function; turn its failure into a StudentCodeError with a short message."""
    try:
        return fn(*args, **kwargs)
    except NotImplementedError as exc:
        name = _student_frame_name(exc)
        if name in ("<module>", "?"):
            name = getattr(fn, "__name__", "the function")
        raise StudentCodeError(f"implement `{name}` above first") from None
    except Exception as exc:  # noqa: BLE001 - any student bug becomes a message
        name = getattr(fn, "__name__", "the function")
        raise StudentCodeError(f"`{name}` raised {type(exc).__name__}: {exc}; fix it above and re-run this cell") from None


def message_html(text):
    return f"<div style='padding:6px 10px;background:#fff3cd;border:1px solid #e0c36c;border-radius:4px'>⚠️ {text}</div>"


class Explorer(widgets.VBox):
    """Controls + plot + status label.

    Inputs:
    - controls: list of widgets whose ``value`` changes trigger a redraw
    - names: one keyword name per control
    - draw: callable(**values) -> (matplotlib Figure, label text); values are
      keyed by ``names``. It calls student code through run_student_code.
    - prepare: optional callable() run once before the first draw (precompute);
      a StudentCodeError it raises is shown instead of the plot.
    """

    def __init__(self, controls, names, draw, prepare=None):
        self.controls = list(controls)
        self.names = list(names)
        self._draw = draw
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="760px"))
        self.status = widgets.HTML(value="")
        self.error = None
        super().__init__([widgets.HBox(self.controls), self.image, self.status])
        try:
            if prepare is not None:
                prepare()
        except StudentCodeError as exc:
            self._show_error(str(exc))
            return
        for c in self.controls:
            c.observe(self._on_change, names="value")
        self.redraw()

    def values(self):
        return {n: c.value for n, c in zip(self.names, self.controls)}

    def _show_error(self, text):
        self.error = text
        for c in self.controls:
            c.disabled = True
        self.children = (widgets.HTML(message_html(text)),)

    def _on_change(self, _change):
        self.redraw()

    def redraw(self):
        try:
            fig, label = self._draw(**self.values())
        except StudentCodeError as exc:
            self.status.value = message_html(str(exc))
            return
        self.image.value = figure_png(fig)
        self.status.value = label  # last: tests wait for this


# --- initialization explorer ---

import warnings  # noqa: E402

import numpy as np  # noqa: E402


def _init_explorer_weights(fn, dims):
    """The W_l and b_l of a student initializer for layers_dims=dims, as float arrays, checked."""
    params = run_student_code(fn, list(dims))
    name = getattr(fn, "__name__", "the function")
    layers = []
    for l in range(1, len(dims)):
        try:
            W = np.asarray(params[f"W{l}"], dtype=float)
            b = np.asarray(params[f"b{l}"], dtype=float)
        except (KeyError, TypeError, ValueError):
            raise StudentCodeError(f"`{name}` should return a dict with W1..W{len(dims) - 1} and b1..b{len(dims) - 1}; "
                                   f"W{l} or b{l} is missing; fix it above and re-run this cell") from None
        if W.shape != (dims[l], dims[l - 1]) or b.shape != (dims[l], 1):
            raise StudentCodeError(f"`{name}` returned W{l} {W.shape} and b{l} {b.shape} for layers_dims={dims}; "
                                   f"expected ({dims[l]}, {dims[l - 1]}) and ({dims[l]}, 1); "
                                   f"fix it above and re-run this cell")
        layers.append((W, b))
    return layers


_INIT_ACTIVATIONS = {
    "relu": lambda z: np.maximum(0, z),
    "tanh": np.tanh,
    "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)),
}


def _init_explorer_figure(acts, stds, activation, weights_text):
    """Small multiples drawn in one axes (much faster than one axes per panel): a histogram
    per layer, titled with its std, then the std against depth on a log scale."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(9.5, 5.6))
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_axis_off()
    ax.set_xlim(0, 4)
    ax.set_ylim(0, 3.25)
    ax.text(2, 3.17, f"{activation} activations through the net; weights: {weights_text}", ha="center", va="center",
            fontsize=11)
    w, h = 0.86, 0.6
    for k, a in enumerate(acts):
        row, col = divmod(k, 4)
        x0, y0 = col + 0.07, 2 - row + 0.17
        values = a[np.isfinite(a)]
        title = ("input" if k == 0 else f"layer {k}") + f": std {stds[k]:.2g}"
        if activation == "relu" and k > 0:
            title += f" ({np.mean(values == 0):.0%} = 0)"
            values = values[values != 0]
        if values.size:
            lo, hi = float(values.min()), float(values.max())
            if activation == "relu" and k > 0:
                lo = 0.0
            if not hi > lo:
                lo, hi = lo - 0.5, hi + 0.5
            counts, edges = np.histogram(values, bins=40, range=(lo, hi))
            ax.stairs(y0 + h * counts / counts.max(), x0 + w * (edges - lo) / (hi - lo), baseline=y0, fill=True,
                      color="#7570b3" if k == 0 else "#1b9e77")
            ax.text(x0, y0 - 0.03, f"{lo:.2g}", ha="left", va="top", fontsize=7)
            ax.text(x0 + w, y0 - 0.03, f"{hi:.2g}", ha="right", va="top", fontsize=7)
        ax.plot([x0, x0 + w], [y0, y0], color="k", lw=0.6)
        ax.text(x0 + w / 2, y0 + h + 0.06, title, ha="center", va="bottom", fontsize=8.5)
    # Last panel: log10(std) against the layer index.
    x0, y0 = 3.07, 0.17
    logs = np.log10(np.where(np.isfinite(stds) & (np.asarray(stds) > 0), stds, np.nan))
    if np.all(np.isnan(logs)):
        logs = np.zeros(len(stds))
    lo, hi = np.nanmin(logs), np.nanmax(logs)
    if not hi > lo:
        lo, hi = lo - 1, hi + 1
    xs = x0 + w * np.arange(len(stds)) / (len(stds) - 1)
    ys = y0 + h * (logs - lo) / (hi - lo)
    ax.plot([x0, x0, x0 + w], [y0 + h, y0, y0], color="k", lw=0.6)
    ax.plot(xs, ys, "o-", ms=3, lw=1, color="#d95f02")
    ax.text(x0 + w / 2, y0 + h + 0.06, "std by layer (log scale)", ha="center", va="bottom", fontsize=8.5)
    ax.text(x0 - 0.02, y0 + h, f"{10 ** hi:.1g}", ha="right", va="center", fontsize=7)
    ax.text(x0 - 0.02, y0, f"{10 ** lo:.1g}", ha="right", va="center", fontsize=7)
    ax.text(x0 + w / 2, y0 - 0.03, "layer 0 … " + str(len(stds) - 1), ha="center", va="top", fontsize=7)
    return fig


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

    def prepare():
        choices["your He"] = _init_explorer_weights(initialize_parameters_he, dims)
        choices["your random ×10"] = _init_explorer_weights(initialize_parameters_random, dims)

    def draw(weights, gain, activation):
        g = _INIT_ACTIVATIONS[activation]
        acts = [X]
        with np.errstate(all="ignore"):
            for W, b in choices[weights]:
                acts.append(g((gain * W) @ acts[-1] + b))
            stds = [float(np.std(a)) for a in acts]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fig = _init_explorer_figure(acts, stds, activation, f"{weights} × {gain:.2g}")
        return fig, f"{activation}, {weights} × {gain:.2g}: layer-{n_layers} std = {stds[-1]:.2g}"

    controls = [
        widgets.Dropdown(options=list(choices), value="your He", description="weights",
                         layout=widgets.Layout(width="230px")),
        widgets.FloatLogSlider(value=1.0, base=10, min=-1, max=1, step=0.05, description="× gain",
                               readout_format=".2f", layout=widgets.Layout(width="300px")),
        widgets.Dropdown(options=list(_INIT_ACTIVATIONS), value="relu", description="activation",
                         layout=widgets.Layout(width="200px")),
    ]
    return Explorer(controls, ["weights", "gain", "activation"], draw, prepare)


# --- regularization explorer ---

_REG_LAMBDS = (0.0, 0.7, 1.4, 2.1)
_REG_KEEP_PROBS = (0.72, 0.86, 1.0)
# Each extra position costs one training (about 0.5 s for L2, 0.8 s for dropout), so the grids reuse
# the notebook's three models (lambd = 0 and keep_prob = 1 are the plain net) and add three trainings.


def _reg_nearest(value, grid):
    return min(grid, key=lambda g: abs(g - value))


def _reg_lookup(trained, technique, value):
    """The parameters trained with `technique` at `value` (compared to 1e-6), or None."""
    for key, params in trained.items():
        if isinstance(key, tuple) and key[0] == technique and abs(float(key[1]) - value) < 1e-6:
            return params
    if (technique, value) in (("L2", 0.0), ("dropout", 1.0)):
        return trained.get("none")  # lambd = 0 and keep_prob = 1 are the plain net
    return None


def regularization_explorer(compute_cost_with_regularization, backward_propagation_with_regularization,
                            forward_propagation_with_dropout, backward_propagation_with_dropout,
                            X_train, Y_train, X_test, Y_test, initial_parameters, trained=None,
                            learning_rate=0.3, num_iterations=10000, resolution=150):
    """Compare the decision boundaries of L2 regularization and dropout, on train and test data.

    A toggle picks the technique, then its slider picks the strength:
    lambd in {0, 0.7, 1.4, 2.1} for L2, keep_prob in {0.72, 0.86, 1} for dropout (a
    typed value snaps to the nearest of these). lambd = 0 and
    keep_prob = 1 are the unregularized net. Every position not in `trained` is
    trained once when the explorer is built, with your four functions, from
    initial_parameters, with np.random.seed(1) before each dropout training (as in
    the notebook); a slider step then only draws. The label reads e.g.
    "lambd = 0.7: train 94.7%, test 90.8%".

    Inputs:
    - your four graded functions
    - X_train (2, m_train), Y_train (1, m_train), X_test (2, m_test), Y_test (1, m_test)
    - initial_parameters: the starting parameters of every training
    - trained: models already trained with the same settings, not trained again:
      {"none": parameters, ("L2", lambd): parameters, ("dropout", keep_prob): parameters}
    - learning_rate, num_iterations: as in the notebook's trainings
    """
    from course import nn, plots

    trained = dict(trained or {})
    models = {}  # (technique, value) -> dict of results

    def student(fn):
        """fn wrapped so that a stub or a crash becomes a StudentCodeError naming it."""
        return lambda *args: run_student_code(fn, *args)

    def train(technique, value):
        if (technique, value) in (("L2", 0.0), ("dropout", 1.0)):
            kwargs = {}  # the plain net: nn's own forward, backward and cost
        elif technique == "L2":
            cost, backward = student(compute_cost_with_regularization), student(backward_propagation_with_regularization)
            kwargs = {"cost": lambda A3, Y, p: cost(A3, Y, p, value),
                      "backward": lambda X, Y, c: backward(X, Y, c, value)}
        else:
            forward, backward = student(forward_propagation_with_dropout), student(backward_propagation_with_dropout)
            kwargs = {"forward": lambda X, p: forward(X, p, value),
                      "backward": lambda X, Y, c: backward(X, Y, c, value)}
            np.random.seed(1)
        try:
            params, _ = nn.train(X_train, Y_train, initial_parameters, learning_rate=learning_rate,
                                 num_iterations=num_iterations, record_every=num_iterations, **kwargs)
        except StudentCodeError:
            raise
        except Exception as exc:  # noqa: BLE001 - e.g. a gradient dict without dW1
            names = ("compute_cost_with_regularization` and `backward_propagation_with_regularization"
                     if technique == "L2" else
                     "forward_propagation_with_dropout` and `backward_propagation_with_dropout")
            raise StudentCodeError(f"training with `{names}` failed ({type(exc).__name__}: {exc}); "
                                   "fix them above and re-run this cell") from None
        return params

    def grid_probs(params, X):
        xx, yy, grid = plots.decision_grid(X, resolution)
        return nn.forward_propagation(grid, params)[0].reshape(xx.shape)

    def prepare():
        state = np.random.get_state()
        try:
            with np.errstate(all="ignore"):
                for technique, grid in (("L2", _REG_LAMBDS), ("dropout", _REG_KEEP_PROBS)):
                    for value in grid:
                        params = _reg_lookup(trained, technique, value)
                        if params is None:
                            params = train(technique, value)
                            if (technique, value) in (("L2", 0.0), ("dropout", 1.0)):
                                trained["none"] = params
                        models[(technique, value)] = {
                            "train": nn.accuracy(X_train, Y_train, params),
                            "test": nn.accuracy(X_test, Y_test, params),
                            "probs": (grid_probs(params, X_train), grid_probs(params, X_test)),
                        }
        finally:
            np.random.set_state(state)

    lambd_slider = widgets.FloatSlider(value=0.7, min=0.0, max=2.1, step=0.7, description="lambd",
                                       readout_format=".1f", continuous_update=False,
                                       layout=widgets.Layout(width="300px"))
    keep_prob_slider = widgets.FloatSlider(value=0.86, min=0.72, max=1.0, step=0.14, description="keep_prob",
                                           readout_format=".2f", continuous_update=False,
                                           layout=widgets.Layout(width="300px"))
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap(list(plots.CLASS_COLORS))
    technique_buttons = widgets.ToggleButtons(options=["L2", "dropout"], value="L2", description="technique",
                                              style={"button_width": "80px"})

    def draw(technique, lambd, keep_prob):
        import matplotlib.pyplot as plt

        lambd_slider.disabled = technique != "L2"
        keep_prob_slider.disabled = technique != "dropout"
        if technique == "L2":
            value = _reg_nearest(lambd, _REG_LAMBDS)
            what = f"lambd = {value:g}" + (" (no regularization)" if value == 0 else "")
        else:
            value = _reg_nearest(keep_prob, _REG_KEEP_PROBS)
            what = f"keep_prob = {value:g}" + (" (no dropout)" if value == 1 else "")
        model = models[(technique, value)]
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.9))
        for ax, X, Y, probs, split in zip(axes, (X_train, X_test), (Y_train, Y_test), model["probs"],
                                          ("train", "test")):
            xx, yy, _ = plots.decision_grid(X, resolution)
            ax.imshow(probs > 0.5, origin="lower", extent=(xx.min(), xx.max(), yy.min(), yy.max()),
                      cmap=cmap, vmin=0, vmax=1, alpha=0.3, aspect="auto", interpolation="nearest")
            ax.contour(xx, yy, probs, levels=[0.5], colors="k", linewidths=0.8)
            labels = np.ravel(Y).astype(int)
            ax.scatter(X[0], X[1], s=12, c=[plots.CLASS_COLORS[c] for c in labels], edgecolors="k", linewidths=0.3)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(f"{split} set ({X.shape[1]} points): accuracy {model[split]:.1%}", fontsize=10)
        fig.suptitle(what, fontsize=11)
        fig.tight_layout()
        return fig, f"{what}: train {model['train']:.1%}, test {model['test']:.1%}"

    return Explorer([technique_buttons, lambd_slider, keep_prob_slider], ["technique", "lambd", "keep_prob"],
                    draw, prepare)

