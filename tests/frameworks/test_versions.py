"""Every published version ships (frameworks/versions/<id>-<version>.yaml) and one function,
``frameworks.loader.resolve``, turns (id, version) into the model (issue 13 item 10)."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from app.cli import cli
from frameworks.loader import VERSIONS_DIR, UnknownVersion, load_catalogue, shipped_catalogue

runner = CliRunner()


def test_every_1_0_file_ships_beside_the_current_version():
    cat = shipped_catalogue()
    for kind, ids in (
        ("framework", ["iso26000", "gri", "start_to_mvo", "kwaliteitswijzer"]),
        (
            "profile",
            ["bouw", "ict", "retail", "sociale_economie", "transport_logistiek", "voeding"],
        ),
    ):
        for model_id in ids:
            assert cat.versions(kind, model_id) == ["1.0", "1.1"], (kind, model_id)
            assert (kind, model_id, "1.0") in cat.archived
    # the current models are the 1.1 ones; the archived ones are not mixed into them
    assert cat.frameworks["iso26000"].version == "1.1"
    assert cat.profiles["bouw"].version == "1.1"


def test_resolve_gives_the_version_as_published():
    """iso_6_6_3_c (convictions) earned 4 points in 1.0; 1.1 asks it unscored, as an incident."""
    cat = shipped_catalogue()
    old, new = cat.framework("iso26000", "1.0"), cat.framework("iso26000")
    assert old.version == "1.0" and old.questions["iso_6_6_3_c"].max_points == 4
    assert new.questions["iso_6_6_3_c"].kind == "incident"
    assert new.questions["iso_6_6_3_c"].max_points == 0
    assert "iso_6_3_8_c" in new.questions and "iso_6_3_8_c" not in old.questions
    assert cat.framework("iso26000", "1.1") is new
    # bouw 1.0 weighed social fraud via subcontractors (t6_3_5) 1, 1.1 weighs it 3
    assert cat.profile("bouw", "1.0").materiality["iso26000"]["t6_3_5"].value == 1
    assert cat.profile("bouw").materiality["iso26000"]["t6_3_5"].value == 3


def test_an_unshipped_version_is_refused_naming_what_ships():
    cat = shipped_catalogue()
    with pytest.raises(UnknownVersion, match=r"no version 0\.9 \(shipped: 1\.0, 1\.1\)"):
        cat.framework("iso26000", "0.9")
    with pytest.raises(KeyError, match="unknown framework 'nope'"):
        cat.framework("nope")


def test_validate_checks_the_archived_versions_too():
    """`mvo validate` reads frameworks/versions: the 1.0 files are valid, and the guards of
    the scoring contract added after 1.0 are warnings there (kept as published)."""
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    archived = [line for line in lines if "frameworks/versions/" in line]
    assert any(
        "iso26000-1.0.yaml" in line and "scored-incident (warning)" in line for line in archived
    )
    assert all("(warning)" in line for line in archived)


def test_the_same_file_outside_versions_is_an_error(tmp_path):
    """The tolerance is for archived versions only: 1.0's scored incident in a current file is
    an error."""
    copy = tmp_path / "iso26000.yaml"
    shutil.copy(VERSIONS_DIR / "iso26000-1.0.yaml", copy)
    result = runner.invoke(cli, ["validate", str(copy)])
    assert result.exit_code == 1
    assert "scored-incident " in result.output and "iso_6_6_3_c" in result.output


def test_archived_file_named_wrongly_or_equal_to_current_is_refused(tmp_path):
    folder = tmp_path / "versions"
    folder.mkdir()
    shutil.copy(VERSIONS_DIR / "gri-1.0.yaml", folder / "gri-1.0-old.yaml")
    current = (VERSIONS_DIR.parent / "gri.yaml").read_text(encoding="utf-8")
    (folder / "gri-1.1.yaml").write_text(current, encoding="utf-8")
    cat = load_catalogue([VERSIONS_DIR.parent / "gri.yaml", *sorted(folder.glob("*.yaml"))])
    messages = [p for p in cat.report.problems if p.code == "archive-name"]
    assert len(messages) == 2
    assert any("should be 'gri-1.0.yaml'" in p.message for p in messages)
    assert any("is the current one" in p.message for p in messages)
    assert cat.archived == {}


def test_a_replaced_framework_keeps_its_version_for_its_assessments(tmp_path):
    """A federation's own kwaliteitswijzer (another version) replaces the shipped one; the
    shipped version stays resolvable so that assessments started on it keep it."""
    text = (VERSIONS_DIR.parent / "kwaliteitswijzer.yaml").read_text(encoding="utf-8")
    own = tmp_path / "kwaliteitswijzer.yaml"
    own.write_text(text.replace('version: "1.1"', 'version: "2.0"', 1), encoding="utf-8")
    cat = load_catalogue([VERSIONS_DIR.parent / "kwaliteitswijzer.yaml", own])
    assert cat.framework("kwaliteitswijzer").version == "2.0"
    assert cat.framework("kwaliteitswijzer", "1.1").version == "1.1"


def test_catalogue_command_prints_an_earlier_version():
    result = runner.invoke(
        cli, ["catalogue", "--framework", "iso26000", "--version", "1.0", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert '"version": "1.0"' in result.output
    result = runner.invoke(cli, ["catalogue", "--framework", "iso26000", "--version", "0.1"])
    assert result.exit_code == 1 and "shipped: 1.0, 1.1" in result.output
