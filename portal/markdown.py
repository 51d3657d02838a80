"""Markdown that people type (agency narratives, messages) turned into HTML safe to show anyone.

Raw HTML in the text is shown as text, never passed through; the HTML Markdown produces
then goes through an allow-list sanitiser, so a tag, attribute or link scheme nobody
listed here cannot reach a page even if Markdown itself lets one through.
"""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# No javascript:, data: or other schemes; relative links stay as they are.
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def _markdown_without_raw_html() -> markdown.Markdown:
    converter = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists"], output_format="html"
    )
    # With these two gone, raw HTML is escaped and shows as the text the person typed.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


def render_markdown(text: str | None) -> SafeString:
    """`text` as sanitised HTML; empty text gives an empty string."""
    if not text or not text.strip():
        return mark_safe("")
    html = _markdown_without_raw_html().convert(text)
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
