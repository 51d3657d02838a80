"""What every search backend promises, run on each one through `search_backend`.

Filings are indexed as IndexedFiling documents built here, so each test says
exactly what the index holds. Queries are trees built directly, the way the
query parser hands them over.
"""

import datetime
import re

import pytest

from search.index_documents import fingerprint
from search.query import And, Not, Or, ParsedQuery, Phrase, Term, parse_query
from search.results import FACETS, SearchRequest
from tests.search.indexed import (
    ALPR,
    ANNUAL_REPORT,
    DRONES,
    POLICE,
    TRANSPORTATION,
    indexed_filing,
)

# Declared, not only requested through `search_backend`: pytest-django creates the test
# database only for tests that visibly need it, and would otherwise let the database
# backend's fixture reach the configured (development) database.
pytestmark = pytest.mark.django_db

RETENTION_PAGE = "Facial recognition footage retention: it is retained for thirty days."


def published(day: int, month: int = 3, year: int = 2025) -> datetime.datetime:
    return datetime.datetime(year, month, day, 12, 0, tzinfo=datetime.UTC)


def words(text: str):
    """Every word of `text` required, the way the parser reads plain words."""
    terms = tuple(Term(word) for word in text.split())
    return terms[0] if len(terms) == 1 else And(terms)


def phrase(text: str) -> Phrase:
    return Phrase(tuple(text.split()))


def search(backend, root=None, typed_filters=None, **options):
    query = ParsedQuery(root=root, filters=typed_filters or {})
    return backend.search(SearchRequest(query=query, **options))


def ids(backend, root=None, **options):
    return [hit.filing_id for hit in search(backend, root, **options).hits]


def marked(snippet_html: str) -> list[str]:
    return [word.lower() for word in re.findall(r"<mark>(.*?)</mark>", snippet_html)]


def without_marks(snippet_html: str) -> str:
    return re.sub(r"</?mark>", "", snippet_html)


def facet_counts(results, facet):
    return {value.value: value.count for value in results.facets[facet]}


@pytest.fixture
def index(search_backend):
    """Index filings into the backend under test; returns the backend."""

    def add(*filings):
        for filing in filings:
            search_backend.index_filing(filing)
        return search_backend

    return add


# Finding pages


def test_a_phrase_from_page_7_finds_the_filing_with_page_7_and_its_words_marked(index):
    pages = [f"Section {number} describes the oversight board." for number in range(1, 7)]
    backend = index(
        indexed_filing(1, "Face recognition use policy", [*pages, RETENTION_PAGE, "Training."]),
        indexed_filing(2, "Drone use policy", ["Drones fly over parks."]),
    )
    [hit] = search(backend, phrase("retained for thirty days")).hits
    assert hit.filing_id == 1
    [page] = [page for page in hit.pages if page.page_number == 7]
    assert page.document_id == 10
    assert page.document_name == "Face recognition use policy.pdf"
    marks = " ".join(marked(page.snippet_html))
    for word in ("retained", "thirty", "days"):
        assert word in marks


def test_the_best_pages_come_first_and_no_more_than_pages_per_hit(index):
    # The other pages are as long as the best one: engines weigh page length differently.
    pages = ["Nothing here."] * 3 + ["retention retention retention schedule"]
    pages += ["retention schedule for paper records"] * 4
    backend = index(indexed_filing(1, "Records", pages))
    [hit] = search(backend, Term("retention"), pages_per_hit=2).hits
    assert len(hit.pages) == 2
    assert hit.pages[0].page_number == 4
    assert all("<mark>" in page.snippet_html for page in hit.pages)
    [hit] = search(backend, Term("retention"), pages_per_hit=0).hits
    assert hit.pages == ()


def test_a_match_in_the_summary_is_marked_in_the_hits_snippet(index):
    backend = index(
        indexed_filing(1, "Annual report", summary="Covers the retention schedule for footage.")
    )
    [hit] = search(backend, Term("retention")).hits
    assert "retention" in marked(hit.snippet_html)
    assert hit.pages == ()


def test_a_hit_carries_the_filings_title_agency_kind_and_date(index):
    backend = index(
        indexed_filing(
            7,
            "ALPR annual report",
            ["Plates read: 40,000."],
            kind=ANNUAL_REPORT,
            agency=TRANSPORTATION,
            published_at=published(14, month=5),
        )
    )
    [hit] = search(backend, Term("plates")).hits
    assert hit.filing_id == 7
    assert hit.title == "ALPR annual report"
    assert hit.agency == "Department of Transportation"
    assert hit.kind == "Annual report"
    assert hit.published_at == published(14, month=5)
    assert hit.score > 0


def test_the_names_of_the_agency_technologies_and_vendors_are_searchable(index):
    backend = index(
        indexed_filing(1, "Policy", vendors=[("flock", "Flock Safety")]),
        indexed_filing(2, "Policy", agency=TRANSPORTATION, technologies=[DRONES]),
    )
    assert ids(backend, words("flock safety")) == [1]
    assert ids(backend, Term("transportation")) == [2]
    assert ids(backend, Term("drones")) == [2]


# Words, stemming and the query language


@pytest.fixture
def three_policies(index):
    # No technologies: their names are searchable and would blur what each test finds.
    return index(
        indexed_filing(1, "Face recognition policy", [RETENTION_PAGE], technologies=()),
        indexed_filing(
            2, "License plate reader policy", ["Plate reads are kept for a year."], technologies=()
        ),
        indexed_filing(
            3,
            "Camera registry",
            ["The registry lists every camera and its retention period."],
            technologies=(),
        ),
    )


def test_english_stemming_finds_other_forms_of_a_word(index):
    backend = index(
        indexed_filing(1, "Registry", ["Each camera is listed."]),
        indexed_filing(2, "Inventory", ["The cameras are listed."]),
    )
    assert sorted(ids(backend, Term("cameras"))) == [1, 2]
    assert sorted(ids(backend, Term("camera"))) == [1, 2]
    for hit in search(backend, Term("cameras")).hits:
        assert marked(hit.pages[0].snippet_html) in (["camera"], ["cameras"])


def test_and_requires_every_word_somewhere_in_the_filing(three_policies):
    assert ids(three_policies, words("retention camera")) == [3]
    assert ids(three_policies, words("retention facial")) == [1]
    assert ids(three_policies, words("retention plate")) == []


def test_and_matches_words_on_different_pages_of_one_filing(index):
    backend = index(
        indexed_filing(1, "Policy", ["Facial recognition is used.", "Footage retention."]),
        indexed_filing(2, "Other", ["Facial recognition is used."]),
    )
    [hit] = search(backend, words("facial retention")).hits
    assert hit.filing_id == 1
    assert {page.page_number for page in hit.pages} == {1, 2}


def test_or_finds_either_word(three_policies):
    assert sorted(ids(three_policies, Or((Term("facial"), Term("plate"))))) == [1, 2]


def test_not_excludes_filings_that_mention_the_word_anywhere(three_policies):
    query = And((Term("retention"), Not(Term("facial"))))
    assert ids(three_policies, query) == [3]


def test_a_query_that_is_only_an_exclusion_finds_every_other_filing(three_policies):
    assert sorted(ids(three_policies, Not(Term("retention")))) == [2]
    assert sorted(ids(three_policies, And((Not(Term("facial")), Not(Term("plate")))))) == [3]


def test_not_may_stand_inside_or(three_policies):
    query = Or((Term("plate"), Not(Term("retention"))))
    assert ids(three_policies, query) == [2]
    query = Or((Term("facial"), Not(Term("plate"))))
    assert sorted(ids(three_policies, query)) == [1, 3]


def test_a_prefix_finds_every_word_starting_so(three_policies):
    assert sorted(ids(three_policies, Term("retent", prefix=True))) == [1, 3]
    assert sorted(ids(three_policies, Term("regis", prefix=True))) == [3]
    assert ids(three_policies, Term("regis")) == []


def test_a_phrase_needs_its_words_together_and_in_order(three_policies):
    assert ids(three_policies, phrase("thirty days")) == [1]
    assert ids(three_policies, phrase("days thirty")) == []
    assert ids(three_policies, phrase("retention thirty")) == []


def test_nested_queries_combine(three_policies):
    query = And((Or((Term("facial"), Term("registry"))), Not(phrase("thirty days"))))
    assert ids(three_policies, query) == [3]


HOSTILE_TERMS = [
    "NEAR",
    "NEAR(a b)",
    '"',
    '""',
    "*",
    ":",
    "(",
    ")",
    '{"query":',
    '{"query": {"match_all": {}}}',
    "AND",
    "OR",
    "NOT",
    "-",
    "^",
    "~",
    "\\",
    "'",
    "&",
    "|",
    "!",
    "<->",
    ":*",
    "text:retention",
    "rank:1",
    "'; DROP TABLE filings; --",
    "%s",
    "%(name)s",
    "\x00",
    "\ue000",
    "\U000f0000",
    "😀",
    "",
    "   ",
    "retention" * 400,
]


@pytest.mark.parametrize("text", HOSTILE_TERMS)
def test_hostile_words_never_raise(three_policies, text):
    for root in (
        Term(text),
        Term(text, prefix=True),
        Phrase((text, "retention")),
        Not(Term(text)),
        And((Term("retention"), Term(text))),
        Or((Term(text), Not(Phrase((text, text))))),
    ):
        results = search(three_policies, root)
        assert results.total >= 0
        for hit in results.hits:
            assert "<script" not in hit.snippet_html


TYPED_QUERIES = [
    "NEAR(retention camera)",
    '"unbalanced quote',
    '{"query": {"match_all": {}}}',
    "text:retention OR (",
    "retention* -* ^2 ~3",
    "camera AND AND OR NOT",
    "a:b:c retent*",
    "<script>alert(1)</script>",
    "'); DELETE FROM filings; --",
]


@pytest.mark.parametrize("typed", TYPED_QUERIES)
def test_hostile_queries_as_typed_never_raise(three_policies, typed):
    assert search(three_policies, parse_query(typed).root).total >= 0


def test_a_resident_finds_the_page_they_are_looking_for(index):
    pages = ["Purpose and scope.", "Facial recognition matches are reviewed.", "Audits."]
    pages += ["Facial recognition data retention: images are deleted after thirty days."]
    backend = index(indexed_filing(1, "Police use policy", pages), indexed_filing(2, "Other"))
    query = parse_query("facial recognition retention")
    [hit] = search(backend, query.root).hits
    assert hit.pages[0].page_number == 4
    assert set(marked(hit.pages[0].snippet_html)) == {"facial", "recognition", "retention"}
    assert ids(backend, parse_query('"thirty days" -audits retent*').root) == []
    assert ids(backend, parse_query('"thirty days" -budget retent*').root) == [1]


def test_words_in_other_languages_are_found_as_written(index):
    backend = index(
        indexed_filing(1, "Política", ["La retención de datos dura treinta días."]),
        indexed_filing(2, "नीति", ["कैमरा डेटा नमस्ते"]),
    )
    assert ids(backend, Term("retención")) == [1]
    assert ids(backend, phrase("treinta días")) == [1]
    assert ids(backend, Term("नमस्ते")) == [2]
    assert ids(backend, Term("कैमरा")) == [2]


def test_empty_and_degenerate_trees_never_raise(three_policies):
    for root in (And(()), Or(()), Phrase(()), Not(And(())), Not(Not(Term("retention")))):
        assert search(three_policies, root).total >= 0


def test_punctuation_around_a_word_does_not_stop_it_matching(three_policies):
    assert sorted(ids(three_policies, Term('"retention"'))) == [1, 3]
    assert sorted(ids(three_policies, And((Term("retention"), Term(":"))))) == [1, 3]


# Snippets


def test_snippets_escape_the_text_and_mark_only_the_matches(index):
    text = 'Retention <script>alert("x")</script> & <b>bold</b> claims.'
    backend = index(indexed_filing(1, "Policy", [text], summary=text))
    [hit] = search(backend, Term("retention")).hits
    [page_hit] = hit.pages
    for snippet in (page_hit.snippet_html, hit.snippet_html):
        assert "&lt;script&gt;" in snippet
        assert "&lt;b&gt;bold&lt;/b&gt;" in snippet
        assert "&amp;" in snippet
        assert "<" not in without_marks(snippet)
        assert marked(snippet) == ["retention"]


@pytest.mark.parametrize(
    ("filler_word", "position"),
    # A passage reaches back from a match near the end, and on from one at the start.
    [("section", 396), ("subsectionclause", 0)],
)
def test_a_match_in_a_long_page_is_shown_in_a_passage_of_whole_words(index, filler_word, position):
    filler = [f"{filler_word}{number}" for number in range(400)]
    page = " ".join([*filler[:position], "retention", *filler[position:]])
    backend = index(indexed_filing(1, "Policy", [page]))
    [hit] = search(backend, Term("retention")).hits
    snippet = hit.pages[0].snippet_html
    assert marked(snippet) == ["retention"]
    shown = without_marks(snippet).replace("…", " ").split()
    assert set(shown) <= {*filler, "retention"}
    assert len(shown) < 60


def test_a_word_that_only_looks_like_the_match_does_not_take_its_snippet(index):
    # "police" and "policy" share their first letters, but not their stem.
    filler = " ".join(f"clause{number}" for number in range(150))
    backend = index(indexed_filing(1, "Policy", [f"Police {filler} policy {filler}"]))
    [hit] = search(backend, Term("policy")).hits
    assert marked(hit.pages[0].snippet_html) == ["policy"]


def test_characters_that_look_like_highlight_markers_in_the_text_do_not_become_marks(index):
    page = "Markers \ue000 \ue001 \U000f0000 \U000f0001 around the retention policy."
    backend = index(indexed_filing(1, "Policy", [page]))
    [hit] = search(backend, Term("retention")).hits
    assert marked(hit.pages[0].snippet_html) == ["retention"]
    assert hit.pages[0].snippet_html.count("<mark>") == 1


def test_without_words_a_hit_shows_its_summary_escaped(index):
    backend = index(indexed_filing(1, "Policy", ["retention"], summary="Cameras <in> parks"))
    [hit] = search(backend, filters={"agency": ("police",)}).hits
    assert hit.snippet_html == "Cameras &lt;in&gt; parks"
    assert hit.pages == ()


# Filters and facets


@pytest.fixture
def city(index):
    return index(
        indexed_filing(
            1,
            "ALPR use policy",
            ["retention"],
            agency=POLICE,
            technologies=[ALPR],
            vendors=[("flock", "Flock Safety")],
            year=2024,
            published_at=published(1, year=2024),
        ),
        indexed_filing(
            2,
            "ALPR annual report",
            ["retention"],
            agency=POLICE,
            technologies=[ALPR],
            vendors=[("flock", "Flock Safety")],
            kind=ANNUAL_REPORT,
            year=2025,
            published_at=published(2),
        ),
        indexed_filing(
            3,
            "Drone use policy",
            ["retention"],
            agency=POLICE,
            technologies=[DRONES, ALPR],
            vendors=[("skydio", "Skydio")],
            year=2025,
            published_at=published(3),
        ),
        indexed_filing(
            4,
            "Traffic camera policy",
            ["retention"],
            agency=TRANSPORTATION,
            technologies=[],
            year=None,
            published_at=published(4),
        ),
        indexed_filing(5, "Unrelated", ["nothing to see"], agency=TRANSPORTATION, year=2023),
    )


def test_each_filter_keeps_only_the_filings_it_names(city):
    retention = Term("retention")
    assert sorted(ids(city, retention, filters={"agency": ("police",)})) == [1, 2, 3]
    assert sorted(ids(city, retention, filters={"technology": ("drones",)})) == [3]
    assert sorted(ids(city, retention, filters={"vendor": ("flock",)})) == [1, 2]
    assert sorted(ids(city, retention, filters={"kind": ("annual_report",)})) == [2]
    assert sorted(ids(city, retention, filters={"year": ("2025",)})) == [2, 3]


def test_values_of_one_filter_widen_and_different_filters_narrow(city):
    retention = Term("retention")
    assert sorted(ids(city, retention, filters={"year": ("2024", "2025")})) == [1, 2, 3]
    both = {"agency": ("police",), "technology": ("alpr",), "kind": ("use_policy",)}
    assert sorted(ids(city, retention, filters=both)) == [1, 3]


def test_filters_typed_in_the_query_combine_with_those_chosen(city):
    results = search(
        city,
        Term("retention"),
        typed_filters={"vendor": ("skydio",)},
        filters={"agency": ("police",)},
    )
    assert [hit.filing_id for hit in results.hits] == [3]


def test_a_year_that_is_not_a_number_or_an_unknown_slug_finds_nothing(city):
    assert search(city, Term("retention"), filters={"year": ("twenty",)}).total == 0
    assert search(city, Term("retention"), filters={"year": ("²",)}).total == 0
    assert search(city, Term("retention"), filters={"agency": ("nobody",)}).total == 0


def test_facets_count_the_matching_filings(city):
    results = search(city, Term("retention"))
    assert set(results.facets) == set(FACETS)
    assert facet_counts(results, "agency") == {"police": 3, "transportation": 1}
    assert facet_counts(results, "technology") == {"alpr": 3, "drones": 1}
    assert facet_counts(results, "vendor") == {"flock": 2, "skydio": 1}
    assert facet_counts(results, "kind") == {"use_policy": 3, "annual_report": 1}
    assert facet_counts(results, "year") == {"2025": 2, "2024": 1}
    agency_labels = {value.value: value.label for value in results.facets["agency"]}
    assert agency_labels == {"police": "Police Department", "transportation": TRANSPORTATION[1]}
    kinds = [(value.value, value.label) for value in results.facets["kind"]]
    assert kinds == [("use_policy", "Use policy"), ("annual_report", "Annual report")]


def test_a_facets_counts_ignore_its_own_filter_but_apply_the_others(city):
    results = search(city, Term("retention"), filters={"agency": ("police",)})
    assert results.total == 3
    # Other agencies stay countable, so the choice can be widened...
    assert facet_counts(results, "agency") == {"police": 3, "transportation": 1}
    # ...while every other facet counts only the police filings.
    assert facet_counts(results, "kind") == {"use_policy": 2, "annual_report": 1}
    assert facet_counts(results, "technology") == {"alpr": 3, "drones": 1}
    results = search(
        city, Term("retention"), filters={"agency": ("police",), "technology": ("drones",)}
    )
    assert results.total == 1
    assert facet_counts(results, "agency") == {"police": 1}
    assert facet_counts(results, "technology") == {"alpr": 3, "drones": 1}


def test_facet_values_are_ordered_by_count(city):
    results = search(city, Term("retention"))
    counts = [value.count for value in results.facets["technology"]]
    assert counts == sorted(counts, reverse=True)


def test_an_empty_query_with_filters_lists_the_filtered_filings_newest_first(city):
    results = search(city, filters={"agency": ("police",)})
    assert results.total == 3
    assert [hit.filing_id for hit in results.hits] == [3, 2, 1]
    assert all(hit.pages == () for hit in results.hits)


def test_an_empty_query_finds_every_filing(city):
    assert search(city).total == 5


# Sorting and pagination


def test_newest_and_oldest_sort_by_publication(city):
    assert ids(city, Term("retention"), sort="newest") == [4, 3, 2, 1]
    assert ids(city, Term("retention"), sort="oldest") == [1, 2, 3, 4]


def test_relevance_puts_the_filing_about_the_words_first(index):
    backend = index(
        indexed_filing(
            1,
            "Budget",
            ["The budget covers staff, vehicles, software and one drone among many items."],
            published_at=published(5),
        ),
        indexed_filing(
            2,
            "Drone use policy",
            ["Drone flights need approval. Drone footage is kept for drone audits."],
            summary="How the drone program works.",
            published_at=published(1),
        ),
    )
    assert ids(backend, Term("drone"), sort="relevance") == [2, 1]
    assert ids(backend, Term("drone"), sort="newest") == [1, 2]


def test_pages_of_results_share_no_filing_and_the_total_counts_every_match(index):
    backend = index(
        *(
            indexed_filing(
                number,
                f"Report {number}",
                [f"Retention audit {number}"],
                published_at=published(1 + number % 20, month=1 + number % 12),
            )
            for number in range(1, 26)
        ),
        indexed_filing(99, "Other", ["nothing"]),
    )
    seen = []
    for page in (1, 2, 3):
        results = search(backend, Term("retention"), page=page, per_page=10)
        assert results.total == 25
        assert results.page == page
        assert results.per_page == 10
        seen.extend(hit.filing_id for hit in results.hits)
    assert len(seen) == 25
    assert sorted(seen) == list(range(1, 26))
    assert search(backend, Term("retention"), page=4, per_page=10).hits == ()


def test_unknown_sorts_and_filters_are_refused(city):
    with pytest.raises(ValueError, match="sort"):
        search(city, Term("retention"), sort="random")
    with pytest.raises(ValueError, match="filter"):
        search(city, Term("retention"), filters={"colour": ("red",)})


# Keeping the index


def test_indexing_a_filing_again_replaces_it(index):
    backend = index(indexed_filing(1, "Policy", ["Old text about drones."]))
    backend.index_filing(indexed_filing(1, "Policy, amended", ["New text about cameras."]))
    assert search(backend, Term("drones")).total == 0
    [hit] = search(backend, Term("cameras")).hits
    assert hit.title == "Policy, amended"
    assert search(backend).total == 1


def test_remove_filing_removes_it_and_removing_again_is_harmless(index):
    backend = index(indexed_filing(1, "Policy", ["drones"]), indexed_filing(2, "Other", ["drones"]))
    backend.remove_filing(1)
    backend.remove_filing(1)
    backend.remove_filing(12345)
    assert ids(backend, Term("drones")) == [2]
    assert set(backend.indexed_filing_ids()) == {2}


def test_indexed_filing_ids_returns_each_filings_fingerprint(index):
    first, second = indexed_filing(1, "Policy", ["a"]), indexed_filing(2, "Report", ["b"])
    backend = index(first, second)
    assert backend.indexed_filing_ids() == {1: fingerprint(first), 2: fingerprint(second)}


def test_rebuild_replaces_everything_and_reports_progress(index):
    backend = index(indexed_filing(1, "Old", ["drones"]), indexed_filing(2, "Old", ["drones"]))
    progress = []
    fresh = [indexed_filing(2, "New", ["cameras"]), indexed_filing(3, "New", ["cameras"])]
    assert backend.rebuild(iter(fresh), progress.append) == 2
    assert progress[-1] == 2
    assert search(backend, Term("drones")).total == 0
    assert sorted(ids(backend, Term("cameras"))) == [2, 3]
    assert backend.indexed_filing_ids() == {
        filing.filing_id: fingerprint(filing) for filing in fresh
    }


def test_a_search_costs_a_bounded_number_of_queries_however_many_hits(
    index, django_assert_max_num_queries
):
    backend = index(
        *(
            indexed_filing(number, f"Report {number}", ["retention"] * 5, summary="retention")
            for number in range(1, 31)
        )
    )
    # On PostgreSQL, two of these set the planner's settings for one statement and put
    # them back.
    with django_assert_max_num_queries(6) as few:
        search(backend, words("retention"), per_page=2, pages_per_hit=1)
    with django_assert_max_num_queries(6) as many:
        results = search(backend, words("retention"), per_page=20, pages_per_hit=3)
    assert len(results.hits) == 20
    assert all(len(hit.pages) == 3 for hit in results.hits)
    assert len(many) == len(few)
