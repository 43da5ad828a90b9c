"""Student-like forward_propagation, backward_propagation and 1-D gradient_check (correct and wrong).

Like a student's notebook, this module has forward_propagation and
backward_propagation as globals, which the gradient_check variants read (the
hidden check rebinds them to its toys for each call).
"""

import numpy as np

from autograder.reference.week1.gradient_checking import backward_propagation, forward_propagation


# ============================================================ correct variants

def forward_multiply(x, theta):
    return np.multiply(x, theta)


def forward_dot(x, theta):
    return np.dot(theta, x)


def backward_times_one(x, theta):
    return 1.0 * x


def backward_ones_like(x, theta):
    return np.ones_like(np.asarray(x, dtype=float)) * x


def gradient_check_abs(x, theta, epsilon=1e-7, print_msg=False):
    """abs() instead of norms (same for numbers), keyword calls, NumPy scalar return."""
    thetaplus = theta + epsilon
    thetaminus = theta - epsilon
    J_plus = forward_propagation(x=x, theta=thetaplus)
    J_minus = forward_propagation(x=x, theta=thetaminus)
    gradapprox = (J_plus - J_minus) / (2.0 * epsilon)
    grad = backward_propagation(x=x, theta=theta)
    difference = np.abs(grad - gradapprox) / (np.abs(grad) + np.abs(gradapprox))
    if print_msg:
        print("difference =", difference)
    return np.float64(difference)


def gradient_check_sqrt(x, theta, epsilon=1e-7, print_msg=False):
    """Norms written out, 0-d array return, print always goes through one line."""
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / epsilon / 2
    grad = backward_propagation(x, theta)
    difference = np.sqrt(np.sum((grad - gradapprox) ** 2)) / (
        np.sqrt(np.sum(grad ** 2)) + np.sqrt(np.sum(np.square(gradapprox))))
    if print_msg:
        print("mistake" if difference > 2e-7 else "fine", difference)
    return np.array(difference)


# ============================================================ wrong: forward / backward

def forward_sum(x, theta):
    return theta + x


def forward_power(x, theta):
    return theta ** x


def forward_returns_x(x, theta):
    return x


def forward_returns_theta(x, theta):
    return theta


def forward_no_return(x, theta):
    J = theta * x  # noqa: F841


def backward_returns_theta(x, theta):
    return theta


def backward_returns_J(x, theta):
    return theta * x


def backward_returns_one(x, theta):
    return 1


# ============================================================ wrong: gradient_check (1-D)

def _verdict_and_return(difference, print_msg):
    if print_msg:
        print("difference =", difference)
    return difference


def gradient_check_one_sided(x, theta, epsilon=1e-7, print_msg=False):
    J_plus = forward_propagation(x, theta + epsilon)
    J = forward_propagation(x, theta)
    gradapprox = (J_plus - J) / epsilon
    grad = backward_propagation(x, theta)
    d = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    return _verdict_and_return(d, print_msg)


def gradient_check_missing_2(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / epsilon
    grad = backward_propagation(x, theta)
    d = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    return _verdict_and_return(d, print_msg)


def gradient_check_fixed_epsilon(x, theta, epsilon=1e-7, print_msg=False):
    eps = 1e-7
    gradapprox = (forward_propagation(x, theta + eps) - forward_propagation(x, theta - eps)) / (2 * eps)
    grad = backward_propagation(x, theta)
    d = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    return _verdict_and_return(d, print_msg)


def gradient_check_no_norms(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    d = (grad - gradapprox) / (grad + gradapprox)
    return _verdict_and_return(d, print_msg)


def gradient_check_numerator_only(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    d = np.linalg.norm(grad - gradapprox)
    return _verdict_and_return(d, print_msg)


def gradient_check_grad_denominator(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    d = np.linalg.norm(grad - gradapprox) / np.linalg.norm(grad)
    return _verdict_and_return(d, print_msg)


def gradient_check_precedence(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / 2 * epsilon
    grad = backward_propagation(x, theta)
    d = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    return _verdict_and_return(d, print_msg)


def gradient_check_returns_bool(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    d = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    return d < 2e-7


def gradient_check_no_return(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    d = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    if print_msg:
        print(d)


def gradient_check_hardcoded_J(x, theta, epsilon=1e-7, print_msg=False):
    """Ignores forward_propagation / backward_propagation and differentiates theta * x inline."""
    gradapprox = ((theta + epsilon) * x - (theta - epsilon) * x) / (2 * epsilon)
    grad = x
    d = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    return _verdict_and_return(d, print_msg)


def gradient_check_backward_for_forward(x, theta, epsilon=1e-7, print_msg=False):
    J_plus = backward_propagation(x, theta + epsilon)
    J_minus = backward_propagation(x, theta - epsilon)
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    d = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    return _verdict_and_return(d, print_msg)
