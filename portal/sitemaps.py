"""/sitemap.xml: the public record's pages for search engines, read through visibility.py.

Record pages are listed in English and Spanish; editorial pages once per locale, since each
locale's Wagtail page has its own address.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.urls import reverse
from wagtail.models import Page

from content.agencies.models import Agency
from content.filings.visibility import public_documents, public_filings
from content.technologies.models import Technology
from content.vendors.models import Vendor

LIST_PAGES = [
    "browse:agencies",
    "browse:technologies",
    "browse:vendors",
    "browse:filings",
    "accountability:compliance",
    "accountability:inventory",
    "accountability:spending",
    "publication:log",
    "subscriptions:feeds",
    "opendata:index",
]


class RecordSitemap(Sitemap):
    """Items are (route name, argument or None), so one class serves every kind of page."""

    i18n = True
    alternates = True
    x_default = True

    def location(self, item):
        name, argument = item
        return reverse(name, args=[] if argument is None else [argument])


class ListPages(RecordSitemap):
    def items(self):
        return [(name, None) for name in LIST_PAGES]


class RecordPages(RecordSitemap):
    def items(self):
        return [
            *(("browse:agency", slug) for slug in Agency.objects.values_list("slug", flat=True)),
            *(
                ("browse:technology", slug)
                for slug in Technology.objects.values_list("slug", flat=True)
            ),
            *(("browse:vendor", slug) for slug in Vendor.objects.values_list("slug", flat=True)),
            *(
                ("publication:filing", pk)
                for pk in public_filings().order_by("pk").values_list("pk", flat=True)
            ),
            # Data files (CSV, XLSX) have no pages to read; their download is on the filing page.
            *(
                ("document_pages", pk)
                for pk in public_documents()
                .filter(media_type="application/pdf")
                .order_by("pk")
                .values_list("pk", flat=True)
            ),
        ]


class EditorialPages(Sitemap):
    def items(self):
        return Page.objects.live().public().filter(depth__gt=1).order_by("path").specific()

    def location(self, page):
        return page.url


SITEMAPS = {"lists": ListPages, "record": RecordPages, "editorial": EditorialPages}


def public_sitemap(request):
    return sitemap(request, SITEMAPS)
