"""The API's views (thin: services build, http caches and answers) and the developers page."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, serializers
from rest_framework.views import APIView

from guidance.content import valid_slug

from . import http
from .export import export_zip
from .kinds import KINDS
from .kinds.base import SUPPORTED_LANGUAGES, Kind, request_base_url
from .pagination import MAX_PAGE, MAX_PAGE_SIZE, PAGE_SIZE, page_parameters, paginate
from .problems import CONTENT_TYPE
from .services import LICENCE_NAME, LICENCE_URL, dumps, serialize

MAX_QUERY_STRING = 2000


class UriTooLong(exceptions.APIException):
    status_code = 414
    default_detail = f"The query string is longer than {MAX_QUERY_STRING} characters."


class ProblemSerializer(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(required=False)


PROBLEM = OpenApiResponse(ProblemSerializer, description="Problem details (RFC 9457).")
ERRORS = {(code, CONTENT_TYPE): PROBLEM for code in (400, 404, 405, 406, 414, 429, 500)}
NOT_MODIFIED = OpenApiResponse(description="Not modified (conditional request).")
LANG = OpenApiParameter(
    "lang",
    str,
    enum=list(SUPPORTED_LANGUAGES),
    default="en",
    description="Language of the text; untranslated fields fall back to English and are "
    "named in each item's `fallback`.",
)


class ApiView(APIView):
    def initial(self, request, *args, **kwargs):
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            raise UriTooLong()
        super().initial(request, *args, **kwargs)


class KindListView(ApiView):
    kind: Kind

    def get(self, request):
        kind = self.kind
        language = http.requested_language(request.GET)
        number, size = page_parameters(request.GET)
        read = {"lang", "page", "page_size", *kind.filters}
        base = request_base_url(request)

        def build():
            queryset = kind.queryset()
            if kind.apply_filters:
                queryset = kind.apply_filters(queryset, request.GET)
            items, count, pages = paginate(queryset, number, size)

            def link(page):
                if not 1 <= page <= pages:
                    return None
                query = {n: request.GET[n] for n in sorted(read) if request.GET.get(n)}
                query["page"] = str(page)
                return base + request.path + "?" + "&".join(f"{k}={v}" for k, v in query.items())

            return dumps(
                {
                    "language": language,
                    "count": count,
                    "page": number,
                    "pages": pages,
                    "page_size": size,
                    "next": link(number + 1),
                    "previous": link(number - 1),
                    "results": serialize(
                        kind=kind, objects=items, language=language, base_url=base
                    ),
                }
            )

        return http.respond(request, http.cached(request, build, language=language))


class KindDetailView(ApiView):
    kind: Kind

    def get(self, request, **lookups):
        kind = self.kind
        language = http.requested_language(request.GET)
        if not all(valid_slug(value) for value in lookups.values()):
            raise exceptions.NotFound("No published item has this id.")
        base = request_base_url(request)

        def build():
            queryset = kind.queryset()
            if kind.find:
                queryset = kind.find(queryset, lookups)
            else:
                queryset = queryset.filter(slug=lookups["slug"])
            found = queryset.first()
            if found is None:
                raise exceptions.NotFound("No published item has this id.")
            return dumps(serialize(kind=kind, objects=[found], language=language, base_url=base)[0])

        return http.respond(request, http.cached(request, build, language=language))


def _paginated(kind: Kind):
    name = kind.serializer.__name__.removesuffix("Serializer")
    return type(
        f"Paginated{name}ListSerializer",
        (serializers.Serializer,),
        {
            "language": serializers.ChoiceField(choices=list(SUPPORTED_LANGUAGES)),
            "count": serializers.IntegerField(),
            "page": serializers.IntegerField(),
            "pages": serializers.IntegerField(),
            "page_size": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": kind.serializer(many=True),
        },
    )


def list_view(kind: Kind):
    parameters = [
        LANG,
        OpenApiParameter(
            "page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            description="Page number, from 1.",
        ),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            description=f"Items per page, 1–{MAX_PAGE_SIZE} (default {PAGE_SIZE}).",
        ),
        *(
            OpenApiParameter(name, {"type": "string", "pattern": pattern}, description=text)
            for name, (text, pattern) in kind.filters.items()
        ),
    ]

    def get(self, request):
        return KindListView.get(self, request)

    view = type(f"{kind.serializer.__name__}ListView", (KindListView,), {"kind": kind})
    view.get = extend_schema(
        operation_id=f"{kind.name.replace('-', '_')}_list",
        summary=f"List {kind.name}",
        description=kind.description,
        tags=[kind.name],
        parameters=parameters,
        responses={200: _paginated(kind), 304: NOT_MODIFIED, **ERRORS},
    )(get)
    return view.as_view()


def detail_view(kind: Kind):
    parameters = [
        LANG,
        *(OpenApiParameter(name, str, OpenApiParameter.PATH) for name in kind.lookups),
    ]

    def get(self, request, **lookups):
        return KindDetailView.get(self, request, **lookups)

    view = type(f"{kind.serializer.__name__}DetailView", (KindDetailView,), {"kind": kind})
    view.get = extend_schema(
        operation_id=f"{kind.name.replace('-', '_')}_detail",
        summary=f"One of {kind.name}",
        tags=[kind.name],
        parameters=parameters,
        responses={200: kind.serializer, 304: NOT_MODIFIED, **ERRORS},
    )(get)
    return view.as_view()


class RootView(ApiView):
    @extend_schema(
        operation_id="api_root",
        summary="What the API offers",
        responses={200: OpenApiTypes.OBJECT, 304: NOT_MODIFIED, **ERRORS},
    )
    def get(self, request):
        base = request_base_url(request)

        def build():
            with translation.override("en"):  # no ?lang= here: links to the English pages
                return _root(base)

        return http.respond(request, http.cached(request, build))


def _root(base):
    return dumps(
        {
            "name": "Digital Buying Guide API",
            "version": "1",
            "languages": list(SUPPORTED_LANGUAGES),
            "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
            "documentation": base + reverse("developers"),
            "schema": base + reverse("api:schema"),
            "types": [
                {
                    "name": kind.name,
                    "description": kind.description,
                    "url": base + reverse(f"api:{kind.name}-list"),
                }
                for kind in KINDS
            ],
            "export": {
                code: base + reverse("api:export", kwargs={"language": code})
                for code in SUPPORTED_LANGUAGES
            },
        }
    )


class ExportView(ApiView):
    @extend_schema(
        operation_id="export",
        summary="Everything, as a ZIP of JSON and CSV files with the licence",
        parameters=[
            OpenApiParameter("language", str, OpenApiParameter.PATH, enum=list(SUPPORTED_LANGUAGES))
        ],
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY),
            304: NOT_MODIFIED,
            **ERRORS,
        },
    )
    def get(self, request, language):
        if language not in SUPPORTED_LANGUAGES:
            raise exceptions.NotFound(
                f"No export in this language: there are {', '.join(SUPPORTED_LANGUAGES)}."
            )
        base = request_base_url(request)
        name = f"digital-buying-guide-{language}.zip"
        entry = http.cached(
            request,
            lambda: export_zip(language=language, base_url=base),
            content_type="application/zip",
            language=language,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
            compress=False,
        )
        return http.respond(request, entry)


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document, generated from the code: JSON, or YAML with ?format=yaml.

    Generated once per content version and served like the other answers (cache, ETag).
    """

    def get_renderers(self):
        wanted = "yaml" if self.request.GET.get("format") == "yaml" else "json"
        return [r for r in super().get_renderers() if r.format == wanted][:1]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        renderer, media_type = request.accepted_renderer, request.accepted_media_type

        def build():
            data = super(SchemaView, self).get(request, *args, **kwargs).data
            return renderer.render(data, media_type, self.get_renderer_context())

        return http.respond(request, http.cached(request, build, content_type=media_type))


def developers(request):
    """The human documentation page, /<lang>/developers/."""
    base = request_base_url(request)
    return render(
        request,
        "api/developers.html",
        {
            "api_base": base + reverse("api:root"),
            "schema_url": base + reverse("api:schema"),
            "kinds": KINDS,
            "language_names": settings.LANGUAGES,
            "page_size": PAGE_SIZE,
            "max_page_size": MAX_PAGE_SIZE,
            "licence_url": LICENCE_URL,
            "licence_name": LICENCE_NAME,
            "rate_limit": settings.API_RATE_LIMIT,
            "export_url": base + reverse("api:export", kwargs={"language": request.LANGUAGE_CODE}),
        },
    )
