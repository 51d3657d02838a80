"""The search page's query string, validated: bad values get a plain message, never a 500."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from search.results import SORTS

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
YEAR = re.compile(r"^(19|20)\d\d$")
MAX_PAGE = 500
PER_PAGE = 20
SORT_LABELS = {"relevance": _("Relevance"), "newest": _("Newest"), "oldest": _("Oldest")}


class ValuesField(forms.MultipleChoiceField):
    """Repeated query-string values (?agency=a&agency=b), each matching a pattern."""

    def __init__(self, pattern, what: str, **kwargs):
        """`what` names one value in the messages ("agency"), translated when shown."""
        self.pattern, self.what = pattern, what
        super().__init__(required=False, **kwargs)

    def valid_value(self, value):
        return bool(self.pattern.match(value))

    def validate(self, value):
        if len(value) > 20:
            raise ValidationError(
                gettext("Choose at most 20 %(what)s values.") % {"what": self.what}
            )
        for item in value:
            if not self.valid_value(item):
                raise ValidationError(
                    gettext("%(value)s is not a valid %(what)s.")
                    % {"value": repr(item[:40]), "what": self.what}
                )


class QueryField(forms.CharField):
    """Control characters (NUL included) are dropped, not refused: the words still count."""

    def to_python(self, value):
        text = super().to_python(value)
        return "".join(char for char in text if char.isprintable() or char in " \t")


class SearchForm(forms.Form):
    q = QueryField(required=False, label=_("Search filings and documents"))
    agency = ValuesField(SLUG, _("agency"))
    technology = ValuesField(SLUG, _("technology"))
    vendor = ValuesField(SLUG, _("vendor"))
    kind = ValuesField(SLUG, _("kind"))
    year = ValuesField(YEAR, _("year"))
    sort = forms.ChoiceField(
        required=False,
        choices=[(sort, SORT_LABELS[sort]) for sort in SORTS],
        error_messages={"invalid_choice": _("Sort by relevance, newest or oldest.")},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        error_messages={
            "invalid": _("The page must be a whole number."),
            "min_value": _("The page must be 1 or more."),
            "max_value": _("Results stop at page %(limit_value)s; narrow the search instead."),
        },
    )

    def filters(self) -> dict[str, tuple[str, ...]]:
        return {
            name: tuple(self.cleaned_data[name])
            for name in ("agency", "technology", "vendor", "kind", "year")
            if self.cleaned_data[name]
        }
