"""Practice, session: the tutor's state + one line typed by the student → next state + replies.

Plain frozen dataclasses and one pure function, ``step``, so a test can drive a whole session
line by line; the CLI only reads lines, measures time and prints the replies.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import GradtutorError
from .exercise import ADJOINT, FORMULA, PRIMAL, Cell, Exercise
from .judge import FOLLOWS, RIGHT, WRONG, judge, parse_answer, revisit

COMMANDS = ("hint", "skip", "show", "table", "quit")
SHOWN, SKIPPED, UNANSWERED = "shown", "skipped", "unanswered"
TRIES = 2


@dataclass(frozen=True)
class Message:
    kind: str  # right | follows | wrong | hint | answer | info | error | table
    text: str


@dataclass(frozen=True)
class CellRecord:
    """How one cell went: every answer typed, the outcome, hints and time."""

    id: str
    status: str  # right | follows-through | wrong | shown | skipped | unanswered
    answers: tuple[str, ...] = ()
    first_try: bool = False
    hints: int = 0
    mistakes: tuple[str, ...] = ()
    seconds: float = 0.0


@dataclass(frozen=True)
class State:
    exercise: Exercise
    position: int = 0
    tries: tuple[str, ...] = ()  # answers given to the current cell
    hints: int = 0
    mistakes: tuple[str, ...] = ()
    seconds: float = 0.0
    held: tuple[tuple[str, str], ...] = ()  # cell id → the student's value, standing in the table
    off: tuple[tuple[str, str], ...] = ()  # held values that are not the true one → status
    records: tuple[CellRecord, ...] = ()
    ended: bool = False

    @property
    def current(self) -> Cell | None:
        cells = self.exercise.cells
        return None if self.ended or self.position >= len(cells) else cells[self.position]

    def filled(self) -> dict[str, tuple[str, str]]:
        """Cell id → (text shown in the table, status) for the cells done so far."""
        held = dict(self.held)
        out = {}
        for record in self.records:
            cell = self.exercise.cell(record.id)
            if record.status != UNANSWERED:
                out[record.id] = (held.get(record.id, cell.answer), record.status)
        return out


def start(exercise: Exercise) -> State:
    return State(exercise)


def step(state: State, line: str, seconds: float = 0.0) -> tuple[State, tuple[Message, ...]]:
    """One line from the student: an answer or a command."""
    cell = state.current
    if cell is None:
        return state, ()
    state = replace(state, seconds=state.seconds + seconds)
    word = line.strip().lower()
    if word in ("quit", "q", "exit"):
        return finish(state), (Message("info", "Stopped here."),)
    if word == "table":
        return state, (Message("table", ""),)
    if word in ("help", "?"):
        return state, (Message("info", "Type your answer (a number such as -16, -24/5 or "
                                       "1/(0.25)), or: " + ", ".join(COMMANDS) + "."),)
    if word == "hint":
        return _hint(state, cell)
    if word in ("skip", "show"):
        return _reveal(state, cell, SKIPPED if word == "skip" else SHOWN)
    return _answer(state, cell, line.strip())


def _hint(state: State, cell: Cell) -> tuple[State, tuple[Message, ...]]:
    if state.hints >= len(cell.hints):
        state = replace(state, hints=state.hints + 1)
        return _advance(state, cell, SHOWN, ()), (
            Message("answer", f"Hint {state.hints}, the answer: {cell.working}"),)
    text = cell.hints[state.hints]
    state = replace(state, hints=state.hints + 1)
    return state, (Message("hint", f"Hint {state.hints}: {text}"),)


def _reveal(state: State, cell: Cell, status: str) -> tuple[State, tuple[Message, ...]]:
    said = f"Skipped; {cell.label} = {cell.answer}." if status == SKIPPED else \
        f"The answer: {cell.working}"
    return _advance(state, cell, status, ()), (Message("answer", said),)


def _answer(state: State, cell: Cell, text: str) -> tuple[State, tuple[Message, ...]]:
    try:
        parse_answer(cell, text)
        verdict = judge(state.exercise, dict(state.held), cell, text)
    except GradtutorError as err:
        what = "a formula such as 2*(p - y)" if cell.kind == FORMULA else \
            "a shape such as 2x3, 4 or scalar" if cell.kind == "shape" else \
            "a number such as -16, -24/5 or 1/(0.25)" if cell.shape is None else \
            "a number such as -16 or 1/4, or a nested list such as [5, -1] or [[1, 2], [3, 4]]"
        why = f"{text!r} is not a number" if "is not a number" in err.message else \
            f"{text!r}: {err.message}"
        return state, (Message("error", f"{why}. Type {what}, or one of: "
                                        + ", ".join(COMMANDS) + "."),)
    tries = (*state.tries, text)
    state = replace(state, tries=tries)
    if verdict.status == RIGHT:
        praise = "Right!" if len(tries) == 1 else "Right, on the second try."
        return _advance(state, cell, RIGHT, (cell.id, text)), (Message("right", praise),)
    if verdict.status == FOLLOWS:
        return _follows(state, cell, text)
    unknown = {PRIMAL: "arithmetic", ADJOINT: "local-partial"}.get(cell.kind, "other")
    state = replace(state, mistakes=(*state.mistakes, verdict.mistake or unknown))
    said = [Message("wrong", f"Not quite. {line}") for line in verdict.diagnosis[:1]] or \
        [Message("wrong", "Not quite.")]
    said += [Message("wrong", line) for line in verdict.diagnosis[1:]]
    if len(tries) < TRIES:
        return state, (*said, Message("info", "Try again (or type hint, show, skip)."))
    answer = Message("answer", f"The answer: {cell.working}")
    state = _advance(state, cell, WRONG, (cell.id, text))
    return replace(state, off=(*state.off, (cell.id, WRONG))), (*said, answer)


def _follows(state: State, cell: Cell, text: str) -> tuple[State, tuple[Message, ...]]:
    labels = revisit(state.exercise, cell, dict(state.off))
    held = dict(state.held)
    own = [f"{state.exercise.cell(d).label} = {held[d]}" for d in cell.depends if d in held]
    where = f"; revisit {', '.join(labels)}" if labels else \
        f" ({', '.join(own)})" if own else ""
    said = Message("follows", f"Follows through: right from your own earlier value{where}. "
                              f"With the right values it is {cell.answer}.")
    state = _advance(state, cell, FOLLOWS, (cell.id, text))
    return replace(state, off=(*state.off, (cell.id, FOLLOWS))), (said,)


def _advance(state: State, cell: Cell, status: str,
             held: tuple[str, str] | tuple[()]) -> State:
    record = CellRecord(cell.id, status, state.tries, status == RIGHT and len(state.tries) == 1,
                        state.hints, state.mistakes, round(state.seconds, 3))
    new = replace(state, position=state.position + 1, tries=(), hints=0, mistakes=(),
                  seconds=0.0, records=(*state.records, record),
                  held=(*state.held, held) if held else state.held)
    return replace(new, ended=True) if new.position >= len(state.exercise.cells) else new


def finish(state: State) -> State:
    """End now (quit, Ctrl-C, end of input): the cells not done count as unanswered."""
    if state.ended:
        return state
    rest = state.exercise.cells[state.position:]
    records = [CellRecord(c.id, UNANSWERED) for c in rest]
    if rest and (state.tries or state.hints):
        records[0] = CellRecord(rest[0].id, UNANSWERED, state.tries, False, state.hints,
                                state.mistakes, round(state.seconds, 3))
    return replace(state, records=(*state.records, *records), ended=True)
