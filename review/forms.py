"""The review page's forms. Each carries the status the page was rendered for, so acting
on a page someone else has overtaken is refused instead of applied to a filing that
moved on."""

from django import forms
from django.utils import timezone

from content.filings.models import Status
from review.access import reviewers
from submissions.submitting import MAX_MESSAGE_LENGTH


class ReviewActionForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)

    def __init__(self, *args, filing=None, **kwargs):
        super().__init__(*args, **kwargs)
        if filing is not None and not self.is_bound:
            self.initial["status"] = filing.status


def text_field(label: str, help_text: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter the {label.lower()}."},
    )


class RequestChangesForm(ReviewActionForm):
    comment = text_field(
        "Changes the agency must make",
        "Say what must change. The agency gets this by email and on their filing page.",
    )


class RejectForm(ReviewActionForm):
    reason = text_field(
        "Reason for rejecting",
        "The agency sees this reason on their filing page. Rejection is final.",
    )


class UnpublishForm(ReviewActionForm):
    reason = text_field(
        "Reason for unpublishing",
        "Shown in the public publication log beside the filing's history.",
    )


class ScheduleForm(ReviewActionForm):
    publish_at = forms.DateTimeField(
        label="Publish at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": "Enter the date and time to publish at.",
            "invalid": "Enter the date and time as YYYY-MM-DD HH:MM.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin reads and shows times in each person's own time zone.
        zone = timezone.get_current_timezone_name()
        self.fields["publish_at"].help_text = f"Date and time, {zone} time."


class AssignForm(ReviewActionForm):
    assignee = forms.ModelChoiceField(
        label="Assign to",
        queryset=None,
        required=False,
        empty_label="Nobody",
        error_messages={"invalid_choice": "Choose someone from the oversight staff."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read per form, so staff added since start-up are offered.
        self.fields["assignee"].queryset = reviewers()


class NoteForm(ReviewActionForm):
    body = text_field("Internal note", "Staff only: never shown to the agency or the public.")


class CommentForm(ReviewActionForm):
    body = text_field("Comment to the agency", "The agency sees this on their filing page.", rows=3)


class ChecklistForm(ReviewActionForm):
    ticked = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, item_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticked"].choices = [(name, name) for name in item_names]
        self.fields["ticked"].error_messages["invalid_choice"] = (
            "The checklist changed since the page was loaded; reload it and tick again."
        )
