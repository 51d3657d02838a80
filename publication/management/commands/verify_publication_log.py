"""manage.py verify_publication_log: check the hash chain, the rows and every published file.

Exits with status 1 if anything was changed; each problem names the entry it concerns.
"""

from django.core.management.base import BaseCommand, CommandError

from publication.models import PublicationLogEntry
from publication.verification import verify_log
from search.progress import ProgressBar


class Command(BaseCommand):
    help = "Verify the publication log's hash chain and the SHA-256 of every published file."

    def handle(self, *args, **options):
        total = PublicationLogEntry.objects.count()
        problems = verify_log(ProgressBar(self.stdout, total, "Checking log entries"))
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(problems)} problem(s) found in {total} log entries", returncode=1
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"All {total} log entries verified: the hash chain is intact and every "
                "published file matches its SHA-256."
            )
        )
