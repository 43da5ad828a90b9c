"""Hidden checks of week 2, notebook `optimization`: cases plus a judge each (autograder/hidden/check.py).

- basics.py: update_parameters_with_gd, random_mini_batches
- averages.py: exponentially_weighted_averages, update_lr, schedule_lr_decay
- state.py: initialize_velocity, initialize_rmsprop, initialize_adam
- steps.py: update_parameters_with_momentum, update_parameters_with_rmsprop, update_parameters_with_adam
- shared.py: the reference, nets of several depths, gradients of mixed magnitude, reading answers

Every graded function is called positionally, with its arguments in the documented order.
Deterministic functions are compared with the reference; the shuffle of the mini-batches is
checked by structure only (any permutation method passes). The three optimizers are checked
over several consecutive steps, with gradients of mixed magnitude and a non-default epsilon.
A failure names the likely mistake, matched against the usual wrong formulas, with a tag.
"""

from autograder.hidden.week2.optimization.averages import (check_exponentially_weighted_averages,
                                                           check_schedule_lr_decay, check_update_lr)
from autograder.hidden.week2.optimization.basics import check_random_mini_batches, check_update_parameters_with_gd
from autograder.hidden.week2.optimization.state import (check_initialize_adam, check_initialize_rmsprop,
                                                        check_initialize_velocity)
from autograder.hidden.week2.optimization.steps import (check_update_parameters_with_adam,
                                                        check_update_parameters_with_momentum,
                                                        check_update_parameters_with_rmsprop)

__all__ = ["check_update_parameters_with_gd", "check_random_mini_batches", "check_exponentially_weighted_averages",
           "check_initialize_velocity", "check_update_parameters_with_momentum", "check_initialize_rmsprop",
           "check_update_parameters_with_rmsprop", "check_initialize_adam", "check_update_parameters_with_adam",
           "check_update_lr", "check_schedule_lr_decay"]
