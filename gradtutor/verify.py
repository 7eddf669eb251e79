"""Stage 3c, verify: graph + point + adjoints → independent checks and the symbolic gradient.

Two routes that share nothing with the reverse sweep: ``sympy.diff`` of the whole expression
(bounded by size, simplification bounded by time) and central finite differences of the primal
sweep along random directions (finite_diff.py). The adjoints printed are checked against both.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sympy as sp

from .errors import GradtutorError
from .finite_diff import TOLERANCE, finite_difference_error, kink_effect
from .graph import Graph
from .numeric import CTX, Value, from_sympy, to_mpf, to_sympy
from .rules import RULES
from .sym import symbol

MAX_SYMBOLIC_OPS = 400  # whole-expression size beyond which sympy.diff is not attempted
MAX_SYMBOLIC_DEPTH = 40  # SymPy recurses on nesting; deeper graphs skip the symbolic route
SIMPLIFY_SECONDS = 0.5
SYMPY_TOLERANCE = CTX.mpf("1e-30")  # relative above 1, absolute below


@dataclass(frozen=True)
class Verification:
    symbolic: dict[str, sp.Expr]  # input → ∂y/∂input of the whole expression ({} if skipped)
    symbolic_note: str  # why the symbolic route was skipped, or ""
    sympy_error: Value | None  # max |adjoint − sympy.diff value|
    fd_error: Value | None  # max |∇y·d − central difference| / Σ|∂y/∂xᵢ·dᵢ| over directions d
    fd_note: str
    kink: str = ""  # at a kink: "real", "cancels" or "convention" (finite_diff.kink_effect)

    @property
    def sympy_agrees(self) -> bool:
        return self.sympy_error is None or self.sympy_error <= SYMPY_TOLERANCE

    @property
    def fd_agrees(self) -> bool:
        return self.fd_error is None or self.fd_error <= TOLERANCE

    @property
    def agrees(self) -> bool:
        return self.sympy_agrees and self.fd_agrees


def expression_shape(graph: Graph) -> tuple[int, int]:
    """(operations, nesting depth) of the whole expression written out as a tree."""
    size: dict[int, int] = {node.index: 0 for node in graph.inputs}
    depth: dict[int, int] = dict(size)
    for node in graph.steps:
        refs = [a for a in node.args if isinstance(a, int)]
        size[node.index] = min(1 + sum(size[a] for a in refs), 10**12)
        depth[node.index] = 1 + max((depth[a] for a in refs), default=0)
    return size[graph.output.index], depth[graph.output.index]


def whole_expression(graph: Graph) -> sp.Expr:
    """The output as one SymPy expression in the inputs (only for graphs of bounded size)."""
    exprs: dict[int, sp.Expr] = {n.index: symbol(n.name) for n in graph.inputs}
    for node in graph.steps:
        args = [exprs[a] if isinstance(a, int) else a.value for a in node.args]
        exprs[node.index] = RULES[node.op].build(*args)
    return exprs[graph.output.index]


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise TimeoutError after ``seconds`` (main thread only; elsewhere no budget)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def simplest(expr: sp.Expr, seconds: float = SIMPLIFY_SECONDS) -> sp.Expr:
    """The shortest of a few cheap normal forms, within a time budget.

    Full ``sympy.simplify`` is not used here: it alone costs more than the rest of a trace
    (it loads sympy.physics on first use), and the derivative of a graph is already tidy.
    """
    best = expr
    try:
        with time_budget(seconds):
            for rewrite in (sp.factor_terms, sp.powsimp):
                candidate = rewrite(expr)
                if sp.count_ops(candidate) <= sp.count_ops(best):  # later forms win ties
                    best = candidate
    except (TimeoutError, RecursionError, sp.PolynomialError):
        pass
    return best


def symbolic_gradient(graph: Graph) -> tuple[dict[str, sp.Expr], str]:
    size, depth = expression_shape(graph)
    skipped = "; the symbolic gradient and its sympy.diff check were skipped"
    if size > MAX_SYMBOLIC_OPS:
        count = f"{size}" if size < 10**12 else "more than 10¹²"
        return {}, (f"the whole expression has {count} operations when written out (the graph "
                    f"shares them in {len(graph.steps)} nodes){skipped}")
    if depth > MAX_SYMBOLIC_DEPTH:
        return {}, f"the whole expression is nested {depth} operations deep{skipped}"
    try:
        expr = whole_expression(graph)
        return {n.name: simplest(sp.diff(expr, symbol(n.name))) for n in graph.inputs}, ""
    except RecursionError:
        return {}, f"the whole expression is too deeply nested for SymPy{skipped}"
    except (ValueError, TypeError):  # e.g. max of constants SymPy cannot compare
        return {}, f"SymPy cannot build the whole expression as one formula{skipped}"


def verify(graph: Graph, point: dict[str, Value], gradient: dict[str, Value],
           kinks: bool) -> Verification:
    symbolic, note = symbolic_gradient(graph)
    sympy_error = _sympy_error(symbolic, point, gradient) if symbolic else None
    kink = kink_effect(graph, point, gradient) if kinks else ""
    if kink in ("real", "convention"):
        why = {"real": "the point is at a kink",
               "convention": "the gradient follows the conventions at the kinks"}[kink]
        return Verification(symbolic, note, sympy_error, None,
                            f"finite differences skipped: {why}", kink)
    fd_error, fd_note = finite_difference_error(graph, point, gradient)
    return Verification(symbolic, note, sympy_error, fd_error, fd_note, kink)


def _sympy_error(symbolic: dict[str, sp.Expr], point: dict[str, Value],
                 gradient: dict[str, Value]) -> Value | None:
    """Max |adjoint − sympy.diff value|, relative where the derivative is larger than 1."""
    subs = {symbol(name): to_sympy(v) for name, v in point.items()}
    worst = CTX.mpf(0)
    for name, derivative in symbolic.items():
        at = derivative.xreplace(subs)
        if at.has(sp.Heaviside, sp.sign, sp.Piecewise, sp.Max, sp.Min):
            at = at.doit()
        try:
            value = to_mpf(from_sympy(at))
        except (ArithmeticError, TypeError, ValueError, GradtutorError):
            return None
        worst = max(worst, abs(value - to_mpf(gradient[name])) / max(1, abs(value)))
    return worst
