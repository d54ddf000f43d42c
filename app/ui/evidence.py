"""The SME's evidence files under a question: what is attached, a download, and a remove.

The questionnaire renderer takes one ``attach`` value from the page. ``EvidenceShelf`` is
that value for a stored assessment: calling it stores a file (``add_evidence``), and it lists,
serves and removes the assessment's files through the services, so the renderer holds no
business logic and a plain ``attach`` function (as in the renderer's tests) still works.
``evidence_list`` draws a question's files and the assessment's quota; it draws nothing for
an ``attach`` that is not a shelf.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from app.services import assessments, evidence
from app.services.errors import ServiceError
from app.ui import keys
from app.ui.i18n import _, current_language, render
from exports.text import format_number


class EvidenceShelf:
    """The evidence of one assessment for one session: attach, list, download, remove.

    The list is read once per script run and again after each change made through the shelf.
    """

    def __init__(self, store, principal, assessment_id: int, *, verify=None) -> None:
        self.store = store
        self.principal = principal
        self.assessment_id = assessment_id
        #: Asked before every write: the principal as the database knows it now (a user
        #: deactivated or signed out since the page was drawn writes nothing).
        self.verify = verify or (lambda: principal)
        self._files: list | None = None

    def __call__(self, question_id: str, name: str, data: bytes) -> None:
        """Store an uploaded file under ``question_id`` (the renderer's ``attach``)."""
        self._files = None
        assessments.add_evidence(
            self.store, self.verify(), self.assessment_id, question_id, name, data
        )

    def all_files(self) -> list:
        """Every file of the assessment (``EvidenceView``, without content)."""
        if self._files is None:
            self._files = assessments.list_evidence(self.store, self.principal, self.assessment_id)
        return self._files

    def files(self, question_id: str) -> list:
        """The files attached to one question, in upload order."""
        return [f for f in self.all_files() if f.question_id == question_id]

    def content(self, evidence_id: int) -> bytes:
        """The bytes of one file (read when the download is asked for)."""
        return assessments.get_evidence_file(self.store, self.principal, evidence_id)[1]

    def remove(self, evidence_id: int) -> None:
        self._files = None
        assessments.remove_evidence(self.store, self.verify(), evidence_id)


def _size(size: int) -> str:
    if size >= 1048576:
        return f"{format_number(size / 1048576, current_language())} MB"
    return f"{max(1, round(size / 1024))} kB"


def _on_remove(shelf: EvidenceShelf, evidence_id: int) -> None:
    try:
        shelf.remove(evidence_id)
    except ServiceError as error:
        st.session_state[keys.SAVE_STATUS] = ("error", render(error), datetime.now())
    else:
        st.session_state[keys.SAVE_STATUS] = ("saved", "", datetime.now())


def evidence_list(attach, framework_id: str, question_id: str, *, read_only: bool) -> None:
    """The files attached to a question, each with a download (and a remove in a draft)."""
    if not isinstance(attach, EvidenceShelf):
        return
    from app.ui.questionnaire import markdown_escape  # noqa: PLC0415 (it imports this module)

    try:
        files = attach.files(question_id)
        everything = attach.all_files()
    except ServiceError as error:
        st.caption(render(error))
        return
    if not files:
        return
    base = keys.evidence_key(framework_id, question_id)
    with st.container(key=f"{base}:list"):
        st.caption(
            _("Attached evidence ({count} of at most {limit} files, {used} of {total} MB)").format(
                count=len(everything),
                limit=evidence.MAX_FILES,
                used=format_number(sum(f.size for f in everything) / 1048576, current_language()),
                total=evidence.MAX_TOTAL_BYTES // 1048576,
            )
        )
        for item in files:
            # A horizontal container wraps on a phone instead of stacking three rows per file.
            with st.container(horizontal=True, vertical_alignment="center", gap="small"):
                st.markdown(
                    f":material/attach_file: {markdown_escape(item.name)} · {_size(item.size)}",
                    width="stretch",
                )
                st.download_button(
                    _("Download"),
                    data=lambda evidence_id=item.id: attach.content(evidence_id),
                    file_name=item.name,
                    mime=item.content_type,
                    key=f"{base}:{item.id}:download",
                    on_click="ignore",
                    icon=":material/download:",
                    type="tertiary",
                )
                if not read_only:
                    st.button(
                        _("Remove"),
                        key=f"{base}:{item.id}:remove",
                        on_click=_on_remove,
                        args=(attach, item.id),
                        icon=":material/delete:",
                        type="tertiary",
                    )
