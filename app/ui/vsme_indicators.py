"""The VSME indicators table of the federation and department pages: one line per indicator of
``disclosure.VSME_INDICATORS`` with n, mean and quartiles of a published cell, "< k" where the
cell or the indicator is withheld. It lays out what ``disclosure.vsme_statistics`` released
and decides nothing about k or consent."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.services import disclosure
from app.ui.i18n import N_, _
from exports.text import format_number, unit_label
from exports.text import label as export_label

NAMES = {
    "energy_mwh": N_("Total energy consumption"),
    "scope1_t": N_("Scope 1 emissions"),
    "scope2_location_t": N_("Scope 2 emissions (location-based)"),
    "ghg_intensity": N_("GHG intensity (Scope 1 + 2 per million euro turnover)"),
    "employees": N_("Employees"),
    "accident_rate": N_("Recordable work accidents per 200,000 hours"),
}


def indicator_frame(cell, k: int, language: str) -> pd.DataFrame:
    """The table of one published cell (or None: everything withheld)."""
    withheld = export_label("suppressed", language, k=k)
    rows = []
    for indicator in disclosure.VSME_INDICATORS:
        dist = cell.kpis.get(indicator.id) if cell is not None and cell.shown else None
        figures = {
            name: format_number(getattr(dist, name), language, 2) if dist else withheld
            for name in ("mean", "p25", "median", "p75")
        }
        rows.append(
            {
                _("Indicator"): _(NAMES[indicator.id]),
                _("Unit"): unit_label(indicator.unit, language),
                "n": str(dist.n) if dist else withheld,
                _("Mean"): figures["mean"],
                "p25": figures["p25"],
                _("Median"): figures["median"],
                "p75": figures["p75"],
            }
        )
    return pd.DataFrame(rows)


def indicators_table(cell, k: int, language: str, *, key: str) -> None:
    """Draw the table with a line on where the figures come from."""
    st.dataframe(indicator_frame(cell, k, language), hide_index=True, key=key)
    st.caption(
        _(
            "From the submitted VSME reports of the sector's members, aggregates only: "
            "groups with fewer than {k} reports are not shown."
        ).format(k=k)
    )
