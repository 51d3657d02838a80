"""Every kind of public page, as an anonymous resident sees it in a real browser: each loads,
meets WCAG 2.1 A and AA by axe-core, asks no host but the portal's own, and reflows at 320 px
wide without horizontal scrolling (WCAG 1.4.10)."""

import datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from content.demo.website import install_pages
from content.documents.storing import store_document
from content.filings.models import Status
from content.inventory.models import InventoryEntry
from publication import services as publication
from tests.browser.test_search_in_browser import described, wcag_violations
from tests.conftest import make_pdf
from tests.factories import (
    ContractDetailsFactory,
    InventoryEntryFactory,
    TechnologyFactory,
    VendorFactory,
)
from tests.search.publishing import FILLER, published_filing

POLICY_TITLE = "Plate reader use policy"
CONTRACT_TITLE = "Plate reader camera contract"
WITHDRAWN_TITLE = "Drone use policy"
# WCAG 1.4.10: content at 320 CSS px wide must not scroll sideways. One px of rounding slack.
NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 720}
# Third-party markup: what axe finds is reported, not asserted.
REPORT_ONLY = {"/api/v1/docs/"}


@pytest.fixture
def published(agency_a, agency_b):
    """Police use plate readers from Flock, with a published use policy (a PDF) and contract;
    Transportation's drone policy was published and then withdrawn. The editorial pages
    (home and guides, in English and Spanish) are the demo's."""
    install_pages()
    alpr = TechnologyFactory(name="Automated license plate readers", slug="alpr")
    drones = TechnologyFactory(name="Inspection drones", slug="drones")
    flock = VendorFactory(name="Flock Safety", slug="flock")
    InventoryEntryFactory(
        agency=agency_a, technology=alpr, vendor=flock, in_use_since=datetime.date(2024, 6, 1)
    )
    InventoryEntryFactory(
        agency=agency_b,
        technology=drones,
        vendor=VendorFactory(name="Skydio", slug="skydio"),
        status=InventoryEntry.Status.APPROVED,
        in_use_since=None,
    )
    policy = published_filing(
        agency_a,
        POLICY_TITLE,
        ["Reads are kept for thirty days.", "Searches need a case number."],
        technology=alpr,
    )
    contract = ContractDetailsFactory(
        filing__title=CONTRACT_TITLE,
        filing__agency=agency_a,
        filing__technologies=[alpr],
        vendor=flock,
    ).filing
    contract.details = {rule.name: FILLER for rule in contract.kind_rules.fields}
    contract.save()
    store_document(contract, f"{CONTRACT_TITLE}.pdf", make_pdf(["Term: two years."]))
    for status in (Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED):
        contract.transition_to(status)
    publication.publish(contract, by=None)
    withdrawn = published_filing(
        agency_b, WITHDRAWN_TITLE, ["Flights need a permit."], technology=drones
    )
    publication.withdraw(withdrawn, by=None, reason="Superseded by the 2027 policy.")
    return {
        "policy": policy,
        "document": policy.documents.get(),
        "contract": contract,
        "withdrawn": withdrawn,
    }


def public_pages(published):
    """Each kind of public page, with text that shows it is the page meant (None: any)."""
    return [
        ("/", None),
        ("/search/?q=thirty", POLICY_TITLE),
        ("/filings/", CONTRACT_TITLE),
        (f"/filings/{published['policy'].pk}/", f"{POLICY_TITLE}.pdf"),
        (f"/filings/{published['contract'].pk}/", f"{CONTRACT_TITLE}.pdf"),
        (f"/filings/{published['withdrawn'].pk}/", "This filing was withdrawn on"),
        (f"/documents/{published['document'].pk}/", "Reads are kept for thirty days."),
        ("/agencies/", "Department of Transportation"),
        ("/agencies/police/", CONTRACT_TITLE),
        ("/technologies/", "Inspection drones"),
        ("/technologies/alpr/", POLICY_TITLE),
        ("/vendors/", "Skydio"),
        ("/vendors/flock/", CONTRACT_TITLE),
        ("/compliance/", "Police Department"),
        ("/compliance/police/", "Automated license plate readers"),
        ("/spending/", "Spending on surveillance technology"),
        (f"/documents/{published['document'].pk}/?q=thirty", "Reads are kept for thirty days."),
        ("/inventory/", "Skydio"),
        ("/inventory/history/", None),
        ("/publication-log/", WITHDRAWN_TITLE),
        ("/publication-log/how-to-verify/", None),
        ("/feeds/", None),
        ("/alerts/", None),
        ("/data/", "Contracts as OCDS"),
        ("/api/v1/docs/", None),
        ("/agency/sign-in/", None),
        # The same kinds of page in Spanish; filed material stays in its own language.
        ("/es/", None),
        ("/es/search/?q=thirty", POLICY_TITLE),
        ("/es/filings/", CONTRACT_TITLE),
        (f"/es/filings/{published['policy'].pk}/", f"{POLICY_TITLE}.pdf"),
        (f"/es/filings/{published['withdrawn'].pk}/", None),
        (f"/es/documents/{published['document'].pk}/?q=thirty", "Reads are kept for thirty days."),
        ("/es/agencies/police/", CONTRACT_TITLE),
        ("/es/technologies/alpr/", POLICY_TITLE),
        ("/es/vendors/flock/", CONTRACT_TITLE),
        ("/es/compliance/police/", "Automated license plate readers"),
        ("/es/spending/", None),
        ("/es/inventory/", "Skydio"),
        ("/es/publication-log/", WITHDRAWN_TITLE),
        ("/es/feeds/", None),
        ("/es/alerts/", None),
        ("/es/data/", None),
        ("/es/agency/sign-in/", None),
    ]


# The outermost elements whose right edge passes the viewport's, leaving out those inside a
# scrolling box (a wide table in its .table-scroll): where to look in the CSS.
WIDEST_ELEMENTS = """limit => {
    const scrolled = element => {
        for (let box = element.parentElement; box; box = box.parentElement) {
            if (getComputedStyle(box).overflowX !== "visible") return true;
        }
        return false;
    };
    const past = [...document.body.querySelectorAll("*")].filter(
        element => element.getBoundingClientRect().right > limit && !scrolled(element)
    );
    return past
        .filter(element => !past.includes(element.parentElement))
        .slice(0, 5)
        .map(element => {
            const classes = [...element.classList].map(name => "." + name).join("");
            const right = Math.round(element.getBoundingClientRect().right);
            return `${element.tagName.toLowerCase()}${classes} (right edge ${right} px)`;
        });
}"""


def at_320_px(page):
    """At 320 px wide: how far the page scrolls sideways (1 px is rounding), the elements
    that stick out, and what axe finds there (a table that fits at 1280 px scrolls here)."""
    page.set_viewport_size(NARROW)
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        limit = NARROW["width"] + 1
        culprits = page.evaluate(WIDEST_ELEMENTS, limit) if width > limit else []
        violations = wcag_violations(page)
    finally:
        page.set_viewport_size(WIDE)
    return max(0, width - limit), culprits, violations


def test_every_public_page_meets_wcag_2_1_aa_reflows_and_stays_on_the_portal(
    page, live_server, published
):
    portal_host = urlsplit(live_server.url).netloc
    requested, refused_by_policy = [], []
    page.on("request", lambda request: requested.append(request.url))
    # What the Content Security Policy blocked: a page relying on it is broken in browsers.
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and refused_by_policy.append(message.text)
        ),
    )
    page.set_viewport_size(WIDE)

    rows, failures = [], []
    for url, shows in public_pages(published):
        requested.clear()
        response = page.goto(url)
        assert response.status == 200, f"{url}: status {response.status}"
        if url not in REPORT_ONLY:
            language = "es" if url.startswith("/es/") else "en"
            expect(page.locator("html")).to_have_attribute("lang", language)
        if shows:
            expect(page.get_by_text(shows).first).to_be_visible()
        wide = wcag_violations(page)
        overflow, culprits, narrow = at_320_px(page)
        elsewhere = sorted(
            {
                address
                for address in requested
                if urlsplit(address).scheme in ("http", "https")
                and urlsplit(address).netloc != portal_host
            }
        )
        rows.append((url, response.status, len(wide), len(narrow), len(elsewhere), overflow))
        for width, violations in (("1280 px", wide), ("320 px", narrow)):
            print(f"axe, WCAG 2.1 A/AA, {url} at {width}: {len(violations)} rule(s) violated")
            if violations:
                print(described(violations))
                if url not in REPORT_ONLY:
                    failures.append(f"{url} at {width}:\n{described(violations)}")
        if elsewhere:
            failures.append(f"{url}: requested other hosts: {elsewhere}")
        if refused_by_policy:
            failures.append(f"{url}: blocked by the Content Security Policy: {refused_by_policy}")
        refused_by_policy.clear()
        if overflow:
            failures.append(f"{url}: scrolls {overflow} px sideways at 320 px wide: {culprits}")

    columns = ("status", "axe 1280", "axe 320", "3rd-party", "overflow")
    print(f"\n{'page':<34}" + "".join(f"{column:>10}" for column in columns))
    for url, *cells in rows:
        print(f"{url:<34}" + "".join(f"{cell!s:>10}" for cell in cells))
    print(f"(axe counts rules violated; {', '.join(sorted(REPORT_ONLY))}: reported, not asserted)")
    assert failures == [], "\n".join(failures)
