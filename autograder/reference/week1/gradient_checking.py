"""Reference solution for week 1 (instructors only).

The source notebooks' solution cells hold the same code; ``tests/`` checks that
they agree. Random functions draw in the canonical order, so their outputs match
the notebooks' printed "expected output" exactly.
"""

import numpy as np

from course.nn import compute_cost, relu, sigmoid
from course.param_vector import dictionary_to_vector, gradients_to_vector, vector_to_dictionary


# ---------------------------------------------------------------- initialization

def forward_propagation(x, theta):
    """J(theta) = theta * x."""
    return theta * x


def backward_propagation(x, theta):
    """dJ/dtheta = x."""
    return x


def relative_difference(grad, gradapprox):
    """||grad - gradapprox||_2 / (||grad||_2 + ||gradapprox||_2)."""
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    return float(numerator / denominator)


def gradient_check(x, theta, epsilon=1e-7, print_msg=False, *,
                   forward=forward_propagation, backward=backward_propagation):
    """Two-sided gradient check of the 1-D J(theta) = theta * x. Returns the difference."""
    J_plus = forward(x, theta + epsilon)
    J_minus = forward(x, theta - epsilon)
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    grad = backward(x, theta)
    difference = relative_difference(grad, gradapprox)
    if print_msg:
        print(_verdict(difference))
    return difference


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False, *,
                     forward=None):
    """Two-sided gradient check of every parameter of the n-D net.

    forward(X, Y, parameters) -> (cost, cache); defaults to course.gradcheck_net.forward_propagation_n.
    Returns the relative difference between the analytic and numerical gradients.
    """
    if forward is None:
        from course.gradcheck_net import forward_propagation_n as forward
    parameters_values, layout = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    num_parameters = parameters_values.shape[0]
    gradapprox = np.zeros((num_parameters, 1))
    for i in range(num_parameters):
        theta_plus = np.copy(parameters_values)
        theta_plus[i] += epsilon
        J_plus, _ = forward(X, Y, vector_to_dictionary(theta_plus, layout))
        theta_minus = np.copy(parameters_values)
        theta_minus[i] -= epsilon
        J_minus, _ = forward(X, Y, vector_to_dictionary(theta_minus, layout))
        gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
    difference = relative_difference(grad, gradapprox)
    if print_msg:
        print(_verdict(difference))
    return difference


def _verdict(difference):
    if difference > 2e-7:
        return f"There is a mistake in the backward propagation! difference = {difference}"
    return f"Your backward propagation works perfectly fine! difference = {difference}"
