"""gradtutor: step-by-step derivatives and backpropagation, with answer checking.

The public API is loaded lazily so that ``gradtutor --help`` does not import SymPy.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"
__all__ = ["trace", "solve", "check", "__version__"]

_LAZY = {"trace": "gradtutor.api", "solve": "gradtutor.solve", "check": "gradtutor.check"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'gradtutor' has no attribute {name!r}")
