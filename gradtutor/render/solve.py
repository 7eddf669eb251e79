"""Render, solve: Solution → rich renderables, or markdown / LaTeX / JSON text.

Each part kind is first turned into a few neutral blocks (a sentence, a formula, a table, a
trace); the four output formats only know how to print blocks, so every kind looks the same
in every format. Numbers are printed with numeric.format_value; nothing is computed here.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import sympy as sp

from ..numeric import format_value, from_sympy
from . import formula
from .numbers import exact_text, json_number

# ("say", text) | ("math", label, expr) | ("table", title, headers, rows) | ("trace", result)
Block = tuple


def num(value: Any) -> str:
    """An exact or numeric value (or a SymPy number/formula) as short text."""
    if isinstance(value, sp.Basic) and not value.is_number:
        return formula.text(value)
    if isinstance(value, sp.Basic):
        if value.is_infinite:
            return formula.text(value).replace("oo", "∞")
        try:
            value = from_sympy(value) if value.is_real else value
        except ArithmeticError:  # a function the evaluator lacks (LambertW): SymPy's digits
            return f"{formula.text(value)} ≈ {sp.N(value, 6)}"
    if isinstance(value, Fraction) and value.denominator != 1:
        short = format_value(value)
        return short if Fraction(short.replace("−", "-")) == value else f"{value} ≈ {short}"
    return format_value(value) if isinstance(value, Fraction) or hasattr(value, "_mpf_") \
        else str(value)


def _derivative(r: Any) -> list[Block]:
    d = "d" if r.order == 1 else f"d^{r.order}"
    blocks: list[Block] = [("math", "f", r.f)]
    if r.steps:
        blocks.append(("table", "Rule by rule (innermost first)", ["u", "rule", f"du/d{r.wrt}"],
                       [[formula.text(s.expr), s.rule, formula.text(s.derivative)]
                        for s in r.steps]))
    blocks.append(("math", f"{d}f/d{r.wrt}", r.derivative))
    if r.in_exp is not None:
        blocks.append(("math", "written with exp", r.in_exp))
    if r.rewritten is not None:
        blocks.append(("math", f"in terms of {r.in_terms_of}", r.rewritten))
    if r.value is not None:
        at = ", ".join(f"{k} = {num(v)}" for k, v in r.point.items())
        blocks.append(("say", f"At {at}: {d}f/d{r.wrt} = {num(r.value)}"))
    return blocks


def _gradient(r: Any) -> list[Block]:
    rows = [[f"∂f/∂{n}", formula.text(d)] + ([num(r.values[n])] if r.values else [])
            for n, d in r.partials.items()]
    at = ", ".join(f"{k} = {num(v)}" for k, v in r.point.items())
    return [("math", "f", r.f), ("table", "Gradient", ["partial", "formula"] +
                                 ([f"at {at}"] if r.values else []), rows)]


def _cases(r: Any) -> list[Block]:
    rows = [[formula.text(c.when), formula.text(c.f), formula.text(c.derivative)]
            for c in r.cases]
    blocks: list[Block] = [("math", "f", r.f), ("table", f"Cases (derivative in {r.wrt})",
                                               ["when", "f", f"df/d{r.wrt}"], rows)]
    for k in r.kinks:
        verdict = "the derivative is continuous there" if k.jump == 0 else (
            f"the one-sided derivatives {formula.text(k.left)} and {formula.text(k.right)} "
            f"differ by {formula.text(k.jump)}: a kink, not differentiable there (any value "
            "between them is a subgradient)")
        blocks.append(("say", f"At {formula.text(k.boundary)} = 0: {verdict}."))
    return blocks


def _limit(r: Any) -> list[Block]:
    meaning = {"vanishes": "the gradient vanishes", "diverges": "it diverges",
               "finite": "a finite, non-zero limit"}[r.verdict]
    return [("math", "expression", r.f), ("math", "with the given values", r.substituted),
            ("say", f"Limit as {r.var} → {r.to.replace('oo', '∞')}: {num(r.value)} "
                    f"({meaning}).")]


def _solve(r: Any) -> list[Block]:
    blocks: list[Block] = [("math", "stationary points of", r.stationary)] \
        if r.stationary is not None else []
    blocks += [("math", "equation (= 0)", e) for e in r.substituted]
    rows = [[num(sol[n]) for n in r.unknowns] for sol in r.solutions]
    blocks.append(("table", "Real solutions", list(r.unknowns), rows) if rows
                  else ("say", "No real solution."))
    if r.complex_count:
        blocks.append(("say", f"({r.complex_count} further solutions are not real.)"))
    return blocks


def _descent(r: Any) -> list[Block]:
    names = list(r.partials)
    rule = [("math", f"{n} ← {n} − {num(r.rate)}·∂f/∂{n}, with ∂f/∂{n}", d)
            for n, d in r.partials.items()]
    rows = [[str(s.step)] + [num(s.params[n]) for n in names] +
            [", ".join(f"{k}={num(v)}" for k, v in s.data.items()), num(s.loss)] +
            [num(s.gradient[n]) for n in names] for s in r.steps]
    final = ", ".join(f"{n} = {num(v)}" for n, v in r.final.items())
    loss = f", loss {num(r.final_loss)}" if r.final_loss is not None else ""
    return [("math", "f", r.f), *rule, ("table", "Iterates", ["step", *names, "data", "loss",
                                                              *[f"∂f/∂{n}" for n in names]],
                                        rows), ("say", f"After {len(r.steps)} steps: {final}"
                                                       f"{loss}.")]


def _identity(r: Any) -> list[Block]:
    rows = [[formula.text(r.lhs), "left-hand side"]] + [
        [formula.text(s.expr), "= previous form" if s.ok else "≠ previous form"]
        for s in r.steps]
    how = "simplifies to 0" if r.proved else "agrees at every sample point"
    said = f"Holds: lhs − rhs {how}." if r.holds else (
        "Does not hold: " + ", ".join(f"{k} = {v}" for k, v in r.counterexample.items()) +
        f" gives different values (lhs − rhs = {formula.text(r.difference)}).")
    return [("table", "Steps", ["form", "check"], rows), ("say", said)]


def _series(r: Any) -> list[Block]:
    about = f"about {r.var} = {num(r.about)}, up to {r.var}^{r.order - 1}"
    if r.expansion is not None:
        return [("math", "f", r.f), ("math", f"Taylor polynomial {about}", r.expansion)]
    return [("math", "f", r.f), ("say", f"f has a kink at {r.var} = {num(r.about)}: "
                                        "one expansion per side."),
            ("math", f"below ({about})", r.left), ("math", "above", r.right)]


def _edges(r: Any) -> list[Block]:
    rows = [[r.output, f"∂L/∂{r.output} with L = {formula.text(r.loss)}", num(r.seed)]]
    rows += [[row.node, " + ".join(f"{num(d)}·{to}̄" for to, _, d in row.contributions),
              num(row.adjoint)] for row in r.rows[1:]]
    blocks: list[Block] = [("table", "Reverse sweep", ["node", "contributions", "adjoint"],
                            rows)]
    if r.paths:
        blocks.append(("table", "Sum over paths", ["input", "path", "seed × product"],
                       [[i, " → ".join(p), num(v)] for i, p, v in r.paths]))
    return blocks


def _plot(r: Any) -> list[Block]:
    from .plot_text import plot_text

    rows = [[f.source, f.range_text, num(f.max_slope.value) + ("" if f.max_slope.attained
                                                               else " (approached only)"),
             f.max_slope_at or "—", "; ".join(f.zeros) or "none"] for f in r.facts]
    return [("picture", plot_text(r.plot, 80, 16)),
            ("table", "Read off the plot", ["f", "range f(ℝ)", "largest f′", "where",
                                            "zeros in the plot"], rows)]


def _tensor(r: Any) -> list[Block]:
    from ..tensor import tensor_text

    rows = [[name, r.shapes[name], tensor_text(grad)] for name, grad in r.gradient.items()]
    blocks: list[Block] = [("say", f"{r.source}  →  value {tensor_text(r.value)}"),
                           ("table", "Gradients (a gradient has the shape of its variable)",
                            ["input", "shape", "∂output/∂input"], rows)]
    if r.jacobians:
        blocks.append(("table", "Jacobians (numerator layout: rows = output entries, "
                       "columns = input entries)", ["input", "Jacobian"],
                       [[n, tensor_text(j)] for n, j in r.jacobians.items()]))
    return blocks + [("say", f"Verified: {r.verified} ({r.route} values).")]


def _index(r: Any) -> list[Block]:
    rows = [[sizes, str(entries), verdict] for sizes, entries, verdict in r.sizes]
    return [("say", f"{r.derivative} = {r.pattern or '(no pattern given)'}"),
            ("say", f"Free indices: {r.free}."),
            ("table", "The pattern expanded at every index combination, against the Jacobian",
             ["sizes", "entries", "pattern vs Jacobian"], rows),
            ("say", f"Verified: {r.verified}.")]


_VIEWS: dict[str, Callable[[Any], list[Block]]] = {
    "tensor": _tensor, "index": _index,
    "derivative": _derivative, "gradient": _gradient, "cases": _cases, "limit": _limit,
    "solve": _solve, "descent": _descent, "identity": _identity, "series": _series,
    "edges": _edges, "trace": lambda r: [("trace", r.result)],
    "set": lambda r: [("math", "function" if r.what.startswith("range") else "condition",
                       r.expr),
                      ("say", f"Its values for real {r.var}: {r.text}." if r.what.startswith(
                          "range") else f"The {r.var} that satisfy it: {r.text}.")],
    "plot": _plot}


def _check_line(part: Any) -> str:
    if part.answer_ok is None:
        return ""
    bad = [c for c in part.checks if not c.ok]
    if not bad:
        return "Model answer: agrees with the solution."
    return "Model answer DISAGREES: " + "; ".join(
        f"{c.key}: file says {c.expected}, solver gives {c.got}" for c in bad)


def part_blocks(part: Any) -> list[Block]:
    blocks: list[Block] = [("say", part.part.statement.strip())] if part.part.statement else []
    blocks += _VIEWS[part.part.kind](part.result)
    blocks += [("say", line) for line in (part.part.explain.strip(), _check_line(part)) if line]
    return blocks


def solution_renderable(solution: Any) -> Any:
    """The whole worked solution as one rich renderable."""
    from rich.console import Group
    from rich.markdown import Markdown
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    from .trace import trace_renderable

    items: list[Any] = [Text(solution.problem.title, style="bold")]
    if solution.problem.statement:
        items.append(Markdown(solution.problem.statement))
    for part in solution.parts:
        items.append(Rule(f"Part {part.part.id} ({part.part.kind})", align="left"))
        for block in part_blocks(part):
            if block[0] == "table":
                table = Table(title=block[1], title_justify="left", show_lines=False)
                for head in block[2]:
                    table.add_column(head)
                for row in block[3]:
                    table.add_row(*row)
                items.append(table)
            elif block[0] == "trace":
                items.append(trace_renderable(block[1]))
            elif block[0] == "picture":
                items.append(Text(block[1], no_wrap=True, overflow="ignore"))
            else:
                items.append(Text(block[1] if block[0] == "say" else
                                  f"{block[1]} = {formula.text(block[2])}"))
    return Group(*items)


def solution_text(solution: Any, fmt: str, width: int = 100) -> str:
    """The solution as plain text (table), markdown, latex or json."""
    if fmt == "json":
        return json.dumps(solution_json(solution), indent=2, ensure_ascii=False) + "\n"
    if fmt in ("markdown", "latex"):
        return _document(solution, fmt)
    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, legacy_windows=False).print(
        solution_renderable(solution))
    return buffer.getvalue()


def _document(solution: Any, fmt: str) -> str:
    from .trace import trace_text

    md = fmt == "markdown"
    out = [f"# {solution.problem.title}" if md else
           f"\\section*{{{_tex(solution.problem.title)}}}", "", solution.problem.statement]
    for part in solution.parts:
        head = f"Part {part.part.id} ({part.part.kind})"
        out.append(f"## {head}\n" if md else f"\\subsection*{{{_tex(head)}}}\n")
        for block in part_blocks(part):
            if block[0] == "trace":
                out.append(trace_text(block[1], fmt))
            elif block[0] == "table":
                out.append(_md_table(block) if md else _tex_table(block))
            elif block[0] == "picture":
                out.append(f"```text\n{block[1]}```\n" if md else
                           f"\\begin{{verbatim}}\n{block[1]}\\end{{verbatim}}\n")
            elif block[0] == "math":
                out.append(f"- {block[1]}: `{formula.text(block[2])}`" if md else
                           f"{_tex(block[1])}: $\\displaystyle {formula.latex(block[2])}$\n")
            else:
                out.append(block[1] + "\n" if md else _tex(block[1]) + "\n")
    return "\n".join(out) + "\n"


def _md_table(block: Block) -> str:
    rows = [block[2], ["---"] * len(block[2]), *block[3]]
    return f"**{block[1]}**\n\n" + "\n".join(
        "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows) + "\n"


def _tex_table(block: Block) -> str:
    rows = [" & ".join(_tex(c) for c in row) + r" \\" for row in [block[2], *block[3]]]
    return (f"\\textbf{{{_tex(block[1])}}}\n\n\\begin{{tabular}}{{{'l' * len(block[2])}}}\n"
            + "\n".join(rows) + "\n\\end{tabular}\n")


def _tex(text: str) -> str:
    for bad, good in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"),
                      ("#", r"\#"), ("_", r"\_"), ("{", r"\{"), ("}", r"\}")):
        text = text.replace(bad, good)
    return text


def solution_json(solution: Any) -> dict[str, Any]:
    """One document: the problem, then each part's result fields and answer checks."""
    p = solution.problem
    return {"name": p.name, "title": p.title, "topics": list(p.topics),
            "answers_ok": solution.answers_ok, "parts": [
                {"id": s.part.id, "kind": s.part.kind, "statement": s.part.statement,
                 "answer_ok": s.answer_ok, "result": _plain(s.result)} for s in solution.parts]}


def _plain(value: Any) -> Any:
    """Result objects → JSON-ready values (formulas as text, numbers with their exact form)."""
    if type(value).__name__ == "TraceResult":
        from .trace_json import trace_json

        return trace_json(value)
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, sp.Basic) and value.is_number and value.is_finite and value.is_real:
        value = from_sympy(value)
    if isinstance(value, Fraction) or hasattr(value, "_mpf_"):
        return {"value": json_number(value), "exact": exact_text(value)}
    if isinstance(value, sp.Basic):
        return formula.text(value) if not isinstance(value, sp.logic.boolalg.Boolean) \
            or value in (sp.true, sp.false) else str(value)
    return value
