"""``scoring.models.dump_json_with`` writes a model's JSON from parts serialised before (a
passport from its cards' JSON, as ``submission.freeze`` stores it): byte for byte what
``model_dump_json()`` writes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import passport, score
from scoring.models import Organisation, dump_json_with

CASE_NAMES = ["example", "example+profile", "conditions"]
#: Names holding the very text that marks the cards' place, quotes, markup, backslashes.
NAMES = ['A&B "scorecards":{} <bv>', '\\"scorecards\\":{}', "Bakkerij Peeters", "é ü \u2028"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), case=st.sampled_from(CASE_NAMES), name=st.sampled_from(NAMES))
def test_a_passport_written_from_its_cards_json_should_be_its_json(
    cases, answers_strategy, data, case, name
):
    framework, profile = cases[case]
    answers = data.draw(answers_strategy(framework, profile))
    fte = data.draw(st.sampled_from([None, 0, 3, 12.5]))
    card = score(framework, answers, profile, employees=fte)
    built = passport.build(
        {framework.id: card},
        profile,
        organisation=Organisation(name=name, kbo="0123456749", fte=fte),
        year=2025,
        status=data.draw(st.sampled_from(["draft", "submitted"])),
    )
    written = dump_json_with(built, "scorecards", [f'"{framework.id}":{card.model_dump_json()}'])
    assert written == built.model_dump_json()


def test_a_field_written_from_no_parts_should_be_an_empty_dict(cases):
    framework, profile = cases["example"]
    card = score(framework, {}, profile)
    assert (
        dump_json_with(card, "questions", [])
        == card.model_copy(update={"questions": {}}).model_dump_json()
    )
