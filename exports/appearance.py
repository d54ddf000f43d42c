"""How results look wherever they are drawn: level colours, the radar's orientation and how a
chart label is broken into lines.

The plotly charts on screen (``app.ui.widgets``) and the reportlab charts in the PDFs
(``exports.pdf``) both read these definitions, so a level has one colour, the radar has one
pair of colours, starts at the same spoke and turns the same way on screen and on paper.
"""

from __future__ import annotations

import math

#: Level id -> colour (hex). Unknown levels get ``DEFAULT_LEVEL_COLOUR``.
LEVEL_COLOURS: dict[str, str] = {
    "starter": "#b44d12",
    "op_weg": "#c99a06",
    "gevorderd": "#2f8132",
    "voorloper": "#0b6e4f",
    "concept": "#616e7c",
}
DEFAULT_LEVEL_COLOUR = "#0b6e4f"

#: The radar's own score (filled) and the sector median (dashed), on screen and on paper.
RADAR_SCORE_COLOUR = "#0b6e4f"
RADAR_MEDIAN_COLOUR = "#c99a06"

#: The first section sits at this angle (degrees, counter-clockwise from "east": 90 = top).
RADAR_START_DEGREES = 90
#: The sections follow one another clockwise.
RADAR_CLOCKWISE = True

#: A radar label is broken into lines of about this many characters (at most three lines).
RADAR_LABEL_WIDTH = 22


def level_colour(level_id: str | None) -> str:
    """The colour of a level (hex)."""
    return LEVEL_COLOURS.get(level_id or "", DEFAULT_LEVEL_COLOUR)


def radar_angles(count: int) -> list[float]:
    """The angle (radians, counter-clockwise from "east") of each of ``count`` spokes."""
    start = math.radians(RADAR_START_DEGREES)
    turn = -1 if RADAR_CLOCKWISE else 1
    return [start + turn * 2 * math.pi * i / count for i in range(count)]


def label_lines(text: str, width: int = RADAR_LABEL_WIDTH, lines: int = 3) -> list[str]:
    """``text`` broken at spaces into lines of about ``width`` characters. Nothing is cut off:
    where the words need more than ``lines`` lines, the last line holds the rest."""
    words = text.split()
    out: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > width and len(out) < lines - 1:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current or not out:
        out.append(current)
    return out
