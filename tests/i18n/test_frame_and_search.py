"""The site frame, the editorial pages, search and the document reader as a Spanish reader
sees them under /es/, with the English pages unchanged at their own addresses."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import permission_denied
from wagtail.models import Page

from content.demo.website import install_pages
from tests.search.publishing import published_filing

PAGES = [f"Page {number} of the policy." for number in range(1, 7)] + [
    "Facial recognition data retention is limited to thirty days.",
    "Retention is audited; retention records are kept.",
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(agency_a):
    return published_filing(agency_a, "Face recognition use policy", PAGES)


@pytest.fixture
def document(policy):
    return policy.documents.get()


@pytest.fixture
def pages():
    install_pages()


def switcher_link(page: str, language: str) -> str:
    """The language switcher's link to `language`, as an href value."""
    marker = f'lang="{language}" hreflang="{language}"'
    tag = next(tag for tag in page.split("<a ") if marker in tag)
    return tag.split('href="')[1].split('"')[0]


def test_es_shows_the_spanish_home_page_with_spanish_navigation(client, pages, policy, agency_b):
    page = client.get("/es/").text
    assert '<html lang="es">' in page
    assert "<h1>La tecnología de vigilancia en la ciudad de Alameda Bay</h1>" in page
    assert "Qué puede encontrar aquí" in page
    assert '<a href="/es/" aria-current="page">Inicio</a>' in page
    assert '<a href="/es/filings/">Expedientes</a>' in page
    assert "Agencias que presentan expedientes conforme a la ordenanza" in page
    assert "Police Department (PD): 1 expediente publicado" in page
    assert f"Department of Transportation ({agency_b.abbreviation}): 0 expedientes publicados" in (
        page
    )
    assert switcher_link(page, "en") == "/"

    english = client.get("/").text
    assert '<html lang="en">' in english
    assert "<h1>Surveillance technology in the City of Alameda Bay</h1>" in english
    assert "Police Department (PD): 1 published filing" in english
    assert f"Department of Transportation ({agency_b.abbreviation}): 0 published filings" in (
        english
    )
    assert switcher_link(english, "es") == "/es/"


def test_every_guide_has_its_spanish_page_at_the_same_address_under_es(client, pages):
    english = client.get("/about-the-ordinance/")
    assert "<h1>About the ordinance</h1>" in english.text
    spanish_url = switcher_link(english.text, "es")
    assert spanish_url == "/es/about-the-ordinance/"
    spanish = client.get(spanish_url)
    assert spanish.status_code == 200
    assert "<h1>Acerca de la ordenanza</h1>" in spanish.text
    assert "Qué se considera tecnología de vigilancia" in spanish.text
    assert "<h1>Cómo leer un expediente</h1>" in client.get("/es/reading-a-filing/").text
    assert "<h1>Participe en la Comisión Asesora de Privacidad</h1>" in (
        client.get("/es/take-part/").text
    )


def test_loading_the_pages_again_creates_nothing(pages):
    count = Page.objects.count()
    assert install_pages() == (0, 8)
    assert Page.objects.count() == count
    assert Page.objects.filter(locale__language_code="es", live=True).count() == 4


def test_the_switcher_keeps_the_query_string_both_ways(client, policy):
    spanish = client.get("/es/search/", {"q": "x"}).text
    assert switcher_link(spanish, "en") == "/search/?q=x"
    english = client.get("/search/", {"q": "x"}).text
    assert switcher_link(english, "es") == "/es/search/?q=x"


def test_the_spanish_search_page_has_spanish_labels_headings_and_counts(client, policy):
    response = client.get("/es/search/", {"q": "retention"})
    assert response.status_code == 200
    page = response.text
    assert '<html lang="es">' in page
    assert "<h1>Buscar en expedientes y documentos</h1>" in page
    assert '<option value="relevance">Relevancia</option>' in page
    assert "<legend>Agencia</legend>" in page
    assert "1 expediente, página 1 de 1" in page
    assert re.search(r" · publicado el \d{1,2} de [a-z]+ de \d{4}</p>", page)
    assert "Face recognition use policy" in page
    assert ", página 7</a>" in page

    english = client.get("/search/", {"q": "retention"}).text
    assert "<legend>Agency</legend>" in english
    assert "1 filing, page 1 of 1" in english
    assert ", page 7</a>" in english


def test_no_results_in_spanish_say_so_with_the_plural(client, policy):
    page = client.get("/es/search/", {"q": "helicopter"}).text
    assert "0 expedientes" in page
    assert "Ningún expediente publicado coincide." in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "abc"}, "La página debe ser un número entero."),
        ({"page": "9999"}, "Los resultados terminan en la página 500"),
        ({"sort": "price"}, "Ordene por relevancia, más recientes o más antiguos."),
        ({"agency": "<script>"}, "no es un valor válido de agencia."),
        ({"year": ["2020"] * 21}, "Elija como máximo 20 valores de año."),
    ],
)
def test_a_malformed_search_gets_a_plain_spanish_message(client, policy, params, message):
    response = client.get("/es/search/", params)
    assert response.status_code == 400
    assert "No se pudo realizar la búsqueda" in response.text
    assert message in response.text


def test_query_notes_are_spanish_on_the_page_and_english_in_the_json(client, policy):
    page = client.get("/es/search/", {"q": '"data retention'}).text
    assert "Se cerraron unas comillas que quedaron abiertas al final de la búsqueda" in page
    data = client.get(reverse("search_json"), {"q": '"data retention'}).json()
    assert data["notes"] == ["Closed a quote left open at the end of the search"]
    errors = client.get(reverse("search_json"), {"page": "abc"}).json()["errors"]
    assert errors["page"][0]["message"] == "The page must be a whole number."


def test_the_spanish_document_reader_has_spanish_labels_and_plurals(client, document):
    url = f"/es/documents/{document.pk}/"
    page = client.get(url).text
    assert '<html lang="es">' in page
    assert "8 páginas" in page
    assert '<label for="document-search">Buscar en este documento</label>' in page
    assert "Descargar el PDF (" in page
    assert '<h2 id="page-7-heading">Página 7</h2>' in page

    found = client.get(url, {"q": "retention"}).text
    assert "“retention” aparece en 2 páginas" in found
    assert '<a href="#page-7">Página 7</a>: 1 coincidencia' in found
    assert '<a href="#page-8">Página 8</a>: 2 coincidencias' in found
    assert "Ninguna página contiene “drones”" in client.get(url, {"q": "drones"}).text

    english = client.get(f"/documents/{document.pk}/", {"q": "retention"}).text
    assert "“retention” is on 2 pages" in english
    assert '<a href="#page-8">Page 8</a>: 2 matches' in english


def test_a_bad_document_search_gets_a_spanish_plain_message(client, document):
    response = client.get(f"/es/documents/{document.pk}/", {"q": "x" * 201})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == (
        "La búsqueda es demasiado larga: use como máximo 200 caracteres."
    )


def test_a_missing_page_under_es_is_in_spanish_and_links_to_the_spanish_home(client):
    response = client.get("/es/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="es">' in response.text
    assert "<h1>Página no encontrada</h1>" in response.text
    assert '<a href="/es/">Ir a la página de inicio</a>' in response.text

    english = client.get("/no-such-page/")
    assert english.status_code == 404
    assert "<h1>Page not found</h1>" in english.text
    assert '<a href="/">Go to the home page</a>' in english.text


def test_a_form_without_its_security_token_is_explained_in_spanish():
    url = "/es/agency/sign-in/"
    response = Client(enforce_csrf_checks=True).post(
        url, {"username": "someone"}, HTTP_REFERER=f"http://testserver{url}"
    )
    assert response.status_code == 403
    assert '<html lang="es">' in response.text
    assert "<h1>No se pudo aceptar su formulario</h1>" in response.text
    assert "<strong>No se guardó nada.</strong>" in response.text
    assert f'<a href="http://testserver{url}">abra el formulario de nuevo</a>' in response.text


def test_the_not_allowed_and_server_error_pages_speak_spanish():
    request = RequestFactory().get("/es/")
    request.user = AnonymousUser()
    with translation.override("es"):
        forbidden = permission_denied(request, PermissionDenied()).content.decode()
        server_error = render_to_string("500.html")
    assert "<h1>No permitido</h1>" in forbidden
    assert "No puede hacer eso aquí." in forbidden
    assert '<html lang="es">' in server_error
    assert "<h1>Algo salió mal</h1>" in server_error
