from django.urls import path

from . import views

app_name = "casestudies"

urlpatterns = [
    path("case-studies/", views.index, name="index"),
    path("case-studies/feed/", views.CaseStudyFeed(), name="feed"),
    path("case-studies/<slug:slug>/", views.detail, name="detail"),
]
