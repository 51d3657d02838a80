"""{% document_panel access filing %}: a filing's documents, for any portal page showing it."""

from django import template

from submissions.views.documents import panel_context

register = template.Library()


@register.inclusion_tag("submissions/documents/_panel_contents.html", takes_context=True)
def document_panel(context, access, filing):
    panel = panel_context(access, filing)
    # Each row says whether it is, or has, the redacted version the public gets.
    panel["documents"] = panel["documents"].select_related("redaction_of", "redacted_version")
    return {
        **panel,
        # The panel's forms need these from the including page.
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
