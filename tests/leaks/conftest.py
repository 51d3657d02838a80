"""A realistic record for the leak crawler: what the public may read, and secrets beside it.

Every piece of seeded text carries a marker of its own, `LEAKMARK-<purpose>-<token>`. The
crawler looks for each token in everything the site answers. A secret names who must never
see it; a public marker names who must find it, so a crawl that reaches nothing cannot pass.
Everything is made through the services people's actions go through (the agency portal's
submit, the review actions, publication, redaction, invitations), with on-commit work run, so
the search index, the caches and the files are as they would be in production.
"""

import datetime
import io
import re
import secrets
import uuid
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from content.demo.website import install_pages
from content.documents.storing import store_document
from content.filings.models import Filing, Status
from content.inventory.models import InventoryEntry
from publication import services as publication
from redaction.services import add_redaction
from review import services as review
from submissions import invitations, submitting
from tests.conftest import make_pdf
from tests.factories import (
    ContractDetailsFactory,
    FilingFactory,
    InventoryEntryFactory,
    TechnologyFactory,
    VendorFactory,
)
from tests.submissions.test_submission import access_for

ANONYMOUS = "anonymous"
AGENCY_B = "agency B"
EVERYONE = frozenset({ANONYMOUS, AGENCY_B})
THE_PUBLIC = frozenset({ANONYMOUS})
# The immediate backend cannot run work later; scheduling needs a queue that can.
DEFERRING_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@dataclass(frozen=True)
class Marker:
    purpose: str
    token: str
    hidden_from: frozenset[str] = frozenset()
    seen_by: frozenset[str] = frozenset()
    # Words a search box takes; a link token is not text anyone files.
    searchable: bool = True

    @property
    def text(self) -> str:
        return f"LEAKMARK-{self.purpose}-{self.token}"


@dataclass
class SeededRecord:
    markers: list[Marker] = field(default_factory=list)
    control_filing: Filing | None = None
    control_document_id: int | None = None

    def _add(self, marker: Marker) -> Marker:
        self.markers.append(marker)
        return marker

    def secret(self, purpose: str, hidden_from: frozenset[str] = EVERYONE) -> str:
        return self._add(Marker(purpose, secrets.token_hex(8), hidden_from=hidden_from)).text

    def agency_b_own(self, purpose: str) -> str:
        """Agency B's work in progress: its own portal shows it, the public never does."""
        marker = Marker(
            purpose, secrets.token_hex(8), hidden_from=THE_PUBLIC, seen_by=frozenset({AGENCY_B})
        )
        return self._add(marker).text

    def public(self, purpose: str, seen_by: frozenset[str] = EVERYONE) -> str:
        return self._add(Marker(purpose, secrets.token_hex(8), seen_by=seen_by)).text


def audit_details(marker: str) -> dict:
    """An audit's rulebook fields (text and Markdown), each naming `marker`."""
    return {
        "auditor": f"Office of the City Auditor ({marker})",
        "findings": f"**Findings.** Reads were kept for two years. {marker}",
        "recommendations": f"- Delete reads after 30 days.\n- Cite {marker}.",
        "agency_response": f"_Agreed._ {marker}",
    }


class RecordBuilder:
    def __init__(self, record, capture, agency_a, agency_b, submitter_a, submitter_b, reviewer):
        self.record = record
        self.capture = capture
        self.agency_a, self.agency_b = agency_a, agency_b
        self.submitter_a, self.submitter_b = submitter_a, submitter_b
        self.reviewer = reviewer

    def committed(self):
        """Run what waits for the commit (extraction, index outbox, cache revision) at once."""
        return self.capture(execute=True)

    def attach(self, filing, file_name: str, pages: list[str]):
        """Store a PDF of `pages` on `filing` and extract it, checking every page's text came
        back whole: a marker cut off at the page's edge could hide a leak."""
        with self.committed():
            document = store_document(filing, file_name, make_pdf(pages))
        extracted = document.pages.order_by("number").values_list("text", flat=True)
        assert [text.strip() for text in extracted] == pages
        return document

    def draft(self, agency, title: str, marker: str, pdf_text: str, file_name="audit.pdf"):
        """A complete audit draft with one PDF, its text extracted."""
        with self.committed():
            filing = FilingFactory(
                agency=agency,
                kind="audit",
                title=title,
                summary=f"A short summary: {marker}",
                details=audit_details(marker),
            )
        self.attach(filing, file_name, [pdf_text, "Second page."])
        return filing

    def submitted(self, agency, submitter, title: str, marker: str, pdf_text: str):
        filing = self.draft(agency, title, marker, pdf_text)
        with self.committed():
            submitting.submit(access_for(submitter, agency), filing, uuid.uuid4())
        return filing

    def in_review(self, agency, submitter, title, marker, pdf_text):
        filing = self.submitted(agency, submitter, title, marker, pdf_text)
        with self.committed():
            review.start_review(filing, Status.SUBMITTED, self.reviewer)
        filing.refresh_from_db()
        return filing

    def accepted(self, agency, submitter, title, marker, pdf_text):
        filing = self.in_review(agency, submitter, title, marker, pdf_text)
        with self.committed():
            review.accept(filing, Status.IN_REVIEW, self.reviewer)
        filing.refresh_from_db()
        return filing

    def published(self, agency, submitter, title, marker, pdf_text):
        filing = self.accepted(agency, submitter, title, marker, pdf_text)
        with self.committed():
            review.publish_now(filing, Status.ACCEPTED, self.reviewer)
        filing.refresh_from_db()
        return filing

    def build(self) -> SeededRecord:
        self.public_record()
        self.agency_a_secrets()
        self.agency_b_record()
        self.people_secrets()
        return self.record

    def public_record(self) -> None:
        """Both agencies' published filings, a published contract and the editorial pages."""
        record, a, b = self.record, self.agency_a, self.agency_b
        with self.committed():
            install_pages()
            alpr = TechnologyFactory(name="Automated license plate readers", slug="alpr")
            drones = TechnologyFactory(name="Inspection drones", slug="drones")
            flock = VendorFactory(name="Flock Safety", slug="flock")
            InventoryEntryFactory(agency=a, technology=alpr, vendor=flock)
            InventoryEntryFactory(
                agency=b,
                technology=drones,
                vendor=VendorFactory(name="Skydio", slug="skydio"),
                status=InventoryEntry.Status.APPROVED,
                in_use_since=None,
            )
        record.control_filing = self.published(
            a,
            self.submitter_a,
            record.public("a-published-title"),
            record.public("a-details"),
            record.public("a-published-text"),
        )
        record.control_document_id = record.control_filing.documents.get().pk
        self.published(
            b,
            self.submitter_b,
            record.public("b-published-title"),
            record.public("b-details"),
            record.public("b-published-text"),
        )
        with self.committed():
            contract = ContractDetailsFactory(
                filing__title=record.public("a-contract-title"),
                filing__agency=a,
                filing__technologies=[alpr],
                filing__details={
                    "scope": record.public("a-contract-scope"),
                    "contract_number": "C-2026-17",
                },
                vendor=flock,
                funding_source=record.public("a-contract-funding"),
            ).filing
        self.attach(contract, "contract.pdf", [record.public("a-contract-text")])
        with self.committed():
            for status in (Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED):
                contract.transition_to(status)
            publication.publish(contract, by=self.reviewer)

    def agency_a_secrets(self) -> None:
        """Agency A's filings at every unpublished stage, and what publication leaves private."""
        record, a, submitter = self.record, self.agency_a, self.submitter_a

        def secret_filing(stage):
            return (
                record.secret(f"{stage}-title"),
                record.secret(f"{stage}-fields"),
                record.secret(f"{stage}-pdf-text"),
            )

        self.draft(a, *secret_filing("draft"), file_name=f"{record.secret('draft-file')}.pdf")
        submitted = self.submitted(a, submitter, *secret_filing("submitted"))
        with self.committed():
            submitting.reply(access_for(submitter, a), submitted, record.secret("agency-reply"))
        in_review = self.in_review(a, submitter, *secret_filing("in-review"))
        with self.committed():
            review.add_internal_note(
                in_review, Status.IN_REVIEW, self.reviewer, record.secret("internal-note")
            )
            review.comment_to_agency(
                in_review, Status.IN_REVIEW, self.reviewer, record.secret("reviewer-comment")
            )
        changes = self.in_review(a, submitter, *secret_filing("changes-requested"))
        with self.committed():
            review.request_changes(
                changes, Status.IN_REVIEW, self.reviewer, record.secret("changes-comment")
            )
        self.accepted(a, submitter, *secret_filing("accepted"))
        scheduled = self.accepted(a, submitter, *secret_filing("scheduled"))
        with self.committed(), override_settings(TASKS=DEFERRING_TASKS):
            review.schedule_publication(
                scheduled,
                Status.ACCEPTED,
                self.reviewer,
                timezone.now() + datetime.timedelta(days=3),
            )
        rejected = self.in_review(a, submitter, *secret_filing("rejected"))
        with self.committed():
            review.reject(rejected, Status.IN_REVIEW, self.reviewer, record.secret("reject-reason"))
        withdrawn_draft = self.draft(a, *secret_filing("withdrawn-draft"))
        with self.committed():
            submitting.withdraw(
                access_for(submitter, a), withdrawn_draft, record.secret("withdraw-reason")
            )
        self.revised_before_publication()
        self.withdrawn_after_publication()
        self.redacted()

    def revised_before_publication(self) -> None:
        """The first round's title and fields were frozen at submission, then changed on
        request before publication: only the published round is public."""
        record, a = self.record, self.agency_a
        filing = self.in_review(
            a,
            self.submitter_a,
            record.secret("first-round-title"),
            record.secret("first-round-fields"),
            record.public("revised-pdf-text"),
        )
        with self.committed():
            review.request_changes(filing, Status.IN_REVIEW, self.reviewer, "Retitle it, please.")
        filing.refresh_from_db()
        filing.title = record.public("revised-title")
        filing.summary = "The revised summary."
        filing.details = audit_details(record.public("revised-fields"))
        with self.committed():
            filing.save()
            submitting.submit(access_for(self.submitter_a, a), filing, uuid.uuid4())
            review.start_review(filing, Status.SUBMITTED, self.reviewer)
            review.accept(filing, Status.IN_REVIEW, self.reviewer)
            review.publish_now(filing, Status.ACCEPTED, self.reviewer)

    def withdrawn_after_publication(self) -> None:
        """Published, then withdrawn: its title stays in the public log, its text does not;
        a file attached afterwards was never public."""
        record, a = self.record, self.agency_a
        filing = self.published(
            a,
            self.submitter_a,
            record.public("withdrawn-title"),
            record.secret("withdrawn-fields"),
            record.secret("withdrawn-pdf-text"),
        )
        with self.committed():
            publication.withdraw(filing, by=self.submitter_a, reason="Superseded.")
        self.attach(filing, f"{record.secret('late-file')}.pdf", [record.secret("late-pdf-text")])

    def redacted(self) -> None:
        """A published filing whose original file staff replaced with a redacted copy."""
        record, a = self.record, self.agency_a
        filing = self.published(
            a,
            self.submitter_a,
            record.public("redacted-title"),
            record.public("redacted-fields"),
            f"Informant: {record.secret('unredacted-text')}",
        )
        original = filing.documents.get()
        with self.committed():
            add_redaction(
                original,
                io.BytesIO(
                    make_pdf(["Informant: [redacted]", record.public("redacted-copy-text")])
                ),
                "redacted.pdf",
                note=record.secret("redaction-note"),
                by=self.reviewer,
            )

    def agency_b_record(self) -> None:
        """Agency B's own work in progress: B's to see in its portal, nobody else's."""
        record, b, submitter = self.record, self.agency_b, self.submitter_b
        self.draft(
            b,
            record.agency_b_own("b-draft-title"),
            record.agency_b_own("b-draft-fields"),
            record.secret("b-draft-pdf-text", hidden_from=THE_PUBLIC),
        )
        filing = self.in_review(
            b,
            submitter,
            record.agency_b_own("b-in-review-title"),
            record.agency_b_own("b-in-review-fields"),
            record.secret("b-in-review-pdf-text", hidden_from=THE_PUBLIC),
        )
        with self.committed():
            review.add_internal_note(
                filing, Status.IN_REVIEW, self.reviewer, record.secret("b-internal-note")
            )
            review.comment_to_agency(
                filing,
                Status.IN_REVIEW,
                self.reviewer,
                record.agency_b_own("b-reviewer-comment"),
            )

    def people_secrets(self) -> None:
        """Addresses and an unused invitation link: never on a page anyone else reads."""
        record = self.record
        self.submitter_a.email = f"{record.secret('a-email')}@example.org"
        self.submitter_a.save()
        self.reviewer.email = f"{record.secret('reviewer-email')}@example.org"
        self.reviewer.save()
        self.submitter_b.email = f"{record.secret('b-email', hidden_from=THE_PUBLIC)}@example.org"
        self.submitter_b.save()
        mail.outbox.clear()
        invitations.invite(
            email=f"{record.secret('invitee-email')}@example.org",
            agency=self.agency_a,
            role="submitter",
            invited_by=self.reviewer,
        )
        (token,) = re.findall(r"/invitations/([^/\s]+)/", mail.outbox[-1].body)
        record.markers.append(Marker("invitation-token", token, EVERYONE, searchable=False))


@pytest.fixture
def seeded_record(
    agency_a, agency_b, submitter_a, submitter_b, reviewer, django_capture_on_commit_callbacks
) -> SeededRecord:
    builder = RecordBuilder(
        SeededRecord(),
        django_capture_on_commit_callbacks,
        agency_a,
        agency_b,
        submitter_a,
        submitter_b,
        reviewer,
    )
    return builder.build()
