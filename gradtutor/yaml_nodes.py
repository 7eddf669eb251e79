"""Side entrances' YAML reading: text → composed nodes (safe loader), errors at file:line key.path.

Problem files and answer sheets are composed, never constructed: every value keeps its source
text (0.3 stays exactly 3/10) and its line, so an error can say where it is.
"""

from __future__ import annotations

import re

import yaml

from .errors import ProblemFileError, printable

MAX_DEPTH = 60  # nesting of lists and mappings; problem files use fewer than 10


def compose_yaml(text: str, file: str, *, max_chars: int, what: str = "file",
                 empty_hint: str = "") -> yaml.Node:
    """Safe-compose ``text`` in one pass; refuse oversize input, anchors/aliases, deep nesting,
    bad YAML and emptiness."""
    if len(text) > max_chars:
        raise ProblemFileError(f"{file}: the {what} is larger than {max_chars} characters")
    try:
        root = _compose(_FastLoader, text, file)
    except (yaml.YAMLError, UnicodeError):  # in the pure-Python parser's words (stable, tested)
        try:
            root = _compose(_Loader, text, file)
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            line = f":{mark.line + 1}" if mark else ""
            raise ProblemFileError(f"{file}{line}: not valid YAML: {err.problem or err.context}",
                                   hint="check indentation and quote text containing ': '"
                                   ) from None
        except yaml.YAMLError as err:  # the reader: a character YAML does not allow
            raise ProblemFileError(f"{file}: not valid YAML: {str(err).splitlines()[0]}",
                                   hint=f"save the {what} as plain UTF-8 text") from None
    if root is None:
        raise ProblemFileError(f"{file}: the {what} is empty", hint=empty_hint)
    return root


def _compose(loader_class: type, text: str, file: str) -> yaml.Node | None:
    loader = loader_class(text, file)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


class _Checks:
    """Composer checks: refuse anchors, aliases and nesting past MAX_DEPTH."""

    file: str
    depth: int

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()  # type: ignore[attr-defined]
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ProblemFileError(f"{self.file}:{line}: YAML anchors and aliases are not "
                                   "supported", hint="write values out")
        if self.depth >= MAX_DEPTH:
            raise ProblemFileError(f"{self.file}:{line}: lists and mappings are nested more "
                                   f"than {MAX_DEPTH} deep", hint="flatten the file")
        self.depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self.depth -= 1


    def compose_scalar_node(self, anchor: object) -> yaml.ScalarNode:
        node = super().compose_scalar_node(anchor)  # type: ignore[misc]
        bad = _CONTROL.search(node.value)
        if bad:  # written as an escape ("\e[31m"): it would reach the terminal or a CSV
            raise ProblemFileError(f"{self.file}:{node.start_mark.line + 1}: a value contains "
                                   f"the character U+{ord(bad.group()):04X}, which cannot be "
                                   "printed", hint="write plain text")
        return node


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class _Loader(_Checks, yaml.SafeLoader):
    def __init__(self, text: str, file: str) -> None:
        yaml.SafeLoader.__init__(self, text)
        self.file, self.depth = file, 0


# libyaml's parser (when installed) feeds the events, ~8x faster; composing stays in Python so
# the checks apply either way.
_FAST_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastLoader(_Checks, yaml.composer.Composer, _FAST_BASE):  # type: ignore[misc, valid-type]
    def __init__(self, text: str, file: str) -> None:
        _FAST_BASE.__init__(self, text)
        yaml.composer.Composer.__init__(self)
        self.file, self.depth = file, 0


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


def describe_node(node: yaml.Node, echo: bool = True) -> str:
    """What a node holds, for "expected …, got …" messages.

    Long or multi-line text is described, not echoed: a file that is not YAML at all (say
    /etc/passwd) must not have its content printed. ``echo=False`` never shows the text.
    """
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag.endswith(":null"):
        return "nothing"
    value = str(node.value)
    multiline = node.start_mark.line != node.end_mark.line
    if not echo or multiline or len(value) > 60:
        return f"text of {len(value)} characters" + (" over several lines" if multiline else "")
    return repr(printable(value))
