"""Spreadsheet exports that cannot carry formulas."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def escape_formula(value):
    """Prefix text a spreadsheet would read as a formula with an apostrophe (OWASP CSV
    injection). Numbers, dates and booleans pass through unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
