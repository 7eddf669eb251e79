"""Package plumbing: let ``gradtutor.check(...)`` and ``gradtutor.solve(...)`` be called.

Importing the subpackage ``gradtutor.check`` binds the attribute ``gradtutor.check`` to the
package itself, shadowing the function of the same name. Making the package callable keeps
``gradtutor.check(...)`` working whichever of the two the attribute holds.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any


def make_callable(module_name: str, function: Callable[..., Any]) -> None:
    """Calling the module ``module_name`` calls ``function``."""

    class _CallableModule(types.ModuleType):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return function(*args, **kwargs)

    sys.modules[module_name].__class__ = _CallableModule
