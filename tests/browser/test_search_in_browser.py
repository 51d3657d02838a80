"""Residents and staff using the portal in a real browser: search, read, sign in."""

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from content.demo.jurisdiction import DEMO_USERS
from content.oversight.groups import OVERSIGHT_STAFF_GROUP
from tests.factories import PASSWORD, UserFactory
from tests.search.publishing import published_filing

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RETENTION_SENTENCE = "Facial recognition data retention is limited to thirty days."
# Enough pages that page 7 starts below the fold, so landing on it takes a real jump.
POLICY_PAGES = [
    RETENTION_SENTENCE if number == 7 else f"Page {number} of the policy."
    for number in range(1, 15)
]


@pytest.fixture
def policy(agency_a):
    return published_filing(agency_a, "Face recognition use policy", POLICY_PAGES)


@pytest.fixture
def policy_document(policy):
    return policy.documents.get()


@pytest.fixture
def other_agencys_policy(agency_b):
    return published_filing(
        agency_b, "Parking camera use policy", ["License plate data retention is ninety days."]
    )


def search_for(page, words):
    """Type into the search box, key by key, and press Enter, as a resident does."""
    page.goto("/search/")
    page.get_by_role("searchbox").press_sequentially(words)
    page.get_by_role("searchbox").press("Enter")


def test_a_phrase_from_page_7_leads_to_page_7_of_the_policy(page, policy_document):
    search_for(page, '"data retention"')

    result = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Face recognition use policy")
    )
    page_7_link_name = "Face recognition use policy.pdf, page 7"
    page_7_hit = result.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=page_7_link_name)
    )
    expect(page_7_hit).to_be_visible()
    expect(page_7_hit.locator("mark").first).to_be_visible()
    highlighted = " ".join(page_7_hit.locator("mark").all_inner_texts())
    assert highlighted == "data retention"

    page_7_hit.get_by_role("link", name=page_7_link_name).click()

    expect(page).to_have_url(re.compile(rf"/documents/{policy_document.pk}/#page-7$"))
    expect(page.locator(":target")).to_have_id("page-7")
    expect(page.locator("#page-7")).to_be_in_viewport()
    expect(page.locator("#page-7")).to_contain_text(RETENTION_SENTENCE)
    expect(page.get_by_role("heading", name="Page 1", exact=True)).not_to_be_in_viewport()


def test_without_javascript_the_search_and_its_filters_work_and_stay_in_the_url(
    page_without_javascript, policy, other_agencys_policy
):
    page = page_without_javascript
    search_for(page, "retention")
    expect(page.get_by_role("heading", name="2 filings, page 1 of 1")).to_be_visible()

    page.get_by_role("checkbox", name=re.compile(r"^Police Department")).check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page.get_by_role("heading", name="1 filing, page 1 of 1")).to_be_visible()
    expect(page.get_by_role("heading", name="Face recognition use policy")).to_be_visible()
    expect(page.get_by_role("heading", name="Parking camera use policy")).to_have_count(0)
    expect(page.get_by_role("checkbox", name=re.compile(r"^Police Department"))).to_be_checked()
    expect(page.get_by_role("searchbox")).to_have_value("retention")
    state = parse_qs(urlsplit(page.url).query)
    assert state["q"] == ["retention"]
    assert state["agency"] == [policy.agency.slug]


def test_the_first_tab_stop_is_the_skip_link_and_it_moves_focus_to_the_main_content(page):
    page.goto("/search/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()


def wcag_violations(page):
    """What axe-core finds against WCAG 2.1 A and AA on the page as it stands."""
    # Evaluated through the browser's debugging protocol, which the page's Content Security
    # Policy does not govern; a <script> tag added to the page would be refused by it.
    page.evaluate(AXE.read_text())
    results = page.evaluate(
        "runOnly => axe.run(document, {runOnly})",
        WCAG_21_AA,
    )
    return results["violations"]


def described(violations):
    """Each violated rule with its impact, then the elements that break it, one per line."""
    return "\n".join(
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(f"    {json.dumps(node['target'])}" for node in violation["nodes"])
        for violation in violations
    )


def test_search_results_meet_wcag_2_1_aa(page, policy, other_agencys_policy):
    search_for(page, "retention")
    expect(page.get_by_role("heading", name="2 filings, page 1 of 1")).to_be_visible()

    violations = wcag_violations(page)

    assert violations == [], described(violations)


def test_a_document_page_meets_wcag_2_1_aa(page, policy_document):
    page.goto(f"/documents/{policy_document.pk}/")
    expect(page.get_by_role("heading", name="Face recognition use policy.pdf")).to_be_visible()

    violations = wcag_violations(page)

    assert violations == [], described(violations)


@pytest.fixture
def oversight_staff(db):
    """The demo's oversight staff member, set up as tests.conftest's reviewer is.

    The password is the factories' one, not the demo's: the demo's is for people trying
    the portal, and the tests must not depend on it.
    """
    demo = next(user for user in DEMO_USERS if user.oversight_staff)
    user = UserFactory(
        username=demo.username,
        first_name=demo.first_name,
        last_name=demo.last_name,
        email=demo.email,
    )
    user.groups.add(Group.objects.get(name=OVERSIGHT_STAFF_GROUP))
    return user


def test_oversight_staff_sign_in_and_open_the_filings_list(page, oversight_staff, policy):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(oversight_staff.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("button", name="Record").click()
    page.get_by_role("link", name="Filings", exact=True).click()

    expect(page).to_have_url(re.compile(r"/admin/filings/$"))
    expect(page.get_by_role("heading", name="Filings", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Face recognition use policy")).to_be_visible()
