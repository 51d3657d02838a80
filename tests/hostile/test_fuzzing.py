"""Properties over generated input: file names, file bytes, damaged PDFs, search queries
and the search pages, each with a bounded number of examples. The run's figures section
shows how many inputs were tried and how many server errors (5xx) the search pages gave."""

import re
import tempfile
import unicodedata
import urllib.parse
from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from content.documents.models import MEDIA_TYPE_EXTENSIONS
from search.backends.elasticsearch import search_body
from search.ingestion.errors import IngestionError, UnsupportedType
from search.ingestion.filenames import (
    MAX_NAME_CHARACTERS,
    REMOVED_CATEGORIES,
    WINDOWS_FORBIDDEN,
    WINDOWS_RESERVED_STEMS,
    display_name,
)
from search.ingestion.pdf_safety import inspect_pdf
from search.ingestion.sniffing import ACCEPTED, BINARY_SIGNATURES, PDF, sniff_media_type
from search.query import FILTER_FIELDS, ParsedQuery, describe, parse_query
from search.results import SearchRequest
from tests.hostile.corpus import reportlab_pdf
from tests.search.test_query import SYNTAX_FRAGMENTS, any_input, assert_well_formed

BOUNDED = settings(max_examples=200, deadline=None)
# The test client and the database are the same for every example, so sharing them is safe.
HTTP_BOUNDED = settings(BOUNDED, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Inputs one test tried, by what was fuzzed; the HTTP ones also count the server errors.
FUZZED: Counter[str] = Counter()


@pytest.fixture(autouse=True)
def fuzzing_figure(add_to_figure):
    """Adds what each test fuzzed to the run's figures section, summed over every worker."""
    FUZZED.clear()
    yield
    server_errors = FUZZED.pop("server errors", 0)
    add_to_figure("fuzzing", inputs=FUZZED.total(), **FUZZED, **{"5xx": server_errors})


# --- File names -----------------------------------------------------------------------------

NAME_FRAGMENTS = [
    "/",
    "\\",
    "..",
    ".",
    " ",
    "\x00",
    "\u202e",
    "\u2066",
    "\u200b",
    "\ufeff",
    "\u0301",
    "CON",
    "nul",
    "COM1",
    "lpt¹",
    ".pdf",
    ".PDF",
    ".exe",
    ".csv",
    ".xlsx",
    "C:",
    "\r\n",
    "\t",
    '<>:"|?*',
    "İ",
    "ß",
    "\ufb01",
]
any_text = st.text(alphabet=st.characters(codec=None))
name_like = st.lists(st.one_of(st.sampled_from(NAME_FRAGMENTS), any_text), max_size=20).map("".join)
long_name = st.tuples(name_like, st.integers(1, 400)).map(lambda parts: parts[0] * parts[1])
any_name = st.one_of(any_text, name_like, long_name)
media_types = st.sampled_from(sorted(MEDIA_TYPE_EXTENSIONS))


@BOUNDED
@given(any_name, media_types)
@example("e\u200b\u0301.pdf", PDF)
@example("CON" + "\u200b" * 500, PDF)
def test_a_display_name_is_safe_for_any_uploaded_name(uploaded, media_type):
    FUZZED["file names"] += 1
    shown = display_name(uploaded, media_type)
    extension = MEDIA_TYPE_EXTENSIONS[media_type]
    stem = shown.removesuffix(extension)

    assert shown.endswith(extension)
    assert stem
    assert "." not in stem, "only the real extension may hold a dot"
    assert len(shown) <= MAX_NAME_CHARACTERS
    assert "/" not in shown
    assert "\\" not in shown
    assert not WINDOWS_FORBIDDEN.search(shown)
    assert not any(unicodedata.category(char) in REMOVED_CATEGORIES for char in shown)
    assert stem.upper() not in WINDOWS_RESERVED_STEMS
    assert stem == stem.strip(". ")
    assert display_name(shown, media_type) == shown


# --- The type sniffer -----------------------------------------------------------------------


def sniff(data: bytes, claimed_name: str = "upload.pdf") -> str:
    with tempfile.TemporaryDirectory(prefix="fuzz-sniff-") as folder:
        path = Path(folder) / "upload"
        path.write_bytes(data)
        return sniff_media_type(path, claimed_name)


KNOWN_STARTS = [b"%PDF-", b"PK\x03\x04", b"\xff\xfe", b"\xef\xbb\xbf", b"MZ", b"<html>", b"{"]
any_bytes = st.one_of(
    st.binary(max_size=4096),
    st.tuples(st.sampled_from(KNOWN_STARTS), st.binary(max_size=2048)).map(b"".join),
    st.text(max_size=2048).map(str.encode),
    st.lists(
        st.lists(st.text(alphabet="abc12,;\t|\"' ", max_size=8), min_size=1, max_size=5).map(
            ",".join
        ),
        max_size=30,
    ).map(lambda rows: "\n".join(rows).encode()),
)


@BOUNDED
@given(any_bytes, st.sampled_from(["upload.pdf", "data.csv", "book.xlsx", "noname"]))
def test_the_sniffer_returns_an_accepted_type_or_its_own_refusal(data, claimed_name):
    FUZZED["file contents"] += 1
    try:
        media_type = sniff(data, claimed_name)
    except IngestionError:
        return
    assert media_type in MEDIA_TYPE_EXTENSIONS


@BOUNDED
@given(st.binary(max_size=2048))
def test_bytes_starting_with_the_pdf_header_are_a_pdf(rest):
    FUZZED["file contents"] += 1
    assert sniff(b"%PDF-" + rest) == PDF


@BOUNDED
@given(st.sampled_from(BINARY_SIGNATURES), st.binary(max_size=2048))
def test_bytes_starting_with_a_refused_signature_are_named_as_what_they_are(signature, rest):
    FUZZED["file contents"] += 1
    magic, kind = signature
    data = magic + rest.replace(b"%PDF-", b"")
    with pytest.raises(UnsupportedType, match=re.escape(f"This is {kind}, not a PDF")) as refusal:
        sniff(data)
    assert ACCEPTED in str(refusal.value)


# --- Damaged PDFs through the PDF checks --------------------------------------------------------

SMALL_PDF = reportlab_pdf()


@st.composite
def damaged_pdfs(draw) -> bytes:
    """A small real PDF with a few bytes overwritten, removed or inserted."""
    data = bytearray(SMALL_PDF)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        change = draw(st.sampled_from(["overwrite", "delete", "insert"]))
        chunk = draw(st.binary(min_size=1, max_size=16))
        if change == "overwrite":
            data[at : at + len(chunk)] = chunk
        elif change == "delete":
            del data[at : at + len(chunk)]
        else:
            data[at:at] = chunk
    return bytes(data)


@BOUNDED
@given(damaged_pdfs())
# Keys that are not UTF-8, which pikepdf's get() and Name comparison once failed on.
@example(SMALL_PDF.replace(b"/Info", b"/\x80nfo"))
@example(SMALL_PDF.replace(b"/Size", b"/\x80ize"))
def test_a_damaged_pdf_is_refused_or_read_never_crashing_the_checks(data):
    FUZZED["damaged PDFs"] += 1
    with tempfile.TemporaryDirectory(prefix="fuzz-pdf-") as folder:
        path = Path(folder) / "upload"
        path.write_bytes(data)
        try:
            if sniff_media_type(path, "upload.pdf") != PDF:
                return
            inspected = inspect_pdf(path, Path(folder))
        except IngestionError:
            return
    assert inspected.page_count >= 1


# --- The query parser -----------------------------------------------------------------------

ENGINE_SYNTAX = [
    '{"query":',
    '{"query": {"script": {"source": "1"}}}',
    "field:[* TO *]",
    "title:{a TO z}",
    "_exists_:title",
    "body:/.*/",
    "a~2",
    "a^10",
    "a?c",
    "+must -mustnot",
    "a && b || !c",
    "<script>",
    "\\*",
    "agency:",
    "year:[2000 TO 2030]",
    "kind:*",
]
engine_like = st.lists(
    st.one_of(st.sampled_from(ENGINE_SYNTAX), st.sampled_from(SYNTAX_FRAGMENTS), any_text),
    max_size=40,
).map(" ".join)
ten_kilobytes = st.sampled_from(ENGINE_SYNTAX + SYNTAX_FRAGMENTS).map(
    lambda piece: (piece * (10_240 // len(piece) + 1))[:10_240]
)
queries = st.one_of(any_input, engine_like, ten_kilobytes)

# Queries that interpret their text as syntax, or run code, in Elasticsearch.
ENGINE_PARSING_QUERIES = {
    "query_string",
    "simple_query_string",
    "regexp",
    "wildcard",
    "fuzzy",
    "script",
    "script_score",
    "intervals",
    "more_like_this",
}
CANONICAL_PUNCTUATION = set(' "()-*:')
FILTER_PREFIX = re.compile(rf"(?:^|(?<=[\s(]))(?:{'|'.join(FILTER_FIELDS)}):")


def compiled_parts(body, key=None):
    """Every (key, value) pair in an Elasticsearch request body, at any depth."""
    if isinstance(body, dict):
        for child_key, child in body.items():
            yield child_key, child
            yield from compiled_parts(child, child_key)
    elif isinstance(body, list):
        for child in body:
            yield from compiled_parts(child, key)


@BOUNDED
@given(queries)
def test_parsing_never_raises_and_gives_a_well_formed_query(raw):
    FUZZED["queries"] += 1
    assert_well_formed(parse_query(raw))


@BOUNDED
@given(queries)
def test_engine_syntax_never_reaches_the_engine(raw):
    FUZZED["queries"] += 1
    parsed = parse_query(raw)
    body = search_body(SearchRequest(query=parsed), pages_per_hit=3, offset=0, size=20)
    for key, value in compiled_parts(body["query"]):
        assert key not in ENGINE_PARSING_QUERIES
        if key in ("query", "value") and isinstance(value, str):
            assert all(
                char.isalnum() or char == " " or unicodedata.category(char).startswith("M")
                for char in value
            ), value


@BOUNDED
@given(queries)
def test_the_canonical_query_holds_only_the_portal_syntax(raw):
    FUZZED["queries"] += 1
    parsed = parse_query(raw)
    canonical = FILTER_PREFIX.sub(" ", describe(ParsedQuery(root=parsed.root)))
    for char in canonical:
        assert (
            char.isalnum()
            or char in CANONICAL_PUNCTUATION - {":"}
            or unicodedata.category(char).startswith("M")
        ), canonical


# --- The search pages over HTTP ------------------------------------------------------------

SEARCH_PARAMETERS = ["q", "agency", "technology", "vendor", "kind", "year", "sort", "page"]
http_text = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(ENGINE_SYNTAX + SYNTAX_FRAGMENTS),
    st.integers(-(10**20), 10**20).map(str),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20).map(lambda text: text * 600),
)
query_strings = st.one_of(
    st.dictionaries(st.sampled_from(SEARCH_PARAMETERS), st.lists(http_text, max_size=25)).map(
        lambda parameters: urllib.parse.urlencode(parameters, doseq=True)
    ),
    # Raw bytes, percent-encoded: not UTF-8, stray separators, what scanners send.
    st.binary(max_size=300).map(lambda raw: "q=" + urllib.parse.quote_from_bytes(raw)),
    st.binary(max_size=300).map(lambda raw: raw.decode("latin-1").replace("#", "%23")),
)


@pytest.mark.django_db
@HTTP_BOUNDED
@given(query_string=query_strings, endpoint=st.sampled_from(["search", "search_json"]))
def test_the_search_pages_answer_any_query_string_with_200_or_400(client, query_string, endpoint):
    response = client.get(f"{reverse(endpoint)}?{query_string}")
    FUZZED["search page requests"] += 1
    FUZZED["server errors"] += response.status_code >= 500
    assert response.status_code in (200, 400), query_string
