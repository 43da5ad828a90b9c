"""Hidden checks for week 1; one module per notebook."""

from autograder.hidden.week1.gradient_checking import *  # noqa: F401,F403
from autograder.hidden.week1.initialization import *  # noqa: F401,F403
from autograder.hidden.week1.regularization import *  # noqa: F401,F403
