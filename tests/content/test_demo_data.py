"""The load_demo_data command: a believable city, complete filings, real PDFs, safe to rerun."""

import datetime
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal

import pypdfium2
import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import RequestFactory
from wagtail.models import Page, Site

from content.agencies.models import Agency, Membership
from content.compliance.obligations import State, obligations_for_agency
from content.demo.jurisdiction import DEMO_USERS, FILINGS
from content.demo.narratives import compose_all
from content.demo.pdfs import render_pdf
from content.demo.specs import Calendar
from content.documents.models import Document, DocumentPage
from content.filings.completeness import check_filing
from content.filings.models import (
    FILED_STATUSES,
    ContractDetails,
    Filing,
    FilingVersion,
    Status,
)
from content.inventory.models import InventoryEntry
from content.oversight.groups import OVERSIGHT_STAFF_GROUP
from content.rulebook.rules import get_rulebook
from content.technologies.models import Technology
from content.vendors.models import Vendor
from portal.pages.models import HomePage, StandardPage

TODAY = datetime.date(2025, 6, 15)
COUNTED_MODELS = (
    Agency,
    Technology,
    Vendor,
    InventoryEntry,
    Filing,
    FilingVersion,
    ContractDetails,
    Document,
    DocumentPage,
    Membership,
    get_user_model(),
    Page,
    Site,
)


class InjectedFailure(RuntimeError):
    """Raised on purpose part-way through a load."""


@dataclass
class DemoLoads:
    counts_before: dict
    files_before: set
    files_when_failing: set
    counts_after_failure: dict
    files_after_failure: set
    first_output: str
    counts_after_first: dict
    files_after_first: set
    second_output: str
    counts_after_second: dict
    files_after_second: set


def row_counts() -> dict:
    return {model.__name__: model.objects.count() for model in COUNTED_MODELS}


def stored_files() -> set[str]:
    if not default_storage.exists("documents"):
        return set()
    return {f"documents/{name}" for name in default_storage.listdir("documents")[1]}


def load(verbosity=1) -> str:
    output = io.StringIO()
    call_command("load_demo_data", "--today", TODAY.isoformat(), verbosity=verbosity, stdout=output)
    return output.getvalue()


def fail_on_the_thirtieth_version(real_freeze_version, files_when_failing: set):
    """freeze_version that fails once many filings, and their PDFs, have been stored."""
    calls = []

    def freeze_version(*args, **kwargs):
        calls.append(args)
        if len(calls) == 30:
            files_when_failing.update(stored_files())
            raise InjectedFailure("the database went away")
        return real_freeze_version(*args, **kwargs)

    return freeze_version


@pytest.fixture(scope="module")
def loads(django_db_setup, django_db_blocker):
    """A failed load, then two real ones, in one transaction rolled back after the module."""
    import content.demo.loading as loading

    with django_db_blocker.unblock(), transaction.atomic():
        counts_before, files_before = row_counts(), stored_files()
        files_when_failing = set()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(
                loading,
                "freeze_version",
                fail_on_the_thirtieth_version(loading.freeze_version, files_when_failing),
            )
            with pytest.raises(InjectedFailure):
                load()
        counts_after_failure, files_after_failure = row_counts(), stored_files()
        first_output = load()
        counts_after_first, files_after_first = row_counts(), stored_files()
        second_output = load(verbosity=0)
        yield DemoLoads(
            counts_before=counts_before,
            files_before=files_before,
            files_when_failing=files_when_failing,
            counts_after_failure=counts_after_failure,
            files_after_failure=files_after_failure,
            first_output=first_output,
            counts_after_first=counts_after_first,
            files_after_first=files_after_first,
            second_output=second_output,
            counts_after_second=row_counts(),
            files_after_second=stored_files(),
        )
        transaction.set_rollback(True)
    for name in files_after_first - files_before:
        default_storage.delete(name)
    cache.clear()  # Wagtail caches the site's root paths; the pages are gone now.


pytestmark = pytest.mark.django_db


def test_a_failure_part_way_leaves_no_rows_and_no_files(loads):
    assert len(loads.files_when_failing - loads.files_before) >= 10
    assert loads.counts_after_failure == loads.counts_before
    assert loads.files_after_failure == loads.files_before


def test_the_city_is_big_enough_to_explore(loads):
    assert Agency.objects.count() >= 6
    assert Technology.objects.count() >= 12
    assert Technology.objects.values("category").distinct().count() >= 10
    assert Vendor.objects.count() >= 10
    assert Filing.objects.count() >= 60
    assert set(InventoryEntry.objects.values_list("status", flat=True)) == set(
        InventoryEntry.Status.values
    )


def test_inventory_dates_fit_each_status(loads):
    for entry in InventoryEntry.objects.all():
        if entry.status == InventoryEntry.Status.PROPOSED:
            assert entry.proposed_on, entry
            assert entry.planned_acquisition_on, entry
        if entry.status == InventoryEntry.Status.APPROVED:
            assert entry.approved_on, entry
            assert entry.planned_acquisition_on > TODAY, entry
        if entry.status in (InventoryEntry.Status.IN_USE, InventoryEntry.Status.RETIRED):
            assert entry.in_use_since, entry
            assert entry.in_use_since < TODAY, entry
        if entry.status == InventoryEntry.Status.RETIRED:
            assert entry.in_use_since < entry.retired_on < TODAY, entry


def test_every_kind_and_every_status_is_present(loads):
    assert set(Filing.objects.values_list("kind", flat=True)) == set(get_rulebook().kinds)
    assert set(Filing.objects.values_list("status", flat=True)) == set(Status.values)


def test_details_hold_the_rulebooks_fields_with_the_right_types(loads):
    rulebook = get_rulebook()
    for filing in Filing.objects.all():
        fields = {rule.name: rule for rule in rulebook.kind(filing.kind).fields}
        assert set(filing.details) <= set(fields), filing
        for name, value in filing.details.items():
            rule = fields[name]
            if rule.type == "date":
                datetime.date.fromisoformat(value)
            elif rule.type == "integer":
                assert type(value) is int, (filing, name)
            elif rule.type == "decimal":
                assert isinstance(value, str), (filing, name)
                assert Decimal(value) >= 0, (filing, name)
            elif rule.type == "choice":
                assert value in rule.choices, (filing, name)
            else:
                assert isinstance(value, str), (filing, name)
                assert value.strip(), (filing, name)


def test_filings_past_draft_are_complete_and_frozen(loads):
    for filing in Filing.objects.exclude(status=Status.DRAFT):
        assert check_filing(filing) == [], filing
        reasons = list(filing.versions.order_by("number").values_list("reason", flat=True))
        if filing.status in FILED_STATUSES:
            assert reasons[0] == FilingVersion.Reason.SUBMITTED, filing
            assert filing.submitted_at is not None, filing
        if filing.status == Status.PUBLISHED:
            assert reasons[-1] == FilingVersion.Reason.PUBLISHED, filing
            assert filing.published_at > filing.submitted_at, filing
    assert FilingVersion.objects.filter(reason=FilingVersion.Reason.PUBLISHED).exists()


def test_versions_record_the_documents_and_contracts_they_froze(loads):
    contract = Filing.objects.filter(kind="contract", status=Status.PUBLISHED).first()
    version = contract.versions.order_by("number").last()
    assert version.metadata["contract"]["vendor"] == contract.contract.vendor.slug
    assert Decimal(version.metadata["contract"]["amount"]) == contract.contract.amount
    assert [document["sha256"] for document in version.documents] == list(
        contract.documents.values_list("sha256", flat=True)
    )


def test_every_contract_filing_has_contract_details(loads):
    for filing in Filing.objects.filter(kind="contract"):
        assert ContractDetails.objects.filter(filing=filing).exists(), filing


def test_filings_that_need_documents_have_real_multi_page_pdfs(loads):
    rulebook = get_rulebook()
    for filing in Filing.objects.select_related("agency"):
        documents = list(filing.documents.all())
        assert len(documents) >= rulebook.kind(filing.kind).min_documents, filing
        for document in documents:
            with document.file.open("rb") as handle:
                data = handle.read()
            assert data.startswith(b"%PDF-")
            pdf = pypdfium2.PdfDocument(data)
            assert 2 <= len(pdf) <= 6, document
            pdf.close()
            assert document.processing == Document.Processing.EXTRACTED
            assert document.pages.count() == document.page_count


def words(document: Document) -> str:
    """The document's extracted text with all whitespace runs made single spaces."""
    return " ".join(" ".join(document.pages.values_list("text", flat=True)).split())


def test_extracted_text_speaks_of_its_own_filing(loads):
    for document in Document.objects.select_related("filing__agency"):
        filing, text = document.filing, words(document)
        assert filing.agency.name in text, document
        assert filing.title in text, document
        if filing.kind == "contract":
            assert filing.contract.vendor.name in text, document
            assert f"${filing.contract.amount:,.2f}" in text, document
            assert filing.details["contract_number"] in text, document
        if filing.kind == "annual_report":
            assert f"${Decimal(filing.details['total_annual_cost']):,.2f}" in text, document
            assert f"January {filing.reporting_period_start.year}" in text, document
        if filing.kind == "audit":
            assert filing.details["auditor"] in text, document
        if filing.kind == "use_policy":
            assert "2. Authorized uses" in text, document
            assert "2.1" in text, document


def test_pdfs_come_out_byte_for_byte_the_same(loads):
    rulebook = get_rulebook()
    composed = compose_all(FILINGS, Calendar.for_today(TODAY, rulebook), rulebook)
    with_documents = [filing for filing in composed if filing.document][:5]
    for filing in with_documents:
        stored = Document.objects.get(filing__title=filing.title, filing__kind=filing.plan.kind)
        first, second = render_pdf(filing.document), render_pdf(filing.document)
        assert first == second
        assert stored.sha256 == hashlib.sha256(first).hexdigest()


def test_a_second_run_changes_nothing(loads):
    assert loads.counts_after_second == loads.counts_after_first
    assert loads.files_after_second == loads.files_after_first
    assert len(loads.files_after_first - loads.files_before) == Document.objects.count()
    rerun = load()
    assert "Filings: 0 created" in rerun
    assert row_counts() == loads.counts_after_first


def test_progress_is_reported_and_verbosity_zero_is_silent(loads):
    assert "Agencies: 7 created" in loads.first_output
    assert "Filings: 10/" in loads.first_output
    assert loads.second_output == ""


def test_the_police_department_has_overdue_deadlines(loads):
    police = Agency.objects.get(slug="police")
    obligations = obligations_for_agency(police, TODAY)
    overdue = [o for o in obligations if o.state == State.OVERDUE]
    assert any(o.technology.slug == "cell-site-simulator" and o.reporting_year for o in overdue)
    assert any(o.kind.slug == "impact_report" for o in overdue)
    assert any(o.state == State.FILED for o in obligations)
    assert any(o.state == State.FILED_LATE for o in obligations)


def test_the_home_page_replaces_wagtails_welcome_page(loads, client):
    home = HomePage.objects.get(locale__language_code="en")
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()
    assert StandardPage.objects.child_of(home).live().count() >= 2

    response = client.get("/")
    assert response.status_code == 200
    assert "Alameda Bay Police Department" in response.text
    assert client.get("/about-the-ordinance/").status_code == 200


def test_the_demo_logins_work(loads, client):
    for spec in DEMO_USERS:
        # The brute-force guard (django-axes) needs the request a sign-in comes with.
        sign_in = RequestFactory().post("/agency/sign-in/")
        assert authenticate(sign_in, username=spec.username, password=spec.password), spec.username
        assert spec.username in loads.first_output
        assert spec.password in loads.first_output
    staff = get_user_model().objects.get(username="oversight-staff")
    assert staff.groups.filter(name=OVERSIGHT_STAFF_GROUP).exists()
    assert get_user_model().objects.get(username="admin").is_superuser
    roles = set(Membership.objects.values_list("user__username", "agency__slug", "role"))
    assert roles >= {
        ("police-submitter", "police", Membership.Role.SUBMITTER),
        ("police-approver", "police", Membership.Role.APPROVER),
        ("transport-submitter", "transportation", Membership.Role.SUBMITTER),
    }
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_an_agency_that_contradicts_the_demo_stops_the_load(loads):
    Agency.objects.filter(slug="police").update(name="Police Bureau")
    counts = row_counts()
    with pytest.raises(CommandError, match=r"'police'.*'Police Bureau'"):
        load()
    assert row_counts() == counts
    assert Agency.objects.get(slug="police").name == "Police Bureau"


def test_a_malformed_today_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("load_demo_data", "--today", "2025-02-30")


def test_staff_sign_in_through_the_admin_and_find_the_demo_record(loads, client):
    staff = next(spec for spec in DEMO_USERS if spec.username == "oversight-staff")
    response = client.post(
        "/admin/login/", {"username": staff.username, "password": staff.password}
    )
    assert response.status_code == 302
    newest = Filing.objects.order_by("-created_at").first()
    listing = client.get("/admin/filings/", {"q": newest.title[:40]})
    assert listing.status_code == 200
    assert newest.title in listing.text
    agencies = client.get("/admin/agencies/")
    assert "Alameda Bay Police Department" in agencies.text
