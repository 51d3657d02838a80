"""The browsing pages, filing pages, publication log and open-data page in Spanish.

Under /es/ the interface is Spanish while what was filed (titles, reasons, names) and the
machine-readable files stay exactly as they are at the English address.
"""

import datetime

import pytest

from browse import views as browse_views
from publication.models import PublicationLogEntry
from publication.services import amend, publish
from tests.browse.conftest import page, text_of
from tests.browse.conftest import publish as publish_on
from tests.factories import FilingFactory, TechnologyFactory
from tests.publication.conftest import USE_POLICY_DETAILS, accept, attach_small_file


@pytest.fixture
def policy(agency_a, reviewer):
    """A use policy published through the log, then amended: two versions."""
    filing = FilingFactory(
        agency=agency_a,
        kind="use_policy",
        title="ALPR use policy",
        details=dict(USE_POLICY_DETAILS),
        technologies=[TechnologyFactory(name="Fixed ALPR cameras", slug="fixed-alpr")],
    )
    attach_small_file(filing, "policy.csv", "section,text\n1,Thirty days\n")
    publish(accept(filing), by=reviewer)
    amend(filing, by=reviewer, changes={"title": "ALPR use policy, corrected"}, reason="Typo")
    return filing


@pytest.fixture
def filings(agency_a, agency_b):
    """Two published audits and one published use policy, listed without the log."""
    return [
        publish_on(
            FilingFactory(agency=agency, kind=kind, title=title), datetime.date(2026, 3, day)
        )
        for day, (agency, kind, title) in enumerate(
            [
                (agency_a, "audit", "Zebra audit"),
                (agency_b, "audit", "Alpha audit"),
                (agency_a, "use_policy", "Drone policy"),
            ],
            start=1,
        )
    ]


def selected_label(form, name) -> str:
    return text_of(form.find("select", attrs={"name": name}).find("option", selected=True))


def test_the_filings_list_is_in_spanish_and_keeps_its_filters_in_the_address(
    client, filings, monkeypatch
):
    monkeypatch.setattr(browse_views, "FILINGS_PER_PAGE", 1)

    response = client.get("/es/filings/", {"kind": "audit", "sort": "title"})

    html = page(response)
    assert html.html["lang"] == "es"
    assert text_of(html.h1) == "Expedientes publicados"
    form = html.find("form", attrs={"aria-label": "Filtrar y ordenar los expedientes"})
    labels = [text_of(label) for label in form.find_all("label")]
    assert labels == [
        "Agencia",
        "Tipo",
        "Tecnología",
        "Proveedor",
        "Año de publicación",
        "Ordenar por",
    ]
    assert selected_label(form, "sort") == "Título, de la A a la Z"
    assert [
        text_of(option) for option in form.find("select", attrs={"name": "sort"})("option")
    ] == [
        "Publicación más reciente primero",
        "Publicación más antigua primero",
        "Título, de la A a la Z",
    ]
    # Submitting the form stays on the Spanish address.
    assert form.get("action") is None
    caption = text_of(html.find("caption"))
    assert caption == "Expedientes publicados, por título, de la A a la Z: página 1 de 2"
    assert [text_of(row.th) for row in html.find("table").tbody("tr")] == ["Alpha audit"]
    nav = html.find("nav", attrs={"aria-label": "Páginas de expedientes"})
    assert text_of(nav.find("a", attrs={"aria-current": "page"})) == "Página 1"
    following = nav.find("a", rel="next")
    assert text_of(following) == "Página siguiente"
    assert following["href"] == "?kind=audit&sort=title&page=2"

    second = page(client.get("/es/filings/" + following["href"]))
    assert [text_of(row.th) for row in second.find("table").tbody("tr")] == ["Zebra audit"]
    kind = second.find("select", attrs={"name": "kind"}).find("option", selected=True)
    assert kind["value"] == "audit"


@pytest.mark.parametrize(
    ("query", "spanish", "english"),
    [
        ({"kind": "use_policy"}, "1 expediente encontrado.", "1 filing found."),
        ({"kind": "audit"}, "2 expedientes encontrados.", "2 filings found."),
    ],
)
def test_the_count_of_filings_found_is_pluralised(client, filings, query, spanish, english):
    assert spanish in text_of(page(client.get("/es/filings/", query)))
    assert english in text_of(page(client.get("/filings/", query)))


def test_the_english_filings_list_is_unchanged(client, filings):
    html = page(client.get("/filings/", {"sort": "oldest"}))

    assert html.html["lang"] == "en"
    assert text_of(html.h1) == "Published filings"
    assert text_of(html.find("caption")) == "Published filings, oldest published first"
    assert selected_label(html.find("form"), "sort") == "Oldest published first"


def test_the_technologies_caption_counts_in_spanish(client, db):
    TechnologyFactory(name="Drones", slug="drones", category="drones")
    TechnologyFactory(name="Plate readers", slug="alpr", category="alpr")

    every = page(client.get("/es/technologies/"))
    drones = text_of(page(client.get("/es/technologies/", {"category": "drones"})).caption)

    assert text_of(every.h1) == "Tecnologías"
    assert text_of(every.caption) == "Tecnologías, por nombre: se muestran 2"
    assert drones.startswith("Tecnologías de la categoría “")
    assert drones.endswith("”, por nombre: se muestra 1")


def test_the_spanish_filing_page_labels_its_history_but_shows_the_filing_as_filed(client, policy):
    html = page(client.get(f"/es/filings/{policy.pk}/"))

    assert html.html["lang"] == "es"
    assert text_of(html.h1) == "ALPR use policy, corrected"
    assert text_of(html.find(id="fields-heading")) == "Tal como se publicó (versión 2)"
    assert text_of(html.find(id="history-heading")) == "Historial"
    versions = [text_of(heading) for heading in html.find(class_="version-history")("h3")]
    assert versions[0].startswith("Versión 2: modificado el ")
    assert versions[1].startswith("Versión 1: publicado el ")
    assert "Motivo: Typo" in text_of(html.find(class_="version-history"))
    changes = html.find("table", class_="field-changes")
    assert text_of(changes.caption) == "Qué cambió respecto a la versión 1"
    assert [text_of(cell) for cell in changes.thead("th")] == ["Campo", "Antes", "Después"]
    assert [text_of(cell) for cell in changes.tbody.tr(["th", "td"])] == [
        "Título",
        "ALPR use policy",
        "ALPR use policy, corrected",
    ]


def test_the_spanish_publication_log_names_actions_in_spanish_and_hashes_the_same_text(
    client, policy
):
    html = page(client.get("/es/publication-log/"))

    assert text_of(html.h1) == "Registro de publicaciones"
    rows = [[text_of(cell) for cell in row(["th", "td"])] for row in html.find("table").tbody("tr")]
    assert [(row[2], row[3]) for row in rows] == [
        ("Modificado", "ALPR use policy, corrected"),
        ("Publicado", "ALPR use policy"),
    ]
    # The hashed entries are the same text at either address.
    stored = list(
        PublicationLogEntry.objects.order_by("sequence").values_list("canonical", flat=True)
    )
    for address in ("/es/publication-log.json", "/publication-log.json"):
        entries = client.get(address).json()["entries"]
        assert [entry["canonical"] for entry in entries] == stored
        assert [entry["action"] for entry in entries] == ["publish", "amend"]


def test_the_spanish_verification_page_says_the_procedure_is_in_english(client, db):
    spanish = page(client.get("/es/publication-log/how-to-verify/"))
    english = page(client.get("/publication-log/how-to-verify/"))

    note = "Este procedimiento solo se publica en inglés."
    assert note in text_of(spanish)
    assert spanish.find(class_="procedure")["lang"] == "en"
    assert "sha256sum" in text_of(spanish.find(class_="procedure"))
    assert text_of(spanish.title).startswith("Cómo verificar el registro de publicaciones")
    assert note not in text_of(english)
    assert text_of(english.title).startswith("Verifying the publication log")


def test_the_spanish_open_data_page_translates_descriptions_but_not_column_names(client, db):
    html = page(client.get("/es/data/"))

    assert html.html["lang"] == "es"
    assert text_of(html.h1) == "Datos abiertos"
    agencies = html.find("section", attrs={"aria-labelledby": "dataset-agencies"})
    assert text_of(agencies.h2) == "Agencias"
    assert text_of(agencies.caption) == "Columnas de agencias"
    rows = [[text_of(cell) for cell in row(["th", "td"])] for row in agencies.tbody("tr")]
    assert rows[1] == ["name", "texto", "El nombre completo de la agencia."]
    assert [row[0] for row in rows] == ["id", "name", "slug", "abbreviation", "website"]


def test_the_downloads_are_the_same_files_at_the_spanish_address(client, db):
    spanish = client.get("/es/data/agencies.json")
    english = client.get("/data/agencies.json")

    assert spanish.content == english.content
    assert spanish.json()["columns"][1] == {
        "name": "name",
        "type": "text",
        "meaning": "The agency's full name.",
    }


def test_a_download_address_with_options_is_refused_in_spanish(client, db):
    response = client.get("/es/data/agencies.csv", {"limit": "5"})

    assert response.status_code == 400
    assert "Las descargas no admiten opciones; esta dirección indica “limit”." in text_of(
        page(response)
    )
