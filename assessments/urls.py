from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("assessments/", views.index, name="index"),
    path("assessments/<slug:slug>/", views.detail, name="detail"),
    path("assessments/<slug:slug>/step/<int:step>/", views.step, name="step"),
    path("assessments/<slug:slug>/step/<int:step>/answer/", views.step_submit, name="step-submit"),
    path("assessments/<slug:slug>/step/<int:step>/<str:token>/", views.step, name="step-state"),
    path("assessments/<slug:slug>/result/<str:token>/", views.result, name="result"),
    path("assessments/<slug:slug>/result/<str:token>/csv/", views.result_csv, name="result-csv"),
    path("assessments/<slug:slug>/compare/<str:token>/", views.compare_start, name="compare-start"),
    path(
        "assessments/<slug:slug>/compare/<str:earlier>/<str:later>/",
        views.compare,
        name="compare",
    ),
]
