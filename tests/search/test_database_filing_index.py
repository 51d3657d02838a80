"""The database backend's index of whole filings: what a resident sees stays per filing and
per page, and the index follows every change to a filing.

On SQLite the filing-level FTS5 table is kept by the backend, not by triggers, so
the tests that change filings also run FTS5's integrity check against its content.
Both engines answer many queries with one lookup of the whole tree (SQLite in that
table, PostgreSQL in the filings' lexemes when every lookup is one word); the tests
hold that path to the same answers as looking each word up alone.
"""

import re

import pytest
from django.db import connection

from search.backends.database import backend as database
from search.query import And, Or, ParsedQuery, Phrase, Term, parse_query
from search.results import SearchRequest
from tests.search.indexed import ALPR, DRONES, TRANSPORTATION, indexed_filing

pytestmark = pytest.mark.django_db

FULL_TEXT_TABLES = (database.FTS_TABLE, database.FILING_FTS_TABLE)


def search(backend, root, **options):
    return backend.search(SearchRequest(query=ParsedQuery(root=root, filters={}), **options))


def ids(backend, root, **options):
    return [hit.filing_id for hit in search(backend, root, **options).hits]


def marked(snippet_html: str) -> list[str]:
    return [word.lower() for word in re.findall(r"<mark>(.*?)</mark>", snippet_html)]


@pytest.fixture
def index(database_search_backend):
    def add(*filings):
        for filing in filings:
            database_search_backend.index_filing(filing)
        return database_search_backend

    return add


@pytest.fixture
def consistent_full_text_index():
    """After the test, FTS5 finds every SQLite full-text index in step with its content."""
    yield
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in FULL_TEXT_TABLES:
            # The table names are the backend's constants; rank 1 checks against the content too.
            cursor.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")  # noqa: S608


def test_words_on_different_pages_find_the_filing_with_both_pages(index):
    backend = index(
        indexed_filing(1, "Policy", ["Drones fly over parks.", "Footage is kept a year."]),
        indexed_filing(2, "Other", ["Drones fly over parks."]),
    )
    [hit] = search(backend, And((Term("drones"), Term("footage")))).hits
    assert hit.filing_id == 1
    assert [(page.page_number, marked(page.snippet_html)) for page in hit.pages] in (
        [(1, ["drones"]), (2, ["footage"])],
        [(2, ["footage"]), (1, ["drones"])],
    )


def test_a_phrase_does_not_run_from_one_page_into_the_next(index):
    backend = index(
        indexed_filing(1, "Split", ["The policy covers facial", "recognition of faces."]),
        indexed_filing(2, "Whole", ["The policy covers facial recognition."]),
    )
    assert ids(backend, Phrase(("facial", "recognition"))) == [2]


def test_each_hit_shows_pages_of_its_own_filing(index):
    backend = index(
        *(
            indexed_filing(number, f"Report {number}", [f"Retention schedule {number}."] * 3)
            for number in range(1, 6)
        )
    )
    for hit in search(backend, Term("retention"), pages_per_hit=3).hits:
        assert [page.document_name for page in hit.pages] == [f"Report {hit.filing_id}.pdf"] * 3
        assert {page.page_number for page in hit.pages} == {1, 2, 3}


def test_relevance_weighs_everything_a_filing_says(index):
    mentions_once = ["Drone purchase approved."] + ["Budget lines."] * 5
    about_drones = ["Drone flights.", "Drone footage.", "Drone pilots.", "Drone audits."]
    backend = index(
        indexed_filing(1, "Budget", mentions_once), indexed_filing(2, "Programme", about_drones)
    )
    assert ids(backend, Term("drone"), sort="relevance") == [2, 1]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL scores a filing by its best unit"
)
def test_on_postgresql_a_page_holding_every_word_ranks_its_filing_first(index):
    together = ["Drone footage is kept thirty days."]
    apart = ["Drone flights, drone pilots, drone audits.", "Footage, footage and footage."]
    backend = index(indexed_filing(1, "Apart", apart), indexed_filing(2, "Together", together))
    results = search(backend, And((Term("drone"), Term("footage"))), sort="relevance")
    assert [hit.filing_id for hit in results.hits] == [2, 1]
    assert results.total == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner settings")
def test_on_postgresql_a_search_leaves_the_planner_as_it_found_it(index):
    """Two words are looked up in the filings' lexemes, and their units ranked, with the
    planner's settings changed for that one statement; the rest of the request's
    transaction plans as before."""
    backend = index(
        indexed_filing(1, "Policy", ["Drone footage is kept thirty days."]),
        indexed_filing(2, "Other", ["Drone flights over parks."]),
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL parallel_tuple_cost = 0.2")
        assert ids(backend, And((Term("drone"), Term("footage")))) == [1]
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('parallel_tuple_cost')"
        )
        assert cursor.fetchone() == ("on", "0.2")


def test_hits_have_a_score_whichever_the_sort(index):
    backend = index(indexed_filing(1, "Policy", ["Retention of footage."]))
    for sort in ("relevance", "newest", "oldest"):
        [hit] = search(backend, Term("retention"), sort=sort).hits
        assert hit.score > 0


@pytest.mark.usefixtures("consistent_full_text_index")
def test_indexing_a_filing_again_finds_it_by_its_new_words_only(index):
    backend = index(
        indexed_filing(1, "Policy", ["Old text about drones.", "Old page two."]),
        indexed_filing(2, "Other", ["Drones elsewhere."]),
    )
    backend.index_filing(indexed_filing(1, "Policy, amended", ["New text about cameras."]))
    assert ids(backend, Term("drones")) == [2]
    assert ids(backend, And((Term("old"), Term("drones")))) == []
    [hit] = search(backend, And((Term("cameras"), Term("amended")))).hits
    assert hit.filing_id == 1
    assert [page.page_number for page in hit.pages] == [1]


@pytest.mark.usefixtures("consistent_full_text_index")
def test_a_removed_filing_is_found_by_no_word(index):
    backend = index(
        indexed_filing(1, "Policy", ["Retention of drone footage."]),
        indexed_filing(2, "Other", ["Retention of records."]),
    )
    backend.remove_filing(1)
    assert ids(backend, Term("retention")) == [2]
    assert ids(backend, Term("drone")) == []


@pytest.mark.usefixtures("consistent_full_text_index")
def test_a_rebuild_finds_only_the_new_filings(index):
    backend = index(indexed_filing(1, "Old", ["drones"]), indexed_filing(2, "Old", ["drones"]))
    backend.rebuild([indexed_filing(2, "New", ["cameras"]), indexed_filing(3, "New", ["drones"])])
    assert ids(backend, Term("drones")) == [3]
    assert ids(backend, Term("cameras")) == [2]


def test_words_the_engine_ignores_neither_find_nor_hide_a_filing(index):
    # PostgreSQL's English configuration drops stop words; FTS5 indexes them.
    backend = index(
        indexed_filing(1, "Drone policy", ["The drone flies."]),
        indexed_filing(2, "Camera policy", ["The camera records."]),
    )
    assert ids(backend, And((Term("The"), Term("drone")))) == [1]
    assert ids(backend, Or((Phrase(("of", "the")), Term("drone")))) == [1]
    assert ids(backend, And((Phrase(("the", "drone")), Term("flies")))) == [1]


def test_a_phrase_beside_another_word_still_needs_its_words_side_by_side(index):
    backend = index(
        indexed_filing(1, "Apart", ["Facial data from a drone, and plate recognition."]),
        indexed_filing(2, "Together", ["Facial recognition from a drone."]),
    )
    assert ids(backend, And((Phrase(("facial", "recognition")), Term("drone")))) == [2]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's searches need no statistics"
)
def test_on_postgresql_a_rebuild_leaves_the_planner_statistics_of_what_it_wrote(index):
    backend = index(indexed_filing(1, "Old", ["drones"]))
    backend.rebuild(
        [
            indexed_filing(number, "New", ["cameras"], agency=("rebuilt", "Rebuilt"))
            for number in (2, 3, 4)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_vals::text FROM pg_stats WHERE tablename = %s AND attname = %s",
            [database.FILINGS, "agency_slug"],
        )
        assert cursor.fetchall() == [("{rebuilt}",)]


def test_a_filing_with_more_units_than_the_index_holds_is_refused_and_changes_nothing(
    index, monkeypatch
):
    backend = index(indexed_filing(1, "Policy", ["drones"]))
    monkeypatch.setattr(database, "MAX_UNITS_PER_FILING", 3)
    with pytest.raises(ValueError, match="filing 1 has 4 searchable units"):
        backend.index_filing(indexed_filing(1, "Policy", ["cameras", "cameras", "cameras"]))
    assert ids(backend, Term("drones")) == [1]
    assert ids(backend, Term("cameras")) == []


# (query, whether SQLite writes it as one FTS5 match of the filing-level table)
TREES = [
    ("drone footage", True),
    ("drone OR footage", True),
    ("drone (footage OR camera)", True),
    ('"facial recognition"', True),
    ('"facial recognition" surveil*', True),
    ("drone -footage", True),
    ('(drone OR camera) "facial recognition" -(footage OR retention)', True),
    ("-footage", False),
    ("drone OR -footage", False),
    ("(drone footage) OR camera", False),
    ("drone -(footage camera)", False),
    ("drone (drone OR footage)", False),
]


@pytest.fixture
def small_corpus(index):
    return index(
        indexed_filing(1, "Drones", ["Drone footage is kept.", "Facial recognition is banned."]),
        indexed_filing(2, "Drone log", ["Drone flights.", "Drone pilots."], technologies=[DRONES]),
        indexed_filing(3, "Cameras", ["Camera footage.", "Retention of footage."]),
        indexed_filing(
            4,
            "Readers",
            ["Facial recognition by camera.", "Surveillance of drones."],
            agency=TRANSPORTATION,
        ),
        indexed_filing(
            5, "Audit", ["Surveilled areas.", "Retention schedule."], technologies=[ALPR, DRONES]
        ),
        indexed_filing(6, "Budget", ["Nothing about it."], agency=TRANSPORTATION),
        # Filings without the words searched for, so that bm25 finds each of them rare.
        *(indexed_filing(number, "Minutes", ["Council minutes."]) for number in range(7, 19)),
    )


def test_the_shapes_sqlite_writes_as_one_match():
    for typed, one_match in TREES:
        tree = database._simplify(parse_query(typed).root)
        assert (database.SqliteDialect.whole_query(tree) is not None) == one_match, typed


# Where each engine looks the whole tree up at once: SQLite in its filing-level FTS5 table,
# PostgreSQL in the filings' lexemes when every lookup is one word.
WHOLE_TREE_LOOKUP = {
    "sqlite": (database.SqliteDialect, "filings_matching"),
    "postgresql": (database.PostgresDialect, "filings_condition"),
}


@pytest.mark.parametrize("typed", [typed for typed, _one_match in TREES])
def test_one_lookup_of_the_whole_tree_answers_as_a_lookup_per_word(
    small_corpus, monkeypatch, typed
):
    requests = [
        SearchRequest(query=parse_query(typed), sort=sort, filters=filters)
        for sort in ("relevance", "newest")
        for filters in ({}, {"agency": ("police",)})
    ]
    answers = [small_corpus.search(request) for request in requests]
    dialect, lookup = WHOLE_TREE_LOOKUP[connection.vendor]
    monkeypatch.setattr(dialect, lookup, lambda *_args, **_kwargs: None)
    for request, answer in zip(requests, answers, strict=True):
        per_word = small_corpus.search(request)
        assert (answer.total, answer.facets) == (per_word.total, per_word.facets)
        assert [hit.filing_id for hit in answer.hits] == [hit.filing_id for hit in per_word.hits]
        assert [hit.score for hit in answer.hits] == pytest.approx(
            [hit.score for hit in per_word.hits]
        )
        assert [(hit.snippet_html, hit.pages) for hit in answer.hits] == [
            (hit.snippet_html, hit.pages) for hit in per_word.hits
        ]
