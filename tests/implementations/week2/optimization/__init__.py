"""Student-like implementations of the optimization notebook's graded functions (tests/contract.py).

CORRECT[name] holds implementations written differently from the reference (the original
course's solutions among them) that must pass the hidden checks; WRONG[name] holds
(implementation, substring the diagnosis must contain, mistake tag) triples, each a mistake
students really make. One module per concept, as in autograder/hidden/week2/optimization/.
"""

from tests.implementations.week2.optimization import averages, basics, optimizers

CORRECT = {**basics.CORRECT, **averages.CORRECT, **optimizers.CORRECT}
WRONG = {**basics.WRONG, **averages.WRONG, **optimizers.WRONG}
