"""A batch export renders every passport with the framework and profile versions it was
scored on (issue 13 item 10): a passport of iso26000 1.0 under bouw 1.0 prints 1.0's question
texts and versions while 1.1 is current. The PDF is read back by text extraction."""

from __future__ import annotations

import pytest
from export_helpers import pdf_pages_text, squash

from exports.batch import PassportJob, RenderContext, render_job
from exports.text import label
from frameworks.compose import effective_framework
from frameworks.loader import shipped_catalogue
from scoring import score
from scoring.models import Organisation
from scoring.passport import build as build_passport


def _passport_on_1_0():
    cat = shipped_catalogue()
    base, profile = cat.framework("iso26000", "1.0"), cat.profile("bouw", "1.0")
    answers = {}
    for question in effective_framework(base, profile).questions.values():
        if question.type == "maturity":
            answers[question.id] = 4
        elif question.type == "yes_no":
            answers[question.id] = True
    answers["iso_6_6_3_c"] = False  # 1.0: "free of convictions?" -> no: 4 points to gain
    card = score(base, answers, profile)
    org = Organisation(name="Bouw Tien", kbo="0403019261", fte=30)
    return build_passport({card.framework: card}, profile, organisation=org, year=2025)


def test_a_1_0_passport_renders_with_1_0_texts_and_versions():
    cat = shipped_catalogue()
    passport = _passport_on_1_0()
    assert passport.profile_version == "1.0"
    _row, pdf = render_job(PassportJob.of(passport), RenderContext.of_catalogue(cat))
    text = squash(" ".join(pdf_pages_text(pdf)))
    old = cat.framework("iso26000", "1.0").questions["iso_6_6_3_c"].text.nl
    new = cat.framework("iso26000").questions["iso_6_6_3_c"].text.nl
    assert squash(old)[:60] in text
    assert squash(new)[:60] not in text
    assert squash("iso26000 1.0 · bouw 1.0") in text


def test_a_passport_on_a_version_the_context_lacks_is_refused_by_name():
    cat = shipped_catalogue()
    passport = _passport_on_1_0()
    current_only = RenderContext.of(cat.frameworks, cat.profiles)
    with pytest.raises(KeyError) as caught:
        render_job(PassportJob.of(passport), current_only)
    said = caught.value.args[0]
    assert "bouw/2025-0403019261.pdf" in said and "no version 1.0" in said


def test_the_data_export_reads_each_passport_at_its_versions():
    """XLSX/CSV sheets look titles up at the passport's versions: with the earlier versions
    given it exports the 1.0 passport, without them it is refused naming the version (never
    silently labelled with 1.1)."""
    from exports.data import score_tables

    cat = shipped_catalogue()
    passport = _passport_on_1_0()
    sheets = {
        s.name: s
        for s in score_tables([passport], cat.frameworks, cat.profiles, archived=cat.archived)
    }
    topics = sheets["topics"]
    assert topics.rows
    old = cat.framework("iso26000", "1.0").topics
    titles = {row[topics.header.index(label("col_title", "nl"))] for row in topics.rows}
    assert any(t.title.nl in titles or f"{t.clause} {t.title.nl}" in titles for t in old.values())
    with pytest.raises(KeyError, match="no version 1.0"):
        score_tables([passport], cat.frameworks, cat.profiles)
