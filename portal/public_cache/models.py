from django.db import models


class PublicRecordRevision(models.Model):
    """One row counting changes to anything the public pages show.

    Cached public pages are keyed by this number, so every web process, worker and command
    that changes the record makes every process's cached copies stale at once, whatever
    cache backend each of them has.
    """

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "public record revision"

    def __str__(self):
        return f"public record revision {self.number}"
