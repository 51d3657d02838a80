"""Page-number pagination whose bad page numbers and sizes get a 400 that says what to send."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def _positive_integer(raw: str, name: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ValidationError({name: [f"{name} must be a whole number of 1 or more."]})
    return int(raw)


class PublicPagination(PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = _positive_integer(raw, self.page_size_query_param)
        if size > self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"page_size can be at most {self.max_page_size}."]}
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None:
            _positive_integer(raw, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)
