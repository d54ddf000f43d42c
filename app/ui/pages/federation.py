"""The federation's sector benchmark: choose sector, year and size class; participation,
distributions per section and topic, KPI medians, consenting members by name, the trend over
years, and the sector report as PDF (and the data as XLSX).

The figures are the sector report document of ``exports.documents`` (the PDF lays out the same
object); groups under the sector's k are shown as withheld, never as numbers.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.services import federation
from app.services.errors import ServiceError
from app.ui import resources, session, widgets
from app.ui.choices import keep
from app.ui.i18n import _, text
from exports.data import Audience, score_tables, to_xlsx
from exports.documents import SIZE_CLASSES, build_sector_report, quartiles
from exports.pdf import render_sector_report
from exports.text import format_number
from exports.text import label as export_label
from frameworks.models import size_class

principal = session.require("federation")
store = resources.store()
cat = store.catalogue
language = session.language()

sectors = [p for p in federation.sectors_of(principal, store) if p in cat.profiles]
if not sectors:
    st.warning(_("Your account is not linked to a sector profile."))
    st.stop()

st.title(_("Sector benchmark"))
filters = st.columns(3)
keep("fed:sector", sectors)
profile_id = filters[0].selectbox(
    _("Sector"), sectors, format_func=lambda p: text(cat.profiles[p].name), key="fed:sector"
)
profile = cat.profiles[profile_id]
years = federation.years(store, principal, profile_id)
if not years:
    st.info(_("No assessments in this sector yet."))
    st.stop()
year = filters[1].selectbox(_("Year"), years, key="fed:year")
keep("fed:size", [None, *SIZE_CLASSES])
size = filters[2].selectbox(
    _("Size class"),
    [None, *SIZE_CLASSES],
    key="fed:size",
    format_func=lambda c: _("All size classes") if c is None else export_label(c, language),
)


def sector_passports() -> list:
    """The submitted passports of the sector over all years (names inside stay unused unless
    the member consented: the report names only ``consented`` KBO numbers)."""
    main_framework = profile.frameworks[0].id
    found = []
    for each_year in years:
        for snapshot in federation.sector_snapshots(
            store, principal, profile_id, each_year, main_framework
        ):
            passport = snapshot.passport()
            if passport is not None:
                found.append(passport)
    return found


try:
    participation = federation.participation(store, principal, profile_id, year)
    member_lines = federation.members(store, principal, profile_id, year, size_class=size)
    passports = sector_passports()
except ServiceError as error:
    st.error(str(error))
    st.stop()

if size is not None:
    passports = [
        p
        for p in passports
        if p.organisation is not None and size_class(p.organisation.fte) == size
    ]
consented = [m.kbo for m in member_lines if m.named and m.kbo]
report = build_sector_report(
    profile, cat.frameworks, passports, year=year, consented=consented, language=language
)

metrics = st.columns(4)
metrics[0].metric(_("Members in the sector"), participation.organisations)
metrics[1].metric(_("Started"), participation.started)
metrics[2].metric(_("Submitted"), participation.submitted)
metrics[3].metric(
    _("In this selection"), dict(report.facts).get(export_label("participants", language), "-")
)
st.caption(report.suppressed_note)

widgets.document_table(report.participation, key="fed:participation")
widgets.quartile_chart(report.boxplots, title=report.distribution.title, key="fed:boxplots")
widgets.document_table(report.distribution, key="fed:distribution")
widgets.document_table(report.topic_medians, key="fed:topics")
widgets.document_table(report.kpi_medians, key="fed:kpis")

st.subheader(_("Trend over the years"))
trend = []
for each_year in sorted({p.year for p in passports if p.year is not None}):
    values = [p.overall for p in passports if p.year == each_year and p.overall is not None]
    if len(values) >= profile.k:
        trend.append(
            {
                _("Year"): str(each_year),
                _("Median overall score"): quartiles(values).median,
                "n": len(values),
            }
        )
    else:
        trend.append({_("Year"): str(each_year), _("Median overall score"): None, "n": len(values)})
trend_frame = pd.DataFrame(trend)
if trend_frame[_("Median overall score")].notna().any():
    st.line_chart(trend_frame.set_index(_("Year"))[_("Median overall score")], height=220)
st.dataframe(
    trend_frame.assign(
        **{
            _("Median overall score"): [
                format_number(v, language)
                if v is not None and v == v
                else export_label("suppressed", language, k=profile.k)
                for v in trend_frame[_("Median overall score")]
            ]
        }
    ),
    hide_index=True,
    key="fed:trend",
)

st.subheader(_("Members who agreed to be named"))
if report.members.rows:
    widgets.document_table(report.members, key="fed:members")
else:
    st.caption(_("No member of this selection agreed to be named."))
hidden = sum(1 for m in member_lines if not m.named)
if hidden:
    st.caption(_("{n} other members count only in the aggregates.").format(n=hidden))

st.divider()
downloads = st.columns(2)
downloads[0].download_button(
    _("Download the sector report (PDF)"),
    data=lambda: render_sector_report(
        profile, cat.frameworks, passports, year=year, consented=consented, language=language
    ),
    file_name=f"sectorbenchmark-{profile_id}-{year}.pdf",
    mime="application/pdf",
    key="fed:pdf",
    on_click="ignore",
    icon=":material/download:",
)


def _xlsx() -> bytes:
    audience = Audience(kind="federation", consented=frozenset(consented), k=profile.k)
    this_year = [p for p in passports if p.year == year]
    return to_xlsx(score_tables(this_year, cat.frameworks, cat.profiles, audience, language))


downloads[1].download_button(
    _("Download the data (XLSX)"),
    data=_xlsx,
    file_name=f"sectorbenchmark-{profile_id}-{year}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="fed:xlsx",
    on_click="ignore",
    icon=":material/table:",
)
