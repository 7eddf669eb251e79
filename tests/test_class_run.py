"""Class runs lose nothing: every sheet is a row (its result or its error), files are written
atomically before anything is printed, never over an input, and bad options are clear errors."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import gradtutor
from gradtutor.check import class_run
from gradtutor.check.class_run import check_sheets, cores, run_class
from gradtutor.check.sheet import check_sheet

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "sheets"
SEL = "squared_error_logistic"
GRADTUTOR = [sys.executable, "-m", "gradtutor"]

BAD = {  # file → what its row must say (an error, or a graded row with the item unreadable)
    "ctrl.yaml": ("parts:\n  a: 2*p\x07\n", "holds a control character (U+0007)"),
    "deep.yaml": ("parts:\n  a: " + "[" * 900 + "]" * 900 + "\n", "nested more than 60 deep"),
    "surrogate.yaml": ('student: "\\ud800"\nparts: {d: x}\n', "U+D800"),
    "escape.yaml": ('student: "\\e[31mRed"\nparts: {d: x}\n', "U+001B"),
    "huge.yaml": ("parts: {d: x}\n#" + "x" * 1_100_000 + "\n", "larger than 1,000,000 bytes"),
    "latin1.yaml": (None, "latin1.yaml:1: byte 12 (0xe9) is not UTF-8"),
}
GRADED = {  # file → (sheet, the part's CSV status)
    "empty_limit.yaml": ("parts:\n  f: {value: ''}\n", "wrong"),
    "big_power.yaml": ("parts:\n  a: 10^5000\n", "wrong"),
    "sum600.yaml": ("parts:\n  a: " + "+".join(["p"] * 600) + "\n", "wrong"),
}


def _class_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("ada.yaml", "ben.yaml"):
        shutil.copy(EXAMPLES / name, folder / name)
    for name, (text, _) in {**BAD, **GRADED}.items():
        if text is None:
            (folder / name).write_bytes("student: Jos\xe9\nparts: {d: x}\n".encode("latin-1"))
        else:
            (folder / name).write_text(text, encoding="utf-8")
    os.mkfifo(folder / "fifo.yaml")
    os.symlink(tmp_path / "nowhere.yaml", folder / "link.yaml")
    (folder / "dir.yaml").mkdir()
    return folder


def _rows(path: Path) -> dict[str, list[str]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return {Path(r[1]).name: r for r in rows[1:]}


def test_a_class_folder_with_every_bad_sheet_writes_every_row(cli, tmp_path):
    folder, grades = _class_folder(tmp_path), tmp_path / "g.csv"
    start = time.monotonic()
    result = cli("check", SEL, "--answers", str(folder), "--summary-csv", str(grades))
    assert time.monotonic() - start < 60
    assert result.code == 2 and "Traceback" not in result.err
    rows = _rows(grades)
    assert set(rows) == {p.name for p in folder.iterdir()}
    assert rows["ada.yaml"][-5:] == ["6", "6", "7", "7", ""]
    assert rows["ben.yaml"][-5:] == ["4", "6", "5", "7", ""]
    for name, (_, message) in BAD.items():
        assert message in rows[name][-1], name
        assert "Error: " in result.err and name in result.err
    assert "not a regular file" in rows["fifo.yaml"][-1]
    assert "is a folder" in rows["dir.yaml"][-1]
    assert "link.yaml': no such file" in rows["link.yaml"][-1]
    for name, (_, status) in GRADED.items():
        assert rows[name][-1] == "" and status in rows[name][2:8], name


def test_unreadable_answers_in_a_graded_row_say_why():
    sheet = {"parts": {"a": "10^5000", "f": {"value": ""}, "d": "x"}}
    result = gradtutor.check(problem=SEL, answers=sheet)
    a, d, f = (next(p for p in result.parts if p.id == i) for i in "adf")
    assert d.status == "right"
    # 10^5000 is a readable number now (big values print in scientific notation): just wrong
    assert a.verdicts[0].status == "wrong" and "1e+5000" in " ".join(a.verdicts[0].feedback)
    assert f.verdicts[0].feedback[0].startswith("Could not read: the answer is empty")


def test_a_slow_sheet_is_stopped_by_the_time_budget_and_costs_only_itself(monkeypatch):
    def check(path: str):
        if "slow" in path:
            time.sleep(60)
        return path

    start = time.monotonic()
    out = run_class(check, ["a", "slow", "b", "c"], lambda p, why: f"{p}: {why}", workers=2,
                    budget=1.0)
    assert time.monotonic() - start < 10
    assert out[0::2] == ["a", "b"] and out[3] == "c"
    assert out[1] == "slow: checking this sheet took longer than 1 s (the time budget)"


def test_a_worker_that_dies_costs_only_its_sheet():
    def check(path: str):
        if path == "crash":
            os._exit(9)
        return path.upper()

    out = run_class(check, ["a", "crash", "b"], lambda p, why: f"{p}: {why}", workers=2)
    assert out[0] == "A" and out[2] == "B"
    assert out[1].startswith("crash: the checker process stopped")


def test_class_runs_use_every_core(monkeypatch):
    assert cores() == len(os.sched_getaffinity(0))
    seen = []
    real = class_run._spawn
    monkeypatch.setattr(class_run, "_spawn", lambda *a: seen.append(1) or real(*a))
    check_sheets(SEL, [EXAMPLES])
    assert len(seen) == min(cores(), 3)


def test_output_files_are_never_an_input_or_empty(cli, tmp_path):
    sheet = tmp_path / "ben.yaml"
    shutil.copy(EXAMPLES / "ben.yaml", sheet)
    before = sheet.read_bytes()
    for option in ("--summary-csv", "--output"):
        result = cli("check", SEL, "--answers", str(sheet), str(EXAMPLES / "ada.yaml"),
                     option, str(sheet))
        assert result.code == 2 and "is one of the input files" in result.err
        assert result.out == ""
        empty = cli("check", SEL, "--answers", str(EXAMPLES), option, "")
        assert empty.code == 2 and "needs a file name" in empty.err
    assert sheet.read_bytes() == before


def test_exit_codes_of_a_class_and_of_one_sheet(cli, tmp_path):
    """One sheet: 0 right, 1 wrong. A class: 0 all right, 1 any answer wrong, 2 a sheet
    could not be read (its row still written)."""
    ada = str(EXAMPLES / "ada.yaml")
    assert cli("check", SEL, "--answers", ada).code == 0
    assert cli("check", SEL, "--answers", str(EXAMPLES / "ben.yaml")).code == 1
    assert cli("check", SEL, "--answers", ada, ada, "--summary-csv", str(tmp_path / "a")).code == 0
    assert cli("check", SEL, "--answers", str(EXAMPLES)).code == 1
    (tmp_path / "bad.yaml").write_text("parts: [\n", encoding="utf-8")
    assert cli("check", SEL, "--answers", ada, str(tmp_path / "bad.yaml")).code == 2


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def test_a_closed_pipe_costs_no_file_and_keeps_the_exit_code(tmp_path):
    shutil.copytree(EXAMPLES, tmp_path / "sheets")
    (tmp_path / "g.csv").write_text("old\n", encoding="utf-8")
    cmd = " ".join(GRADTUTOR) + f" check {SEL} --answers sheets --summary-csv g.csv"
    done = _run(f"set -o pipefail; {cmd} | true", tmp_path)
    assert done.returncode == 1, done.stderr  # wrong answers, as if the output had been read
    assert "Traceback" not in done.stderr
    assert _rows(tmp_path / "g.csv")["ada.yaml"][0] == "Ada"


def test_a_full_disk_leaves_the_old_file_and_no_fragment(tmp_path):
    shutil.copytree(EXAMPLES, tmp_path / "sheets")
    for n in range(20):  # a summary bigger than the 1 KB ulimit
        shutil.copy(EXAMPLES / "ben.yaml", tmp_path / "sheets" / f"s{n:02}.yaml")
    (tmp_path / "g.csv").write_text("old\n", encoding="utf-8")
    cmd = " ".join(GRADTUTOR) + f" check {SEL} --answers sheets --summary-csv g.csv"
    done = _run(f"ulimit -f 1; {cmd}", tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert "cannot write 'g.csv': File too large (the old file is unchanged)" in done.stderr
    assert (tmp_path / "g.csv").read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.csv", "sheets"]


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--sigfigs", "1000000000", "--sigfigs must be between 1 and 50"),
    ("--sigfigs", "0", "--sigfigs must be between 1 and 50"),
    ("--rtol", "10^5000", "--rtol must be at most 1"),
    ("--atol", "10^(10^9)", "is too large"),
    ("--rtol", "2", "--rtol must be at most 1 (100%)"),
    ("--atol", "1e200", "--atol must be at most"),
])
def test_tolerance_options_have_clear_bounds(cli, option, value, message):
    result = cli("check", "x^2", "--at", "x=3", "--wrt", "x", "--answer", "6", option, value)
    assert result.code == 2 and message in result.err and "Traceback" not in result.err


def test_a_sheet_may_name_its_problem_by_file(tmp_path):
    problem = ROOT / "problems" / f"{SEL}.yaml"
    sheet = tmp_path / "s.yaml"
    sheet.write_text(f"problem: {problem.name}\nparts: {{d: x}}\n", encoding="utf-8")
    assert check_sheet(str(problem), sheet).score == (1, 6)
    assert check_sheet(SEL, sheet).score == (1, 6)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("t.yaml", "forward: &a {v1: 1}\nreverse: *a\n", "anchors and aliases are not supported"),
    ("t.yaml", "forward:\n  v1: [1, 2]\n", "a list is not a table row"),
    ("t.csv", "node,primal,adjoint\nv1," + "1" * 140_000 + ",1\n", "not a readable CSV row"),
    ("t.yaml", b"\xff\xfef\x00o\x00", "has no forward: or reverse: section"),
    ("t.yaml", b"forward: {v1: caf\xe9}\n", "t.yaml:1: byte 17 (0xe9) is not UTF-8"),
])
def test_table_files_are_read_with_guards(cli, tmp_path, name, content, message):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = cli("check", "x + 1/(w*x+b)", "--at", "x=0.3,w=0.5,b=0.1", "--table", str(path))
    assert result.code == 2 and message in result.err, result.err


def test_a_table_that_is_a_device_is_refused_at_once(cli):
    result = cli("check", "x*y", "--at", "x=1,y=2", "--table", "/dev/zero")
    assert result.code == 2 and "not a regular file" in result.err


def test_progress_bar_only_on_a_terminal(cli, monkeypatch, capsys):
    from gradtutor.cli import check_sheets as cli_sheets

    with cli_sheets._progress() as tick:  # stderr is not a terminal here: no bar
        assert tick is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with cli_sheets._progress() as tick:
        tick(0, 3)
        tick(3, 3)
    assert "Marking answer sheets" in capsys.readouterr().err


def test_a_worker_memory_bomb_fails_alone(capfd):
    def check(path: str):
        if path == "bomb":
            blob = bytearray(class_run.WORKER_MEMORY + (1 << 30))
            return len(blob)
        return path

    out = run_class(check, ["a", "bomb", "b"], lambda p, why: f"{p}: {why}", workers=2)
    assert out[0] == "a" and out[2] == "b"
    assert out[1].startswith("bomb: the checker process stopped")
    assert "Traceback" not in capfd.readouterr().err  # a worker leaves quietly


def test_the_problem_file_is_never_an_output(cli, tmp_path):
    problem = tmp_path / "p.yaml"
    shutil.copy(ROOT / "problems" / f"{SEL}.yaml", problem)
    before = problem.read_bytes()
    result = cli("check", str(problem), "--answers", str(EXAMPLES), "--summary-csv", str(problem))
    assert result.code == 2 and "is one of the input files" in result.err
    assert problem.read_bytes() == before


@pytest.mark.parametrize(("error", "why"), [
    (RecursionError, "the answer is too long or nested too deeply to check"),
    (MemoryError, "checking the answer needs more memory than allowed"),
])
def test_a_part_too_big_to_check_costs_only_that_part(monkeypatch, error, why):
    from gradtutor.check import sheet as sheet_module

    def boom(*args):
        raise error

    monkeypatch.setitem(sheet_module._CHECKERS, "derivative", boom)
    result = gradtutor.check(problem=SEL, answers={"parts": {"a": "2*(p - y)",
                                                             "f": {"value": "0"}}})
    a = next(p for p in result.parts if p.id == "a")
    f = next(p for p in result.parts if p.id == "f")
    assert (a.verdicts[0].status, a.verdicts[0].given) == ("unreadable", "2*(p - y)")
    assert a.verdicts[0].feedback[0].startswith(f"Could not check this part: {why} (at ")
    assert f.verdicts[0].status == "right"
