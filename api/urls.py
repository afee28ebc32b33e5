"""/api/v1/: a list and a detail address per kind, the schema, the export, and a JSON 404."""

from django.urls import path, re_path

from . import problems, views
from .kinds import KINDS

app_name = "api"


def _detail_route(kind):
    return "v1/" + kind.name + "/" + "/".join(f"<str:{name}>" for name in kind.lookups) + "/"


urlpatterns = [
    path("v1/", views.RootView.as_view(), name="root"),
    path("v1/schema/", views.SchemaView.as_view(), name="schema"),
    path("v1/export/<str:language>.zip", views.ExportView.as_view(), name="export"),
]
for _kind in KINDS:
    urlpatterns += [
        path(f"v1/{_kind.name}/", views.list_view(_kind), name=f"{_kind.name}-list"),
        path(_detail_route(_kind), views.detail_view(_kind), name=f"{_kind.name}-detail"),
    ]
# Anything else under /api/ is a problem-details 404, never the HTML page.
urlpatterns += [re_path(r"^.*$", problems.not_found)]
