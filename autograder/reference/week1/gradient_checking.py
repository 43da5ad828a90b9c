"""Reference solution of week 1, notebook `gradient_checking` (instructors only).

The source notebook's solution cells hold the same code, statement for statement
(tests/test_solutions.py compares the ASTs). Like the notebook, gradient_check and
gradient_check_n read the module-level forward_propagation, backward_propagation
and forward_propagation_n, and backward_propagation_with_regularization reads
backward_propagation_n; the hidden checks rebind those for a call with a case's
`globals=` (course.grading.runner).
"""

import numpy as np

from course.gradcheck_bands import verdict
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
        print(verdict(difference))
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
        print(verdict(difference))
    return difference


def backward_propagation_n(X, Y, cache):
    """Backward pass of forward_propagation_n, with the two planted bugs fixed (dW2 had * 2, db1 had 4. / m)."""
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T)
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T)
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T)
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    gradients = {"dZ3": dZ3, "dW3": dW3, "db3": db3,
                 "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
                 "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
    return gradients


def backward_propagation_with_regularization(X, Y, cache, lambd):
    """backward_propagation_n plus the gradient lambd / m * W of the L2 term, on dW1, dW2, dW3."""
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    gradients = backward_propagation_n(X, Y, cache)
    gradients["dW1"] = gradients["dW1"] + lambd / m * W1
    gradients["dW2"] = gradients["dW2"] + lambd / m * W2
    gradients["dW3"] = gradients["dW3"] + lambd / m * W3
    return gradients
