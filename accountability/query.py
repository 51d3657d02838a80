"""Reading the query string of a public page: known values only, else a plain refusal."""

from collections.abc import Iterable

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext, ngettext


class BadQuery(ValueError):
    """A query-string value the page does not understand; the message says what it takes."""


def given_more_than_once(name: str, times: int) -> BadQuery:
    return BadQuery(
        ngettext(
            "Give “%(name)s” once; this address gives it %(times)d time.",
            "Give “%(name)s” once; this address gives it %(times)d times.",
            times,
        )
        % {"name": name, "times": times}
    )


def one_of(query, name: str, allowed: Iterable[str], default: str) -> str:
    """The single value of `name`, which must be one of `allowed`; `default` when absent."""
    allowed = list(allowed)
    values = query.getlist(name)
    if len(values) > 1:
        raise given_more_than_once(name, len(values))
    if not values or not values[0]:
        return default
    if values[0] not in allowed:
        raise BadQuery(
            gettext("“%(value)s” is not a value “%(name)s” can take. Use one of: %(allowed)s.")
            % {"value": values[0], "name": name, "allowed": ", ".join(allowed)}
        )
    return values[0]


def page_of(query, items: list, per_page: int) -> Page:
    """The page the query asks for (1 when absent), refusing numbers outside the list."""
    paginator = Paginator(items, per_page)
    values = query.getlist("page")
    if len(values) > 1:
        raise given_more_than_once("page", len(values))
    raw = values[0] if values and values[0] else "1"
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= paginator.num_pages:
        raise BadQuery(
            gettext("There is no page “%(page)s”; the pages run from 1 to %(last)d.")
            % {"page": raw, "last": paginator.num_pages}
        )
    return paginator.page(int(raw))
