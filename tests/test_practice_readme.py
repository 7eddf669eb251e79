"""The README's practice transcript is exactly what the tool prints for those answers."""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


TRANSCRIPTS = re.findall(r"```console\n\$ (printf [^\n]*)\n(.*?)```", README, flags=re.S)


def test_readme_has_a_scalar_and_a_tensor_transcript() -> None:
    assert len(TRANSCRIPTS) >= 2 and any("W@x" in feed for feed, _ in TRANSCRIPTS)


@pytest.mark.parametrize("feed, shown", TRANSCRIPTS)
def test_readme_practice_transcript(cli, monkeypatch, feed, shown) -> None:
    feed, command = feed.split(" | ")
    answers = shlex.split(feed)[2:]  # after: printf '%s\n'
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{a}\n" for a in answers)))
    out = cli(*shlex.split(command)[1:])
    assert out.code == 0
    assert [line.rstrip() for line in out.out.splitlines()] == \
        [line.rstrip() for line in shown.splitlines()]


def test_docs_list_every_command_level_and_record_key(tmp_path) -> None:
    from gradtutor.practice.build import expression_exercise
    from gradtutor.practice.generate import LEVELS
    from gradtutor.practice.record import session_record
    from gradtutor.practice.session import COMMANDS, finish, start
    from gradtutor.practice.summary import summarize

    docs = (Path(__file__).resolve().parent.parent / "docs" / "practice.md").read_text(
        encoding="utf-8")
    assert all(f"| `{command}` |" in docs for command in COMMANDS)
    assert all(f"\n| {level} |" in docs for level in LEVELS)
    state = finish(start(expression_exercise("x*y", "x=1,y=2")))
    record = session_record(state, summarize(state))
    assert all(f"`{key}`" in docs for key in record)
    assert all(f"`{key}`" in docs for key in record["exercise"])
    assert all(f"`{key}`" in docs for key in record["cells"][0])
