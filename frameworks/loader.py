"""YAML framework and sector-profile files into validated models, with file:line positions.

The YAML is parsed (libyaml's C parser where present) into the plain value *and* a parallel
table of source positions, so that a pydantic ``ValidationError``'s ``loc`` and a rule's
location map to ``dotted.path at FILE:LINE`` without ``__line__`` keys in the data. Reading is
defensive: files over ``MAX_BYTES``, binary files, non-UTF-8 text, unsafe tags
(``!!python/...``), duplicate keys and several documents in one file are reported, not loaded.

``load_catalogue()`` loads every shipped framework and profile (plus the folders in
``MVO_FRAMEWORKS_DIR``, whose files replace shipped ones with the same id: that is how a
federation drops in its own kwaliteitswijzer) and runs the cross-reference rules.

Every earlier version ships too, as ``frameworks/versions/<id>-<version>.yaml`` (frameworks
and sector profiles alike, exactly as published): an assessment keeps the version it was
started on, and ``Catalogue.resolve`` is the one place that turns (id, version) into the model.
An earlier version is validated like the current one, except that the scoring-contract guards
added after it was published (``ARCHIVE_TOLERATED``) are reported as warnings: an archived
version is frozen so that its assessments score as they did.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import threading
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
import yaml.cyaml
from pydantic import BaseModel, ValidationError
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from frameworks import rules
from frameworks.models import Framework, SectorProfile

# SourceMap lives with the problems so that the rules need not import the loader (no cycle).
from frameworks.problems import (
    FrameworkFileError,
    Path_,
    Problem,
    ProblemCode,
    Report,
    SourceMap,
)

MAX_BYTES = 2 * 1024 * 1024
FRAMEWORKS_DIR = Path(__file__).resolve().parent
SECTORS_DIR = FRAMEWORKS_DIR / "sectors"
#: Earlier versions of the frameworks and profiles, ``<id>-<version>.yaml``, as published.
VERSIONS_DIR = FRAMEWORKS_DIR / "versions"
#: Guards of the scoring contract that a version published before them may break: an
#: archived version is kept as it was (its assessments must rescore the same), so these are
#: warnings there and errors in a current file.
ARCHIVE_TOLERATED = {ProblemCode.SCORED_INCIDENT, ProblemCode.SCALE_WITHOUT_NONE}
#: Advice on how a file is written (a reason beside each materiality value) that an archived
#: version does not repeat: it is not rewritten after publication.
ARCHIVE_SILENT = {ProblemCode.MATERIALITY_REASON}
#: YAML files beside the frameworks that are no framework or profile (own models and loaders).
NOT_SHIPPED = {"reference.yaml", "support_schemes.yaml"}

Kind = Literal["framework", "profile"]

if getattr(yaml, "__with_libyaml__", False):

    class _Loader(yaml.cyaml.CParser, SafeConstructor, BaseResolver):  # type: ignore[misc]
        """libyaml's parser; plain scalars are typed by ``_plain`` (YAML 1.2 core schema)."""

        def __init__(self, stream: str) -> None:
            yaml.cyaml.CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            BaseResolver.__init__(self)

else:  # pragma: no cover - PyYAML without libyaml

    class _Loader(Reader, Scanner, Parser, Composer, SafeConstructor, BaseResolver):  # type: ignore[misc]
        """The pure-Python parser; plain scalars are typed by ``_plain``."""

        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            BaseResolver.__init__(self)


_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    ".inf": float("inf"),
    "+.inf": float("inf"),
    "-.inf": float("-inf"),
    ".nan": float("nan"),
}


def _plain(value: str) -> Any:
    """The value of an unquoted scalar under the YAML 1.2 core schema.

    Only ``true``/``false`` are booleans: framework authors write options and labels such as
    ``no``, ``Yes`` or ``On``, which YAML 1.1 (PyYAML's default) silently turns into booleans.
    Dates stay text. Resolving here, rather than through PyYAML's resolver for every scalar
    while parsing, also roughly halves the parse time.
    """
    if not value:
        return None
    first = value[0]
    if first.isalpha() and first not in "nNtTfF":
        return value
    if value in _SPECIAL:
        return _SPECIAL[value]
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


_SAFE_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in (
        "str",
        "int",
        "float",
        "bool",
        "null",
        "map",
        "seq",
        "timestamp",
        "binary",
        "set",
        "omap",
        "pairs",
        "merge",
        "value",
    )
}


# --------------------------------------------------------------------------- positions
def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_STR_TAG = "tag:yaml.org,2002:str"


class _Builder:
    """One pass over libyaml's node tree: the plain value, the source positions, and the
    problems (unsafe tags, duplicate keys). PyYAML's own constructor is pure Python and would
    walk the tree a second time; this walk builds plain strings directly and hands only other
    scalars (numbers, booleans, dates) to it."""

    def __init__(self, loader: Any, source: SourceMap) -> None:
        self.loader = loader
        self.source = source
        self.values = source.values
        self.keys = source.keys
        self.problems: list[Problem] = []
        self.built: dict[int, Any] = {}

    def build(self, node: yaml.Node, path: Path_) -> Any:
        mark = node.start_mark
        self.values.setdefault(path, (mark.line + 1, mark.column + 1))
        tag = node.tag
        if tag not in _SAFE_TAGS and (
            tag.startswith("tag:yaml.org,2002:python/") or not tag.startswith("tag:yaml.org,2002:")
        ):
            self.problems.append(_tag_problem(node, self.source.file))
            return None
        node_id = id(node)
        if node_id in self.built:  # an alias: the anchor's value (and positions) again
            return self.built[node_id]
        if isinstance(node, yaml.ScalarNode):
            if tag != _STR_TAG:  # an explicit tag (!!int "3"): PyYAML's constructor
                value = self.loader.construct_object(node)
            elif not node.style:  # plain (libyaml says "", the Python parser None)
                value = _plain(node.value)
            else:
                value = node.value
            self.built[node_id] = value
            return value
        if isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            self.built[node_id] = items
            items.extend(self.build(item, (*path, i)) for i, item in enumerate(node.value))
            return items
        mapping: dict[Any, Any] = {}
        self.built[node_id] = mapping
        first_line: dict[Any, int] = {}
        merges: list[yaml.Node] = []
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.tag)
            if key == "<<" and not key_node.style:
                merges.append(value_node)
                continue
            key_mark = key_node.start_mark
            if key in first_line:
                self.problems.append(
                    Problem(
                        code=ProblemCode.DUPLICATE_KEY,
                        message=(
                            f"the key '{key}' is given twice in this mapping (first at line "
                            f"{first_line[key]}). Please either: remove one, or rename it."
                        ),
                        file=self.source.file,
                        line=key_mark.line + 1,
                        column=key_mark.column + 1,
                        loc=".".join(str(p) for p in (*path, key)),
                    )
                )
                continue
            first_line[key] = key_mark.line + 1
            self.keys[(*path, key)] = (key_mark.line + 1, key_mark.column + 1)
            mapping[key] = self.build(value_node, (*path, key))
        for merge in merges:  # '<<: *anchor' (or a list of them): keys not given here
            merged = self.build(merge, path)
            for source in merged if isinstance(merged, list) else [merged]:
                if isinstance(source, dict):
                    for key, value in source.items():
                        mapping.setdefault(key, value)
        return mapping


def _tag_problem(node: yaml.Node, file: str) -> Problem:
    line, col = _mark(node)
    return Problem(
        code=ProblemCode.UNSAFE_TAG,
        message=(
            f"the tag '{node.tag}' is not allowed: framework files hold plain data only. "
            "Please either: remove the tag, or write the value as plain YAML."
        ),
        file=file,
        line=line,
        column=col,
    )


# --------------------------------------------------------------------------- reading
def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The file's text, or the problems that stop it from being read as YAML text."""
    file = _display(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [
            Problem(
                ProblemCode.FILE_NOT_FOUND,
                f"cannot read the file ({exc.strerror}). Please check the path.",
                file=file,
            )
        ]
    if size > MAX_BYTES:
        return None, [
            Problem(
                ProblemCode.FILE_TOO_LARGE,
                f"the file is {size:,} bytes; at most {MAX_BYTES:,} are read. "
                "Please either: split it, or check that it is the right file.",
                file=file,
            )
        ]
    raw = path.read_bytes()
    if b"\x00" in raw:
        return None, [
            Problem(
                ProblemCode.BINARY_FILE,
                "this is a binary file, not YAML text. Please give a .yaml file.",
                file=file,
                line=raw[: raw.index(b"\x00")].count(b"\n") + 1,
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                ProblemCode.NOT_UTF8,
                f"byte 0x{raw[exc.start]:02x} is not UTF-8. Please either: save "
                "the file as UTF-8, or replace the character.",
                file=file,
                line=line,
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return None, [
            Problem(
                ProblemCode.EMPTY_FILE,
                "the file is empty. Please either: fill it in (see the example "
                "framework), or remove it.",
                file=file,
                line=1,
            )
        ]
    return text, []


def parse_yaml(text: str, file: str) -> tuple[Any, SourceMap, list[Problem]]:
    """Parse one YAML document into its plain value and a source map, collecting problems."""
    source = SourceMap(file=file)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            return None, source, [_yaml_problem(exc, file)]
        if node is None:
            return (
                None,
                source,
                [Problem(ProblemCode.EMPTY_FILE, "the file holds no data.", file=file, line=1)],
            )
        builder = _Builder(loader, source)
        try:
            data = builder.build(node, ())
        except yaml.YAMLError as exc:
            return None, source, [_yaml_problem(exc, file)]
        if builder.problems:
            return None, source, builder.problems
    finally:
        loader.dispose()
    return data, source, []


def _yaml_problem(exc: yaml.YAMLError, file: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    what = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    detail = f"{context}: {what}" if context else what
    return Problem(
        code=ProblemCode.YAML_SYNTAX,
        message=(
            f"YAML syntax: {detail}. Please either: fix the indentation or punctuation "
            "there, or quote the text (a ':' or '?' inside an unquoted text often "
            "causes this)."
        ),
        file=file,
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
    )


# --------------------------------------------------------------------------- schema errors
def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation can hold (Annotated, Optional and unions opened)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def _model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class that the value at ``loc`` (a pydantic error loc) is validated as."""
    current: list[Any] = [model]
    for part in loc:
        nxt: list[Any] = []
        for candidate in current:
            origin = typing.get_origin(candidate)
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                fields = candidate.model_fields
                name = next((n for n, f in fields.items() if (f.alias or n) == part), None)
                if name is not None:
                    nxt.extend(_unwrap(fields[name].annotation))
                else:
                    tag_field = fields.get("type")
                    if tag_field is not None and part in typing.get_args(tag_field.annotation):
                        nxt.append(candidate)
            elif origin in (list, Sequence) and isinstance(part, int):
                nxt.extend(_unwrap(typing.get_args(candidate)[0]))
            elif origin in (dict, Mapping) and isinstance(part, str):
                nxt.extend(_unwrap(typing.get_args(candidate)[1]))
        # a discriminated-union tag ('maturity') selects one arm
        tagged = [
            c
            for c in nxt
            if isinstance(c, type)
            and issubclass(c, BaseModel)
            and "type" in c.model_fields
            and part in typing.get_args(c.model_fields["type"].annotation)
        ]
        current = tagged or nxt
        if not current:
            return None
    models = [c for c in current if isinstance(c, type) and issubclass(c, BaseModel)]
    return models[0] if len(models) == 1 else None


def _data_path(data: Any, loc: Sequence[str | int]) -> Path_:
    """The path in the plain data that a pydantic ``loc`` points to (union tags dropped)."""
    path: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        if isinstance(current, dict) and current.get("type") == part and i + 1 < len(loc):
            continue  # the discriminated union's tag, not a key of the data
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            current = None
        path.append(part)
    return tuple(path)


def _schema_problems(
    exc: ValidationError, model: type[BaseModel], data: Any, source: SourceMap
) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        path = _data_path(data, loc)
        kind = error["type"]
        leaf = loc[-1] if loc else ""
        if kind == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            allowed = (
                sorted((f.alias or n) for n, f in parent.model_fields.items()) if parent else []
            )
            close = difflib.get_close_matches(str(leaf), allowed, n=1, cutoff=0.6)
            way = (
                f"rename it to '{close[0]}' (did you mean it?), or remove it"
                if close
                else f"remove it (allowed here: {', '.join(allowed)})"
            )
            if " " in str(leaf):
                way += (
                    "; a key with spaces usually means an unquoted ': ' inside a text, so "
                    "quote that text"
                )
            problems.append(
                source.problem(
                    ProblemCode.UNKNOWN_KEY,
                    path,
                    f"unknown key '{leaf}'. Please either: {way}.",
                    key=True,
                )
            )
        elif kind == "missing":
            if leaf in ("nl", "en"):
                language = "Dutch" if leaf == "nl" else "English"
                problems.append(
                    source.problem(
                        ProblemCode.MISSING_TEXT,
                        path,
                        f"the {language} text '{leaf}' is missing. Please add it: every text needs "
                        "nl and en.",
                    )
                )
            else:
                problems.append(
                    source.problem(
                        ProblemCode.MISSING_KEY,
                        path,
                        f"the key '{leaf}' is required here. Please add it.",
                    )
                )
        elif (
            kind.endswith("_type")
            or kind.endswith("_parsing")
            or kind
            in (
                "model_attributes_type",
                "union_tag_invalid",
                "union_tag_not_found",
            )
        ):
            got = error.get("input")
            shown = repr(got) if not isinstance(got, (dict, list)) else type(got).__name__
            message = error["msg"]
            if kind == "union_tag_invalid":
                path = (*path, "type")
                message = (
                    f"unknown question type {got!r}" if not isinstance(got, dict) else error["msg"]
                )
                message += ". Please use one of: maturity, yes_no, choice, multi, number, text"
            elif kind == "union_tag_not_found":
                message = (
                    "a question needs a 'type'. Please add one of: maturity, yes_no, "
                    "choice, multi, number, text"
                )
            elif isinstance(got, bool) and kind == "string_type":
                message = (
                    f"{message} (got {shown}: YAML reads unquoted yes/no/on/off/true/"
                    "false as a boolean). Please quote it, e.g. 'no'"
                )
            else:
                message = f"{message} (got {shown}). Please correct the value"
            problems.append(source.problem(ProblemCode.WRONG_TYPE, path, message + "."))
        else:
            got = error.get("input")
            shown = repr(got) if not isinstance(got, (dict, list)) else type(got).__name__
            problems.append(
                source.problem(
                    ProblemCode.INVALID_VALUE,
                    path,
                    f"{error['msg']} (got {shown}). Please correct the value.",
                )
            )
    return problems


# --------------------------------------------------------------------------- documents
@dataclass
class LoadedFile:
    """One file: its kind, its model (None when it has errors), its source map and report."""

    path: Path
    kind: Kind | None
    model: Framework | SectorProfile | None
    source: SourceMap
    report: Report


def detect_kind(data: Any) -> Kind | None:
    """A framework has ``sections``; a sector profile has ``frameworks`` and ``nace``."""
    if isinstance(data, dict):
        if "sections" in data:
            return "framework"
        if "frameworks" in data or "nace" in data or "materiality" in data:
            return "profile"
    return None


def _display(path: Path) -> str:
    """The path as users should see it: relative to the working folder where it can be."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_file(path: str | Path, kind: Kind | None = None) -> LoadedFile:
    """Read, parse and validate one file; the rules that need no other file run too."""
    path = Path(path)
    report = Report()
    text, problems = read_text(path)
    source = SourceMap(file=_display(path))
    if text is None:
        report.extend(problems)
        return LoadedFile(path, kind, None, source, report)
    data, source, problems = parse_yaml(text, source.file)
    report.extend(problems)
    if problems:
        return LoadedFile(path, kind, None, source, report)
    if not isinstance(data, dict):
        report.extend(
            [
                source.problem(
                    ProblemCode.NOT_A_MAPPING,
                    (),
                    f"the file holds a {type(data).__name__}, not a mapping of keys. "
                    "Please start it with 'id:' (see the example framework).",
                )
            ]
        )
        return LoadedFile(path, kind, None, source, report)
    kind = kind or detect_kind(data)
    if kind is None:
        report.extend(
            [
                source.problem(
                    ProblemCode.UNKNOWN_KIND,
                    (),
                    "neither a framework (it has no 'sections') nor a sector profile (no "
                    "'frameworks' or 'nace'). Please either: add 'sections', or add "
                    "'frameworks' and 'nace'.",
                )
            ]
        )
        return LoadedFile(path, None, None, source, report)
    model_cls: type[BaseModel] = Framework if kind == "framework" else SectorProfile
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        report.extend(_schema_problems(exc, model_cls, data, source))
        return LoadedFile(path, kind, None, source, report)
    if isinstance(model, Framework):
        report.extend(rules.check_framework(model, source))
    return LoadedFile(path, kind, model, source, report)  # type: ignore[arg-type]


def load_framework(path: str | Path) -> Framework:
    """A framework file as a model; raises ``FrameworkFileError`` listing every problem."""
    loaded = load_file(path, "framework")
    if loaded.model is None or not loaded.report.valid:
        raise FrameworkFileError(loaded.report)
    return loaded.model  # type: ignore[return-value]


def load_profile(path: str | Path) -> SectorProfile:
    """A sector profile file as a model (without the checks that need its frameworks)."""
    loaded = load_file(path, "profile")
    if loaded.model is None or not loaded.report.valid:
        raise FrameworkFileError(loaded.report)
    return loaded.model  # type: ignore[return-value]


# --------------------------------------------------------------------------- catalogue
Model_ = Framework | SectorProfile


@dataclass
class Catalogue:
    """Every valid framework and profile by id (the current versions), every earlier version
    by (kind, id, version) in ``archived``, and the report over all files read."""

    frameworks: dict[str, Framework]
    profiles: dict[str, SectorProfile]
    report: Report
    files: list[LoadedFile]
    #: The earlier versions, or how to read them (``load_catalogue(lazy_versions=True)``).
    _archive: Any = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def archived(self) -> dict[tuple[str, str, str], Model_]:
        """Every earlier version by (kind, id, version), read on first use where lazy."""
        if callable(self._archive):
            with self._lock:
                if callable(self._archive):
                    self._archive = self._archive()
        return self._archive

    def framework(self, framework_id: str, version: str | None = None) -> Framework:
        return resolve(self, "framework", framework_id, version)  # type: ignore[return-value]

    def profile(self, profile_id: str, version: str | None = None) -> SectorProfile:
        return resolve(self, "profile", profile_id, version)  # type: ignore[return-value]

    def versions(self, kind: Kind, model_id: str) -> list[str]:
        """Every version shipped of a framework or profile, oldest first (current last)."""
        return _versions(self, kind, model_id)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _versions(catalogue: Any, kind: Kind, model_id: str) -> list[str]:
    current = (catalogue.frameworks if kind == "framework" else catalogue.profiles).get(model_id)
    found = {
        version
        for (k, i, version) in getattr(catalogue, "archived", {}) or {}
        if k == kind and i == model_id
    }
    if current is not None:
        found.add(current.version)
    return sorted(found, key=_version_key)


class UnknownVersion(KeyError):
    """A framework or profile id, or a version of it, that the catalogue does not ship."""

    def __init__(self, kind: Kind, model_id: str, version: str | None, known: list[str]):
        self.kind, self.model_id, self.version, self.known = kind, model_id, version, known
        what = "framework" if kind == "framework" else "sector profile"
        if version is None or not known:
            text = f"unknown {what} '{model_id}'"
        else:
            text = f"{what} '{model_id}' has no version {version} (shipped: {', '.join(known)})"
        super().__init__(text)


def resolve(catalogue: Any, kind: Kind, model_id: str, version: str | None = None) -> Model_:
    """The one lookup of a framework or sector profile *at a version*: the current model when
    ``version`` is None or the current one, else the archived ``<id>-<version>.yaml``.
    Raises ``UnknownVersion`` (a KeyError naming what is shipped) otherwise. Works on any
    catalogue with ``frameworks``/``profiles`` dicts (``archived`` optional)."""
    current = (catalogue.frameworks if kind == "framework" else catalogue.profiles).get(model_id)
    if current is not None and (version is None or version == current.version):
        return current
    archived = (getattr(catalogue, "archived", None) or {}).get((kind, model_id, version or ""))
    if archived is not None:
        return archived
    known = _versions(catalogue, kind, model_id)
    if not known:
        pool = catalogue.frameworks if kind == "framework" else catalogue.profiles
        err = UnknownVersion(kind, model_id, None, [])
        err.args = (f"{err.args[0]} (known: {', '.join(sorted(pool)) or 'none'})",)
        raise err
    raise UnknownVersion(kind, model_id, version, known)


def passport_models(
    catalogue: Any, passport: Any
) -> tuple[dict[str, Framework], SectorProfile | None]:
    """The base frameworks (every current one, those of the passport's cards at the card's
    ``framework_version``) and the sector profile at the passport's ``profile_version``: what
    a passport document of an earlier version is rendered with. None for a passport without
    a profile (the Start-to-MVO scan names its framework there)."""
    frameworks: dict[str, Framework] = dict(catalogue.frameworks)
    for card in passport.scorecards.values():
        current = frameworks.get(card.framework)
        if current is None or current.version != card.framework_version:
            frameworks[card.framework] = resolve(  # type: ignore[assignment]
                catalogue, "framework", card.framework, card.framework_version
            )
    profile = catalogue.profiles.get(passport.profile) if passport.profile else None
    if profile is not None and profile.version != passport.profile_version:
        profile = resolve(catalogue, "profile", passport.profile, passport.profile_version)
    elif profile is None and passport.profile and passport.profile not in frameworks:
        # a profile only shipped at an earlier version (the scan names its framework here)
        if _versions(catalogue, "profile", passport.profile):
            profile = resolve(catalogue, "profile", passport.profile, passport.profile_version)
    return frameworks, profile  # type: ignore[return-value]


def shipped_paths() -> list[Path]:
    """The framework and profile files that ship with the package (current, then the earlier
    versions), then the extra folders."""
    paths = [
        p
        for p in sorted(FRAMEWORKS_DIR.glob("*.yaml"))
        if p.name not in NOT_SHIPPED and not p.name.startswith("_")
    ]
    paths += sorted(SECTORS_DIR.glob("*.yaml")) if SECTORS_DIR.is_dir() else []
    paths += sorted(VERSIONS_DIR.glob("*.yaml")) if VERSIONS_DIR.is_dir() else []
    for folder in filter(None, os.environ.get("MVO_FRAMEWORKS_DIR", "").split(os.pathsep)):
        folder_path = Path(folder)
        paths += sorted(folder_path.glob("*.yaml")) + sorted(folder_path.glob("*/*.yaml"))
    return paths


def is_archived(path: str | Path) -> bool:
    """A file of an earlier version: it lies in a ``versions`` folder."""
    return Path(path).parent.name == VERSIONS_DIR.name


def _as_archived(problems: Iterable[Problem]) -> list[Problem]:
    """An archived file's problems: its scoring-contract errors become warnings (see
    ``ARCHIVE_TOLERATED``) and the advice it does not repeat (``ARCHIVE_SILENT``) is dropped."""
    return [
        dataclasses.replace(
            p,
            severity="warning",
            message=f"{p.message} (archived version, kept as published)",
        )
        if p.code in ARCHIVE_TOLERATED and p.severity == "error"
        else p
        for p in problems
        if p.code not in ARCHIVE_SILENT
    ]


def _tolerate(loaded: LoadedFile) -> None:
    """An archived file's own report as ``_as_archived`` reads it."""
    problems = _as_archived(loaded.report.problems)
    loaded.report = Report()
    loaded.report.extend(problems)


def _archive_problems(loaded: LoadedFile, current: Model_ | None) -> list[Problem]:
    """An archived file is named ``<id>-<version>.yaml`` and is not the current version."""
    model = loaded.model
    assert model is not None
    problems = []
    expected = f"{model.id}-{model.version}.yaml"
    if loaded.path.name != expected:
        problems.append(
            loaded.source.problem(
                ProblemCode.ARCHIVE_NAME,
                ("version",),
                f"an earlier version is named '<id>-<version>.yaml': this one should be "
                f"'{expected}'. Please rename the file.",
            )
        )
    if current is not None and current.version == model.version:
        problems.append(
            loaded.source.problem(
                ProblemCode.ARCHIVE_NAME,
                ("version",),
                f"version {model.version} of '{model.id}' is the current one, not an earlier "
                "version. Please either: remove this copy, or give the current file a new "
                "version.",
            )
        )
    elif current is not None and _version_key(model.version) > _version_key(current.version):
        problems.append(
            loaded.source.problem(
                ProblemCode.ARCHIVE_NAME,
                ("version",),
                f"version {model.version} of '{model.id}' is newer than the current "
                f"{current.version}. Please either: make it the current file, or correct "
                "the version.",
            )
        )
    return problems


def _frameworks_for(
    profile: SectorProfile, frameworks: dict[str, Framework], archived: dict
) -> dict[str, Framework]:
    """The frameworks an archived profile is checked against: an included framework at the
    version the profile names, else at the profile's own version where that is shipped
    (profiles and frameworks were published together), else the current one."""
    out = dict(frameworks)
    for ref in profile.frameworks:
        for version in (ref.version, profile.version):
            model = archived.get(("framework", ref.id, version)) if version else None
            if model is not None:
                out[ref.id] = model
                break
    return out


def load_catalogue(
    paths: Iterable[str | Path] | None = None, *, lazy_versions: bool = False
) -> Catalogue:
    """Load ``paths`` (default: every shipped file) and run every rule across them.

    A later file with the same id replaces an earlier one (a federation's own kwaliteitswijzer
    in ``MVO_FRAMEWORKS_DIR`` replaces the shipped one); the replacement is reported as a
    warning so that nobody is surprised by it, and a replaced file of another version stays
    available as an earlier version (its assessments keep it). Files in a ``versions`` folder
    are earlier versions (``resolve``); with ``lazy_versions`` they are read and checked the
    first time ``Catalogue.archived`` is asked (the app's shared catalogue: most requests are
    on the current versions, and reading them all doubles the start-up), their problems then
    added to ``report``.
    """
    all_paths = list(shipped_paths() if paths is None else paths)
    files = [load_file(p) for p in all_paths if not is_archived(p)]
    report = Report()
    frameworks: dict[str, Framework] = {}
    profiles: dict[str, SectorProfile] = {}
    owners: dict[tuple[str, str], LoadedFile] = {}
    replaced: dict[tuple[str, str, str], Model_] = {}
    for loaded in files:
        report.extend(loaded.report.problems)
        model = loaded.model
        if model is None or not loaded.report.valid:
            continue
        key = (loaded.kind or "", model.id)
        if key in owners:
            report.extend(
                [
                    loaded.source.problem(
                        ProblemCode.DUPLICATE_FILE_ID,
                        ("id",),
                        f"this {loaded.kind} id '{model.id}' replaces the one in "
                        f"{owners[key].path}. Please either: keep it (intended replacement), "
                        "or give it another id.",
                        "warning",
                    )
                ]
            )
            before = owners[key].model
            if before is not None and before.version != model.version:
                replaced.setdefault((key[0], model.id, before.version), before)
        owners[key] = loaded
        if isinstance(model, Framework):
            frameworks[model.id] = model
        else:
            profiles[model.id] = model
    for (kind, _), loaded in list(owners.items()):
        if kind == "framework":
            problems = list(rules.check_cross_references(loaded.model, frameworks, loaded.source))
            loaded.report.extend(problems)
            report.extend(problems)
        if kind == "profile":
            problems = list(rules.check_profile(loaded.model, frameworks, loaded.source))
            loaded.report.extend(problems)
            report.extend(problems)
            if any(p.severity == "error" for p in problems):
                profiles.pop(loaded.model.id, None)
    overlap = list(
        rules.check_nace_overlaps(
            [(o.model, o.source) for (kind, _), o in owners.items() if kind == "profile"]
        )
    )
    report.extend(overlap)
    catalogue = Catalogue(frameworks=frameworks, profiles=profiles, report=report, files=files)
    archive_paths = [p for p in all_paths if is_archived(p)]

    def load_versions() -> dict[tuple[str, str, str], Model_]:
        archived = dict(replaced)
        archived.update(_load_versions(archive_paths, catalogue))
        return archived

    catalogue._archive = load_versions
    if not lazy_versions:
        catalogue.archived  # noqa: B018 (read now: the report holds their problems)
    return catalogue


def _load_versions(
    paths: list[str | Path], catalogue: Catalogue
) -> dict[tuple[str, str, str], Model_]:
    """Read and check the earlier versions (``ARCHIVE_TOLERATED`` as warnings), adding their
    files and problems to ``catalogue``; the valid ones by (kind, id, version)."""
    frameworks, profiles, report = catalogue.frameworks, catalogue.profiles, catalogue.report
    archived: dict[tuple[str, str, str], Model_] = {}
    loaded_files = [load_file(p) for p in paths]
    catalogue.files.extend(loaded_files)
    for loaded in loaded_files:
        _tolerate(loaded)
        report.extend(loaded.report.problems)
        model = loaded.model
        if model is None or not loaded.report.valid:
            continue
        pool = frameworks if loaded.kind == "framework" else profiles
        problems = _archive_problems(loaded, pool.get(model.id))
        loaded.report.extend(problems)
        report.extend(problems)
        if not problems:
            archived[(loaded.kind or "", model.id, model.version)] = model
    for loaded in loaded_files:
        model = loaded.model
        key = (loaded.kind or "", model.id, model.version) if model is not None else None
        if key not in archived:
            continue
        if isinstance(model, Framework):
            problems = list(
                rules.check_cross_references(model, {**frameworks, model.id: model}, loaded.source)
            )
        else:
            problems = list(
                rules.check_profile(
                    model, _frameworks_for(model, frameworks, archived), loaded.source
                )
            )
        problems = _as_archived(problems)
        loaded.report.extend(problems)
        report.extend(problems)
        if any(p.severity == "error" for p in problems):
            archived.pop(key, None)
    return archived


@lru_cache(maxsize=1)
def shipped_catalogue() -> Catalogue:
    """The shipped catalogue, loaded once per process (the app and the CLI share it); its
    earlier versions are read the first time one is asked for."""
    return load_catalogue(lazy_versions=True)
