"""The portal's query language, parsed into a small tree every backend compiles.

Users type words, "exact phrases", AND / OR / NOT, -exclusion, prefix*, and
field filters (agency:, technology:, vendor:, kind:, year:). Parsing never
fails: whatever cannot be understood becomes plain words, and engine syntax
is never passed through to an engine.
"""

from dataclasses import dataclass, field

FILTER_FIELDS = ("agency", "technology", "vendor", "kind", "year")
MAX_QUERY_LENGTH = 1000
MAX_TERMS = 32


@dataclass(frozen=True)
class Term:
    """One word; `prefix` means the user wrote word* and wants every word starting so."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class Not:
    node: "Node"


@dataclass(frozen=True)
class And:
    nodes: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    nodes: tuple["Node", ...]


Node = Term | Phrase | Not | And | Or


@dataclass(frozen=True)
class ParsedQuery:
    """The text part as a tree (None: match everything) and the field filters found in it."""

    root: Node | None
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
