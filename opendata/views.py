"""The open-data page and its downloads. None takes options: an address with any is refused."""

import functools

from django.conf import settings
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from opendata.archive import stream_archive
from opendata.atlas import ATLAS_HEADER, ATLAS_TECHNOLOGY, atlas_rows
from opendata.csv_stream import streamed_csv
from opendata.datasets import DATASETS, DATASETS_BY_SLUG
from opendata.ocds import (
    DEFAULT_OCDS_PREFIX,
    NoContractsPublished,
    ocds_prefix,
    release_package,
)


def takes_no_options(view):
    """Answer 400, saying so, when the address carries a query string the view cannot use."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.GET:
            return render(
                request,
                "accountability/bad_query.html",
                {
                    "message": gettext(
                        "The downloads take no options; this address gives “%(options)s”. "
                        "Every download holds the whole list."
                    )
                    % {"options": ", ".join(request.GET)}
                },
                status=400,
            )
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@takes_no_options
def index(request):
    return render(
        request,
        "opendata/index.html",
        {
            "datasets": DATASETS,
            "atlas_header": ATLAS_HEADER,
            "atlas_technologies": ATLAS_TECHNOLOGY.items(),
            "ocds_prefix": ocds_prefix(),
            "prefix_is_placeholder": ocds_prefix() == DEFAULT_OCDS_PREFIX,
        },
    )


@require_GET
@takes_no_options
def dataset_csv(request, slug):
    dataset = DATASETS_BY_SLUG[slug]
    return streamed_csv(
        dataset.header, dataset.rows(request.build_absolute_uri), f"{dataset.slug}.csv"
    )


@require_GET
@takes_no_options
def dataset_json(request, slug):
    dataset = DATASETS_BY_SLUG[slug]
    rows = dataset.rows(request.build_absolute_uri)
    # A download is the same file at either language's address, like the CSV and the archive.
    with translation.override(settings.LANGUAGE_CODE):
        return JsonResponse(
            {
                "dataset": dataset.slug,
                "title": dataset.title,
                "columns": [
                    {"name": c.name, "type": c.type, "meaning": c.meaning} for c in dataset.columns
                ],
                "rows": [dict(zip(dataset.header, row, strict=True)) for row in rows],
            },
            json_dumps_params={"ensure_ascii": False},
        )


@require_GET
@takes_no_options
def inventory_atlas_csv(request):
    return streamed_csv(
        list(ATLAS_HEADER), atlas_rows(request.build_absolute_uri), "inventory.atlas.csv"
    )


@require_GET
@takes_no_options
def contracts_ocds(request):
    try:
        package = release_package(request.build_absolute_uri)
    except NoContractsPublished as nothing:
        return JsonResponse({"error": str(nothing)}, status=404)
    response = JsonResponse(package, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="contracts.ocds.json"'
    return response


@require_GET
@takes_no_options
def published_record(request):
    response = StreamingHttpResponse(
        stream_archive(request.build_absolute_uri), content_type="application/zip"
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="published-record-{day}.zip"'
    return response
