"""The library page (filters, groups, anchors) and its CSV export."""

import csv

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from buyingguide.middleware import page_cache_uses
from guidance.spreadsheet import safe_cell

from .selectors import filter_options, resource_filters, resources_by_group, resources_filtered
from .vocabulary import GROUPS, REGIONS, TYPES


def _value(name, value):
    return value.key if name == "topic" else value


def _label(name, value):
    if name == "topic":
        return value.title
    return (TYPES if name == "type" else REGIONS)[value]


def _query(filters, leave_out=None) -> str:
    query = QueryDict(mutable=True)
    for name, value in filters.items():
        if name != leave_out:
            query[name] = _value(name, value)
    return query.urlencode()


FILTER_NAMES = ("type", "region", "topic")


def index(request):
    filters = resource_filters(request.GET)
    resources = resources_filtered(filters)
    active = [
        {"name": name, "label": _label(name, value), "remove_query": _query(filters, name)}
        for name, value in filters.items()
    ]
    response = render(
        request,
        "resources/index.html",
        {
            "groups": resources_by_group(resources),
            "count": len(resources),
            "filters": {name: _value(name, value) for name, value in filters.items()},
            "active_filters": active,
            "filter_query": _query(filters),
            "options": filter_options(),
            "nav": "resources",
        },
    )
    # The page cache keys the page by these filters, in their canonical form only.
    return page_cache_uses(
        response, names=FILTER_NAMES, query=_query(dict(sorted(filters.items())))
    )


def index_csv(request):
    filters = resource_filters(request.GET)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="resources.csv"'
    response.write("\ufeff")  # byte-order mark: spreadsheet programs then read UTF-8 right
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Title"),
            _("Publisher or author"),
            _("Year"),
            _("Type"),
            _("Region"),
            _("Languages"),
            _("Address"),
            _("Annotation"),
            _("Topics"),
            _("List"),
        ]
    )
    for resource in resources_filtered(filters):
        writer.writerow(
            [
                safe_cell(resource.title),
                safe_cell(resource.publisher),
                resource.year or "",
                TYPES[resource.kind],
                REGIONS[resource.region],
                ", ".join(str(name) for name in resource.language_names),
                resource.url,
                safe_cell(_plain(resource.annotation_html)),
                "; ".join(str(topic.title) for topic in resource.topics.all()),
                GROUPS[resource.group],
            ]
        )
    return page_cache_uses(
        response, names=FILTER_NAMES, query=_query(dict(sorted(filters.items())))
    )


def _plain(html):
    from guidance.markdown import plain_text

    return plain_text(html)
