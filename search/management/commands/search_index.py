"""Build, check and repair the search indexes.

manage.py search_index rebuild [--backend database|elasticsearch]
manage.py search_index reconcile [--dry-run] [--backend ...]
manage.py search_index drain
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search.backends.base import SearchUnavailable
from search.backends.registry import get_database_backend, get_search_backend
from search.index_documents import build_indexed_filing
from search.indexing import drain_outbox
from search.progress import ProgressBar
from search.reconciler import find_drift, published_filings, repair


class Command(BaseCommand):
    help = "Rebuild, reconcile or drain the search indexes."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        rebuild = actions.add_parser("rebuild", help="Rebuild an index from the database.")
        reconcile = actions.add_parser(
            "reconcile", help="Compare an index with the database and repair any drift."
        )
        reconcile.add_argument("--dry-run", action="store_true", help="Report, change nothing.")
        for sub in (rebuild, reconcile):
            sub.add_argument(
                "--backend",
                choices=["database", "elasticsearch"],
                help="Which index (default: the one that answers searches).",
            )
        actions.add_parser("drain", help="Apply waiting outbox entries to the search engine now.")

    def backend(self, name):
        if name == "database":
            return get_database_backend()
        if name == "elasticsearch" and settings.SEARCH_BACKEND != "elasticsearch":
            raise CommandError("Elasticsearch is not configured: set ELASTICSEARCH_URL.")
        return get_search_backend()

    def handle(self, *args, action, **options):
        try:
            return getattr(self, f"handle_{action}")(**options)
        except SearchUnavailable as error:
            raise CommandError(f"{error} Start the search server, then run this again.") from None

    def handle_rebuild(self, backend=None, **options):
        index = self.backend(backend)
        filings = published_filings()
        total = filings.count()
        started = time.monotonic()
        progress = ProgressBar(self.stdout, total, f"Indexing into {index.name}")
        count = index.rebuild(
            (build_indexed_filing(f) for f in filings.iterator(chunk_size=200)), progress
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt the {index.name} index: {count} published filings "
                f"in {time.monotonic() - started:.1f} s."
            )
        )

    def handle_reconcile(self, backend=None, dry_run=False, **options):
        index = self.backend(backend)
        drift = find_drift(index)
        self.stdout.write(
            f"{index.name} index: {len(drift.missing)} missing, {len(drift.stale)} stale, "
            f"{len(drift.extra)} that should not be there."
        )
        if dry_run or drift.total == 0:
            if drift.total == 0:
                self.stdout.write(self.style.SUCCESS("The index matches the database."))
            return
        progress = ProgressBar(self.stdout, drift.total, "Repairing")
        repaired = repair(index, drift, progress)
        self.stdout.write(self.style.SUCCESS(f"Repaired {repaired} filings."))

    def handle_drain(self, **options):
        outcome = drain_outbox()
        self.stdout.write(
            f"Outbox: {outcome['applied']} filings updated, {outcome['failed']} failed, "
            f"{outcome['waiting']} entries waiting."
        )
