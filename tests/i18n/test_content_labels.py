"""The record's labels read in Spanish under /es/ and stay English elsewhere.

Statuses, technology categories, inventory states and compliance states come from
content/locale; filing kinds come from the rulebook's own Spanish texts.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from content.compliance.disclosure import StateCounts, disclose
from content.compliance.obligations import State, obligations_for_agency
from content.filings.models import Filing, FilingVersion, Status
from content.inventory.models import InventoryEntry, InventoryEvent
from content.technologies.models import Category
from tests.factories import AgencyFactory, FilingFactory, InventoryEntryFactory, TechnologyFactory

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def police(db):
    agency = AgencyFactory(name="Police Department", slug="police")
    InventoryEntryFactory(
        agency=agency,
        technology=TechnologyFactory(
            name="Fixed ALPR cameras", slug="fixed-alpr", category=Category.FACE_RECOGNITION
        ),
        status=InventoryEntry.Status.IN_USE,
        in_use_since=datetime.date(2020, 1, 1),
    )
    return agency


@pytest.mark.parametrize(
    ("label", "english", "spanish"),
    [
        (lambda: Status.CHANGES_REQUESTED.label, "Changes requested", "Cambios solicitados"),
        (lambda: Status.PUBLISHED.label, "Published", "Publicado"),
        (lambda: FilingVersion.Reason.AMENDED.label, "Amended", "Modificado"),
        (lambda: Category.GUNSHOT_DETECTION.label, "Gunshot detection", "Detección de disparos"),
        (lambda: InventoryEntry.Status.RETIRED.label, "Retired", "Dada de baja"),
        (lambda: InventoryEvent.Action.PUT_IN_USE.label, "Put in use", "Puesta en uso"),
    ],
    ids=["status", "status-published", "reason", "category", "inventory", "inventory-event"],
)
def test_a_record_label_follows_the_active_language(label, english, spanish):
    with translation.override("es"):
        assert label() == spanish
    with translation.override("en"):
        assert label() == english


def test_a_filing_reads_its_status_and_kind_in_the_active_language(db):
    filing = FilingFactory(kind="use_policy")
    filing.transition_to(Status.SUBMITTED)
    with translation.override("es"):
        assert filing.get_status_display() == "Presentado"
        assert filing.kind_label == "Política de uso de vigilancia"
    with translation.override("en"):
        assert filing.get_status_display() == "Submitted"
        assert filing.kind_label == "Surveillance use policy"
    assert Filing.objects.get(pk=filing.pk).status == "submitted"


def test_compliance_states_and_obligation_labels_read_in_spanish(police):
    obligations = obligations_for_agency(police, TODAY)
    [annual_2024] = [
        o for o in obligations if o.kind.slug == "annual_report" and o.reporting_year == 2024
    ]
    assert annual_2024.state == State.OVERDUE
    counts = StateCounts(filed=1, overdue=2)
    with translation.override("es"):
        # Disclosed while answering a request, so in that request's language.
        public = disclose(annual_2024)
        assert annual_2024.label == (
            "Informe anual de vigilancia de fixed alpr cameras, 2024, "
            "fecha límite: 15 de marzo de 2025"
        )
        assert public.state_label == "Vencido"
        assert public.kind_label == "Informe anual de vigilancia"
        assert [label for _state, label, _count in counts.by_state()] == [
            "Presentado a tiempo",
            "Presentado con retraso",
            "Vencido",
            "Aún no vence",
        ]
    with translation.override("en"):
        assert annual_2024.label == (
            "Annual surveillance report for fixed alpr cameras, 2024, due March 15, 2025"
        )
        assert disclose(annual_2024).kind_label == "Annual surveillance report"
        assert disclose(annual_2024).state_label == "Overdue"


def test_the_spanish_agency_page_shows_spanish_labels_and_the_english_one_english(client, police):
    with translation.override("es"):
        spanish_url = reverse("browse:agency", args=["police"])
    english_url = reverse("browse:agency", args=["police"])
    assert spanish_url == "/es" + english_url

    spanish = client.get(spanish_url).content.decode()
    assert '<html lang="es"' in spanish
    for text in ("En uso", "Informe anual de vigilancia", "Vencido"):
        assert text in spanish
    assert "Annual surveillance report" not in spanish

    english = client.get(english_url).content.decode()
    assert '<html lang="en"' in english
    for text in ("In use", "Annual surveillance report", "Overdue"):
        assert text in english
    assert "Informe anual" not in english


def test_the_spanish_technology_list_names_categories_in_spanish(client, police):
    english_url = reverse("browse:technologies")
    spanish = client.get("/es" + english_url).content.decode()
    assert "Reconocimiento facial" in spanish
    english = client.get(english_url).content.decode()
    assert "Face recognition" in english
    assert "Reconocimiento facial" not in english


def test_what_is_stored_or_indexed_keeps_the_default_language(db):
    filing = FilingFactory(kind="annual_report")
    with translation.override("es"):
        assert filing.kind_label == "Informe anual de vigilancia"
        assert filing.default_kind_label == "Annual surveillance report"
