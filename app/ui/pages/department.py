"""The department's overview across sectors (participation, mean scores, level counts), the
batch export of passports of a year and chosen sector profiles with a live progress bar and a
zip to download, and the export of anonymised data."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from app.commands.exporting import StoreSource
from app.services import department, disclosure, vsme
from app.services.errors import ServiceError
from app.services.principal import ADMIN, DEPARTMENT, require_role
from app.ui import keys, resources, session, vsme_indicators
from app.ui.choices import keep
from app.ui.i18n import _, render, text
from exports.batch import (
    MANIFEST_HEADER,
    MANIFEST_LABELS,
    PassportJob,
    RenderContext,
    export_passports,
)
from exports.data import scores_per_organisation, to_csv, to_xlsx
from exports.text import format_kbo, format_number
from exports.text import label as export_label
from frameworks.models import DEFAULT_LEVELS

principal = session.require("department", "admin")
store = resources.store()
cat = store.catalogue
language = session.language()

st.title(_("Overview and export"))
this_year = date.today().year
year = st.selectbox(_("Year"), list(range(this_year, this_year - 6, -1)), key="dep:year")


def _profile_name(profile_id: str | None) -> str:
    if profile_id is None:
        return _("No sector (Start-to-MVO scans among others)")
    profile = cat.profiles.get(profile_id)
    return text(profile.name) if profile else profile_id


LEVEL_ORDER = [band.id for band in DEFAULT_LEVELS] + ["concept"]


def _level_name(level_id: str) -> str:
    for band in DEFAULT_LEVELS:
        if band.id == level_id:
            return text(band.label)
    return export_label("level_concept", language).split(":")[0]


try:
    lines = department.overview(store, principal, year)
    counts = department.level_counts(store, principal, year)
except ServiceError as error:
    st.error(render(error))
    st.stop()

st.subheader(_("Participation and scores per sector"))
# Two tables, so that every column fits a desktop page (one table of nine columns cut off the
# level columns and long sector names); on a phone each table scrolls sideways by itself.
overview = pd.DataFrame(
    [
        {
            _("Sector"): _profile_name(line.profile),
            _("Started assessments"): line.started,
            _("Submitted assessments"): line.submitted,
            _("Mean overall score"): format_number(line.mean_overall, language),
        }
        for line in lines
    ]
)
levels = pd.DataFrame(
    [
        {
            _("Sector"): _profile_name(line.profile),
            # Every level column on every line (0 where none), so no cell reads "None".
            **{_level_name(level): counts.get((line.profile, level), 0) for level in LEVEL_ORDER},
        }
        for line in lines
    ]
)
if overview.empty:
    st.info(_("No assessments in {year}.").format(year=year))
else:
    # a sector column wide enough for "Social economy (sheltered and social workshops)"
    sector_column = {_("Sector"): st.column_config.TextColumn(width=300)}
    st.dataframe(overview, hide_index=True, key="dep:overview", column_config=sector_column)
    st.caption(_("Submitted assessments per level"))
    st.dataframe(levels, hide_index=True, key="dep:levels", column_config=sector_column)
metrics = st.columns(3)
metrics[0].metric(_("Started assessments"), sum(line.started for line in lines))
metrics[1].metric(_("Submitted assessments"), sum(line.submitted for line in lines))
metrics[2].metric(_("Sectors"), len({line.profile for line in lines}))

st.subheader(_("VSME indicators per sector"))
vsme_profiles = sorted(cat.profiles)
# One tab per sector (tabs hold no state, so a language switch changes only their labels).
for vsme_profile, tab in zip(
    vsme_profiles, st.tabs([_profile_name(p) for p in vsme_profiles]), strict=True
):
    with tab:
        try:
            vsme_cells = disclosure.vsme_statistics(store, principal, vsme_profile)
        except ServiceError as error:
            st.error(render(error))
            continue
        vsme_indicators.indicators_table(
            vsme_cells.cell(year), vsme_cells.k, language, key=f"dep:vsme:{vsme_profile}"
        )
        st.download_button(
            _("Download the VSME indicators (XLSX)"),
            data=lambda cells=vsme_cells: to_xlsx([disclosure.vsme_sheet(cells)]),
            file_name=f"vsme-indicatoren-{vsme_profile}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"dep:vsme_xlsx:{vsme_profile}",
            on_click="ignore",
            icon=":material/table:",
        )

st.subheader(_("VSME reports of {year} (zip)").format(year=year))
vsme_format = st.selectbox(
    _("Format"), ["xlsx", "json", "pdf"], key="dep:vsme_format", format_func=str.upper
)
if st.button(_("Export the VSME reports"), key="dep:vsme_export", icon=":material/folder_zip:"):
    # The same reports, one at a time, as ``mvo export vsme --all``, with manifest.csv.
    vsme_bar = st.progress(0.0, text=_("Exporting the VSME reports…"))
    st.session_state["dep:vsme_zip"] = vsme.vsme_zip(
        vsme.vsme_batch(
            store,
            principal,
            year,
            vsme_format,
            language,
            progress=lambda done, total: vsme_bar.progress(done / total),
        ),
        lambda error: render(error, language),
    )
if st.session_state.get("dep:vsme_zip"):
    st.download_button(
        _("Download the VSME reports (zip)"),
        data=st.session_state["dep:vsme_zip"],
        file_name=f"vsme-{year}-{vsme_format}.zip",
        mime="application/zip",
        key="dep:vsme_zip_download",
        on_click="ignore",
    )

st.subheader(_("Batch export of passports (PDF)"))
available = sorted({profile for profile, _ in counts if profile is not None})
keep(f"dep:profiles:{year}", available, multiple=True)
chosen = st.multiselect(
    _("Sector profiles"),
    available,
    # no default once the state holds a choice (a kept one is put back by keep())
    default=None if f"dep:profiles:{year}" in st.session_state else available,
    format_func=_profile_name,
    key=f"dep:profiles:{year}",
)
if st.button(
    _("Export passports"),
    type="primary",
    key="dep:export",
    disabled=not chosen,
    icon=":material/picture_as_pdf:",
):
    # One passport per organisation and profile (its frameworks' score cards together) with
    # its benchmark, read exactly as ``mvo export passports`` reads them.
    require_role(principal, DEPARTMENT, ADMIN)
    bar = st.progress(0.0, text=_("Reading the submitted passports…"))
    source = StoreSource(year, chosen)
    bar.progress(0.0, text=_("Exporting {n} passports…").format(n=source.total))

    def progress(done: int, total: int) -> None:
        bar.progress(
            done / total if total else 1.0,
            text=_("{done} of {total} passports").format(done=done, total=total),
        )

    jobs = (
        PassportJob.of(passport, benchmark=benchmark, language=language)
        for passport, benchmark in source.pairs()
    )
    with tempfile.TemporaryDirectory(prefix="mvo-export-") as folder:
        zip_path = Path(folder) / "passports.zip"
        try:
            result = export_passports(
                jobs,
                Path(folder) / "out",
                context=RenderContext.of_catalogue(cat),
                workers=2,
                zip_path=zip_path,
                progress=progress,
                total=source.total,
            )
        except Exception as error:  # a failed render must not take the page down
            st.error(_("The export failed: {reason}").format(reason=error))
        else:
            st.session_state[keys.BATCH_RESULT] = {
                "zip": zip_path.read_bytes(),
                "manifest": [row.__dict__ for row in result.rows],
                "year": year,
            }
batch = st.session_state.get(keys.BATCH_RESULT)
if batch is not None:
    st.success(_("{n} passports exported.").format(n=len(batch["manifest"])))
    st.download_button(
        _("Download the zip"),
        data=batch["zip"],
        file_name=f"mvo-paspoorten-{batch['year']}.zip",
        mime="application/zip",
        key="dep:zip",
        on_click="ignore",
        icon=":material/folder_zip:",
    )
    with st.expander(_("Manifest")):
        manifest = pd.DataFrame(batch["manifest"])
        manifest["kbo"] = manifest["kbo"].map(format_kbo)
        manifest = manifest[[c for c in MANIFEST_HEADER if c in manifest.columns]].rename(
            columns={c: export_label(MANIFEST_LABELS[c], language) for c in MANIFEST_HEADER}
        )
        st.dataframe(manifest, hide_index=True, key="dep:manifest")

st.subheader(_("Anonymised data"))


def anonymised():
    """The data sheets as ``disclosure`` releases them anonymised (built only when
    downloaded): keyed pseudonyms, size class, no names, KBO numbers, FTE or answers."""
    return disclosure.anonymised_tables(store, principal, year, None, language)


st.caption(
    _("{n} submitted assessments, without names, KBO numbers or municipalities.").format(
        n=sum(counts.values())
    )
)
downloads = st.columns(2)
downloads[0].download_button(
    _("Download CSV"),
    data=lambda: to_csv(scores_per_organisation(anonymised())),
    file_name=f"mvo-data-{year}.csv",
    mime="text/csv",
    key="dep:csv",
    on_click="ignore",
)
downloads[1].download_button(
    _("Download XLSX"),
    data=lambda: to_xlsx(anonymised()),
    file_name=f"mvo-data-{year}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="dep:xlsx",
    on_click="ignore",
)
