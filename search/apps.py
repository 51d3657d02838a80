from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = "Search"

    def ready(self):
        from django.db.models.signals import post_save

        from content.filings.models import Filing
        from content.filings.signals import filing_status_changed

        filing_status_changed.connect(on_filing_status_changed, dispatch_uid="search_index")
        post_save.connect(on_filing_saved, sender=Filing, dispatch_uid="search_index_save")


def on_filing_status_changed(sender, filing, source, target, **kwargs):
    """Only publishing, and leaving publication, changes what the public index holds."""
    from content.filings.models import Status
    from search.indexing import record_filing_change

    if Status.PUBLISHED in (source, target):
        record_filing_change(filing.pk)


def on_filing_saved(sender, instance, created, **kwargs):
    """An edit to a published filing's metadata must reach the public index too."""
    from content.filings.models import Status
    from search.indexing import record_filing_change

    if not created and instance.status == Status.PUBLISHED:
        record_filing_change(instance.pk)
