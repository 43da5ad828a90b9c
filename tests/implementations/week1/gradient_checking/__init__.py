"""Student-like implementations of the gradient checking notebook's graded functions.

CORRECT[name] holds implementations written differently from the reference that
must pass the hidden checks; WRONG[name] holds (implementation, substring the
diagnosis must contain, tag) triples, each a mistake students really make
(tests/contract.py). The implementations are in one_d.py, n_d.py and backward_n.py.
"""

from tests.implementations.week1.gradient_checking.backward_n import (
    backward_n_db1_bug_left, backward_n_dw2_bug_left, backward_n_dz3_sign, backward_n_fixed_by_dividing,
    backward_n_matmul, backward_n_no_1_over_m, backward_n_no_relu_mask, backward_n_release, backward_n_transposed,
    l2_biases_too, l2_calls_backward_n, l2_half, l2_no_m, l2_no_term, l2_only_the_term, l2_pasted)
from tests.implementations.week1.gradient_checking.n_d import (
    gradient_check_n_dict, gradient_check_n_eye, gradient_check_n_fixed_epsilon, gradient_check_n_grad_denominator,
    gradient_check_n_missing_2, gradient_check_n_mutates, gradient_check_n_no_copy, gradient_check_n_numerator_only,
    gradient_check_n_one_sided, gradient_check_n_original_parameters, gradient_check_n_original_style,
    gradient_check_n_pileup, gradient_check_n_precedence, gradient_check_n_restore, gradient_check_n_returns_bool,
    gradient_check_n_returns_gradapprox, gradient_check_n_sum_denominator,
    gradient_check_n_vectorizes_gradients_wrong)
from tests.implementations.week1.gradient_checking.one_d import (
    backward_ones_like, backward_returns_J, backward_returns_one, backward_returns_theta, backward_times_one,
    forward_dot, forward_multiply, forward_no_return, forward_power, forward_returns_theta, forward_returns_x,
    forward_sum, gradient_check_abs, gradient_check_backward_for_forward, gradient_check_fixed_epsilon,
    gradient_check_grad_denominator, gradient_check_hardcoded_J, gradient_check_missing_2, gradient_check_no_norms,
    gradient_check_no_return, gradient_check_numerator_only, gradient_check_one_sided, gradient_check_precedence,
    gradient_check_returns_bool, gradient_check_sqrt)


# ============================================================ stubs (the release's NotImplementedError)

def _stub(name):
    def stub(*args, **kwargs):
        raise NotImplementedError()
    stub.__name__ = f"{name}_stub"
    return stub


# ============================================================ tables (tests/contract.py)

CORRECT = {
    "forward_propagation": [forward_multiply, forward_dot],
    "backward_propagation": [backward_times_one, backward_ones_like],
    "gradient_check": [gradient_check_abs, gradient_check_sqrt],
    "gradient_check_n": [gradient_check_n_original_style, gradient_check_n_restore, gradient_check_n_dict,
                         gradient_check_n_eye],
    "backward_propagation_n": [backward_n_matmul, backward_n_fixed_by_dividing],
    "backward_propagation_with_regularization": [l2_calls_backward_n, l2_pasted],
}

WRONG = {
    "forward_propagation": [
        (forward_sum, "you added them", "forward.sum"),
        (forward_power, "power x", "forward.theta_power_x"),
        (forward_returns_x, "that is the derivative", "forward.returned_derivative"),
        (forward_returns_theta, "you returned theta", "forward.returned_theta"),
        (forward_no_return, "returned None", "forward.none"),
        (_stub("forward_propagation"), "not implemented yet", "forward.not_implemented"),
    ],
    "backward_propagation": [
        (backward_returns_theta, "you returned theta", "backward.returned_theta"),
        (backward_returns_J, "J = theta * x itself", "backward.returned_cost"),
        (backward_returns_one, "not 1", "backward.returned_one"),
        (_stub("backward_propagation"), "not implemented yet", "backward.not_implemented"),
    ],
    "gradient_check": [
        (gradient_check_one_sided, "one-sided difference", "gradcheck.one_sided"),
        (gradient_check_missing_2, "divide by 2 * epsilon, not epsilon", "gradcheck.missing_2"),
        (gradient_check_fixed_epsilon, "epsilon=1e-7 was used", "gradcheck.hardcoded_epsilon"),
        (gradient_check_no_norms, "need norms", "gradcheck.no_norms"),
        (gradient_check_numerator_only, "only the numerator", "gradcheck.numerator_only"),
        (gradient_check_grad_denominator, "not just ||grad||", "gradcheck.one_norm_denominator"),
        (gradient_check_precedence, "parentheses", "gradcheck.precedence"),
        (gradient_check_returns_bool, "returned a bool", "gradcheck.bool"),
        (gradient_check_no_return, "returned None", "gradcheck.none"),
        (gradient_check_hardcoded_J, "never called forward_propagation", "gradcheck.no_forward_call"),
        (gradient_check_backward_for_forward, "called backward_propagation where forward_propagation belongs",
         "gradcheck.backward_for_forward"),
        (_stub("gradient_check"), "not implemented yet", "gradcheck.not_implemented"),
    ],
    "gradient_check_n": [
        (gradient_check_n_no_copy, "forget np.copy", "gradcheck_n.no_copy"),
        (gradient_check_n_pileup, "pile up", "gradcheck_n.pileup"),
        (gradient_check_n_one_sided, "one-sided difference", "gradcheck_n.one_sided"),
        (gradient_check_n_missing_2, "divide by 2 * epsilon, not epsilon", "gradcheck_n.missing_2"),
        (gradient_check_n_precedence, "parentheses", "gradcheck_n.precedence"),
        (gradient_check_n_fixed_epsilon, "epsilon=1e-7 was used", "gradcheck_n.hardcoded_epsilon"),
        (gradient_check_n_numerator_only, "only the numerator", "gradcheck_n.numerator_only"),
        (gradient_check_n_grad_denominator, "not just ||grad||", "gradcheck_n.one_norm_denominator"),
        (gradient_check_n_sum_denominator, "not ||grad + gradapprox||", "gradcheck_n.norm_of_sum_denominator"),
        (gradient_check_n_returns_bool, "returned a bool", "gradcheck_n.bool"),
        (gradient_check_n_original_parameters, "got the original parameters", "gradcheck_n.unperturbed"),
        (gradient_check_n_mutates, "modified the parameters dict", "gradcheck_n.modifies_parameters"),
        (gradient_check_n_vectorizes_gradients_wrong, "gradients_to_vector", "gradcheck_n.gradients_to_vector"),
        (gradient_check_n_returns_gradapprox, "you returned a gradient", "gradcheck_n.returned_gradient"),
        (_stub("gradient_check_n"), "not implemented yet", "gradcheck_n.not_implemented"),
    ],
    "backward_propagation_n": [
        (backward_n_release, "both planted bugs are still there", "backward_n.planted_bugs"),
        (backward_n_dw2_bug_left, "the planted bug in the line of dW2", "backward_n.dw2_factor"),
        (backward_n_db1_bug_left, "the planted bug in the line of db1", "backward_n.db1_factor"),
        (backward_n_no_1_over_m, "m times the true gradient", "backward_n.missing_1_over_m"),
        (backward_n_dz3_sign, "sign is flipped", "backward_n.sign"),
        (backward_n_no_relu_mask, "dW1 differs from the true gradient", "backward_n.wrong_gradient"),
        (backward_n_transposed, "dW1 has shape", "backward_n.shape"),
        (_stub("backward_propagation_n"), "not implemented yet", "backward_n.not_implemented"),
    ],
    "backward_propagation_with_regularization": [
        (l2_no_term, "no regularization term", "l2backward_n.no_reg_term"),
        (l2_half, "lambd / (2 m)", "l2backward_n.half"),
        (l2_no_m, "divide by m", "l2backward_n.no_m"),
        (l2_biases_too, "the biases are not in the L2 term", "l2backward_n.db_regularized"),
        (l2_only_the_term, "only the regularization term", "l2backward_n.only_reg_term"),
        (_stub("backward_propagation_with_regularization"), "not implemented yet", "l2backward_n.not_implemented"),
    ],
}
