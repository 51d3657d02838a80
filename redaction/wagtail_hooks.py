"""Registers the redaction pages in the staff admin and their entries in filings' history."""

from django.urls import include, path
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from redaction import services
from redaction.views import RemoveView, ReplaceView

urlpatterns = [
    path("documents/<int:pk>/", ReplaceView.as_view(), name="replace"),
    path("documents/<int:pk>/remove/", RemoveView.as_view(), name="remove"),
]


@hooks.register("register_admin_urls")
def register_redaction_urls():
    return [path("redaction/", include((urlpatterns, "redaction")))]


@hooks.register("register_log_actions")
def register_redaction_log_actions(actions):
    @actions.register_action(services.ADDED)
    class RedactionAdded(LogFormatter):
        label = "Add redacted version"

        def format_message(self, log_entry):
            data = log_entry.data
            return (
                f"Redacted version “{data['redacted_name']}” replaces “{data['original_name']}” "
                f"for the public: {data['note']}"
            )

    @actions.register_action(services.REMOVED)
    class RedactionRemoved(LogFormatter):
        label = "Remove redacted version"

        def format_message(self, log_entry):
            data = log_entry.data
            return (
                f"Redacted version “{data['redacted_name']}” removed; the public gets "
                f"“{data['original_name']}” as uploaded again"
            )
