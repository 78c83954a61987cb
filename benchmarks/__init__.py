"""Measurements (`make bench`, `make bench-search`): figures, not pass/fail tests."""
