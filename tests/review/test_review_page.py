"""The review page: the checklist, the documents beside the metadata, and the message thread."""

import re
from collections import Counter

import pytest
from django.core import mail
from django.urls import reverse

from content.documents.models import DocumentPage
from content.filings.models import Filing, Status
from review.models import Review
from submissions.models import FilingMessage


def review_url(filing) -> str:
    return reverse("review:detail", args=[filing.pk])


def act(client, filing, action, **data):
    """POST one review action as the page would, carrying the status the page showed."""
    data.setdefault("status", Filing.objects.get(pk=filing.pk).status)
    return client.post(reverse("review:act", args=[filing.pk, action]), data)


def checklist_rows(page) -> dict[str, tuple[str, bool]]:
    """{item label: (automatic state, ticked)} as the checklist table shows them."""
    table = page.text[page.text.find('class="listing review-checklist"') :].split("</table>")[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]:
        label = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, flags=re.S).group(1).strip()
        state = re.findall(r"<td>(.*?)</td>", row, flags=re.S)[0]
        rows[label] = (" ".join(re.sub(r"<[^>]+>", " ", state).split()), " checked" in row)
    return rows


def agency_page(client, filing):
    return client.get(
        reverse(
            "submissions:filing_detail", kwargs={"agency": filing.agency.slug, "filing": filing.pk}
        )
    )


def test_the_checklist_shows_each_rulebook_item_checked_automatically_and_the_reviewers_ticks(
    sign_in, reviewer, filing_in
):
    filing = filing_in(Status.IN_REVIEW)
    # The agency's findings went missing: the automatic check says so.
    Filing.objects.filter(pk=filing.pk).update(
        details={"auditor": "City Auditor", "recommendations": "Delete reads.", "extra": "x"}
    )
    client = sign_in(reviewer)

    saved = act(client, filing, "checklist", ticked=["auditor", "reviewer.documents_match"])
    page = client.get(review_url(filing))

    assert saved.status_code == 303
    rows = checklist_rows(page)
    assert rows["Title"] == ("Complete", False)
    assert rows["Auditor"] == ("Complete", True)
    assert rows["Findings"] == ("Problem: required", False)
    assert rows["Agency response (optional)"] == ("Complete", False)
    assert rows["At least 1 document"] == ("Complete", False)
    assert rows["The documents are what the filing says they are"] == (
        "A reviewer's judgement",
        True,
    )
    assert "extra: is not a field of audit result filings" in page.text
    assert "5 of 6 requirements complete by the automatic check; 2 of 9 items ticked" in page.text
    assert Review.objects.get(filing=filing).checklist["auditor"] is True


def test_a_checklist_item_the_kind_does_not_have_is_refused_and_nothing_is_saved(
    sign_in, reviewer, filing_in
):
    filing = filing_in(Status.IN_REVIEW)

    refused = act(sign_in(reviewer), filing, "checklist", ticked=["auditor", "vendor_access"])

    assert refused.status_code == 400
    assert "The checklist changed since the page was loaded; reload it and tick again." in (
        refused.text
    )
    assert not Review.objects.filter(filing=filing).exists()


def test_documents_sit_beside_the_metadata_with_their_page_text_anchored_and_a_file_link(
    sign_in, reviewer, filing_in
):
    filing = filing_in(Status.IN_REVIEW)
    document = filing.documents.get()
    DocumentPage.objects.bulk_create(
        [
            DocumentPage(document=document, number=1, text="Plate reads kept 730 days."),
            DocumentPage(document=document, number=2, text="Recommendation: 30 days."),
        ]
    )
    client = sign_in(reviewer)

    page = client.get(review_url(filing))
    download = client.get(reverse("review:document_file", args=[filing.pk, document.pk]))

    columns = page.text[page.text.find('class="review-columns"') :]
    assert columns.find("What the agency filed") < columns.find("Documents (1)")
    assert f'href="#document-{document.pk}-page-2"' in page.text
    assert f'id="document-{document.pk}-page-2"' in page.text
    assert 'tabindex="0" role="region" aria-label="Text of audit.pdf"' in page.text
    assert "Recommendation: 30 days." in page.text
    assert f'href="{reverse("redaction:replace", args=[document.pk])}"' in page.text
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == document.file.open("rb").read()
    assert download["Content-Disposition"].startswith("attachment")


def test_a_document_of_another_filing_is_not_served_under_this_one(sign_in, reviewer, filing_in):
    filing = filing_in(Status.IN_REVIEW)
    other = filing_in(Status.SUBMITTED)

    response = sign_in(reviewer).get(
        reverse("review:document_file", args=[filing.pk, other.documents.get().pk])
    )

    assert response.status_code == 404


def test_internal_notes_never_reach_the_agency_portal_or_any_email(
    sign_in, reviewer, submitter_a, filing_in, django_capture_on_commit_callbacks
):
    filing = filing_in(Status.IN_REVIEW)
    staff = sign_in(reviewer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        note = act(staff, filing, "note", body="Internal: the vendor is under investigation.")
        comment = act(staff, filing, "comment", body="Please attach the retention schedule.")
        asked = act(
            staff, filing, "request_changes", comment="Add appendix B of the audit, please."
        )
    review_page = staff.get(review_url(filing))
    agency = agency_page(sign_in(submitter_a), filing)

    assert note.status_code == comment.status_code == asked.status_code == 303
    assert "Staff only" in review_page.text
    assert "Internal: the vendor is under investigation." in review_page.text
    assert agency.status_code == 200
    assert "Please attach the retention schedule." in agency.text
    assert "Add appendix B of the audit, please." in agency.text
    assert "vendor is under investigation" not in agency.text
    assert mail.outbox, "the agency is told that changes were requested"
    for message in mail.outbox:
        assert "vendor is under investigation" not in message.body
        assert "vendor is under investigation" not in message.subject
    assert FilingMessage.objects.get(audience=FilingMessage.Audience.INTERNAL).author == reviewer


def test_requesting_changes_emails_the_agency_the_reviewers_comment(
    sign_in, reviewer, submitter_a, approver_a, filing_in, django_capture_on_commit_callbacks
):
    filing = filing_in(Status.IN_REVIEW)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        asked = act(
            sign_in(reviewer),
            filing,
            "request_changes",
            comment="The findings must cover **all** plate readers.",
        )

    assert asked.status_code == 303
    assert Filing.objects.get(pk=filing.pk).status == Status.CHANGES_REQUESTED
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "approver-a@example.org",
        "submitter-a@example.org",
    ]
    assert all("The findings must cover **all** plate readers." in m.body for m in mail.outbox)
    assert all(m.subject.endswith("Changes requested: " + filing.title) for m in mail.outbox)


@pytest.mark.parametrize("action", ["request_changes", "note", "comment"])
def test_an_empty_comment_or_note_is_refused_with_a_clear_error_and_nothing_is_written(
    sign_in, reviewer, filing_in, action
):
    filing = filing_in(Status.IN_REVIEW)
    field = "comment" if action == "request_changes" else "body"

    refused = act(sign_in(reviewer), filing, action, **{field: "   "})

    assert refused.status_code == 400
    assert re.search(
        r"Enter the (comment to the agency|internal note|changes the agency must make)\.",
        refused.text,
    )
    assert not FilingMessage.objects.exists()
    assert Filing.objects.get(pk=filing.pk).status == Status.IN_REVIEW


def test_comments_to_the_agency_close_with_the_filing_but_internal_notes_stay_open(
    sign_in, reviewer, filing_in
):
    filing = filing_in(Status.IN_REVIEW)
    client = sign_in(reviewer)
    act(client, filing, "reject", reason="Not an audit.")

    page = client.get(review_url(filing))
    refused = act(client, filing, "comment", body="One more thing.")
    noted = act(client, filing, "note", body="Agency called to complain.")

    assert f'action="{reverse("review:act", args=[filing.pk, "comment"])}"' not in page.text
    assert f'action="{reverse("review:act", args=[filing.pk, "note"])}"' in page.text
    assert refused.status_code == 409
    assert "Comments to the agency are closed while the filing is rejected" in refused.text
    assert noted.status_code == 303
    assert list(FilingMessage.objects.values_list("body", flat=True)) == [
        "**Rejected.** Not an audit.",
        "Agency called to complain.",
    ]


def test_assigning_to_me_and_to_another_reviewer_but_never_to_an_agency_user(
    sign_in, reviewer, second_reviewer, submitter_a, filing_in
):
    filing = filing_in(Status.SUBMITTED)
    client = sign_in(reviewer)

    to_me = act(client, filing, "assign", assignee=reviewer.pk)
    to_sam = act(client, filing, "assign", assignee=second_reviewer.pk)
    to_agency = act(client, filing, "assign", assignee=submitter_a.pk)

    assert to_me.status_code == to_sam.status_code == 303
    assert to_agency.status_code == 400
    assert "Choose someone from the oversight staff." in to_agency.text
    assert Review.objects.get(filing=filing).assigned_to == second_reviewer


def test_a_page_without_extracted_text_says_so_and_offers_the_file(sign_in, reviewer, filing_in):
    filing = filing_in(Status.SUBMITTED)

    page = sign_in(reviewer).get(review_url(filing))

    assert "No text has been extracted from this document" in page.text
    assert reverse("review:document_file", args=[filing.pk, filing.documents.get().pk]) in (
        page.text
    )


@pytest.mark.parametrize("status", Status.values)
def test_every_id_on_the_review_page_is_unique_so_labels_and_anchors_find_their_element(
    sign_in, reviewer, filing_in, status
):
    filing = filing_in(status)
    DocumentPage.objects.create(document=filing.documents.get(), number=1, text="Page one.")

    page = sign_in(reviewer).get(review_url(filing))

    ids = re.findall(r'\sid="([^"]+)"', page.text)
    assert page.status_code == 200
    assert [name for name, count in Counter(ids).items() if count > 1] == []
