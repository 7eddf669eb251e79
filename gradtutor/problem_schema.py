"""Problem-file schema (feeds problems and solve): declared keys and types → checks, JSON Schema.

Each part kind lists the keys its solver reads and the keys its model ``answer`` may have.
The loader validates against these tables and ``json_schema`` turns the same tables into a
JSON Schema for editors, so the two can never disagree.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from .errors import GradtutorError, ProblemFileError

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_TO = re.compile(r"\s*(?P<sign>[-+]?)\s*(?:oo|inf|infinity)\s*\Z")
_OPS = ("<=", ">=", "<", ">")


@dataclass(frozen=True)
class Quantity:
    """A number from a file: its exact value and the text it was written as (for rounding)."""

    value: Any  # an exact SymPy number, or ±oo for a limit point
    text: str
    side: str = ""  # "+" or "-" for a one-sided limit point such as 0+




@dataclass(frozen=True)
class Field:
    type: str  # text bool int name names formula equation condition number limit enum
    #            list (of ``item``) map (name → ``item``) object (``fields``)
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()
    item: Field | None = None
    fields: tuple[tuple[str, Field], ...] = ()
    limit: int = 1000  # the largest whole number an "int" accepts
    symbolic: bool = False  # a "number" that may keep symbols without a value (theta/4)


def _f(kind: str, help: str, required: bool = False, **extra: Any) -> Field:
    return Field(kind, help, required, **extra)


_NUMBER = _f("number", "a number: 0.3, -1/3, pi/4")
_POINT = _f("map", "values of the variables, e.g. {x: 0.3, w: 0.5}", item=_NUMBER)
_AT = _f("map", "evaluate at these values (missing ones come from given)", item=_NUMBER)

TOP: dict[str, Field] = {
    "title": _f("text", "a one-line title", True),
    "topics": _f("list", "keywords such as sigmoid, chain rule", item=_f("text", "")),
    "source": _f("text", "where the exercise comes from"),
    "statement": _f("text", "the exercise text (markdown)"),
    "given": _f("map", "shared numbers (x1: 1) and definitions (p: sigmoid(a))",
                item=_f("formula", "a number or a formula")),
    "parts": _f("list", "the questions, in order", True, item=_f("object", "a part")),
    "assume": _f("map", 'conditions of the exercise: {y: binary, theta: positive, alpha: '
                 '"0 < alpha < 1"}; answers are checked under them', item=_f("text", "")),
}

PART: dict[str, Field] = {
    "id": _f("name", "a short name for the part: a, b1, flip", True),
    "kind": _f("enum", "what to compute", True, choices=(
        "trace", "derivative", "gradient", "cases", "limit", "solve", "descent", "identity",
        "series", "edges", "tensor", "set", "plot", "index")),
    "statement": _f("text", "the question (markdown)"),
    "explain": _f("text", "the model answer's words: what the result means"),
}

_EDGE = _f("object", "an edge with its local partial d(to)/d(from)", fields=(
    ("from", _f("name", "the node the edge leaves", True)),
    ("to", _f("name", "the node the edge enters", True)),
    ("d", _f("number", "the local partial ∂to/∂from", True))))

_TENSOR = _f("tensor", "a number, a vector [1, 2] or a matrix [[1, 2], [3, 4]]")
_TENSORS = _f("map", "name → number, vector or matrix", item=_TENSOR)

KINDS: dict[str, dict[str, Field]] = {
    "tensor": {"f": _f("program", "a program with vectors and matrices: h = W@x + b; …", True),
               "at": _f("map", "values: numbers, vectors [1, 2], matrices [[1, 2], [3, 4]]",
                        item=_TENSOR),
               "wrt": _f("names", "the inputs whose gradients are asked (default: all)"),
               "jacobians": _f("bool", "also give ∂output/∂input as matrices (numerator "
                               "layout: rows = output entries)")},
    "index": {"f": _f("program", "a program with vectors and matrices: z = W@x + b", True),
              "of": _f("text", "the output entry, with letters for its indices: z[k] (or L)",
                       True),
              "wrt": _f("text", "the input entry: W[i,j], b[i], x[i]", True),
              "shapes": _f("map", "each input's shape: {W: 2x3, x: \"3\"} (scalars may be "
                           "left out); the pattern is also checked at other small sizes",
                           True, item=_f("text", ""))},
    "trace": {"f": _f("program", "an expression or program: a = ...; b = ...", True),
              "at": _AT,
              "expand": _f("bool", "split sigmoid, tanh … into elementary operations"),
              "mode": _f("enum", "reverse (adjoints) or forward (tangents)",
                         choices=("reverse", "forward")),
              "wrt": _f("name", "forward mode: the input to seed")},
    "derivative": {"f": _f("formula", "the function", True),
                   "wrt": _f("name", "differentiate with respect to this", True),
                   "order": _f("int", "1 for f', 2 for f''", limit=10),
                   "in_terms_of": _f("name", "rewrite the result in this defined name"),
                   "at": _AT},
    "gradient": {"f": _f("formula", "a scalar function", True),
                 "wrt": _f("names", "the variables (default: all, in order)"), "at": _AT},
    "cases": {"f": _f("formula", "a function with max, relu, abs …", True),
              "wrt": _f("name", "differentiate with respect to this", True)},
    "limit": {"f": _f("formula", "the function", True),
              "wrt": _f("name", "differentiate with respect to this first"),
              "in_terms_of": _f("name", "rewrite in this defined name before the limit"),
              "var": _f("name", "the variable that moves", True),
              "to": _f("limit", "where it goes: 0, 0+, 1-, oo, -oo", True), "at": _AT},
    "solve": {"equations": _f("list", "equations lhs = rhs", item=_f("equation", "")),
              "stationary": _f("formula", "solve ∇f = 0 for the unknowns instead"),
              "unknowns": _f("names", "the variables to solve for", True), "at": _AT},
    "descent": {"f": _f("formula", "the loss", True),
                "params": _f("names", "the parameters updated", True),
                "start": _f("map", "the starting point", True, item=_NUMBER),
                "rate": _f("number", "the learning rate η", True),
                "steps": _f("int", "number of updates", True, limit=200),
                "samples": _f("list", "SGD: data used in turn, one per step", item=_POINT),
                "at": _AT},
    "identity": {"lhs": _f("formula", "left-hand side", True),
                 "rhs": _f("formula", "right-hand side", True),
                 "steps": _f("list", "intermediate forms, each checked", item=_f("formula", ""))},
    "series": {"f": _f("formula", "the function", True),
               "var": _f("name", "the variable", True),
               "about": _f("number", "the expansion point (default 0)"),
               "order": _f("int", "keep terms below var^order", True, limit=20)},
    "edges": {"edges": _f("list", "the graph's edges", True, item=_EDGE),
              "output": _f("name", "the output node o", True),
              "loss": _f("formula", "the loss as a formula in the output, e.g. -log(o)", True),
              "value": _f("number", "the output's value, e.g. 0.1", True),
              "paths": _f("bool", "also list every path (small graphs)")},
    "set": {"condition": _f("condition", "the values of var satisfying it: 2*w1 + 2.3 < 0"),
            "range": _f("formula", "or: the values this function takes, e.g. tanh(x)"),
            "var": _f("name", "the variable", True), "at": _AT},
    "plot": {"functions": _f("list", "functions of one variable, plotted together", True,
                             item=_f("text", "e.g. sigmoid(x)")),
             "range": _f("text", "lo,hi of the plotted range (default -5,5)"),
             "derivative": _f("bool", "plot each derivative too (default true)")},
}

_MAP = _f("map", "name → number", item=_NUMBER)
_CASE = _f("object", "one case", fields=(("when", _f("condition", "e.g. y*a < 1", True)),
                                          ("derivative", _f("formula", "", True))))

ANSWERS: dict[str, tuple[tuple[str, Field], ...]] = {
    "tensor": (("value", _TENSOR), ("gradient", _TENSORS),
               ("shapes", _f("map", "name → the gradient's shape: 2x3, 3 or scalar",
                             item=_f("text", ""))),
               ("jacobian", _TENSORS)),
    "index": (("pattern", _f("text", "the entry's derivative in index form: "
                             "delta(k,i)*x[j] (δ_ki·x_j)")),),
    "trace": (("value", _NUMBER), ("gradient", _MAP)),
    "derivative": (("expr", _f("formula", "the derivative")),
                   ("value", _f("number", "the value at the point (theta/4 if a symbol has no "
                                "value)", symbolic=True))),
    "gradient": (("partials", _f("map", "name → ∂f/∂name", item=_f("formula", ""))),
                 ("values", _MAP)),
    "cases": (("cases", _f("list", "the cases", item=_CASE)),),
    "limit": (("value", _f("limit", "the limit: a number, oo or -oo")),
              ("verdict", _f("enum", "", choices=("vanishes", "finite", "diverges")))),
    "solve": (("solutions", _f("list", "every real solution ([] for none)", item=_MAP)),),
    "descent": (("final", _MAP), ("loss", _NUMBER)),
    "set": (("set", _f("set", "an interval or inequality: (-1, 1), w1 < -1.15, x >= 0")),),
    "identity": (("holds", _f("bool", "true if lhs = rhs for all values")),),
    "series": (("expansion", _f("formula", "the Taylor polynomial")),
               ("left", _f("formula", "one-sided: below the point")),
               ("right", _f("formula", "one-sided: above the point"))),
    "edges": (("adjoints", _MAP),),
    "plot": (("max_slope", _f("list", "the largest value of each f′, in order", item=_NUMBER)),
             ("range", _f("list", "each f(ℝ), e.g. (0, 1) or [0, ∞)", item=_f("text", "")))),
}

def _formula(text: str, field: Field) -> Any:
    from .sym import parse_formula

    return parse_formula(text)


def _program(text: str, field: Field) -> str:
    from .parse import parse_program

    parse_program(text)
    return text


def number(text: str, field: Field) -> Quantity:
    from .sym import parse_value

    try:
        return Quantity(parse_value(text.strip()), text.strip())
    except GradtutorError:
        formula = _symbolic_value(text) if field.symbolic else None  # theta/4
        if formula is not None:
            return Quantity(formula, text.strip())
        raise ProblemFileError(f"expected a number, got {text!r}",
                               hint="write a number or a fraction: 0.3, -1/3, pi/4") from None


def _symbolic_value(text: str) -> Any:
    from .sym import parse_formula

    try:
        formula = parse_formula(text.strip())
    except GradtutorError:
        return None
    return formula if formula.free_symbols else None


def _limit_point(text: str, field: Field) -> Quantity:
    import sympy as sp

    match = _TO.match(text)
    if match:
        return Quantity(-sp.oo if match["sign"] == "-" else sp.oo, text.strip())
    side = text.strip()[-1] if text.strip()[-1:] in "+-" else ""
    point = number(text.strip()[:-1] if side else text, field)
    return Quantity(point.value, text.strip(), side)


def _name(text: str, field: Field) -> str:
    if not _NAME.match(text.strip()):
        raise ProblemFileError(f"{text!r} is not a variable name",
                               hint="names start with a letter: x, w1, b_2")
    return text.strip()


def _int(text: str, field: Field) -> int:
    if not re.fullmatch(r"\s*\d{1,4}\s*", text) or not 0 <= int(text) <= field.limit:
        raise ProblemFileError(f"expected a whole number from 0 to {field.limit}, got {text!r}")
    return int(text)


def _enum(text: str, field: Field) -> str:
    if text not in field.choices:
        close = difflib.get_close_matches(text, field.choices, n=1)
        raise ProblemFileError(f"expected one of {', '.join(field.choices)}, got {text!r}",
                               hint=f"did you mean {close[0]!r}?" if close else "")
    return text


def _equation(text: str, field: Field) -> Any:
    """``lhs = rhs`` (or a bare expression meaning ``= 0``) → lhs − rhs."""
    sides = text.split("=")
    if len(sides) > 2:
        raise ProblemFileError(f"an equation has one '=', got {text!r}", hint="write lhs = rhs")
    expr = _formula(sides[0], field)
    return expr - _formula(sides[1], field) if len(sides) == 2 else expr


def _condition(text: str, field: Field) -> Any:
    import sympy as sp

    if " and " in text:
        return sp.And(*(_condition(piece, field) for piece in text.split(" and ")))
    for op in _OPS:
        lhs, found, rhs = text.partition(op)
        if found:
            relation = {"<": sp.Lt, ">": sp.Gt, "<=": sp.Le, ">=": sp.Ge}[op]
            return relation(_formula(lhs, field), _formula(rhs, field), evaluate=False)
    raise ProblemFileError(f"expected a condition with <, >, <= or >=, got {text!r}",
                           hint="e.g. y*a < 1")


def _set(text: str, field: Field) -> str:
    from .intervals import parse_set

    try:
        parse_set(text)
    except GradtutorError as err:
        raise ProblemFileError(err.message, hint=err.hint) from None
    return text.strip()


CONVERT = {"formula": _formula, "program": _program, "number": number, "limit": _limit_point,
           "name": _name, "int": _int, "enum": _enum, "equation": _equation,
           "condition": _condition, "tensor": number, "set": _set}



_SCALAR = {"type": ["string", "number"]}


def _json(field: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"description": field.help} if field.help else {}
    if field.type in ("list", "names"):
        item = _json(field.item) if field.item else {"type": "string"}
        array = {"type": "array", "items": item}
        return {**out, **(array if field.type == "list" else {"anyOf": [{"type": "string"},
                                                                       array]})}
    if field.type == "map":
        return {**out, "type": "object", "additionalProperties": _json(field.item or _NUMBER)}
    if field.type == "object":
        return {**out, **_object(dict(field.fields))}
    kinds = {"text": {"type": "string"}, "bool": {"type": "boolean"},
             "int": {"type": "integer", "minimum": 0, "maximum": field.limit},
             "enum": {"enum": list(field.choices)}, "name": {"type": "string",
                                                            "pattern": "^[A-Za-z][A-Za-z0-9_]*$"}}
    if field.type == "tensor":  # a number or nested lists of numbers
        return {**out, "anyOf": [_SCALAR, {"type": "array"}]}
    return {**out, **kinds.get(field.type, _SCALAR)}


def _object(fields: dict[str, Field]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False,
            "properties": {key: _json(field) for key, field in fields.items()},
            "required": [key for key, field in fields.items() if field.required]}


def json_schema() -> dict[str, Any]:
    """The problem-file format as a JSON Schema (draft 2020-12)."""
    parts = []
    for kind, fields in KINDS.items():
        schema = _object({**PART, **fields,
                          "answer": Field("object", "the model answer", fields=ANSWERS[kind])})
        schema["properties"]["kind"] = {"const": kind}
        if kind == "index":  # answer: delta(k,i)*x[j] stands for answer: {pattern: …}
            answer = schema["properties"]["answer"]
            schema["properties"]["answer"] = {"anyOf": [{"type": "string"}, answer]}
        parts.append(schema)
    top = _object(TOP)
    top["properties"]["parts"]["items"] = {"oneOf": parts}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "gradtutor problem file", **top}
