"""Choices that survive a language switch.

Streamlit keeps the value of a radio, selectbox or multiselect by its *displayed* label. Our
labels are translated, so after switching between Dutch and English the stored label matches
no option and the widget falls back to its default: the SME's chosen questionnaire, a
federation's filters or a sector picked during registration would silently be lost. ``keep``
remembers the chosen option itself and puts it back before the widget is drawn again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st


def _kept(key: str) -> str:
    return f"{key}#kept"


def keep(key: str, options: Sequence[Any], *, multiple: bool = False) -> None:
    """Call right before drawing the widget with ``key`` over ``options``."""
    state = st.session_state
    current = state.get(key)
    valid = (
        isinstance(current, list) and all(item in options for item in current)
        if multiple
        else current in options
    )
    if key in state and valid:
        state[_kept(key)] = list(current) if multiple else current
    elif _kept(key) in state:
        kept = state[_kept(key)]
        if multiple:
            state[key] = [item for item in kept if item in options]
        elif kept in options:
            state[key] = kept
