"""A filing in the agency portal: start one, read it, and edit it as a draft.

Every page works without JavaScript: "Save draft" and "Preview" are plain submit
buttons, and the Markdown preview is rendered here, never in the browser.
"""

import datetime

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.filings.completeness import CONTRACT_FIELDS, check_filing
from content.filings.models import ContractDetails
from content.rulebook.rules import UnknownKind, get_rulebook
from portal.markdown import render_markdown
from submissions.access import Action, agency_view
from submissions.dates import written
from submissions.filing_forms import (
    LOADED_VERSION_FIELD,
    FilingForm,
    KindChoiceForm,
    StaleFiling,
    create_draft,
    due_date_for,
    save_draft,
    version_token,
)
from submissions.held_forms import take_held_form

SAVE = "save"
PREVIEW = "preview"
HELD_MESSAGE = gettext_lazy(
    "We kept what you typed when your session ended; check it and save. "
    "Files you had chosen to upload were not kept: choose them again."
)
EARLIEST_REPORTING_YEAR = 1900
LATEST_REPORTING_YEAR = 2999


def _see_other(url: str) -> HttpResponseRedirect:
    """303: after a POST the browser fetches the next page with GET, so reload never re-posts."""
    return HttpResponseRedirect(url, status=303)


def _filing_url(name: str, access, filing) -> str:
    return reverse(
        f"submissions:{name}", kwargs={"agency": access.agency.slug, "filing": filing.pk}
    )


def _saved_message(filing) -> str:
    return _("Draft saved at %(time)s.") % {
        "time": f"{timezone.localtime(filing.updated_at):%H:%M}"
    }


def _markdown_previews(form: FilingForm) -> dict:
    """Each valid, non-empty Markdown field as the sanitised HTML it will become."""
    return {
        name: render_markdown(form.cleaned_data[name])
        for name in form.markdown_field_names()
        if form.cleaned_data.get(name)
    }


def _rebound(form: FilingForm, data, filing) -> FilingForm:
    """The same typed values, now based on `filing` as saved, so the next save is not stale."""
    data = data.copy()
    data[LOADED_VERSION_FIELD] = version_token(filing)
    rebound = FilingForm(data, kind=form.kind, agency=form.agency, filing=filing)
    rebound.is_valid()
    return rebound


def _prefill(access, kind, params, technology_choices) -> tuple[dict, list[str]]:
    """Initial values from a "Start this filing" link, and what in the link was not usable."""
    initial, problems = {}, []
    technology = None
    if raw_technology := params.get("technology"):
        if raw_technology.isdigit():
            technology = technology_choices.filter(pk=int(raw_technology)).first()
        if technology is None:
            problems.append(
                _(
                    "The technology in that link is not in %(agency)s's inventory; "
                    "choose technologies below."
                )
                % {"agency": access.agency.name}
            )
        else:
            initial["technologies"] = [technology.pk]
    year = None
    if params.get("year") and kind.requires_reporting_period:
        raw = params["year"]
        if raw.isdigit() and EARLIEST_REPORTING_YEAR <= int(raw) <= LATEST_REPORTING_YEAR:
            year = int(raw)
            initial["reporting_period_start"] = datetime.date(year, 1, 1)
            initial["reporting_period_end"] = datetime.date(year, 12, 31)
        else:
            problems.append(
                _("“%(year)s” in that link is not a year; enter the reporting period below.")
                % {"year": raw}
            )
    if technology is not None:
        title = f"{kind.label}: {technology.name}"
        initial["title"] = f"{title}, {year}" if year else title
    return initial, problems


def _kind_chooser(request, access, params):
    kinds = list(get_rulebook().kinds.values())
    form = KindChoiceForm(params if "kind" in params else None, kinds=kinds)
    status = 400 if form.is_bound and not form.is_valid() else 200
    choices = list(zip(form["kind"], kinds, strict=True))
    return render(
        request,
        "submissions/filings/choose_kind.html",
        {"access": access, "form": form, "choices": choices},
        status=status,
    )


@agency_view
def filing_new(request, access):
    """Start a draft: choose the kind, then title, technologies and reporting period."""
    held = take_held_form(request, {request.path}) if request.method == "GET" else None
    data = request.POST if request.method == "POST" else held
    source = data if data is not None else request.GET
    try:
        kind = get_rulebook().kind(source.get("kind", ""))
    except UnknownKind:
        return _kind_chooser(request, access, source)

    form = FilingForm(data, kind=kind, agency=access.agency, starting=True)
    if data is None:
        technology_choices = form.fields["technologies"].queryset
        form.initial, problems = _prefill(access, kind, request.GET, technology_choices)
        for problem in problems:
            messages.warning(request, problem)
    if held is not None:
        messages.warning(request, HELD_MESSAGE)
        form.is_valid()

    status = 200
    if request.method == "POST":
        if form.is_valid():
            saved = create_draft(form, access, timezone.localdate())
            messages.success(request, _saved_message(saved.filing))
            return _see_other(_filing_url("filing_edit", access, saved.filing))
        status = 400

    technologies = form.initial.get("technologies", [])
    due_on = None
    if technologies and not form.is_bound:
        chosen = form.fields["technologies"].queryset.filter(pk__in=technologies)
        end = form.initial.get("reporting_period_end")
        due_on = due_date_for(access.agency, kind, chosen, end, timezone.localdate())
    return render(
        request,
        "submissions/filings/new.html",
        {
            "access": access,
            "kind": kind,
            "form": form,
            "sections": form.sections(),
            "due_on": due_on,
        },
        status=status,
    )


def _detail_value(rule, value):
    """How a stored detail reads on the filing's page."""
    if value is None or str(value).strip() == "":
        return None
    if rule is None:
        return str(value)
    if rule.type == "markdown":
        return render_markdown(str(value))
    if rule.type == "date":
        try:
            return written(datetime.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if rule.type == "choice":
        return str(value).replace("_", " ").capitalize()
    return str(value)


def _detail_rows(filing, kind) -> list[dict]:
    details = filing.details if isinstance(filing.details, dict) else {}
    rules = list(kind.fields) if kind else []
    rows = [
        {"label": rule.label, "value": _detail_value(rule, details.get(rule.name))}
        for rule in rules
    ]
    known = {rule.name for rule in rules}
    rows += [
        {"label": name, "value": _detail_value(None, value)}
        for name, value in details.items()
        if name not in known
    ]
    return rows


@agency_view
def filing_detail(request, access, filing):
    filing = access.filing(filing)
    try:
        kind = filing.kind_rules
    except UnknownKind:
        kind = None
    contract = ContractDetails.objects.filter(filing=filing).select_related("vendor").first()
    can_edit = kind is not None and access.allows(filing, Action.EDIT)
    return render(
        request,
        "submissions/filings/detail.html",
        {
            "access": access,
            "filing": filing,
            "kind": kind,
            "technologies": filing.technologies.all(),
            "summary": render_markdown(filing.summary),
            "detail_rows": _detail_rows(filing, kind),
            "contract": contract,
            "shows_contract": contract is not None or (kind and kind.requires_contract_details),
            "can_edit": can_edit,
            "problems": check_filing(filing) if can_edit else [],
        },
    )


def _not_editable(request, access, filing, reason):
    return render(
        request,
        "submissions/filings/not_editable.html",
        {"access": access, "filing": filing, "reason": reason},
        status=403,
    )


@agency_view
def filing_edit(request, access, filing):
    filing = access.filing(filing)
    refusal = access.refusal(filing, Action.EDIT)
    try:
        kind = filing.kind_rules
    except UnknownKind:
        return _not_editable(
            request,
            access,
            filing,
            _(
                "This filing's kind (%(kind)s) is no longer in the rulebook; "
                "ask oversight staff what to do with it."
            )
            % {"kind": filing.kind},
        )
    if refusal and request.method != "POST":
        return _not_editable(request, access, filing, refusal)

    def form_for(data=None, based_on=filing):
        return FilingForm(data, kind=kind, agency=access.agency, filing=based_on)

    context = {"access": access, "filing": filing, "kind": kind}
    previews, status = {}, 200
    if request.method == "POST":
        form = form_for(request.POST)
        valid = form.is_valid()
        if refusal:
            form.add_error(None, _("Nothing was saved. %(refusal)s") % {"refusal": refusal})
            status = 403
        elif request.POST.get("action") == PREVIEW:
            previews = _markdown_previews(form)
            context["previewing"] = True
        elif not valid:
            status = 400
        else:
            try:
                saved = save_draft(form, access, filing, timezone.localdate())
            except StaleFiling as stale:
                form, status = _refuse_stale(form, request.POST, access, stale.current, context)
            else:
                if not saved.contract_missing:
                    messages.success(request, _saved_message(saved.filing))
                    return _see_other(_filing_url("filing_edit", access, saved.filing))
                messages.warning(
                    request,
                    _(
                        "%(saved)s The contract details were not saved: they can be saved only "
                        "when every contract field is filled in. Still needed: %(missing)s. "
                        "What you typed is still in the form below; it will be lost if you "
                        "leave this page without saving it complete."
                    )
                    % {
                        "saved": _saved_message(saved.filing),
                        "missing": ", ".join(saved.contract_missing),
                    },
                )
                context["filing"] = saved.filing
                context["contract_missing"] = saved.contract_missing
                form = _rebound(form, request.POST, saved.filing)
    else:
        held = take_held_form(request, {request.path})
        form = form_for(held)
        if held is not None:
            messages.warning(request, HELD_MESSAGE)
            form.is_valid()

    context.update(
        {
            "form": form,
            "sections": form.sections(previews),
            "contract_labels": CONTRACT_FIELDS,
            "problems": check_filing(context["filing"]),
        }
    )
    return render(request, "submissions/filings/edit.html", context, status=status)


def _refuse_stale(form, data, access, current, context):
    """The form again with what was typed, unsaved, and why: someone saved first."""
    refusal = access.refusal(current, Action.EDIT)
    if refusal:
        form.add_error(None, _("Nothing was saved. %(refusal)s") % {"refusal": refusal})
        return form, 403
    context["filing"] = current
    context["stale_since"] = current.updated_at
    # Based on the newer version now: saving again, after the warning, is a choice.
    return _rebound(form, data, current), 409


urlpatterns = [
    path("<slug:agency>/filings/new/", filing_new, name="filing_new"),
    path("<slug:agency>/filings/<int:filing>/", filing_detail, name="filing_detail"),
    path("<slug:agency>/filings/<int:filing>/edit/", filing_edit, name="filing_edit"),
]
