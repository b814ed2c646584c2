"""Deterministic generator of realistically dirty customer data with ground truth."""

from .core import DEFAULT_END_DATE, generate

__all__ = ["DEFAULT_END_DATE", "generate"]
