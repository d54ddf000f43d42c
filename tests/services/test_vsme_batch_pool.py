"""The department's VSME batch on the passport export's process pool (issue 12, item 5):
``vsme_batch(..., workers=2)`` reads the reports in this process and fills the templates in
spawned workers, and gives the same entries, in the same order, with the same bytes as the
batch run one organisation at a time."""

from __future__ import annotations

import pytest

from app.services import auth, vsme
from app.services.principal import SYSTEM
from tests.services.test_vsme import YEAR, _filled_report, _organisation, store  # noqa: F401


@pytest.mark.parametrize("format", ["xlsx", "pdf"])
def test_the_pooled_batch_gives_the_same_files_as_the_sequential_one(store, format):  # noqa: F811
    for n in (1, 2, 3):
        org, sme = _organisation(store, n)
        _filled_report(store, sme, org)
    department = auth.create_user(store, SYSTEM, "dept@example.be", "department")
    reader = auth.get_principal(store, department.id)
    one_by_one = list(vsme.vsme_batch(store, reader, YEAR, format))
    pooled = list(vsme.vsme_batch(store, reader, YEAR, format, workers=2))
    assert len(one_by_one) == 3 and all(e.error is None for e in one_by_one)
    assert [(e.kbo, e.name, e.sha256) for e in pooled] == [
        (e.kbo, e.name, e.sha256) for e in one_by_one
    ]
    assert [e.data for e in pooled] == [e.data for e in one_by_one]
    assert len({e.sha256 for e in pooled}) == 3  # three different reports, not one copy
