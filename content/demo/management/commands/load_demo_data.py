import argparse
import contextlib
import datetime
import logging

from django.core.management.base import BaseCommand
from django.utils import timezone

from content.demo.jurisdiction import CITY
from content.demo.loading import DemoLoader
from submissions import notifications


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date in the form YYYY-MM-DD"
        ) from None


class Command(BaseCommand):
    help = (
        f"Load the demo jurisdiction, the {CITY}: agencies, technologies, vendors, inventory, "
        "filings with PDF documents, demo logins and the site's pages. Safe to run again: "
        "what already exists is left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=parse_day,
            default=None,
            help="The day to load the story as of, YYYY-MM-DD (default: today). Every date, "
            "and so every met or missed deadline, is placed relative to it.",
        )

    def handle(self, *args, today=None, verbosity=1, **options):
        today = today or timezone.localdate()
        report = self.stdout.write if verbosity >= 1 else _quiet
        detail = self.stdout.write if verbosity >= 2 else _quiet
        report(f"Loading the {CITY} demo data as of {today.isoformat()}")
        with _wagtail_page_log(shown=verbosity >= 2), notifications.paused():
            summary = DemoLoader(today, report=report, detail=detail).load()
        report(self.style.SUCCESS(f"Done in {summary.seconds:.1f} s."))
        report("")
        report("Demo logins (oversight staff sign in at /admin/, agency staff at /agency/):")
        rows = [("Username", "Password", "Role")] + [
            (login.username, login.password, login.role) for login in summary.logins
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(2)]
        for username, password, role in rows:
            report(f"  {username:<{widths[0]}}  {password:<{widths[1]}}  {role}")


@contextlib.contextmanager
def _wagtail_page_log(shown: bool):
    """Wagtail logs every page it creates or publishes; below verbosity 2 that is noise."""
    logger = logging.getLogger("wagtail")
    level = logger.level
    if not shown:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _quiet(message: str) -> None:
    """Verbosity 0: print nothing."""
