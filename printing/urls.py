from django.urls import path

from . import views

app_name = "printing"

# Kinds are checked by the view (printing.documents.KINDS): an unknown one is a 404.
urlpatterns = [
    path("print/", views.print_guide, name="guide"),
    path("print/<slug:stage>/", views.print_stage, name="stage"),
    path("pdf/<slug:kind>.pdf", views.pdf, name="pdf"),
    path("pdf/<slug:kind>/<slug:key>.pdf", views.pdf, name="pdf-key"),
]
