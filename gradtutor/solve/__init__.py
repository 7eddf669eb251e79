"""Placeholder: the solve stage (to be implemented)."""
