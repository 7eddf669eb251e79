"""The README is the contract: its set-up commands are CI's, and every command in it runs."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SH_BLOCKS = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
COMMANDS = [line.strip() for block in SH_BLOCKS for line in block.splitlines() if line.strip()]


def test_quickstart_is_two_commands_install_and_test() -> None:
    install, tests = COMMANDS[0], COMMANDS[1]
    assert install.startswith("pip install . && gradtutor trace ")
    assert tests == 'pip install -e ".[test]" && pytest'


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in ci
    assert COMMANDS[1] in ci.splitlines()


def _gradtutor_commands() -> list[str]:
    found = []
    for command in COMMANDS:
        for part in command.split("&&"):
            part = part.strip()
            if part.startswith("gradtutor "):
                found.append(part)
    return found


def test_readme_has_gradtutor_commands() -> None:
    assert len(_gradtutor_commands()) >= 5


@pytest.mark.parametrize("command", _gradtutor_commands())
def test_every_readme_command_runs(cli, command: str, monkeypatch, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")  # files the commands name
    monkeypatch.chdir(tmp_path)  # and whatever they write stays out of the repository
    result = cli(*shlex.split(command)[1:])
    assert result.code in (0, 1), f"{command}\n{result.err}"
    assert result.out.strip()
    assert "Traceback" not in result.err


def test_readme_error_example_is_what_the_tool_prints(cli) -> None:
    block = re.search(r"```text\n\$ (gradtutor [^\n]*)\n(.*?)```", README, flags=re.S)
    assert block is not None
    command, shown = block.group(1), block.group(2)
    err = cli(*shlex.split(command)[1:]).err
    for line in shown.splitlines():
        assert line.split("…")[0] in err
