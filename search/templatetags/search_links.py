from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def page_link(document_id: int, page_number: int) -> str:
    """The public reading view of one document, scrolled to one page."""
    return f"{reverse('document_pages', args=[document_id])}#page-{page_number}"
