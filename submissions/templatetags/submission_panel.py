"""What the submission panel on a filing's page shows, worked out in one place."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.agencies.models import Membership
from content.filings.models import Status
from portal.markdown import render_markdown
from submissions.access import EDITABLE, Action
from submissions.models import FilingMessage
from submissions.submitting import MAX_MESSAGE_LENGTH

register = template.Library()

NEXT_STEPS = {
    Status.DRAFT: gettext_lazy(
        "When every required item is in place, submit the filing. Submitting freezes "
        "this version and gives you a receipt number."
    ),
    Status.SUBMITTED: gettext_lazy(
        "Oversight staff will start reviewing it. Until review starts you can still withdraw it."
    ),
    Status.IN_REVIEW: gettext_lazy(
        "A reviewer is checking it. They will accept it or ask for changes; "
        "everyone at the agency gets an email either way."
    ),
    Status.CHANGES_REQUESTED: gettext_lazy(
        "The reviewer asked for changes; their comments are below. Edit the filing, "
        "answer the comments and submit it again. The earlier round stays on record."
    ),
    Status.ACCEPTED: gettext_lazy(
        "Accepted. Oversight staff will publish it on the public site; "
        "you will get an email when they do."
    ),
    Status.PUBLISHED: gettext_lazy("Published on the public site. Nothing more is needed."),
    Status.WITHDRAWN: gettext_lazy(
        "Withdrawn. It stays on record but will not be reviewed or published."
    ),
    Status.REJECTED: gettext_lazy(
        "Rejected by oversight staff; their reason is below. It stays on record and will not "
        "be published. To file again, start a new filing."
    ),
}


def _author_label(message, member_names, agency) -> str:
    if message.author is None:
        return _("A former user")
    if message.author_id in member_names:
        return f"{member_names[message.author_id]}, {agency.name}"
    return _("Oversight staff")


@register.simple_tag
def submission_panel(access, filing):
    """Everything `_panel.html` shows: status guidance, actions, receipts and the thread."""
    receipts = list(filing.receipts.select_related("submitted_by", "version").order_by("pk"))
    members = Membership.objects.filter(agency=filing.agency_id).select_related("user")
    member_names = {m.user_id: m.user.get_full_name() or m.user.get_username() for m in members}
    rounds: dict[int, list[dict]] = {}
    for message in filing.messages.filter(audience=FilingMessage.Audience.AGENCY).select_related(
        "author"
    ):
        rounds.setdefault(message.round, []).append(
            {
                "author": _author_label(message, member_names, filing.agency),
                "created_at": message.created_at,
                "body": render_markdown(message.body),
            }
        )
    receipt_by_round = dict(enumerate(receipts, start=1))
    thread = [
        {"number": number, "receipt": receipt_by_round.get(number), "messages": messages}
        for number, messages in sorted(rounds.items())
    ]
    submit_refusal = access.refusal(filing, Action.SUBMIT)
    return {
        "next_step": NEXT_STEPS.get(filing.status, ""),
        "can_submit": submit_refusal is None,
        # Outside the editable statuses the next step already says why; repeating it is noise.
        "submit_refusal": submit_refusal if filing.status in EDITABLE else None,
        "can_withdraw": access.allows(filing, Action.WITHDRAW),
        "can_reply": access.allows(filing, Action.REPLY),
        "receipts": [
            {"receipt": receipt, "round": number} for number, receipt in receipt_by_round.items()
        ],
        "thread": thread,
        "max_message_length": MAX_MESSAGE_LENGTH,
    }
