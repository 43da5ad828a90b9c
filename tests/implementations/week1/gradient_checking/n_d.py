"""Student-like gradient_check_n (correct and wrong).

Like a student's notebook, this module has the provided helpers as globals
(forward_propagation_n, dictionary_to_vector, ...).
"""

import numpy as np

from course.gradcheck_net import forward_propagation_n
from course.param_vector import dictionary_to_vector, gradients_to_vector, vector_to_dictionary

# ============================================================ correct variants

def gradient_check_n_original_style(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """As in the original course: J_plus / J_minus arrays, one-argument vector_to_dictionary,
    theta_plus[i][0] indexing, NumPy float return."""
    parameters_values, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    num_parameters = parameters_values.shape[0]
    J_plus = np.zeros((num_parameters, 1))
    J_minus = np.zeros((num_parameters, 1))
    gradapprox = np.zeros((num_parameters, 1))
    for i in range(num_parameters):
        theta_plus = np.copy(parameters_values)
        theta_plus[i][0] = theta_plus[i][0] + epsilon
        J_plus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
        theta_minus = np.copy(parameters_values)
        theta_minus[i][0] = theta_minus[i][0] - epsilon
        J_minus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))
        gradapprox[i] = (J_plus[i] - J_minus[i]) / (2 * epsilon)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    difference = numerator / denominator
    if print_msg:
        print("difference =", difference)
    return difference


def gradient_check_n_restore(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """cs231n style: perturb one vector in place and restore the old value; flat vectors."""
    theta, layout = dictionary_to_vector(parameters)
    theta = theta.ravel()
    grad = gradients_to_vector(gradients).ravel()
    gradapprox = np.zeros_like(theta)
    for i in range(theta.size):
        old = theta[i]
        theta[i] = old + epsilon
        fp = forward_propagation_n(X, Y, vector_to_dictionary(theta, layout))[0]
        theta[i] = old - epsilon
        fm = forward_propagation_n(X, Y, vector_to_dictionary(theta, layout))[0]
        theta[i] = old
        gradapprox[i] = (fp - fm) / (2 * epsilon)
    return np.array(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))


def gradient_check_n_dict(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """No parameter vector: perturb copies of each array entry by entry, in W1, b1, ... order."""
    grad_parts, approx_parts = [], []
    for l in range(1, 4):
        for p in ("W", "b"):
            key = p + str(l)
            approx = np.zeros_like(parameters[key], dtype=float)
            for idx in np.ndindex(*parameters[key].shape):
                plus = {k: v.copy() for k, v in parameters.items()}
                plus[key][idx] += epsilon
                minus = {k: v.copy() for k, v in parameters.items()}
                minus[key][idx] -= epsilon
                approx[idx] = (forward_propagation_n(X, Y, plus)[0]
                               - forward_propagation_n(X, Y, minus)[0]) / (2 * epsilon)
            approx_parts.append(approx.ravel())
            grad_parts.append(np.ravel(gradients["d" + key]))
    grad, gradapprox = np.concatenate(grad_parts), np.concatenate(approx_parts)
    return float(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))


def gradient_check_n_eye(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """Perturbations as columns of an identity matrix; comprehension; norms via sqrt/sum."""
    values, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    E = np.eye(values.shape[0]) * epsilon
    gradapprox = np.array([
        [(forward_propagation_n(X, Y, vector_to_dictionary(values + E[:, [i]]))[0]
          - forward_propagation_n(X, Y, vector_to_dictionary(values - E[:, [i]]))[0]) / (2 * epsilon)]
        for i in range(values.shape[0])])
    num = np.sqrt(np.sum((grad - gradapprox) ** 2))
    return num / (np.sqrt(np.sum(grad ** 2)) + np.sqrt(np.sum(gradapprox ** 2)))


# ============================================================ wrong: gradient_check_n

def _rel(grad, gradapprox):
    return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))


def gradient_check_n_no_copy(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    parameters_values, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    n = parameters_values.shape[0]
    gradapprox = np.zeros((n, 1))
    for i in range(n):
        theta_plus = parameters_values
        theta_plus[i] += epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
        theta_minus = parameters_values
        theta_minus[i] -= epsilon
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))
        gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
    return _rel(grad, gradapprox)


def gradient_check_n_pileup(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """Copies, but from a vector that keeps every +epsilon."""
    parameters_values, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    n = parameters_values.shape[0]
    gradapprox = np.zeros((n, 1))
    for i in range(n):
        parameters_values[i] += epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(np.copy(parameters_values)))
        theta_minus = np.copy(parameters_values)
        theta_minus[i] -= 2 * epsilon
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))
        gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
    return _rel(grad, gradapprox)


def _approx(parameters, X, Y, epsilon, kind):
    values, _ = dictionary_to_vector(parameters)
    n = values.shape[0]
    J0, _ = forward_propagation_n(X, Y, vector_to_dictionary(values))
    gradapprox = np.zeros((n, 1))
    for i in range(n):
        tp = np.copy(values)
        tp[i] += epsilon
        tm = np.copy(values)
        tm[i] -= epsilon
        Jp, _ = forward_propagation_n(X, Y, vector_to_dictionary(tp))
        Jm, _ = forward_propagation_n(X, Y, vector_to_dictionary(tm))
        if kind == "one-sided":
            gradapprox[i] = (Jp - J0) / epsilon
        elif kind == "missing 2":
            gradapprox[i] = (Jp - Jm) / epsilon
        elif kind == "precedence":
            gradapprox[i] = (Jp - Jm) / 2 * epsilon
        else:
            gradapprox[i] = (Jp - Jm) / (2 * epsilon)
    return gradapprox


def gradient_check_n_one_sided(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _rel(gradients_to_vector(gradients), _approx(parameters, X, Y, epsilon, "one-sided"))


def gradient_check_n_missing_2(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _rel(gradients_to_vector(gradients), _approx(parameters, X, Y, epsilon, "missing 2"))


def gradient_check_n_precedence(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _rel(gradients_to_vector(gradients), _approx(parameters, X, Y, epsilon, "precedence"))


def gradient_check_n_fixed_epsilon(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _rel(gradients_to_vector(gradients), _approx(parameters, X, Y, 1e-7, "two-sided"))


def gradient_check_n_numerator_only(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients)
    return np.linalg.norm(grad - _approx(parameters, X, Y, epsilon, "two-sided"))


def gradient_check_n_grad_denominator(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients)
    return np.linalg.norm(grad - _approx(parameters, X, Y, epsilon, "two-sided")) / np.linalg.norm(grad)


def gradient_check_n_sum_denominator(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients)
    gradapprox = _approx(parameters, X, Y, epsilon, "two-sided")
    return np.linalg.norm(grad - gradapprox) / np.linalg.norm(grad + gradapprox)


def gradient_check_n_returns_bool(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    d = _rel(gradients_to_vector(gradients), _approx(parameters, X, Y, epsilon, "two-sided"))
    return d < 2e-7


def gradient_check_n_original_parameters(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """Builds theta_plus / theta_minus but evaluates the cost at the given parameters."""
    values, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    gradapprox = np.zeros_like(values)
    for i in range(values.shape[0]):
        theta_plus = np.copy(values)
        theta_plus[i] += epsilon
        J_plus, _ = forward_propagation_n(X, Y, parameters)
        theta_minus = np.copy(values)
        theta_minus[i] -= epsilon
        J_minus, _ = forward_propagation_n(X, Y, parameters)
        gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
    return _rel(grad, gradapprox)


def gradient_check_n_mutates(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """Perturbs the caller's arrays in place and never puts them back."""
    grad = gradients_to_vector(gradients)
    approx = []
    for key in ("W1", "b1", "W2", "b2", "W3", "b3"):
        arr = parameters[key]
        for idx in np.ndindex(*arr.shape):
            arr[idx] += epsilon
            Jp, _ = forward_propagation_n(X, Y, parameters)
            arr[idx] -= 2 * epsilon
            Jm, _ = forward_propagation_n(X, Y, parameters)
            approx.append((Jp - Jm) / (2 * epsilon))
    return _rel(grad, np.array(approx).reshape(-1, 1))


def gradient_check_n_vectorizes_gradients_wrong(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """dictionary_to_vector on the gradients (keys dW1, ...) instead of gradients_to_vector."""
    values, _ = dictionary_to_vector(parameters)
    grad, _ = dictionary_to_vector(gradients)
    return _rel(grad, _approx(parameters, X, Y, epsilon, "two-sided"))


def gradient_check_n_returns_gradapprox(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """Returns the numerical gradient instead of the difference."""
    return _approx(parameters, X, Y, epsilon, "two-sided")
