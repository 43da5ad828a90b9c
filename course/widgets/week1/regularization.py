"""Explorer of the regularization notebook: L2 and dropout on the noisy moons."""

import ipywidgets as widgets
import numpy as np

from course.widgets.explorer import Explorer, StudentCodeError, _one_line, new_figure, png_bytes, run_student_code

LAMBDS = (0.0, 0.7, 1.4, 2.1)
KEEP_PROBS = (0.72, 0.86, 1.0)
# Each extra position costs one training (about 0.5 s for L2, 0.8 s for dropout), so the grids reuse
# the notebook's three models (lambd = 0 and keep_prob = 1 are the plain net) and add three trainings.


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


def _boundary(xx, yy, probs):
    """The 0.5 level of the predicted probabilities, as a list of (k, 2) polylines."""
    import contourpy

    return contourpy.contour_generator(xx, yy, probs, line_type="Separate").lines(0.5)


class _ExplorerFigure:
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
        return probs, _boundary(xx, yy, probs)

    def prepare():
        state = np.random.get_state()
        try:
            for technique, grid in (("L2", LAMBDS), ("dropout", KEEP_PROBS)):
                for value in grid:
                    params = _lookup(trained, technique, value)
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
        figure.append(_ExplorerFigure(((X_train, Y_train), (X_test, Y_test)), resolution))

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
            return technique, _nearest(lambd, LAMBDS)
        return technique, _nearest(keep_prob, KEEP_PROBS)

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
