"""The calculator's B3 figures as answers of the ``vsme`` framework.

The calculator (``exports.vsme.calculator``) returns its figures by named range
(``CalculatorResult.as_datapoints``). Stored as answers, a number question takes the figure as
it is; a column of the template's energy breakdown table is a text question (one line per
table row) and takes it as its one line, written with a decimal point. The VSME page's "save
as B3 answers" and the demo data both go through ``answer_value``, so a saved calculation and
a demo report read back the same way (``app.services.vsme.vsme_report``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.services import assessments, catalogue
from app.services.answers import validate_answer
from app.services.principal import Principal
from app.store.db import Store

FRAMEWORK = "vsme"


def table_line(value: float, digits: int = 3) -> str:
    """A number as one line of a table column: ``1234.5``, at most ``digits`` decimals."""
    return f"{round(value, digits):.{digits}f}".rstrip("0").rstrip(".")


def answer_value(question: Any, value: Any) -> Any:
    """``value`` as ``question`` stores it: a number into a text (table) question becomes its
    line; everything else is left as it is (the question's class checks it when saved)."""
    if question.type == "text" and isinstance(value, int | float) and not isinstance(value, bool):
        return table_line(value)
    return value


def b3_answers(framework: Any, datapoints: Mapping[str, float]) -> dict[str, Any]:
    """The answers (question id -> value) that hold the calculator's figures; a figure whose
    datapoint has no question in ``framework`` is left out."""
    by_datapoint = {
        q.vsme.datapoint: q
        for q in framework.questions.values()
        if q.vsme is not None and q.vsme.disclosure == "B3"
    }
    return {
        by_datapoint[name].id: validate_answer(
            by_datapoint[name], answer_value(by_datapoint[name], v)
        )
        for name, v in datapoints.items()
        if name in by_datapoint
    }


def save_calculation(
    store: Store, principal: Principal, assessment_id: int, datapoints: Mapping[str, float]
) -> list[str]:
    """Save the calculator's figures as the B3 answers of a draft VSME assessment (each one
    through ``assessments.save_answer``: the same access rules, audit and locking as a typed
    answer; an unchanged answer is not saved again). Returns the ids of the saved questions."""
    view = assessments.get_assessment(store, principal, assessment_id)
    framework = catalogue.questionnaire(store.catalogue, view.framework, view.profile)
    current = view.answer_values()
    saved = []
    for question_id, value in b3_answers(framework, datapoints).items():
        if current.get(question_id) == value:
            continue
        assessments.save_answer(
            store,
            principal,
            assessment_id,
            question_id,
            value,
            expected_version=view.answer_version(question_id),
        )
        saved.append(question_id)
    return saved


__all__ = ["answer_value", "b3_answers", "save_calculation", "table_line"]
