"""An agency submitter files its overdue annual report in a real browser, sign-in to receipt."""

import datetime
import hashlib
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from content.documents.models import Document
from content.filings.models import Filing, Status
from content.inventory.models import InventoryEntry
from submissions.models import Receipt
from tests.browser.test_search_in_browser import described, wcag_violations
from tests.conftest import make_pdf
from tests.factories import PASSWORD, InventoryEntryFactory, TechnologyFactory, VendorFactory

# Every required field of the rulebook's annual report, by its label, with what is typed in.
REQUIRED = " (required to submit)"
REPORT = {
    "How the technology was used": "Plate reads at 12 fixed sites; 4.1 million reads in total.",
    "Data sharing": "None outside the department.",
    "Deployment locations": "Twelve fixed sites, listed in the attached report.",
    "Complaints received": "3",
    "Audits and violations": "One internal audit; no violations of the use policy.",
    "Data breaches": "None",
    "Total annual cost (USD)": "182500.00",
    "Public records requests": "7",
}
# Left out at first, to see the submit page name it and lead to it.
LEFT_OUT = ("Effectiveness statistics", "effectiveness", "312 stolen vehicles recovered.")
PDF_NAME = "Annual surveillance report.pdf"
PDF_PHRASE = "Automated license plate readers: annual surveillance report"
# Tab stops allowed before the username box: the skip link and the site navigation come first.
MAX_TAB_STOPS = 40


def meets_wcag_2_1_aa(page):
    violations = wcag_violations(page)
    assert violations == [], f"{page.url}\n{described(violations)}"


def reporting_year(today: datetime.date) -> int:
    """The latest year whose annual report (due March 15 of the next year) is overdue today."""
    return today.year - 1 if today > datetime.date(today.year, 3, 15) else today.year - 2


@pytest.fixture
def overdue(agency_a):
    """Plate readers in use at the police since January 1 of the overdue report's year, so
    exactly one annual report is overdue today: the real today, as the live server sees it."""
    today = timezone.localdate()
    year = reporting_year(today)
    technology = TechnologyFactory(name="Automated license plate readers", slug="alpr")
    InventoryEntryFactory(
        agency=agency_a,
        technology=technology,
        vendor=VendorFactory(name="Plate Systems Inc.", slug="plate-systems"),
        status=InventoryEntry.Status.IN_USE,
        in_use_since=datetime.date(year, 1, 1),
    )
    due_on = datetime.date(year + 1, 3, 15)
    return {
        "year": year,
        "technology": technology,
        "label": (
            f"Annual surveillance report for automated license plate readers, {year}, "
            f"due March 15, {year + 1}"
        ),
        "days_overdue": (today - due_on).days,
        "title": f"Annual surveillance report: Automated license plate readers, {year}",
    }


def field(page, label):
    """A form field by its visible label, as the edit page shows a required one."""
    return page.get_by_label(label + REQUIRED, exact=True)


def tab_to(page, target):
    """Press Tab until `target` has focus, as someone on a keyboard does; fail if it never does."""
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{MAX_TAB_STOPS} presses of Tab did not reach {target}")


def sign_in_by_keyboard(page, username):
    page.goto("/agency/")
    expect(page).to_have_url(re.compile(r"/agency/sign-in/\?next=/agency/$"))
    expect(page.get_by_role("heading", name="Sign in to the agency portal")).to_be_visible()
    meets_wcag_2_1_aa(page)

    tab_to(page, page.get_by_label("Username"))
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    page.keyboard.press("Enter")


def sign_in_with_the_form(page, username):
    page.goto("/agency/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def expect_the_dashboard(page):
    expect(page).to_have_url(re.compile(r"/agency/police/$"))
    expect(page.get_by_role("heading", name="Police Department", level=1)).to_be_visible()


def start_the_overdue_report(page, overdue):
    """From the dashboard: the overdue report's Start link, then the prefilled first step."""
    obligation = page.get_by_role("listitem").filter(has_text=overdue["label"])
    expect(obligation).to_contain_text(f"{overdue['days_overdue']:,} days overdue")
    # Its name says which obligation it starts, for a screen reader's list of links.
    start = re.compile(rf"^Start this filing\W+{re.escape(overdue['label'])}$")
    obligation.get_by_role("link", name=start).click()

    expect(page.get_by_role("heading", name="New annual surveillance report")).to_be_visible()
    expect(page.get_by_text(f"Due March 15, {overdue['year'] + 1}")).to_be_visible()
    expect(field(page, "Title")).to_have_value(overdue["title"])
    expect(page.get_by_role("checkbox", name=overdue["technology"].name)).to_be_checked()
    expect(field(page, "Start")).to_have_value(f"{overdue['year']}-01-01")
    expect(field(page, "End")).to_have_value(f"{overdue['year']}-12-31")
    page.get_by_role("button", name="Create draft").click()

    expect(page).to_have_url(re.compile(r"/agency/police/filings/\d+/edit/$"))
    expect(page.get_by_role("heading", name=f"Edit: {overdue['title']}")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Draft saved at")


def save_draft(page):
    # The saved draft comes back at the same address, perhaps with the same message: wait for it.
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved at")


def go_to_submit(page, title):
    page.get_by_role("link", name="View this filing").click()
    page.get_by_role("link", name="Submit this filing").click()
    expect(page.get_by_role("heading", name=f"Submit “{title}”")).to_be_visible()


def follow_to_its_field(page, link, labelled_field, field_id):
    """A problem's link opens the edit page at its field, and the field has focus."""
    link.click()
    expect(page).to_have_url(re.compile(rf"/edit/#{field_id}$"))
    expect(page.locator(":target")).to_have_id(field_id)
    expect(labelled_field).to_have_id(field_id)
    expect(labelled_field).to_be_focused()


def test_a_submitter_files_the_overdue_annual_report_from_sign_in_to_receipt(
    page, submitter_a, overdue, agency_a
):
    sign_in_by_keyboard(page, submitter_a.username)
    expect_the_dashboard(page)
    meets_wcag_2_1_aa(page)
    start_the_overdue_report(page, overdue)
    filing = Filing.objects.get(agency=agency_a, kind="annual_report")

    # Everything but one required field, and a reporting period that ends before it starts.
    for label, value in REPORT.items():
        field(page, label).fill(value)
    field(page, "End").fill(f"{overdue['year'] - 1}-12-31")
    page.get_by_role("button", name="Save draft").click()

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem: nothing was saved")
    error_link = summary.get_by_role("link", name=re.compile("The reporting period must end"))
    expect(error_link).to_have_attribute("href", "#id_reporting_period_end")
    meets_wcag_2_1_aa(page)
    error_link.click()
    expect(field(page, "End")).to_be_focused()
    field(page, "End").fill(f"{overdue['year']}-12-31")
    save_draft(page)
    filing.refresh_from_db()
    assert filing.details["data_breaches"] == "None"

    # Submitting now names what is missing; each name leads to its field.
    go_to_submit(page, overdue["title"])
    problems = page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name="This filing cannot be submitted yet")
    )
    expect(problems.get_by_role("listitem")).to_have_text(
        [f"{LEFT_OUT[0]}: required", "Documents: at least 1 required, 0 attached"]
    )
    expect(page.get_by_role("button", name=re.compile("^Submit"))).to_have_count(0)
    meets_wcag_2_1_aa(page)
    edit_path = f"/agency/police/filings/{filing.pk}/edit/"
    missing_field = problems.get_by_role("link", name=LEFT_OUT[0])
    expect(missing_field).to_have_attribute("href", f"{edit_path}#id_{LEFT_OUT[1]}")
    missing_documents = problems.get_by_role("link", name="Documents")
    expect(missing_documents).to_have_attribute("href", f"{edit_path}#id_document_file")

    follow_to_its_field(
        page, missing_documents, page.get_by_label("File to upload"), "id_document_file"
    )
    pdf = make_pdf([PDF_PHRASE, "Page 2: sites and figures."])
    page.get_by_label("File to upload").set_input_files(
        files=[{"name": PDF_NAME, "mimeType": "application/pdf", "buffer": pdf}]
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"“{PDF_NAME}” was uploaded.")
    document = Document.objects.get(filing=filing)
    assert PDF_PHRASE in document.pages.get(number=1).text
    documents = page.get_by_role("table", name="Documents attached to this filing")
    row = documents.get_by_role("row").filter(has=page.get_by_role("rowheader", name=PDF_NAME))
    cells = row.get_by_role("cell")
    # Size, pages, SHA-256 (its start), processing status, actions.
    expect(cells.nth(1)).to_have_text("2")
    expect(cells.nth(2)).to_have_text(f"{document.sha256[:12]}…")
    expect(cells.nth(3)).to_have_text("Text extracted")

    go_to_submit(page, overdue["title"])
    expect(problems.get_by_role("listitem")).to_have_text([f"{LEFT_OUT[0]}: required"])
    follow_to_its_field(
        page,
        problems.get_by_role("link", name=LEFT_OUT[0]),
        field(page, LEFT_OUT[0]),
        f"id_{LEFT_OUT[1]}",
    )
    page.keyboard.type(LEFT_OUT[2])
    save_draft(page)

    # Complete: confirm, submit, and keep the receipt.
    go_to_submit(page, overdue["title"])
    expect(
        page.get_by_text("with 1 document. Submitting freezes this as version 1")
    ).to_be_visible()
    meets_wcag_2_1_aa(page)
    page.get_by_role("button", name="Submit version 1").click()

    expect(page).to_have_url(re.compile(rf"/filings/{filing.pk}/receipts/\d+/$"))
    receipt = Receipt.objects.get(filing=filing)
    assert page.url.endswith(f"/receipts/{receipt.pk}/")
    expect(page.get_by_role("heading", name=f"Receipt {receipt.number}", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        f"Submitted. Your receipt number is {receipt.number}."
    )
    with document.file.open("rb") as stored:
        stored_sha256 = hashlib.sha256(stored.read()).hexdigest()
    document_row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=PDF_NAME))
    expect(document_row.get_by_role("cell").last).to_have_text(stored_sha256)
    meets_wcag_2_1_aa(page)
    filing.refresh_from_db()
    assert filing.status == Status.SUBMITTED
    assert filing.details["effectiveness"] == LEFT_OUT[2]


def test_without_javascript_a_submitter_starts_the_overdue_report_and_saves_a_draft(
    page_without_javascript, submitter_a, overdue, agency_a
):
    page = page_without_javascript
    sign_in_with_the_form(page, submitter_a.username)
    expect_the_dashboard(page)
    start_the_overdue_report(page, overdue)

    field(page, "How the technology was used").fill(REPORT["How the technology was used"])
    save_draft(page)

    filing = Filing.objects.get(agency=agency_a, kind="annual_report")
    assert filing.title == overdue["title"]
    assert list(filing.technologies.all()) == [overdue["technology"]]
    assert filing.details == {"usage_summary": REPORT["How the technology was used"]}
