"""Root URLs: language-prefixed public pages, plus the few that are language-free."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.static import serve

from api import views as api_views

from . import views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    # Cached by the page cache (keyed by content version), never stale after a publish.
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
    # The admin's language chooser (templates/admin/base_site.html) posts here.
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("api.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("developers/", api_views.developers, name="developers"),
    path("", include("guidance.urls")),
    path("", include("casestudies.urls")),
    path("", include("assessments.urls")),
    path("", include("printing.urls")),
    path("", include("proposals.urls")),
    path("", include("resources.urls")),
    path("", include("feedback.urls")),
    path("<slug:slug>/", views.static_page, name="page"),
    prefix_default_language=True,
)

# Uploaded images in development (production serves media from object storage or a proxy).
if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler404 = "buyingguide.views.page_not_found"
handler500 = "buyingguide.views.server_error"
