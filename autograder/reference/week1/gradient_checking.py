"""Reference solution of week 1, notebook `gradient_checking` (instructors only).

The source notebook's solution cells hold the same code, statement for statement
(tests/test_solutions.py compares the ASTs). Like the notebook, gradient_check and
gradient_check_n read the module-level forward_propagation, backward_propagation
and forward_propagation_n; the hidden checks rebind those for a call with a case's
`globals=` (course.grading.runner).
"""

import numpy as np

from course.gradcheck_net import forward_propagation_n
from course.param_vector import dictionary_to_vector, gradients_to_vector, vector_to_dictionary


def forward_propagation(x, theta):
    """Cost of the one-parameter toy model, J(theta) = theta * x."""
    return theta * x


def backward_propagation(x, theta):
    """Derivative of J(theta) = theta * x with respect to theta."""
    return x


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    """Two-sided gradient check of forward_propagation / backward_propagation. Returns the difference."""
    J_plus = forward_propagation(x, theta + epsilon)
    J_minus = forward_propagation(x, theta - epsilon)
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    difference = float(numerator / denominator)
    if print_msg:
        if difference > 2e-7:
            print(f"There is a mistake in the backward propagation! difference = {difference:.3g}")
        else:
            print(f"Your backward propagation works perfectly fine! difference = {difference:.3g}")
    return difference


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """Two-sided gradient check of every parameter of the 3-layer network. Returns the difference."""
    parameters_values, layout = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    num_parameters = parameters_values.shape[0]
    gradapprox = np.zeros((num_parameters, 1))
    for i in range(num_parameters):
        theta_plus = np.copy(parameters_values)
        theta_plus[i] += epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, layout))
        theta_minus = np.copy(parameters_values)
        theta_minus[i] -= epsilon
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus, layout))
        gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    difference = float(numerator / denominator)
    if print_msg:
        if difference > 2e-7:
            print(f"There is a mistake in the backward propagation! difference = {difference:.3g}")
        else:
            print(f"Your backward propagation works perfectly fine! difference = {difference:.3g}")
    return difference
