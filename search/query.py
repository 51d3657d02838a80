"""The portal's query language, parsed into a small tree every backend compiles.

Users type words, "exact phrases", AND / OR / NOT, -exclusion, prefix*, and
field filters (agency:, technology:, vendor:, kind:, year:). Parsing never
fails: whatever cannot be understood becomes plain words, and engine syntax
is never passed through to an engine.

The language, with the choices made where a search box leaves room for them:

- Text is NFKC-normalised first (fullwidth letters, ligatures, ①, typed on
  phones and CJK keyboards, become ordinary ones) and words are lower-cased.
- A word is a run of letters and digits in any script; the combining marks
  that follow a letter stay in its word, since Devanagari and other scripts
  spell with them. Every other character separates words.
- Characters joined without a space form one phrase: face-recognition,
  10.5 and foo:bar search for the phrases "face recognition", "10 5" and
  "foo bar". So engine syntax such as title:[* TO *] or field:value~2 only
  ever reaches an engine as plain words.
- "Double" or “curly” quotes make a phrase; a one-word phrase is that word.
  A quote left open runs to the end of the search (with a note), as it does
  on the big web search engines.
- Upper-case AND, OR and NOT are operators; lower-case and/or/not are words
  (engines decide about stopwords). Implicit and explicit AND bind loosest,
  then OR, then NOT and -, so `a b OR c` means a AND (b OR c), as on Google,
  and `NOT a OR b` means (NOT a) OR b. Parentheses group. A query can be
  wholly negative (`-drone`): the root is then a Not, "everything except".
- word* searches for every word starting so; at least 2 characters must come
  before the *, or the word is searched as it is. A * anywhere else (alone,
  before a word, inside a phrase) is ignored.
- agency:, technology:, vendor:, kind: and year: (any case) take a value
  written plainly or in quotes; values are lower-cased as typed. Several
  values of one field match any of them; a filter always applies to the
  whole search (also when written inside OR or parentheses) and cannot be
  excluded. year: takes exactly 4 digits. Other names before a colon are
  words.
- Dangling operators, unmatched parentheses, empty quotes or parentheses,
  bad filters and over-long input are dropped or repaired, each with a
  human-readable note for the search page.
- The tree is normalised: nested And/And and Or/Or are flattened, repeated
  siblings and empty nodes dropped, a single child replaces its And/Or, and
  NOT NOT x is x.

`describe` renders a tree (or a whole ParsedQuery) back as the canonical
query that parses to the same tree and filters.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext

FILTER_FIELDS = ("agency", "technology", "vendor", "kind", "year")
MAX_QUERY_LENGTH = 1000
MAX_TERMS = 32
# Shorter prefixes match most of the vocabulary and make engines expand huge term lists.
MIN_PREFIX_LENGTH = 2
# No one means ten levels of parentheses; the cap also bounds the parser's recursion.
MAX_NESTING = 10


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


def parse_query(raw: str) -> ParsedQuery:
    """Read what a person typed into the tree and filters; never raises."""
    notes: list[str] = []
    text = _clean(raw, notes)
    tokens = _balance_parentheses(_Lexer(text, notes).tokens(), notes)
    parser = _Parser(tokens, notes, word_budget=MAX_TERMS)
    root = parser.parse()
    filters = parser.filters()
    if parser.words_dropped:
        notes.append(
            gettext("Only the first %(count)d words were searched for") % {"count": MAX_TERMS}
        )
    if len(_describe_query(root, filters)) > MAX_QUERY_LENGTH:
        root, filters = _shorten(tokens, filters)
        notes.append(
            gettext("Shortened the search to fit %(count)d characters")
            % {"count": MAX_QUERY_LENGTH}
        )
    return ParsedQuery(root=root, filters=filters, notes=tuple(dict.fromkeys(notes)))


def describe(query: Node | ParsedQuery | None) -> str:
    """The canonical query string for a tree, or for a ParsedQuery with its filters."""
    if isinstance(query, ParsedQuery):
        return _describe_query(query.root, query.filters)
    return "" if query is None else _describe_node(query)


# --- Cleaning ---------------------------------------------------------------------------

_QUOTES = '"“”„'
_QUOTE = re.compile(f"[{_QUOTES}]")
_SPACE_RUN = re.compile(r"\s+")
_CHUNK = re.compile(rf"[^\s(){_QUOTES}]+")
# Zero-width space separates words in Thai and Khmer text, so it must not join them.
_ZERO_WIDTH_SPACE = "\u200b"


def _clean(raw: str, notes: list[str]) -> str:
    """Cut to length, drop control and invisible format characters, normalise (NFKC)."""
    if len(raw) > MAX_QUERY_LENGTH:
        notes.append(
            gettext("Only the first %(count)d characters of the search were used")
            % {"count": MAX_QUERY_LENGTH}
        )
        raw = _cut_before_partial_word(raw, MAX_QUERY_LENGTH)
    characters = []
    for char in raw:
        if char.isspace() or char == _ZERO_WIDTH_SPACE:
            characters.append(" ")
        elif unicodedata.category(char) not in ("Cc", "Cf", "Cs"):
            characters.append(char)
    return unicodedata.normalize("NFKC", "".join(characters))


def _cut_before_partial_word(text: str, length: int) -> str:
    """The first `length` characters, less the word the cut would leave a fragment of."""
    if text[length].isspace():
        return text[:length]
    for index in range(length - 1, -1, -1):
        if text[index].isspace():
            return text[:index]
    return text[:length]


def _fold(text: str) -> str:
    """Lower-case and NFKC-normalise until stable, so a folded word folds to itself."""
    for _ in range(4):
        folded = unicodedata.normalize("NFKC", text.lower())
        if folded == text:
            break
        text = folded
    return text


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def _scan_words(text: str) -> tuple[list[str], list[bool], bool]:
    """Words in `text`, whether a * follows each, and whether a * follows no word."""
    words: list[str] = []
    starred: list[bool] = []
    stray_star = False
    position, end = 0, len(text)
    while position < end:
        char = text[position]
        if not char.isalnum():
            stray_star = stray_star or char == "*"
            position += 1
            continue
        word_end = position + 1
        while word_end < end and (text[word_end].isalnum() or _is_mark(text[word_end])):
            word_end += 1
        stars_end = word_end
        while stars_end < end and text[stars_end] == "*":
            stars_end += 1
        words.append(text[position:word_end])
        starred.append(stars_end > word_end)
        position = stars_end
    return words, starred, stray_star


def _stray(operator: str) -> str:
    """The note for an operator (AND, OR, NOT or -) with nothing to apply to."""
    return gettext("Ignored a stray %(operator)s") % {"operator": operator}


def _echo(text: str) -> str:
    """User text quoted in a note, kept short enough for the search page."""
    return text if len(text) <= 40 else text[:39] + "…"


# --- Tokens -----------------------------------------------------------------------------

_WORDS, _FILTER, _AND, _OR, _NOT, _NEGATE, _OPEN, _CLOSE = (
    "words",
    "filter",
    "AND",
    "OR",
    "NOT",
    "-",
    "(",
    ")",
)
_OPERATORS = {"AND": _AND, "OR": _OR, "NOT": _NOT}
_OPERAND_STARTS = frozenset({_WORDS, _FILTER, _NOT, _NEGATE, _OPEN})
_FILTER_SYNTAX = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)
_VALUE_PUNCTUATION = "-_.&'"


@dataclass(frozen=True)
class _Token:
    kind: str
    # _WORDS: the words (empty for empty quotes) and whether a single word ends in *.
    words: tuple[str, ...] = ()
    prefix: bool = False
    # _FILTER: the field, and its value; None when the value was unusable (already noted).
    field_name: str = ""
    value: str | None = None


class _Lexer:
    def __init__(self, text: str, notes: list[str]):
        self.text = text
        self.position = 0
        self.notes = notes

    def tokens(self) -> list[_Token]:
        tokens: list[_Token] = []
        text = self.text
        while self.position < len(text):
            char = text[self.position]
            if char.isspace():
                self.position = _SPACE_RUN.match(text, self.position).end()
            elif char in "()":
                tokens.append(_Token(_OPEN if char == "(" else _CLOSE))
                self.position += 1
            elif char in _QUOTES:
                tokens.append(self._quoted_phrase())
            else:
                chunk = _CHUNK.match(text, self.position).group()
                self.position += len(chunk)
                tokens.extend(self._chunk_tokens(chunk))
        return tokens

    def _next_char_is_one_of(self, chars: str) -> bool:
        return self.position < len(self.text) and self.text[self.position] in chars

    def _read_quoted(self) -> str:
        """The text between the quote at the current position and the next quote."""
        start = self.position + 1
        closing = _QUOTE.search(self.text, start)
        if closing is None:
            self.notes.append(gettext("Closed a quote left open at the end of the search"))
            self.position = len(self.text)
            return self.text[start:]
        self.position = closing.end()
        return self.text[start : closing.start()]

    def _quoted_phrase(self) -> _Token:
        content = _fold(self._read_quoted())
        words, _, _ = _scan_words(content)
        if "*" in content:
            self.notes.append(gettext("Ignored * inside quotes: a phrase matches whole words"))
        if not words:
            self.notes.append(gettext("Ignored empty quotes"))
        return _Token(_WORDS, words=tuple(words))

    def _chunk_tokens(self, chunk: str) -> list[_Token]:
        if chunk in _OPERATORS:
            return [_Token(_OPERATORS[chunk])]
        if chunk == "-":
            if self._next_char_is_one_of("(" + _QUOTES):
                return [_Token(_NEGATE)]
            self.notes.append(_stray("-"))
            return []
        if chunk[0] == "-" and chunk[1].isalnum():
            return [_Token(_NEGATE), *self._operand_tokens(chunk[1:])]
        return self._operand_tokens(chunk)

    def _operand_tokens(self, chunk: str) -> list[_Token]:
        filter_syntax = _FILTER_SYNTAX.fullmatch(chunk)
        if filter_syntax and filter_syntax[1].lower() in FILTER_FIELDS:
            value = filter_syntax[2]
            if not value and self._next_char_is_one_of(_QUOTES):
                value = self._read_quoted()
            return [self._filter_token(filter_syntax[1].lower(), value)]
        folded = _fold(chunk)
        words, starred, stray_star = _scan_words(folded)
        if stray_star:
            self.notes.append(gettext("Ignored a * that did not follow a word"))
        if not words:
            return []
        if len(words) > 1:
            if any(starred):
                self.notes.append(
                    gettext("A * works only at the end of a single word; ignored it in '%(text)s'")
                    % {"text": _echo(folded)}
                )
            return [_Token(_WORDS, words=tuple(words))]
        prefix = starred[0]
        if prefix and len(words[0]) < MIN_PREFIX_LENGTH:
            self.notes.append(
                gettext(
                    "'%(word)s*' is too short to search for words starting so;"
                    " searched for '%(word)s'"
                )
                % {"word": words[0]}
            )
            prefix = False
        return [_Token(_WORDS, words=(words[0],), prefix=prefix)]

    def _filter_token(self, field_name: str, typed: str) -> _Token:
        value = " ".join(_fold(typed).split()).strip(_VALUE_PUNCTUATION + " ")
        if not value:
            self.notes.append(gettext("Ignored an empty %(field)s: filter") % {"field": field_name})
            return _Token(_FILTER, field_name=field_name)
        if field_name == "year":
            if len(value) == 4 and value.isdecimal():
                digits = "".join(str(unicodedata.decimal(digit)) for digit in value)
                return _Token(_FILTER, field_name=field_name, value=digits)
            self.notes.append(
                gettext("Year filter '%(value)s' is not a year") % {"value": _echo(value)}
            )
            return _Token(_FILTER, field_name=field_name)
        if not all(_is_filter_name_part(part) for part in value.split(" ")):
            self.notes.append(
                gettext(
                    "Ignored the %(field)s filter '%(value)s': use a name such as"
                    ' %(field)s:police or %(field)s:"police department"'
                )
                % {"field": field_name, "value": _echo(value)}
            )
            return _Token(_FILTER, field_name=field_name)
        return _Token(_FILTER, field_name=field_name, value=value)


def _is_filter_name_part(part: str) -> bool:
    return part[0].isalnum() and all(
        char.isalnum() or _is_mark(char) or char in _VALUE_PUNCTUATION for char in part
    )


def _balance_parentheses(tokens: list[_Token], notes: list[str]) -> list[_Token]:
    """Drop unmatched and too deeply nested parentheses, close those left open."""
    balanced: list[_Token] = []
    open_count = 0
    for token in tokens:
        if token.kind == _CLOSE:
            if not open_count:
                notes.append(gettext("Ignored an unmatched )"))
                continue
            open_count -= 1
        elif token.kind == _OPEN:
            open_count += 1
        balanced.append(token)
    if open_count:
        notes.append(gettext("Closed a ( left open at the end of the search"))
        balanced.extend([_Token(_CLOSE)] * open_count)
    shallow: list[_Token] = []
    depth = 0
    for token in balanced:
        if token.kind == _OPEN:
            depth += 1
        if token.kind not in (_OPEN, _CLOSE) or depth <= MAX_NESTING:
            shallow.append(token)
        else:
            notes.append(
                gettext("Ignored parentheses nested more than %(count)d deep")
                % {"count": MAX_NESTING}
            )
        if token.kind == _CLOSE:
            depth -= 1
    return shallow


# --- Parsing ----------------------------------------------------------------------------


class _Parser:
    """Recursive descent over balanced tokens: sequence := alternatives+, alternatives :=
    unary (OR unary)*, unary := (NOT | -)* primary, primary := words | filter | ( sequence )."""

    def __init__(self, tokens: list[_Token], notes: list[str], word_budget: int):
        self.tokens = tokens
        self.position = 0
        self.notes = notes
        self.words_left = word_budget
        self.words_dropped = False
        self.filter_values: dict[str, dict[str, None]] = {}

    def parse(self) -> Node | None:
        return self._sequence(negated=False)

    def filters(self) -> dict[str, tuple[str, ...]]:
        return {
            name: tuple(self.filter_values[name])
            for name in FILTER_FIELDS
            if self.filter_values.get(name)
        }

    def _peek(self) -> str | None:
        return self.tokens[self.position].kind if self.position < len(self.tokens) else None

    def _operand_follows(self) -> bool:
        return self._peek() in _OPERAND_STARTS

    def _sequence(self, negated: bool) -> Node | None:
        """Operands joined by implicit or explicit AND, up to a ) or the end."""
        nodes: list[Node | None] = []
        while (kind := self._peek()) not in (None, _CLOSE):
            if kind in (_AND, _OR):
                self.position += 1
                if kind == _OR or not nodes or not self._operand_follows():
                    self.notes.append(_stray(kind))
                continue
            nodes.append(self._alternatives(negated))
        return _and(nodes)

    def _alternatives(self, negated: bool) -> Node | None:
        nodes = [self._unary(negated)]
        while self._peek() == _OR:
            self.position += 1
            if self._operand_follows():
                nodes.append(self._unary(negated))
            else:
                self.notes.append(_stray(_OR))
        return _or(nodes)

    def _unary(self, negated: bool) -> Node | None:
        negations = 0
        while (kind := self._peek()) in (_NOT, _NEGATE):
            self.position += 1
            negations += 1
            if not self._operand_follows():
                self.notes.append(_stray(kind))
                return None
        odd = negations % 2 == 1
        node = self._primary(negated != odd)
        return _not(node) if odd else node

    def _primary(self, negated: bool) -> Node | None:
        token = self.tokens[self.position]
        self.position += 1
        if token.kind == _OPEN:
            if self._peek() == _CLOSE:
                self.notes.append(gettext("Ignored empty ()"))
                self.position += 1
                return None
            node = self._sequence(negated)
            self.position += 1  # its ): _balance_parentheses guarantees one
            return node
        if token.kind == _FILTER:
            self._add_filter(token, negated)
            return None
        return self._words_node(token)

    def _add_filter(self, token: _Token, negated: bool) -> None:
        if token.value is None:
            return
        if negated:
            self.notes.append(
                gettext("Filters cannot be excluded; ignored -%(field)s:%(value)s")
                % {"field": token.field_name, "value": _echo(token.value)}
            )
            return
        self.filter_values.setdefault(token.field_name, {})[token.value] = None

    def _words_node(self, token: _Token) -> Node | None:
        words = token.words[: self.words_left]
        if len(words) < len(token.words):
            self.words_dropped = True
        self.words_left -= len(words)
        if not words:
            return None
        if len(words) == 1:
            return Term(words[0], prefix=token.prefix)
        return Phrase(words)


def _shorten(
    tokens: list[_Token], filters: dict[str, tuple[str, ...]]
) -> tuple[Node | None, dict[str, tuple[str, ...]]]:
    """Keep the most leading words (then filter values) whose canonical form fits the limit,
    so that the canonical form parses back to the same query."""
    fits, too_many = 0, MAX_TERMS + 1
    while too_many - fits > 1:
        budget = (fits + too_many) // 2
        parser = _Parser(tokens, [], word_budget=budget)
        if len(_describe_query(parser.parse(), filters)) <= MAX_QUERY_LENGTH:
            fits = budget
        else:
            too_many = budget
    root = _Parser(tokens, [], word_budget=fits).parse()
    values = [(name, value) for name, group in filters.items() for value in group]
    while values and len(_describe_query(root, _group_filters(values))) > MAX_QUERY_LENGTH:
        values.pop()
    return root, _group_filters(values)


def _group_filters(values: list[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, tuple[str, ...]] = {}
    for name, value in values:
        grouped[name] = (*grouped.get(name, ()), value)
    return grouped


# --- Normalised constructors ------------------------------------------------------------


def _combine(kind: type[And] | type[Or], nodes: list[Node | None]) -> Node | None:
    """Flatten same-kind children, drop empty and repeated ones, unwrap a single child."""
    children: dict[Node, None] = {}
    for node in nodes:
        if isinstance(node, kind):
            children.update(dict.fromkeys(node.nodes))
        elif node is not None:
            children[node] = None
    if len(children) <= 1:
        return next(iter(children), None)
    return kind(tuple(children))


def _and(nodes: list[Node | None]) -> Node | None:
    return _combine(And, nodes)


def _or(nodes: list[Node | None]) -> Node | None:
    return _combine(Or, nodes)


def _not(node: Node | None) -> Node | None:
    if isinstance(node, Not):
        return node.node
    return None if node is None else Not(node)


# --- Describing -------------------------------------------------------------------------


def _describe_query(root: Node | None, filters: dict[str, tuple[str, ...]]) -> str:
    parts = [] if root is None else [_describe_node(root)]
    for name, values in filters.items():
        parts.extend(f'{name}:"{value}"' if " " in value else f"{name}:{value}" for value in values)
    return " ".join(parts)


def _describe_node(node: Node) -> str:
    match node:
        case Term(text, prefix):
            return f"{text}*" if prefix else text
        case Phrase(words):
            return '"' + " ".join(words) + '"'
        case Not(inner):
            return "-" + _describe_operand(inner, grouped=(And, Or))
        case And(nodes):
            return " ".join(_describe_operand(child, grouped=(Or,)) for child in nodes)
        case Or(nodes):
            return " OR ".join(_describe_operand(child, grouped=(And,)) for child in nodes)


def _describe_operand(node: Node, grouped: tuple[type, ...]) -> str:
    text = _describe_node(node)
    return f"({text})" if isinstance(node, grouped) else text
