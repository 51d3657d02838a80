"""Reading the query string of a public page: known values only, else a plain refusal."""

from collections.abc import Iterable

from django.core.paginator import Page, Paginator


class BadQuery(ValueError):
    """A query-string value the page does not understand; the message says what it takes."""


def one_of(query, name: str, allowed: Iterable[str], default: str) -> str:
    """The single value of `name`, which must be one of `allowed`; `default` when absent."""
    allowed = list(allowed)
    values = query.getlist(name)
    if len(values) > 1:
        raise BadQuery(f"Give “{name}” once; this address gives it {len(values)} times.")
    if not values or not values[0]:
        return default
    if values[0] not in allowed:
        raise BadQuery(
            f"“{values[0]}” is not a value “{name}” can take. Use one of: {', '.join(allowed)}."
        )
    return values[0]


def page_of(query, items: list, per_page: int) -> Page:
    """The page the query asks for (1 when absent), refusing numbers outside the list."""
    paginator = Paginator(items, per_page)
    values = query.getlist("page")
    if len(values) > 1:
        raise BadQuery(f"Give “page” once; this address gives it {len(values)} times.")
    raw = values[0] if values and values[0] else "1"
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= paginator.num_pages:
        raise BadQuery(f"There is no page “{raw}”; the pages run from 1 to {paginator.num_pages}.")
    return paginator.page(int(raw))
