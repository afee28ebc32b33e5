from django.urls import path

from . import views

app_name = "proposals"

# Fixed pages first: no component may be called "checklist" and the like (the loader
# refuses those folder names).
urlpatterns = [
    path("project-proposals/", views.index, name="index"),
    path("project-proposals/checklist/", views.checklist, name="checklist"),
    path("project-proposals/checklist.csv", views.checklist, {"fmt": "csv"}, name="checklist-csv"),
    path("project-proposals/summary-of-recommendations/", views.summary, name="summary"),
    path(
        "project-proposals/critical-success-factors/",
        views.success_factors_view,
        name="success-factors",
    ),
    path(
        "project-proposals/critical-success-factors.csv",
        views.success_factors_view,
        {"fmt": "csv"},
        name="success-factors-csv",
    ),
    path("project-proposals/<slug:component>/", views.component_detail, name="component"),
    path(
        "project-proposals/<slug:component>/checklist/",
        views.checklist,
        name="component-checklist",
    ),
    path(
        "project-proposals/<slug:component>/checklist.csv",
        views.checklist,
        {"fmt": "csv"},
        name="component-checklist-csv",
    ),
    path("project-proposals/<slug:component>/<slug:note>/", views.note_detail, name="note"),
]
