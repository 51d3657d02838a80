"""A filing's documents in the agency portal: upload, status, download, removal, and large
files sent straight to an S3 bucket. S3 tests run against a real SeaweedFS server."""

import hashlib
import io
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pikepdf
import pytest
import requests
from django.contrib.messages import get_messages
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from content.documents.models import Document
from content.filings.models import Status
from submissions.models import DirectUpload
from tests.conftest import make_pdf
from tests.factories import FilingFactory

# The SeaweedFS fixtures, seaweedfs and s3_storage.
pytest_plugins = ["tests.search.s3_server"]

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(64)
HTML_BYTES = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture(autouse=True)
def spooled(spool):
    """Every test here checks that no temporary file is left in the spool."""
    return spool


@pytest.fixture
def draft(agency_a):
    return FilingFactory(agency=agency_a, kind="audit", title="ALPR audit 2026")


def documents_url(filing, *, name="document_upload", **kwargs):
    return reverse(
        f"submissions:{name}",
        kwargs={"agency": filing.agency.slug, "filing": filing.pk, **kwargs},
    )


def document_url(document, name="document_download"):
    return documents_url(document.filing, name=name, document=document.pk)


def upload(client, filing, data: bytes, name: str):
    """Post the file as a browser would, and follow the redirect back to the filing."""
    file = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(documents_url(filing), {"file": file}, follow=True)


def shown_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def encrypted_pdf() -> bytes:
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(make_pdf(["Confidential"]))) as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(owner="agency", user="secret"))
    return buffer.getvalue()


def detail_url(filing):
    return reverse(
        "submissions:filing_detail", kwargs={"agency": filing.agency.slug, "filing": filing.pk}
    )


def edit_url(filing):
    return reverse(
        "submissions:filing_edit", kwargs={"agency": filing.agency.slug, "filing": filing.pk}
    )


# --- Uploading through the portal -----------------------------------------------------


@pytest.mark.parametrize("storage", ["local", "s3"], indirect=True)
def test_an_uploaded_pdf_is_stored_and_its_status_shown_on_the_edit_page(
    storage, draft, submitter_a, sign_in, django_capture_on_commit_callbacks
):
    client = sign_in(submitter_a)
    pdf = make_pdf(["Use policy", "Retention"])

    # Text extraction is queued on commit; the test runs it once the upload is answered.
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, draft, pdf, "ALPR use policy.pdf")

    assert response.redirect_chain == [(f"{edit_url(draft)}#documents", 302)]
    page = response.content.decode()
    assert (
        "“ALPR use policy.pdf” was uploaded. Its text is being extracted; "
        "the status in the documents list shows when that is done."
    ) in page
    document = Document.objects.get(filing=draft)
    assert document.original_name == "ALPR use policy.pdf"
    assert document.uploaded_by == submitter_a
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert storage.object_keys() == {document.file.name}
    assert storage.read(document.file.name) == pdf
    assert "ALPR use policy.pdf" in page
    assert document.sha256[:12] in page
    assert "Waiting for text extraction" in page

    page = client.get(edit_url(draft)).content.decode()
    assert "Text extracted" in page
    assert f'<a href="{edit_url(draft)}#documents">Refresh status</a>' in page


def test_the_panel_shows_extraction_failures_ocr_needs_and_removed_content(
    local_storage, draft, submitter_a, sign_in
):
    client = sign_in(submitter_a)
    upload(client, draft, make_pdf(["Scan"]), "scan.pdf")
    Document.objects.filter(filing=draft).update(
        processing=Document.Processing.NEEDS_OCR,
        removed_content=["a script run when the file is opened"],
    )
    page = client.get(edit_url(draft)).content.decode()
    assert "Needs OCR" in page
    assert "their words cannot be searched yet" in page
    assert "a script run when the file is opened" in page

    Document.objects.filter(filing=draft).update(
        processing=Document.Processing.FAILED, processing_error="The page tree is broken."
    )
    page = client.get(edit_url(draft)).content.decode()
    assert "Failed" in page
    assert "The page tree is broken." in page


@pytest.mark.parametrize(
    ("data", "named", "reason"),
    [
        (PNG_BYTES, "scan.pdf", "a PNG image"),
        (HTML_BYTES, "policy.pdf", "HTML"),
        (encrypted_pdf(), "locked.pdf", "This PDF is password-protected"),
        (make_pdf(["Cut off"])[:300], "cut-off.pdf", "damaged"),
    ],
    ids=["png-renamed-pdf", "html-renamed-pdf", "encrypted-pdf", "truncated-pdf"],
)
def test_a_refused_file_is_explained_by_name_and_nothing_is_kept(
    local_storage, spool, draft, submitter_a, sign_in, data, named, reason
):
    response = upload(sign_in(submitter_a), draft, data, named)

    [message] = shown_messages(response)
    assert message.startswith(f"“{named}” was not uploaded.")
    assert reason in message
    assert reason in response.content.decode()
    assert not Document.objects.exists()
    assert local_storage.object_keys() == set()
    assert list(spool.iterdir()) == []


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(
    local_storage, settings, draft, submitter_a, sign_in
):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1024
    response = upload(sign_in(submitter_a), draft, make_pdf(["x" * 80] * 20), "big.pdf")

    [message] = shown_messages(response)
    assert message.startswith("“big.pdf” was not uploaded. The file is larger than 1 KB")
    assert not Document.objects.exists()
    assert local_storage.object_keys() == set()


def test_pressing_upload_without_choosing_a_file_says_so(
    local_storage, draft, submitter_a, sign_in
):
    response = sign_in(submitter_a).post(documents_url(draft), {}, follow=True)

    assert shown_messages(response) == [
        "No file arrived. Choose a file, then press Upload; if you had chosen one, the upload "
        "was interrupted, so try again."
    ]
    assert not Document.objects.exists()


def test_an_upload_cut_off_by_a_dropped_connection_keeps_nothing(
    local_storage, spool, draft, submitter_a, sign_in
):
    boundary = "----portal-test-boundary"
    pdf = make_pdf(["Use policy"] * 5)
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="policy.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + pdf[: len(pdf) // 2]

    response = sign_in(submitter_a).generic(
        "POST",
        documents_url(draft),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
        follow=True,
    )

    [message] = shown_messages(response)
    assert "the upload was interrupted, so try again" in message
    assert not Document.objects.exists()
    assert local_storage.object_keys() == set()
    assert list(spool.iterdir()) == []


@pytest.mark.parametrize("storage", ["local", "s3"], indirect=True)
def test_when_storing_fails_halfway_the_person_is_told_and_nothing_is_kept(
    storage, spool, draft, submitter_a, sign_in, monkeypatch
):
    """The object is stored, then writing the row fails: ingestion deletes the object."""

    def database_gone(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr(Document, "save", database_gone)
    response = upload(sign_in(submitter_a), draft, make_pdf(["Use policy"]), "policy.pdf")

    [message] = shown_messages(response)
    assert message.startswith("“policy.pdf” was not uploaded: the portal could not store it")
    assert not Document.objects.exists()
    assert storage.object_keys() == set()
    assert list(spool.iterdir()) == []


def test_when_the_disk_refuses_the_file_the_person_is_told_and_nothing_is_kept(
    local_storage, spool, draft, submitter_a, sign_in, monkeypatch
):
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)
    response = upload(sign_in(submitter_a), draft, make_pdf(["Use policy"]), "policy.pdf")

    assert shown_messages(response)[0].startswith("“policy.pdf” was not uploaded: the portal")
    assert not Document.objects.exists()
    assert local_storage.object_keys() == set()
    assert list(spool.iterdir()) == []


# --- Downloading, status, removal -----------------------------------------------------


@pytest.fixture
def uploaded(draft, submitter_a, sign_in, local_storage):
    upload(sign_in(submitter_a), draft, make_pdf(["Use policy"]), "Use policy: 2026.pdf")
    return Document.objects.get(filing=draft)


@pytest.mark.parametrize("storage", ["local", "s3"], indirect=True)
def test_a_document_downloads_as_an_attachment_that_is_not_cached(
    storage, draft, submitter_a, sign_in
):
    client = sign_in(submitter_a)
    pdf = make_pdf(["Use policy"])
    upload(client, draft, pdf, "Use policy: 2026.pdf")
    document = Document.objects.get(filing=draft)

    response = client.get(document_url(document))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Use policy_ 2026.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= {
        directive.strip() for directive in response["Cache-Control"].split(",")
    }


def test_the_status_is_available_as_json_for_the_page_to_poll(uploaded, submitter_a, sign_in):
    Document.objects.filter(pk=uploaded.pk).update(
        processing=Document.Processing.FAILED, processing_error="The page tree is broken."
    )
    response = sign_in(submitter_a).get(document_url(uploaded, "document_status"))

    assert response.json() == {
        "processing": "failed",
        "processing_display": "Failed",
        "page_count": 1,
        "error": "The page tree is broken.",
    }


@pytest.mark.parametrize("name", ["document_download", "document_status", "document_remove"])
def test_a_document_is_not_found_at_any_address_but_its_own(
    uploaded, agency_a, agency_b, submitter_b, approver_a, sign_in, name
):
    own = uploaded.filing.pk
    other_filing_a = FilingFactory(agency=agency_a).pk
    filing_b = FilingFactory(agency=agency_b).pk
    guesses = [
        # Another agency's staff, at A's address, at their own with A's ids, and with
        # A's document id under their own filing.
        (submitter_b, "police", own, uploaded.pk),
        (submitter_b, "transportation", own, uploaded.pk),
        (submitter_b, "transportation", filing_b, uploaded.pk),
        # A's own staff: the document under A's other filing, and an id that does not exist.
        (approver_a, "police", other_filing_a, uploaded.pk),
        (approver_a, "police", own, uploaded.pk + 1000),
    ]
    for user, agency, filing, document in guesses:
        url = reverse(
            f"submissions:{name}", kwargs={"agency": agency, "filing": filing, "document": document}
        )
        client = sign_in(user)
        response = client.post(url) if name == "document_remove" else client.get(url)
        assert response.status_code == 404, (user, agency, filing, document)
    assert Document.objects.filter(pk=uploaded.pk).exists()


def test_removing_a_document_deletes_the_row_and_the_stored_file(
    uploaded, local_storage, submitter_a, sign_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(submitter_a).post(document_url(uploaded, "document_remove"), follow=True)

    assert shown_messages(response) == ["“Use policy_ 2026.pdf” was removed from this filing."]
    assert not Document.objects.exists()
    assert local_storage.object_keys() == set()


def test_a_submitted_filings_documents_cannot_be_added_or_removed_but_still_downloaded(
    uploaded, local_storage, submitter_a, sign_in
):
    filing = uploaded.filing
    filing.status = Status.SUBMITTED
    filing.save(update_fields=["status"])
    client = sign_in(submitter_a)
    stored = local_storage.object_keys()
    reason = "This filing is submitted; it can be changed only as a draft"

    refused_upload = client.post(
        documents_url(filing), {"file": SimpleUploadedFile("more.pdf", make_pdf(["More"]))}
    )
    refused_removal = client.post(document_url(uploaded, "document_remove"))

    for response in (refused_upload, refused_removal):
        assert response.status_code == 403
        assert reason in response.content.decode()
    assert list(Document.objects.all()) == [uploaded]
    assert local_storage.object_keys() == stored
    assert client.get(document_url(uploaded)).status_code == 200
    page = client.get(detail_url(filing)).content.decode()
    assert "Use policy_ 2026.pdf" in page
    assert f'action="{document_url(uploaded, "document_remove")}"' not in page
    assert f'action="{documents_url(filing)}"' not in page


# --- Large files straight to the S3 bucket --------------------------------------------


class FormReader(HTMLParser):
    """The upload form on the page, read as a browser reads it: action and fields in order."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.fields = []
        self.file_field = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("enctype") == "multipart/form-data":
            self.action = attributes["action"]
        elif tag == "input" and self.action is not None:
            if attributes["type"] == "file":
                self.file_field = attributes["name"]
            else:
                self.fields.append((attributes["name"], attributes.get("value", "")))


def direct_form(client, filing) -> FormReader:
    response = client.get(documents_url(filing, name="direct_upload"))
    assert response.status_code == 200
    form = FormReader()
    form.feed(response.content.decode())
    return form


def post_to_bucket(form: FormReader, data: bytes, name: str, fields=()):
    """What the browser sends: the form's fields, then the file, and no following redirects."""
    return requests.post(
        form.action,
        data=[*form.fields, *fields],
        files={form.file_field: (name, data, "application/pdf")},
        allow_redirects=False,
        timeout=30,
    )


def back_at_portal(client, response):
    """Follow the bucket's redirect into the portal, as the browser would."""
    assert response.status_code == 303, response.text
    location = urlsplit(response.headers["Location"])
    assert location.netloc == "testserver"
    return client.get(f"{location.path}?{location.query}", follow=True)


def test_a_large_pdf_goes_to_the_bucket_and_is_accepted_only_after_checking(
    s3_storage, settings, draft, submitter_a, sign_in
):
    client = sign_in(submitter_a)
    pdf = make_pdf(["Use policy"] * 3)
    form = direct_form(client, draft)
    assert form.action.startswith(f"{settings.STORAGES['default']['OPTIONS']['endpoint_url']}/")

    response = post_to_bucket(form, pdf, "Large use policy.pdf")
    redirected = urlsplit(response.headers["Location"])
    assert redirected.path == documents_url(draft, name="direct_upload_done")
    arrived = back_at_portal(client, response)

    assert "“Large use policy.pdf” was uploaded." in shown_messages(arrived)[0]
    document = Document.objects.get(filing=draft)
    assert document.original_name == "Large use policy.pdf"
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.uploaded_by == submitter_a
    # Only the accepted copy is kept; the incoming object is gone.
    assert s3_storage.object_keys() == {document.file.name}
    assert s3_storage.read(document.file.name) == pdf

    # The same redirect again, replayed or reloaded, adds nothing.
    replay = back_at_portal(client, response)
    assert "handled already" in shown_messages(replay)[0]
    assert Document.objects.count() == 1


def test_a_non_pdf_sent_to_the_bucket_is_refused_and_deleted(
    s3_storage, draft, submitter_a, sign_in
):
    client = sign_in(submitter_a)
    response = post_to_bucket(direct_form(client, draft), PNG_BYTES, "scan.pdf")
    arrived = back_at_portal(client, response)

    [message] = shown_messages(arrived)
    assert message.startswith("“scan.pdf” was not uploaded.")
    assert "a PNG image" in message
    assert not Document.objects.exists()
    assert s3_storage.object_keys() == set()


@pytest.mark.parametrize(
    ("extra_fields", "data_size", "status", "code"),
    [
        ((), 2048, 400, "EntityTooLarge"),
        ((("Content-Type", "text/html"),), 100, 403, "AccessDenied"),
        ((("key", "documents/planted.pdf"),), 100, 403, "AccessDenied"),
    ],
    ids=["over-the-size-limit", "another-content-type", "a-key-outside-incoming"],
)
def test_the_bucket_refuses_what_the_signed_form_does_not_allow(
    s3_storage, settings, draft, submitter_a, sign_in, extra_fields, data_size, status, code
):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1024
    form = direct_form(sign_in(submitter_a), draft)
    # A changed field replaces the form's own, as a tampered form would send it.
    changed = {name for name, _ in extra_fields}
    form.fields = [(name, value) for name, value in form.fields if name not in changed]

    response = post_to_bucket(form, b"%PDF-1.7\n" + bytes(data_size), "policy.pdf", extra_fields)

    assert response.status_code == status
    assert f"<Code>{code}</Code>" in response.text
    assert s3_storage.object_keys() == set()


def test_an_upload_key_works_only_for_the_person_and_filing_it_was_issued_for(
    s3_storage, draft, agency_a, submitter_a, approver_a, sign_in
):
    client = sign_in(submitter_a)
    response = post_to_bucket(direct_form(client, draft), make_pdf(["Policy"]), "policy.pdf")
    location = urlsplit(response.headers["Location"])
    other_filing = FilingFactory(agency=agency_a)

    colleague = sign_in(approver_a).get(f"{location.path}?{location.query}", follow=True)
    assert "not one the portal started for you" in shown_messages(colleague)[0]
    elsewhere = client.get(
        f"{documents_url(other_filing, name='direct_upload_done')}?{location.query}", follow=True
    )
    assert "not one the portal started for you" in shown_messages(elsewhere)[0]
    assert not Document.objects.exists()

    # The rightful uploader still gets the file in.
    back_at_portal(client, response)
    assert Document.objects.get().filing == draft
    assert DirectUpload.objects.get().used_at is not None


def test_without_s3_there_is_no_direct_upload(local_storage, draft, submitter_a, sign_in):
    client = sign_in(submitter_a)
    assert (
        documents_url(draft, name="direct_upload")
        not in client.get(edit_url(draft)).content.decode()
    )
    response = client.get(documents_url(draft, name="direct_upload"))
    assert response.status_code == 302
    assert not DirectUpload.objects.exists()


def test_a_filing_submitted_while_its_file_was_on_the_way_refuses_and_deletes_the_file(
    s3_storage, draft, submitter_a, sign_in
):
    client = sign_in(submitter_a)
    response = post_to_bucket(direct_form(client, draft), make_pdf(["Policy"]), "policy.pdf")
    draft.status = Status.SUBMITTED
    draft.save(update_fields=["status"])
    location = urlsplit(response.headers["Location"])

    refused = client.get(f"{location.path}?{location.query}")

    assert refused.status_code == 403
    assert "This filing is submitted" in refused.content.decode()
    assert not Document.objects.exists()
    assert s3_storage.object_keys() == set()


def test_the_form_posts_to_the_endpoint_browsers_reach(
    s3_storage, settings, draft, submitter_a, sign_in
):
    settings.S3_PUBLIC_ENDPOINT_URL = "https://files.example.org"
    form = direct_form(sign_in(submitter_a), draft)
    assert form.action.startswith("https://files.example.org/")


def test_with_an_empty_public_endpoint_every_upload_goes_through_the_portal(
    s3_storage, settings, draft, submitter_a, sign_in
):
    settings.S3_PUBLIC_ENDPOINT_URL = ""
    client = sign_in(submitter_a)
    assert (
        documents_url(draft, name="direct_upload")
        not in client.get(edit_url(draft)).content.decode()
    )
    assert client.get(documents_url(draft, name="direct_upload")).status_code == 302
    assert not DirectUpload.objects.exists()


@pytest.mark.parametrize("value", ["files.example.org", "ftp://files.example.org", "https://x/a?b"])
def test_a_malformed_public_endpoint_stops_the_portal_with_the_variable_named(value):
    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings.base"],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "S3_PUBLIC_ENDPOINT_URL": value},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert f"S3_PUBLIC_ENDPOINT_URL={value!r} is not an S3 endpoint URL" in result.stderr


def test_coming_back_without_the_file_having_arrived_says_so(
    s3_storage, draft, submitter_a, sign_in
):
    client = sign_in(submitter_a)
    direct_form(client, draft)
    ticket = DirectUpload.objects.get()

    response = client.get(
        documents_url(draft, name="direct_upload_done"),
        {"key": f"{ticket.prefix}policy.pdf"},
        follow=True,
    )

    assert shown_messages(response) == ["The file did not arrive in storage. Upload it again."]
    assert not Document.objects.exists()
