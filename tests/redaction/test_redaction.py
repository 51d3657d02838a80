"""Staff replace a document with a redacted version; the public and search see only that."""

import io

import pikepdf
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from content.documents.models import Document
from content.filings.visibility import public_documents, public_documents_of
from publication.models import PublicationLogEntry
from publication.verification import verify_log
from tests.conftest import make_pdf
from tests.redaction.conftest import KEPT, REDACTED_PAGES, SECRET, publish_filing

NOTE = "The informant's name on page 2."


def redact(client, document, data=None, name="harbor-policy-redacted.pdf", note=NOTE):
    upload = SimpleUploadedFile(name, make_pdf(REDACTED_PAGES) if data is None else data)
    return client.post(
        reverse("redaction:replace", args=[document.pk]), {"file": upload, "note": note}
    )


def search(client, phrase):
    return client.get(reverse("search_json"), {"q": f'"{phrase}"'}).json()


def found_documents(results) -> set[int]:
    return {page["document_id"] for hit in results["hits"] for page in hit["pages"]}


def stored_files() -> set[str]:
    _, files = default_storage.listdir("documents")
    return set(files)


@pytest.mark.django_db
def test_a_redacted_version_replaces_the_original_for_search_and_readers(
    client, staff_client, published_policy, original, reviewer, django_capture_on_commit_callbacks
):
    assert found_documents(search(client, SECRET)) == {original.pk}

    with django_capture_on_commit_callbacks(execute=True):
        response = redact(staff_client, original)

    assert response.status_code == 302
    redacted = Document.objects.get(redaction_of=original)
    assert redacted.filing == published_policy
    assert redacted.uploaded_by == reviewer
    assert redacted.redaction_note == NOTE
    # Its text came from the redacted file itself, by the normal extraction task.
    assert redacted.processing == Document.Processing.EXTRACTED
    assert [page.text for page in redacted.pages.all()] == REDACTED_PAGES

    assert search(client, SECRET)["total"] == 0
    assert found_documents(search(client, KEPT)) == {redacted.pk}
    assert client.get(reverse("document_pages", args=[original.pk])).status_code == 404
    public_page = client.get(reverse("document_pages", args=[redacted.pk]))
    assert public_page.status_code == 200
    assert KEPT in public_page.text
    assert SECRET not in public_page.text
    assert "Oversight staff redacted parts of this document" in public_page.text


@pytest.mark.django_db
def test_the_original_leaves_search_at_once_even_before_the_redacted_text_is_extracted(
    client, published_policy, original, staff_client
):
    redact(staff_client, original)  # its extraction, queued on commit, never runs here

    redacted = Document.objects.get(redaction_of=original)
    assert redacted.processing == Document.Processing.PENDING
    assert list(public_documents_of(published_policy)) == [redacted]
    assert not public_documents().filter(pk=original.pk).exists()
    assert search(client, SECRET)["total"] == 0


@pytest.mark.django_db
def test_a_redaction_made_before_publication_is_what_gets_published(
    client,
    staff_client,
    filing_under_review,
    original,
    reviewer,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        redact(staff_client, original)
    redacted = Document.objects.get(redaction_of=original)
    assert client.get(reverse("document_pages", args=[redacted.pk])).status_code == 404

    publish_filing(filing_under_review, reviewer)

    assert search(client, SECRET)["total"] == 0
    assert found_documents(search(client, KEPT)) == {redacted.pk}


@pytest.mark.django_db
def test_removing_the_redaction_asks_first_then_publication_shows_the_original(
    client,
    staff_client,
    filing_under_review,
    original,
    reviewer,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        redact(staff_client, original)
    redacted = Document.objects.get(redaction_of=original)
    remove_url = reverse("redaction:remove", args=[original.pk])

    confirmation = staff_client.get(remove_url)
    assert confirmation.status_code == 200
    assert "When the filing is published, the public will see the original" in confirmation.text
    assert Document.objects.filter(pk=redacted.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(remove_url)
        publish_filing(filing_under_review, reviewer)

    assert response.status_code == 302
    assert not Document.objects.filter(pk=redacted.pk).exists()
    assert not default_storage.exists(redacted.file.name)
    assert client.get(reverse("document_pages", args=[original.pk])).status_code == 200
    assert client.get(reverse("document_pages", args=[redacted.pk])).status_code == 404
    # Expected: without the redaction the agency's own text is what gets published.
    assert found_documents(search(client, SECRET)) == {original.pk}


@pytest.mark.django_db
def test_a_published_redaction_is_an_amendment_on_the_log_and_stays(
    client, staff_client, published_policy, original, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        redact(staff_client, original)
    redacted = Document.objects.get(redaction_of=original)

    amendment = PublicationLogEntry.objects.order_by("sequence").last()
    assert amendment.action == PublicationLogEntry.Action.AMEND
    assert [listed["sha256"] for listed in amendment.contents["documents"]] == [redacted.sha256]
    assert NOTE not in amendment.canonical

    with django_capture_on_commit_callbacks(execute=True):
        refused = staff_client.post(reverse("redaction:remove", args=[original.pk]), follow=True)
    assert "publication log lists its hash" in refused.text
    assert default_storage.exists(redacted.file.name)
    assert found_documents(search(client, SECRET)) == set()
    assert verify_log() == []


@pytest.mark.django_db
def test_the_filings_history_records_each_redaction(
    staff_client, filing_under_review, original, reviewer
):
    redact(staff_client, original)
    staff_client.post(reverse("redaction:remove", args=[original.pk]))

    entries = ModelLogEntry.objects.for_instance(filing_under_review).order_by("timestamp", "pk")
    assert [(entry.action, entry.user) for entry in entries] == [
        ("redaction.add", reviewer),
        ("redaction.remove", reviewer),
    ]
    history = staff_client.get(reverse("filings:history", args=[filing_under_review.pk]))
    assert "Redacted version “harbor-policy-redacted.pdf” replaces “harbor-policy.pdf”" in (
        history.text
    )
    assert NOTE.replace("'", "&#x27;") in history.text


def encrypted_pdf() -> bytes:
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(make_pdf(REDACTED_PAGES))) as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(owner="staff", user="secret"))
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "refusal"),
    [
        ("redacted.pdf", b"Name: [redacted]\nRetention: ninety days\n", "plain text"),
        ("redacted.pdf", encrypted_pdf(), "password"),
        (
            "redacted.csv",
            b"name,retention\n[redacted],90\n",
            "must be a PDF file like the original",
        ),
    ],
    ids=["plain-text", "encrypted-pdf", "csv-for-a-pdf"],
)
def test_a_refused_file_is_explained_and_leaves_nothing(
    client, staff_client, published_policy, original, name, data, refusal
):
    files_before = stored_files()

    response = redact(staff_client, original, data=data, name=name)

    assert response.status_code == 200
    assert "The file was not stored." in response.text
    assert refusal in response.text
    assert list(published_policy.documents.all()) == [original]
    assert stored_files() == files_before
    assert found_documents(search(client, SECRET)) == {original.pk}


@pytest.mark.django_db
def test_a_redaction_must_say_what_was_redacted(staff_client, published_policy, original):
    files_before = stored_files()

    response = redact(staff_client, original, note="   ")

    assert response.status_code == 200
    assert "This field is required." in response.text
    assert list(published_policy.documents.all()) == [original]
    assert stored_files() == files_before


@pytest.mark.django_db
def test_a_second_redacted_version_is_refused_until_the_first_is_removed(
    staff_client, published_policy, original
):
    redact(staff_client, original)
    page = staff_client.get(reverse("redaction:replace", args=[original.pk]))
    assert "Remove the redacted version" in page.text
    assert 'type="file"' not in page.text

    response = redact(staff_client, original, name="second-try.pdf")

    assert response.status_code == 302
    assert "already has a redacted version" in staff_client.get(response.url).text
    assert published_policy.documents.count() == 2


@pytest.mark.django_db
def test_staff_find_the_redaction_page_from_the_document_listing(
    staff_client, published_policy, original
):
    replace_url = reverse("redaction:replace", args=[original.pk])
    listing = staff_client.get(reverse("filing_documents:index"))
    assert f'href="{replace_url}"' in listing.text
    assert "As uploaded (redact…)" in listing.text

    redact(staff_client, original)
    redacted = Document.objects.get(redaction_of=original)
    listing = staff_client.get(reverse("filing_documents:index"))
    assert "Replaced by a redacted version" in listing.text
    assert "Redacted copy of “harbor-policy.pdf”" in listing.text
    inspect = staff_client.get(reverse("filing_documents:inspect", args=[redacted.pk]))
    assert NOTE.replace("'", "&#x27;") in inspect.text
    # The copy's own page leads back to its original's.
    copy_page = staff_client.get(reverse("redaction:replace", args=[redacted.pk]))
    assert copy_page.status_code == 302
    assert copy_page.url == replace_url


@pytest.mark.django_db
def test_the_page_shows_the_originals_identity(staff_client, published_policy, original):
    page = staff_client.get(reverse("redaction:replace", args=[original.pk]))
    assert page.status_code == 200
    assert "harbor-policy.pdf" in page.text
    assert original.sha256 in page.text
    assert "<dd>3</dd>" in page.text
