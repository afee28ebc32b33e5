from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("resources/", views.index, name="index"),
    path("resources.csv", views.index_csv, name="csv"),
]
