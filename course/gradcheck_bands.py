"""The three bands of a gradient check, as in the lectures, and the verdict each one prints.

With epsilon = 1e-7, the relative difference
    difference = ||grad - gradapprox||_2 / (||grad||_2 + ||gradapprox||_2)
reads as:
- below GREAT (1e-7): great, the backward pass is right;
- from GREAT up to BUG (around 1e-5): inspect the components (the per-parameter differences);
- BUG (1e-3) or more: almost certainly a bug.

The gradient-checking notebook's table, the verdicts its functions print
(`verdict`), and its visible and hidden checks all use these two numbers.
"""

import numpy as np

GREAT = 1e-7
BUG = 1e-3

MESSAGES = {
    "great": "Your backward propagation works perfectly fine!",
    "inspect": "Inspect the components: maybe right, maybe a small bug; look at the per-parameter differences.",
    "bug": "There is a mistake in the backward propagation!",
}


def _number(difference):
    a = np.asarray(difference, dtype=float)
    return float(a.reshape(-1)[0]) if a.size == 1 else float("nan")


def band(difference):
    """'great' below GREAT, 'inspect' from GREAT up to BUG, 'bug' from BUG on (and for nan)."""
    d = _number(difference)
    if d < GREAT:
        return "great"
    if d < BUG:
        return "inspect"
    return "bug"


def verdict(difference):
    """The line a gradient check prints: the band's message and the difference to 3 significant digits."""
    return f"{MESSAGES[band(difference)]} difference = {_number(difference):.3g}"
