"""The chain verifies after many actions, and any changed byte or row is found and named."""

import hashlib
import io
import json
import random

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from content.documents.models import Document
from publication.models import PublicationLogEntry
from publication.services import amend, publish, unpublish
from publication.verification import file_sha256, verify_log
from tests.publication.conftest import accepted_audit

RANDOM_ACTIONS = 1000
TABLES = ["publication_publicationlogentry", "filings_filingversion"]


def tamper(sql, params=()):
    """Change rows behind the application's back, as someone with database access could.

    On PostgreSQL that takes switching the append-only triggers off first, as the
    table's owner could; the verification must find the change either way.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred foreign-key check: run those checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def flip_one_byte(document):
    data = bytearray(document.file.open("rb").read())
    document.file.close()
    data[0] ^= 0x01
    default_storage.delete(document.file.name)
    assert default_storage.save(document.file.name, ContentFile(bytes(data))) == document.file.name


def run_random_actions(agency, by, count, seed):
    """Publish, amend and unpublish at random; return how many of each happened."""
    chooser = random.Random(seed)
    published, done = [], {"publish": 0, "amend": 0, "unpublish": 0}
    for number in range(count):
        action = chooser.choices(["publish", "amend", "unpublish"], weights=[4, 4, 2])[0]
        if action != "publish" and not published:
            action = "publish"
        if action == "publish":
            filing = accepted_audit(agency, number)
            publish(filing, by=by)
            published.append(filing)
        elif action == "amend":
            filing = chooser.choice(published)
            amend(filing, by=by, changes={"title": f"Audit, amended at {number}"}, reason="Fix")
        else:
            filing = published.pop(chooser.randrange(len(published)))
            unpublish(filing, by=by, reason=f"Taken down at {number}")
        done[action] += 1
    return done


@pytest.mark.django_db
def test_a_thousand_random_actions_verify_and_one_changed_byte_is_named(agency_a, reviewer):
    done = run_random_actions(agency_a, reviewer, RANDOM_ACTIONS, seed=20260611)

    assert min(done.values()) > 100
    entries = list(PublicationLogEntry.objects.order_by("sequence"))
    assert [entry.sequence for entry in entries] == list(range(1, RANDOM_ACTIONS + 1))
    assert verify_log() == []

    listing = [entry for entry in entries if entry.contents["documents"]]
    listed = random.Random(7).choice(listing).contents["documents"][0]
    document = Document.objects.get(pk=listed["id"])
    flip_one_byte(document)

    actual = file_sha256(document.file.name)
    assert actual != document.sha256
    assert verify_log() == [
        f"entry {entry.sequence}: document {document.pk} ({document.original_name}) "
        f"SHA-256 in storage is {actual}, expected {document.sha256}"
        for entry in listing
        if listed in entry.contents["documents"]
    ]


@pytest.fixture
def short_log(agency_a, reviewer):
    """Five entries: three filings published, the first amended, the second unpublished."""
    filings = [accepted_audit(agency_a, number) for number in range(3)]
    for filing in filings:
        publish(filing, by=reviewer)
    amend(filings[0], by=reviewer, changes={"title": "Audit 0, corrected"}, reason="Typo")
    unpublish(filings[1], by=reviewer, reason="Wrong agency")
    assert verify_log() == []
    return filings


@pytest.mark.django_db
def test_a_changed_entry_is_named(short_log):
    tamper(
        "UPDATE publication_publicationlogentry SET canonical = REPLACE(canonical, %s, %s) "
        "WHERE sequence = 2",
        ['"Audit 1"', '"Audit one"'],
    )
    assert verify_log() == ["entry 2: hash does not match its contents"]


@pytest.mark.django_db
def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_link_from_the_next(short_log):
    canonical = PublicationLogEntry.objects.get(sequence=3).canonical.replace(
        '"Audit 2"', '"Audit two"'
    )
    tamper(
        "UPDATE publication_publicationlogentry SET canonical = %s, entry_hash = %s "
        "WHERE sequence = 3",
        [canonical, hashlib.sha256(canonical.encode()).hexdigest()],
    )
    assert verify_log() == ["entry 4: previous_hash does not match entry 3"]


@pytest.mark.django_db
def test_a_column_changed_beside_its_hashed_contents_is_named(short_log):
    tamper(
        "UPDATE publication_publicationlogentry SET actor_name = %s WHERE sequence = 5",
        ["someone else"],
    )
    assert verify_log() == ["entry 5: the row's actor_name does not match its hashed contents"]


@pytest.mark.django_db
def test_a_changed_frozen_version_is_named_by_the_entry_that_published_it(short_log):
    version = PublicationLogEntry.objects.get(sequence=4).version
    tamper(
        "UPDATE filings_filingversion SET metadata = %s WHERE id = %s",
        [json.dumps({**version.metadata, "summary": "Rewritten"}), version.pk],
    )
    problems = verify_log()
    assert len(problems) == 1
    assert problems[0].startswith(
        f"entry 4: version {version.number} of filing {short_log[0].pk} has metadata SHA-256"
    )


@pytest.mark.django_db
def test_removed_entries_are_found_in_the_middle_and_at_the_end(short_log):
    tamper("DELETE FROM publication_publicationlogentry WHERE sequence IN (3, 5)")
    assert verify_log() == [
        "entry 4: expected entry 3 here; entries are missing or reordered",
        "entry 4: previous_hash does not match entry 2",
        f"filing {short_log[2].pk} is published but the log does not show it published",
        f"filing {short_log[1].pk} is public in the log but not published on the site",
    ]


@pytest.mark.django_db
def test_the_command_summarises_success_and_fails_with_status_1_naming_the_problem(short_log):
    output = io.StringIO()
    call_command("verify_publication_log", stdout=output)
    assert "All 5 log entries verified" in output.getvalue()

    document = short_log[2].documents.get()
    default_storage.delete(document.file.name)
    errors = io.StringIO()
    with pytest.raises(CommandError, match="1 problem") as failed:
        call_command("verify_publication_log", stdout=io.StringIO(), stderr=errors)
    assert failed.value.returncode == 1
    assert (
        f"entry 3: document {document.pk} ({document.original_name}) is missing from storage"
        in errors.getvalue()
    )
