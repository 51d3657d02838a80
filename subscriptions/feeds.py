"""Atom feeds of new publications and amendments: all, per agency, technology, kind, search."""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext, gettext_lazy

from content.agencies.models import Agency
from content.rulebook.rules import UnknownKind, get_rulebook
from content.technologies.models import Technology
from publication.models import PublicationLogEntry
from subscriptions.alerts import absolute_url
from subscriptions.publications import matching_entries, public_entries, search_form

FEED_LENGTH = 50


class PublicationFeed(Feed):
    """Every public publish and amend log entry, newest first; subclasses narrow the entries."""

    feed_type = Atom1Feed
    title = gettext_lazy("New publications")
    subtitle = gettext_lazy(
        "Filings published or amended under the surveillance technology ordinance."
    )

    def link(self):
        return reverse("subscriptions:feeds")

    def entries(self, obj):
        return public_entries()

    def items(self, obj):
        return self.entries(obj)[:FEED_LENGTH]

    def item_title(self, entry):
        if entry.action == PublicationLogEntry.Action.AMEND:
            return gettext("Amended: %(title)s") % {"title": entry.filing.title}
        return entry.filing.title

    def item_link(self, entry):
        return reverse("publication:filing", args=[entry.filing_id])

    def item_guid(self, entry):
        # A filing's publication and each amendment are separate entries, so each needs its
        # own id; the log sequence number is stable forever. Atom ids must be absolute.
        return absolute_url(f"{self.item_link(entry)}#publication-log-entry-{entry.sequence}")

    item_guid_is_permalink = False

    def item_description(self, entry):
        # The summary is Markdown typed by agency staff; the feed says type="html", so it is
        # escaped to show as the text it is, never as markup.
        return escape(entry.filing.summary) or None

    def item_author_name(self, entry):
        return entry.filing.agency.name

    def item_pubdate(self, entry):
        return entry.recorded_at

    def item_updateddate(self, entry):
        return entry.recorded_at


class AgencyFeed(PublicationFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Agency, slug=slug)

    def title(self, agency):
        return gettext("New publications: %(name)s") % {"name": agency.name}

    def entries(self, agency):
        return public_entries().filter(filing__agency=agency)


class TechnologyFeed(PublicationFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Technology, slug=slug)

    def title(self, technology):
        return gettext("New publications: %(name)s") % {"name": technology.name}

    def entries(self, technology):
        return public_entries().filter(filing__technologies=technology)


class KindFeed(PublicationFeed):
    def get_object(self, request, kind):
        try:
            return get_rulebook().kind(kind)
        except UnknownKind:
            raise Http404(f"There is no filing kind {kind!r}.") from None

    def title(self, kind):
        return gettext("New publications: %(name)s") % {"name": kind.label}

    def entries(self, kind):
        return public_entries().filter(filing__kind=kind.slug)


class SearchFeed(PublicationFeed):
    """The newest published matches of a search, with the search page's query string."""

    def __call__(self, request, *args, **kwargs):
        form = search_form(request.GET)
        if not form.is_valid():
            problems = " ".join(
                message for messages in form.errors.values() for message in messages
            )
            return HttpResponseBadRequest(
                gettext("This search cannot be made into a feed: %(problems)s")
                % {"problems": problems},
                content_type="text/plain; charset=utf-8",
            )
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        # __call__ has already refused invalid searches; this fills cleaned_data.
        form = search_form(request.GET)
        form.is_valid()
        return form

    def title(self, form):
        query = form.cleaned_data["q"]
        if query:
            return gettext("New publications matching “%(query)s”") % {"query": query}
        return gettext("New publications: search")

    def link(self, form):
        return reverse("search") + "?" + form.data.urlencode()

    def entries(self, form):
        return matching_entries(form)
