"""Problem files: YAML text → validated, frozen ``Problem``/``Part`` objects (declared schema).

The YAML is composed with the safe loader (never constructed into Python objects by YAML
itself) so every value keeps its source text and line: 0.3 stays the exact 3/10 and an
error names the file, the line and the key path.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import GradtutorError, ProblemFileError, printable
from .problem_schema import ANSWERS, CONVERT, KINDS, PART, TOP, Field, Quantity, number
from .textfile import read_text
from .yaml_nodes import NodeWalker, compose_yaml, describe_node

MAX_FILE_CHARS = 1_000_000
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class Part:
    id: str
    kind: str
    statement: str
    explain: str
    spec: Mapping[str, Any]
    answer: Mapping[str, Any] | None
    where: Mapping[str, str]  # key → "file:line parts[i].key", for errors found while solving


@dataclass(frozen=True)
class Problem:
    name: str
    path: str
    title: str
    topics: tuple[str, ...]
    statement: str
    source: str
    values: Mapping[str, Quantity]
    definitions: Mapping[str, Any]  # name → SymPy expression, in file order
    parts: tuple[Part, ...]
    assume: Mapping[str, str] | None = None  # y: binary, theta: positive …

    def part(self, part_id: str) -> Part:
        for part in self.parts:
            if part.id == part_id:
                return part
        raise ProblemFileError(f"{self.name} has no part {part_id!r}",
                               hint=f"parts are: {', '.join(p.id for p in self.parts)}")


@dataclass(frozen=True)
class Outline:
    """What ``problems`` and ``show`` print: read without converting any formula (no SymPy)."""

    name: str
    path: str
    title: str
    topics: tuple[str, ...]
    statement: str
    parts: tuple[tuple[str, str, str], ...]  # (id, kind, statement)


class _Reader(NodeWalker):
    """Walks composed YAML nodes against the declared schema, converting as it goes."""

    def mapping(self, node: yaml.Node, path: str, fields: Mapping[str, Field]) -> dict:
        if not isinstance(node, yaml.MappingNode):
            got = describe_node(node, echo=bool(path))
            raise self.fail(node, path, f"expected a mapping of keys, got {got}",
                            "" if path else "a problem file starts with title: and parts:")
        found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
            sub = f"{path}.{key}" if path else key
            if key not in fields:
                close = difflib.get_close_matches(key, list(fields), n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"keys here: {', '.join(fields)}"
                raise self.fail(key_node, sub, f"unknown key {key!r}", hint)
            if key in found:
                raise self.fail(key_node, sub, "this key is given twice")
            found[key] = (key_node, value_node)
        for key, field in fields.items():
            if field.required and key not in found:
                raise self.fail(node, path, f"missing required key {key!r}", field.help)
        return {key: self.value(v, f"{path}.{key}" if path else key, fields[key])
                for key, (_, v) in found.items()}

    def value(self, node: yaml.Node, path: str, field: Field) -> Any:
        if field.type == "raw":  # walked later by its own reader (parts, given)
            return node
        if field.type in ("list", "names") and isinstance(node, yaml.SequenceNode):
            item = field.item or Field("name", "")
            return tuple(self.value(n, f"{path}[{i}]", item) for i, n in enumerate(node.value))
        if field.type == "tensor" and isinstance(node, yaml.SequenceNode):  # [1, 2], [[…]]
            return tuple(self.value(n, f"{path}[{i}]", field) for i, n in enumerate(node.value))
        if field.type == "names" and isinstance(node, yaml.ScalarNode):
            return (self.value(node, path, Field("name", "")),)
        if field.type == "list":
            raise self.fail(node, path, f"expected a list, got {describe_node(node)}")
        if field.type == "object":
            return self.mapping(node, path, dict(field.fields))
        if field.type == "map":
            return self.name_map(node, path, field.item or Field("number", ""))
        if not isinstance(node, yaml.ScalarNode):
            hint = "vectors and matrices (and their tables) belong to a part of kind: tensor" \
                if isinstance(node, yaml.SequenceNode) and field.type == "number" else ""
            raise self.fail(node, path, f"expected {_expected(field)}, got {describe_node(node)}",
                            hint)
        try:
            return self.scalar(node, field)
        except GradtutorError as err:
            raise self.fail(node, path, err.message, err.hint, err.location) from None

    def name_map(self, node: yaml.Node, path: str, item: Field) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, path, f"expected a mapping of names, got {describe_node(node)}")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if not _NAME.match(key):
                raise self.fail(key_node, f"{path}.{key}", f"{key!r} is not a variable name",
                                "names start with a letter: x, w1, b_2")
            if key in result:
                raise self.fail(key_node, f"{path}.{key}", "this name is given twice")
            result[key] = self.value(value_node, f"{path}.{key}", item)
        return result

    def scalar(self, node: yaml.ScalarNode, field: Field) -> Any:
        text, tag = node.value, node.tag.rpartition(":")[2]
        if field.type == "text":
            return text
        if field.type == "bool":
            if tag != "bool":
                raise ProblemFileError(f"expected true or false, got {text!r}")
            return text.lower() in ("true", "yes", "on")
        if tag in ("bool", "null") or (not text.strip() and field.type != "text"):
            raise ProblemFileError(f"expected {_expected(field)}, got {text or 'nothing'!r}")
        return CONVERT[field.type](text, field)


def _expected(field: Field) -> str:
    return {"number": "a number", "limit": "a number or oo", "int": "a whole number",
            "name": "a variable name", "enum": f"one of {', '.join(field.choices)}",
            "equation": "an equation", "condition": "a condition such as y*a < 1",
            }.get(field.type, "a formula")


def parse_problem(text: str, file: str = "<problem>", name: str = "") -> Problem:
    """YAML text → Problem; raises ProblemFileError naming file:line key.path."""
    root = _compose(text, file)
    reader = _Reader(file)
    top = reader.mapping(root, "", {**TOP, "given": _RAW,
                                    "parts": Field("raw", TOP["parts"].help, True)})
    values, definitions = _given(reader, top.get("given"))
    parts = _parts(reader, top["parts"])
    return Problem(name or Path(file).stem, file, top["title"], tuple(top.get("topics", ())),
                   top.get("statement", ""), top.get("source", ""), values, definitions, parts,
                   dict(top.get("assume", {})))


def _compose(text: str, file: str) -> yaml.Node:
    return compose_yaml(text, file, max_chars=MAX_FILE_CHARS,
                        empty_hint="start with title: and parts:")


_RAW = Field("raw", "")


def _given(reader: _Reader, node: yaml.Node | None) -> tuple[dict, dict]:
    """Shared numbers become values; anything with a name in it is a definition."""
    values: dict[str, Quantity] = {}
    definitions: dict[str, Any] = {}
    texts = reader.name_map(node, "given", Field("text", "")) if node is not None else {}
    for (_, value_node), (name, text) in zip(node.value if texts else (), texts.items(),
                                             strict=True):
        try:
            values[name] = number(text, _RAW)
            continue
        except ProblemFileError:
            pass
        field = Field("formula", "")
        definitions[name] = reader.value(value_node, f"given.{name}", field)
    return values, definitions


def _parts(reader: _Reader, node: yaml.Node) -> tuple[Part, ...]:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise reader.fail(node, "parts", "expected a list of at least one part")
    parts: list[Part] = []
    for i, part_node in enumerate(node.value):
        path = f"parts[{i}]"
        kind = _kind(reader, part_node, path)
        part_node = _short_answer(part_node) if kind in SHORT_ANSWERS else part_node
        fields = {**PART, **KINDS[kind], "answer": Field("object", "", fields=ANSWERS[kind])}
        data = reader.mapping(part_node, path, fields)
        if data["id"] in {p.id for p in parts}:
            raise reader.fail(part_node, f"{path}.id", f"part id {data['id']!r} is used twice")
        where = {k.value: reader.where(v, f"{path}.{k.value}") for k, v in part_node.value}
        spec = {k: v for k, v in data.items() if k in KINDS[kind]}
        parts.append(Part(data["id"], kind, data.get("statement", ""),
                          data.get("explain", ""), spec, data.get("answer"), where))
    return tuple(parts)


SHORT_ANSWERS = {"index": "pattern"}  # answer: delta(k,i)*x[j] is answer: {pattern: …}


def _short_answer(node: yaml.MappingNode) -> yaml.MappingNode:
    """A scalar ``answer:`` of a kind with one main answer key → that key's mapping."""
    kind = next(v.value for k, v in node.value if k.value == "kind")
    pairs = []
    for key, value in node.value:
        if key.value == "answer" and isinstance(value, yaml.ScalarNode) and value.value:
            name = yaml.ScalarNode("tag:yaml.org,2002:str", SHORT_ANSWERS[kind],
                                   value.start_mark, value.end_mark)
            value = yaml.MappingNode("tag:yaml.org,2002:map", [(name, value)],
                                     value.start_mark, value.end_mark)
        pairs.append((key, value))
    return yaml.MappingNode(node.tag, pairs, node.start_mark, node.end_mark)


def _kind(reader: _Reader, node: yaml.Node, path: str) -> str:
    if not isinstance(node, yaml.MappingNode):
        raise reader.fail(node, path, f"expected a mapping of keys, got {describe_node(node)}")
    kind = next((v for k, v in node.value if k.value == "kind"), None)
    if kind is None:
        raise reader.fail(node, path, "missing required key 'kind'",
                          f"kinds: {', '.join(PART['kind'].choices)}")
    return reader.value(kind, f"{path}.kind", PART["kind"])


def bundled_dir() -> Path:
    """The folder of bundled problems (installed package, or the repo's problems/).

    ``gradtutor.bundled`` is a namespace package (YAML only), so its folder is read from the
    import spec; an editable install does not map it, and the repo's problems/ is used.
    """
    from importlib.util import find_spec

    try:
        spec = find_spec("gradtutor.bundled")
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parent.parent / "problems"


def bundled_names() -> list[str]:
    return sorted(path.stem for path in bundled_dir().glob("*.yaml"))


def load_problem(ref: str | Path) -> Problem:
    """A bundled problem's name, or a path to a YAML file → Problem."""
    return parse_problem(*_locate(ref))


def _locate(ref: str | Path) -> tuple[str, str, str]:
    """A bundled name or a path → (text, file as shown in errors, problem name)."""
    if not isinstance(ref, str | Path):
        raise ProblemFileError(f"a problem is a bundled name or a path, not "
                               f"{type(ref).__name__}", hint="e.g. 'ad_table'")
    text = str(ref)
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text or _exists(text):
        return read_text(text, "problem file"), text, Path(text).stem
    names = bundled_names()
    if text not in names:
        close = difflib.get_close_matches(text, names, n=1) if len(text) < 200 else []
        raise ProblemFileError(f"no bundled problem named {printable(text)[:120]!r}",
                               hint=f"did you mean {close[0]!r}?" if close
                               else "run `gradtutor problems` to list them")
    return read_text(bundled_dir() / f"{text}.yaml"), f"problems/{text}.yaml", text


def _exists(text: str) -> bool:
    try:
        return os.path.lexists(text)
    except (OSError, ValueError):
        return False


def list_problems() -> list[Problem]:
    return [load_problem(name) for name in bundled_names()]


def read_outline(ref: str | Path) -> Outline:
    """A problem's title, topics, statement and parts (id, kind, statement) only: fast, since
    no formula is converted; the rest of the file is checked when it is solved."""
    text, file, name = _locate(ref)
    root, reader = _compose(text, file), _Reader(file)
    if not isinstance(root, yaml.MappingNode):
        raise reader.fail(root, "", f"expected a mapping of keys, got "
                          f"{describe_node(root, echo=False)}",
                          "a problem file starts with title: and parts:")
    top = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    if "title" not in top or "parts" not in top:
        raise reader.fail(root, "", "missing required key 'title' or 'parts'",
                          "a problem file starts with title: and parts:")
    fields = {"title": TOP["title"], "topics": TOP["topics"], "statement": TOP["statement"]}
    got = {key: reader.value(top[key], key, field) for key, field in fields.items()
           if key in top}
    parts = top["parts"]
    if not isinstance(parts, yaml.SequenceNode) or not parts.value:
        raise reader.fail(parts, "parts", "expected a list of at least one part")
    return Outline(name, file, got["title"], tuple(got.get("topics", ())),
                   got.get("statement", ""),
                   tuple(_part_outline(reader, node, f"parts[{i}]")
                         for i, node in enumerate(parts.value)))


def _part_outline(reader: _Reader, node: yaml.Node, path: str) -> tuple[str, str, str]:
    kind = _kind(reader, node, path)
    keys = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    if "id" not in keys:
        raise reader.fail(node, path, "missing required key 'id'", PART["id"].help)
    statement = keys.get("statement")
    return (reader.value(keys["id"], f"{path}.id", PART["id"]), kind,
            reader.value(statement, f"{path}.statement", PART["statement"])
            if statement is not None else "")


def list_outlines() -> list[Outline]:
    return [read_outline(name) for name in bundled_names()]
