"""VSME (EFRAG's voluntary standard for SMEs): the B3 energy and GHG calculator and the report
in its three shapes, EFRAG's Digital Template (xlsx), xBRL-JSON and a PDF.

The outputs take one plain ``VsmeReport`` (``exports.vsme.report``): the entity, the period,
the currency and the facts keyed by the template's named ranges (which equal the taxonomy
concepts' local names, or ``<Concept>_<Member>`` for preset dimensions). EFRAG's template,
taxonomy JSON and licence ship under ``exports/vsme/data/`` (MIT, "Copyright (c) 2025 EFRAG").
"""
