"""Delete stored objects no Document row refers to.

manage.py reconcile_storage [--dry-run] [--grace-minutes 60]

Run it after a storage outage, and daily: see content/documents/storage_reconciler.py
for what it may delete and what it never touches.
"""

import datetime

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from content.documents.storage_reconciler import (
    DEFAULT_GRACE,
    delete_orphans,
    find_orphans,
    list_stored,
)
from search.ingestion.service import describe_size
from search.progress import ProgressBar


class Command(BaseCommand):
    help = "Delete stored document objects that no Document row refers to."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report, delete nothing.")
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=int(DEFAULT_GRACE.total_seconds() // 60),
            help="Leave objects younger than this alone: their rows may not be committed yet "
            "(default: %(default)s). incoming/ objects are also kept while their upload form "
            "is valid.",
        )

    def handle(self, *args, dry_run=False, grace_minutes=60, **options):
        if grace_minutes < 0:
            raise CommandError("--grace-minutes cannot be negative.")
        try:
            self.reconcile(dry_run, datetime.timedelta(minutes=grace_minutes))
        except (OSError, BotoCoreError, ClientError) as error:
            raise CommandError(
                f"Storage could not be read or changed: {error}. Nothing more was deleted; "
                "run this again once storage answers."
            ) from None

    def reconcile(self, dry_run: bool, grace: datetime.timedelta) -> None:
        listed = list_stored(default_storage)
        report = find_orphans(
            default_storage, listed, grace, ProgressBar(self.stdout, len(listed), "Checking")
        )
        self.stdout.write(
            f"Checked {report.checked} objects: {report.referenced} referenced by a row, "
            f"{report.not_documents} not document files, {report.too_recent} too recent to "
            f"judge, {len(report.orphans)} orphans ({describe_size(report.orphan_bytes)}); "
            f"{len(report.unfinished_uploads)} unfinished uploads."
        )
        for orphan in report.orphans:
            self.stdout.write(f"  orphan: {orphan.name} ({orphan.modified:%Y-%m-%d %H:%M} UTC)")
        found = len(report.orphans) + len(report.unfinished_uploads)
        if dry_run or not found:
            if not found:
                self.stdout.write(self.style.SUCCESS("Storage matches the database."))
            return
        removed = delete_orphans(
            default_storage, report, ProgressBar(self.stdout, found, "Deleting")
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {len(report.orphans)} orphan objects and aborted "
                f"{len(report.unfinished_uploads)} unfinished uploads ({removed} in all)."
            )
        )
