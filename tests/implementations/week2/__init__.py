"""Student-style implementations of week 2's graded functions, one module per notebook."""
