"""What only the Elasticsearch backend has to get right: aliases and index names, the
engine's errors, highlighting it cannot be trusted with, nested pages and facets."""

import datetime
import http.server
import json
import threading

import pytest

from search.backends.base import SearchUnavailable
from search.backends.elasticsearch import ElasticsearchSearchBackend, snippet_html
from search.index_documents import fingerprint
from search.query import And, Not, Or, ParsedQuery, Phrase, Term
from search.results import SearchRequest
from tests.search.indexed import indexed_filing

RETENTION_PAGE = "Facial recognition data retention is limited to thirty days."


def search(backend, root=None, **options):
    return backend.search(SearchRequest(query=ParsedQuery(root=root), **options))


def titles(backend, root=None, **options):
    return [hit.title for hit in search(backend, root, **options).hits]


def policy_with_retention_on_page_7(filing_id=1, title="Face recognition use policy"):
    pages = [f"Page {number} of the policy." for number in range(1, 7)]
    return indexed_filing(filing_id, title, pages=[*pages, RETENTION_PAGE, "Training."])


def test_index_names_carry_the_environment_prefix_and_the_live_name_is_an_alias(
    elasticsearch_search_backend,
):
    backend = elasticsearch_search_backend
    backend.index_filing(indexed_filing(1))
    [index] = backend.client.indices.get_alias(name="portal-test-filings").body
    assert index.startswith("portal-test-filings-")
    backend.rebuild([indexed_filing(1)])
    [rebuilt] = backend.client.indices.get_alias(name="portal-test-filings").body
    assert rebuilt.startswith("portal-test-filings-")
    assert rebuilt != index


def test_rebuild_keeps_search_answering_then_swaps_the_alias_and_drops_the_old_index(
    elasticsearch_search_backend,
):
    backend = elasticsearch_search_backend
    backend.rebuild([indexed_filing(1, "Old drone policy", pages=["Drone flights."])])
    [old_index] = backend.client.indices.get_alias(name="portal-test-filings").body
    seen_while_loading = []

    def progress(count):
        seen_while_loading.append((count, titles(backend, Term("drone"))))

    new_filings = [
        indexed_filing(2, "New drone policy", pages=["Drone flights are logged."]),
        indexed_filing(3, "Second new drone policy", pages=["Drone pilots are trained."]),
    ]
    assert backend.rebuild(iter(new_filings), progress=progress) == 2

    assert seen_while_loading == [(1, ["Old drone policy"]), (2, ["Old drone policy"])]
    assert sorted(titles(backend, Term("drone"))) == ["New drone policy", "Second new drone policy"]
    assert not backend.client.indices.exists(index=old_index)
    assert backend.indexed_filing_ids() == {
        filing.filing_id: fingerprint(filing) for filing in new_filings
    }


def test_a_phrase_on_page_7_finds_the_filing_with_page_7_highlighted(
    elasticsearch_search_backend,
):
    backend = elasticsearch_search_backend
    policy = policy_with_retention_on_page_7()
    backend.index_filing(policy)
    backend.index_filing(
        indexed_filing(2, "Retention schedule", pages=["Data is kept. Retention."])
    )

    results = search(backend, Phrase(("data", "retention")))

    assert results.total == 1
    [hit] = results.hits
    assert hit.filing_id == policy.filing_id
    [page] = hit.pages
    assert (page.document_id, page.document_name, page.page_number) == (
        10,
        "Face recognition use policy.pdf",
        7,
    )
    assert "<mark>data</mark> <mark>retention</mark>" in page.snippet_html


def test_words_from_the_title_and_from_a_page_together_match_the_filing(
    elasticsearch_search_backend,
):
    backend = elasticsearch_search_backend
    backend.index_filing(policy_with_retention_on_page_7())
    [hit] = search(backend, And((Term("face"), Term("thirty")))).hits
    assert [page.page_number for page in hit.pages] == [7]
    assert search(backend, And((Term("face"), Term("helicopter")))).total == 0


def test_pages_per_hit_limits_the_pages_best_first(elasticsearch_search_backend):
    backend = elasticsearch_search_backend
    pages = ["Retention rules.", "Nothing here.", "Retention audits.", "Audits.", "Audits."]
    backend.index_filing(indexed_filing(1, pages=pages))
    query = Or((Term("retention"), Term("audits")))
    [hit] = search(backend, query, pages_per_hit=2).hits
    assert len(hit.pages) == 2
    assert hit.pages[0].page_number == 3
    [hit] = search(backend, query).hits
    assert len(hit.pages) == 3


def test_snippets_escape_the_page_text_and_mark_only_the_matches(elasticsearch_search_backend):
    backend = elasticsearch_search_backend
    backend.index_filing(
        indexed_filing(
            1,
            pages=['<script>alert("x")</script> retention & <b>deletion</b>'],
            summary="Retention <img src=x onerror=alert(1)>",
        )
    )
    [hit] = search(backend, Term("retention")).hits
    [page] = hit.pages
    assert page.snippet_html == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>retention</mark> "
        "&amp; &lt;b&gt;deletion&lt;/b&gt;"
    )
    assert hit.snippet_html == "<mark>Retention</mark> &lt;img src=x onerror=alert(1)&gt;"


def test_prefixes_match_words_as_written_and_are_highlighted(elasticsearch_search_backend):
    backend = elasticsearch_search_backend
    backend.index_filing(indexed_filing(1, pages=["Surveillance cameras record retention."]))
    for prefix in ("surveil", "Surveillance", "camera"):
        [hit] = search(backend, Term(prefix, prefix=True)).hits
        assert hit.pages[0].snippet_html.count("<mark>") == 1, prefix
    [hit] = search(backend, And((Term("surveil", prefix=True), Term("retention")))).hits
    assert hit.pages[0].snippet_html == (
        "<mark>Surveillance</mark> cameras record <mark>retention</mark>."
    )


def test_not_and_or_and_an_empty_query(elasticsearch_search_backend):
    backend = elasticsearch_search_backend
    backend.index_filing(indexed_filing(1, "Drone policy", pages=["Drone flights."]))
    backend.index_filing(indexed_filing(2, "Camera policy", pages=["Camera footage."]))
    backend.index_filing(indexed_filing(3, "Drone camera policy", pages=["Both."]))
    assert titles(backend, And((Term("drone"), Not(Term("camera"))))) == ["Drone policy"]
    assert titles(backend, Not(Term("drone"))) == ["Camera policy"]
    assert search(backend, Or((Term("drone"), Term("footage")))).total == 3
    results = search(backend, None)
    assert results.total == 3
    assert all(hit.pages == () for hit in results.hits)


def test_facets_count_matching_filings_under_every_filter_with_labels(
    elasticsearch_search_backend,
):
    backend = elasticsearch_search_backend
    alpr = ("alpr", "License plate readers")
    drones = ("drones", "Drones")
    backend.rebuild(
        [
            indexed_filing(1, technologies=(alpr, drones), vendors=(("acme", "Acme Inc."),)),
            indexed_filing(2, technologies=(alpr,), year=2024),
            indexed_filing(
                3,
                agency=("transportation", "Department of Transportation"),
                technologies=(drones,),
                kind=("annual_report", "Annual report"),
            ),
            indexed_filing(
                4, title="Unrelated", technologies=(drones,), kind=("contract", "Contract")
            ),
        ]
    )
    results = search(backend, Term("policy"))
    counts = {
        facet: {value.value: (value.label, value.count) for value in values}
        for facet, values in results.facets.items()
    }
    assert results.total == 3
    assert counts == {
        "agency": {
            "police": ("Police Department", 2),
            "transportation": ("Department of Transportation", 1),
        },
        "technology": {"alpr": ("License plate readers", 2), "drones": ("Drones", 2)},
        "vendor": {"acme": ("Acme Inc.", 1)},
        "kind": {"use_policy": ("Use policy", 2), "annual_report": ("Annual report", 1)},
        "year": {"2025": ("2025", 2), "2024": ("2024", 1)},
    }

    filtered = backend.search(
        SearchRequest(query=ParsedQuery(root=Term("policy")), filters={"technology": ("drones",)})
    )
    assert filtered.total == 2
    assert {value.value: value.count for value in filtered.facets["agency"]} == {
        "police": 1,
        "transportation": 1,
    }
    typed = ParsedQuery(root=None, filters={"year": ("2024", "not-a-year")})
    assert [hit.filing_id for hit in backend.search(SearchRequest(query=typed)).hits] == [2]
    nonsense = ParsedQuery(root=None, filters={"year": ("twenty",)})
    assert backend.search(SearchRequest(query=nonsense)).total == 0


def test_sorting_and_paging_report_the_engines_total(elasticsearch_search_backend):
    backend = elasticsearch_search_backend
    backend.rebuild(
        indexed_filing(
            number,
            f"Report {number}",
            published_at=datetime.datetime(2020 + number, 1, 1, tzinfo=datetime.UTC),
        )
        for number in range(1, 6)
    )
    newest = search(backend, Term("report"), sort="newest", per_page=2, page=2)
    assert (newest.total, newest.page, newest.per_page) == (5, 2, 2)
    assert [hit.title for hit in newest.hits] == ["Report 3", "Report 2"]
    assert newest.hits[0].published_at == datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)
    assert titles(backend, Term("report"), sort="oldest", per_page=2) == ["Report 1", "Report 2"]
    beyond = search(backend, Term("report"), page=10_000)
    assert (beyond.total, beyond.hits) == (5, ())


def test_index_filing_replaces_the_filing_and_all_its_pages(elasticsearch_search_backend):
    backend = elasticsearch_search_backend
    backend.index_filing(indexed_filing(1, pages=["Thirty days.", "Sixty days."]))
    replaced = indexed_filing(1, pages=["Ninety days."])
    backend.index_filing(replaced)
    assert search(backend, Term("sixty")).total == 0
    [hit] = search(backend, Term("ninety")).hits
    assert [page.page_number for page in hit.pages] == [1]
    assert backend.indexed_filing_ids() == {1: fingerprint(replaced)}


def test_remove_filing_is_idempotent_even_before_anything_was_indexed(
    elasticsearch_search_backend,
):
    backend = elasticsearch_search_backend
    backend.remove_filing(1)
    assert backend.indexed_filing_ids() == {}
    assert search(backend, None).total == 0
    backend.index_filing(indexed_filing(1))
    backend.index_filing(indexed_filing(2))
    backend.remove_filing(1)
    backend.remove_filing(1)
    assert list(backend.indexed_filing_ids()) == [2]


def test_an_unreachable_server_raises_search_unavailable_naming_it_without_credentials():
    backend = ElasticsearchSearchBackend.for_url(
        "http://portal:s3cret@127.0.0.1:9", index_prefix="portal-test", max_retries=0
    )
    calls = [
        lambda: search(backend, Term("retention")),
        lambda: backend.index_filing(indexed_filing(1)),
        lambda: backend.remove_filing(1),
        lambda: backend.indexed_filing_ids(),
        lambda: backend.rebuild([indexed_filing(1)]),
    ]
    for call in calls:
        with pytest.raises(SearchUnavailable, match=r"http://127\.0\.0\.1:9") as raised:
            call()
        assert "s3cret" not in str(raised.value)


def test_an_index_in_the_way_of_the_alias_is_reported_not_written_into(
    elasticsearch_search_backend,
):
    backend = elasticsearch_search_backend
    backend.client.indices.create(index="portal-test-filings")
    with pytest.raises(SearchUnavailable, match=r"HTTP 400") as raised:
        backend.index_filing(indexed_filing(1))
    assert backend.url in str(raised.value)


class FailingEngine(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.dumps({"error": {"type": "unavailable", "reason": "overloaded"}}).encode()
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        """Quiet: the test reads the outcome, not the log."""


def test_an_engine_error_status_raises_search_unavailable_with_its_reason():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FailingEngine)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        backend = ElasticsearchSearchBackend.for_url(url, index_prefix="portal-test", max_retries=0)
        with pytest.raises(SearchUnavailable, match=r"HTTP 503 unavailable: overloaded") as raised:
            search(backend, Term("retention"))
        assert url in str(raised.value)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("versions", "fallback", "expected"),
    [
        ([], "Plain <summary> & more", "Plain &lt;summary&gt; &amp; more"),
        (["a \U000f0000b\U000f0001 c"], "", "a <mark>b</mark> c"),
        # The stemmed and the exact field marked different words of one text.
        (
            ["\U000f0000one\U000f0001 two three", "one two \U000f0000three\U000f0001"],
            "",
            "<mark>one</mark> two <mark>three</mark>",
        ),
        # Fragments of different text: the one with more marks wins.
        (["x \U000f0000y\U000f0001", "\U000f0000p\U000f0001 \U000f0000q\U000f0001"], "", None),
        (["line\n\n  break \U000f0000here\U000f0001"], "", "line break <mark>here</mark>"),
    ],
)
def test_snippet_html(versions, fallback, expected):
    if expected is None:
        expected = "<mark>p</mark> <mark>q</mark>"
    assert snippet_html(versions, fallback_text=fallback) == expected


def test_long_snippets_are_cut_at_spaces_around_the_first_match():
    text = " ".join(f"word{number}" for number in range(200))
    marked = text.replace("word150", "\U000f0000word150\U000f0001")
    snippet = snippet_html([marked], fallback_text="")
    assert snippet.startswith("… word1")
    assert snippet.endswith(" …")
    assert "<mark>word150</mark>" in snippet
    assert len(snippet) < 300
    assert snippet_html([], fallback_text=text).startswith("word0 word1")


def test_a_failed_rebuild_leaves_the_old_index_answering_and_removes_the_new_one(
    elasticsearch_search_backend,
):
    backend = elasticsearch_search_backend
    backend.rebuild([indexed_filing(1, "Old drone policy")])
    unindexable = indexed_filing(2, "Broken", year=10**12)  # beyond an integer field
    with pytest.raises(SearchUnavailable, match=r"filing 2 with HTTP 400") as raised:
        backend.rebuild([indexed_filing(3, "New drone policy"), unindexable])
    assert "Broken" not in str(raised.value)
    assert titles(backend, Term("drone")) == ["Old drone policy"]
    indices = backend.client.indices.get(index="portal-test-filings-*").body
    assert list(indices) == list(backend.client.indices.get_alias(name="portal-test-filings"))


def test_indexed_filing_ids_reads_past_one_scroll_page(elasticsearch_search_backend):
    backend = elasticsearch_search_backend
    filings = [indexed_filing(number, f"Filing {number}") for number in range(1, 1002)]
    assert backend.rebuild(filings) == 1001
    assert backend.indexed_filing_ids() == {
        filing.filing_id: fingerprint(filing) for filing in filings
    }


def test_stop_words_alone_are_left_out_like_punctuation(elasticsearch_search_backend):
    backend = elasticsearch_search_backend
    backend.index_filing(indexed_filing(1, "Drone policy", pages=["The drone flies."]))
    backend.index_filing(indexed_filing(2, "Camera policy", pages=["The camera records."]))
    assert titles(backend, Or((Term("the"), Term("drone")))) == ["Drone policy"]
    assert titles(backend, And((Term("The"), Term("drone")))) == ["Drone policy"]
    assert titles(backend, Or((Phrase(("of", "the")), Term("drone")))) == ["Drone policy"]
    assert search(backend, Not(Term("the"))).total == 2
    # A prefix is compared with every word as written, stop words included.
    assert search(backend, Term("the", prefix=True)).total == 2
