"""The compliance, inventory and spending pages, feeds and search alerts, read in Spanish.

Spanish readers get Spanish pages under /es/, and an alert they sign up for there keeps
writing to them in Spanish, with links back to the Spanish pages, whatever language the
daily run happens to start in.
"""

import datetime
import io
import re

import feedparser
import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from subscriptions.models import SearchSubscription
from tests.browse.conftest import page, table_rows, text_of
from tests.charts.test_spending import contract
from tests.factories import InventoryEntryFactory, TechnologyFactory, VendorFactory
from tests.subscriptions.conftest import publish_filing

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)
EMAIL = "residente@example.org"


@pytest.fixture
def alpr_in_use(agency_a, monkeypatch):
    """An agency with obligations, counted on a fixed day so the dates shown do not move."""
    real_localdate = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, timezone=None: (
            TODAY if value is None else real_localdate(value, timezone)
        ),
    )
    return InventoryEntryFactory(
        agency=agency_a,
        technology=TechnologyFactory(name="Automated license plate readers", slug="alpr"),
        in_use_since=datetime.date(2024, 6, 1),
    )


def heading(response) -> str:
    return text_of(page(response).h1)


def test_the_compliance_overview_in_spanish_and_in_english(client, alpr_in_use):
    spanish = client.get("/es/compliance/")
    assert spanish.status_code == 200
    assert page(spanish).html["lang"] == "es"
    assert heading(spanish) == "Cumplimiento de la ordenanza sobre tecnología de vigilancia"
    assert "Contado el 26 de noviembre de 2026." in text_of(page(spanish).find(class_="lead"))
    table = page(spanish).find("table")
    assert text_of(table.caption) == "Obligaciones por agencia"
    assert text_of(table.thead.th) == "Agencia"
    assert text_of(table.tfoot.th) == "Todas las agencias"
    svg = page(spanish).find("svg", attrs={"role": "img"})
    assert text_of(svg.title) == "Obligaciones por agencia y estado"
    assert text_of(svg.desc).startswith("Una barra por agencia, dividida en obligaciones")
    assert page(spanish).find("ul", class_="chart-legend")["aria-label"] == "Leyenda"
    assert [text_of(option) for option in page(spanish).find(id="sort")("option")] == [
        "Nombre de la agencia",
        "Más vencidas primero",
    ]

    english = client.get("/compliance/")
    assert page(english).html["lang"] == "en"
    assert heading(english) == "Compliance with the surveillance technology ordinance"
    assert "Counted on November 26, 2026." in text_of(page(english).find(class_="lead"))


def test_an_agencys_compliance_in_spanish(client, agency_a, alpr_in_use):
    response = client.get(f"/es/compliance/{agency_a.slug}/")
    assert response.status_code == 200
    assert heading(response) == "Police Department: cumplimiento"
    lead = text_of(page(response).find(class_="lead"))
    assert re.match(r"\d+ obligaciones según las reglas de plazos de la ordenanza", lead), lead
    assert "contadas el 26 de noviembre de 2026" in lead
    obligations = page(response).find("table", class_="obligations")
    assert [text_of(th) for th in obligations.thead("th")] == [
        "Requisito",
        "Tecnología",
        "Año del informe",
        "Fecha límite",
        "Prórroga",
        "Presentado",
        "Estado",
        "Días desde el vencimiento",
    ]
    assert ", ordenadas por fecha límite, la más próxima primero" in text_of(obligations.caption)
    cells = [text_of(td) for td in obligations.tbody("td")]
    assert "No presentado" in cells
    assert "Ninguna" in cells, "no extension was granted"
    assert "Not filed" not in response.content.decode()


def test_a_query_the_page_does_not_understand_is_refused_in_spanish(client, agency_a):
    response = client.get(f"/es/compliance/{agency_a.slug}/?sort=due&sort=state")
    assert response.status_code == 400
    assert heading(response) == "Esta dirección pide algo que la página no puede mostrar"
    assert text_of(page(response).find(class_="error-summary")) == (
        "Indique “sort” una sola vez; esta dirección lo indica 2 veces."
    )


def test_the_inventory_in_spanish(client, alpr_in_use):
    response = client.get("/es/inventory/")
    assert heading(response) == "Inventario de tecnología de vigilancia"
    assert table_rows(response, "Tecnologías que Police Department ha propuesto")[0][6] == (
        "1 de junio de 2024"
    )


@pytest.fixture
def contracts(agency_a):
    readers = TechnologyFactory(name="Plate readers")
    contract(agency_a, readers, VendorFactory(name="Flock Safety"), "125000.00", 2024)
    contract(agency_a, readers, VendorFactory(name="Skydio"), "1000.50", 2026)


def test_spending_charts_and_tables_in_spanish(client, contracts):
    response = client.get("/es/spending/")
    assert response.status_code == 200
    assert heading(response) == "Gasto en tecnología de vigilancia"
    technology_chart = page(response).find("svg", attrs={"role": "img"})
    assert text_of(technology_chart.title) == (
        "Valor de los contratos publicados en USD por año de adjudicación y tecnología"
    )
    # Amounts are written as US Spanish writes them (portal/formats/es), in the chart as in
    # the tables.
    assert technology_chart.desc.get_text() == (
        "Una barra por año de adjudicación, dividida por tecnología. "
        "En total, USD 126,000: Plate readers USD 126,000. "
        "La tabla “Valor de los contratos por tecnología” da todas las cifras."
    )
    table = page(response).find(id="spending-by-technology-caption").find_parent("table")
    assert text_of(table.caption) == "Valor de los contratos por tecnología, en USD"
    assert [text_of(th) for th in table.thead("th")] == [
        "Año de adjudicación",
        "Plate readers",
        "Total",
    ]
    assert [td.get_text() for td in table.tbody.tr("td")] == ["125,000.00", "125,000.00"]
    filings_chart = page(response).find_all("svg", attrs={"role": "img"})[-1]
    assert text_of(filings_chart.title) == (
        "Expedientes publicados y obligaciones vencidas por agencia"
    )


@pytest.fixture
def drones(db):
    return TechnologyFactory(name="Drones", slug="drones")


@pytest.fixture
def police_policy(agency_a, drones):
    return publish_filing(agency_a, "Police drone policy", technology=drones)


def sign_up(client, prefix="/es", **fields):
    return client.post(f"{prefix}/alerts/", {"email": EMAIL, **fields})


def link_in(message, path) -> str:
    match = re.search(rf"http://localhost:8000({path}[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signing_up_in_spanish_gets_spanish_emails_linking_to_spanish_pages(
    client, agency_a, drones
):
    response = sign_up(client, q="drone", agency=agency_a.slug)
    assert response.status_code == 200
    assert heading(response) == "Revise su correo electrónico"
    assert SearchSubscription.objects.get().language == "es"

    [confirmation] = mail.outbox
    assert confirmation.subject.endswith("Confirme su alerta de búsqueda")
    assert "Alguien, esperamos que usted, pidió una alerta diaria" in confirmation.body
    assert "agencia: police" in confirmation.body
    assert "en un plazo de 3 días" in confirmation.body
    confirm_link = link_in(confirmation, "/es/alerts/confirm/")
    assert heading(client.post(confirm_link)) == "Alerta confirmada"

    mail.outbox.clear()
    filing = publish_filing(agency_a, "Police drone flight report", technology=drones)
    call_command("send_search_alerts", stdout=io.StringIO())
    [alert] = mail.outbox
    assert alert.subject.endswith("1 publicación nueva para su alerta de búsqueda")
    assert alert.body.startswith("Publicaciones nuevas que coinciden con su alerta de búsqueda")
    # Filing titles stay as filed.
    assert "Police drone flight report" in alert.body
    assert f"http://localhost:8000/es/filings/{filing.pk}/" in alert.body
    unsubscribe_link = link_in(alert, "/es/alerts/unsubscribe/")
    assert alert.extra_headers["List-Unsubscribe"] == f"<http://localhost:8000{unsubscribe_link}>"
    assert heading(client.get(unsubscribe_link)) == "Cancelar la suscripción"


def test_signing_up_in_english_keeps_english_emails(client, agency_a):
    sign_up(client, prefix="", q="drone")
    assert SearchSubscription.objects.get().language == "en"
    [confirmation] = mail.outbox
    assert confirmation.subject.endswith("Confirm your search alert")
    link_in(confirmation, "/alerts/confirm/")


def test_form_errors_are_spanish(client, db):
    response = sign_up(client, email="no es una dirección")
    assert response.status_code == 400
    summary = page(response).find(class_="error-summary")
    assert text_of(summary.h2) == "Corrija lo siguiente"
    assert "Introduzca una dirección de correo electrónico válida." in text_of(summary)
    label = page(response).find("label", attrs={"for": "id_email"})
    assert text_of(label) == "Su dirección de correo electrónico (obligatorio)"


def test_the_limit_on_unconfirmed_requests_is_explained_in_spanish(client, db):
    for _ in range(3):
        assert sign_up(client, q="drone").status_code == 200
    response = sign_up(client, q="drone")
    assert response.status_code == 429
    assert "Esta dirección ya tiene 3 alertas en espera de confirmación." in response.text


def test_a_broken_link_is_explained_in_spanish(client, db):
    response = client.post("/es/alerts/unsubscribe/not-a-token/")
    assert response.status_code == 400
    assert heading(response) == "Este enlace no funciona"
    assert "Este enlace no es válido" in response.text


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_spanish_feeds_have_spanish_titles_and_filings_as_filed(client, police_policy, agency_a):
    everything = read_feed(client, "/es/feeds/publications.atom")
    assert everything.feed.title == "Publicaciones nuevas"
    assert everything.feed.language == "es"
    [entry] = everything.entries
    assert entry.title == "Police drone policy"
    assert entry.link == f"http://testserver/es/filings/{police_policy.pk}/"

    agency = read_feed(client, f"/es/feeds/agencies/{agency_a.slug}.atom")
    assert agency.feed.title == "Publicaciones nuevas: Police Department"
    search = read_feed(client, "/es/feeds/search.atom?q=drone")
    assert search.feed.title == "Publicaciones nuevas que coinciden con “drone”"
    assert read_feed(client, "/feeds/publications.atom").feed.title == "New publications"


def test_the_spanish_feeds_page_points_to_spanish_feeds(client, db):
    response = client.get("/es/feeds/")
    assert heading(response) == "Canales Atom y alertas"
    autodiscovery = page(response).find("link", attrs={"type": "application/atom+xml"})
    assert autodiscovery["title"] == "Publicaciones nuevas"
    assert autodiscovery["href"] == "/es/feeds/publications.atom"
    assert [text_of(code) for code in page(response).find_all("code")] == [
        "/es/feeds/search.atom",
        "/es/search/",
    ]
