"""Student-like implementations of the batchnorm notebook's graded functions (tests/contract.py).

CORRECT[name] holds implementations written differently from the reference that must pass
the hidden checks; WRONG[name] holds (implementation, substring the diagnosis must contain,
mistake tag) triples, each a mistake students really make. One module per concept, as in
autograder/hidden/week3/batchnorm/.
"""

from tests.implementations.week3.batchnorm import layers, sampling, softmax

CORRECT = {**sampling.CORRECT, **softmax.CORRECT, **layers.CORRECT}
WRONG = {**sampling.WRONG, **softmax.WRONG, **layers.WRONG}
