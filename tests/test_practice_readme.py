"""The README's practice transcript is exactly what the tool prints for those answers."""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_practice_transcript(cli, monkeypatch) -> None:
    block = re.search(r"```console\n\$ (printf [^\n]*)\n(.*?)```", README, flags=re.S)
    assert block is not None
    feed, command = block.group(1).split(" | ")
    answers = shlex.split(feed)[2:]  # after: printf '%s\n'
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{a}\n" for a in answers)))
    out = cli(*shlex.split(command)[1:])
    assert out.code == 0
    assert [line.rstrip() for line in out.out.splitlines()] == \
        [line.rstrip() for line in block.group(2).splitlines()]
