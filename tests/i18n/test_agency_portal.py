"""The agency portal in Spanish at /es/agency/, in English at /agency/, and its emails.

Pages follow the language of their address; emails to agency staff are written in the
site's language (LANGUAGE_CODE) with unprefixed links, whatever language the request
that caused them was in.
"""

import re
import uuid

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import clear_url_caches

from content.agencies.models import Membership
from content.filings.models import Status
from submissions.access import AgencyAccess
from submissions.filing_forms import version_token
from submissions.notifications import send_status_notice
from submissions.submitting import submit
from tests.factories import PASSWORD, FilingFactory
from tests.submissions.test_submission import complete_audit

LINK = re.compile(r"https?://[^\s/]+(/\S+)")


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def text(soup, selector: str) -> str:
    return soup.select_one(selector).get_text(" ", strip=True)


def error_summary(soup) -> list[str]:
    return [item.get_text(" ", strip=True) for item in soup.select(".error-summary li")]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def annual_report(agency_a):
    return FilingFactory(kind="annual_report", agency=agency_a, title="Informe anual 2026")


def edit_path(filing, prefix="") -> str:
    return f"{prefix}/agency/{filing.agency.slug}/filings/{filing.pk}/edit/"


def invalid_values(filing, **changes) -> dict:
    data = {
        "loaded_updated_at": version_token(filing),
        "title": filing.title,
        "action": "save",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_the_spanish_sign_in_page_is_in_spanish(client):
    soup = page(client.get("/es/agency/sign-in/"))

    assert soup.html["lang"] == "es"
    assert soup.title.get_text().startswith("Iniciar sesión · ")
    assert text(soup, "h1") == "Iniciar sesión en el portal de agencias"
    assert text(soup, "label[for=id_username]") == "Nombre de usuario:"
    assert text(soup, "label[for=id_password]") == "Contraseña:"
    assert text(soup, "form button[type=submit]") == "Iniciar sesión"
    # Forms post back to the Spanish address, so the answer stays in Spanish.
    assert soup.select_one("form")["action"] == "/es/agency/sign-in/"


def test_a_wrong_password_is_explained_in_spanish(client, submitter_a):
    response = client.post(
        "/es/agency/sign-in/", {"username": "submitter-a", "password": "no-es-la-clave"}
    )

    soup = page(response)
    assert soup.title.get_text().startswith("Error: Iniciar sesión")
    assert text(soup, "#error-summary-title") == "Hay un problema"
    assert error_summary(soup) == [
        "Por favor, introduzca un nombre de usuario y clave correctos. "
        "Observe que ambos campos pueden ser sensibles a mayúsculas."
    ]
    assert SESSION_KEY not in client.session


def test_signing_in_under_es_leads_to_the_spanish_dashboard(client, submitter_a, agency_a):
    response = client.post(
        "/es/agency/sign-in/", {"username": "submitter-a", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/es/agency/police/"
    soup = page(response)
    assert soup.html["lang"] == "es"
    assert soup.title.get_text().startswith("Police Department: panel · ")
    assert text(soup, ".portal-nav a[aria-current=page]") == "Police Department: panel"
    assert text(soup, "#owed-heading") == "Pendientes y vencidos"
    assert text(soup, "#messages-heading") == "Mensajes de los revisores"
    assert text(soup, "#filings-heading") == "Expedientes"
    assert "Todavía no hay expedientes." in soup.get_text()
    assert text(soup, ".portal-nav button") == "Cerrar sesión"


def test_the_spanish_filing_form_explains_errors_in_spanish(submitter_a, annual_report):
    response = signed_in(submitter_a).post(
        edit_path(annual_report, "/es"),
        invalid_values(
            annual_report,
            title="T" * 301,
            reporting_period_start="2026-12-31",
            reporting_period_end="2026-01-01",
        ),
    )

    assert response.status_code == 400
    soup = page(response)
    assert soup.html["lang"] == "es"
    assert text(soup, "#error-summary-heading") == "Hay problemas: no se guardó nada"
    assert error_summary(soup) == [
        "Título puede tener como máximo 300 caracteres; tiene 301.",
        "El periodo del informe debe terminar en su fecha de inicio "
        "(31 de diciembre de 2026) o después.",
    ]
    assert text(soup, "label[for=id_title]") == "Título (obligatorio para presentar)"
    assert "Guardar borrador" in [button.get_text(strip=True) for button in soup("button")]
    annual_report.refresh_from_db()
    assert annual_report.title == "Informe anual 2026"


def test_one_problem_is_announced_in_the_singular(submitter_a, annual_report):
    response = signed_in(submitter_a).post(
        edit_path(annual_report, "/es"), invalid_values(annual_report, title="T" * 301)
    )

    assert text(page(response), "#error-summary-heading") == "Hay un problema: no se guardó nada"


def test_the_english_portal_is_unchanged(client, submitter_a, annual_report):
    sign_in_page = page(client.get("/agency/sign-in/"))
    assert sign_in_page.html["lang"] == "en"
    assert text(sign_in_page, "h1") == "Sign in to the agency portal"
    assert text(sign_in_page, "label[for=id_username]") == "Username:"

    response = signed_in(submitter_a).post(
        edit_path(annual_report),
        invalid_values(
            annual_report,
            title="T" * 301,
            reporting_period_start="2026-12-31",
            reporting_period_end="2026-01-01",
        ),
    )

    soup = page(response)
    assert soup.html["lang"] == "en"
    assert text(soup, "#error-summary-heading") == "There are problems: nothing was saved"
    assert error_summary(soup) == [
        "Title can be at most 300 characters; it has 301.",
        "The reporting period must end on or after its start (December 31, 2026).",
    ]
    assert text(soup, "label[for=id_title]") == "Title (required to submit)"


def test_a_refusal_reads_in_spanish(submitter_a, agency_a):
    filing = FilingFactory(agency=agency_a, kind="audit", status=Status.SUBMITTED)

    response = signed_in(submitter_a).get(edit_path(filing, "/es"))

    assert response.status_code == 403
    soup = page(response)
    assert text(soup, "h1") == "Este expediente no se puede editar ahora"
    assert text(soup, "[role=alert]") == (
        "El estado de este expediente es «presentado»; solo se puede cambiar como borrador "
        "o cuando un revisor solicita cambios."
    )


def test_a_receipt_emailed_during_a_spanish_request_is_in_english(
    submitter_a, agency_a, django_capture_on_commit_callbacks
):
    filing = complete_audit(agency_a)
    client = signed_in(submitter_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/es/agency/police/filings/{filing.pk}/submit/",
            {"submission_key": str(uuid.uuid4())},
            follow=True,
        )

    receipt = filing.receipts.get()
    # The person submitting reads Spanish on screen...
    assert response.redirect_chain[-1][0].startswith("/es/agency/police/")
    assert f"Presentado. Su número de comprobante es {receipt.number}." in (
        response.content.decode()
    )
    # ...while the email goes out in the site's language, linking without a prefix.
    [message] = mail.outbox
    assert message.subject.endswith(f"Receipt {receipt.number}: {filing.title}")
    assert message.body.startswith("Hello ")
    assert f"Receipt number: {receipt.number}" in message.body
    assert LINK.findall(message.body) == [
        f"/agency/police/filings/{filing.pk}/receipts/{receipt.pk}/"
    ]


@pytest.fixture
def spanish_site(settings):
    """A deployment whose default language is Spanish."""
    settings.LANGUAGE_CODE = "es"
    # URL reversal caches each language's prefix; rebuild it for, and after, this setting.
    clear_url_caches()
    yield
    clear_url_caches()


def test_a_site_whose_language_is_spanish_emails_in_spanish(spanish_site, submitter_a, agency_a):
    filing = complete_audit(agency_a)
    submit(
        AgencyAccess(Membership.objects.get(user=submitter_a, agency=agency_a)),
        filing,
        uuid.uuid4(),
    )
    filing.transition_to(Status.IN_REVIEW)
    filing.transition_to(Status.ACCEPTED)
    mail.outbox.clear()

    assert send_status_notice.call(filing.pk, Status.ACCEPTED, 1) == 1

    [message] = mail.outbox
    assert message.subject.endswith(f"Aceptado: {filing.title}")
    assert message.body.startswith("Hola, ")
    assert "El personal de supervisión aceptó" in message.body
    # Spanish is the default language there, so its addresses have no prefix.
    assert LINK.findall(message.body) == [f"/agency/police/filings/{filing.pk}/"]


def test_a_password_reset_asked_for_in_spanish_is_emailed_in_english(client, submitter_a):
    response = client.post("/es/agency/password-reset/", {"email": submitter_a.email})

    assert response.url == "/es/agency/password-reset/sent/"
    [message] = mail.outbox
    assert message.subject.endswith(": choose a new password")
    assert message.body.startswith("Hello ")
    [path] = LINK.findall(message.body)
    assert path.startswith("/agency/password-reset/")
