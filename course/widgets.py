"""Slider explorers. They all follow one design:

- They take the student's functions as arguments and run them.
- Controls on top, then a PNG plot, then a status label. On every change the
  plot is redrawn first and the label is set last, so a browser test can wait
  for the label. CSS classes for tests: ``course-explorer`` on the root,
  ``course-explorer-plot`` on the image, ``course-explorer-status`` on the label
  (which also carries the message in the error state).
- Anything slow is computed once when the explorer is built; a slider step only
  looks results up and draws (well under 200 ms: ``python -m tests.benchmark``).
  Drawing reuses one matplotlib figure (no pyplot, no layout pass) and updates
  its artists in place; a position already shown is served from a cache.
- A slider may update continuously while dragged: ipywidgets keeps one message
  in flight per widget and sends only the latest value when the kernel is
  idle again, so a drag never queues a backlog of redraws.
- If a student function is still a stub, the explorer shows
  "implement `name` above first" instead of a traceback; if it raises another
  error, a one-line message names the function and the error.
- Built headless (under nbgrader or nbclient) it renders once and never blocks;
  warnings and anything the student's code prints are swallowed, so an explorer
  cell never writes to stderr.
"""

import contextlib
import html
import io
import time
import traceback
import warnings

import ipywidgets as widgets
import numpy as np

from course.plots import figure_png

PNG_DPI = 80


class StudentCodeError(Exception):
    """A student function raised; the message is ready to show."""


def _student_frame_name(exc):
    """Name of the innermost function in the traceback (where the error was raised)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return frames[-1].name if frames else "?"


def _one_line(text, limit=160):
    lines = str(text).strip().splitlines()
    line = lines[0] if lines else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def run_student_code(fn, *args, **kwargs):
    """Call a student's function; turn its failure into a StudentCodeError with a short message."""
    try:
        return fn(*args, **kwargs)
    except NotImplementedError as exc:
        name = _student_frame_name(exc)
        if name in ("<module>", "?", "<lambda>"):
            name = getattr(fn, "__name__", "the function")
        raise StudentCodeError(f"implement `{name}` above first") from None
    except Exception as exc:  # noqa: BLE001 - any student bug becomes a message
        name = getattr(fn, "__name__", "the function")
        raise StudentCodeError(f"`{name}` raised {type(exc).__name__}: {_one_line(exc)}; "
                               "fix it above and re-run this cell") from None


def message_html(text):
    return ("<div style='padding:6px 10px;background:#fff3cd;border:1px solid #e0c36c;border-radius:4px'>"
            f"⚠️ {html.escape(text)}</div>")


@contextlib.contextmanager
def quiet():
    """No warnings, no NumPy floating-point warnings, and stdout/stderr swallowed."""
    sink = io.StringIO()
    with warnings.catch_warnings(), np.errstate(all="ignore"), \
            contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        warnings.simplefilter("ignore")
        yield


def png_bytes(fig):
    """A figure made by new_figure() as PNG bytes, fast: one Agg draw (no savefig, no
    bbox_inches="tight", which draws twice), RGB, light zlib compression."""
    from PIL import Image

    fig.canvas.draw()
    buf = io.BytesIO()
    Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba()).convert("RGB") \
        .save(buf, format="png", compress_level=1)
    return buf.getvalue()


_blas = []


def single_threaded_blas():
    """Context: NumPy's BLAS on one thread (threadpoolctl, if installed). For the small
    matrix products of a redraw, BLAS threads only add overhead, and on a busy machine
    they make a 5 ms product take 100 ms."""
    if not _blas:
        try:
            from threadpoolctl import ThreadpoolController

            _blas.append(ThreadpoolController())
        except Exception:  # noqa: BLE001 - optional speed-up
            _blas.append(None)
    if _blas[0] is None:
        return contextlib.nullcontext()
    return _blas[0].limit(limits=1, user_api="blas")


def new_figure(figsize, dpi=PNG_DPI):
    """A figure outside pyplot (never shown by the inline backend, never needs closing)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


class Explorer(widgets.VBox):
    """Controls + plot + status label.

    Inputs:
    - controls: list of widgets whose ``value`` changes trigger a redraw
    - names: one keyword name per control
    - draw: callable(**values) -> (PNG bytes or a matplotlib Figure, label text);
      values are keyed by ``names``. It calls student code through
      run_student_code; a StudentCodeError it raises is shown in the label.
    - prepare: optional callable() run once before the first draw (precompute);
      a StudentCodeError it raises is shown instead of the controls and plot.
    - key: optional callable(**values) -> hashable; positions with the same key
      look the same, and a position already drawn is served from a cache.

    ``redraw_seconds`` holds the wall time of every redraw (benchmark and tests).
    """

    def __init__(self, controls, names, draw, prepare=None, key=None):
        self.controls = list(controls)
        self.names = list(names)
        self._draw = draw
        self._key = key
        self._cache = {}
        self.redraw_seconds = []
        # natural size (not stretched to the output's width), at most 760 px wide
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="760px", align_self="flex-start"))
        self.status = widgets.HTML(value="")
        self.error = None
        super().__init__([widgets.HBox(self.controls), self.image, self.status])
        self.add_class("course-explorer")
        self.image.add_class("course-explorer-plot")
        self.status.add_class("course-explorer-status")
        try:
            if prepare is not None:
                with quiet():
                    prepare()
        except StudentCodeError as exc:
            self._show_error(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a message, never a traceback in the student's notebook
            self._show_error(f"the explorer failed ({type(exc).__name__}: {_one_line(exc)})")
            return
        for c in self.controls:
            c.observe(self._on_change, names="value")
        self.redraw()

    def values(self):
        return {n: c.value for n, c in zip(self.names, self.controls)}

    def _show_error(self, text):
        """Error state: only the status label (with its class), showing the message."""
        self.error = text
        for c in self.controls:
            c.disabled = True
        self.status.value = message_html(text)
        self.children = (self.status,)

    def _on_change(self, _change):
        self.redraw()

    def clear_cache(self):
        """Forget the drawn positions (the benchmark times first visits)."""
        self._cache.clear()

    def render(self, values):
        """(PNG bytes, label) for these control values, from the cache if already drawn."""
        key = self._key(**values) if self._key is not None else None
        if key is not None and key in self._cache:
            return self._cache[key]
        with quiet():
            picture, label = self._draw(**values)
            png = picture if isinstance(picture, bytes) else figure_png(picture)
        if key is not None:
            self._cache[key] = (png, label)
        return png, label

    def redraw(self):
        start = time.perf_counter()
        try:
            png, label = self.render(self.values())
        except StudentCodeError as exc:
            self.image.layout.display = "none"
            self.status.value = message_html(str(exc))
            return
        except Exception as exc:  # noqa: BLE001
            self.image.layout.display = "none"
            self.status.value = message_html(f"the explorer failed ({type(exc).__name__}: {_one_line(exc)})")
            return
        self.image.layout.display = None
        self.image.value = png
        self.status.value = html.escape(label)  # last: tests wait for this
        self.redraw_seconds.append(time.perf_counter() - start)


# --- initialization explorer ---

def _init_explorer_weights(fn, dims):
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


_INIT_ACTIVATIONS = {
    "relu": lambda z: np.maximum(0, z),
    "tanh": np.tanh,
    "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)),
}
_INIT_BINS = 40


def _histogram(values, lo, hi, bins=_INIT_BINS):
    """np.histogram(values, bins, range=(lo, hi)) for values within [lo, hi], five times faster."""
    index = ((values - lo) * (bins / (hi - lo))).astype(np.intp)
    return np.bincount(np.clip(index, 0, bins - 1).ravel(), minlength=bins)


def _init_explorer_stats(X, layers, gain, activation):
    """What the figure shows for one position: per layer (input first) the std, the
    histogram (counts, lo, hi) and, for relu layers, the fraction of exact zeros
    (left out of the histogram)."""
    g = _INIT_ACTIVATIONS[activation]
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


class _InitExplorerFigure:
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
            edges = np.linspace(x0, x0 + w, _INIT_BINS + 1)
            self.panels.append({
                "bars": ax.stairs(np.full(_INIT_BINS, y0), edges, baseline=y0, fill=True,
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
        choices["your random ×10"] = _init_explorer_weights(initialize_parameters_random, dims)
        choices["your He"] = _init_explorer_weights(initialize_parameters_he, dims)
        figure.append(_InitExplorerFigure(n_layers))

    def draw(weights, gain, activation):
        panels = _init_explorer_stats(X, choices[weights], gain, activation)
        std = panels[-1]["std"]
        png = figure[0].render(panels, f"{activation} activations through the net; weights: {weights} × {gain:.2g}")
        return png, f"{activation}, {weights} × {gain:.2g}: layer-{n_layers} std = {std:.2g}"

    controls = [
        widgets.Dropdown(options=list(choices), value="your He", description="weights",
                         layout=widgets.Layout(width="230px")),
        widgets.FloatLogSlider(value=1.0, base=10, min=-1, max=1, step=0.05, description="× gain",
                               readout_format=".2f", layout=widgets.Layout(width="300px")),
        widgets.Dropdown(options=list(_INIT_ACTIVATIONS), value="relu", description="activation",
                         layout=widgets.Layout(width="200px")),
    ]
    return Explorer(controls, ["weights", "gain", "activation"], draw, prepare,
                    key=lambda weights, gain, activation: (weights, round(float(gain), 9), activation))


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


def _reg_boundary(xx, yy, probs):
    """The 0.5 level of the predicted probabilities, as a list of (k, 2) polylines."""
    import contourpy

    return contourpy.contour_generator(xx, yy, probs, line_type="Separate").lines(0.5)


class _RegExplorerFigure:
    """Decision regions, boundary and data, on the training set (left) and the test set
    (right). Built once; render() swaps the regions, the boundary and the titles."""

    def __init__(self, splits, resolution):
        from matplotlib.collections import LineCollection
        from matplotlib.colors import ListedColormap

        from course import plots

        self.fig = fig = new_figure((9, 3.9))
        cmap = ListedColormap(list(plots.CLASS_COLORS))
        self.title = fig.text(0.5, 0.965, "", ha="center", va="top", fontsize=11)
        self.panels = []
        for i, (X, Y) in enumerate(splits):
            ax = fig.add_axes([0.01 + 0.5 * i, 0.01, 0.48, 0.83])
            xx, yy, _ = plots.decision_grid(X, resolution)
            extent = (xx.min(), xx.max(), yy.min(), yy.max())
            regions = ax.imshow(np.zeros(xx.shape), origin="lower", extent=extent, cmap=cmap, vmin=0, vmax=1,
                                alpha=0.3, aspect="auto", interpolation="nearest")
            boundary = LineCollection([], colors="k", linewidths=0.8)
            ax.add_collection(boundary)
            labels = np.ravel(Y).astype(int)
            ax.scatter(X[0], X[1], s=12, c=[plots.CLASS_COLORS[c] for c in labels], edgecolors="k", linewidths=0.3)
            ax.set_xlim(extent[:2])
            ax.set_ylim(extent[2:])
            ax.set_xticks([])
            ax.set_yticks([])
            title = ax.set_title("", fontsize=10)
            self.panels.append({"regions": regions, "boundary": boundary, "title": title, "m": X.shape[1]})

    def render(self, model, what):
        self.title.set_text(what)
        for panel, probs, lines, split in zip(self.panels, model["probs"], model["boundary"], ("train", "test")):
            panel["regions"].set_data((probs > 0.5).astype(float))
            panel["boundary"].set_segments(lines)
            panel["title"].set_text(f"{split} set ({panel['m']} points): accuracy {model[split]:.1%}")
        return png_bytes(self.fig)


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
    figure = []

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
            raise StudentCodeError(f"training with `{names}` failed ({type(exc).__name__}: {_one_line(exc)}); "
                                   "fix them above and re-run this cell") from None
        return params

    def boundary_data(params, X):
        xx, yy, grid = plots.decision_grid(X, resolution)
        probs = nn.forward_propagation(grid, params)[0].reshape(xx.shape)
        return probs, _reg_boundary(xx, yy, probs)

    def prepare():
        state = np.random.get_state()
        try:
            for technique, grid in (("L2", _REG_LAMBDS), ("dropout", _REG_KEEP_PROBS)):
                for value in grid:
                    params = _reg_lookup(trained, technique, value)
                    if params is None:
                        params = train(technique, value)
                        if (technique, value) in (("L2", 0.0), ("dropout", 1.0)):
                            trained["none"] = params
                    (p_train, b_train), (p_test, b_test) = boundary_data(params, X_train), boundary_data(params, X_test)
                    models[(technique, value)] = {
                        "train": nn.accuracy(X_train, Y_train, params),
                        "test": nn.accuracy(X_test, Y_test, params),
                        "probs": (p_train, p_test),
                        "boundary": (b_train, b_test),
                    }
        finally:
            np.random.set_state(state)
        figure.append(_RegExplorerFigure(((X_train, Y_train), (X_test, Y_test)), resolution))

    technique_buttons = widgets.ToggleButtons(options=["L2", "dropout"], value="L2", description="technique",
                                              style={"button_width": "80px"})
    lambd_slider = widgets.FloatSlider(value=0.7, min=0.0, max=2.1, step=0.7, description="lambd",
                                       readout_format=".1f", continuous_update=False,
                                       layout=widgets.Layout(width="300px"))
    keep_prob_slider = widgets.FloatSlider(value=0.86, min=0.72, max=1.0, step=0.14, description="keep_prob",
                                           readout_format=".2f", continuous_update=False, disabled=True,
                                           layout=widgets.Layout(width="300px"))

    def on_technique(change):  # only the chosen technique's slider is active
        lambd_slider.disabled = change["new"] != "L2"
        keep_prob_slider.disabled = change["new"] != "dropout"

    technique_buttons.observe(on_technique, names="value")

    def position(technique, lambd, keep_prob):
        if technique == "L2":
            return technique, _reg_nearest(lambd, _REG_LAMBDS)
        return technique, _reg_nearest(keep_prob, _REG_KEEP_PROBS)

    def draw(technique, lambd, keep_prob):
        technique, value = position(technique, lambd, keep_prob)
        if technique == "L2":
            what = f"lambd = {value:g}" + (" (no regularization)" if value == 0 else "")
        else:
            what = f"keep_prob = {value:g}" + (" (no dropout)" if value == 1 else "")
        model = models[(technique, value)]
        return figure[0].render(model, what), f"{what}: train {model['train']:.1%}, test {model['test']:.1%}"

    return Explorer([technique_buttons, lambd_slider, keep_prob_slider], ["technique", "lambd", "keep_prob"],
                    draw, prepare, key=position)
