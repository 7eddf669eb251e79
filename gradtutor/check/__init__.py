"""Placeholder: the check stage (to be implemented)."""
