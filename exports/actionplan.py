"""The action plan as a document part: what the results page and the passport PDF say about
an organisation's actions (title, owner, deadline, cost, support scheme, status) and, beside
each status, the score change of its topic since last year (from the passport's comparison).

Pure: plain ``PlannedAction`` values in (the app maps its stored actions to them), a
``Table`` out, laid out by the screen and the PDF renderer alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from exports.documents import Table
from exports.text import format_number, label
from frameworks.models import Framework
from frameworks.support_schemes import SupportSchemes
from scoring.models import Passport


@dataclass(frozen=True)
class PlannedAction:
    """One action of the plan as the documents print it; ``year`` is the year it was planned
    in, ``listed_year`` the year of the passport it is printed on."""

    title: str
    owner: str
    deadline: date
    status: str
    year: int
    listed_year: int | None = None
    cost_cents: int | None = None
    scheme: str | None = None
    framework: str | None = None
    question: str | None = None

    @property
    def carried_over(self) -> bool:
        return self.listed_year is not None and self.year < self.listed_year


def format_deadline(value: date, language: str) -> str:
    """A deadline as printed: 31/12/2026 in Dutch, 2026-12-31 in English."""
    return value.strftime("%d/%m/%Y") if language == "nl" else value.isoformat()


def format_cost(cents: int | None, language: str) -> str:
    if cents is None:
        return "-"
    amount = format_number(cents / 100, language, 2)
    return f"€ {amount}" if language == "nl" else f"EUR {amount}"


def status_label(status: str, language: str) -> str:
    return label(f"action_status_{status}", language)


def _topic_change(
    action: PlannedAction,
    passport: Passport | None,
    frameworks: Mapping[str, Framework],
    language: str,
) -> str:
    """The change of the action's topic score since last year, with the topic named."""
    if passport is None or passport.change is None or action.question is None:
        return "-"
    topic_id = None
    for card in passport.scorecards.values():
        found = card.questions.get(action.question)
        if found is not None:
            topic_id = found.topic
            fw = frameworks.get(card.framework)
            break
    if topic_id is None:
        return "-"
    delta = passport.change.topic_deltas.get(topic_id)
    topic = fw.topics.get(topic_id) if fw is not None else None
    name = topic_id
    if topic is not None:
        title = topic.title.get(language)
        name = f"{topic.clause} {title}" if topic.clause else title
    if delta is None:
        return f"{name}: -"
    sign = "+" if delta >= 0 else ""
    return f"{name}: {sign}{format_number(delta, language)}"


def action_plan_table(
    actions: Sequence[PlannedAction],
    passport: Passport | None,
    frameworks: Mapping[str, Framework],
    schemes: SupportSchemes,
    language: str,
) -> Table:
    """The action plan table: one row per action; where the passport compares with an
    earlier year, the topic's score change stands beside the status."""
    change = passport.change if passport is not None else None
    header = [
        label("action", language),
        label("action_owner", language),
        label("action_deadline", language),
        label("action_cost", language),
        label("action_scheme", language),
        label("action_status", language),
    ]
    if change is not None and change.previous_year is not None:
        header.append(label("action_change", language, year=change.previous_year))
    rows = []
    for action in actions:
        title = action.title
        if action.carried_over:
            title = f"{title} ({label('action_carried', language, year=action.year)})"
        scheme = schemes.get(action.scheme)
        row = [
            title,
            action.owner,
            format_deadline(action.deadline, language),
            format_cost(action.cost_cents, language),
            scheme.name.get(language) if scheme is not None else "-",
            status_label(action.status, language),
        ]
        if len(header) == 7:
            row.append(_topic_change(action, passport, frameworks, language))
        rows.append(tuple(row))
    note = label("action_schemes_note", language, date=format_deadline(schemes.checked, language))
    return Table(
        title=label("action_plan", language),
        header=tuple(header),
        rows=tuple(rows),
        note=note if rows else label("action_none", language),
    )
