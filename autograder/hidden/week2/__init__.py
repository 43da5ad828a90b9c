"""Hidden checks of week 2: one module (or package) per notebook (optimization)."""
