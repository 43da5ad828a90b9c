"""Hidden checks of week 1: one module per notebook (initialization, regularization, gradient_checking)."""
