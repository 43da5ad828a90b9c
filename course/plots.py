"""Plots shared by the notebooks."""

import io

import matplotlib.pyplot as plt
import numpy as np

CLASS_COLORS = ("#d95f02", "#1b9e77")


def decision_grid(X, resolution=200, margin=0.5):
    """A grid covering the data. Returns xx, yy (resolution, resolution) and the
    grid points as columns, shape (2, resolution**2)."""
    x_min, x_max = X[0].min() - margin, X[0].max() + margin
    y_min, y_max = X[1].min() - margin, X[1].max() + margin
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution))
    return xx, yy, np.vstack([xx.ravel(), yy.ravel()])


def plot_decision_boundary(predict_fn, X, Y, ax=None, title=None, resolution=200):
    """Shade the regions predict_fn labels 0 and 1, and scatter the data.

    Inputs:
    - predict_fn: maps points (2, k) to labels or probabilities (1, k)
    - X: points (2, m); Y: labels (1, m)
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.6))
    xx, yy, grid = decision_grid(X, resolution)
    Z = np.asarray(predict_fn(grid)).reshape(xx.shape)
    ax.contourf(xx, yy, Z > 0.5, levels=[-0.5, 0.5, 1.5], colors=CLASS_COLORS, alpha=0.25)
    ax.contour(xx, yy, Z, levels=[0.5], colors="k", linewidths=0.8)
    labels = np.ravel(Y).astype(int)
    for c in (0, 1):
        pts = X[:, labels == c]
        ax.scatter(pts[0], pts[1], s=12, c=CLASS_COLORS[c], edgecolors="k", linewidths=0.3, label=f"y = {c}")
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def plot_dataset(X, Y, ax=None, title=None):
    """Scatter a 2-D two-class data set. X (2, m), Y (1, m)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.6))
    labels = np.ravel(Y).astype(int)
    for c in (0, 1):
        pts = X[:, labels == c]
        ax.scatter(pts[0], pts[1], s=12, c=CLASS_COLORS[c], edgecolors="k", linewidths=0.3, label=f"y = {c}")
    ax.legend(loc="upper right", fontsize=8)
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def plot_costs(costs_by_name, record_every, ax=None, title="Training cost"):
    """Cost curves. costs_by_name: {label: [cost at 0, record_every, ...]}."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.2))
    for name, costs in costs_by_name.items():
        ax.plot(np.arange(len(costs)) * record_every, costs, label=name)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    return ax


def results_table(rows, columns=("model", "train accuracy", "test accuracy")):
    """An HTML table for a list of (name, train_acc, test_acc) rows (accuracies in [0, 1])."""
    from IPython.display import HTML

    head = "".join(f"<th style='text-align:left'>{c}</th>" for c in columns)
    body = "".join(
        "<tr>" + f"<td style='text-align:left'>{r[0]}</td>"
        + "".join(f"<td style='text-align:left'>{v:.1%}</td>" if isinstance(v, float) else f"<td>{v}</td>" for v in r[1:])
        + "</tr>" for r in rows)
    return HTML(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def figure_png(fig, dpi=80):
    """Render a figure to PNG bytes and close it (for widget images)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()
