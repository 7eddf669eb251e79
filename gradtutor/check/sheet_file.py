"""Answer sheets (feed sheet): a student's YAML → validated answers, each with file:line key.path.

A sheet maps part ids to answers in the shape of the part's model ``answer``::

    student: Ada            # optional; else the file's stem
    id: "1234567"           # optional, as is email: (match the row of an LMS gradebook)
    problem: squared_error_logistic   # optional; must match the problem checked
    parts:
      a: {expr: 2*(p - y)}
      b: exp(-a)/(1 + exp(-a))^2      # one value: the part's main answer key
      f: {value: 0, verdict: vanishes, explain: "bad for learning: …"}

The YAML is composed with the safe loader, never constructed, so every value keeps the text
the student wrote (0.80 keeps its trailing zero) and its line. Formulas are parsed with the
project's safe parser here, so a typo is reported at load time with its place in the file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import GradtutorError, ProblemFileError
from ..problem_schema import ANSWERS, Field
from ..textfile import read_text
from ..yaml_nodes import NodeWalker, compose_yaml, describe_node

MAX_SHEET_CHARS = 200_000
MAX_FILE_BYTES = 1_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_TABLE = Field("map", "a forward or reverse table: node → value", item=Field("number", ""))
_TEXT = Field("text", "a written explanation (not checked automatically)")
_TENSOR_TABLE = Field("map", "a forward or reverse table: node → number, nested list, or "
                      "working = value", item=Field("tensor", ""))
EXTRA: dict[str, dict[str, Field]] = {"trace": {"forward": _TABLE, "reverse": _TABLE},
                                      "tensor": {"forward": _TENSOR_TABLE,
                                                 "reverse": _TENSOR_TABLE}}
MAIN = {"derivative": "expr", "limit": "value", "trace": "value", "identity": "holds",
        "series": "expansion", "solve": "solutions", "cases": "cases", "edges": "adjoints",
        "gradient": "partials", "descent": "final", "set": "set", "tensor": "gradient",
        "index": "pattern"}


@dataclass(frozen=True)
class Answer:
    """One value as the student wrote it, and where: ``my.yaml:5 parts.e.expr``."""

    text: str
    where: str


@dataclass(frozen=True)
class Unreadable:
    """An answer that could not be read (a parse error): its item is "could not read"."""

    text: str
    where: str
    message: str
    hint: str = ""
    location: str = ""


@dataclass(frozen=True)
class AnswerSheet:
    path: str
    student: str
    parts: Mapping[str, Mapping[str, Any]]  # part id → key → Answer | map | list
    where: Mapping[str, str]  # part id → location of its answer
    ids: tuple[str, ...] = ()  # the sheet's id: and email: (to match an LMS roster)


def answer_fields(kind: str) -> dict[str, Field]:
    """The keys a sheet may give for a part of this kind (model answer keys + extras)."""
    return {**dict(ANSWERS[kind]), **EXTRA.get(kind, {}), "explain": _TEXT}


def read_sheet(path: str | Path, problem: Any) -> AnswerSheet:
    """Read and validate one sheet against ``problem``; errors name file:line key.path."""
    name = str(path)
    text = read_text(path, "answer sheet", max_bytes=MAX_FILE_BYTES,
                     hint="give the path of a .yaml file or a folder of them")
    try:
        return parse_sheet(text, name, problem)
    except RecursionError:
        raise ProblemFileError(f"{name}: the sheet is nested too deeply",
                               hint="answers are at most a few levels deep") from None


def parse_sheet(text: str, name: str, problem: Any) -> AnswerSheet:
    walker = _Walker(name)
    root = walker.compose(text)
    top = walker.keys(root, "", ("student", "id", "email", "problem", "parts"))
    if "parts" not in top:
        raise walker.fail(root, "", "missing required key 'parts'",
                          "parts: {a: {expr: 2*(p - y)}} maps part ids to answers")
    student = walker.scalar(top["student"], "student") if "student" in top else Path(name).stem
    if "problem" in top:
        _same_problem(walker, top["problem"], problem)
    ids = [p.id for p in problem.parts]
    answers, where = {}, {}
    for key_node, node in walker.pairs(top["parts"], "parts"):
        pid, path = key_node.value, f"parts.{key_node.value}"
        if pid not in ids:
            close = difflib.get_close_matches(pid, ids, n=1)
            raise walker.fail(key_node, path, f"{problem.name} has no part {pid!r}",
                              f"did you mean {close[0]!r}?" if close
                              else f"parts are: {', '.join(ids)}")
        part = problem.part(pid)
        answers[pid] = walker.part(node, path, part.kind, part.answer)
        where[pid] = walker.where(key_node, path)
    ids = tuple(walker.scalar(top[k], k) for k in ("id", "email") if k in top)
    return AnswerSheet(name, student, answers, where, ids)


def _same_problem(walker: _Walker, node: yaml.Node, problem: Any) -> None:
    named = walker.scalar(node, "problem")
    if named not in (problem.name, Path(problem.path).stem) and \
            Path(named).stem not in (problem.name, Path(problem.path).stem):
        raise walker.fail(node, "problem", f"this sheet answers {named!r}, not {problem.name!r}",
                          f"check it with: gradtutor check {named} --answers …")


class _Walker(NodeWalker):
    """Walks composed YAML nodes, checking each value against its declared field."""

    def compose(self, text: str) -> yaml.Node:
        return compose_yaml(text, self.file, max_chars=MAX_SHEET_CHARS, what="sheet",
                            empty_hint="parts: {a: {expr: 2*(p - y)}}")

    def pairs(self, node: yaml.Node, path: str) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, path, f"expected a mapping of keys, got {describe_node(node)}")
        seen: set[str] = set()
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise self.fail(key, path, "a key must be a plain name")
            if key.value in seen:
                raise self.fail(key, f"{path}.{key.value}".lstrip("."), "this key is given twice")
            seen.add(key.value)
        return list(node.value)

    def keys(self, node: yaml.Node, path: str, allowed: tuple[str, ...]) -> dict[str, yaml.Node]:
        found = {}
        for key, value in self.pairs(node, path):
            if key.value not in allowed:
                close = difflib.get_close_matches(key.value, allowed, n=1)
                raise self.fail(key, f"{path}.{key.value}".lstrip("."),
                                f"unknown key {key.value!r}",
                                f"did you mean {close[0]!r}?" if close
                                else f"keys here: {', '.join(allowed)}")
            found[key.value] = value
        return found

    def scalar(self, node: yaml.Node, path: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
            raise self.fail(node, path, f"expected a value, got {describe_node(node)}")
        bad = _CONTROL.search(node.value)
        if bad is not None:
            raise self.fail(node, path, f"contains the character U+{ord(bad.group()):04X}, "
                                        "which cannot be printed", "write plain text")
        return node.value

    def part(self, node: yaml.Node, path: str, kind: str,
             model: Mapping[str, Any] | None) -> dict[str, Any]:
        fields = answer_fields(kind)
        if not isinstance(node, yaml.MappingNode):  # one value: the main answer key
            key = next(iter(model)) if model and len(model) == 1 else MAIN[kind]
            return {key: self.value(node, path, fields[key])}
        return {k: self.value(v, f"{path}.{k}", fields[k])
                for k, v in self.keys(node, path, tuple(fields)).items()}

    def value(self, node: yaml.Node, path: str, field: Field) -> Any:
        if field.type == "map":
            item = field.item or Field("number", "")
            return {k.value: self.value(v, f"{path}.{k.value}", item)
                    for k, v in self.pairs(node, path)}
        if field.type == "object":
            allowed = dict(field.fields)
            return {k: self.value(v, f"{path}.{k}", allowed[k])
                    for k, v in self.keys(node, path, tuple(allowed)).items()}
        if field.type == "tensor" and isinstance(node, yaml.SequenceNode):  # [1, 2], [[…]]
            return [self.value(n, f"{path}[{i}]", field) for i, n in enumerate(node.value)]
        if field.type == "tensor" and isinstance(node, yaml.MappingNode):  # a table cell as
            cell = self.keys(node, path, ("definition", "value"))  # {definition:, value:}
            return {k: self.value(v, f"{path}.{k}", _TEXT if k == "definition" else field)
                    for k, v in cell.items()}
        if field.type == "list":
            if not isinstance(node, yaml.SequenceNode):
                raise self.fail(node, path, f"expected a list, got {describe_node(node)}")
            item = field.item or Field("text", "")
            return [self.value(n, f"{path}[{i}]", item) for i, n in enumerate(node.value)]
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
            raise self.fail(node, path, f"expected {_EXPECTED.get(field.type, 'a value')}, "
                                        f"got {describe_node(node)}")
        text = node.value
        try:
            _validate(text, field, node.tag)
        except GradtutorError as err:
            return Unreadable(text, self.where(node, path), err.message, err.hint, err.location)
        except RecursionError:
            return Unreadable(text, self.where(node, path), "the answer is nested too deeply")
        except (ArithmeticError, LookupError, ValueError, MemoryError) as err:
            return Unreadable(text, self.where(node, path), f"the answer is too large or "
                              f"malformed to read ({type(err).__name__}: {str(err)[:80]})")
        return Answer(text, self.where(node, path))


def _validate(text: str, field: Field, tag: str) -> None:
    """Refuse what cannot be an answer of this type (so checking never meets bad syntax)."""
    from ..parse import parse_expression
    from ..problem_schema import CONVERT
    from .number import normalize, parse_number

    if not text.strip() and field.type != "text":
        raise ProblemFileError("the answer is empty", hint="write the answer, or leave the key "
                                                           "out (it is then not answered)")
    bad = _CONTROL.search(text)
    if bad is not None:
        raise ProblemFileError(f"the answer contains the character U+{ord(bad.group()):04X}",
                               hint="write plain text")
    if field.type == "number":
        try:
            parse_number(text)
        except GradtutorError:
            raise ProblemFileError(f"expected a number, got {text!r}",
                                   hint="write a number or a fraction: 0.3, -1/3, pi/4") from None
    elif field.type == "formula":
        parse_expression(normalize(text))
    elif field.type == "bool" and not tag.endswith(":bool"):
        raise ProblemFileError(f"expected true or false, got {text!r}")
    elif field.type in ("limit", "enum", "condition"):
        CONVERT[field.type](normalize(text), field)


_EXPECTED = {"number": "a number", "formula": "a formula", "limit": "a number or oo",
             "enum": "a word", "bool": "true or false", "condition": "a condition such as y*a < 1",
             "text": "text"}


