"""Filing forms built from the rulebook: drafts, validation, preview, stale saves, held forms."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from content.filings.models import ContractDetails, Filing, Status
from content.inventory.models import InventoryEntry
from content.rulebook.rules import get_rulebook
from portal.markdown import render_markdown
from submissions.access import AgencyAccess
from submissions.filing_forms import FilingForm, StaleFiling, save_draft
from submissions.held_forms import COOKIE as HELD_FORM_COOKIE
from tests.factories import (
    ContractDetailsFactory,
    FilingFactory,
    InventoryEntryFactory,
    TechnologyFactory,
    VendorFactory,
)

ALL_KINDS = sorted(get_rulebook().kinds)


def edit_url(filing) -> str:
    return reverse(
        "submissions:filing_edit", kwargs={"agency": filing.agency.slug, "filing": filing.pk}
    )


def detail_url(filing) -> str:
    return reverse(
        "submissions:filing_detail", kwargs={"agency": filing.agency.slug, "filing": filing.pk}
    )


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def form_data(response) -> dict:
    """What a browser would send back from the edit page's filing form, unchanged."""
    form = response.context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value is None:
            continue
        if isinstance(value, list):
            data[field.html_name] = [str(item) for item in value]
        elif isinstance(value, datetime.date):
            data[field.html_name] = value.isoformat()
        else:
            data[field.html_name] = str(value)
    data["action"] = "save"
    return data


def textarea_text(response, field_id: str) -> str:
    # A browser drops the newline Django writes after <textarea>; html.parser keeps it.
    return page(response).find(id=field_id).get_text().removeprefix("\n")


def error_summary(response) -> list[str]:
    summary = page(response).find(class_="error-summary")
    return [item.get_text(" ", strip=True) for item in summary.find_all("li")] if summary else []


@pytest.fixture
def annual_report(agency_a, alpr_in_use_at_a, submitter_a):
    return FilingFactory(
        kind="annual_report",
        agency=agency_a,
        title="Annual surveillance report: Automated license plate readers, 2026",
        technologies=[alpr_in_use_at_a.technology],
        created_by=submitter_a,
    )


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_kind_renders_each_rulebook_field_labelled_with_its_help_text(
    kind, sign_in, submitter_a, agency_a, alpr_in_use_at_a
):
    filing = FilingFactory(kind=kind, agency=agency_a)
    response = sign_in(submitter_a).get(edit_url(filing))

    assert response.status_code == 200
    html = page(response)
    rules = get_rulebook().kind(kind)
    for rule in rules.fields:
        widget = html.find(id=f"id_{rule.name}")
        assert widget is not None, rule.name
        label = html.find("label", attrs={"for": f"id_{rule.name}"})
        assert rule.label in label.get_text()
        assert ("required to submit" in label.get_text()) == rule.required
        help_text = html.find(id=f"id_{rule.name}_helptext")
        assert help_text.get_text(strip=True) == rule.help.strip()
        assert f"id_{rule.name}_helptext" in widget["aria-describedby"]
        expected_tag = {"markdown": "textarea", "choice": "select"}.get(rule.type, "input")
        assert widget.name == expected_tag
        if rule.type == "date":
            assert widget["type"] == "date"
        if rule.type in ("integer", "decimal"):
            assert widget["min"] == "0"
        if rule.type == "choice":
            assert [o["value"] for o in widget.find_all("option")][1:] == list(rule.choices)
    if rules.requires_contract_details:
        for name in ("vendor", "amount", "currency", "period_start", "funding_source"):
            assert html.find(id=f"id_contract.{name}") is not None
    assert (html.find(id="id_reporting_period_start") is not None) == (
        rules.requires_reporting_period
    )
    # The documents panel sits on the edit page, outside the filing form.
    assert html.find(id="documents") is not None
    assert html.find(id="documents").find_parent("form") is None


def test_a_partial_draft_saves_and_says_when(sign_in, submitter_a, annual_report):
    client = sign_in(submitter_a)
    data = form_data(client.get(edit_url(annual_report)))
    data["usage_summary"] = "Cameras read plates at 12 fixed sites."
    data["complaints"] = "3"

    response = client.post(edit_url(annual_report), data, follow=True)

    annual_report.refresh_from_db()
    assert annual_report.details == {"usage_summary": data["usage_summary"], "complaints": 3}
    saved_at = timezone.localtime(annual_report.updated_at).strftime("%H:%M")
    assert f"Draft saved at {saved_at}." in response.content.decode()
    # Still incomplete, and the page says what is missing before it can be submitted.
    needed = page(response).find(id="still-needed-heading").find_next("ul").get_text()
    assert "Data sharing: required" in needed
    assert response.context["form"]["usage_summary"].value() == data["usage_summary"]


def test_starting_a_filing_creates_a_draft_and_opens_its_full_form(
    sign_in, submitter_a, agency_a, alpr_in_use_at_a
):
    client = sign_in(submitter_a)
    new_url = reverse("submissions:filing_new", kwargs={"agency": agency_a.slug})
    chooser = page(client.get(new_url))
    assert chooser.find("legend").get_text(strip=True) == "What are you filing?"

    response = client.post(
        new_url,
        {"kind": "audit", "title": "Audit of plate reader retention"},
    )

    filing = Filing.objects.get(agency=agency_a)
    assert response.status_code == 303
    assert response["Location"] == edit_url(filing)
    assert (filing.kind, filing.title, filing.status) == (
        "audit",
        "Audit of plate reader retention",
        Status.DRAFT,
    )
    assert filing.created_by == submitter_a


def test_an_unknown_kind_is_refused_with_the_list_to_choose_from(sign_in, submitter_a, agency_a):
    new_url = reverse("submissions:filing_new", kwargs={"agency": agency_a.slug})
    response = sign_in(submitter_a).get(new_url, {"kind": "secret_dossier"})

    assert response.status_code == 400
    assert error_summary(response) == [
        "That is not a kind of filing this ordinance has; choose one from the list."
    ]
    assert not Filing.objects.exists()


def test_invalid_values_get_a_message_at_each_field_and_nothing_is_saved(
    sign_in, submitter_a, annual_report
):
    client = sign_in(submitter_a)
    data = form_data(client.get(edit_url(annual_report)))
    before = Filing.objects.values().get(pk=annual_report.pk)
    data.update(
        {
            "title": "T" * 301,
            "usage_summary": "x" * 50_001,
            "complaints": "-2",
            "total_annual_cost": "lots",
            "reporting_period_start": "2026-12-31",
            "reporting_period_end": "2026-01-01",
            "data_sharing": "Shared with the county.",
        }
    )

    response = client.post(edit_url(annual_report), data)

    assert response.status_code == 400
    assert Filing.objects.values().get(pk=annual_report.pk) == before
    assert error_summary(response) == [
        "Title can be at most 300 characters; it has 301.",
        "The reporting period must end on or after its start (December 31, 2026).",
        "How the technology was used can be at most 50,000 characters; it has 50001.",
        "Complaints received cannot be negative.",
        "Total annual cost (USD) must be an amount, e.g. 1250.00.",
    ]
    html = page(response)
    title = html.find(id="id_title")
    assert title["aria-invalid"] == "true"
    assert "id_title_error" in title["aria-describedby"]
    assert html.find(id="id_title_error").get_text(strip=True).startswith("Title can be at most")
    assert html.find("a", href="#id_title") is not None
    # What was typed is still in the form, to correct rather than retype.
    assert textarea_text(response, "id_data_sharing") == "Shared with the county."


def test_a_technology_from_another_agencys_inventory_is_refused(
    sign_in, submitter_a, annual_report, agency_b
):
    elsewhere = InventoryEntryFactory(agency=agency_b).technology
    client = sign_in(submitter_a)
    data = form_data(client.get(edit_url(annual_report)))
    data["technologies"] = [str(elsewhere.pk)]

    response = client.post(edit_url(annual_report), data)

    assert response.status_code == 400
    assert error_summary(response) == [
        f"Technology {elsewhere.pk} is not in Police Department's inventory; choose from the list."
    ]
    assert list(annual_report.technologies.all()) == [annual_report.technologies.get()]
    assert elsewhere not in annual_report.technologies.all()


@pytest.fixture
def contract(agency_a, alpr_in_use_at_a):
    return FilingFactory(
        kind="contract",
        agency=agency_a,
        title="Plate reader service agreement",
        technologies=[alpr_in_use_at_a.technology],
    )


def test_a_vendor_outside_the_agencys_inventory_is_refused(
    sign_in, submitter_a, contract, agency_b
):
    elsewhere = InventoryEntryFactory(agency=agency_b).vendor
    client = sign_in(submitter_a)
    data = form_data(client.get(edit_url(contract)))
    data["contract.vendor"] = str(elsewhere.pk)

    response = client.post(edit_url(contract), data)

    assert response.status_code == 400
    assert error_summary(response) == [
        "That vendor is not in Police Department's inventory; choose one from the list."
    ]
    assert not ContractDetails.objects.exists()


def test_complete_contract_details_are_saved(sign_in, submitter_a, contract, plate_vendor):
    client = sign_in(submitter_a)
    data = form_data(client.get(edit_url(contract)))
    data.update(
        {
            "contract.vendor": str(plate_vendor.pk),
            "contract.amount": "125000.50",
            "contract.currency": "usd",
            "contract.period_start": "2026-01-01",
            "contract.period_end": "2027-12-31",
            "contract.funding_source": "General Fund",
            "contract.award_date": "2025-12-01",
        }
    )

    response = client.post(edit_url(contract), data)

    assert response.status_code == 303
    saved = ContractDetails.objects.get(filing=contract)
    assert (saved.vendor, str(saved.amount), saved.currency, saved.funding_source) == (
        plate_vendor,
        "125000.50",
        "USD",
        "General Fund",
    )
    assert saved.period_end == datetime.date(2027, 12, 31)


def test_partial_contract_details_keep_the_rest_of_the_draft_and_say_what_is_needed(
    sign_in, submitter_a, contract, plate_vendor
):
    client = sign_in(submitter_a)
    data = form_data(client.get(edit_url(contract)))
    data.update(
        {
            "scope": "Hosting and support of plate reader data.",
            "contract.vendor": str(plate_vendor.pk),
            "contract.amount": "125000",
        }
    )

    response = client.post(edit_url(contract), data)

    assert response.status_code == 200
    contract.refresh_from_db()
    assert contract.details == {"scope": "Hosting and support of plate reader data."}
    assert not ContractDetails.objects.exists()
    text = page(response).get_text(" ", strip=True)
    assert "The contract details were not saved" in text
    assert (
        "Still needed: Contract period start, Contract period end, Funding source, Award date"
        in text
    )
    html = page(response)
    assert html.find(id="id_contract.amount")["value"] == "125000"
    # The form now carries the version just saved: finishing the contract is not a stale save.
    data = form_data(response)
    data.update(
        {
            "contract.period_start": "2026-01-01",
            "contract.period_end": "2026-12-31",
            "contract.funding_source": "General Fund",
            "contract.award_date": "2025-12-01",
        }
    )
    assert client.post(edit_url(contract), data).status_code == 303
    assert ContractDetails.objects.get(filing=contract).amount == 125000


def test_preview_shows_sanitised_markdown_and_saves_nothing(sign_in, submitter_a, annual_report):
    client = sign_in(submitter_a)
    data = form_data(client.get(edit_url(annual_report)))
    before = Filing.objects.values().get(pk=annual_report.pk)
    typed = (
        "**Fixed cameras** at 12 sites.\n\n<script>alert('x')</script>\n\n"
        "[details](javascript:alert(1)) and [the policy](https://example.org/policy)"
    )
    data.update({"usage_summary": typed, "action": "preview"})

    response = client.post(edit_url(annual_report), data)

    assert response.status_code == 200
    assert Filing.objects.values().get(pk=annual_report.pk) == before
    preview = page(response).find(class_="markdown-preview")
    assert preview.find("strong").get_text() == "Fixed cameras"
    assert preview.find("script") is None
    assert "<script>alert('x')</script>" in preview.get_text()  # shown as the text typed
    links = {a.get_text(): a.get("href") for a in preview.find_all("a")}
    assert links == {"details": None, "the policy": "https://example.org/policy"}
    assert textarea_text(response, "id_usage_summary") == typed


def test_render_markdown_passes_no_raw_html_or_script_links():
    typed = '<img src=x onerror="alert(1)"> [a](JavaScript:alert(1)) <a href="javascript:x">b</a>'

    html = BeautifulSoup(render_markdown(typed), "html.parser")

    assert html.find("img") is None
    assert [link.get("href") for link in html.find_all("a")] == [None]
    assert '<a href="javascript:x">b</a>' in html.get_text()
    assert render_markdown("   ") == ""


def test_a_save_based_on_an_older_version_is_refused_and_overwrites_nothing(
    sign_in, submitter_a, approver_a, annual_report
):
    mine, colleague = sign_in(submitter_a), sign_in(approver_a)
    my_form = form_data(mine.get(edit_url(annual_report)))
    their_form = form_data(colleague.get(edit_url(annual_report)))
    their_form["usage_summary"] = "The colleague's text."
    assert colleague.post(edit_url(annual_report), their_form).status_code == 303

    my_form["usage_summary"] = "My text."
    response = mine.post(edit_url(annual_report), my_form)

    assert response.status_code == 409
    annual_report.refresh_from_db()
    assert annual_report.details["usage_summary"] == "The colleague's text."
    summary = page(response).find(class_="error-summary").get_text(" ", strip=True)
    saved_at = timezone.localtime(annual_report.updated_at)
    assert "Nothing was saved: this filing changed while you were editing it" in summary
    assert f"Someone saved this filing at {saved_at:%-I:%M}" in summary
    assert textarea_text(response, "id_usage_summary") == "My text."
    # Having been told, saving again is a deliberate choice and goes through.
    assert mine.post(edit_url(annual_report), form_data(response)).status_code == 303
    annual_report.refresh_from_db()
    assert annual_report.details["usage_summary"] == "My text."


def test_of_two_saves_from_the_same_version_only_the_first_wins(submitter_a, annual_report):
    access = AgencyAccess(submitter_a.memberships.get())
    kind = annual_report.kind_rules
    loaded = annual_report.updated_at.isoformat()
    forms = [
        FilingForm(
            {"loaded_updated_at": loaded, "title": title},
            kind=kind,
            agency=annual_report.agency,
            filing=annual_report,
        )
        for title in ("First", "Second")
    ]
    assert all(form.is_valid() for form in forms)

    save_draft(forms[0], access, annual_report, datetime.date(2026, 6, 1))
    with pytest.raises(StaleFiling):
        save_draft(forms[1], access, annual_report, datetime.date(2026, 6, 1))

    annual_report.refresh_from_db()
    assert annual_report.title == "First"


def test_a_post_after_the_session_expired_is_kept_and_shown_again_after_signing_in(
    submitter_a, annual_report
):
    browser = Client()
    browser.force_login(submitter_a)
    data = form_data(browser.get(edit_url(annual_report)))
    browser.logout()  # the session ends while the form is open
    data["usage_summary"] = "Typed while the session was ending."
    before = Filing.objects.values().get(pk=annual_report.pk)

    response = browser.post(edit_url(annual_report), data)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("submissions:sign_in"))
    assert HELD_FORM_COOKIE in browser.cookies
    assert Filing.objects.values().get(pk=annual_report.pk) == before

    browser.force_login(submitter_a)
    restored = browser.get(edit_url(annual_report))

    text = page(restored).get_text(" ", strip=True)
    assert "We kept what you typed when your session ended; check it and save." in text
    assert "Files you had chosen to upload were not kept" in text
    assert textarea_text(restored, "id_usage_summary") == "Typed while the session was ending."
    assert Filing.objects.values().get(pk=annual_report.pk) == before
    # Saving the kept form works: it is based on the version the person had open.
    assert browser.post(edit_url(annual_report), form_data(restored)).status_code == 303
    annual_report.refresh_from_db()
    assert annual_report.details["usage_summary"] == "Typed while the session was ending."


def test_a_new_filing_typed_after_the_session_expired_is_kept_until_signing_in(
    submitter_a, agency_a
):
    browser = Client()
    new_url = reverse("submissions:filing_new", kwargs={"agency": agency_a.slug})

    browser.post(new_url, {"kind": "audit", "title": "Audit of plate reader retention"})

    assert not Filing.objects.exists()
    browser.force_login(submitter_a)
    restored = browser.get(new_url)
    assert page(restored).find("h1").get_text(strip=True) == "New audit result"
    assert page(restored).find(id="id_title")["value"] == "Audit of plate reader retention"
    assert "We kept what you typed" in page(restored).get_text()
    assert not Filing.objects.exists()


def test_a_submitted_filing_cannot_be_edited_and_the_page_says_why(
    sign_in, submitter_a, annual_report
):
    annual_report.transition_to(Status.SUBMITTED)
    client = sign_in(submitter_a)

    response = client.get(edit_url(annual_report))
    refused_post = client.post(edit_url(annual_report), {"title": "Changed", "action": "save"})

    assert response.status_code == 403
    assert "This filing is submitted; it can be changed only as a draft" in (
        page(response).find(role="alert").get_text()
    )
    assert refused_post.status_code == 403
    annual_report.refresh_from_db()
    assert annual_report.title != "Changed"


def test_another_agency_cannot_open_the_form(sign_in, submitter_b, annual_report):
    assert sign_in(submitter_b).get(edit_url(annual_report)).status_code == 404


def test_a_form_without_its_security_token_is_explained_and_saves_nothing(
    submitter_a, annual_report
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(submitter_a)
    before = Filing.objects.values().get(pk=annual_report.pk)

    response = browser.post(edit_url(annual_report), {"title": "No token", "action": "save"})

    assert response.status_code == 403
    text = page(response).get_text(" ", strip=True)
    assert "its security token was missing or stale. Nothing was saved." in text
    assert "Reload the page" in text
    assert Filing.objects.values().get(pk=annual_report.pk) == before


def test_the_filing_page_shows_every_field_with_markdown_rendered_safely(
    sign_in, submitter_a, contract, plate_vendor
):
    contract.details = {
        "scope": "Vendor **hosts** data <script>alert(1)</script>",
        "contract_number": "C-2026-14",
    }
    contract.summary = "A [link](javascript:alert(1))."
    contract.save()
    ContractDetailsFactory(filing=contract, vendor=plate_vendor, amount="125000.00")

    response = sign_in(submitter_a).get(detail_url(contract))

    assert response.status_code == 200
    html = page(response)
    assert html.find("h1").get_text(strip=True) == "Plate reader service agreement"
    assert html.find("strong", string="Draft") is not None
    assert html.find("strong", string="hosts") is not None
    assert html.find("script", string="alert(1)") is None
    assert all(a.get("href") != "javascript:alert(1)" for a in html.find_all("a"))
    text = html.get_text(" ", strip=True)
    for expected in ("C-2026-14", "Plate Systems Inc.", "USD 125000.00", "General Fund"):
        assert expected in text
    assert html.find(id="documents-heading") is not None
    assert html.find(id="submission-heading") is not None


def test_the_technology_list_offers_only_the_agencys_inventory(
    sign_in, submitter_a, agency_a, agency_b, annual_report
):
    retired = InventoryEntryFactory(
        agency=agency_a, technology=TechnologyFactory(name="Drones"), vendor=VendorFactory()
    )
    retired.status = InventoryEntry.Status.RETIRED
    retired.save()
    InventoryEntryFactory(agency=agency_b, technology=TechnologyFactory(name="Speed cameras"))

    response = sign_in(submitter_a).get(edit_url(annual_report))

    fieldset = page(response).find(id="id_technologies").find_parent("fieldset")
    offered = [label.get_text(strip=True) for label in fieldset.find_all("label")]
    assert offered == ["Automated license plate readers", "Drones"]
    assert escape("Police Department's inventory") in response.content.decode()
