from django.db.models import Count, Q
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page

from content.agencies.models import Agency
from content.filings.models import Status
from portal.public_cache.pages import cache_public_page


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", template="pages/blocks/heading.html")
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "document-link"]
    )
    image = ImageBlock()


class CachedPublicPage(Page):
    """Anonymous readers share a rendered copy until the public record changes."""

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        return cache_public_page(super().serve)(request, *args, **kwargs)


class HomePage(CachedPublicPage):
    """The site's front page: what the ordinance is and where to start."""

    introduction = RichTextField(blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["agencies"] = Agency.objects.annotate(
            published_count=Count("filings", filter=Q(filings__status=Status.PUBLISHED))
        ).order_by("name")
        return context


class StandardPage(CachedPublicPage):
    """Editorial content: about the ordinance, commission news, how to take part."""

    introduction = RichTextField(blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    parent_page_types = ["pages.HomePage", "pages.StandardPage"]
