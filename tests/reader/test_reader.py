"""Reading a published document: its pages' text, searching within it, and its file."""

import pytest
from django.urls import reverse

from content.documents.storing import store_document
from publication.services import publish
from search.extraction import extract_document_text
from tests.conftest import make_pdf
from tests.publication.conftest import attach_pdf

PAGES = [
    "Retention schedule for camera footage.",
    "Footage is kept for thirty days; RETENTION is audited.",
    "Nothing about it here: retentions and preretention are other words.",
    "The vendor wrote <script>alert(1)</script> retention & more.",
]


@pytest.fixture
def published(accepted_policy, reviewer):
    """The accepted policy, published with a second document whose pages are PAGES."""
    extra = attach_pdf(accepted_policy, "camera-rules.pdf", PAGES)
    publish(accepted_policy, by=reviewer)
    return extra


@pytest.mark.django_db
def test_search_lists_the_pages_with_whole_word_matches_and_marks_them(client, published):
    response = client.get(reverse("document_pages", args=[published.pk]), {"q": "retention"})

    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#page-1">Page 1</a>: 1 match' in page
    assert '<a href="#page-2">Page 2</a>: 1 match' in page
    assert '<a href="#page-4">Page 4</a>: 1 match' in page
    assert 'href="#page-3"' not in page  # "retentions" and "preretention" are other words
    assert "<mark>Retention</mark> schedule" in page
    assert "<mark>RETENTION</mark> is audited" in page
    assert "retentions and preretention" in page
    assert '<label for="document-search">' in page
    assert 'value="retention"' in page


@pytest.mark.django_db
def test_page_text_is_escaped_before_matches_are_marked(client, published):
    for query in ("retention", "script", ""):
        page = client.get(reverse("document_pages", args=[published.pk]), {"q": query}).text
        assert "<script>" not in page
    page = client.get(reverse("document_pages", args=[published.pk]), {"q": "script"}).text
    assert "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;" in page
    assert "&amp; more" in page


@pytest.mark.django_db
def test_a_quoted_phrase_matches_its_words_together(client, published):
    page = client.get(reverse("document_pages", args=[published.pk]), {"q": '"thirty days"'}).text
    assert "<mark>thirty days</mark>" in page
    assert '<a href="#page-2">Page 2</a>: 1 match' in page
    assert 'href="#page-1"' not in page


@pytest.mark.django_db
def test_no_match_and_empty_queries(client, published):
    url = reverse("document_pages", args=[published.pk])
    assert "No page contains “drones”" in client.get(url, {"q": "drones"}).text
    whole = client.get(url, {"q": "  "}).text
    assert "<mark>" not in whole
    assert "search-results" not in whole.split("</form>")[1]
    assert whole.count('class="document-page"') == len(PAGES)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["a" * 201, "camera\x00", "camera\x1b[0m"])
def test_a_bad_query_is_refused_in_plain_text(client, published, query):
    response = client.get(reverse("document_pages", args=[published.pk]), {"q": query})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert query not in response.text


@pytest.mark.django_db
def test_the_reader_page_links_the_file_with_its_size_and_hash(client, published):
    page = client.get(reverse("document_pages", args=[published.pk])).text
    assert f'href="{reverse("publication:file", args=[published.pk])}"' in page
    assert "Download the PDF (" in page
    assert published.sha256 in page


@pytest.mark.django_db
def test_the_file_is_served_with_safe_headers(client, published):
    response = client.get(reverse("publication:file", args=[published.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="camera-rules.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == published.file.open("rb").read()


@pytest.mark.django_db
def test_the_download_name_is_sanitised(client, published):
    published.original_name = 'a/b\\..\n"evil".exe'
    published.save(update_fields=["original_name"])
    disposition = client.get(reverse("publication:file", args=[published.pk]))[
        "Content-Disposition"
    ]
    assert disposition.startswith("attachment; ")
    assert "/" not in disposition
    assert "\n" not in disposition
    assert disposition.endswith('.exe.pdf"')


@pytest.mark.django_db
def test_unpublished_documents_are_not_served(client, accepted_policy):
    document = accepted_policy.documents.get()
    assert client.get(reverse("publication:file", args=[document.pk])).status_code == 404
    assert client.get(reverse("document_pages", args=[document.pk])).status_code == 404


@pytest.mark.django_db
def test_an_original_replaced_by_its_redacted_copy_is_not_served(client, published, reviewer):
    redacted = store_document(published.filing, "camera-rules-redacted.pdf", make_pdf(["[gone]"]))
    extract_document_text.call(redacted.pk)
    redacted.redaction_of = published
    redacted.redaction_note = "Names an informant."
    redacted.save()

    assert client.get(reverse("publication:file", args=[published.pk])).status_code == 404
    assert client.get(reverse("document_pages", args=[published.pk])).status_code == 404
    assert client.get(reverse("publication:file", args=[redacted.pk])).status_code == 200
