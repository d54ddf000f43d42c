"""Evidence files (issue 10, exports): a name with a path is reduced to its last part, a name
with NUL, a control or a bidi override character is refused with a clear Dutch/English
message on SQLite and PostgreSQL (never a driver error quoting SQL), the quota refuses the
21st file and a total over 50 MB, a federation never reads a member's evidence, and an SME
removes a file from its draft."""

from __future__ import annotations

import pytest

from app.services import assessments, evidence
from app.services.errors import AccessDenied, InvalidInput, ReadOnly

from .helpers import organisation, principal

YEAR = 2025
PDF = b"%PDF-1.7\n" + b"0" * 100
QUESTION = "safety_policy"


@pytest.fixture()
def draft(store):
    org, sme = organisation(store)
    started = assessments.start_assessment(store, sme, org.id, YEAR)
    return org, sme, started


def _add(store, sme, started, name: str, data: bytes = PDF):
    return assessments.add_evidence(store, sme, started.id, QUESTION, name, data)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("../x.pdf", "x.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\an\\factuur.pdf", "factuur.pdf"),
        ("/abs/path/risico.pdf", "risico.pdf"),
        ("Rapport e\u0301.pdf", "Rapport \u00e9.pdf"),  # NFD becomes NFC
        ('a<b>:c"|?*.pdf', "a_b__c____.pdf"),
        ("  ..verborgen.pdf. ", "verborgen.pdf"),
        ("x" * 300 + ".pdf", "x" * (evidence.MAX_NAME - 4) + ".pdf"),
    ],
)
def test_a_name_with_a_path_or_odd_characters_is_stored_as_its_plain_last_part(
    store, draft, raw, stored
):
    _org, sme, started = draft
    view = _add(store, sme, started, raw)
    assert view.name == stored
    assert [v.name for v in assessments.list_evidence(store, sme, started.id)] == [stored]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("rapport\x00.pdf", "U+0000"),
        ("x.pdf\x00.exe", "U+0000"),
        ("factuur\u202efdp.exe", "U+202E"),
        ("factuur\u2067fdp.pdf", "U+2067"),
        ("regel\nbreuk.pdf", "U+000A"),
        ("tab\t.pdf", "U+0009"),
    ],
)
def test_a_name_with_nul_control_or_bidi_characters_is_refused_with_a_clear_message(
    store, draft, raw, code
):
    _org, sme, started = draft
    with pytest.raises(InvalidInput) as caught:
        _add(store, sme, started, raw)
    dutch, english = caught.value.render("nl"), caught.value.render("en")
    assert f"({code})" in dutch and f"({code})" in english
    assert "stuurteken" in dutch and "control character" not in dutch
    assert "control character" in english and "stuurteken" not in english
    assert "SQL" not in dutch + english and "INSERT" not in dutch + english
    assert caught.value.field == "file"
    assert assessments.list_evidence(store, sme, started.id) == []


@pytest.mark.parametrize("raw", ["../", "map/", ".pdf", "...", "noextension"])
def test_a_name_without_a_name_or_extension_is_refused(store, draft, raw):
    _org, sme, started = draft
    with pytest.raises(InvalidInput):
        _add(store, sme, started, raw)


def test_the_twenty_first_file_is_refused_naming_the_quota(store, draft):
    _org, sme, started = draft
    for number in range(evidence.MAX_FILES):
        _add(store, sme, started, f"bewijs {number}.pdf")
    with pytest.raises(InvalidInput) as caught:
        _add(store, sme, started, "een te veel.pdf")
    assert f"maximum {evidence.MAX_FILES}" in caught.value.render("nl")
    assert f"at most {evidence.MAX_FILES}" in str(caught.value)
    assert len(assessments.list_evidence(store, sme, started.id)) == evidence.MAX_FILES


def test_files_over_fifty_mb_together_are_refused(store, draft, monkeypatch):
    """The total is checked with a small limit here (the rule, not 50 MB of test data)."""
    _org, sme, started = draft
    monkeypatch.setattr(evidence, "MAX_TOTAL_BYTES", 3 * len(PDF))
    for number in range(3):
        _add(store, sme, started, f"deel {number}.pdf")
    with pytest.raises(InvalidInput) as caught:
        _add(store, sme, started, "deel 3.pdf")
    assert "MB" in str(caught.value) and "per assessment together" in str(caught.value)
    assert len(assessments.list_evidence(store, sme, started.id)) == 3


def test_quota_message_states_the_real_limits():
    assert evidence.MAX_FILES == 20 and evidence.MAX_TOTAL_BYTES == 50 * 1024 * 1024
    ten_mb = 10 * 1024 * 1024
    assert "50 MB" in str(evidence.quota_problem(3, 5 * ten_mb - 1, ten_mb))
    assert evidence.quota_problem(3, 4 * ten_mb, ten_mb) is None


def test_a_federation_never_reads_a_members_evidence(store, draft):
    _org, sme, started = draft
    view = _add(store, sme, started, "risico.pdf")
    federation = principal(store, "federation", "fed@example.be", sectors=["example_sector"])
    with pytest.raises(AccessDenied):
        assessments.list_evidence(store, federation, started.id)
    with pytest.raises(AccessDenied):
        assessments.get_evidence_file(store, federation, view.id)
    department = principal(store, "department", "dep@example.be")
    assert assessments.get_evidence_file(store, department, view.id)[1] == PDF


def test_an_sme_removes_a_file_from_its_draft_but_not_from_a_submitted_one(store, draft):
    _org, sme, started = draft
    first = _add(store, sme, started, "eerste.pdf")
    second = _add(store, sme, started, "tweede.pdf")
    assessments.remove_evidence(store, sme, first.id)
    assert [v.id for v in assessments.list_evidence(store, sme, started.id)] == [second.id]
    _other, other_sme = organisation(store, 2)
    with pytest.raises(AccessDenied):
        assessments.remove_evidence(store, other_sme, second.id)
    department = principal(store, "department", "dep2@example.be")
    assessments.save_answer(store, sme, started.id, QUESTION, 2, expected_version=0)
    assessments.submit(store, sme, started.id)
    with pytest.raises(ReadOnly):
        assessments.remove_evidence(store, sme, second.id)
    assert assessments.get_evidence_file(store, department, second.id)[1] == PDF


def test_parallel_uploads_never_pass_the_quota(store, draft):
    """The count is read while the draft's row is held, so racing uploads cannot each see
    room for one more file."""
    import threading

    _org, sme, started = draft
    for number in range(evidence.MAX_FILES - 2):
        _add(store, sme, started, f"vooraf {number}.pdf")
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def upload(number: int) -> None:
        barrier.wait()
        try:
            _add(store, sme, started, f"parallel {number}.pdf")
            outcomes.append("stored")
        except InvalidInput:
            outcomes.append("refused")

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 4 + ["stored"] * 2
    assert len(assessments.list_evidence(store, sme, started.id)) == evidence.MAX_FILES
