"""Seed the inventory from an EFF Atlas of Surveillance CSV (its download.csv, or a part of it)."""

import csv

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from opendata.atlas import AtlasFileError, import_atlas_rows, read_atlas_csv

PROGRESS_EVERY = 100


class Command(BaseCommand):
    help = (
        "Put every agency's technologies from an Atlas of Surveillance CSV on the inventory, "
        "as in use since the row's Link 1 Date. Rows already on the inventory are skipped, so "
        "the command can be run again. Nothing is imported if any row is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The Atlas CSV file (UTF-8).")
        parser.add_argument(
            "--recorded-by",
            required=True,
            help="Username of the staff member the inventory history names for the import.",
        )
        parser.add_argument(
            "--agency-name-column",
            default="Agency",
            help="The column holding the agency's name (default: Agency).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and say what would be imported, without importing it.",
        )

    def handle(self, *args, path, recorded_by, agency_name_column, dry_run, **options):
        actor = get_user_model().objects.filter(username=recorded_by).first()
        if actor is None:
            raise CommandError(f"there is no user “{recorded_by}” to record the import as")
        today = timezone.localdate()
        try:
            with open(path, encoding="utf-8-sig", newline="") as lines:
                rows, errors = read_atlas_csv(lines, agency_name_column, today)
        except OSError as problem:
            raise CommandError(f"cannot read {path}: {problem.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text; save it as UTF-8 CSV") from None
        except csv.Error as problem:
            raise CommandError(f"{path} cannot be read as CSV: {problem}") from None
        except AtlasFileError as problem:
            raise CommandError(f"{path}: {problem}") from None
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"nothing imported: {len(errors)} problem(s) in {path}; correct them and run "
                "the command again"
            )

        def progress(done, total):
            if done % PROGRESS_EVERY == 0 or done == total:
                self.stdout.write(f"Processed {done} of {total} rows")

        try:
            with transaction.atomic():
                summary = import_atlas_rows(rows, actor, today, progress)
                if dry_run:
                    transaction.set_rollback(True)
        except AtlasFileError as problem:
            raise CommandError(f"nothing imported: {path}, {problem}") from None
        verb = "Would import (dry run, nothing saved)" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb}: {summary}."))
