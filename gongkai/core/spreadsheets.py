"""Writing spreadsheets safely (security.md WEB-04): every cell is text, never a formula."""

from __future__ import annotations


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
