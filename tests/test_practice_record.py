"""--record appends one JSON line per session (atomically); --stats summarises the file."""

from __future__ import annotations

import io
import json
from pathlib import Path

from gradtutor.practice.record import append_record

NEURON = "z = w*x + b; p = sigmoid(z); r = p - y; L = r*r"
AT = "x=2,w=0.5,b=-1,y=1"
RIGHT = ["1", "0", "0.5", "-0.5", "0.25", "1", "-1", "-1", "-0.25", "-0.25", "1", "-0.25",
         "-0.5", "-0.125"]


def _session(cli, monkeypatch, lines: list[str], *args: str):
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{x}\n" for x in lines)))
    return cli("practice", *args)


def test_each_session_appends_one_line(cli, monkeypatch, tmp_path: Path) -> None:
    record = tmp_path / "progress.jsonl"
    _session(cli, monkeypatch, RIGHT, NEURON, "--at", AT, "--record", str(record))
    wrong = RIGHT[:6] + ["-0.5", "-0.5", "-0.5"]
    _session(cli, monkeypatch, wrong, NEURON, "--at", AT, "--record", str(record))
    lines = record.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["exercise"]["expression"] == NEURON and first["score"] == [14, 14]
    assert [c["id"] for c in first["cells"]][:2] == ["v1", "v2"]
    assert first["cells"][0]["answers"] == ["1"] and first["cells"][0]["seconds"] >= 0
    assert second["mistakes"] == {"fan-out": 2} and second["completed"] is False
    assert second["cells"][6] | {"seconds": 0} == {
        "id": "v_bar4", "status": "wrong", "answers": ["-0.5", "-0.5"], "first_try": False,
        "hints": 0, "mistakes": ["fan-out", "fan-out"], "seconds": 0}
    assert list(tmp_path.iterdir()) == [record]  # no temporary file left behind


def test_a_line_cut_short_elsewhere_is_kept_apart(tmp_path: Path) -> None:
    record = tmp_path / "r.jsonl"
    record.write_text('{"cells": []}\n{"cells": [', encoding="utf-8")
    append_record(record, {"cells": [], "n": 1})
    lines = record.read_text(encoding="utf-8").splitlines()
    assert lines == ['{"cells": []}', '{"cells": [', '{"cells": [], "n": 1}']


def test_stats_summarise_levels_and_mistakes(cli, monkeypatch, tmp_path: Path) -> None:
    record = tmp_path / "progress.jsonl"
    _session(cli, monkeypatch, RIGHT[:6] + ["-0.5", "-0.5"], NEURON, "--at", AT,
             "--record", str(record))
    _session(cli, monkeypatch, RIGHT, NEURON, "--at", AT, "--record", str(record))
    with record.open("a", encoding="utf-8") as f:
        f.write("not json\n")
    out = cli("practice", "--stats", str(record))
    assert out.code == 0, out.err
    assert "2 sessions, 28 cells, right first time 71%, with credit 71%" in out.out
    assert "expression  2         28" in out.out and "43% → 100%" in out.out
    assert "fan-out  2" in out.out
    assert "Skipped lines that are not sessions: 3" in out.out
    doc = json.loads(cli("practice", "--stats", str(record), "--format", "json").out)
    assert doc["sessions"] == 2 and doc["bad_lines"] == [3]
    assert doc["mistakes"][0] == {"kind": "fan-out", "times": 2, "sessions": 1,
                                  "last_seen": doc["mistakes"][0]["last_seen"]}


def test_an_unwritable_record_path_is_refused_before_the_session(cli, monkeypatch,
                                                                  tmp_path: Path) -> None:
    out = _session(cli, monkeypatch, RIGHT, NEURON, "--at", AT, "--record",
                   str(tmp_path / "missing" / "r.jsonl"))
    assert out.code == 2 and "cannot write the record file" in out.err and out.out == ""
    out = _session(cli, monkeypatch, RIGHT, NEURON, "--at", AT, "--record", str(tmp_path))
    assert out.code == 2 and "is a folder" in out.err
