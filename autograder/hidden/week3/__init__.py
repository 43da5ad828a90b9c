"""Hidden checks of week 3: one module (or package) per notebook."""
