from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = "Search"

    def ready(self):
        from content.filings.signals import filing_status_changed

        filing_status_changed.connect(on_filing_status_changed, dispatch_uid="search_index")


def on_filing_status_changed(sender, filing, source, target, **kwargs):
    """Only publishing, and leaving publication, changes what the public index holds."""
    from content.filings.models import Status
    from search.indexing import record_filing_change

    if Status.PUBLISHED in (source, target):
        record_filing_change(filing.pk)
