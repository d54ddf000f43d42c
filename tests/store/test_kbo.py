"""KBO (enterprise) numbers: normalised from the usual notations and refused with a reason.

Test vectors come from the reference facts (belgian_enterprise_number.checksum.test_vectors).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from app.kbo import KboError, check_digits, display, is_valid, make_number, normalise

FACTS = Path(__file__).resolve().parents[2] / "frameworks" / "reference.yaml"
SHARED_FACTS = Path("/work/shared/reference/framework_facts.yaml")


def _vectors() -> dict[str, list[str]]:
    for path in (SHARED_FACTS, FACTS):
        if path.exists():
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            node = data.get("belgian_enterprise_number") if isinstance(data, dict) else None
            if node and "checksum" in node:
                vectors = node["checksum"]["test_vectors"]
                strip = lambda v: re.match(r"\s*(\S+)", v).group(1)  # noqa: E731
                return {k: [strip(v) for v in vectors[k]] for k in ("valid", "invalid")}
    pytest.fail("no KBO test vectors found in the reference facts")


VECTORS = _vectors()


@pytest.mark.parametrize("number", VECTORS["valid"])
def test_reference_valid_numbers_should_be_accepted(number):
    assert normalise(number) == number
    assert is_valid(number)


@pytest.mark.parametrize("number", VECTORS["invalid"])
def test_reference_invalid_numbers_should_be_refused(number):
    with pytest.raises(KboError):
        normalise(number)


@pytest.mark.parametrize(
    "written",
    [
        "BE 0403.019.261",
        "be0403019261",
        "0403 019 261",
        "0403-019-261",
        " 0403.019.261 ",
        "403019261",
        "BE403.019.261",
    ],
)
def test_usual_notations_should_normalise_to_ten_digits(written):
    assert normalise(written) == "0403019261"


def test_display_should_group_digits_as_on_the_kbo_site():
    assert display("BE0403019261") == "0403.019.261"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("0403O19261", "digits only"),
        ("BE 0403.019.26A", "digits only"),
        ("04030192611", "10 digits, not 11"),
        ("12345678", "10 digits, not 8"),
        ("", "empty"),
        ("2147812701", "starts with 0 or 1"),
        ("0431150351", "bad check digits"),
        ("٠٤٠٣٠١٩٢٦١", "digits only"),
    ],
)
def test_bad_numbers_should_be_refused_with_the_reason(raw, reason):
    with pytest.raises(KboError) as caught:
        normalise(raw)
    assert reason in caught.value.reason.render("en")
    assert reason not in caught.value.reason.render("nl")  # a Dutch reason, not the English


def test_check_number_97_should_be_written_97_never_00():
    assert check_digits("04287594") == 97
    assert normalise("0428759497") == "0428759497"


def test_numbers_starting_with_1_should_be_accepted_since_2023():
    number = make_number(10000000)
    assert number.startswith("1")
    assert normalise(number) == number


@given(st.integers(min_value=0, max_value=19_999_999))
def test_made_numbers_should_always_be_valid(head):
    assert is_valid(make_number(head))


@given(st.integers(min_value=0, max_value=19_999_999), st.integers(min_value=1, max_value=96))
def test_any_other_check_number_should_be_refused(head, shift):
    number = make_number(head)
    wrong = (int(number[8:]) + shift - 1) % 97 + 1
    assert not is_valid(f"{number[:8]}{wrong:02d}")
