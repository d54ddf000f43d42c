"""The B3 energy and greenhouse-gas calculator form for the VSME page.

``calculator_form`` draws the inputs (what is on invoices and fuel cards), parses numbers the
way the language writes them (a decimal comma in Dutch) and returns the calculator's result,
or ``None`` while an input is refused; the inputs of that result are in the session state
under ``input_key`` (the page stores them with ``app.services.vsme.save_calculation``).
Labels live here per language (nl, en) so that the shared gettext catalogue is not touched;
widgets take ids and show labels through ``format_func``.
"""

from __future__ import annotations

from decimal import Decimal

import streamlit as st
from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from app.ui.i18n import current_language
from exports.vsme.calculator import (
    CalculatorError,
    CalculatorInput,
    CalculatorResult,
    GasKwhBasis,
    Refrigerant,
    calculate,
)

LABELS = {
    "electricity_kwh": {"nl": "Elektriciteit (kWh)", "en": "Electricity (kWh)"},
    "electricity_green_with_guarantees_of_origin": {
        "nl": "Groen contract met garanties van oorsprong",
        "en": "Green contract with guarantees of origin",
    },
    "supplier_factor_kg_per_kwh": {
        "nl": "Emissiefactor van de leverancier (kg CO2e/kWh, optioneel)",
        "en": "Supplier's emission factor (kg CO2e/kWh, optional)",
    },
    "natural_gas_m3": {"nl": "Aardgas (m³)", "en": "Natural gas (m³)"},
    "natural_gas_kwh": {"nl": "Aardgas (kWh)", "en": "Natural gas (kWh)"},
    "natural_gas_kwh_basis": {"nl": "kWh op factuur volgens", "en": "Invoice kWh on"},
    "heating_oil_litres": {"nl": "Stookolie (liter)", "en": "Heating oil (litres)"},
    "diesel_litres": {"nl": "Diesel (liter)", "en": "Diesel (litres)"},
    "petrol_litres": {"nl": "Benzine (liter)", "en": "Petrol (litres)"},
    "lpg_litres": {"nl": "LPG (liter)", "en": "LPG (litres)"},
    "refrigerants": {"nl": "Bijgevulde koelmiddelen", "en": "Refrigerant top-ups"},
    "turnover_eur": {"nl": "Omzet (euro)", "en": "Turnover (euro)"},
    GasKwhBasis.GROSS: {"nl": "bovenste verbrandingswaarde (BVW)", "en": "gross CV"},
    GasKwhBasis.NET: {"nl": "onderste verbrandingswaarde (OVW)", "en": "net CV"},
}
NUMBER_FIELDS = (
    "electricity_kwh",
    "natural_gas_m3",
    "natural_gas_kwh",
    "heating_oil_litres",
    "diesel_litres",
    "petrol_litres",
    "lpg_litres",
    "turnover_eur",
)


def label(key, language: str | None = None) -> str:
    """The label of an input id in the interface language."""
    return LABELS[key][language or current_language()]


def parse_number(raw: str, language: str) -> float | None:
    """A number as the language writes it ("1.234,5" in Dutch); empty is None."""
    raw = (raw or "").strip().replace(" ", "").replace("\u00a0", "")
    if not raw:
        return None
    return float(parse_decimal(raw, locale=language, strict=False))


def _shown(value, language: str) -> str:
    return "" if value is None else format_decimal(Decimal(str(value)), locale=language)


def calculator_form(key_prefix: str, initial: dict | None = None) -> CalculatorResult | None:
    """Draw the calculator and return its result, or None while an input is refused."""
    language = current_language()
    initial = initial or {}
    values: dict = {}
    errors: list[str] = []

    def number(field: str, column) -> None:
        raw = column.text_input(
            label(field, language),
            value=_shown(initial.get(field), language),
            key=f"w:vsme-calc:{key_prefix}:{field}",
        )
        try:
            parsed = parse_number(raw, language)
        except (NumberFormatError, ValueError):
            errors.append(f"{label(field, language)}: {raw!r}")
            return
        if parsed is not None:
            values[field] = parsed

    left, right = st.columns(2)
    number("electricity_kwh", left)
    values["electricity_green_with_guarantees_of_origin"] = left.checkbox(
        label("electricity_green_with_guarantees_of_origin", language),
        value=bool(initial.get("electricity_green_with_guarantees_of_origin", False)),
        key=f"w:vsme-calc:{key_prefix}:green",
    )
    raw = left.text_input(
        label("supplier_factor_kg_per_kwh", language),
        value=_shown(initial.get("supplier_factor_kg_per_kwh"), language),
        key=f"w:vsme-calc:{key_prefix}:supplier_factor_kg_per_kwh",
    )
    try:
        supplier = parse_number(raw, language)
        if supplier is not None:
            values["supplier_factor_kg_per_kwh"] = supplier
    except (NumberFormatError, ValueError):
        errors.append(f"{label('supplier_factor_kg_per_kwh', language)}: {raw!r}")
    for field in ("natural_gas_m3", "natural_gas_kwh"):
        number(field, right)
    values["natural_gas_kwh_basis"] = right.radio(
        label("natural_gas_kwh_basis", language),
        options=list(GasKwhBasis),
        index=list(GasKwhBasis).index(
            GasKwhBasis(initial.get("natural_gas_kwh_basis", GasKwhBasis.GROSS))
        ),
        format_func=lambda basis: label(basis, language),
        key=f"w:vsme-calc:{key_prefix}:gas_basis",
        horizontal=True,
    )
    for field in ("heating_oil_litres", "diesel_litres", "petrol_litres", "lpg_litres"):
        number(field, right)
    st.markdown(f"**{label('refrigerants', language)}**")
    top_ups = {}
    columns = st.columns(len(Refrigerant))
    for column, refrigerant in zip(columns, Refrigerant, strict=True):
        raw = column.text_input(
            refrigerant.value.upper() + " (kg)",
            value=_shown(initial.get("refrigerant_top_ups_kg", {}).get(refrigerant), language),
            key=f"w:vsme-calc:{key_prefix}:refrigerant:{refrigerant.value}",
        )
        try:
            kg = parse_number(raw, language)
        except (NumberFormatError, ValueError):
            errors.append(f"{refrigerant.value.upper()}: {raw!r}")
            continue
        if kg:
            top_ups[refrigerant] = kg
    values["refrigerant_top_ups_kg"] = top_ups
    number("turnover_eur", st)
    if "fte" in initial:
        values["fte"] = initial["fte"]

    if errors:
        for message in errors:
            st.error(message)
        return None
    try:
        data = CalculatorInput(**values)
        result = calculate(data)
    except CalculatorError as refused:
        for problem in refused.problems:
            st.error(f"{problem.field}: {problem.message}")
        return None
    for warning in result.warnings:
        st.warning(warning.message)
    st.session_state[input_key(key_prefix)] = data
    return result


def input_key(key_prefix: str) -> str:
    """Where ``calculator_form`` leaves the inputs of its last result (a ``CalculatorInput``,
    what ``app.services.vsme.save_calculation`` stores)."""
    return f"vsme-calc:{key_prefix}:input"
