"""Explorers of the optimization notebook: averages of a temperature series, optimizer paths on two
surfaces, and learning-rate schedules. Each runs the student's own functions."""

import ipywidgets as widgets
import numpy as np

from course.widgets.explorer import Explorer, StudentCodeError, new_figure, run_student_code, student_array

_BLUE, _ORANGE, _GREY = "#1f77b4", "#d95f02", "#9a9a9a"


class _Blitted:
    """A figure whose still part (axes, ticks, contours, data points) is drawn once; render()
    draws only the changing artists over a copy of it and returns PNG bytes. Text is what
    costs most in a matplotlib draw, so a redraw takes a few milliseconds instead of ~100."""

    def __init__(self, fig, artists):
        self.fig, self.artists = fig, list(artists)
        for a in self.artists:
            a.set_animated(True)
        fig.canvas.draw()
        self.background = fig.canvas.copy_from_bbox(fig.bbox)

    def render(self):
        import io

        from PIL import Image

        canvas = self.fig.canvas
        canvas.restore_region(self.background)
        for a in self.artists:
            self.fig.draw_artist(a)
        buf = io.BytesIO()
        Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB") \
            .save(buf, format="png", compress_level=1)
        return buf.getvalue()


# ---------------------------------------------------------------- exponentially weighted averages

def ewa_explorer(exponentially_weighted_averages, days, temperatures, zoom_days=45):
    """Your exponentially_weighted_averages over a year of daily temperatures.

    A slider sets beta (0.5 ... 0.99) and a checkbox the bias correction. Left: the whole
    year, with the averages as a line over the measured temperatures; right: the first
    `zoom_days` days, where the uncorrected average starts far too low. The label gives the
    window the average roughly covers, 1 / (1 - beta) days, and the first day's average.
    """
    days = np.asarray(days)
    temperatures = np.asarray(temperatures, dtype=float)
    name = getattr(exponentially_weighted_averages, "__name__", "exponentially_weighted_averages")
    figure = []

    def averages(beta, bias_correction):
        out = run_student_code(exponentially_weighted_averages, temperatures.copy(), beta, bias_correction)
        return student_array(name, out, temperatures.shape)

    def prepare():
        averages(0.9, True)
        fig = new_figure((9.2, 3.1))
        year = fig.add_axes([0.06, 0.15, 0.6, 0.72])
        zoom = fig.add_axes([0.73, 0.15, 0.25, 0.72])
        lines = []
        for ax, n in ((year, days.size), (zoom, zoom_days)):
            ax.plot(days[:n], temperatures[:n], ".", ms=3 if ax is year else 5, color=_GREY, label="temperature")
            lines.append(ax.plot(days[:n], np.zeros(n), "-", lw=2, color=_ORANGE, label="average")[0])
            ax.set_xlim(days[0] - 1, days[n - 1] + 1)
            lo, hi = temperatures[:n].min(), temperatures[:n].max()
            ax.set_ylim(min(lo, 0) - 1, hi + 1)
            ax.set_xlabel("day", fontsize=9)
            ax.tick_params(labelsize=8)
            ax.grid(alpha=0.3)
        year.set_ylabel("°C", fontsize=9)
        year.legend(loc="upper left", fontsize=8)
        zoom.set_title(f"the first {zoom_days} days", fontsize=9)
        title = fig.text(0.36, 0.93, "", ha="center", fontsize=10)
        figure.append((_Blitted(fig, lines + [title]), lines, title))

    def draw(beta, bias_correction):
        v = averages(beta, bias_correction)
        picture, lines, title = figure[0]
        lines[0].set_ydata(v)
        lines[1].set_ydata(v[:lines[1].get_xdata().size])
        title.set_text(f"β = {beta:.2f}, bias correction {'on' if bias_correction else 'off'}")
        window = 1 / (1 - beta)
        label = (f"β = {beta:.2f}: about the last {window:.0f} days; bias correction "
                 f"{'on' if bias_correction else 'off'}: day 1 average {v[0]:.1f} °C "
                 f"(measured {temperatures[0]:.1f} °C)")
        return picture.render(), label

    controls = [
        widgets.FloatSlider(value=0.9, min=0.5, max=0.99, step=0.01, description="β", readout_format=".2f",
                            continuous_update=True, layout=widgets.Layout(width="320px")),
        widgets.Checkbox(value=False, description="bias correction", indent=False),
    ]
    return Explorer(controls, ["beta", "bias_correction"], draw, prepare,
                    key=lambda beta, bias_correction: (round(float(beta), 6), bool(bias_correction)))


# ---------------------------------------------------------------- optimizer paths

class Surface:
    """A cost f(x, y) with its gradient, a start and a view, for the optimizer explorer."""

    def __init__(self, title, f, grad, start, xlim, ylim):
        self.title, self.f, self.grad, self.start, self.xlim, self.ylim = title, f, grad, start, xlim, ylim


# An elongated bowl: curvature 0.04 along x, 2 along y (50 times steeper across than along).
BOWL = Surface("elongated bowl  f = 0.02 x² + y²",
               lambda x, y: 0.02 * x ** 2 + y ** 2, lambda x, y: (0.04 * x, 2.0 * y),
               (-9.0, 1.5), (-10.0, 2.0), (-2.2, 2.2))
# A saddle at the origin between two valleys (y = ±1): f = 0.25 x² + 0.05 (y⁴ - 2 y²), started just off it.
SADDLE = Surface("saddle  f = 0.25 x² + 0.05 (y⁴ − 2y²)",
                 lambda x, y: 0.25 * x ** 2 + 0.05 * (y ** 4 - 2 * y ** 2),
                 lambda x, y: (0.5 * x, 0.2 * (y ** 3 - y)),
                 (-3.0, 0.001), (-3.5, 3.5), (-1.6, 1.6))
OPTIMIZERS = ("gradient descent", "momentum", "RMSprop", "Adam")


def _checked_dict(name, value, keys, what):
    if not isinstance(value, dict) or any(k not in value for k in keys):
        raise StudentCodeError(f"`{name}` should return {what} as a dict with {', '.join(keys)}; "
                               "fix it above and re-run this cell")
    return value


def optimizer_path(optimizer, functions, surface, learning_rate, beta1, beta2, steps=60, epsilon=1e-8):
    """(steps + 1, 2) points visited by an optimizer on a surface, with the student's functions.

    The two coordinates are a one-layer net's parameters, W1 = [[x]] and b1 = [[y]], and the
    gradients dW1, db1 those of the surface. functions: {name: function} of the seven update
    functions. Stops early (the rest is NaN) when the path leaves the plot far behind."""
    names = {"gradient descent": ("update_parameters_with_gd",),
             "momentum": ("initialize_velocity", "update_parameters_with_momentum"),
             "RMSprop": ("initialize_rmsprop", "update_parameters_with_rmsprop"),
             "Adam": ("initialize_adam", "update_parameters_with_adam")}[optimizer]
    fns = [functions[n] for n in names]
    x, y = surface.start
    params = {"W1": np.array([[x]]), "b1": np.array([[y]])}
    state = run_student_code(fns[0], params) if len(fns) == 2 else None
    path = np.full((steps + 1, 2), np.nan)
    path[0] = x, y
    for t in range(1, steps + 1):
        gx, gy = surface.grad(x, y)
        grads = {"dW1": np.array([[gx]]), "db1": np.array([[gy]])}
        if optimizer == "gradient descent":
            params = run_student_code(fns[0], params, grads, learning_rate)
        elif optimizer == "momentum":
            params, state = run_student_code(fns[1], params, grads, state, beta1, learning_rate)
        elif optimizer == "RMSprop":
            params, state = run_student_code(fns[1], params, grads, state, beta2, learning_rate, epsilon)
        else:
            out = run_student_code(fns[1], params, grads, state[0], state[1], t, learning_rate, beta1, beta2, epsilon)
            params, state = out[0], (out[1], out[2])
        _checked_dict(names[-1], params, ("W1", "b1"), "the parameters")
        x, y = float(np.ravel(params["W1"])[0]), float(np.ravel(params["b1"])[0])
        if not (np.isfinite(x) and np.isfinite(y)) or abs(x) > 1e3 or abs(y) > 1e3:
            break
        path[t] = x, y
    return path


def _try_every_function(functions, surface):
    """One short path per optimizer, in the notebook's order, so that a stub or a crash shows up first."""
    for optimizer in OPTIMIZERS:
        optimizer_path(optimizer, functions, surface, 0.01, 0.9, 0.999, steps=2)


def optimizer_explorer(update_parameters_with_gd, initialize_velocity, update_parameters_with_momentum,
                       initialize_rmsprop, update_parameters_with_rmsprop, initialize_adam,
                       update_parameters_with_adam, steps=60):
    """Paths of your optimizers on an elongated bowl and on a saddle.

    Choose the optimizer and set the learning rate, beta1 (momentum's beta, Adam's beta1) and
    beta2 (RMSprop's and Adam's); each panel draws `steps` steps from its start, on the contours
    of the surface. On the bowl, gradient descent with a large learning rate zigzags across
    the narrow valley while it crawls along it, and diverges beyond 1; momentum stays stable at
    much larger rates. On the saddle, gradient descent needs many steps to leave the flat
    middle, where RMSprop and Adam, which rescale each coordinate's step, do not. The label
    gives the cost at the last step of each path, or says that the path diverged.
    """
    functions = {"update_parameters_with_gd": update_parameters_with_gd, "initialize_velocity": initialize_velocity,
                 "update_parameters_with_momentum": update_parameters_with_momentum,
                 "initialize_rmsprop": initialize_rmsprop,
                 "update_parameters_with_rmsprop": update_parameters_with_rmsprop,
                 "initialize_adam": initialize_adam, "update_parameters_with_adam": update_parameters_with_adam}
    surfaces = (BOWL, SADDLE)
    figure = []

    def prepare():
        _try_every_function(functions, BOWL)
        fig = new_figure((9.2, 3.3))
        panels = []
        for i, s in enumerate(surfaces):
            ax = fig.add_axes([0.04 + 0.5 * i, 0.08, 0.44, 0.78])
            xx, yy = np.meshgrid(np.linspace(*s.xlim, 200), np.linspace(*s.ylim, 120))
            zz = s.f(xx, yy)
            levels = np.quantile(zz, np.linspace(0.0, 1.0, 16) ** 2)
            ax.contour(xx, yy, zz, levels=np.unique(levels), colors=_GREY, linewidths=0.6)
            ax.plot(*s.start, "o", color="k", ms=4)
            line, = ax.plot([], [], "o-", color=_ORANGE, ms=2.5, lw=1.2)
            ax.set_xlim(s.xlim)
            ax.set_ylim(s.ylim)
            ax.tick_params(labelsize=7)
            ax.set_title(s.title, fontsize=9)
            panels.append(line)
        title = fig.text(0.5, 0.95, "", ha="center", fontsize=10)
        figure.append((_Blitted(fig, panels + [title]), panels, title))

    def draw(optimizer, learning_rate, beta1, beta2):
        picture, lines, title = figure[0]
        ends = []
        for s, line in zip(surfaces, lines):
            path = optimizer_path(optimizer, functions, s, learning_rate, beta1, beta2, steps)
            shown = path[~np.isnan(path[:, 0])]
            line.set_data(np.clip(shown[:, 0], -1e4, 1e4), np.clip(shown[:, 1], -1e4, 1e4))
            x, y = shown[-1]
            inside = s.xlim[0] - 1 <= x <= s.xlim[1] + 1 and s.ylim[0] - 1 <= y <= s.ylim[1] + 1
            ends.append(f"f = {s.f(x, y):.3g}" if len(shown) > steps and inside else "diverged")
        betas = {"gradient descent": "", "momentum": f", β = {beta1:.2f}", "RMSprop": f", β2 = {beta2:.3f}",
                 "Adam": f", β1 = {beta1:.2f}, β2 = {beta2:.3f}"}[optimizer]
        title.set_text(f"{optimizer}, learning rate {learning_rate:.3g}{betas}: {steps} steps")
        label = (f"{optimizer}, learning rate {learning_rate:.3g}{betas}: after {steps} steps, bowl {ends[0]}, "
                 f"saddle {ends[1]}")
        return picture.render(), label

    controls = [
        widgets.Dropdown(options=list(OPTIMIZERS), value="gradient descent", description="optimizer",
                         layout=widgets.Layout(width="240px")),
        widgets.FloatLogSlider(value=0.9, base=10, min=-3, max=1, step=0.25, description="learning rate",
                               readout_format=".3g", layout=widgets.Layout(width="300px")),
        widgets.SelectionSlider(options=[0.0, 0.5, 0.8, 0.9, 0.95, 0.99], value=0.9, description="β1",
                                layout=widgets.Layout(width="230px")),
        widgets.SelectionSlider(options=[0.9, 0.99, 0.999], value=0.999, description="β2",
                                layout=widgets.Layout(width="200px")),
    ]
    return Explorer(controls, ["optimizer", "learning_rate", "beta1", "beta2"], draw, prepare,
                    key=lambda optimizer, learning_rate, beta1, beta2: (optimizer, round(float(learning_rate), 9),
                                                                        float(beta1), float(beta2)))


# ---------------------------------------------------------------- learning-rate schedules

def lr_schedule_explorer(update_lr, schedule_lr_decay, learning_rate0=0.1, num_epochs=5000, constant=0.0007):
    """Your two learning-rate decays against the epoch, on a log scale.

    Buttons set decay_rate, a slider time_interval (10 to 2,000 epochs). update_lr decays every epoch,
    learning_rate0 / (1 + decay_rate * epoch); schedule_lr_decay only every time_interval
    epochs. A dotted line marks the constant learning rate of the notebook's first runs.
    """
    epochs = np.arange(num_epochs)
    figure = []

    def rates(decay_rate, time_interval):
        smooth = np.array([run_student_code(update_lr, learning_rate0, int(e), decay_rate) for e in epochs],
                          dtype=float)
        stepped = np.array([run_student_code(schedule_lr_decay, learning_rate0, int(e), decay_rate, time_interval)
                            for e in epochs], dtype=float)
        return smooth, stepped

    def prepare():
        run_student_code(update_lr, learning_rate0, 1, 1.0)
        run_student_code(schedule_lr_decay, learning_rate0, 1, 1.0, 1000)
        fig = new_figure((8.2, 3.1))
        ax = fig.add_axes([0.09, 0.15, 0.88, 0.72])
        from matplotlib.ticker import NullLocator

        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())   # minor ticks of a log axis cost half a second to draw
        smooth, = ax.plot(epochs, np.full(num_epochs, learning_rate0), color=_BLUE, lw=1.5,
                          label="update_lr (every epoch)")
        stepped, = ax.plot(epochs, np.full(num_epochs, learning_rate0), color=_ORANGE, lw=2,
                           label="schedule_lr_decay (every time_interval epochs)")
        ax.axhline(constant, color="k", ls=":", lw=1, label=f"constant {constant:g}")
        ax.set_xlim(0, num_epochs)
        ax.set_ylim(learning_rate0 * 1e-5, learning_rate0 * 2)
        ax.set_xlabel("epoch", fontsize=9)
        ax.set_ylabel("learning rate", fontsize=9)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
        ax.legend(loc="lower left", fontsize=8)
        title = ax.set_title("", fontsize=10)
        figure.append((_Blitted(fig, [smooth, stepped, title]), smooth, stepped, title))

    def draw(decay_rate, time_interval):
        picture, smooth_line, stepped_line, title = figure[0]
        smooth, stepped = rates(decay_rate, time_interval)
        floor = learning_rate0 * 1e-5
        smooth_line.set_ydata(np.maximum(smooth, floor))
        stepped_line.set_ydata(np.maximum(stepped, floor))
        title.set_text(f"learning_rate0 = {learning_rate0:g}, decay_rate = {decay_rate:g}, "
                       f"time_interval = {time_interval}")
        label = (f"decay_rate = {decay_rate:g}, time_interval = {time_interval}: at epoch {num_epochs - 1}, "
                 f"update_lr gives {smooth[-1]:.3g}, schedule_lr_decay {stepped[-1]:.3g}")
        return picture.render(), label

    controls = [
        widgets.ToggleButtons(options=[(f"{d:g}", d) for d in (0.1, 0.3, 1.0, 3.0, 10.0)], value=1.0,
                              description="decay_rate", style={"button_width": "48px"}),
        widgets.IntSlider(value=1000, min=10, max=2000, step=10, description="time_interval",
                          continuous_update=False, layout=widgets.Layout(width="360px")),
    ]
    return Explorer(controls, ["decay_rate", "time_interval"], draw, prepare,
                    key=lambda decay_rate, time_interval: (float(decay_rate), int(time_interval)))
