"""The filing form, built from a filing kind in the rulebook, and saving it as a draft.

Saving a draft never requires anything: a draft may be incomplete, and the submit
check (content.filings.completeness) says what is still missing. Whatever is typed
must still be valid, so a draft never holds a value the record could not keep.
"""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.compliance.obligations import obligations_for_agency
from content.filings.completeness import CONTRACT_FIELDS
from content.filings.models import ContractDetails, Filing
from content.inventory.models import InventoryEntry
from content.rulebook.rules import FieldRule, Kind
from content.technologies.models import Technology
from content.vendors.models import Vendor
from submissions.access import EDITABLE
from submissions.dates import written

TITLE_MAX_CHARACTERS = Filing._meta.get_field("title").max_length
MARKDOWN_MAX_CHARACTERS = 50_000
TEXT_MAX_CHARACTERS = 1_000
FUNDING_SOURCE_MAX_CHARACTERS = ContractDetails._meta.get_field("funding_source").max_length
LARGEST_COUNT = 1_000_000_000
AMOUNT_MAX_DIGITS = ContractDetails._meta.get_field("amount").max_digits
AMOUNT_DECIMAL_PLACES = ContractDetails._meta.get_field("amount").decimal_places
CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")

# Field names match the names content.filings.completeness gives problems, so a
# problem's link (#id_<name>) on the submit page lands on its field here.
CONTRACT_PREFIX = "contract."
LOADED_VERSION_FIELD = "loaded_updated_at"
GENERAL_FIELD_NAMES = frozenset(
    {
        LOADED_VERSION_FIELD,
        "title",
        "summary",
        "technologies",
        "reporting_period_start",
        "reporting_period_end",
    }
)


def _required(label) -> str:
    return _("%(label)s (required to submit)") % {"label": label}


def detail_field_name(rule: FieldRule) -> str:
    """The form field of a rulebook field; renamed only if a rulebook reuses a general name."""
    return f"detail_{rule.name}" if rule.name in GENERAL_FIELD_NAMES else rule.name


class DateInput(forms.DateInput):
    """The browser's date picker where there is one; a text box taking YYYY-MM-DD elsewhere."""

    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class CurrencyField(forms.CharField):
    """An ISO 4217 code; typed in lower case is fine."""

    def to_python(self, value):
        return super().to_python(value).upper()

    def validate(self, value):
        super().validate(value)
        if value and not CURRENCY_PATTERN.match(value):
            raise forms.ValidationError(
                _("Use a three-letter ISO 4217 currency code, e.g. USD."), code="invalid"
            )


def _escape_percent(text) -> str:
    # Error messages are %-formatted with their parameters.
    return str(text).replace("%", "%%")


# The messages below are %-formatted twice: here with the field's label, then by Django
# with the validator's parameters, which are written %%(...) so the first pass keeps them.


def _text_errors(label, limit: int) -> dict:
    label = _escape_percent(label)
    return {
        "max_length": _("%(label)s can be at most %(limit)s characters; it has %%(show_value)d.")
        % {"label": label, "limit": f"{limit:,}"},
        "null_characters_not_allowed": _("%(label)s contains a null character; remove it.")
        % {"label": label},
    }


def _number_errors(label, *, whole: bool) -> dict:
    params = {"label": _escape_percent(label)}
    invalid = (
        _("%(label)s must be a whole number.")
        if whole
        else _("%(label)s must be an amount, e.g. 1250.00.")
    )
    return {
        "invalid": invalid % params,
        "min_value": _("%(label)s cannot be negative.") % params,
        "max_value": _("%(label)s can be at most %%(limit_value)s.") % params,
        "max_digits": _("%(label)s can have at most %%(max)s digits.") % params,
        "max_decimal_places": _("%(label)s can have at most %%(max)s digits after the point.")
        % params,
        "max_whole_digits": _("%(label)s is too large.") % params,
    }


def _date_field(label, name_in_errors, help_text="") -> forms.DateField:
    message = _("%(name)s must be a date, written YYYY-MM-DD.") % {
        "name": _escape_percent(name_in_errors)
    }
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=DateInput(),
        error_messages={"invalid": message},
    )


def _choice_label(choice: str) -> str:
    return choice.replace("_", " ").capitalize()


def _rulebook_field(rule: FieldRule) -> forms.Field:
    label = _required(rule.label) if rule.required else rule.label
    common = {"label": label, "required": False, "help_text": rule.help}
    if rule.type == "markdown":
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 8}),
            max_length=MARKDOWN_MAX_CHARACTERS,
            error_messages=_text_errors(rule.label, MARKDOWN_MAX_CHARACTERS),
            **common,
        )
    if rule.type == "date":
        return _date_field(label, rule.label, rule.help)
    if rule.type == "integer":
        return forms.IntegerField(
            min_value=0,
            max_value=LARGEST_COUNT,
            error_messages=_number_errors(rule.label, whole=True),
            **common,
        )
    if rule.type == "decimal":
        return forms.DecimalField(
            min_value=0,
            max_digits=AMOUNT_MAX_DIGITS,
            decimal_places=AMOUNT_DECIMAL_PLACES,
            error_messages=_number_errors(rule.label, whole=False),
            **common,
        )
    if rule.type == "choice":
        return forms.ChoiceField(
            choices=[("", _("Not chosen yet"))] + [(c, _choice_label(c)) for c in rule.choices],
            error_messages={
                "invalid_choice": _("Choose one of the listed options for %(label)s.")
                % {"label": _escape_percent(rule.label)}
            },
            **common,
        )
    return forms.CharField(
        max_length=TEXT_MAX_CHARACTERS,
        error_messages=_text_errors(rule.label, TEXT_MAX_CHARACTERS),
        **common,
    )


def _stored_detail(rule: FieldRule, value):
    """A cleaned form value as it is kept in Filing.details (JSON)."""
    if rule.type == "date":
        return value.isoformat()
    if rule.type == "decimal":
        return str(value)
    return value


def _is_blank(value) -> bool:
    return value is None or value == "" or value == []


def version_token(filing: Filing) -> str:
    """What the form carries to tell which saved version it was loaded from."""
    return filing.updated_at.isoformat()


@dataclass(frozen=True)
class FieldSection:
    """A group of fields shown under one legend, each with its Markdown preview if asked."""

    name: str
    legend: str
    rows: list


class FilingForm(forms.Form):
    """Every field a filing of `kind` has, limited to what `agency`'s inventory holds.

    With `starting=True` only what identifies the filing (title, technologies,
    reporting period) is asked, to create the draft the full form then edits.
    """

    def __init__(
        self, *args, kind: Kind, agency, filing: Filing | None = None, starting=False, **kwargs
    ):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.agency = agency
        self.filing = filing
        self.starting = starting
        self.fields[LOADED_VERSION_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False
        )
        self.fields["title"] = forms.CharField(
            label=_required(_("Title")),
            max_length=TITLE_MAX_CHARACTERS,
            required=False,
            help_text=_(
                "As the public will see it, e.g. "
                "“Annual surveillance report: Automated license plate readers, 2026”."
            ),
            error_messages=_text_errors(_("Title"), TITLE_MAX_CHARACTERS),
        )
        if not starting:
            self.fields["summary"] = forms.CharField(
                label=_("Summary"),
                widget=forms.Textarea(attrs={"rows": 5}),
                max_length=MARKDOWN_MAX_CHARACTERS,
                required=False,
                help_text=_("A short summary for the public, in Markdown."),
                error_messages=_text_errors(_("Summary"), MARKDOWN_MAX_CHARACTERS),
            )
        technologies = _("Technologies")
        self.fields["technologies"] = forms.ModelMultipleChoiceField(
            label=_required(technologies) if kind.requires_technology else technologies,
            queryset=self._technology_choices(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("The technologies in %(agency)s's inventory this filing is about.")
            % {"agency": agency.name},
            error_messages={
                "invalid_choice": _(
                    "Technology %%(value)s is not in %(agency)s's inventory; choose from the list."
                )
                % {"agency": _escape_percent(agency.name)},
                "invalid_pk_value": _("“%(pk)s” is not a technology; choose from the list."),
                "invalid_list": _("Choose technologies from the list."),
            },
        )
        if kind.requires_reporting_period:
            self.fields["reporting_period_start"] = _date_field(
                _required(_("Start")), _("The reporting period's start")
            )
            self.fields["reporting_period_end"] = _date_field(
                _required(_("End")), _("The reporting period's end")
            )
        if starting:
            return
        for rule in kind.fields:
            self.fields[detail_field_name(rule)] = _rulebook_field(rule)
        if kind.requires_contract_details:
            self._add_contract_fields()
        self._set_initial()

    def _technology_choices(self):
        in_inventory = Q(
            pk__in=InventoryEntry.objects.filter(agency=self.agency).values("technology_id")
        )
        # A technology already on the filing stays offered, so saving never drops it quietly.
        if self.filing is not None:
            in_inventory |= Q(pk__in=self.filing.technologies.values("pk"))
        return Technology.objects.filter(in_inventory)

    def _vendor_choices(self):
        in_inventory = Q(
            pk__in=InventoryEntry.objects.filter(agency=self.agency).values("vendor_id")
        )
        if self.filing is not None:
            in_inventory |= Q(
                pk__in=ContractDetails.objects.filter(filing=self.filing).values("vendor_id")
            )
        return Vendor.objects.filter(in_inventory)

    def _add_contract_fields(self):
        labels = {name: _required(label) for name, label in CONTRACT_FIELDS.items()}
        self.fields[CONTRACT_PREFIX + "vendor"] = forms.ModelChoiceField(
            label=labels["vendor"],
            queryset=self._vendor_choices(),
            required=False,
            empty_label=_("Choose a vendor"),
            help_text=_("Vendors in %(agency)s's inventory.") % {"agency": self.agency.name},
            error_messages={
                "invalid_choice": _(
                    "That vendor is not in %(agency)s's inventory; choose one from the list."
                )
                % {"agency": _escape_percent(self.agency.name)}
            },
        )
        self.fields[CONTRACT_PREFIX + "amount"] = forms.DecimalField(
            label=labels["amount"],
            required=False,
            min_value=0,
            max_digits=AMOUNT_MAX_DIGITS,
            decimal_places=AMOUNT_DECIMAL_PLACES,
            help_text=_("The total value of the contract, e.g. 125000.00."),
            error_messages=_number_errors(CONTRACT_FIELDS["amount"], whole=False),
        )
        self.fields[CONTRACT_PREFIX + "currency"] = CurrencyField(
            label=labels["currency"],
            required=False,
            initial="USD",
            help_text=_("A three-letter ISO 4217 code, e.g. USD."),
        )
        for name in ("period_start", "period_end"):
            self.fields[CONTRACT_PREFIX + name] = _date_field(labels[name], CONTRACT_FIELDS[name])
        self.fields[CONTRACT_PREFIX + "funding_source"] = forms.CharField(
            label=labels["funding_source"],
            required=False,
            max_length=FUNDING_SOURCE_MAX_CHARACTERS,
            help_text=_("e.g. General Fund, a named federal grant."),
            error_messages=_text_errors(
                CONTRACT_FIELDS["funding_source"], FUNDING_SOURCE_MAX_CHARACTERS
            ),
        )
        self.fields[CONTRACT_PREFIX + "award_date"] = _date_field(
            labels["award_date"], CONTRACT_FIELDS["award_date"]
        )

    def _set_initial(self):
        filing = self.filing
        if filing is None or self.is_bound:
            return
        self.initial.update(
            {
                LOADED_VERSION_FIELD: version_token(filing),
                "title": filing.title,
                "summary": filing.summary,
                "technologies": list(filing.technologies.values_list("pk", flat=True)),
                "reporting_period_start": filing.reporting_period_start,
                "reporting_period_end": filing.reporting_period_end,
            }
        )
        details = filing.details if isinstance(filing.details, dict) else {}
        for rule in self.kind.fields:
            self.initial[detail_field_name(rule)] = details.get(rule.name)
        if self.kind.requires_contract_details:
            contract = ContractDetails.objects.filter(filing=filing).first()
            if contract is not None:
                for name in CONTRACT_FIELDS:
                    attribute = "vendor_id" if name == "vendor" else name
                    self.initial[CONTRACT_PREFIX + name] = getattr(contract, attribute)

    def clean(self):
        cleaned = super().clean()
        self._check_order(
            "reporting_period_start",
            "reporting_period_end",
            _("The reporting period must end on or after its start (%(start)s)."),
        )
        self._check_order(
            CONTRACT_PREFIX + "period_start",
            CONTRACT_PREFIX + "period_end",
            _("The contract period must end on or after its start (%(start)s)."),
        )
        return cleaned

    def _check_order(self, start_name, end_name, message):
        start = self.cleaned_data.get(start_name)
        end = self.cleaned_data.get(end_name)
        if start and end and end < start:
            self.add_error(end_name, message % {"start": written(start)})

    def loaded_version(self) -> datetime.datetime | None:
        raw = self.cleaned_data.get(LOADED_VERSION_FIELD) or ""
        try:
            return datetime.datetime.fromisoformat(raw)
        except ValueError:
            return None

    def markdown_field_names(self) -> list[str]:
        if self.starting:
            return []
        details = [detail_field_name(rule) for rule in self.kind.fields if rule.type == "markdown"]
        return ["summary", *details]

    def sections(self, previews: dict[str, SafeString] | None = None) -> list[FieldSection]:
        """The fields in the groups the page shows them in, each row (field, preview)."""
        previews = previews or {}

        def section(name, legend, field_names):
            rows = [
                (self[field], previews.get(field)) for field in field_names if field in self.fields
            ]
            return FieldSection(name, legend, rows)

        general = ["title", "summary", "technologies"]
        groups = [section("general", _("About this filing"), general)]
        if self.kind.requires_reporting_period:
            period = ["reporting_period_start", "reporting_period_end"]
            groups.append(section("period", _("Reporting period"), period))
        if not self.starting:
            if self.kind.fields:
                details = [detail_field_name(rule) for rule in self.kind.fields]
                groups.append(section("details", self.kind.label, details))
            if self.kind.requires_contract_details:
                contract = [CONTRACT_PREFIX + name for name in CONTRACT_FIELDS]
                groups.append(section("contract", _("Contract details"), contract))
        return groups

    def filing_values(self) -> dict:
        """The Filing columns this form sets, from its cleaned data."""
        data = self.cleaned_data
        values = {"title": data["title"]}
        if not self.starting:
            values["summary"] = data["summary"]
            kept = (
                self.filing.details if self.filing and isinstance(self.filing.details, dict) else {}
            )
            # Keys the rulebook no longer defines are kept: the submit check names them.
            details = {key: value for key, value in kept.items() if self.kind.field(key) is None}
            for rule in self.kind.fields:
                value = data.get(detail_field_name(rule))
                if not _is_blank(value):
                    details[rule.name] = _stored_detail(rule, value)
            values["details"] = details
        if self.kind.requires_reporting_period:
            values["reporting_period_start"] = data["reporting_period_start"]
            values["reporting_period_end"] = data["reporting_period_end"]
        return values

    def contract_values(self) -> dict:
        """The contract fields filled in, by ContractDetails attribute."""
        values = {}
        for name in CONTRACT_FIELDS:
            value = self.cleaned_data.get(CONTRACT_PREFIX + name)
            if not _is_blank(value):
                values[name] = value
        return values


class DescribedRadioSelect(forms.RadioSelect):
    """Radio buttons, each described by the element with id "<its id>_description"."""

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        if option["attrs"].get("id"):
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_description"
        return option


class KindChoiceForm(forms.Form):
    """Which kind of filing to start, from the rulebook."""

    kind = forms.ChoiceField(
        label=gettext_lazy("What are you filing?"),
        widget=DescribedRadioSelect,
        error_messages={
            "required": gettext_lazy("Choose what you are filing."),
            "invalid_choice": gettext_lazy(
                "That is not a kind of filing this ordinance has; choose one from the list."
            ),
        },
    )

    def __init__(self, *args, kinds: list[Kind], **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.slug, kind.label) for kind in kinds]


class StaleFiling(Exception):
    """The filing changed after the form was loaded; nothing was saved."""

    def __init__(self, current: Filing):
        super().__init__(f"filing {current.pk} changed at {current.updated_at}")
        self.current = current


@dataclass(frozen=True)
class SavedDraft:
    filing: Filing
    # Labels of the contract fields still needed before the contract details could be
    # saved; empty when they were saved, or when none were typed.
    contract_missing: tuple[str, ...] = ()


def due_date_for(agency, kind: Kind, technologies, period_end, today) -> datetime.date | None:
    """The rulebook's due date for this filing, from the obligation it answers, if any."""
    technology_ids = {technology.pk for technology in technologies}
    dates = [
        obligation.due_on
        for obligation in obligations_for_agency(agency, today)
        if obligation.kind.slug == kind.slug
        and obligation.technology.pk in technology_ids
        and obligation.due_on
        and (
            obligation.reporting_year is None
            or (period_end is not None and period_end.year == obligation.reporting_year)
        )
    ]
    return min(dates, default=None)


def _save_contract(form: FilingForm, filing: Filing) -> tuple[str, ...]:
    values = form.contract_values()
    typed = set(values) - {"currency"}
    if not typed:
        ContractDetails.objects.filter(filing=filing).delete()
        return ()
    missing = tuple(str(label) for name, label in CONTRACT_FIELDS.items() if name not in values)
    if missing:
        return missing
    ContractDetails.objects.update_or_create(filing=filing, defaults=values)
    return ()


def create_draft(form: FilingForm, access, today) -> SavedDraft:
    """A new draft of the form's kind, from a valid starting form."""
    technologies = form.cleaned_data["technologies"]
    values = form.filing_values()
    due_on = due_date_for(
        access.agency, form.kind, technologies, values.get("reporting_period_end"), today
    )
    with transaction.atomic():
        filing = Filing.objects.create(
            kind=form.kind.slug,
            agency=access.agency,
            created_by=access.user,
            due_on=due_on,
            **values,
        )
        filing.technologies.set(technologies)
    return SavedDraft(filing)


def save_draft(form: FilingForm, access, filing: Filing, today) -> SavedDraft:
    """Save a valid form over `filing`, unless the filing changed since the form was loaded.

    The update only matches the version the form was loaded from, so of two saves
    racing from the same version exactly one wins; the other raises StaleFiling.
    """
    technologies = form.cleaned_data["technologies"]
    values = form.filing_values()
    due_on = due_date_for(
        access.agency,
        form.kind,
        technologies,
        values.get("reporting_period_end", filing.reporting_period_end),
        today,
    )
    if due_on is not None:
        values["due_on"] = due_on
    loaded = form.loaded_version()
    with transaction.atomic():
        updated = (
            access.filings()
            .filter(pk=filing.pk, updated_at=loaded, status__in=EDITABLE)
            .update(updated_at=timezone.now(), **values)
            if loaded is not None
            else 0
        )
        if updated != 1:
            raise StaleFiling(access.filing(filing.pk))
        filing = access.filing(filing.pk)
        filing.technologies.set(technologies)
        contract_missing = (
            _save_contract(form, filing) if form.kind.requires_contract_details else ()
        )
    return SavedDraft(filing, contract_missing)
