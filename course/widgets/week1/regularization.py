"""Explorer of the regularization notebook: L2 and dropout on the noisy moons, train and dev sets.

Fast by construction (a slider step is a few array operations and one small
PNG): everything that does not depend on the position is drawn once, with
matplotlib, when the explorer is built: the points, frames and titles, over a
background of either class's colour. A position's picture is then composed in
NumPy, on palette indices: each pixel of a panel takes its background from the
model's decision at that pixel (computed once per model at build time), the
boundary is the pixels where the decision changes, and the weight bars are
filled rectangles. The image is an 8-bit palette PNG of about 640 x 230 pixels.
"""

import io

import ipywidgets as widgets
import numpy as np

from course.widgets.explorer import Explorer, StudentCodeError, _one_line, new_figure, run_student_code

LAMBDS = (0.0, 0.7, 1.4)
KEEP_PROBS = (0.72, 0.86, 1.0)
# lambd = 0 and keep_prob = 1 are the plain net; every other position is one training (the notebook
# trains them all before it shows the explorer, to choose on the dev set, and passes them in `trained`)

FIGSIZE, DPI = (8.0, 2.9), 80
BOUNDARY, BAR, BAR_PLAIN = "#000000", "#4c72b0", "#d0d0d0"


def _nearest(value, grid):
    return min(grid, key=lambda g: abs(g - value))


def _lookup(trained, technique, value):
    """The parameters trained with `technique` at `value` (compared to 1e-6), or None."""
    for key, params in trained.items():
        if isinstance(key, tuple) and key[0] == technique and abs(float(key[1]) - value) < 1e-6:
            return params
    if (technique, value) in (("L2", 0.0), ("dropout", 1.0)):
        return trained.get("none")  # lambd = 0 and keep_prob = 1 are the plain net
    return None


def unit_contributions(parameters):
    """How much each unit of hidden layer 1 can pass on: |W1[j, :]| * |W2[:, j]| (Euclidean norms),
    shape (n1,). A unit whose contribution is 0 is switched off: it plays no part in the output."""
    W1, W2 = np.asarray(parameters["W1"], dtype=float), np.asarray(parameters["W2"], dtype=float)
    return np.linalg.norm(W1, axis=1) * np.linalg.norm(W2, axis=0)


def _hex(color):
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def _blend(color, alpha=0.3):
    """The colour at `alpha` over white, as the decision regions are shaded."""
    return "#" + "".join(f"{round(255 - alpha * (255 - c)):02x}" for c in _hex(color))


class _Picture:
    """Two decision panels (training and dev set, same extent) and a bar chart of the layer-1
    units' contributions, composed on palette indices (see the module docstring)."""

    def __init__(self, X_train, Y_train, X_dev, Y_dev, n_units, bar_max):
        from PIL import Image

        from course import plots

        fig = new_figure(FIGSIZE, DPI)
        X_all = np.hstack([X_train, X_dev])
        lo, hi = X_all.min(axis=1) - 0.5, X_all.max(axis=1) + 0.5
        data_axes = []
        for i, (X, Y, title) in enumerate(((X_train, Y_train, "training set"), (X_dev, Y_dev, "dev set"))):
            ax = fig.add_axes([0.005 + 0.395 * i, 0.02, 0.385, 0.86])
            labels = np.ravel(Y).astype(int)
            ax.scatter(X[0], X[1], s=9, c=[plots.CLASS_COLORS[c] for c in labels], edgecolors="k", linewidths=0.3)
            ax.set_xlim(lo[0], hi[0])
            ax.set_ylim(lo[1], hi[1])
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(f"{title} ({X.shape[1]} points)", fontsize=9)
            data_axes.append(ax)
        bars = fig.add_axes([0.83, 0.1, 0.16, 0.72])
        bars.set_xlim(0, n_units)
        bars.set_ylim(0, bar_max)
        bars.set_xticks([])
        bars.tick_params(labelsize=7, length=2, pad=1)
        bars.set_title("layer-1 units, sorted:\n|w in| × |w out|", fontsize=8)
        bars.set_xlabel("grey: no regularization", fontsize=7, labelpad=2)
        for side in ("top", "right"):
            bars.spines[side].set_visible(False)

        frames = []
        for c in (0, 1):  # the same picture over either class's background
            for ax in data_axes:
                ax.set_facecolor(_blend(plots.CLASS_COLORS[c]))
            fig.canvas.draw()
            frames.append(np.asarray(fig.canvas.buffer_rgba())[:, :, :3].copy())
        height, width = frames[0].shape[:2]
        swatch = np.zeros((1, width, 3), dtype=np.uint8)  # the colours drawn later, so they get an index
        starts = (0, width // 3, 2 * width // 3)
        for start, color in zip(starts, (BOUNDARY, BAR, BAR_PLAIN)):
            swatch[0, start:] = _hex(color)
        quantized = Image.fromarray(np.concatenate([frames[0], frames[1], swatch])).quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        indices = np.asarray(quantized)
        self.palette = quantized.getpalette()[:768]
        self.base = (indices[:height], indices[height:2 * height])
        self.ink = {name: int(indices[-1, k]) for k, name in zip(starts, ("boundary", "bar", "bar_plain"))}

        def box(ax):  # the axes' inside, as rows and columns of the image (inside the frame)
            x0, y0, x1, y1 = ax.get_window_extent().extents
            return int(np.ceil(height - y1)) + 1, int(np.floor(height - y0)) - 1, int(np.ceil(x0)) + 1, \
                int(np.floor(x1)) - 1

        r0, r1, c0, c1 = box(data_axes[0])
        rows, cols = r1 - r0, c1 - c0
        self.panels = []
        for ax in data_axes:
            r, _, c, _ = box(ax)
            self.panels.append((slice(r, r + rows), slice(c, c + cols)))
        # data coordinates of the panel's pixel centres (both panels share the extent and the size)
        x0, y0, x1, y1 = data_axes[0].get_window_extent().extents
        xs = lo[0] + (np.arange(c0, c1) + 0.5 - x0) / (x1 - x0) * (hi[0] - lo[0])
        ys = lo[1] + (height - (np.arange(r0, r1) + 0.5) - y0) / (y1 - y0) * (hi[1] - lo[1])
        xx, yy = np.meshgrid(xs, ys)
        self.grid = np.vstack([xx.ravel(), yy.ravel()])
        self.shape = (rows, cols)
        # pixels the static picture covers (points, frames): the boundary goes under them
        self.covered = [(self.base[0][p] != np.bincount(self.base[0][p].ravel()).argmax()) for p in self.panels]
        r0, r1, c0, c1 = box(bars)
        self.bars_box = (r0, r1 + 1, c0, c1)
        self.bar_max, self.n_units = bar_max, n_units

    def decisions(self, params):
        """The model's class (bool) at every pixel of a panel, shape (rows, cols)."""
        from course import nn

        return (nn.forward_propagation(self.grid, params)[0] > 0.5).reshape(self.shape)

    def _bars(self, out, values, ink):
        r0, r1, c0, c1 = self.bars_box
        width = (c1 - c0) / self.n_units
        for j, v in enumerate(values):
            top = r1 - int(round(min(v / self.bar_max, 1.0) * (r1 - r0)))
            left, right = c0 + int(round(j * width)) + 1, c0 + int(round((j + 1) * width)) - 1
            if top < r1 and right > left:
                out[top:r1, left:right] = ink

    def render(self, decided, contributions, plain):
        """PNG bytes of a position: decided (rows, cols) bools, sorted contributions of the model and
        of the plain net."""
        from PIL import Image

        out = self.base[0].copy()
        edge = np.zeros(self.shape, dtype=bool)
        edge[:, 1:] |= decided[:, 1:] != decided[:, :-1]
        edge[1:, :] |= decided[1:, :] != decided[:-1, :]
        for (rows, cols), covered in zip(self.panels, self.covered):
            panel = np.where(decided, self.base[1][rows, cols], self.base[0][rows, cols])
            panel[edge & ~covered] = self.ink["boundary"]
            out[rows, cols] = panel
        self._bars(out, plain, self.ink["bar_plain"])
        self._bars(out, contributions, self.ink["bar"])
        image = Image.fromarray(out, mode="P")
        image.putpalette(self.palette)
        buf = io.BytesIO()
        image.save(buf, format="png", compress_level=6)
        return buf.getvalue()


def regularization_explorer(compute_cost_with_regularization, backward_propagation_with_regularization,
                            forward_propagation_with_dropout, backward_propagation_with_dropout,
                            X_train, Y_train, X_dev, Y_dev, initial_parameters, trained=None,
                            learning_rate=0.3, num_iterations=5000):
    """Compare the decision boundaries of L2 regularization and dropout, on the training and dev sets.

    A toggle picks the technique, then its slider picks the strength:
    lambd in {0, 0.7, 1.4} for L2, keep_prob in {0.72, 0.86, 1} for dropout (a
    typed value snaps to the nearest of these). lambd = 0 and keep_prob = 1 are
    the unregularized net. Beside the two sets, bars show how much each unit of
    hidden layer 1 contributes, |W1[j, :]| |W2[:, j]|, sorted, over the plain net's
    in grey. Every position not in `trained` is trained once when the explorer
    is built, with your four functions, from initial_parameters, with
    np.random.seed(1) before each dropout training (as in the notebook); a
    slider step then only draws. The label reads e.g.
    "lambd = 0.7: train 94.7%, dev 90.5%".

    Inputs:
    - your four graded functions
    - X_train (2, m_train), Y_train (1, m_train), X_dev (2, m_dev), Y_dev (1, m_dev)
    - initial_parameters: the starting parameters of every training
    - trained: models already trained with the same settings, not trained again:
      {"none": parameters, ("L2", lambd): parameters, ("dropout", keep_prob): parameters}
    - learning_rate, num_iterations: as in the notebook's trainings
    """
    from course import nn

    trained = dict(trained or {})
    models = {}  # (technique, value) -> dict of results
    picture = []

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

    def prepare():
        state = np.random.get_state()
        try:
            params = {}
            for technique, grid in (("L2", LAMBDS), ("dropout", KEEP_PROBS)):
                for value in grid:
                    found = _lookup(trained, technique, value)
                    if found is None:
                        found = train(technique, value)
                        if (technique, value) in (("L2", 0.0), ("dropout", 1.0)):
                            trained["none"] = found
                    params[technique, value] = found
        finally:
            np.random.set_state(state)
        contributions = {k: np.sort(unit_contributions(p))[::-1] for k, p in params.items()}
        bar_max = 1.05 * max(float(c.max()) for c in contributions.values()) or 1.0
        picture.append(_Picture(X_train, Y_train, X_dev, Y_dev, len(contributions["L2", 0.0]), bar_max))
        for key, p in params.items():
            models[key] = {"train": nn.accuracy(X_train, Y_train, p), "dev": nn.accuracy(X_dev, Y_dev, p),
                           "decided": picture[0].decisions(p), "contributions": contributions[key]}

    technique_buttons = widgets.ToggleButtons(options=["L2", "dropout"], value="L2", description="technique",
                                              style={"button_width": "80px"})
    lambd_slider = widgets.FloatSlider(value=0.7, min=0.0, max=LAMBDS[-1], step=0.7, description="lambd",
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
            return technique, _nearest(lambd, LAMBDS)
        return technique, _nearest(keep_prob, KEEP_PROBS)

    def draw(technique, lambd, keep_prob):
        technique, value = position(technique, lambd, keep_prob)
        if technique == "L2":
            what = f"lambd = {value:g}" + (" (no regularization)" if value == 0 else "")
        else:
            what = f"keep_prob = {value:g}" + (" (no dropout)" if value == 1 else "")
        model = models[(technique, value)]
        png = picture[0].render(model["decided"], model["contributions"], models["L2", 0.0]["contributions"])
        off = int(np.sum(model["contributions"] < 0.01 * models["L2", 0.0]["contributions"].max()))
        return png, (f"{what}: train {model['train']:.1%}, dev {model['dev']:.1%}; "
                     f"{off} of {len(model['contributions'])} layer-1 units switched off")

    return Explorer([technique_buttons, lambd_slider, keep_prob_slider], ["technique", "lambd", "keep_prob"],
                    draw, prepare, key=position)
