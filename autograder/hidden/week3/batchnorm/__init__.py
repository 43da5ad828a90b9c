"""Hidden checks of week 3, notebook `batchnorm`: cases plus a judge each (autograder/hidden/check.py).

- sampling.py: sample_learning_rates, sample_betas (by distribution: range and a Kolmogorov-Smirnov
  distance on the log scale, over many draws after np.random.seed; never the exact draws)
- softmax.py: softmax, one_hot, softmax_cost, softmax_backward
- forward.py: batchnorm_forward (output, cache, running averages stored back into bn_param)
- backward.py: batchnorm_backward (against the reference and a numerical gradient, autograder/numgrad.py)
- shared.py: reading answers, matching an answer against the usual wrong formulas

Every graded function is called positionally, with its arguments in the documented order.
A failure names the likely mistake with a stable tag.
"""

from autograder.hidden.week3.batchnorm.backward import check_batchnorm_backward
from autograder.hidden.week3.batchnorm.forward import check_batchnorm_forward
from autograder.hidden.week3.batchnorm.sampling import check_sample_betas, check_sample_learning_rates
from autograder.hidden.week3.batchnorm.softmax import (check_one_hot, check_softmax, check_softmax_backward,
                                                       check_softmax_cost)

__all__ = ["check_sample_learning_rates", "check_sample_betas", "check_softmax", "check_one_hot",
           "check_softmax_cost", "check_softmax_backward", "check_batchnorm_forward", "check_batchnorm_backward"]
