"""Dates and times as the reader's language writes them: "March 15, 2026", "15 de marzo de 2026".

Each format the portal uses is named by how it reads in English and translated like any
other string, so a catalogue can change the order of day, month and year, not only the
month's name.
"""

from django.utils import dateformat, formats
from django.utils.translation import pgettext_lazy

FORMATS = {
    "F j, Y, g:i a": pgettext_lazy("date format", "F j, Y, g:i a"),
    "F j, Y, g:i a T": pgettext_lazy("date format", "F j, Y, g:i a T"),
    "F j, Y, g:i:s a T": pgettext_lazy("date format", "F j, Y, g:i:s a T"),
    "j F Y, g:i a": pgettext_lazy("date format", "j F Y, g:i a"),
    "j F Y, g:i a T": pgettext_lazy("date format", "j F Y, g:i a T"),
    "l j F Y": pgettext_lazy("date format", "l j F Y"),
    "l, F j, Y": pgettext_lazy("date format", "l, F j, Y"),
}


def written(value, english_format: str | None = None) -> str:
    """`value` (a date or datetime; "" for none) in the active language's version of the format;
    without a format, the language's own date format (portal/formats)."""
    if value in (None, ""):
        return ""
    if english_format is None:
        return formats.date_format(value)
    return dateformat.format(value, str(FORMATS[english_format]))
