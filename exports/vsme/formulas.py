"""Evaluate the formulas of EFRAG's VSME Digital Template for a filled report, in Python.

A reader of the template (EFRAG's converter, openpyxl ``data_only=True``, any tool that does
not recalculate) reads the *cached value* of a formula cell; a workbook written by a program
has none unless the program computes it. This module computes them: the template's 3,720
formula cells are parsed once per process (``Book``), and ``evaluate(book, inputs)`` gives
every formula cell's value for the report's input cells, evaluating lazily cell by cell
(each cell once, memoised).

Why not a library: ``formulas`` 1.3.4 (PyPI) took 105 s to load this template and 32 s per
calculation on this machine; ``pycel`` was last released in 2021. The template uses a
fixed subset of Excel: IF/IFS/IFERROR, AND/OR/NOT, COUNTIF/COUNTA/COUNTBLANK, SUM/SUMIF/
SUMIFS/SUMPRODUCT/AVERAGE, INDEX/MATCH/VLOOKUP/XLOOKUP, ROWS/COLUMNS, text functions
(LEFT/RIGHT/MID/LEN/TRIM/LOWER/SUBSTITUTE/FIND/SEARCH/TEXT/VALUE), MOD, ISBLANK/ISNUMBER/
ISERROR, HYPERLINK; arithmetic, comparison and ``&`` with Excel's coercions, and array
arithmetic (``SUMPRODUCT(--(range<>x)*...)``, array formulas) element by element.

Not evaluated (``Unsupported``, the cell keeps the value EFRAG's blank template cached):
``WEBSERVICE`` (the geocoding of sites: it calls a web service), ``CELL`` (the "open in
desktop Excel" warning) and whatever depends on them. ``Result.unsupported`` lists them.
Pure: no streamlit, no database.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils.cell import column_index_from_string, get_column_letter


class Unsupported(Exception):
    """A formula this evaluator does not compute (a function it lacks, a cycle)."""


@dataclass(frozen=True)
class XlError:
    """An Excel error value (``#N/A``, ``#VALUE!``, ...): a value, not an exception."""

    code: str

    def __str__(self) -> str:
        return self.code


NA, VALUE, REF, DIV0, NUM, NAME = (
    XlError(c) for c in ("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?")
)
ERRORS = {e.code: e for e in (NA, VALUE, REF, DIV0, NUM, NAME)}
EPOCH = dt.datetime(1899, 12, 30)


@dataclass(frozen=True)
class Ref:
    """A rectangle of cells of one sheet (1-based rows and columns, inclusive)."""

    sheet: str
    top: int
    left: int
    bottom: int
    right: int

    @property
    def rows(self) -> int:
        return self.bottom - self.top + 1

    @property
    def columns(self) -> int:
        return self.right - self.left + 1

    def cells(self) -> Iterable[tuple[int, int]]:
        for r in range(self.top, self.bottom + 1):
            for c in range(self.left, self.right + 1):
                yield r, c


_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
_COLUMNS = re.compile(r"^\$?([A-Z]{1,3}):\$?([A-Z]{1,3})$")
MAX_ROW = 1_048_576


def _parse_ref(text: str, sheet: str) -> Ref | None:
    """``'Sheet'!$A$1:B2`` / ``A1`` -> Ref; None for anything else."""
    if "!" in text:
        sheet_part, _, text = text.rpartition("!")
        sheet = sheet_part[1:-1].replace("''", "'") if sheet_part.startswith("'") else sheet_part
    first, _, last = text.partition(":")
    columns = _COLUMNS.match(text)
    if columns is not None:  # a whole column ($A:$C): clipped to the sheet's used rows
        c1, c2 = (column_index_from_string(g) for g in columns.groups())
        return Ref(sheet, 1, min(c1, c2), MAX_ROW, max(c1, c2))
    a = _CELL.match(first)
    b = _CELL.match(last) if last else a
    if a is None or b is None:
        return None
    r1, c1 = int(a.group(2)), column_index_from_string(a.group(1))
    r2, c2 = int(b.group(2)), column_index_from_string(b.group(1))
    return Ref(sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))


# --------------------------------------------------------------------------- parsing
# AST nodes are tuples: ("v", value) a constant, ("ref", Ref), ("name", text),
# ("fn", NAME, args), ("neg", node), ("pct", node), ("op", symbol, left, right), ("none",)
_BINARY = {
    "=": 1,
    "<>": 1,
    "<": 1,
    ">": 1,
    "<=": 1,
    ">=": 1,
    "&": 2,
    "+": 3,
    "-": 3,
    "*": 4,
    "/": 4,
    "^": 5,
}


class _Parser:
    def __init__(self, formula: str, sheet: str):
        text = formula if formula.startswith("=") else "=" + formula
        # line breaks in EFRAG's formulas are layout; the tokenizer knows only spaces
        text = text.replace("\r", " ").replace("\n", " ")
        self.tokens = [t for t in Tokenizer(text).items if t.type != Token.WSPACE]
        self.at = 0
        self.sheet = sheet

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self):
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self):
        node = self.expression(1)
        if self.peek() is not None:
            raise Unsupported(f"unexpected {self.peek().value!r}")
        return node

    def expression(self, least: int):
        """Precedence climbing; every binary operator of Excel is left-associative."""
        left = self.unary()
        while True:
            token = self.peek()
            if token is None or token.type != Token.OP_IN or token.value not in _BINARY:
                return left
            power = _BINARY[token.value]
            if power < least:
                return left
            self.take()
            left = ("op", token.value, left, self.expression(power + 1))

    def unary(self):
        token = self.peek()
        if token is not None and token.type == Token.OP_PRE:
            self.take()
            operand = self.unary()
            return ("neg", operand) if token.value == "-" else operand
        node = self.primary()
        while self.peek() is not None and self.peek().type == Token.OP_POST:
            self.take()
            node = ("pct", node)
        return node

    @staticmethod
    def primary_constant(token):
        if token.subtype == Token.NUMBER:
            return float(token.value)
        if token.subtype == Token.TEXT:
            return token.value[1:-1].replace('""', '"')
        if token.subtype == Token.LOGICAL:
            return token.value.upper() == "TRUE"
        return ERRORS.get(token.value, XlError(token.value))

    def primary(self):
        token = self.take()
        if token.type == Token.OPERAND:
            if token.subtype != Token.RANGE:
                return ("v", self.primary_constant(token))
            ref = _parse_ref(token.value, self.sheet)
            if ref is not None:
                return ("ref", ref)
            if "#REF!" in token.value:
                return ("v", REF)
            return ("name", token.value)
        if token.type == Token.ARRAY and token.subtype == Token.OPEN:
            rows, row = [], []
            while True:
                item = self.take()
                if item.type == Token.ARRAY and item.subtype == Token.CLOSE:
                    rows.append(row)
                    return ("v", Array(rows))
                if item.type == Token.SEP:
                    if item.subtype == Token.ROW:
                        rows.append(row)
                        row = []
                    continue
                if item.type != Token.OPERAND or item.subtype == Token.RANGE:
                    raise Unsupported(f"array constant with {item.value!r}")
                row.append(self.primary_constant(item))
        if token.type == Token.PAREN and token.subtype == Token.OPEN:
            node = self.expression(1)
            closing = self.take()
            if closing.type != Token.PAREN:
                raise Unsupported("unbalanced parenthesis")
            return node
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            name = token.value[:-1].upper().removeprefix("_XLFN.").removeprefix("_XLWS.")
            args = []
            if self.peek().type == Token.FUNC and self.peek().subtype == Token.CLOSE:
                self.take()
                return ("fn", name, args)
            while True:
                nxt = self.peek()
                if nxt.type == Token.SEP or (nxt.type == Token.FUNC and nxt.subtype == Token.CLOSE):
                    args.append(("none",))
                else:
                    args.append(self.expression(1))
                sep = self.take()
                if sep.type == Token.FUNC and sep.subtype == Token.CLOSE:
                    return ("fn", name, args)
                if sep.type != Token.SEP or sep.subtype != Token.ARG:
                    raise Unsupported(f"unexpected {sep.value!r} in {name}")
        raise Unsupported(f"unexpected {token.value!r}")


def parse(formula: str, sheet: str):
    """The AST of one formula written on ``sheet``."""
    return _Parser(formula, sheet).parse()


# --------------------------------------------------------------------------- the book
@dataclass
class Book:
    """The template's formulas (parsed), constants and defined names, read once."""

    formulas: dict[tuple[str, int, int], object]  # (sheet, row, col) -> AST
    arrays: frozenset[tuple[str, int, int]]
    constants: dict[tuple[str, int, int], object]
    names: dict[str, object]  # defined name (lower case) -> AST
    extent: dict[str, int] = field(default_factory=dict)  # sheet -> last used row
    unparsed: dict[tuple[str, int, int], str] = field(default_factory=dict)


def _constant(value):
    if isinstance(value, dt.datetime):
        return (value - EPOCH).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - EPOCH.date()).days)
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


@cache
def load_book(path: Path) -> Book:
    """Parse every formula cell and defined name of the workbook at ``path``."""
    import openpyxl  # noqa: PLC0415
    from openpyxl.worksheet.formula import ArrayFormula  # noqa: PLC0415

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        wb = openpyxl.load_workbook(path)
    formulas, arrays, constants, unparsed = {}, set(), {}, {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                key = (ws.title, cell.row, cell.column)
                value = cell.value
                if isinstance(value, ArrayFormula):
                    arrays.add(key)
                    value = value.text
                if isinstance(value, str) and cell.data_type == "f":
                    try:
                        formulas[key] = parse(value, ws.title)
                    except (Unsupported, IndexError, AttributeError) as problem:
                        unparsed[key] = f"{value[:60]}: {problem}"
                        formulas[key] = ("fn", "__UNPARSED__", [])
                elif value is not None:
                    constants[key] = _constant(value)
    names = {}
    for name, defined in wb.defined_names.items():
        try:
            names[name.lower()] = parse(defined.attr_text, "")
        except (Unsupported, IndexError, AttributeError):
            names[name.lower()] = ("v", REF)
    extent = {ws.title: ws.max_row for ws in wb.worksheets}
    return Book(formulas, frozenset(arrays), constants, names, extent, unparsed)


# --------------------------------------------------------------------------- values
def _is_number(v) -> bool:
    return isinstance(v, float | int) and not isinstance(v, bool)


def _number(v):
    """Excel's coercion to a number (an XlError stays itself)."""
    if isinstance(v, XlError):
        return v
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if _is_number(v):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v.strip().replace(",", "")) if v.strip() else VALUE
        except ValueError:
            return VALUE
    return VALUE


def _text(v) -> str | XlError:
    if isinstance(v, XlError):
        return v
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if _is_number(v):
        if float(v).is_integer() and abs(v) < 1e15:
            return str(int(v))
        return f"{v:.15g}"
    return str(v)


def _bool(v):
    if isinstance(v, XlError):
        return v
    if v is None:
        return False
    if isinstance(v, bool):
        return v
    if _is_number(v):
        return v != 0
    if isinstance(v, str) and v.upper() in ("TRUE", "FALSE"):
        return v.upper() == "TRUE"
    return VALUE


def _rank(v) -> int:
    return 0 if _is_number(v) else 1 if isinstance(v, str) else 2


def _compare(op: str, a, b):
    if isinstance(a, XlError):
        return a
    if isinstance(b, XlError):
        return b
    if a is None:
        a = "" if isinstance(b, str) else False if isinstance(b, bool) else 0.0
    if b is None:
        b = "" if isinstance(a, str) else False if isinstance(a, bool) else 0.0
    if _rank(a) != _rank(b):
        order = (_rank(a) > _rank(b)) - (_rank(a) < _rank(b))
    else:
        if isinstance(a, str):
            a, b = a.lower(), b.lower()
        order = (a > b) - (a < b)
    return {
        "=": order == 0,
        "<>": order != 0,
        "<": order < 0,
        ">": order > 0,
        "<=": order <= 0,
        ">=": order >= 0,
    }[op]


def _arith(op: str, a, b):
    if op == "&":
        ta, tb = _text(a), _text(b)
        if isinstance(ta, XlError):
            return ta
        if isinstance(tb, XlError):
            return tb
        return ta + tb
    if op in ("=", "<>", "<", ">", "<=", ">="):
        return _compare(op, a, b)
    x, y = _number(a), _number(b)
    if isinstance(x, XlError):
        return x
    if isinstance(y, XlError):
        return y
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if op == "/":
        return DIV0 if y == 0 else x / y
    if op == "^":
        try:
            return float(x**y)
        except (OverflowError, ZeroDivisionError, TypeError):
            return NUM
    raise Unsupported(op)


class Array(list):
    """A 2-D array of values (rows of columns), the value of a multi-cell range in an
    expression; operators apply element by element."""


def _broadcast(fn: Callable, a, b):
    if not isinstance(a, Array) and not isinstance(b, Array):
        return fn(a, b)
    rows = max(len(a) if isinstance(a, Array) else 1, len(b) if isinstance(b, Array) else 1)
    cols = max(len(a[0]) if isinstance(a, Array) else 1, len(b[0]) if isinstance(b, Array) else 1)

    def at(x, r, c):
        if not isinstance(x, Array):
            return x
        rr = r if len(x) > 1 else 0
        cc = c if len(x[0]) > 1 else 0
        return x[rr][cc] if rr < len(x) and cc < len(x[0]) else NA

    return Array([[fn(at(a, r, c), at(b, r, c)) for c in range(cols)] for r in range(rows)])


def _map(fn: Callable, a):
    if isinstance(a, Array):
        return Array([[fn(v) for v in row] for row in a])
    return fn(a)


def _flat(v) -> list:
    if isinstance(v, Array):
        return [x for row in v for x in row]
    return [v]


def _wildcard(pattern: str) -> re.Pattern:
    out, i = "", 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "~" and i + 1 < len(pattern):
            out += re.escape(pattern[i + 1])
            i += 2
            continue
        out += ".*" if ch == "*" else "." if ch == "?" else re.escape(ch)
        i += 1
    return re.compile(out, re.IGNORECASE | re.DOTALL)


def _criterion(criterion) -> Callable[[object], bool]:
    """COUNTIF/SUMIF's test for one criterion (``">0"``, ``"<>x"``, ``"a*"``, 5, a label)."""
    if isinstance(criterion, XlError):
        return lambda v: isinstance(v, XlError) and v == criterion
    if criterion is None:
        criterion = ""
    if not isinstance(criterion, str):
        return lambda v: v is not None and not isinstance(v, str) and _compare("=", v, criterion)
    m = re.match(r"^(<=|>=|<>|=|<|>)?(.*)$", criterion, re.DOTALL)
    op, operand = m.group(1) or "=", m.group(2)
    number = _number(operand) if operand.strip() else None
    if operand == "":
        if op == "=":
            return lambda v: v is None or v == ""
        if op == "<>":
            return lambda v: not (v is None or v == "")
    if isinstance(number, float):
        if op in ("=", "<>"):

            def numeric(v, op=op, number=number):
                equal = (_is_number(v) and v == number) or (
                    isinstance(v, str) and _number(v) == number
                )
                return equal if op == "=" else not equal

            return numeric
        return lambda v: _is_number(v) and _compare(op, v, number)
    if op in ("=", "<>"):
        pattern = _wildcard(operand)

        def textual(v, op=op):
            equal = isinstance(v, str) and pattern.fullmatch(v) is not None
            return equal if op == "=" else not equal

        return textual
    return lambda v: isinstance(v, str) and _compare(op, v, operand)


# --------------------------------------------------------------------------- evaluation
@dataclass
class Result:
    """Every formula cell's value; ``unsupported`` the cells left to the blank's cache."""

    values: dict[tuple[str, int, int], object]
    unsupported: dict[tuple[str, int, int], str]


class _Evaluator:
    def __init__(self, book: Book, inputs: Mapping[tuple[str, int, int], object]):
        self.book = book
        self.inputs = inputs
        self.done: dict[tuple[str, int, int], object] = {}
        self.failed: dict[tuple[str, int, int], str] = {}
        self.busy: set[tuple[str, int, int]] = set()
        self.ranges: dict[Ref, Array] = {}

    # ---- cells
    def cell(self, sheet: str, row: int, col: int):
        key = (sheet, row, col)
        if key in self.inputs:
            return self.inputs[key]
        ast = self.book.formulas.get(key)
        if ast is None:
            return self.book.constants.get(key)
        if key in self.done:
            return self.done[key]
        if key in self.failed:
            raise Unsupported(self.failed[key])
        if key in self.busy:
            raise Unsupported(f"circular reference at {sheet}!{get_column_letter(col)}{row}")
        self.busy.add(key)
        try:
            value = self.eval(ast, sheet)
            if isinstance(value, Ref):
                value = self.scalar(value)
            if isinstance(value, Array):
                value = value[0][0] if value and value[0] else None
            if value is None:
                value = 0.0  # a formula pointing at an empty cell shows 0
        except Unsupported as problem:
            self.failed[key] = str(problem)
            raise
        except RecursionError as problem:
            self.failed[key] = "too deep"
            raise Unsupported("too deep") from problem
        finally:
            self.busy.discard(key)
        self.done[key] = value
        return value

    def clip(self, ref: Ref) -> Ref:
        """A whole-column reference cut to the rows the sheet uses."""
        if ref.bottom < MAX_ROW:
            return ref
        return Ref(ref.sheet, ref.top, ref.left, self.book.extent.get(ref.sheet, 1), ref.right)

    def range_values(self, ref: Ref) -> Array:
        """The values of a range (memoised: the template reads the same lists many times)."""
        ref = self.clip(ref)
        found = self.ranges.get(ref)
        if found is not None:
            return found
        found = self.ranges[ref] = self._range_values(ref)
        return found

    def _range_values(self, ref: Ref) -> Array:
        return Array(
            [
                [self.cell(ref.sheet, r, c) for c in range(ref.left, ref.right + 1)]
                for r in range(ref.top, ref.bottom + 1)
            ]
        )

    def scalar(self, value):
        """A value as an operand: a one-cell range is its cell, a larger one an Array."""
        if isinstance(value, Ref):
            if value.rows == 1 and value.columns == 1:
                return self.cell(value.sheet, value.top, value.left)
            return self.range_values(value)
        return value

    # ---- expressions
    def eval(self, node, sheet: str):
        kind = node[0]
        if kind == "v":
            return node[1]
        if kind == "ref":
            return node[1]
        if kind == "name":
            ast = self.book.names.get(node[1].lower())
            if ast is None:
                return NAME
            return self.eval(ast, sheet)
        if kind == "none":
            return None
        if kind == "neg":
            return _map(lambda v: _arith("-", 0.0, v), self.scalar(self.eval(node[1], sheet)))
        if kind == "pct":
            return _map(lambda v: _arith("/", v, 100.0), self.scalar(self.eval(node[1], sheet)))
        if kind == "op":
            a = self.scalar(self.eval(node[2], sheet))
            b = self.scalar(self.eval(node[3], sheet))
            return _broadcast(lambda x, y: _arith(node[1], x, y), a, b)
        if kind == "fn":
            function = FUNCTIONS.get(node[1])
            if function is None:
                raise Unsupported(f"function {node[1]}")
            return function(self, node[2], sheet)
        raise Unsupported(kind)

    def value(self, node, sheet: str):
        return self.scalar(self.eval(node, sheet))

    def ref(self, node, sheet: str) -> Ref:
        value = self.eval(node, sheet)
        if not isinstance(value, Ref):
            raise Unsupported("a range was expected")
        return self.clip(value)


# --------------------------------------------------------------------------- functions
def _first_error(values):
    for v in values:
        if isinstance(v, XlError):
            return v
    return None


def _fn_if(ev, args, sheet):
    condition = ev.value(args[0], sheet)
    then = args[1] if len(args) > 1 else ("v", True)
    other = args[2] if len(args) > 2 else ("v", False)
    if isinstance(condition, Array):
        a, b = ev.value(then, sheet), ev.value(other, sheet)

        def pick(pair, otherwise):
            test = _bool(pair[0])
            return test if isinstance(test, XlError) else pair[1] if test else otherwise

        return _broadcast(pick, _broadcast(lambda c, x: (c, x), condition, a), b)
    test = _bool(condition)
    if isinstance(test, XlError):
        return test
    chosen = then if test else other
    if chosen[0] == "none":
        return 0.0
    return ev.eval(chosen, sheet)


def _fn_ifs(ev, args, sheet):
    for i in range(0, len(args) - 1, 2):
        test = _bool(ev.value(args[i], sheet))
        if isinstance(test, XlError):
            return test
        if test:
            return ev.eval(args[i + 1], sheet)
    return NA


def _fn_iferror(ev, args, sheet):
    value = ev.value(args[0], sheet)
    if isinstance(value, Array):
        alt = ev.value(args[1], sheet)
        return _broadcast(lambda v, a: a if isinstance(v, XlError) else v, value, alt)
    return ev.value(args[1], sheet) if isinstance(value, XlError) else value


def _logical_values(ev, args, sheet):
    out = []
    for arg in args:
        value = ev.eval(arg, sheet)
        if isinstance(value, Ref) and (value.rows > 1 or value.columns > 1):
            out += [v for v in _flat(ev.range_values(value)) if not isinstance(v, str | None)]
            continue
        value = ev.scalar(value)
        for v in _flat(value):
            b = _bool(v)
            out.append(b)
    return out


def _fn_and(ev, args, sheet):
    values = _logical_values(ev, args, sheet)
    return _first_error(values) or all(_bool(v) for v in values)


def _fn_or(ev, args, sheet):
    values = _logical_values(ev, args, sheet)
    return _first_error(values) or any(_bool(v) for v in values)


def _fn_not(ev, args, sheet):
    return _map(
        lambda v: b if isinstance(b := _bool(v), XlError) else not b, ev.value(args[0], sheet)
    )


def _cells_of(ev, node, sheet) -> list:
    value = ev.eval(node, sheet)
    if isinstance(value, Ref):
        return _flat(ev.range_values(value))
    return _flat(ev.scalar(value))


def _fn_countif(ev, args, sheet):
    test = _criterion(ev.value(args[1], sheet))
    return float(sum(1 for v in _cells_of(ev, args[0], sheet) if test(v)))


def _fn_counta(ev, args, sheet):
    return float(sum(1 for a in args for v in _cells_of(ev, a, sheet) if v is not None))


def _fn_countblank(ev, args, sheet):
    return float(sum(1 for v in _cells_of(ev, args[0], sheet) if v is None or v == ""))


def _numbers(ev, args, sheet):
    out = []
    for arg in args:
        value = ev.eval(arg, sheet)
        if isinstance(value, Ref) or isinstance(ev.scalar(value), Array):
            for v in _cells_of(ev, arg, sheet):
                if isinstance(v, XlError):
                    return v
                if _is_number(v):
                    out.append(float(v))
            continue
        v = _number(ev.scalar(value))
        if isinstance(v, XlError):
            return v
        out.append(v)
    return out


def _fn_sum(ev, args, sheet):
    values = _numbers(ev, args, sheet)
    return values if isinstance(values, XlError) else float(math.fsum(values))


def _fn_average(ev, args, sheet):
    values = _numbers(ev, args, sheet)
    if isinstance(values, XlError):
        return values
    return DIV0 if not values else math.fsum(values) / len(values)


def _fn_sumif(ev, args, sheet):
    test = _criterion(ev.value(args[1], sheet))
    tested = _cells_of(ev, args[0], sheet)
    summed = _cells_of(ev, args[2], sheet) if len(args) > 2 else tested
    return float(
        math.fsum(s for t, s in zip(tested, summed, strict=False) if test(t) and _is_number(s))
    )


def _fn_sumifs(ev, args, sheet):
    summed = _cells_of(ev, args[0], sheet)
    keep = [True] * len(summed)
    for i in range(1, len(args) - 1, 2):
        test = _criterion(ev.value(args[i + 1], sheet))
        for j, v in enumerate(_cells_of(ev, args[i], sheet)):
            if j < len(keep) and not test(v):
                keep[j] = False
    return float(math.fsum(s for s, k in zip(summed, keep, strict=False) if k and _is_number(s)))


def _fn_sumproduct(ev, args, sheet):
    arrays = [_flat(ev.value(a, sheet)) for a in args]
    total = 0.0
    for items in zip(*arrays, strict=False):
        error = _first_error(items)
        if error:
            return error
        product = 1.0
        for v in items:
            product *= float(v) if _is_number(v) else 0.0
        total += product
    return total


def _fn_rows(ev, args, sheet):
    return float(ev.ref(args[0], sheet).rows)


def _fn_columns(ev, args, sheet):
    return float(ev.ref(args[0], sheet).columns)


def _index_number(v):
    n = _number(v)
    return n if isinstance(n, XlError) else int(n)


def _fn_index(ev, args, sheet):
    ref = ev.ref(args[0], sheet)
    row = _index_number(ev.value(args[1], sheet)) if len(args) > 1 else 0
    col = _index_number(ev.value(args[2], sheet)) if len(args) > 2 and args[2][0] != "none" else 0
    if isinstance(row, XlError):
        return row
    if isinstance(col, XlError):
        return col
    if len(args) <= 2 and ref.rows == 1:
        row, col = 1, row
    if row == 0 or col == 0:
        if ref.rows == 1 and row == 0:
            row = 1
        elif ref.columns == 1 and col == 0:
            col = 1
        else:
            raise Unsupported("INDEX of a whole row or column")
    if not (1 <= row <= ref.rows and 1 <= col <= ref.columns):
        return REF
    r, c = ref.top + row - 1, ref.left + col - 1
    return Ref(ref.sheet, r, c, r, c)


def _match_position(wanted, values: list, mode: int):
    if isinstance(wanted, XlError):
        return wanted
    if mode == 0:
        if isinstance(wanted, str):
            pattern = _wildcard(wanted)
            for i, v in enumerate(values):
                if isinstance(v, str) and pattern.fullmatch(v):
                    return i
            return NA
        for i, v in enumerate(values):
            if v is not None and not isinstance(v, str) and _compare("=", v, wanted):
                return i
        return NA
    best = NA
    for i, v in enumerate(values):
        if v is None or _rank(v) != _rank(wanted):
            continue
        if (mode > 0 and _compare("<=", v, wanted)) or (mode < 0 and _compare(">=", v, wanted)):
            best = i
        else:
            break
    return best


def _fn_match(ev, args, sheet):
    wanted = ev.value(args[0], sheet)
    values = _cells_of(ev, args[1], sheet)
    mode = int(_number(ev.value(args[2], sheet))) if len(args) > 2 else 1
    found = _match_position(wanted, values, mode)
    return found if isinstance(found, XlError) else float(found + 1)


def _fn_vlookup(ev, args, sheet):
    wanted = ev.value(args[0], sheet)
    table = ev.ref(args[1], sheet)
    col = _index_number(ev.value(args[2], sheet))
    approximate = len(args) < 4 or _bool(ev.value(args[3], sheet))
    if isinstance(col, XlError):
        return col
    if not 1 <= col <= table.columns:
        return REF
    keys = [ev.cell(table.sheet, r, table.left) for r in range(table.top, table.bottom + 1)]
    found = _match_position(wanted, keys, 1 if approximate else 0)
    if isinstance(found, XlError):
        return found
    return ev.cell(table.sheet, table.top + found, table.left + col - 1)


def _fn_xlookup(ev, args, sheet):
    wanted = ev.value(args[0], sheet)
    keys = _cells_of(ev, args[1], sheet)
    results = ev.ref(args[2], sheet)
    if len(args) > 4 and args[4][0] != "none" and _number(ev.value(args[4], sheet)) != 0:
        raise Unsupported("XLOOKUP match mode")
    found = _match_position(wanted, keys, 0)
    if isinstance(found, XlError):
        return ev.value(args[3], sheet) if len(args) > 3 and args[3][0] != "none" else NA
    if results.columns == 1:
        return ev.cell(results.sheet, results.top + found, results.left)
    return ev.cell(results.sheet, results.top, results.left + found)


def _text_fn(fn):
    def wrapped(ev, args, sheet):
        values = [ev.value(a, sheet) if a[0] != "none" else None for a in args]
        error = _first_error(_flat(v)[0] if isinstance(v, Array) else v for v in values)
        if error:
            return error
        return fn(*values)

    return wrapped


def _count_arg(v, default: int = 1):
    if v is None:
        return default
    n = _number(v)
    return n if isinstance(n, XlError) else int(n)


def _left(text, n=None):
    t, k = _text(text), _count_arg(n)
    return k if isinstance(k, XlError) else VALUE if k < 0 else t[:k]


def _right(text, n=None):
    t, k = _text(text), _count_arg(n)
    return k if isinstance(k, XlError) else VALUE if k < 0 else (t[-k:] if k else "")


def _mid(text, start, n):
    t, s, k = _text(text), _count_arg(start), _count_arg(n)
    if isinstance(s, XlError) or isinstance(k, XlError):
        return VALUE
    return VALUE if s < 1 or k < 0 else t[s - 1 : s - 1 + k]


def _find(needle, haystack, start=None, *, fold: bool = False):
    n, h, s = _text(needle), _text(haystack), _count_arg(start)
    if isinstance(s, XlError) or s < 1 or s > len(h) + 1:
        return VALUE
    if fold:
        m = _wildcard(n).search(h, s - 1)
        return VALUE if m is None else float(m.start() + 1)
    i = h.find(n, s - 1)
    return VALUE if i < 0 else float(i + 1)


def _substitute(text, old, new, instance=None):
    t, o, n = _text(text), _text(old), _text(new)
    if not o:
        return t
    if instance is None:
        return t.replace(o, n)
    k, at = _count_arg(instance), -1
    for _ in range(k):
        at = t.find(o, at + 1)
        if at < 0:
            return t
    return t[:at] + n + t[at + len(o) :]


def _format_text(value, fmt):
    f = _text(fmt)
    v = _number(value)
    if isinstance(v, XlError):
        return _text(value)
    m = re.fullmatch(r"(0+)(?:\.(0+))?", f)
    if m is None:
        raise Unsupported(f"TEXT format {f!r}")
    decimals = len(m.group(2) or "")
    return f"{v:0{len(m.group(1)) + (decimals + 1 if decimals else 0)}.{decimals}f}"


def _value(v):
    n = _number(v)
    return VALUE if isinstance(v, bool) else n


def _mod(a, b):
    x, y = _number(a), _number(b)
    if isinstance(x, XlError) or isinstance(y, XlError):
        return x if isinstance(x, XlError) else y
    return DIV0 if y == 0 else x - y * math.floor(x / y)


def _is(test):
    def wrapped(ev, args, sheet):
        raw = ev.eval(args[0], sheet)
        if isinstance(raw, Ref):
            raw = ev.cell(raw.sheet, raw.top, raw.left)
        return _map(test, ev.scalar(raw))

    return wrapped


def _fn_isblank(ev, args, sheet):
    raw = ev.eval(args[0], sheet)
    if isinstance(raw, Ref):
        return ev.cell(raw.sheet, raw.top, raw.left) is None
    return False


def _fn_hyperlink(ev, args, sheet):
    link = ev.value(args[0], sheet)
    return ev.value(args[1], sheet) if len(args) > 1 else link


def _unparsed(ev, args, sheet):
    raise Unsupported("formula not parsed")


FUNCTIONS: dict[str, Callable] = {
    "IF": _fn_if,
    "IFS": _fn_ifs,
    "IFERROR": _fn_iferror,
    "AND": _fn_and,
    "OR": _fn_or,
    "NOT": _fn_not,
    "COUNTIF": _fn_countif,
    "COUNTA": _fn_counta,
    "COUNTBLANK": _fn_countblank,
    "SUM": _fn_sum,
    "AVERAGE": _fn_average,
    "SUMIF": _fn_sumif,
    "SUMIFS": _fn_sumifs,
    "SUMPRODUCT": _fn_sumproduct,
    "ROWS": _fn_rows,
    "COLUMNS": _fn_columns,
    "INDEX": _fn_index,
    "MATCH": _fn_match,
    "VLOOKUP": _fn_vlookup,
    "XLOOKUP": _fn_xlookup,
    "LEFT": _text_fn(_left),
    "RIGHT": _text_fn(_right),
    "MID": _text_fn(_mid),
    "LEN": _text_fn(lambda t: float(len(_text(t)))),
    "TRIM": _text_fn(lambda t: re.sub(r" +", " ", _text(t).strip(" "))),
    "LOWER": _text_fn(lambda t: _text(t).lower()),
    "UPPER": _text_fn(lambda t: _text(t).upper()),
    "SUBSTITUTE": _text_fn(_substitute),
    "FIND": _text_fn(_find),
    "SEARCH": _text_fn(lambda n, h, s=None: _find(n, h, s, fold=True)),
    "TEXT": _text_fn(_format_text),
    "VALUE": _text_fn(_value),
    "MOD": _text_fn(_mod),
    "ISNUMBER": _is(_is_number),
    "ISERROR": _is(lambda v: isinstance(v, XlError)),
    "ISBLANK": _fn_isblank,
    "HYPERLINK": _fn_hyperlink,
    "__UNPARSED__": _unparsed,
}


def evaluate(
    book: Book,
    inputs: Mapping[tuple[str, int, int], object],
    only: Iterable[tuple[str, int, int]] | None = None,
) -> Result:
    """Every formula cell of ``book`` (not overridden by ``inputs``; or the cells ``only``
    names, with what they depend on) for these input cells (``(sheet, row, column) ->
    value``; numbers as float, text, bool, None = empty)."""
    ev = _Evaluator(book, inputs)
    values: dict[tuple[str, int, int], object] = {}
    for key in book.formulas if only is None else only:
        if key in inputs:
            continue
        try:
            values[key] = ev.cell(*key)
        except Unsupported:
            pass
    return Result(values, dict(ev.failed))
