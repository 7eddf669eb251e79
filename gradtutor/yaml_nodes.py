"""Side entrances' YAML reading: text → composed nodes (safe loader), errors at file:line key.path.

Problem files and answer sheets are composed, never constructed: every value keeps its source
text (0.3 stays exactly 3/10) and its line, so an error can say where it is.
"""

from __future__ import annotations

import yaml

from .errors import ProblemFileError


def compose_yaml(text: str, file: str, *, max_chars: int, what: str = "file",
                 empty_hint: str = "") -> yaml.Node:
    """Safe-compose ``text``; refuse oversize input, anchors/aliases, bad YAML and emptiness."""
    if len(text) > max_chars:
        raise ProblemFileError(f"{file}: the {what} is larger than {max_chars} characters")
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ProblemFileError(f"{file}:{event.start_mark.line + 1}: YAML anchors and "
                                       "aliases are not supported", hint="write values out")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise ProblemFileError(f"{file}{line}: not valid YAML: {err.problem or err.context}",
                               hint="check indentation and quote text containing ': '") from None
    if root is None:
        raise ProblemFileError(f"{file}: the {what} is empty", hint=empty_hint)
    return root


class NodeWalker:
    """Base for readers that walk composed nodes: where a node is, and errors that say so."""

    def __init__(self, file: str) -> None:
        self.file = file

    def where(self, node: yaml.Node, path: str) -> str:
        return f"{self.file}:{node.start_mark.line + 1} {path}".rstrip()

    def fail(self, node: yaml.Node, path: str, message: str, hint: str = "",
             location: str = "") -> ProblemFileError:
        return ProblemFileError(f"{self.where(node, path)}: {message}", location=location,
                                hint=hint)


def describe_node(node: yaml.Node) -> str:
    """What a node holds, for "expected …, got …" messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "nothing" if node.tag.endswith(":null") else repr(node.value)
