"""Measuring part of a table without building another: how tall a heading's first rows are."""

from __future__ import annotations

from reportlab.platypus import Flowable, Table


def rows_height(grid: Table, count: int) -> float:
    """The height of a table of only `grid`'s first `count` rows, worked out as ReportLab's
    `Table._calc_height` does (each row as tall as its tallest cell with its paddings, summed
    backwards with its rounding compensation) from the cells `grid` already holds: no second
    table of the same rows is built and no cell's text is parsed twice."""
    heights = []
    for values, styles in zip(grid._cellvalues[:count], grid._cellStyles[:count], strict=True):
        tallest = 0.0
        for value, style, width in zip(values, styles, grid._colWidths, strict=True):
            if isinstance(value, str):
                height = (style.leading or 1.2 * style.fontsize) * len(value.split("\n"))
            elif isinstance(value, Flowable):  # as `Table._listCellGeom` wraps a cell's flowable
                height = value.wrap(width - style.leftPadding - style.rightPadding,
                                    72000 - style.topPadding - style.bottomPadding)[1]
            else:  # pragma: no cover - our tables' cells are strings and flowables
                raise TypeError(f"cannot measure the cell {value!r}")
            tallest = max(tallest, height + style.topPadding + style.bottomPadding)
        heights.append(tallest)
    total = carry = 0.0
    for height in reversed(heights):
        step = height - carry
        added = total + step
        carry = (added - total) - step
        total = added
    return total
