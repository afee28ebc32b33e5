"""Case-study index (filters, pagination), detail page and Atom feed."""

from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from buyingguide.middleware import page_cache_uses
from buyingguide.origin import absolute_url

from .countries import COUNTRIES
from .models import CaseStudy
from .selectors import (
    case_studies_filtered,
    case_study_filters,
    case_study_for_reader,
    case_study_neighbours,
    filter_options,
)

PAGE_SIZE = 12
FILTER_NAMES = ("stage", "topic", "note", "theme", "country")


def _filter_value(name, value):
    if name in ("topic", "note"):
        return value.key
    if name in ("stage", "theme"):
        return value.slug
    return value


def _filter_label(name, value):
    if name == "country":
        return COUNTRIES[value]
    if name == "note":
        return f"{value.code} {value.title}"
    return value.name if name == "theme" else value.title


def index(request):
    filters = case_study_filters(request.GET)
    paginator = Paginator(case_studies_filtered(filters), PAGE_SIZE)
    try:
        # A page past the end (or not a number) is no page: 404, not the last page again.
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404 from error
    active = []
    for name, value in filters.items():
        remaining = QueryDict(mutable=True)
        for other, other_value in filters.items():
            if other != name:
                remaining[other] = _filter_value(other, other_value)
        active.append(
            {
                "name": name,
                "label": _filter_label(name, value),
                "remove_query": remaining.urlencode(),
            }
        )
    query = QueryDict(mutable=True)
    for name, value in filters.items():
        query[name] = _filter_value(name, value)
    canonical = query.copy()
    if "page" in request.GET:
        canonical["page"] = str(page.number)
    response = render(
        request,
        "casestudies/index.html",
        {
            "page": page,
            "paginator": paginator,
            "filters": {name: _filter_value(name, value) for name, value in filters.items()},
            "active_filters": active,
            "filter_query": query.urlencode(),
            "options": filter_options(),
        },
    )
    return page_cache_uses(
        response,
        names=(*FILTER_NAMES, "page"),
        query=urlencode(sorted(canonical.items())),
    )


def detail(request, slug):
    """The public page; staff also see drafts and scheduled ones here, as a preview."""
    case = case_study_for_reader(slug=slug, user=request.user)
    if case.is_visible:
        newer, older = case_study_neighbours(case)
        return render(
            request, "casestudies/detail.html", {"case": case, "newer": newer, "older": older}
        )
    response = render(
        request,
        "casestudies/detail.html",
        {
            "case": case,
            "preview": True,
            "change_url": reverse("admin:casestudies_casestudy_change", args=[case.pk]),
        },
    )
    # Never stored by a cache or a search engine: it is not public (yet).
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class CaseStudyFeed(Feed):
    """Links and ids from the configured origin (SITE_URL), never from the Host header."""

    feed_type = Atom1Feed
    title = _("Digital Buying Guide: case studies")
    subtitle = _("New case studies of buying digital, data and technology in the public sector.")

    def link(self):
        return absolute_url(reverse("casestudies:index"))

    def feed_url(self):
        return absolute_url(reverse("casestudies:feed"))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def items(self):
        return CaseStudy.objects.published()[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom's <summary type="html"> is read as HTML: the plain-text summary is escaped
        # so "<", "&" or a typed tag are shown as written, never run by a feed reader.
        return escape(item.summary)

    def item_pubdate(self, item):
        # No date when the source gives none: Atom's <published> is optional.
        return _as_datetime(item.published_on) if item.published_on else None

    def item_updateddate(self, item):
        # The file's own `updated:` date in the feed's language; an admin-made one its save.
        return _as_datetime(item.updated_on) if item.updated_on else item.updated_at


def _as_datetime(day):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time.min))
