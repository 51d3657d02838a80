"""Submitting a filing, its receipts, withdrawing it, and answering the reviewer."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from content.filings.completeness import check_filing
from content.filings.models import Filing
from submissions.access import Action, AgencyAccess, agency_view
from submissions.models import Receipt
from submissions.submitting import (
    MAX_MESSAGE_LENGTH,
    AlreadySubmitted,
    IncompleteFiling,
    SubmissionError,
    check_may_submit,
    reply,
    submit,
    withdraw,
)


def _filing_url(access: AgencyAccess, filing: Filing, fragment: str = "") -> str:
    url = reverse(
        "submissions:filing_detail", kwargs={"agency": access.agency.slug, "filing": filing.pk}
    )
    return f"{url}#{fragment}" if fragment else url


def _receipt_url(access: AgencyAccess, receipt: Receipt) -> str:
    return reverse(
        "submissions:receipt",
        kwargs={"agency": access.agency.slug, "filing": receipt.filing_id, "receipt": receipt.pk},
    )


def _see_other(url: str) -> HttpResponseRedirect:
    """303: after a POST the browser fetches the next page with GET, so reload never re-posts."""
    return HttpResponseRedirect(url, status=303)


def _refused(request, access, filing, reason):
    return render(
        request,
        "submissions/submission/refused.html",
        {"access": access, "filing": filing, "reason": reason},
        status=403,
    )


# The edit page's file input (documents/_panel_contents.html): where missing documents are added.
DOCUMENT_FILE_INPUT_ID = "id_document_file"


def _problem_rows(access, filing, problems):
    """Each problem with a link to its field on the edit page (for documents, the upload)."""
    edit_url = reverse(
        "submissions:filing_edit", kwargs={"agency": access.agency.slug, "filing": filing.pk}
    )
    return [
        {
            "problem": problem,
            "url": f"{edit_url}#"
            + (DOCUMENT_FILE_INPUT_ID if problem.name == "documents" else f"id_{problem.name}"),
        }
        for problem in problems
    ]


def _submit_page(request, access, filing, *, problems=(), error="", status=200):
    last_version = filing.versions.order_by("-number").values_list("number", flat=True).first()
    return render(
        request,
        "submissions/submission/submit.html",
        {
            "access": access,
            "filing": filing,
            "problems": _problem_rows(access, filing, problems),
            "error": error,
            "submission_key": uuid.uuid4(),
            "document_count": filing.documents.count(),
            "next_version": (last_version or 0) + 1,
        },
        status=status,
    )


def _already_submitted(request, access, filing, receipt, status):
    return render(
        request,
        "submissions/submission/already_submitted.html",
        {
            "access": access,
            "filing": filing,
            "receipt": receipt,
            "receipt_url": _receipt_url(access, receipt) if receipt else "",
        },
        status=status,
    )


@agency_view
@require_http_methods(["GET", "POST"])
def filing_submit(request, access: AgencyAccess, filing: int):
    filing = access.filing(filing)
    if request.method == "POST":
        return _post_submit(request, access, filing)
    try:
        check_may_submit(access, filing)
    except AlreadySubmitted as already:
        return _already_submitted(request, access, filing, already.receipt, status=200)
    except PermissionDenied as refusal:
        return _refused(request, access, filing, str(refusal))
    return _submit_page(request, access, filing, problems=check_filing(filing))


def _post_submit(request, access, filing):
    try:
        key = uuid.UUID(request.POST.get("submission_key", ""))
    except ValueError:
        return _submit_page(
            request,
            access,
            filing,
            error=_(
                "The submission form was incomplete, so nothing was submitted. "
                "Check the filing below and submit it again."
            ),
            problems=check_filing(filing),
            status=400,
        )
    try:
        receipt, created = submit(access, filing, key)
    except IncompleteFiling as incomplete:
        return _submit_page(request, access, filing, problems=incomplete.problems, status=400)
    except AlreadySubmitted as already:
        return _already_submitted(request, access, filing, already.receipt, status=409)
    except PermissionDenied as refusal:
        return _refused(request, access, filing, str(refusal))
    except SubmissionError as error:
        return _submit_page(request, access, filing, error=str(error), status=400)
    if created:
        messages.success(
            request, _("Submitted. Your receipt number is %(number)s.") % {"number": receipt.number}
        )
    return _see_other(_receipt_url(access, receipt))


@agency_view
@require_http_methods(["GET"])
def receipt_detail(request, access: AgencyAccess, filing: int, receipt: int):
    filing = access.filing(filing)
    receipt = get_object_or_404(
        Receipt.objects.select_related("version", "submitted_by"), pk=receipt, filing=filing
    )
    return render(
        request,
        "submissions/submission/receipt.html",
        {
            "access": access,
            "filing": filing,
            "receipt": receipt,
            "round": filing.receipts.filter(pk__lte=receipt.pk).count(),
            "documents": receipt.version.documents,
            # The receipt shows what was filed then, not what the draft says now.
            "title": receipt.version.metadata.get("title", filing.title),
        },
    )


@agency_view
@require_http_methods(["GET", "POST"])
def filing_withdraw(request, access: AgencyAccess, filing: int):
    filing = access.filing(filing)
    refusal = access.refusal(filing, Action.WITHDRAW)
    if refusal:
        return _refused(request, access, filing, refusal)
    reason = ""
    error = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            withdraw(access, filing, reason)
        except PermissionDenied as refused:
            return _refused(request, access, filing, str(refused))
        except SubmissionError as problem:
            error = str(problem)
        else:
            messages.success(request, _("“%(title)s” is withdrawn.") % {"title": filing.title})
            return _see_other(_filing_url(access, filing))
    return render(
        request,
        "submissions/submission/withdraw.html",
        {"access": access, "filing": filing, "reason": reason, "error": error},
        status=400 if error else 200,
    )


@agency_view
@require_POST
def message_reply(request, access: AgencyAccess, filing: int):
    filing = access.filing(filing)
    body = request.POST.get("body", "")
    try:
        reply(access, filing, body)
    except PermissionDenied as refused:
        return _refused(request, access, filing, str(refused))
    except SubmissionError as problem:
        return render(
            request,
            "submissions/submission/reply.html",
            {
                "access": access,
                "filing": filing,
                "body": body,
                "error": str(problem),
                "max_message_length": MAX_MESSAGE_LENGTH,
            },
            status=400,
        )
    messages.success(request, _("Your message was sent to oversight staff."))
    return _see_other(_filing_url(access, filing, "submission-messages"))


urlpatterns = [
    path("<slug:agency>/filings/<int:filing>/submit/", filing_submit, name="filing_submit"),
    path(
        "<slug:agency>/filings/<int:filing>/receipts/<int:receipt>/",
        receipt_detail,
        name="receipt",
    ),
    path("<slug:agency>/filings/<int:filing>/withdraw/", filing_withdraw, name="filing_withdraw"),
    path("<slug:agency>/filings/<int:filing>/messages/", message_reply, name="message_reply"),
]
