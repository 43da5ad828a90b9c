"""Stand-ins for the gradient-checking notebook's forward_propagation / backward_propagation.

The hidden check of `gradient_check` rebinds the notebook's two globals to these
during its calls (a case's `globals=`, see course.grading.runner), so it can tell
a two-sided difference from a one-sided one: J(theta) = theta**3 * x is not
linear in theta, unlike the notebook's theta * x. `cubic_backward` is the right
derivative; the other two are backward passes with a bug, for which a correct
gradient_check returns a large difference. Nothing here is secret.
"""


def cubic_forward(x, theta):
    """J(theta) = theta**3 * x."""
    return theta ** 3 * x


def cubic_backward(x, theta):
    """dJ/dtheta = 3 * theta**2 * x (correct)."""
    return 3.0 * theta ** 2 * x


def cubic_backward_forgot_3(x, theta):
    """theta**2 * x: a backprop bug (the factor 3 is missing)."""
    return 1.0 * theta ** 2 * x


def cubic_backward_times_2(x, theta):
    """2 * theta**2 * x: a backprop bug (2 instead of 3)."""
    return 2.0 * theta ** 2 * x


# factor of each backward pass: the hidden check's judge recomputes the usual mistakes from it
BACKWARD_FACTORS = {"cubic_backward": 3.0, "cubic_backward_forgot_3": 1.0, "cubic_backward_times_2": 2.0}
