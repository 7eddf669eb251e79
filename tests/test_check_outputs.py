"""Grader outputs: Gradescope / PrairieLearn results.json (validated against schemas written
from their published specs), the summary CSV and LMS gradebooks, notebook assertions."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

import gradtutor
from gradtutor.report.gradebook import safe_cell

ROOT = Path(__file__).parent.parent
SCHEMAS = ROOT / "tests" / "schemas"
EXAMPLES = ROOT / "examples" / "sheets"
SEL = "squared_error_logistic"
GRADESCOPE = json.loads((SCHEMAS / "gradescope_results.schema.json").read_text())
PRAIRIELEARN = json.loads((SCHEMAS / "prairielearn_results.schema.json").read_text())


@pytest.fixture(autouse=True)
def _no_autograder(monkeypatch, tmp_path):
    monkeypatch.setenv("GRADTUTOR_AUTOGRADER_DIR", str(tmp_path / "not-there"))


def _sheet(tmp_path: Path, text: str, name: str = "sub.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


SUBMISSIONS = {  # name → (sheet text, expected score, max, exit code)
    "right": ((EXAMPLES / "ada.yaml").read_text(encoding="utf-8"), 7, 7, 0),
    "wrong": ((EXAMPLES / "cleo.yaml").read_text(encoding="utf-8"), 4, 7, 1),
    "partly": ("parts:\n  a: 2*(p - y)\n  c: d/da(p)\n  f: {value: 0}\n", 2, 7, 1),
}


@pytest.mark.parametrize("kind", SUBMISSIONS)
def test_gradescope_results_validate_and_score(cli, tmp_path, kind):
    text, score, most, code = SUBMISSIONS[kind]
    result = cli("check", SEL, "--answers", _sheet(tmp_path, text), "--format", "gradescope")
    assert (result.code, result.err) == (code, "")
    data = json.loads(result.out)
    jsonschema.validate(data, GRADESCOPE)
    assert (data["score"], sum(t["max_score"] for t in data["tests"])) == (score, most)
    assert data["score"] == sum(t["score"] for t in data["tests"])
    assert [t["number"] for t in data["tests"]] == ["1", "2", "3", "4", "5", "6"]
    assert all(t["output_format"] == "md" for t in data["tests"])


def test_gradescope_partly_answered_names_each_item(cli, tmp_path):
    text = SUBMISSIONS["partly"][0]
    data = json.loads(cli("check", SEL, "--answers", _sheet(tmp_path, text),
                          "--format", "gradescope").out)
    c, f = data["tests"][2], data["tests"][5]
    assert (c["status"], c["score"], c["max_score"]) == ("failed", 0, 1)
    assert c["output"].startswith("**✗ could not read** `c.expr` = `d/da(p)`\n\nCould not read:")
    assert (f["score"], f["max_score"]) == (1, 2)
    assert "**– not answered** `f.verdict`" in f["output"]


@pytest.mark.parametrize("text", ["parts: [a\n", "parts:\n  zz: 1\n", "\x07parts: {}\n"])
def test_gradescope_unreadable_submission_still_gets_a_valid_file(cli, tmp_path, text):
    out = tmp_path / "results.json"
    result = cli("check", SEL, "--answers", _sheet(tmp_path, text), "--format", "gradescope",
                 "--output", str(out))
    assert result.code == 2 and "could not be read" in result.out
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, GRADESCOPE)
    assert data["score"] == 0 and "sub.yaml" in data["output"]
    assert data["tests"][0]["status"] == "failed"


def test_gradescope_inside_the_autograder_writes_results_json(cli, tmp_path, monkeypatch):
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    (root / "submission" / "answers.yaml").write_text(SUBMISSIONS["wrong"][0], encoding="utf-8")
    monkeypatch.setenv("GRADTUTOR_AUTOGRADER_DIR", str(root))
    result = cli("check", SEL, "--answers", str(root / "submission"), "--format", "gradescope")
    assert result.code == 1
    written = root / "results" / "results.json"
    assert result.out == f"Wrote {written}: 4 of 7 points.\n"
    jsonschema.validate(json.loads(written.read_text(encoding="utf-8")), GRADESCOPE)


def test_gradescope_trace_part_has_one_test_per_table_cell(cli, tmp_path):
    sheet = (ROOT / "tests" / "data" / "check" / "sheets" / "adtable.yaml")
    data = json.loads(cli("check", "ad_table", "--answers", str(sheet),
                          "--format", "gradescope").out)
    jsonschema.validate(data, GRADESCOPE)
    cells = [t for t in data["tests"] if "." in t["number"]]
    assert len(cells) > 4 and all(t["max_score"] == 1 for t in cells)
    assert len({t["number"] for t in data["tests"]}) == len(data["tests"])


@pytest.mark.parametrize("kind", SUBMISSIONS)
def test_prairielearn_results_validate_and_score(cli, tmp_path, kind):
    text, score, most, code = SUBMISSIONS[kind]
    result = cli("check", SEL, "--answers", _sheet(tmp_path, text), "--format", "prairielearn")
    data = json.loads(result.out)
    jsonschema.validate(data, PRAIRIELEARN)
    assert result.code == code and data["gradable"] is True
    assert data["score"] == pytest.approx(score / most)
    assert sum(t["points"] for t in data["tests"]) == score


def test_prairielearn_unreadable_is_not_gradable_with_the_parse_error(cli, tmp_path):
    result = cli("check", SEL, "--answers", _sheet(tmp_path, "parts: {a: [1\n"),
                 "--format", "prairielearn")
    data = json.loads(result.out)
    jsonschema.validate(data, PRAIRIELEARN)
    assert result.code == 2 and data["gradable"] is False
    assert "sub.yaml:2: not valid YAML" in data["message"]


def test_schemas_can_fail():
    """The schemas reject what the platforms reject (so the validations above mean something)."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"score": 1, "tests": [{"name": "a", "score": 1}]}, GRADESCOPE)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"gradable": True, "score": 1.5, "message": "", "tests": []},
                            PRAIRIELEARN)


def test_grader_format_takes_one_submission(cli):
    result = cli("check", SEL, "--answers", str(EXAMPLES / "ada.yaml"), str(EXAMPLES / "ben.yaml"),
                 "--format", "gradescope")
    assert result.code == 2 and "one submission at a time" in result.err
    folder = cli("check", SEL, "--answers", str(EXAMPLES), "--format", "gradescope")
    assert folder.code == 2 and folder.err == ""
    assert "holds 3 .yaml files; one answer sheet is expected" in json.loads(folder.out)["output"]


@pytest.mark.parametrize(("cell", "safe"), [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1+2", "'+1+2"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("-4.8", "-4.8"), ("Ada", "Ada"),
    ("a\x1b[31mb", "a\\x1b[31mb"),
])
def test_csv_cells_cannot_run_as_formulas(cell, safe):
    assert safe_cell(cell) == safe


def test_summary_csv_neutralises_a_formula_student_name(cli, tmp_path):
    sheets = tmp_path / "subs"
    sheets.mkdir()
    _sheet(sheets, 'student: "=cmd|\' /C calc\'!A0"\nparts: {d: x}\n', "evil.yaml")
    _sheet(sheets, "parts: {d: x}\n", "fine.yaml")
    grades = tmp_path / "g.csv"
    result = cli("check", SEL, "--answers", str(sheets), "--summary-csv", str(grades))
    assert result.code == 1
    rows = list(csv.reader(io.StringIO(grades.read_text(encoding="utf-8"))))
    assert rows[1][0] == "'=cmd|' /C calc'!A0"


CANVAS = ('Student,ID,SIS User ID,SIS Login ID,Section,Homework 1 (1001)\r\n'
          '    Points Possible,,,,,10\r\n'
          '"Lovelace, Ada",501,S-1,ada@uni.edu,A,9\r\n'
          '"Bennet, Ben",502,S-2,bbennet@uni.edu,A,7\r\n'
          '"Nobody, Nora",503,S-3,nora@uni.edu,A,8\r\n')
MOODLE = ('First name,Last name,ID number,Institution,Department,Email address,'
          'Last downloaded from this course\r\n'
          'Ada,Lovelace,S-1,,,ada@uni.edu,1700000000\r\n'
          'Cleo,Patra,S-3,,,cleo@uni.edu,1700000000\r\n')


def test_canvas_gradebook_filled_by_id_email_and_name(cli, tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    _sheet(subs, (EXAMPLES / "ada.yaml").read_text(encoding="utf-8"), "ada.yaml")
    _sheet(subs, "id: S-2\n" + (EXAMPLES / "ben.yaml").read_text(encoding="utf-8"), "x.yaml")
    _sheet(subs, (EXAMPLES / "cleo.yaml").read_text(encoding="utf-8"), "cleo.yaml")
    roster, out = _sheet(tmp_path, CANVAS, "canvas.csv"), tmp_path / "import.csv"
    result = cli("check", SEL, "--answers", str(subs), "--lms", "canvas", "--roster", roster,
                 "--output", str(out))
    assert result.code == 1
    assert "no single row of" in result.err and "cleo.yaml" in result.err
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0][-1] == SEL and rows[0][:6] == CANVAS.split("\r\n")[0].split(",")
    assert rows[1][-1] == "7"  # points possible: items
    assert [r[-1] for r in rows[2:]] == ["7", "5", ""]  # Ada by name, Ben by id, Nora none
    assert (tmp_path / "canvas.csv").read_bytes() == CANVAS.encode()


def test_moodle_gradebook_filled_by_email(cli, tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    _sheet(subs, "email: cleo@uni.edu\n" + (EXAMPLES / "cleo.yaml").read_text(encoding="utf-8"),
           "c.yaml")
    roster, out = _sheet(tmp_path, MOODLE, "moodle.csv"), tmp_path / "import.csv"
    result = cli("check", SEL, "--answers", str(subs), "--lms", "moodle", "--roster", roster,
                 "--output", str(out))
    assert result.code == 1 and result.err == ""
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r[-1] for r in rows] == [SEL, "", "4"]


@pytest.mark.parametrize(("args", "message"), [
    (["--lms", "blackboard", "--roster", "r.csv", "--output", "o.csv"], "--lms 'blackboard'"),
    (["--lms", "canvas", "--output", "o.csv"], "--lms and --roster go together"),
    (["--lms", "canvas", "--roster", "r.csv"], "--lms needs --output"),
])
def test_lms_usage_errors(cli, args, message):
    result = cli("check", SEL, "--answers", str(EXAMPLES), *args)
    assert result.code == 2 and message in result.err and result.out == ""


def test_roster_without_identity_columns_is_refused(cli, tmp_path):
    roster = _sheet(tmp_path, "name,score\r\nAda,1\r\n", "r.csv")
    result = cli("check", SEL, "--answers", str(EXAMPLES), "--lms", "canvas", "--roster",
                 roster, "--output", str(tmp_path / "o.csv"))
    assert result.code == 2 and "no canvas identity column" in result.err


def test_notebook_assert_correct_raises_with_the_feedback():
    gradtutor.check("sigmoid(x)", wrt="x", answer="sigmoid(x)*(1 - sigmoid(x))").assert_correct()
    with pytest.raises(AssertionError, match="not right") as err:
        gradtutor.check("sigmoid(x)", wrt="x", answer="sigmoid(x)").assert_correct()
    assert "sigmoid" in str(err.value)
    gradtutor.check(problem=SEL, answers=str(EXAMPLES / "ada.yaml")).assert_correct()
    with pytest.raises(AssertionError, match=r"e\.expr \(wrong\): The term"):
        gradtutor.check(problem=SEL, answers=str(EXAMPLES / "ben.yaml")).assert_correct()


def test_zero_sheets_are_never_correct():
    with pytest.raises(gradtutor.errors.InputError, match="no answer sheets"):
        gradtutor.check(problem=SEL, answers=[])


def test_gradescope_submission_that_hangs_still_gets_its_file(cli, tmp_path, monkeypatch):
    import time

    from gradtutor.check import class_run

    monkeypatch.setattr(class_run, "SHEET_SECONDS", 1.0)
    monkeypatch.setattr(class_run, "check_one", lambda problem, path: time.sleep(60))
    out = tmp_path / "results.json"
    result = cli("check", SEL, "--answers", _sheet(tmp_path, "parts: {d: x}\n"),
                 "--format", "gradescope", "--output", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, GRADESCOPE)
    assert result.code == 2 and data["score"] == 0
    assert "took longer than 1 s (the time budget)" in data["output"]
