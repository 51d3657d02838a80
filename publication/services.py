"""Publishing, amending and taking down filings: every change is one log entry.

Each function runs in one transaction: the status change, the frozen version and the
log entry are written together or not at all. The review queue's buttons call these.
"""

import json

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from content.filings.completeness import check_filing
from content.filings.models import Filing, FilingVersion, IllegalTransition, Status
from content.filings.versions import freeze_version
from content.filings.visibility import public_documents_of
from content.technologies.models import Technology
from publication.models import GENESIS_HASH, PUBLIC_ACTIONS, PublicationLogEntry, sha256_text
from search.indexing import record_filing_change

# The metadata an amendment may change; technologies is a list of slugs or Technology rows.
AMENDABLE_FIELDS = frozenset(
    {
        "title",
        "summary",
        "details",
        "reporting_period_start",
        "reporting_period_end",
        "technologies",
    }
)

PERIOD_FIELDS = frozenset({"reporting_period_start", "reporting_period_end"})


class PublicationRefused(ValueError):
    """The filing cannot be published as it stands; `problems` says why."""

    def __init__(self, filing: Filing, problems: list):
        self.problems = problems
        listed = "; ".join(str(problem) for problem in problems)
        super().__init__(f"filing {filing.pk} cannot be published until it is complete: {listed}")


class AmendmentRefused(ValueError):
    """The requested amendment cannot be recorded; nothing was changed."""


def canonical_json(value) -> str:
    """One text per value: sorted keys, no spaces, UTF-8 as is, so anyone can rehash it."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def metadata_sha256(version: FilingVersion) -> str:
    return sha256_text(canonical_json(version.metadata))


def actor_name(user) -> str:
    if user is None:
        return "the portal (automatic)"
    return user.get_full_name() or user.get_username()


def published_documents(filing: Filing) -> list:
    """The files the public receives for a filing: redacted copies where there are any."""
    return list(public_documents_of(filing).order_by("pk"))


def _lock_log() -> None:
    """Serialise writers of the log so sequences stay gapless and the chain linear.

    SQLite already allows one writing transaction at a time; PostgreSQL needs a lock
    that conflicts with itself but still lets readers read.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {PublicationLogEntry._meta.db_table} IN SHARE ROW EXCLUSIVE MODE"
            )


def _append_entry(
    action: str, filing: Filing, version: FilingVersion | None, by, reason: str, documents: list
) -> PublicationLogEntry:
    """Write the next entry of the chain; call inside the transaction that made the change.

    `version` is None only when taking down a filing published before the log existed.
    """
    last = PublicationLogEntry.objects.order_by("-sequence").only("sequence", "entry_hash").first()
    sequence = last.sequence + 1 if last else 1
    previous_hash = last.entry_hash if last else GENESIS_HASH
    recorded_at = timezone.now()
    name = actor_name(by)
    canonical = canonical_json(
        {
            "sequence": sequence,
            "action": action,
            "recorded_at": recorded_at.isoformat(),
            "actor": name,
            "reason": reason,
            "filing": {
                "id": filing.pk,
                "agency": version.metadata["agency"] if version else filing.agency.slug,
                "kind": version.metadata["kind"] if version else filing.kind,
                "title": version.metadata["title"] if version else filing.title,
            },
            "version": version.number if version else None,
            "metadata_sha256": metadata_sha256(version) if version else None,
            "documents": [
                {
                    "id": document.pk,
                    "name": document.original_name,
                    "sha256": document.sha256,
                    "size": document.size_bytes,
                }
                for document in documents
            ],
            "previous_hash": previous_hash,
        }
    )
    return PublicationLogEntry.objects.create(
        sequence=sequence,
        action=action,
        filing=filing,
        version=version,
        recorded_at=recorded_at,
        actor_name=name,
        reason=reason,
        canonical=canonical,
        previous_hash=previous_hash,
        entry_hash=sha256_text(canonical),
    )


def _required_reason(reason) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError("give a reason; the public page and the publication log show it")
    return reason.strip()


def _current_version(filing: Filing) -> FilingVersion:
    return FilingVersion.objects.filter(filing=filing).order_by("-number").first()


def publish(filing: Filing, by, at=None) -> PublicationLogEntry:
    """Publish an accepted filing: freeze its version and log it.

    `at` is when the publication takes effect in the record (a scheduled publication
    run late, an imported history); it defaults to now. Raises PublicationRefused if the
    filing is incomplete; ConcurrentChange and IllegalTransition pass through unchanged.
    """
    with transaction.atomic():
        _lock_log()
        problems = check_filing(filing)
        if problems:
            raise PublicationRefused(filing, problems)
        filing.transition_to(Status.PUBLISHED, at=at)
        version = freeze_version(filing, FilingVersion.Reason.PUBLISHED, by=by, at=at)
        return _append_entry(
            PublicationLogEntry.Action.PUBLISH,
            filing,
            version,
            by,
            reason="",
            documents=published_documents(filing),
        )


def _technologies_from(values) -> list[Technology]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise AmendmentRefused("technologies must be a list of technology slugs")
    slugs = [value.slug if isinstance(value, Technology) else value for value in values]
    if not all(isinstance(slug, str) for slug in slugs):
        raise AmendmentRefused("technologies must be a list of technology slugs")
    found = {found.slug: found for found in Technology.objects.filter(slug__in=slugs)}
    unknown = sorted(set(slugs) - set(found))
    if unknown:
        raise AmendmentRefused(f"unknown technologies: {', '.join(unknown)}")
    return [found[slug] for slug in dict.fromkeys(slugs)]


def _apply_changes(filing: Filing, changes: dict) -> None:
    """Set and validate the changed fields on `filing`, saved as an amendment."""
    technologies = None
    for name, value in changes.items():
        if name == "technologies":
            technologies = _technologies_from(value)
        else:
            setattr(filing, name, value)
    validated = set(changes)
    if validated & PERIOD_FIELDS:
        # The period constraint is only checked when both of its ends are.
        validated |= PERIOD_FIELDS
    unchanged = [field.name for field in Filing._meta.fields if field.name not in validated]
    try:
        # Not full_clean(): Filing.clean() refuses content changes to a published filing,
        # the very thing an amendment is for.
        filing.clean_fields(exclude=unchanged)
        filing.validate_constraints(exclude=unchanged)
    except ValidationError as error:
        details = "; ".join(
            " ".join(messages) if name == NON_FIELD_ERRORS else f"{name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
        raise AmendmentRefused(f"the amendment is not valid: {details}") from None
    filing.save(amendment=True)
    if technologies is not None:
        filing.technologies.set(technologies)


def _differs_from_last_publication(filing, version, documents) -> bool:
    """Whether the new version or the public files differ from the last publish or amend."""
    last = (
        PublicationLogEntry.objects.filter(filing=filing, action__in=PUBLIC_ACTIONS)
        .order_by("-sequence")
        .first()
    )
    if last is None:
        return True
    logged_files = [(listed["id"], listed["sha256"]) for listed in last.contents["documents"]]
    public_files = [(document.pk, document.sha256) for document in documents]
    return (
        last.contents["metadata_sha256"] != metadata_sha256(version) or logged_files != public_files
    )


def amend(filing: Filing, by, changes: dict, reason: str) -> PublicationLogEntry:
    """Correct or amend a published filing: a new version that supersedes the current one.

    `changes` maps field names (AMENDABLE_FIELDS) to new values; it may be empty when
    only the public documents changed (a redacted copy added or removed). Raises
    AmendmentRefused for unknown fields, invalid values, an incomplete result or no change
    at all; then nothing is written. `filing` is reloaded from the database either way.
    """
    reason = _required_reason(reason)
    if not isinstance(changes, dict):
        raise AmendmentRefused("changes must map field names to their new values")
    unknown = sorted(set(changes) - AMENDABLE_FIELDS)
    if unknown:
        raise AmendmentRefused(
            f"an amendment cannot change {', '.join(unknown)}; it may change "
            f"{', '.join(sorted(AMENDABLE_FIELDS))}"
        )
    try:
        with transaction.atomic():
            _lock_log()
            # Amend the row as stored now, not the caller's possibly stale copy.
            current = Filing.objects.select_for_update().get(pk=filing.pk)
            if current.status != Status.PUBLISHED:
                raise IllegalTransition(
                    f"only a published filing can be amended; filing {filing.pk} is "
                    f"{current.get_status_display().lower()}"
                )
            _apply_changes(current, changes)
            problems = check_filing(current)
            if problems:
                listed = "; ".join(str(problem) for problem in problems)
                raise AmendmentRefused(f"the amended filing would be incomplete: {listed}")
            version = freeze_version(current, FilingVersion.Reason.AMENDED, by=by)
            documents = published_documents(current)
            if not _differs_from_last_publication(current, version, documents):
                raise AmendmentRefused(
                    "the amendment changes nothing: the metadata and the public documents are "
                    "as last published"
                )
            if "technologies" in changes:
                # save() reindexed the other fields; technologies are set after it.
                record_filing_change(current.pk)
            return _append_entry(
                PublicationLogEntry.Action.AMEND, current, version, by, reason, documents
            )
    finally:
        filing.refresh_from_db()


def _take_down(filing: Filing, by, reason: str, action: str) -> PublicationLogEntry:
    reason = _required_reason(reason)
    if filing.status != Status.PUBLISHED:
        raise IllegalTransition(
            f"only a published filing can be taken down; filing {filing.pk} is "
            f"{filing.get_status_display().lower()}"
        )
    with transaction.atomic():
        _lock_log()
        # Fails with ConcurrentChange if the filing is no longer published in the database.
        filing.transition_to(Status.WITHDRAWN)
        # The version the public saw stays in the log, now marked as taken down; the
        # entries that published it list its files.
        return _append_entry(
            action, filing, _current_version(filing), by, reason=reason, documents=[]
        )


def unpublish(filing: Filing, by, reason: str) -> PublicationLogEntry:
    """Oversight staff take a published filing down; its history stays public."""
    return _take_down(filing, by, reason, PublicationLogEntry.Action.UNPUBLISH)


def withdraw(filing: Filing, by, reason: str) -> PublicationLogEntry:
    """The agency withdraws its published filing; its history stays public."""
    return _take_down(filing, by, reason, PublicationLogEntry.Action.WITHDRAW)
