"""The action plan in a PDF (passport and Start-to-MVO scan): the table of
``exports.actionplan.action_plan_table`` with its note, or the note alone when it is empty."""

from __future__ import annotations

from exports.documents import Table
from exports.pdf.base import DocumentRenderer
from exports.text import label

#: Column shares: action, owner, deadline, cost, scheme, status, topic score change.
SHARES = (0.21, 0.13, 0.10, 0.11, 0.18, 0.08, 0.19)


def action_plan_flowables(renderer: DocumentRenderer, plan: Table | None) -> list:
    """The heading, the table (cost right-aligned) and the note; nothing without a plan."""
    if plan is None:
        return []
    story = [*renderer.heading(plan.title)]
    if not plan.rows:
        return [*story, renderer.p(plan.note or label("none", renderer.language), "Muted")]
    shares = SHARES[: len(plan.header)]
    widths = [renderer.frame_width * share / sum(shares) for share in shares]
    story.append(renderer.table(plan.header, plan.rows, widths, right=(3,), compact=True))
    if plan.note:
        story.append(renderer.p(plan.note, "Muted"))
    return story
