"""Email agency staff about filings due in 30, 7 or 1 days. Run daily (see docs)."""

import argparse
import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from submissions.reminders import THRESHOLDS, send_deadline_reminders


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        # argparse turns this into a usage error naming the option, with no traceback.
        raise argparse.ArgumentTypeError(f"use a date like 2026-03-15, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Email each agency's staff about unfiled obligations due in 30, 7 or 1 days, "
        "catching up on missed days. Each reminder is sent at most once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=parse_day,
            help="Act as if today were this date (YYYY-MM-DD); defaults to today in the "
            "portal's time zone.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count the reminders that would be sent without sending or recording any.",
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        today = today or timezone.localdate()
        summary = send_deadline_reminders(today, dry_run=dry_run)
        by_threshold = ", ".join(
            f"{days} day{'s' if days != 1 else ''}: {summary.sent[days]}"
            for days in sorted(THRESHOLDS, reverse=True)
        )
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(
            f"Deadline reminders for {today.isoformat()}: {summary.total_sent} {verb} "
            f"({by_threshold}); {summary.already_sent} already sent earlier; "
            f"{summary.agencies} agencies checked."
        )
