"""Student-like implementations of the regularization notebook's graded functions (tests/contract.py).

CORRECT[name] holds implementations written differently from the reference that
must pass the hidden checks; WRONG[name] holds (implementation, substring the
diagnosis must contain, mistake tag) triples, each a mistake students really
make. One module per concept, as in autograder/hidden/week1/regularization/.
"""

from tests.implementations.week1.regularization import dropout, early_stopping, inputs, l2

CORRECT = {**inputs.CORRECT, **l2.CORRECT, **dropout.CORRECT, **early_stopping.CORRECT}
WRONG = {**inputs.WRONG, **l2.WRONG, **dropout.WRONG, **early_stopping.WRONG}
