"""Stage 4, render: Plot → a PNG or SVG file through matplotlib (Agg, imported only here).

The same curves as the terminal plot: each continuous run is one line (no line through a jump),
f solid, f′ dashed, tangent lines dotted, open circles at removable holes.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..plotting import Plot
from .plot_text import curve_label, title

FORMATS = {".png": "png", ".svg": "svg"}
LINESTYLES = {"f": "-", "derivative": "--", "tangent": ":"}


def _matplotlib_figure() -> type:
    """matplotlib's Figure (Agg backend); a missing install is the user's to fix, not a bug."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure
    except ImportError as err:
        raise InputError(f"writing a PNG or SVG plot needs matplotlib, which is not "
                         f"installed here ({err})",
                         hint="reinstall gradtutor with its dependencies (pip install .), "
                              "or leave out --output to plot in the terminal") from None
    return Figure


def write_plot(plot: Plot, path: str) -> None:
    """Draw ``plot`` into ``path`` (its suffix picks PNG or SVG)."""
    Figure = _matplotlib_figure()
    figure = Figure(figsize=(8, 5), dpi=100)
    axes = figure.add_subplot()
    colours = {}
    for number, curve in enumerate(plot.curves):
        colour = colours.setdefault(curve.source, f"C{len(colours)}")
        for i, run in enumerate(curve.samples.runs):
            xs, ys = zip(*run, strict=True)
            axes.plot(xs, ys, LINESTYLES[curve.kind], color=colour, linewidth=1.8,
                      label=curve_label(curve) if i == 0 else None, zorder=3 + number)
        for x, y in curve.samples.holes:
            axes.plot([x], [y], "o", markersize=7, markerfacecolor="white", color=colour,
                      zorder=10)
    for tangent in plot.tangents:
        axes.plot([float(tangent.at)], [float(tangent.value)], "o", color="black", zorder=11)
    axes.axhline(0, color="#999", linewidth=0.8)
    axes.axvline(0, color="#999", linewidth=0.8)
    axes.set_xlim(plot.lo, plot.hi)
    axes.set_title(title(plot))
    axes.set_xlabel(str(plot.curves[0].variable))
    axes.grid(True, alpha=0.3)
    axes.legend(loc="best", fontsize=9)
    figure.tight_layout()
    figure.savefig(path, format=FORMATS[Path(path).suffix.lower()])
