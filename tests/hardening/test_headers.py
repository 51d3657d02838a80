"""Response headers that keep pages safe: a strict Content Security Policy on every page the
portal writes itself (and markup it obeys), and no-store on everything private."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from content.demo.website import install_pages
from content.oversight.groups import OVERSIGHT_STAFF_GROUP
from tests.factories import FilingFactory, UserFactory
from tests.public_site.test_query_counts import add_to_the_record, public_addresses

pytestmark = pytest.mark.django_db

NO_STORE = re.compile(r"\bno-store\b")


@pytest.fixture
def record():
    install_pages()
    return add_to_the_record(1, start=0)


@pytest.fixture
def staff():
    person = UserFactory(is_staff=True)
    person.groups.add(Group.objects.get(name=OVERSIGHT_STAFF_GROUP))
    return person


def html_addresses(client, addresses):
    for address in addresses:
        response = client.get(address)
        if response.get("Content-Type", "").startswith("text/html"):
            yield address, response


def test_every_public_page_has_a_strict_policy_and_no_inline_script_or_style(client, record):
    checked = 0
    for address, response in html_addresses(client, public_addresses(record)):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy, address
        assert "style-src 'self';" in policy, address
        assert "unsafe-inline" not in policy, address
        assert "frame-ancestors 'none'" in policy, address
        page = BeautifulSoup(response.content, "html.parser")
        # What the policy would block, so a page that relies on it would break in browsers.
        assert page.find("style") is None, address
        assert page.find(style=True) is None, address
        assert [tag for tag in page.find_all("script") if not tag.get("src")] == [], address
        handlers = [
            name for tag in page.find_all(True) for name in tag.attrs if name.startswith("on")
        ]
        assert handlers == [], address
        checked += 1
    assert checked >= 20


def test_the_staff_admin_alone_may_run_inline_script(client, staff):
    client.force_login(staff)
    for address in ("/admin/", "/admin/login/", "/django-admin/login/"):
        policy = client.get(address)["Content-Security-Policy"]
        assert "'unsafe-inline'" in policy, address
        assert "frame-ancestors 'none'" in policy, address


@pytest.mark.parametrize("who", ["anonymous", "agency submitter", "oversight staff"])
def test_private_pages_are_never_stored_and_public_ones_only_for_the_anonymous(
    record, who, submitter_a, staff
):
    person = {"anonymous": None, "agency submitter": submitter_a, "oversight staff": staff}[who]
    client = Client()
    if person is not None:
        client.force_login(person)
    draft = FilingFactory(agency=submitter_a.memberships.get().agency)
    private = [
        reverse("submissions:sign_in"),
        "/es" + reverse("submissions:sign_in"),
        reverse("submissions:home"),
        reverse("submissions:filing_detail", args=[draft.agency.slug, draft.pk]),
        "/admin/login/",
        "/admin/",
        "/admin/pages/",
        "/django-admin/login/",
    ]
    for address in private:
        response = client.get(address)
        assert NO_STORE.search(response.get("Cache-Control", "")), (address, who)
    for address in public_addresses(record)[:12]:
        response = client.get(address)
        stored = not NO_STORE.search(response.get("Cache-Control", ""))
        # A page drawn for a signed-in person may carry their name or staff tools.
        assert stored == (person is None), (address, who)
