"""Questions of the vsme framework map to template datapoints by the framework's rule."""

from exports.vsme.answers import datapoint_of, facts_from_answers


def test_question_ids_resolve_to_named_ranges_by_snake_case():
    """Should find the concept, and a <Concept>_<Member> range, from "vsme_" + snake case."""
    assert datapoint_of("vsme_total_energy_consumption") == "TotalEnergyConsumption"
    assert (
        datapoint_of("vsme_energy_consumption_from_electricity_renewable_energy_member")
        == "EnergyConsumptionFromElectricity_RenewableEnergyMember"
    )
    assert datapoint_of("gri_302_1") is None
    assert datapoint_of("anything", "Turnover") == "Turnover"


def test_unanswered_and_not_applicable_questions_give_no_fact():
    questions = [("vsme_turnover", None), ("vsme_assets", None), ("vsme_number_of_employees", None)]
    answers = {"vsme_turnover": 1000, "vsme_assets": "n/a"}
    assert facts_from_answers(questions, answers) == {"Turnover": 1000}
