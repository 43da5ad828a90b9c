"""Hidden checks, one package per week. Each check raises AssertionError naming the likely mistake."""
