from django.urls import path

from . import views

app_name = "guidance"

urlpatterns = [
    path("guide/", views.guide_index, name="index"),
    path("guide/checklist/", views.checklist, name="checklist"),
    path("guide/checklist.csv", views.checklist, {"fmt": "csv"}, name="checklist-csv"),
    path("guide/<slug:stage>/", views.stage_detail, name="stage"),
    path("guide/<slug:stage>/checklist/", views.checklist, name="stage-checklist"),
    path(
        "guide/<slug:stage>/checklist.csv",
        views.checklist,
        {"fmt": "csv"},
        name="stage-checklist-csv",
    ),
    path("guide/<slug:stage>/<slug:topic>/", views.topic_detail, name="topic"),
    path("glossary/", views.glossary, name="glossary"),
    path("whats-new/", views.whats_new, name="whats-new"),
    path("whats-new/feed/", views.ChangesFeed(), name="whats-new-feed"),
]
