"""Visible checks the students run: shapes and the notebook's canonical example.

Each ``check_<name>(fn)`` prints one line on success and raises AssertionError
with a message that says what to fix otherwise. The hidden checks (not shipped
to students) test much more; passing these is necessary, not sufficient.
"""

import numpy as np


def _ok(name):
    print(f"✅ {name}: all visible tests passed.")


def _fail(name, message):
    raise AssertionError(f"{name}: {message}")


def _expect_shape(name, what, value, shape):
    if np.shape(value) != tuple(shape):
        _fail(name, f"{what} has shape {np.shape(value)}, expected {tuple(shape)}")


def _expect_close(name, what, value, expected, rtol=1e-6, atol=1e-8, hint=""):
    value = np.asarray(value, dtype=float)
    expected = np.asarray(expected, dtype=float)
    _expect_shape(name, what, value, expected.shape)
    if not np.allclose(value, expected, rtol=rtol, atol=atol):
        err = np.max(np.abs(value - expected))
        _fail(name, f"{what} is off (largest difference {err:.3g}).{(' ' + hint) if hint else ''}")

