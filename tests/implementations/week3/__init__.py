"""Student-style implementations of week 3's graded functions, one module per notebook."""
