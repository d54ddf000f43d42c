"""User text inside Streamlit Markdown: ``st.title``, ``st.markdown``, ``st.caption`` and
``st.write`` parse Markdown (and Streamlit's ``:color[...]`` and ``:icon:`` directives), so a
name such as ``**Vet**`` or ``Bouw & Zonen <bv>`` must be escaped before it goes into one."""

from __future__ import annotations

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:=&@])")


def literal(value: object) -> str:
    """``value`` as text that Markdown shows exactly as typed (each special character
    backslash-escaped; newlines become spaces, so a title stays one line)."""
    flat = " ".join(str(value).split())
    return _MARKDOWN_SPECIALS.sub(r"\\\1", flat)
