"""Hidden checks of week 1, notebook `gradient_checking`: cases plus a judge (autograder/hidden/check.py).

- one_d: forward_propagation, backward_propagation (J = theta * x) and the 1-D
  gradient_check, run with toy forward/backward passes (course.gradcheck_toys)
  rebound in place of the notebook's;
- n_d: gradient_check_n on small random nets, with correct and buggy gradients,
  recording every forward_propagation_n call (spy) to diagnose a missing np.copy;
- backward_n: the student's fix of backward_propagation_n (released with two
  planted bugs) and its L2 twin backward_propagation_with_regularization.

When a value is wrong, the judges compute what the usual mistakes would have
returned on the same inputs (one-sided difference, missing 2, no np.copy, wrong
denominator, ...) and name the one that matches, with a stable tag.
"""

from autograder.hidden.week1.gradient_checking.backward_n import (check_backward_propagation_n,
                                                                 check_backward_propagation_with_regularization)
from autograder.hidden.week1.gradient_checking.n_d import check_gradient_check_n
from autograder.hidden.week1.gradient_checking.one_d import (check_backward_propagation, check_forward_propagation,
                                                            check_gradient_check)

__all__ = ["check_forward_propagation", "check_backward_propagation", "check_gradient_check",
           "check_gradient_check_n", "check_backward_propagation_n", "check_backward_propagation_with_regularization"]
