"""The rulebook: filing kinds, their fields and the deadline rules, loaded from YAML.

A deployment changes its ordinance's rules by pointing RULEBOOK_PATH at its own
file. Loading checks the whole file and reports every problem by its place in
the file, so a bad rulebook stops the portal at start-up instead of misleading
a clerk later.

Every text a person reads (names, labels, descriptions, help) is either a plain
string, in the default language, or a mapping of language code to string, e.g.
`label: {en: Surveillance use policy, es: Política de uso de vigilancia}`. Pages
show the text in the active language, else in the default one. What is stored or
indexed uses the default-language text (`default_label`), so it does not depend
on the language of the request that wrote it.
"""

import datetime
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language, get_supported_language_variant

FIELD_TYPES = {"text", "markdown", "date", "integer", "decimal", "choice"}
INVENTORY_STATUSES = {"proposed", "approved", "in_use", "retired"}
INVENTORY_DATE_FIELDS = (
    "proposed_on",
    "planned_acquisition_on",
    "approved_on",
    "in_use_since",
    "retired_on",
)
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
KIND_KEYS = {
    "label",
    "description",
    "requires_technology",
    "requires_reporting_period",
    "requires_contract_details",
    "min_documents",
    "approver_signoff",
    "fields",
}
FIELD_KEYS = {"name", "label", "type", "required", "help", "choices"}
DEADLINE_KEYS = {
    "annual": {"kind", "rule", "applies_to", "due", "extension", "lookback_years"},
    "before_date": {"kind", "rule", "applies_to", "anchor", "extension"},
}


class RulebookError(ImproperlyConfigured):
    """The rulebook file is unusable; the message lists every problem found."""


def _default_language() -> str:
    """The code in LANGUAGES that LANGUAGE_CODE names (en for en-us)."""
    return get_supported_language_variant(settings.LANGUAGE_CODE).lower()


@dataclass(frozen=True)
class Text:
    """A text a person reads, in one or more languages; the default language always comes first."""

    by_language: tuple[tuple[str, str], ...]

    @classmethod
    def plain(cls, text: str) -> "Text":
        return cls(((_default_language(), text),))

    @property
    def default(self) -> str:
        """The default-language text: the one stored, hashed or indexed."""
        return self.by_language[0][1]

    def in_language(self, language: str | None) -> str:
        """The text in `language` (or its base language, es for es-mx), else the default."""
        texts = dict(self.by_language)
        language = (language or "").lower()
        return texts.get(language) or texts.get(language.split("-")[0]) or self.default

    def __str__(self) -> str:
        return self.in_language(get_language())


@dataclass(frozen=True)
class FieldRule:
    name: str
    label_text: Text
    type: str
    required: bool
    help_text: Text
    choices: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return str(self.label_text)

    @property
    def default_label(self) -> str:
        return self.label_text.default

    @property
    def help(self) -> str:
        return str(self.help_text)


@dataclass(frozen=True)
class Kind:
    slug: str
    label_text: Text
    description_text: Text
    fields: tuple[FieldRule, ...]
    requires_technology: bool = False
    requires_reporting_period: bool = False
    requires_contract_details: bool = False
    min_documents: int = 0
    approver_signoff: bool = False

    @property
    def label(self) -> str:
        """The kind's name in the active language, for pages."""
        return str(self.label_text)

    @property
    def default_label(self) -> str:
        """The kind's name in the default language, for what is stored or indexed."""
        return self.label_text.default

    @property
    def description(self) -> str:
        return str(self.description_text)

    def field(self, name: str) -> FieldRule | None:
        return next((rule for rule in self.fields if rule.name == name), None)


@dataclass(frozen=True)
class Extension:
    days: int
    max: int


@dataclass(frozen=True)
class DeadlineRule:
    kind: str
    rule: str
    applies_to: tuple[str, ...]
    due_month: int = 0
    due_day: int = 0
    anchor: tuple[str, ...] = ()
    extension: Extension | None = None
    lookback_years: int = 3


@dataclass(frozen=True)
class Rulebook:
    name_text: Text
    ordinance_text: Text
    kinds: dict[str, Kind]
    deadlines: tuple[DeadlineRule, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return str(self.name_text)

    @property
    def ordinance(self) -> str:
        return str(self.ordinance_text)

    def kind(self, slug: str) -> Kind:
        try:
            return self.kinds[slug]
        except KeyError:
            known = ", ".join(sorted(self.kinds))
            raise UnknownKind(f"unknown filing kind {slug!r}; this rulebook has: {known}") from None

    def choices(self) -> list[tuple[str, str]]:
        """(slug, label) of every kind, labels in the active language."""
        return [(kind.slug, kind.label) for kind in self.kinds.values()]

    def deadline_rules_for(self, kind_slug: str) -> list[DeadlineRule]:
        return [rule for rule in self.deadlines if rule.kind == kind_slug]


class UnknownKind(LookupError):
    """A filing names a kind the rulebook does not define."""


class _Problems:
    def __init__(self):
        self.messages: list[str] = []

    def add(self, where: str, message: str):
        self.messages.append(f"{where}: {message}")


def _check_keys(problems, where, mapping, allowed):
    for key in sorted(set(mapping) - allowed):
        problems.add(where, f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")


def _text(problems, where, raw, *, required: bool) -> Text:
    """A plain string or a {language code: string} mapping, as a Text; `required`: not empty."""
    if raw is None or isinstance(raw, str):
        if required and not (raw or "").strip():
            problems.add(where, "must not be empty")
        return Text.plain(raw or "")
    if not isinstance(raw, dict):
        problems.add(where, "must be a text or a mapping of language code to text")
        return Text.plain("")
    default = _default_language()
    languages = {code.lower() for code, _name in settings.LANGUAGES}
    texts = {}
    for code, text in raw.items():
        if not isinstance(code, str) or code.lower() not in languages:
            problems.add(
                where,
                f"unknown language code {code!r} (the portal's languages: "
                f"{', '.join(sorted(languages))})",
            )
        elif not isinstance(text, str):
            problems.add(f"{where}.{code}", f"must be a text, not {text!r}")
        elif required and not text.strip():
            problems.add(f"{where}.{code}", "must not be empty")
        else:
            texts[code.lower()] = text
    if default not in {str(code).lower() for code in raw}:
        problems.add(where, f"no text for the default language {default!r}")
    if default not in texts:
        return Text.plain("")
    # The default language first, so a text always has one to fall back on.
    return Text(((default, texts.pop(default)), *sorted(texts.items())))


def _bool(problems, where, value):
    if not isinstance(value, bool):
        problems.add(where, f"must be true or false, not {value!r}")
        return False
    return value


def _parse_field(problems, where, raw) -> FieldRule | None:
    if not isinstance(raw, dict):
        problems.add(where, "each field must be a mapping with name, label and type")
        return None
    _check_keys(problems, where, raw, FIELD_KEYS)
    name = raw.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        problems.add(where, f"name {name!r} must be lower_snake_case letters, digits and _")
        return None
    where = f"{where} ({name})"
    type_ = raw.get("type")
    if type_ not in FIELD_TYPES:
        problems.add(where, f"type {type_!r} is not one of {', '.join(sorted(FIELD_TYPES))}")
    label = _text(problems, f"{where}.label", raw.get("label"), required=True)
    choices = raw.get("choices", [])
    if type_ == "choice" and (
        not isinstance(choices, list) or not choices or not all(isinstance(c, str) for c in choices)
    ):
        problems.add(where, "a choice field needs a non-empty list of choices")
        choices = []
    if type_ != "choice" and choices:
        problems.add(where, "only a choice field may have choices")
    return FieldRule(
        name=name,
        label_text=label,
        type=str(type_),
        required=_bool(problems, f"{where}.required", raw.get("required", False)),
        help_text=_text(problems, f"{where}.help", raw.get("help"), required=False),
        choices=tuple(choices or ()),
    )


def _parse_kind(problems, slug, raw) -> Kind | None:
    where = f"kinds.{slug}"
    if not NAME_PATTERN.match(str(slug)):
        problems.add(where, "a kind's key must be lower_snake_case")
        return None
    if not isinstance(raw, dict):
        problems.add(where, "must be a mapping")
        return None
    _check_keys(problems, where, raw, KIND_KEYS)
    fields_raw = raw.get("fields", [])
    if not isinstance(fields_raw, list):
        problems.add(f"{where}.fields", "must be a list")
        fields_raw = []
    fields = []
    for index, field_raw in enumerate(fields_raw):
        parsed = _parse_field(problems, f"{where}.fields[{index}]", field_raw)
        if parsed:
            fields.append(parsed)
    names = [rule.name for rule in fields]
    for duplicate in sorted({name for name in names if names.count(name) > 1}):
        problems.add(f"{where}.fields", f"field {duplicate!r} is defined more than once")
    min_documents = raw.get("min_documents", 0)
    if not isinstance(min_documents, int) or isinstance(min_documents, bool) or min_documents < 0:
        problems.add(
            f"{where}.min_documents", f"must be a whole number >= 0, not {min_documents!r}"
        )
        min_documents = 0
    label = _text(problems, f"{where}.label", raw.get("label"), required=True)
    description = _text(problems, f"{where}.description", raw.get("description"), required=False)
    flags = {
        key: _bool(problems, f"{where}.{key}", raw.get(key, False))
        for key in (
            "requires_technology",
            "requires_reporting_period",
            "requires_contract_details",
            "approver_signoff",
        )
    }
    return Kind(
        slug=slug,
        label_text=label,
        description_text=description,
        fields=tuple(fields),
        min_documents=min_documents,
        **flags,
    )


def _parse_extension(problems, where, raw) -> Extension | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) != {"days", "max"}:
        problems.add(where, "must be a mapping with exactly days and max")
        return None
    days, most = raw["days"], raw["max"]
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (days, most)):
        problems.add(where, "days and max must be whole numbers above 0")
        return None
    return Extension(days=days, max=most)


def _parse_deadline(problems, index, raw, kinds) -> DeadlineRule | None:
    where = f"deadlines[{index}]"
    if not isinstance(raw, dict):
        problems.add(where, "must be a mapping")
        return None
    rule = raw.get("rule")
    if rule not in DEADLINE_KEYS:
        problems.add(where, f"rule {rule!r} is not one of {', '.join(sorted(DEADLINE_KEYS))}")
        return None
    _check_keys(problems, where, raw, DEADLINE_KEYS[rule])
    kind = raw.get("kind")
    if kind not in kinds:
        problems.add(f"{where}.kind", f"{kind!r} is not a kind defined under kinds")
    applies_to = raw.get("applies_to")
    if not isinstance(applies_to, list) or not applies_to:
        problems.add(f"{where}.applies_to", "must list inventory statuses")
        applies_to = []
    for status in applies_to:
        if status not in INVENTORY_STATUSES:
            problems.add(
                f"{where}.applies_to",
                f"{status!r} is not an inventory status ({', '.join(sorted(INVENTORY_STATUSES))})",
            )
    extension = _parse_extension(problems, f"{where}.extension", raw.get("extension"))
    if rule == "annual":
        due = raw.get("due")
        if not isinstance(due, dict) or set(due) != {"month", "day"}:
            problems.add(f"{where}.due", "must be a mapping with month and day")
            return None
        try:
            datetime.date(2025, due["month"], due["day"])  # a non-leap year: no Feb 29
        except (TypeError, ValueError):
            problems.add(f"{where}.due", f"month {due['month']!r} day {due['day']!r} is no date")
            return None
        lookback = raw.get("lookback_years", 3)
        if not isinstance(lookback, int) or isinstance(lookback, bool) or not 0 < lookback <= 50:
            problems.add(f"{where}.lookback_years", "must be a whole number from 1 to 50")
            lookback = 3
        return DeadlineRule(
            kind=str(kind),
            rule=rule,
            applies_to=tuple(applies_to),
            extension=extension,
            due_month=due["month"],
            due_day=due["day"],
            lookback_years=lookback,
        )
    anchor = raw.get("anchor")
    if isinstance(anchor, str):
        anchor = [anchor]
    if not isinstance(anchor, list) or not anchor:
        problems.add(f"{where}.anchor", "must name one or more inventory date fields")
        return None
    for name in anchor:
        if name not in INVENTORY_DATE_FIELDS:
            problems.add(
                f"{where}.anchor",
                f"{name!r} is not a date field of an inventory entry "
                f"(choose from {', '.join(INVENTORY_DATE_FIELDS)})",
            )
    return DeadlineRule(
        kind=str(kind),
        rule=rule,
        applies_to=tuple(applies_to),
        extension=extension,
        anchor=tuple(anchor),
    )


def parse_rulebook(data, source: str = "rulebook") -> Rulebook:
    """Build a Rulebook from parsed YAML, or raise RulebookError listing every problem."""
    problems = _Problems()
    if not isinstance(data, dict):
        raise RulebookError(f"{source}: the file must hold a mapping with kinds and deadlines")
    _check_keys(problems, "top level", data, {"name", "ordinance", "kinds", "deadlines"})
    name = _text(problems, "name", data.get("name"), required=False)
    ordinance = _text(problems, "ordinance", data.get("ordinance"), required=False)
    kinds_raw = data.get("kinds")
    if not isinstance(kinds_raw, dict) or not kinds_raw:
        problems.add("kinds", "must define at least one filing kind")
        kinds_raw = {}
    kinds = {}
    for slug, raw in kinds_raw.items():
        parsed = _parse_kind(problems, slug, raw)
        if parsed:
            kinds[slug] = parsed
    deadlines_raw = data.get("deadlines", [])
    if not isinstance(deadlines_raw, list):
        problems.add("deadlines", "must be a list")
        deadlines_raw = []
    deadlines = []
    for index, raw in enumerate(deadlines_raw):
        parsed = _parse_deadline(problems, index, raw, kinds_raw)
        if parsed:
            deadlines.append(parsed)
    if problems.messages:
        listing = "\n  - ".join(problems.messages)
        raise RulebookError(f"{source} has {len(problems.messages)} problem(s):\n  - {listing}")
    return Rulebook(
        name_text=name if name.default else Text.plain(source),
        ordinance_text=ordinance,
        kinds=kinds,
        deadlines=tuple(deadlines),
    )


def load_rulebook(path: Path) -> Rulebook:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise RulebookError(
            f"cannot read the rulebook at {path} ({error.strerror}); "
            "set RULEBOOK_PATH to a readable YAML file"
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RulebookError(f"{path} is not valid YAML: {error}") from None
    return parse_rulebook(data, source=str(path))


@functools.cache
def _load_cached(path: str) -> Rulebook:
    return load_rulebook(Path(path))


def get_rulebook() -> Rulebook:
    """The deployment's rulebook, loaded once per process."""
    return _load_cached(str(settings.RULEBOOK_PATH))
