"""Answer sheets: a problem file + students' YAML sheets → per-part verdicts, scores, summaries."""

from __future__ import annotations

import csv
import io
import json
import shlex
from pathlib import Path

import pytest

import gradtutor
from gradtutor.check.class_run import check_sheets
from gradtutor.check.sheet import check_sheet
from gradtutor.errors import ProblemFileError

ROOT = Path(__file__).parent.parent
SHEETS = ROOT / "tests" / "data" / "check" / "sheets"
EXAMPLES = ROOT / "examples" / "sheets"
SEL = "squared_error_logistic"

# The README's answer-sheet command, run verbatim.
README_COMMAND = "gradtutor check squared_error_logistic --answers examples/sheets/ben.yaml"


def verdicts(result, part_id: str):
    return next(p for p in result.parts if p.id == part_id).verdicts


def test_readme_command(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = cli(*shlex.split(README_COMMAND)[1:])
    assert (result.code, result.err) == (1, "")
    assert result.out.startswith("Check squared_error_logistic, answers of Ben "
                                 "(examples/sheets/ben.yaml)\n"
                                 "Score: 4 of 6 parts right (5 of 7 items)\n")
    assert "Part c: – not answered" in result.out


def test_fully_right_sheet_exits_0_with_full_score(cli):
    result = cli("check", SEL, "--answers", str(EXAMPLES / "ada.yaml"))
    assert (result.code, result.err) == (0, "")
    assert "6 of 6 parts right (7 of 7 items)" in result.out
    assert "Not checked: a written explanation needs a human reader." in result.out


def test_seed_004_mistake_is_named():
    """dl/dw = 2p³e^(−a)x − 3p²e^(−a)yx (seed 004): one term has the wrong coefficient."""
    result = check_sheet(SEL, EXAMPLES / "ben.yaml")
    assert not result.correct and result.score == (4, 6)
    (e,) = verdicts(result, "e")
    assert (e.status, e.mistake) == ("wrong", "term-coefficient")
    assert e.feedback[0] == ("The term -3*p^2*x*y*exp(-a) should have the coefficient -2, "
                             "not -3; the rest of your answer is right.")
    (c,) = verdicts(result, "c")
    assert (c.mistake, c.feedback) == ("not-answered", ("Not answered.",))


def test_missing_chain_factor_wrong_form_and_wrong_verdict():
    result = check_sheet(SEL, EXAMPLES / "cleo.yaml")
    (e,) = verdicts(result, "e")
    assert e.mistake == "chain-factor" and "p*(1 - p)" in e.feedback[0]
    (c,) = verdicts(result, "c")
    assert c.mistake == "form"
    assert c.feedback[0].startswith("Your answer equals the derivative, but the part asks for "
                                    "it in terms of p: it still uses a.")
    value, verdict = verdicts(result, "f")
    assert (value.status, verdict.status, verdict.expected) == ("right", "wrong", "vanishes")


def test_sign_error_in_a_part_is_named():
    result = check_sheet(SEL, SHEETS / "class" / "finn.yaml")
    assert verdicts(result, "a")[0].mistake == "sign"
    assert result.score == (5, 6)


def test_table_part_follows_through():
    result = check_sheet("ad_table", SHEETS / "adtable.yaml")
    statuses = [v.status for v in verdicts(result, "table")]
    assert statuses.count("wrong") == 1 and statuses.count("follows-through") == 7
    assert result.item_score == (10, 11) and result.score == (0, 1)


def test_numbers_solutions_cases_and_descent():
    graph = check_sheet("logistic_regression_graph", SHEETS / "flip.yaml")
    b = [v for v in verdicts(graph, "graph") if v.item == "graph.gradient.b"][0]
    assert (b.status, b.mistake) == ("wrong", "sign")
    assert [v.mistake for v in verdicts(graph, "flip")] == ["missing-solution",
                                                             "not-a-solution"]
    hinge = check_sheet("hinge_loss_penalty", SHEETS / "hinge_mixed.yaml")
    assert [p.status for p in hinge.parts] == ["right", "wrong", "wrong"]
    assert sorted(v.mistake for v in verdicts(hinge, "b")) == ["difference", "missing-case"]
    assert verdicts(hinge, "c")[0].feedback[0] == ("That is w after 1 update, not 3: count "
                                                   "the steps.")


@pytest.mark.parametrize(("sheet", "message"), [
    ("class/bad_yaml.yaml", "class/bad_yaml.yaml:3: not valid YAML: expected ',' or '}', "
                            "but got ':'"),
    ("unknown_part.yaml", "unknown_part.yaml:4 parts.g: squared_error_logistic has no part "
                          "'g'\nTry: parts are: a, b, c, d, e, f"),
    ("wrong_type.yaml", "wrong_type.yaml:4 parts.f.value: expected a number or oo, got a list"),
])
def test_bad_sheets_exit_2_naming_file_line_and_key(cli, sheet, message):
    result = cli("check", SEL, "--answers", str(SHEETS / sheet))
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith(f"Error: {SHEETS}/")
    assert message in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(("sheet", "item", "message"), [
    ("bad_formula.yaml", "a.expr", "Could not read: expected ')' but found the end of the input "
                                   "(at {dir}/bad_formula.yaml:2 parts.a.expr)"),
    ("bad_enum.yaml", "f.verdict", "Could not read: expected one of vanishes, finite, diverges, "
                                   "got 'vanished' (at {dir}/bad_enum.yaml:2 parts.f.verdict)"),
])
def test_an_unreadable_answer_is_its_own_item_and_the_rest_is_graded(cli, sheet, item, message):
    result = cli("check", SEL, "--answers", str(SHEETS / sheet), "--format", "json")
    assert (result.code, result.err) == (1, "")
    items = [i for p in json.loads(result.out)["parts"] for i in p["items"]]
    bad = next(i for i in items if i["item"] == item)
    assert (bad["verdict"], bad["credit"]) == ("unreadable", False)
    assert bad["feedback"][0] == message.format(dir=SHEETS)


def test_partial_sheet_grades_the_readable_answers(tmp_path):
    """Ben's part c written as d/da(p): that item cannot be read, the others are graded."""
    sheet = tmp_path / "ben.yaml"
    sheet.write_text((EXAMPLES / "ben.yaml").read_text(encoding="utf-8").replace(
        "  d: x\n", "  c: d/da(p)\n  d: x\n"), encoding="utf-8")
    result = check_sheet(SEL, sheet)
    (c,) = verdicts(result, "c")
    assert (c.status, c.given) == ("unreadable", "d/da(p)")
    assert c.feedback[0].startswith("Could not read: ")
    assert c.feedback[-1] == ("Try: write the derivative itself as a formula (e.g. 2*x*cos(x^2)), "
                              "not the notation d/da(…)")
    assert [p.status for p in result.parts] == ["right", "right", "wrong", "right", "wrong",
                                                "right"]
    assert result.score == (4, 6)


def test_not_answered_is_its_own_verdict_never_wrong(cli, tmp_path):
    sheet = tmp_path / "half.yaml"
    sheet.write_text("parts:\n  f: {value: 0}\n", encoding="utf-8")
    result = check_sheet(SEL, sheet)
    (value, verdict) = verdicts(result, "f")
    assert (value.status, verdict.status) == ("right", "not-answered")
    assert (verdicts(result, "a")[0].status, result.parts[0].status) == ("not-answered",) * 2
    out = cli("check", SEL, "--answers", str(sheet)).out
    assert "– not answered  f.verdict" in out and "✗ wrong" not in out


def test_unknown_part_did_you_mean(tmp_path):
    sheet = tmp_path / "typo.yaml"
    sheet.write_text("parts:\n  e1: x\n", encoding="utf-8")
    with pytest.raises(ProblemFileError) as err:
        check_sheet(SEL, sheet)
    assert err.value.describe() == (f"{sheet}:2 parts.e1: squared_error_logistic has no part "
                                    "'e1'\nTry: did you mean 'e'?")


def test_class_summary_over_a_folder_with_csv(cli, tmp_path):
    grades = tmp_path / "grades.csv"
    result = cli("check", SEL, "--answers", str(EXAMPLES), "--summary-csv", str(grades))
    assert (result.code, result.err) == (1, "")
    assert "│ Ada     │ ✓   │ ✓   │ ✓   │ ✓   │ ✓   │ ✓   │ 6/6   │ 7/7   │" in result.out
    rows = list(csv.reader(io.StringIO(grades.read_text(encoding="utf-8"))))
    assert rows[0] == ["student", "sheet", "a", "b", "c", "d", "e", "f", "parts_right",
                       "parts_total", "items_right", "items_total", "error"]
    assert [r[0] for r in rows[1:]] == ["Ada", "Ben", "Cleo"]
    assert rows[2][2:] == ["right", "right", "not answered", "right", "wrong", "right",
                           "4", "6", "5", "7", ""]


def test_class_with_a_bad_sheet_still_marks_the_others_and_exits_2(cli):
    result = cli("check", SEL, "--answers", str(SHEETS / "class" / "ada.yaml"),
                 str(SHEETS / "class" / "bad_yaml.yaml"), str(SHEETS / "class" / "finn.yaml"),
                 "--format", "json")
    assert result.code == 2
    assert result.err.startswith(f"Error: {SHEETS / 'class' / 'bad_yaml.yaml'}:3: not valid")
    data = json.loads(result.out)
    assert [s["student"] for s in data["students"]] == ["Ada", "Finn"]
    assert data["errors"][0]["sheet"].endswith("bad_yaml.yaml")
    assert data["parts"][0] == {"id": "a", "right": 1, "of": 2}


def test_json_document_shape(cli):
    result = cli("check", SEL, "--answers", str(EXAMPLES / "ben.yaml"), "--format", "json")
    data = json.loads(result.out)
    assert result.code == 1 and data["correct"] is False
    assert data["score"] == {"parts": 4, "parts_out_of": 6, "items": 5, "items_out_of": 7}
    assert [p["verdict"] for p in data["parts"]] == ["right", "right", "not-answered", "right",
                                                     "wrong", "right"]
    e = data["parts"][4]["items"][0]
    assert (e["item"], e["verdict"], e["mistake"]) == ("e.expr", "wrong", "term-coefficient")
    assert e["counterexample"]["given"] != e["counterexample"]["expected"]


def test_python_api_one_sheet_and_many_in_order():
    one = gradtutor.check(problem=SEL, answers=str(EXAMPLES / "ada.yaml"))
    assert one.correct and one.score == (6, 6)
    again = gradtutor.check(SEL, answers={"student": "Gus", "parts": {"d": "x"}})
    assert again.student == "Gus" and again.score == (1, 6)
    many = gradtutor.check(problem=SEL, answers=[str(EXAMPLES / n) for n in
                                                 ("cleo.yaml", "ada.yaml", "ben.yaml")])
    assert [s.student for s in many.sheets] == ["Cleo", "Ada", "Ben"]
    assert [s.score for s in many.sheets] == [(3, 6), (6, 6), (4, 6)]
    assert check_sheets(SEL, [EXAMPLES]).sheets == check_sheets(SEL, [EXAMPLES]).sheets
