"""Explorers of the batchnorm notebook: linear against log-scale sampling of a learning rate, and what
batch norm's gamma and beta do to the distribution of a layer's pre-activations. Each runs the
student's own function."""

import ipywidgets as widgets
import numpy as np

from course.widgets.explorer import Canvas, Explorer, StudentCodeError, run_student_code, student_array

_BLUE, _ORANGE, _GREY = "#1f77b4", "#d95f02", "#9a9a9a"



def _num(x, decimals=2):
    """x to `decimals` places, never "-0.00"."""
    return f"{round(float(x), decimals) + 0.0:.{decimals}f}"


def _seeded_call(fn, seed, *args):
    """fn(*args) after np.random.seed(seed), leaving the global generator as it was."""
    state = np.random.get_state()
    try:
        np.random.seed(seed)
        return run_student_code(fn, *args)
    finally:
        np.random.set_state(state)


# ---------------------------------------------------------------- sampling a learning rate

def sampling_explorer(sample_learning_rates, n=2000, seed=0):
    """Histograms of n learning rates between 10^low and 10^high, on a log axis: drawn uniformly
    (top) and by your sample_learning_rates (bottom).

    Two sliders set log10 of the bounds. Uniform draws pile up in the top decade; a log-scale
    sampler spreads them evenly over the decades. The label gives the share of each in the top decade.
    """
    name = getattr(sample_learning_rates, "__name__", "sample_learning_rates")
    edges = np.arange(-6.0, 1.0001, 0.25)
    picture = []

    def draws(low, high):
        lin = np.random.RandomState(seed).uniform(10.0 ** low, 10.0 ** high, n)
        yours = student_array(name, _seeded_call(sample_learning_rates, seed, n, 10.0 ** low, 10.0 ** high), (n,))
        return lin, yours

    def prepare():
        draws(-4.0, 0.0)
        canvas = Canvas((8.6, 3.6))
        fig = canvas.fig
        artists = []
        for i, (title, color) in enumerate((("uniform: np.random.uniform(low, high)", _GREY),
                                            ("your sample_learning_rates(n, low, high)", _ORANGE))):
            ax = fig.add_axes([0.07, 0.58 - 0.47 * i, 0.9, 0.32])
            ax.set_xlim(edges[0], edges[-1])
            ax.set_ylim(0, 1.0)
            ax.set_xticks(np.arange(-6, 2))
            ax.set_xticklabels([f"1e{k}" for k in range(-6, 0)] + ["1", "10"], fontsize=8)
            ax.tick_params(labelsize=8)
            ax.set_ylabel("share", fontsize=8)
            ax.grid(alpha=0.3)
            ax.text(0.01, 0.97, title, transform=ax.transAxes, va="top", fontsize=9)
            stairs = canvas.dynamic(ax.stairs(np.zeros(edges.size - 1), edges, fill=True, color=color))
            low_line = canvas.dynamic(ax.axvline(-4, color="k", lw=1, ls="--"))
            high_line = canvas.dynamic(ax.axvline(0, color="k", lw=1, ls="--"))
            share = canvas.dynamic(ax.text(0.99, 0.97, "", transform=ax.transAxes, ha="right", va="top",
                                           fontsize=9))
            artists.append((stairs, low_line, high_line, share))
        picture.append((canvas, artists))

    def draw(log_low, log_high):
        canvas, artists = picture[0]
        samples = draws(log_low, log_high)
        shares = []
        for (stairs, low_line, high_line, share), x in zip(artists, samples):
            with np.errstate(all="ignore"):
                counts = np.histogram(np.log10(np.clip(x, 1e-300, None)), bins=edges)[0] / n
            stairs.set_data(counts)
            low_line.set_xdata([log_low, log_low])
            high_line.set_xdata([log_high, log_high])
            top = float(np.mean(x >= 10.0 ** (log_high - 1)))
            share.set_text(f"{top:.0%} in the top decade")
            shares.append(top)
        decades = log_high - log_low
        label = (f"from 1e{log_low:g} to 1e{log_high:g} ({decades:g} decades): uniform draws put {shares[0]:.0%} "
                 f"in the top decade, yours {shares[1]:.0%} (log-uniform: {min(1.0, 1 / decades):.0%})")
        return canvas.png(), label

    controls = [
        widgets.FloatSlider(value=-4.0, min=-6.0, max=-1.0, step=0.5, description="log10(low)",
                            readout_format=".1f", layout=widgets.Layout(width="300px")),
        widgets.FloatSlider(value=0.0, min=-0.5, max=1.0, step=0.5, description="log10(high)",
                            readout_format=".1f", layout=widgets.Layout(width="300px")),
    ]
    return Explorer(controls, ["log_low", "log_high"], draw, prepare,
                    key=lambda log_low, log_high: (round(float(log_low), 6), round(float(log_high), 6)))


# ---------------------------------------------------------------- gamma and beta

def batchnorm_explorer(batchnorm_forward, Z, unit=0):
    """One unit's pre-activations over a mini-batch, before (top) and after (bottom) your batchnorm_forward.

    Z: (n_units, m) pre-activations of a layer (the mini-batch is its m columns). Sliders set
    gamma and beta (the same for every unit). Batch norm first makes the unit's values mean 0
    and variance 1, whatever they were; then gamma sets their spread and beta their centre. A
    dashed line marks 0, where ReLU cuts: the label gives the mean, the standard deviation and
    the share of the mini-batch that passes ReLU.
    """
    Z = np.asarray(Z, dtype=float)
    n, m = Z.shape
    name = getattr(batchnorm_forward, "__name__", "batchnorm_forward")
    picture = []
    z = Z[unit]
    span = max(abs(z.min()), abs(z.max()), 1e-12)

    def normalized(gamma, beta):
        g, b = np.full((n, 1), float(gamma)), np.full((n, 1), float(beta))
        out = run_student_code(batchnorm_forward, Z.copy(), g, b, {"mode": "train"})
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise StudentCodeError(f"`{name}` should return a tuple (out, cache); fix it above and re-run this cell")
        return student_array(name, out[0], (n, m))[unit]

    def prepare():
        normalized(1.0, 0.0)
        canvas = Canvas((8.6, 3.6))
        fig = canvas.fig
        top = fig.add_axes([0.07, 0.6, 0.9, 0.3])
        top.hist(z, bins=np.linspace(-span * 1.05, span * 1.05, 41), color=_GREY)
        top.axvline(0, color="k", lw=1, ls="--")
        top.set_xlim(-span * 1.05, span * 1.05)
        top.tick_params(labelsize=8)
        top.text(0.01, 0.95, f"unit {unit} before batch norm: mean {_num(z.mean())}, std {_num(z.std())}, "
                             f"{np.mean(z > 0):.0%} > 0", transform=top.transAxes, va="top", fontsize=9)
        bottom = fig.add_axes([0.07, 0.12, 0.9, 0.3])
        edges = np.linspace(-8, 8, 65)
        bottom.set_xlim(-8, 8)
        bottom.set_ylim(0, m * 0.3)
        bottom.axvline(0, color="k", lw=1, ls="--")
        bottom.tick_params(labelsize=8)
        bottom.set_xlabel("pre-activation value", fontsize=8)
        stairs = canvas.dynamic(bottom.stairs(np.zeros(edges.size - 1), edges, fill=True, color=_ORANGE))
        text = canvas.dynamic(bottom.text(0.01, 0.95, "", transform=bottom.transAxes, va="top", fontsize=9))
        picture.append((canvas, stairs, text, edges))

    def draw(gamma, beta):
        canvas, stairs, text, edges = picture[0]
        out = normalized(gamma, beta)
        stairs.set_data(np.histogram(np.clip(out, -7.99, 7.99), bins=edges)[0])
        active = float(np.mean(out > 0))
        mean, std = _num(out.mean()), _num(out.std())
        text.set_text(f"after, γ = {gamma:.1f}, β = {beta:.1f}: mean {mean}, std {std}, {active:.0%} > 0")
        label = (f"γ = {gamma:.1f}, β = {beta:.1f}: after batch norm mean {mean}, std {std}; "
                 f"{active:.0%} of the mini-batch passes ReLU")
        return canvas.png(), label

    controls = [
        widgets.FloatSlider(value=1.0, min=0.1, max=3.0, step=0.1, description="γ", readout_format=".1f",
                            layout=widgets.Layout(width="300px")),
        widgets.FloatSlider(value=0.0, min=-3.0, max=3.0, step=0.1, description="β", readout_format=".1f",
                            layout=widgets.Layout(width="300px")),
    ]
    return Explorer(controls, ["gamma", "beta"], draw, prepare,
                    key=lambda gamma, beta: (round(float(gamma), 6), round(float(beta), 6)))
