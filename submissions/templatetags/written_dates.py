"""{{ value|written:"F j, Y, g:i a" }}: a date in the reader's language's order.

See submissions.dates."""

from django import template

from submissions import dates

register = template.Library()


@register.filter(expects_localtime=True)
def written(value, english_format=None):
    return dates.written(value, english_format)
