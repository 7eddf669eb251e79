"""Load a bench/ script as a module, so tests can check its generators without timing them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parent.parent / "bench"


def load_bench(filename: str) -> ModuleType:
    """bench/FILENAME as a module (bench/ on sys.path while it loads, for its own imports)."""
    path = BENCH / filename
    spec = importlib.util.spec_from_file_location(f"gradtutor_bench_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(BENCH))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module
