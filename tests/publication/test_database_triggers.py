"""On PostgreSQL the database itself refuses to rewrite the record, whoever asks.

These run only on PostgreSQL, where the triggers exist; CI runs the suite on both
databases. On SQLite the models' save() and delete() refuse (see test_services).
"""

import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from content.filings.models import FilingVersion
from publication.models import PublicationLogEntry
from publication.services import publish
from tests.publication.conftest import accepted_audit

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only triggers exist on PostgreSQL only"
)


def run_sql(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def published_entry(agency_a, reviewer):
    return publish(accepted_audit(agency_a, 1), by=reviewer)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE filings_filingversion SET metadata = '{}' WHERE id = %s",
        "DELETE FROM filings_filingversion WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_a_frozen_version(published_entry, sql):
    with pytest.raises(IntegrityError, match="part of the public record"):
        run_sql(sql, [published_entry.version_id])
    stored = FilingVersion.objects.get(pk=published_entry.version_id)
    assert stored.metadata == published_entry.version.metadata


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE publication_publicationlogentry SET canonical = '{}' WHERE id = %s",
        "DELETE FROM publication_publicationlogentry WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_a_log_entry(published_entry, sql):
    with pytest.raises(IntegrityError, match="part of the public record"):
        run_sql(sql, [published_entry.pk])
    assert PublicationLogEntry.objects.get().canonical == published_entry.canonical


@pytest.mark.django_db(transaction=True)
def test_a_publication_waits_for_one_in_progress_and_chains_after_it(agency_a, reviewer):
    first_filing, second_filing = accepted_audit(agency_a, 1), accepted_audit(agency_a, 2)
    outcome = {}

    def publish_second():
        try:
            outcome["entry"] = publish(second_filing, by=reviewer)
        except Exception as error:  # reported by the assertions below
            outcome["error"] = error
        finally:
            connection.close()

    with transaction.atomic():
        first = publish(first_filing, by=reviewer)
        second_publisher = threading.Thread(target=publish_second)
        second_publisher.start()
        time.sleep(0.5)
        assert second_publisher.is_alive(), "the second publication did not wait for the first"
    second_publisher.join(timeout=10)

    assert "error" not in outcome, outcome.get("error")
    assert outcome["entry"].sequence == 2
    assert outcome["entry"].previous_hash == first.entry_hash
