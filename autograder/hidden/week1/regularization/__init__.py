"""Hidden checks of week 1, notebook `regularization`: cases plus a judge each (autograder/hidden/check.py).

- inputs.py: normalize_inputs, diagnose
- l2.py: compute_cost_with_regularization, backward_propagation_with_regularization
- dropout.py: forward_propagation_with_dropout, backward_propagation_with_dropout
- early_stopping.py: best_iteration
- shared.py: the reference, the notebook's 3-layer nets, gradient dicts

Deterministic functions are compared with the reference on several random
shapes, seeds and edge cases (lambd = 0, keep_prob = 1, m = 1, a layer of width
1); the backward passes are also compared with numerical gradients. The dropout
forward pass is random, so it is checked by structure and statistics only. A
failure names the likely mistake: the student's output is compared with the
outputs of the usual wrong formulas. The checks vary widths, m, lambd and
keep_prob, not depth: these functions belong to the notebook's 3-layer net.
"""

from autograder.hidden.week1.regularization.dropout import (check_backward_propagation_with_dropout,
                                                            check_forward_propagation_with_dropout)
from autograder.hidden.week1.regularization.early_stopping import check_best_iteration
from autograder.hidden.week1.regularization.inputs import check_diagnose, check_normalize_inputs
from autograder.hidden.week1.regularization.l2 import (check_backward_propagation_with_regularization,
                                                       check_compute_cost_with_regularization)

__all__ = ["check_normalize_inputs", "check_diagnose", "check_compute_cost_with_regularization",
           "check_backward_propagation_with_regularization", "check_forward_propagation_with_dropout",
           "check_backward_propagation_with_dropout", "check_best_iteration"]
