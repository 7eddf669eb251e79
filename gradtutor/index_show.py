"""Stage 1, index form (printing): an index expression → gradtutor's notation, δ_ki·x_j.

The printed form reads back through :func:`gradtutor.index_form.parse_index`: entries with
one-letter indices as subscripts (x_j, W_ki), δ_ki, σ(…), Σ_m(…), − for minus, · for times.
"""

from __future__ import annotations

from .index_form import ICall, IDelta, IEntry, IExpr, Index, INum, ISum

_LEVEL = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4}
_SHORT = {"sigmoid": "σ"}


def _subscript(indices: tuple[Index, ...]) -> str | None:
    text = "".join(map(str, indices))
    return text if len(text) == len(indices) else None


def show_index(expr: IExpr) -> str:
    """Printed notation (reads back): δ_ki·x_j, σ(z_k)·(1 − σ(z_k)), Σ_m(W_km·x_m)."""
    if isinstance(expr, INum):
        return str(expr.value)
    if isinstance(expr, IEntry):
        sub = _subscript(expr.indices)
        if not expr.indices:
            return expr.name
        return f"{expr.name}_{sub}" if sub else f"{expr.name}[{', '.join(map(str, expr.indices))}]"
    if isinstance(expr, IDelta):
        sub = _subscript((expr.a, expr.b))
        return f"δ_{sub}" if sub else f"δ({expr.a}, {expr.b})"
    if isinstance(expr, ISum):
        return f"Σ_{expr.index}({show_index(expr.body)})"
    if expr.op not in _LEVEL:
        return f"{_SHORT.get(expr.op, expr.op)}({show_index(expr.args[0])})"
    return _operator(expr)


def _operator(expr: ICall) -> str:
    level = _LEVEL[expr.op]

    def part(arg: IExpr, least: int) -> str:
        inner = _LEVEL.get(arg.op, 5) if isinstance(arg, ICall) else 5
        if isinstance(arg, INum) and (arg.value < 0 or arg.value.denominator != 1):
            inner = 2 if arg.value >= 0 else 3
        text = show_index(arg)
        return f"({text})" if inner < least else text

    if expr.op == "neg":
        return "−" + part(expr.args[0], 4)
    if expr.op == "pow":
        power = expr.args[1]
        if isinstance(power, INum) and power.value in (2, 3):
            return part(expr.args[0], 5) + ("²" if power.value == 2 else "³")
        return f"{part(expr.args[0], 5)}^{part(power, 5)}"
    sign = {"add": " + ", "sub": " − ", "mul": "·", "div": "/"}[expr.op]
    return part(expr.args[0], level) + sign + part(expr.args[1], level + 1)
