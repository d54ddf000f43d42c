"""The VSME framework: every B1-B11 / C1-C9 datapoint of EFRAG's list has a question; the
question id follows the documented rule; it is a disclosure (never scored)."""

import re
from pathlib import Path

import pytest

from frameworks.loader import load_catalogue

#: EFRAG's datapoint list (MIT, EFRAG; shipped beside the template it describes).
DATAPOINTS = (
    Path(__file__).resolve().parents[2] / "exports" / "vsme" / "data" / "vsme-datapoints.md"
)


def _named_ranges(module: str) -> set[str]:
    names, current = set(), None
    for line in DATAPOINTS.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^### ([BC]\d+) — ", line)
        if line.startswith("### "):
            current = m.group(1) if m else None
        elif current and current.startswith(module) and line.startswith("| `"):
            names.add(line.split("`")[1])
    return names


@pytest.fixture(scope="module")
def vsme():
    return load_catalogue().frameworks["vsme"]


@pytest.mark.parametrize(("module", "count"), [("B", 110), ("C", 55)])
def test_every_datapoint_of_the_module_has_a_question(vsme, module, count):
    covered = {q.vsme.datapoint for q in vsme.questions.values() if q.vsme}
    wanted = _named_ranges(module)
    assert len(wanted) == count
    assert wanted - covered == set()


def test_question_ids_follow_the_rule(vsme):
    from tools.build_vsme import question_id

    for qid, q in vsme.questions.items():
        assert qid == question_id(q.vsme.datapoint)


def test_vsme_is_a_disclosure_with_no_scored_question(vsme):
    assert vsme.scored is False
    assert [qid for qid, q in vsme.questions.items() if q.scored] == []
