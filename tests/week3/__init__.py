"""Tests of week 3's notebooks: what is special to each (the shared contract is in tests/test_contract.py)."""
