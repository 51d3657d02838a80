"""The search page's query string, validated: bad values get a plain message, never a 500."""

import re

from django import forms
from django.core.exceptions import ValidationError

from search.results import SORTS

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
YEAR = re.compile(r"^(19|20)\d\d$")
MAX_PAGE = 500
PER_PAGE = 20


class ValuesField(forms.MultipleChoiceField):
    """Repeated query-string values (?agency=a&agency=b), each matching a pattern."""

    def __init__(self, pattern, what, **kwargs):
        self.pattern, self.what = pattern, what
        super().__init__(required=False, **kwargs)

    def valid_value(self, value):
        return bool(self.pattern.match(value))

    def validate(self, value):
        if len(value) > 20:
            raise ValidationError(f"Choose at most 20 {self.what} values.")
        for item in value:
            if not self.valid_value(item):
                raise ValidationError(f"{item[:40]!r} is not a valid {self.what}.")


class QueryField(forms.CharField):
    """Control characters (NUL included) are dropped, not refused: the words still count."""

    def to_python(self, value):
        text = super().to_python(value)
        return "".join(char for char in text if char.isprintable() or char in " \t")


class SearchForm(forms.Form):
    q = QueryField(required=False, label="Search filings and documents")
    agency = ValuesField(SLUG, "agency")
    technology = ValuesField(SLUG, "technology")
    vendor = ValuesField(SLUG, "vendor")
    kind = ValuesField(SLUG, "kind")
    year = ValuesField(YEAR, "year")
    sort = forms.ChoiceField(
        required=False,
        choices=[(sort, sort.capitalize()) for sort in SORTS],
        error_messages={"invalid_choice": "Sort by relevance, newest or oldest."},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        error_messages={
            "invalid": "The page must be a whole number.",
            "min_value": "The page must be 1 or more.",
            "max_value": f"Results stop at page {MAX_PAGE}; narrow the search instead.",
        },
    )

    def filters(self) -> dict[str, tuple[str, ...]]:
        return {
            name: tuple(self.cleaned_data[name])
            for name in ("agency", "technology", "vendor", "kind", "year")
            if self.cleaned_data[name]
        }
