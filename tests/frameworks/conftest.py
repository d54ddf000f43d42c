"""Helpers for framework tests: small inline specs written to temporary files."""

from __future__ import annotations

from pathlib import Path

import pytest

MINIMAL = """\
id: mini
version: "1.0"
title: {nl: Mini, en: Mini}
description: {nl: Klein kader, en: Small framework}
derivation:
  statement: {nl: Voor tests, en: For tests}
  sources:
    - {name: ISO 26000, edition: "2010"}
sections:
  - id: s1
    title: {nl: Sectie, en: Section}
    topics:
      - id: t1
        title: {nl: Onderwerp, en: Topic}
        questions:
          - id: q1
            type: yes_no
            text: {nl: Vraag een, en: Question one}
            advice: {nl: Doe het, en: Do it}
          - id: q2
            type: maturity
            text: {nl: Vraag twee, en: Question two}
            advice: {nl: Doe meer, en: Do more}
"""


@pytest.fixture()
def write(tmp_path: Path):
    """Write text (or bytes) to a file in a temporary folder and return its path."""

    def _write(content: str | bytes, name: str = "framework.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
