"""A submitted filing's whole review in a real browser: oversight staff ask for changes, the
agency answers and resubmits, staff accept and publish, and residents find it."""

import re
import uuid
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from content.documents.storing import store_document
from content.filings.models import Status
from submissions.submitting import submit
from tests.browser.conftest import SCREENSHOT, TIMEOUT_MS
from tests.browser.test_search_in_browser import described, wcag_violations
from tests.conftest import make_pdf
from tests.factories import PASSWORD, FilingFactory
from tests.submissions.test_submission import AUDIT_DETAILS, access_for

TITLE = "Audit of plate reader retention"
PDF_NAME = "Plate reader retention audit.pdf"
# Words no other page holds, on page 2 only, so a phrase search must land on that page.
PHRASE = "quarantined plate reads purged weekly"
PDF_PAGES = ["Audit of plate reader retention: summary.", f"Finding 4: {PHRASE} since March."]
CHANGES_WANTED = "Please attach the retention schedule the audit refers to."
INTERNAL_NOTE = "Staff only: the auditor called about this one on Tuesday."
AGENCY_ANSWER = "The schedule is appendix B of the attached audit, on page 2."
ACTIVITY = "The latest actions on this filing, newest first"


@pytest.fixture
def filing(agency_a, submitter_a):
    """A complete audit with a two-page PDF, submitted by submitter_a through the portal's
    own submit(), so it has its round 1 receipt."""
    filing = FilingFactory(agency=agency_a, kind="audit", title=TITLE, details=dict(AUDIT_DETAILS))
    store_document(filing, PDF_NAME, make_pdf(PDF_PAGES))
    submit(access_for(submitter_a, agency_a), filing, uuid.uuid4())
    filing.refresh_from_db()
    assert filing.status == Status.SUBMITTED
    assert PHRASE in filing.documents.get().pages.get(number=2).text
    return filing


@pytest.fixture
def another_page(browser, live_server, page):
    """Open a tab in a browser context of its own: another person, with their own cookies."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def watch(request, page):
    """On a failure, screenshot `page`: the person acting when it happened."""
    _, path = request.node.stash[SCREENSHOT]
    request.node.stash[SCREENSHOT] = (page, path)


def report_wcag_violations(page, what):
    """Wagtail's own admin markup is outside this project's control: count, do not assert."""
    violations = wcag_violations(page)
    print(f"axe, WCAG 2.1 A/AA, {what}: {len(violations)} rule(s) violated")
    if violations:
        print(described(violations))


def meets_wcag_2_1_aa(page):
    violations = wcag_violations(page)
    assert violations == [], f"{page.url}\n{described(violations)}"


def staff_sign_in(page, username):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def open_from_the_queue(page, status_label):
    """The admin menu's Review queue, then the filing's row, showing `status_label`."""
    page.get_by_role("link", name="Review queue").click()
    expect(page).to_have_url(re.compile(r"/admin/review/$"))
    expect(page.get_by_role("heading", name="Review queue", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=TITLE))
    expect(row).to_contain_text(status_label)
    expect(row).to_contain_text("Police Department")
    report_wcag_violations(page, "review queue")
    row.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(re.compile(r"/admin/review/\d+/$"))
    expect(page.get_by_role("heading", name=TITLE, level=2)).to_be_visible()


def decide(page, button, done, status_label):
    """Press a decision's button; the page comes back saying it was done, in its new status."""
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_text(done)).to_be_visible()
    expect(status_shown(page)).to_have_text(status_label)


def status_shown(page):
    return page.locator(".review-facts div").filter(has_text=re.compile("^Status")).locator("dd")


def activity_row(page, what):
    """The activity table's latest row whose What cell starts with `what`."""
    table = page.get_by_role("table", name=ACTIVITY)
    return table.get_by_role("row").filter(has_text=what).first


def public_page(page):
    """The resident's view of the filing: its title and its published history."""
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()


def test_a_filing_goes_from_the_queue_through_changes_and_resubmission_to_the_public_site(
    page, another_page, request, filing, reviewer, submitter_a
):
    staff = page
    document = filing.documents.get()

    # Staff: sign in, open the filing from the queue, start review, note, request changes.
    staff_sign_in(staff, reviewer.username)
    report_wcag_violations(staff, "admin dashboard")
    open_from_the_queue(staff, "Submitted")
    expect(status_shown(staff)).to_have_text("Submitted")
    decide(staff, "Start review", "Review started. The filing is in review.", "In review")

    staff.get_by_label("Internal note").fill(INTERNAL_NOTE)
    staff.get_by_role("button", name="Add internal note").click()
    added = staff.get_by_text("Internal note added. Only oversight staff can see it.")
    expect(added).to_be_visible()
    note = staff.locator(".review-thread li").filter(has_text=INTERNAL_NOTE)
    expect(note).to_contain_text("Staff only")

    staff.get_by_label("Changes the agency must make").fill(CHANGES_WANTED)
    report_wcag_violations(staff, "review page, in review")
    decide(
        staff,
        "Request changes",
        "Changes requested. The agency is emailed your comment.",
        "Changes requested",
    )
    entry = activity_row(staff, "Requested changes")
    cells = entry.get_by_role("cell")
    expect(cells.nth(1)).to_have_text(reviewer.username)
    expect(cells.nth(2)).to_contain_text("Requested changes (in review → changes requested)")
    expect(cells.nth(2)).to_contain_text(CHANGES_WANTED)
    expect(activity_row(staff, "Started review").get_by_role("cell").nth(2)).to_have_text(
        "Started review (submitted → in review)"
    )

    # The agency, in a browser of its own: the comment is there, the internal note is not.
    agency = another_page()
    watch(request, agency)
    agency.goto("/agency/sign-in/")
    agency.get_by_label("Username").fill(submitter_a.username)
    agency.get_by_label("Password").fill(PASSWORD)
    agency.get_by_role("button", name="Sign in").click()
    expect(agency).to_have_url(re.compile(r"/agency/police/$"))
    agency.get_by_role("list", name=re.compile(r"^Changes requested")).get_by_role(
        "link", name=TITLE
    ).click()
    expect(agency.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(agency.get_by_text("Status: Changes requested.")).to_be_visible()
    round_1 = agency.get_by_role("heading", name=re.compile(r"^Round 1 \(receipt "), level=4)
    expect(round_1).to_be_visible()
    comment = agency.locator(".thread li").filter(has_text=CHANGES_WANTED)
    expect(comment).to_contain_text("Oversight staff")
    expect(agency.get_by_text(INTERNAL_NOTE)).to_have_count(0)
    assert INTERNAL_NOTE not in agency.content()
    meets_wcag_2_1_aa(agency)

    agency.get_by_label("Your message to oversight staff").fill(AGENCY_ANSWER)
    agency.get_by_role("button", name="Send message").click()
    expect(agency).to_have_url(re.compile(r"#submission-messages$"))
    expect(agency.get_by_text("Your message was sent to oversight staff.")).to_be_visible()
    answer = agency.locator(".thread li").filter(has_text=AGENCY_ANSWER)
    expect(answer).to_contain_text(f"{submitter_a.username}, Police Department")

    agency.get_by_role("link", name="Submit this filing").click()
    expect(agency.get_by_role("heading", name=f"Submit “{TITLE}”")).to_be_visible()
    expect(agency.get_by_text("Submitting freezes this as version 2")).to_be_visible()
    agency.get_by_role("button", name="Submit version 2").click()
    expect(agency).to_have_url(re.compile(rf"/agency/police/filings/{filing.pk}/receipts/\d+/$"))
    receipt = filing.receipts.order_by("-pk").first()
    assert filing.receipts.count() == 2
    expect(agency.get_by_role("heading", name=f"Receipt {receipt.number}", level=1)).to_be_visible()
    expect(agency.locator("dt:text-is('Submission round') + dd")).to_have_text("2")
    expect(agency.locator("dt:text-is('Version') + dd")).to_have_text("2")

    # Staff: the filing is back in the queue; review, accept, publish.
    watch(request, staff)
    open_from_the_queue(staff, "Submitted")
    reply = staff.locator(".review-thread li").filter(has_text=AGENCY_ANSWER)
    expect(reply).to_contain_text("From the agency")
    decide(staff, "Start review", "Review started. The filing is in review.", "In review")
    decide(staff, "Accept", "Accepted. The agency is told by email.", "Accepted")
    decide(staff, "Publish now", "Published. The filing is on the public site.", "Published")
    expect(activity_row(staff, "Published").get_by_role("cell").nth(2)).to_have_text(
        "Published (accepted → published)"
    )
    report_wcag_violations(staff, "review page, published")

    # A resident, signed in as nobody: the public page, search, the publication log.
    resident = another_page()
    watch(request, resident)
    resident.goto(f"/filings/{filing.pk}/")
    public_page(resident)
    expect(resident.get_by_text("Police Department · Audit result · version 3")).to_be_visible()
    history = resident.locator("section").filter(
        has=resident.get_by_role("heading", name="History", level=2)
    )
    expect(history.get_by_role("heading", level=3)).to_have_text(
        [re.compile(r"^Version 3: published on ")]
    )
    expect(history).to_contain_text(f"recorded by {reviewer.username}")
    expect(resident.get_by_role("link", name=PDF_NAME, exact=True)).to_be_visible()
    meets_wcag_2_1_aa(resident)

    resident.goto("/search/?" + urlencode({"q": f'"{PHRASE}"'}))
    expect(resident.get_by_role("heading", name="1 filing, page 1 of 1")).to_be_visible()
    result = resident.get_by_role("listitem").filter(
        has=resident.get_by_role("heading", name=TITLE)
    )
    page_2 = result.get_by_role("link", name=f"{PDF_NAME}, page 2")
    expect(page_2).to_have_attribute("href", f"/documents/{document.pk}/#page-2")
    expect(result.get_by_role("link", name=re.compile(r", page 1$"))).to_have_count(0)
    page_2.click()
    expect(resident.locator(":target")).to_have_id("page-2")
    expect(resident.locator("#page-2")).to_contain_text(PHRASE)

    resident.goto("/publication-log/")
    log = resident.get_by_role("table", name=re.compile(r"^Entries, newest first"))
    entry = log.get_by_role("row").filter(has=resident.get_by_role("link", name=TITLE))
    expect(entry).to_have_count(1)
    cells = entry.get_by_role("cell")
    # Recorded, action, filing, version, by, reason, hash: the entry number is the row header.
    expect(cells.nth(1)).to_have_text("Published")
    expect(cells.nth(3)).to_have_text("3")
    expect(cells.nth(4)).to_have_text(reviewer.username)
    meets_wcag_2_1_aa(resident)
    entry.get_by_role("link", name=TITLE).click()
    expect(resident).to_have_url(re.compile(rf"/filings/{filing.pk}/$"))
    public_page(resident)
