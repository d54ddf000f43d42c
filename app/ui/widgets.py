"""Drawing the export documents on screen: tables, radar charts, quartile bars, level badges.

The results and benchmark pages show the very document objects the PDF renderers lay out
(``exports.documents``), so the screen and the PDF cannot disagree on a number or a word.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

LEVEL_COLOURS = {
    "starter": "red",
    "op_weg": "orange",
    "gevorderd": "blue",
    "voorloper": "green",
    "concept": "gray",
}


def level_badge(level_id: str, label: str) -> None:
    """The passport level as a coloured badge."""
    st.badge(
        label, color=LEVEL_COLOURS.get(level_id, "violet"), icon=":material/workspace_premium:"
    )


def document_table(table, *, key: str) -> None:
    """An ``exports.documents.Table``: its title, the rows (group rows in bold), its note."""
    if not table.rows:
        return
    st.subheader(table.title)
    header = list(table.header)
    if len(set(header)) != len(header):  # a dataframe needs distinct column names
        header = [f"{name} ({number})" for number, name in enumerate(header)]
    frame = pd.DataFrame(list(table.rows), columns=header)
    bold = ["font-weight: bold"] * len(header)
    styled = frame.style.apply(
        lambda row: bold if row.name in table.emphasis else [""] * len(header), axis=1
    )
    st.dataframe(styled, hide_index=True, key=key, width="stretch")
    if table.note:
        st.caption(table.note)


def radar_chart(chart, *, key: str) -> None:
    """An ``exports.documents.RadarChart`` as a plotly polar chart."""
    labels = list(chart.labels)
    figure = go.Figure()
    names = list(chart.legend) or [""]
    figure.add_trace(
        go.Scatterpolar(
            r=[*chart.values, chart.values[0]],
            theta=[*labels, labels[0]],
            fill="toself",
            name=names[0],
        )
    )
    if chart.median is not None:
        figure.add_trace(
            go.Scatterpolar(
                r=[*chart.median, chart.median[0]],
                theta=[*labels, labels[0]],
                name=names[1] if len(names) > 1 else "median",
                line={"dash": "dash"},
            )
        )
    figure.update_layout(
        polar={"radialaxis": {"range": [0, 100]}},
        height=420,
        margin={"l": 40, "r": 40, "t": 40, "b": 40},
        title=chart.title,
    )
    st.plotly_chart(figure, key=key, config={"displayModeBar": False})


def quartile_chart(plots, *, title: str, key: str) -> None:
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
