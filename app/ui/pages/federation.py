"""The federation's sector benchmark: choose sector, year and size class; participation,
distributions per section and topic, KPI medians, consenting members by name, the trend over
years, and the downloads (PDF, XLSX, CSV, JSON).

Everything shown is a ``disclosure.SectorRelease`` (S9 cells with complementary suppression,
S10 members); the page decides nothing about consent or k, it only lays the release out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.services import disclosure, federation
from app.services.errors import ServiceError
from app.ui import resources, session, vsme_indicators, widgets
from app.ui.choices import keep
from app.ui.i18n import _, render, text
from exports.text import format_number
from exports.text import label as export_label
from frameworks.models import SIZE_CLASSES

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


try:
    release = disclosure.sector_release(store, principal, profile_id, year, size_class=size)
except ServiceError as error:
    st.error(render(error))
    st.stop()
report = disclosure.sector_report_document(store, release, language)
participation = release.participation
withheld = export_label("suppressed", language, k=release.k)

metrics = st.columns(4)
metrics[0].metric(_("Members in the sector"), participation.organisations)
metrics[1].metric(_("Started"), participation.started)
metrics[2].metric(
    _("Submitted"), withheld if participation.submitted is None else participation.submitted
)
metrics[3].metric(
    _("In this selection"), dict(report.facts).get(export_label("participants", language), "-")
)
st.caption(report.suppressed_note)

widgets.document_table(report.participation, key="fed:participation")
widgets.quartile_chart(
    report.boxplots,
    title=report.distribution.title,
    key="fed:boxplots",
    note=report.boxplot_note,
)
widgets.document_table(report.distribution, key="fed:distribution")
widgets.document_table(report.topic_medians, key="fed:topics")
widgets.document_table(report.kpi_medians, key="fed:kpis")

st.subheader(_("Trend over the years"))
trend_frame = pd.DataFrame(
    [
        {
            _("Year"): str(cell.year),
            _("Median overall score"): cell.overall.median if cell.overall else None,
            "n": cell.n,
            _("Framework version"): cell.framework_version or "-",
        }
        for cell in release.trend()
    ],
    columns=[_("Year"), _("Median overall score"), "n", _("Framework version")],
)
if trend_frame[_("Median overall score")].notna().any():
    widgets.trend_chart(
        list(trend_frame[_("Year")]),
        [None if v != v else v for v in trend_frame[_("Median overall score")]],
        title=_("Median overall score"),
        key="fed:trend_chart",
    )
st.dataframe(
    trend_frame.assign(
        **{
            _("Median overall score"): [
                format_number(v, language) if v is not None and v == v else withheld
                for v in trend_frame[_("Median overall score")]
            ],
            "n": [withheld if n is None or n != n else str(int(n)) for n in trend_frame["n"]],
        }
    ),
    hide_index=True,
    key="fed:trend",
)
# Like with like (README S9): each year compares one framework version; a change is marked.
for changed_year, (before, after) in release.version_changes().items():
    st.caption(
        _(
            "From {year} the figures are on framework version {version} (before: {before}): "
            "questions that changed do not compare alike."
        ).format(year=changed_year, version=after, before=before)
    )

st.subheader(_("VSME indicators"))
vsme_indicators.indicators_table(
    release.vsme.cell(year, size) if release.vsme else None,
    release.k,
    language,
    key="fed:vsme",
)

if report.members.rows:  # the table carries its own heading
    widgets.document_table(report.members, key="fed:members")
else:
    st.subheader(_("Members who agreed to be named"))
    st.caption(_("No member of this selection agreed to be named."))
if release.anonymous:
    st.caption(_("{n} other members count only in the aggregates.").format(n=release.anonymous))

st.divider()
DOWNLOADS = (
    ("pdf", _("Download the sector report (PDF)"), "application/pdf", ":material/download:"),
    (
        "xlsx",
        _("Download the data (XLSX)"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ":material/table:",
    ),
    ("csv", _("Download CSV"), "text/csv", ":material/table:"),
    ("json", _("Download JSON"), "application/json", ":material/data_object:"),
)


def download(format: str) -> bytes:
    """What ``mvo export sector`` writes for this user and these filters."""
    return disclosure.sector_download(
        store, principal, profile_id, year, size_class=size, format=format, language=language
    )


downloads = [*st.columns(2), *st.columns(2)]  # four in a row cut their labels off
for column, (format, caption, mime, icon) in zip(downloads, DOWNLOADS, strict=True):
    column.download_button(
        caption,
        data=lambda format=format: download(format),
        file_name=disclosure.download_name(profile_id, year, size, format),
        mime=mime,
        key=f"fed:{format}",
        on_click="ignore",
        icon=icon,
    )
