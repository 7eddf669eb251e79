"""Packaging: every package directory is listed in pyproject.toml, and the code is ruff-clean."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_is_listed() -> None:
    listed = set(re.findall(r'"(gradtutor[\w.]*)"', (ROOT / "pyproject.toml").read_text()))
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "gradtutor").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert "gradtutor.bundled" in listed


def test_only_render_and_cli_import_rich_and_only_cli_imports_typer() -> None:
    for path in (ROOT / "gradtutor").rglob("*.py"):
        part = path.relative_to(ROOT / "gradtutor").parts[0]
        text = path.read_text(encoding="utf-8")
        if part not in ("render", "cli"):
            assert not re.search(r"^\s*(import|from) rich", text, re.M), path
        if part != "cli":
            assert not re.search(r"^\s*(import|from) typer", text, re.M), path


def test_no_eval_of_text() -> None:
    pattern = re.compile(r"\b(eval|exec|sympify|parse_expr)\(|yaml\.load\(|\bS\([\"']")
    for path in (ROOT / "gradtutor").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.lstrip().startswith("#"):
                assert not pattern.search(line), f"{path}:{number}: {line.strip()}"


def test_ruff_clean() -> None:
    ruff = shutil.which("ruff")
    assert ruff, "ruff is installed by .[test]"
    paths = [p for p in ("gradtutor", "tests", "bench") if (ROOT / p).exists()]
    result = subprocess.run([ruff, "check", *paths], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
