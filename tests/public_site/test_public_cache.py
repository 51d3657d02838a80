"""Anonymous readers share rendered public pages until the public record changes."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.demo.website import install_pages
from content.documents.storing import store_document
from content.filings.models import Status
from content.oversight.groups import OVERSIGHT_STAFF_GROUP
from portal.pages.models import HomePage
from tests.conftest import make_pdf
from tests.factories import FilingFactory, UserFactory
from tests.public_site.test_query_counts import add_to_the_record, public_addresses
from tests.search.publishing import published_filing

pytestmark = pytest.mark.django_db

PAGES = ["The department keeps drone footage for thirty days."]


@pytest.fixture
def policy(agency_a):
    return published_filing(agency_a, "Drone use policy", PAGES)


def test_a_second_reader_gets_the_page_for_one_query(client, policy, django_assert_num_queries):
    url = reverse("browse:agency", args=[policy.agency.slug])
    first = client.get(url)

    with django_assert_num_queries(1):
        second = client.get(url)

    assert second.status_code == 200
    assert second.content == first.content


def test_a_publication_shows_on_every_cached_page_once_it_commits(
    client, policy, agency_a, django_capture_on_commit_callbacks
):
    pages = [
        reverse("browse:agency", args=[agency_a.slug]),
        reverse("browse:filings"),
        reverse("search") + "?q=footage",
        reverse("publication:log"),
    ]
    for url in pages:
        assert "Drone retention audit" not in client.get(url).text

    with django_capture_on_commit_callbacks(execute=True):
        audit = published_filing(agency_a, "Drone retention audit", PAGES)

    for url in pages:
        assert "Drone retention audit" in client.get(url).text, url
    with django_capture_on_commit_callbacks(execute=True):
        audit.transition_to("withdrawn")
    assert "Drone retention audit" not in client.get(reverse("browse:filings")).text


def test_an_edit_to_an_agency_shows_at_once(
    client, policy, agency_a, django_capture_on_commit_callbacks
):
    url = reverse("browse:agencies")
    assert "Police Department" in client.get(url).text

    with django_capture_on_commit_callbacks(execute=True):
        agency_a.name = "Police Bureau"
        agency_a.save()

    page = client.get(url).text
    assert "Police Bureau" in page
    assert "Police Department" not in page


def test_each_language_has_its_own_copy(client, policy):
    english = reverse("browse:agencies")
    assert '<html lang="en">' in client.get(english).text
    assert '<html lang="es">' in client.get("/es" + english).text
    assert '<html lang="en">' in client.get(english).text


def test_a_page_rendered_for_signed_in_staff_is_never_shared(client, policy):
    install_pages()
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name=OVERSIGHT_STAFF_GROUP))
    client.force_login(staff)
    assert "wagtail-userbar" in client.get("/").text

    client.logout()

    assert "wagtail-userbar" not in client.get("/").text


def test_an_edit_to_the_home_page_shows_at_once(client, django_capture_on_commit_callbacks):
    install_pages()
    home = HomePage.objects.get(locale__language_code="en")
    assert home.title in client.get("/").text

    with django_capture_on_commit_callbacks(execute=True):
        home.title = "Oversight of surveillance in Alameda Bay"
        home.save_revision().publish()

    assert "Oversight of surveillance in Alameda Bay" in client.get("/").text


def test_an_agency_editing_its_draft_leaves_cached_pages_alone(
    client, policy, agency_a, django_capture_on_commit_callbacks, django_assert_num_queries
):
    url = reverse("browse:agency", args=[agency_a.slug])
    client.get(url)
    draft = FilingFactory(agency=agency_a, title="Draft retention policy")

    with django_capture_on_commit_callbacks(execute=True):
        draft.title = "Draft retention policy, second try"
        draft.save()
        store_document(draft, "draft.pdf", make_pdf(["Not yet submitted."]))

    with django_assert_num_queries(1):
        client.get(url)
    # Submitting it is counted: compliance pages say what has been filed.
    with django_capture_on_commit_callbacks(execute=True):
        draft.transition_to(Status.SUBMITTED)
    with CaptureQueriesContext(connection) as rendered:
        client.get(url)
    assert len(rendered) > 1


def test_a_shared_cache_can_keep_one_copy_of_each_public_page(client):
    """No public page varies by cookie or by the browser's languages: the address alone picks
    the language, and nothing looks at the session of a reader who has none. Only the page
    with a form (and its reader's CSRF token) varies by cookie."""
    with_a_form = {reverse("subscriptions:signup")}
    for address in public_addresses(add_to_the_record(1, start=0)):
        response = client.get(address, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
        assert response.status_code == 200, address
        varies_by = {field.strip().lower() for field in response.get("Vary", "").split(",")}
        assert "accept-language" not in varies_by, address
        assert ("cookie" in varies_by) == (address in with_a_form), address
        expected_language = "es" if address.startswith("/es/") else "en"
        assert response["Content-Language"] == expected_language, address
