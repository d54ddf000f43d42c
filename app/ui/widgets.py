"""Drawing the export documents on screen: tables, radar charts, quartile bars, level badges.

The results and benchmark pages show the very document objects the PDF renderers lay out
(``exports.documents``), so the screen and the PDF cannot disagree on a number or a word.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from exports.appearance import (
    RADAR_CLOCKWISE,
    RADAR_MEDIAN_COLOUR,
    RADAR_SCORE_COLOUR,
    RADAR_START_DEGREES,
    label_lines,
    level_colour,
)


def level_badge(level_id: str, label: str) -> None:
    """The passport level as a badge in the level's colour (``exports.appearance``, the colour
    the PDF prints)."""
    colour = level_colour(level_id)
    st.markdown(
        f'<span class="mvo-level" data-level="{html.escape(level_id)}" style="background:'
        f"{colour};color:#fff;padding:0.2rem 0.6rem;border-radius:0.5rem;font-weight:600;"
        f'display:inline-block">{html.escape(label)}</span>',
        unsafe_allow_html=True,
    )


def improvement_plan(steps, *, title: str, gain_label: str, advice_label: str) -> None:
    """The improvement plan as cards: per topic (named once) its steps, each with the question,
    the gain and the whole advice, wrapped (no clipped table cell)."""
    if not steps:
        return
    st.subheader(title)
    topic = None
    for step in steps:
        if step.topic != topic:
            topic = step.topic
            st.markdown(f"**{plain(topic)}**")
        with st.container(border=True):
            st.markdown(f"{step.number}. {plain(step.question)}")
            st.caption(f"{gain_label}: {step.gain}")
            if step.advice:
                st.markdown(f"{advice_label}: {plain(step.advice)}")


def comparison(comparison) -> None:
    """Last year's comparison: both scores with their level, the difference, and the draft
    warning with this year's completeness."""
    columns = st.columns(len(comparison.rows))
    for column, (name, value) in zip(columns, comparison.rows, strict=True):
        column.metric(name, value)
    if comparison.draft_note:
        st.warning(comparison.draft_note, icon=":material/edit_note:")


def plain(text: str) -> str:
    """Framework or user text shown literally in Markdown (no bold, links or HTML)."""
    for char in "\\`*_[]<#":
        text = text.replace(char, "\\" + char)
    return text


def document_table(table, *, key: str) -> None:
    """An ``exports.documents.Table``: its title, the rows (group rows in bold), its note."""
    if not table.rows:
        return
    st.subheader(table.title)
    header = list(table.header)
    if len(set(header)) != len(header):  # a dataframe needs distinct column names
        header = [f"{name} ({number})" for number, name in enumerate(header)]
    frame = pd.DataFrame(list(table.rows), columns=header)
    if table.emphasis:
        bold = ["font-weight: bold"] * len(header)
        frame = frame.style.apply(
            lambda row: bold if row.name in table.emphasis else [""] * len(header), axis=1
        )
    # No Styler without group rows: it styles every cell, about 0.1 ms each (a federation's
    # member table of 3,335 organisations: most of its page's server time, bench_browser).
    st.dataframe(frame, hide_index=True, key=key, width="stretch")
    if table.note:
        st.caption(table.note)


def _translucent(colour: str, alpha: float = 0.25) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


#: Characters per line of a radar label on screen (about 80 px at 11 px type).
SCREEN_LABEL_WIDTH = 12
#: The longest word kept whole on a radar label line on screen.
SCREEN_WORD_LIMIT = 15


def _split_word(word: str) -> list[str]:
    """A word too long for a line, hyphenated: after a Dutch/English joint ("-en", "-s",
    "Consumenten-aangelegenheden", "Arbeids-praktijken") nearest the middle, else halved."""
    if len(word) <= SCREEN_WORD_LIMIT:
        return [word]
    joints = [
        p
        for p in range(4, len(word) - 3)
        if word[:p].endswith(("en", "s", "al")) and len(word) - p <= SCREEN_WORD_LIMIT
    ]
    cut = min(joints, key=lambda p: abs(p - len(word) / 2)) if joints else len(word) // 2
    return [word[:cut] + "-", *_split_word(word[cut:])]


def screen_label_lines(text: str) -> list[str]:
    """A radar label's lines on screen: the shared line breaking (``label_lines``) to
    ``SCREEN_LABEL_WIDTH`` and a word longer than a line hyphenated, so that no label runs
    off a phone-wide chart."""
    lines: list[str] = []
    for line in label_lines(text, width=SCREEN_LABEL_WIDTH, lines=6):
        lines.extend(_split_word(line) if " " not in line else [line])
    return lines


def radar_chart(chart, *, key: str) -> None:
    """An ``exports.documents.RadarChart`` as a plotly polar chart."""
    # whole titles broken into lines (``exports.appearance``, as in the PDF): nothing clipped
    # (narrower lines than the PDF's: beside a phone-wide chart a 22-character line is cut off)
    labels = ["<br>".join(screen_label_lines(text)) for text in chart.labels]
    figure = go.Figure()
    names = list(chart.legend) or [""]
    figure.add_trace(
        go.Scatterpolar(
            r=[*chart.values, chart.values[0]],
            theta=[*labels, labels[0]],
            fill="toself",
            name=names[0],
            line={"color": RADAR_SCORE_COLOUR},
            fillcolor=_translucent(RADAR_SCORE_COLOUR),
        )
    )
    if chart.median is not None:
        figure.add_trace(
            go.Scatterpolar(
                r=[*chart.median, chart.median[0]],
                theta=[*labels, labels[0]],
                name=names[1] if len(names) > 1 else "median",
                line={"dash": "dash", "color": RADAR_MEDIAN_COLOUR},
            )
        )
    figure.update_layout(
        polar={
            # the 0..100 ticks between the first two spokes, not over a topic's label
            "radialaxis": {
                "range": [0, 100],
                "angle": RADAR_START_DEGREES
                + (-1 if RADAR_CLOCKWISE else 1) * 180 / max(len(labels), 1),
                "tickangle": 0,
                "tickfont": {"size": 9},
            },
            "angularaxis": {
                "rotation": RADAR_START_DEGREES,
                "direction": "clockwise" if RADAR_CLOCKWISE else "counterclockwise",
                "tickfont": {"size": 11},
            },
        },
        height=480,
        margin={"l": 90, "r": 90, "t": 60, "b": 50},
        title=chart.title,
        legend={"orientation": "h"},
    )
    st.plotly_chart(figure, key=key, config={"displayModeBar": False})


def quartile_chart(plots, *, title: str, key: str, note: str = "") -> None:
    """``exports.documents.BoxPlot`` bars: p25..p75 with the median and mean (never min/max)."""
    if not plots:
        return
    figure = go.Figure()
    for plot in plots:
        figure.add_trace(
            go.Box(
                x=[plot.label],
                name=plot.label,
                q1=[plot.p25],
                median=[plot.median],
                q3=[plot.p75],
                lowerfence=[plot.p25],
                upperfence=[plot.p75],
                mean=[plot.mean],
                boxmean=True,
                showlegend=False,
            )
        )
    figure.update_layout(
        title=title,
        yaxis={"range": [0, 100]},
        height=420,
        margin={"l": 40, "r": 20, "t": 40, "b": 40},
    )
    st.plotly_chart(figure, key=key, config={"displayModeBar": False})
    if note:  # what the box, the line and the dot mean (there are no whiskers, S9)
        st.caption(note)


def trend_chart(years: list[str], values: list[float | None], *, title: str, key: str) -> None:
    """A median over the years as a plotly line (a withheld year, None, is a gap): drawn like
    the other charts, without building and validating an Altair spec on every run (which
    ``st.line_chart`` does: about 0.3-0.8 s of the federation page, bench_browser)."""
    figure = go.Figure(
        go.Scatter(x=years, y=values, mode="lines+markers", connectgaps=False, showlegend=False)
    )
    figure.update_layout(
        yaxis={"title": title, "range": [0, 100]},
        xaxis={"type": "category"},
        height=220,
        margin={"l": 40, "r": 20, "t": 10, "b": 30},
    )
    st.plotly_chart(figure, key=key, config={"displayModeBar": False})
