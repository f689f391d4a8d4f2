"""Thin DVC stage entry points: ``python -m stages.<name>``. All behaviour lives in ``pipeline``."""
