"""What residents see: the filing page with its history, the log as HTML and JSON."""

import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from content.filings.models import Status
from publication.models import PublicationLogEntry
from publication.services import amend, publish, unpublish, withdraw
from redaction.services import add_redaction
from search.extraction import extract_document_text
from tests.conftest import make_pdf
from tests.factories import FilingFactory


def filing_url(filing):
    return reverse("publication:filing", args=[filing.pk])


@pytest.mark.django_db
def test_the_filing_page_shows_the_published_fields_documents_and_their_hashes(
    client, accepted_policy, reviewer
):
    publish(accepted_policy, by=reviewer)
    document = accepted_policy.documents.get()

    page = client.get(filing_url(accepted_policy)).content.decode()

    assert "<h1>ALPR use policy</h1>" in page
    assert "Quarterly audit by the inspector general." in page
    assert "Fixed ALPR cameras" in page
    assert f'href="/documents/{document.pk}/"' in page
    assert document.sha256 in page
    assert "withdrawn" not in page


@pytest.mark.django_db
def test_readers_share_a_rendered_page_until_the_filing_changes(
    client,
    accepted_policy,
    reviewer,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    publish(accepted_policy, by=reviewer)
    first = client.get(filing_url(accepted_policy)).content.decode()

    # Served again from the cache: only the lookup that tells whether the record changed.
    with django_assert_max_num_queries(1):
        again = client.get(filing_url(accepted_policy)).content.decode()
    assert again == first

    # Each change is seen once it commits.
    with django_capture_on_commit_callbacks(execute=True):
        amend(accepted_policy, reviewer, {"title": "ALPR use policy, corrected"}, reason="Typo")
    assert "<h1>ALPR use policy, corrected</h1>" in client.get(filing_url(accepted_policy)).text
    with django_capture_on_commit_callbacks(execute=True):
        unpublish(accepted_policy, reviewer, reason="Under legal review")
    assert "This filing was withdrawn on" in client.get(filing_url(accepted_policy)).text


@pytest.mark.django_db
def test_an_amended_policy_shows_each_changed_field_but_never_what_was_redacted(
    client, accepted_policy, reviewer
):
    publish(accepted_policy, by=reviewer)
    original = accepted_policy.documents.get()
    redacted = add_redaction(
        original,
        io.BytesIO(
            make_pdf(["Section 1. Reads are kept for thirty days.", "Section 2. [REDACTED]"])
        ),
        "policy-redacted.pdf",
        note="Investigative technique",
        by=reviewer,
    )
    extract_document_text.call(redacted.pk)
    amend(
        accepted_policy,
        by=reviewer,
        changes={
            "title": "ALPR use policy, redacted",
            "details": {**accepted_policy.details, "retention": "Fourteen days."},
        },
        reason="Shorter retention; one section withheld",
    )

    page = client.get(filing_url(accepted_policy)).content.decode()

    assert "Reason: Shorter retention; one section withheld" in page
    # The redaction of a published filing is an amendment of its own (version 2); the
    # metadata amendment follows as version 3.
    assert "Version 2: amended on" in page
    assert "What changed from version 2" in page
    title_row = '<th scope="row">Title</th><td>ALPR use policy</td><td>ALPR use policy, redacted'
    assert title_row in page
    retention_row = '<th scope="row">Data retention</th><td>Thirty days.</td><td>Fourteen days.'
    assert retention_row in page
    # Version 1 listed the original, but its text reads as the redacted copy's: a diff
    # against the original would show the public the very passage staff withheld.
    assert "Searches need a case number" not in page
    assert 'class="text-diff"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("take_down", "who"),
    [(unpublish, "Oversight staff took it down."), (withdraw, "The agency withdrew it.")],
)
def test_a_taken_down_filing_says_it_was_withdrawn_with_its_history(
    client, accepted_policy, reviewer, take_down, who
):
    publish(accepted_policy, by=reviewer)
    document = accepted_policy.documents.get()
    entry = take_down(accepted_policy, by=reviewer, reason="Names a confidential informant")

    response = client.get(filing_url(accepted_policy))

    assert response.status_code == 200
    page = response.content.decode()
    # The page gives the date in the portal's time zone, which is a day behind UTC's for
    # some hours of each day.
    recorded = timezone.localtime(entry.recorded_at)
    withdrawn_on = f"{recorded:%B} {recorded.day}, {recorded.year}"
    assert "This filing was withdrawn on" in page
    assert f"{withdrawn_on}</time>: Names a confidential informant" in page
    assert who in page
    assert "Version 1: published on" in page
    # Its content and files left public view with it.
    assert "Quarterly audit by the inspector general." not in page
    assert f'href="/documents/{document.pk}/"' not in page
    assert client.get(reverse("publication:file", args=[document.pk])).status_code == 404


@pytest.mark.django_db
def test_a_filing_published_before_the_log_began_can_still_be_taken_down(
    client, accepted_policy, reviewer
):
    accepted_policy.transition_to(Status.PUBLISHED)

    entry = unpublish(accepted_policy, by=reviewer, reason="Superseded")

    assert entry.version is None
    assert entry.contents["filing"]["title"] == "ALPR use policy"
    page = client.get(filing_url(accepted_policy)).content.decode()
    assert "</time>: Superseded" in page
    assert "Published before the publication log began" in page


@pytest.mark.django_db
def test_a_filing_never_published_has_no_public_page(client, accepted_policy):
    assert client.get(filing_url(accepted_policy)).status_code == 404


@pytest.mark.django_db
def test_a_published_file_downloads_with_the_bytes_that_were_hashed(
    client, accepted_policy, reviewer
):
    publish(accepted_policy, by=reviewer)
    document = accepted_policy.documents.get()

    response = client.get(reverse("publication:file", args=[document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == document.file.open("rb").read()
    assert 'filename="policy.pdf"' in response["Content-Disposition"]


@pytest.mark.django_db
def test_the_log_page_lists_entries_newest_first_with_links_to_filings(
    client, accepted_policy, reviewer
):
    publish(accepted_policy, by=reviewer)
    unpublish(accepted_policy, by=reviewer, reason="Wrong agency")

    page = client.get(reverse("publication:log")).content.decode()

    assert page.index("Unpublished by staff") < page.index("<td>Published</td>")
    assert f'<a href="{filing_url(accepted_policy)}">ALPR use policy</a>' in page
    assert "Wrong agency" in page
    for entry in PublicationLogEntry.objects.all():
        assert entry.entry_hash in page


@pytest.mark.django_db
def test_the_json_log_gives_every_entry_oldest_first_across_pages(
    client, agency_a, technology, reviewer, monkeypatch
):
    monkeypatch.setattr("publication.views.JSON_PAGE_SIZE", 2)
    for number in range(3):
        filing = FilingFactory(
            agency=agency_a,
            kind="commission_recommendation",
            technologies=[technology],
            details={
                "recommendation": "approve",
                "meeting_date": "2026-01-05",
                "rationale": f"Reason {number}",
            },
        )
        for status in (Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED):
            filing.transition_to(status)
        publish(filing, by=reviewer)

    first = client.get(reverse("publication:log_json")).json()
    second = client.get(first["next"]).json()

    assert [entry["sequence"] for entry in first["entries"]] == [1, 2]
    assert [entry["sequence"] for entry in second["entries"]] == [3]
    assert second["next"] is None
    stored = PublicationLogEntry.objects.get(sequence=3)
    assert second["entries"][0]["canonical"] == stored.canonical
    assert second["entries"][0]["entry_hash"] == stored.entry_hash
    assert json.loads(stored.canonical)["previous_hash"] == first["entries"][1]["entry_hash"]


@pytest.mark.django_db
def test_the_json_log_explains_a_bad_page_address(client):
    response = client.get(reverse("publication:log_json"), {"after": "-1"})
    assert response.status_code == 400
    assert "sequence number" in response.json()["error"]


@pytest.mark.django_db
def test_the_verification_procedure_is_readable_on_the_site(client):
    page = client.get(reverse("publication:how_to_verify")).content.decode()
    assert "<h1>Verifying the publication log</h1>" in page
    assert "sha256sum" in page
