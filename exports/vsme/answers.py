"""From a vsme questionnaire's answers to the report's facts, by the framework's own rule.

A question maps to a datapoint (a template named range) either by an explicit ``vsme``
mapping on the question or by its id: ``"vsme_" + snake_case(named range)``, e.g.
``vsme_total_energy_consumption`` -> ``TotalEnergyConsumption`` and
``vsme_energy_consumption_from_electricity_renewable_energy_member`` ->
``EnergyConsumptionFromElectricity_RenewableEnergyMember``. The rule is resolved against the
taxonomy, so no question id is written down here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from exports.vsme.report import FactValue, snake_case
from exports.vsme.taxonomy import taxonomy

PREFIX = "vsme_"


@cache
def _by_snake_name() -> dict[str, str]:
    tax = taxonomy()
    names: dict[str, str] = {}
    for qname, info in tax.concepts.items():
        if not qname.startswith("vsme:") or info.get("abstract"):
            continue
        local = qname.split(":", 1)[1]
        names[snake_case(local)] = local
        for table in tax.tables_of.get(qname, []):
            for members in table.get("explicitDimensions", {}).values():
                for member in members:
                    name = f"{local}_{member.split(':', 1)[1]}"
                    names[snake_case(name)] = name
    return names


def datapoint_of(question_id: str, mapping: str | None = None) -> str | None:
    """The named range a question answers, or None if it answers none."""
    if mapping:
        return mapping
    if not question_id.startswith(PREFIX):
        return None
    return _by_snake_name().get(question_id.removeprefix(PREFIX))


def facts_from_answers(
    questions: Iterable[tuple[str, str | None]], answers: Mapping[str, object]
) -> dict[str, FactValue]:
    """The facts of a report from ``(question id, vsme mapping or None)`` pairs and the
    answers by question id; unanswered and "n/a" questions give no fact."""
    facts: dict[str, FactValue] = {}
    for question_id, mapping in questions:
        name = datapoint_of(question_id, mapping)
        value = answers.get(question_id)
        if name is None or value is None or value == "n/a":
            continue
        facts[name] = value
    return facts
