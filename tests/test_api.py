"""The public Python API: gradtutor.trace / solve / check, called repeatedly and in any order."""

from __future__ import annotations

from fractions import Fraction

import gradtutor


def test_trace_api_values() -> None:
    result = gradtutor.trace("x + 1/(w*x+b)", x=0.3, w=0.5, b=0.1)
    assert result.value == Fraction(43, 10)
    assert result.gradient == {"x": -7, "w": Fraction(-24, 5), "b": -16}
    assert [n.index for n in result.nodes] == [-2, -1, 0, 1, 2, 3, 4]


def test_check_and_solve_stay_callable_after_their_packages_are_imported() -> None:
    import gradtutor.check.formula  # noqa: F401 - binds gradtutor.check to the package
    import gradtutor.solve.common  # noqa: F401

    for _ in range(2):
        verdict = gradtutor.check("x^2", wrt="x", answer="2*x")
        assert verdict.correct is True
        solution = gradtutor.solve("ad_table")
        assert solution.parts


def test_result_renders_itself() -> None:
    import io

    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=100, color_system=None).print(gradtutor.trace("x*x", x=3))
    assert "Reverse adjoint trace" in buffer.getvalue()
    bundle = gradtutor.trace("x*x", x=3)._repr_mimebundle_()
    assert "text/plain" in bundle and "### Local partials" in bundle["text/markdown"]
