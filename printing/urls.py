from django.urls import path

from . import views

app_name = "printing"

# Kinds are checked by the view (printing.documents.KINDS): an unknown one is a 404.
urlpatterns = [
    path("print/", views.print_guide, name="guide"),
    # Before the stages': a fixed name no stage takes.
    path("print/project-proposals/", views.print_proposals, name="proposals"),
    path("print/<slug:stage>/", views.print_stage, name="stage"),
    path("pdf/<slug:kind>.pdf", views.pdf, name="pdf"),
    # A key with a slash: a self-assessment result (`<instrument>/<token>`); each kind
    # checks its own keys (documents.resolve).
    path("pdf/<slug:kind>/<path:key>.pdf", views.pdf, name="pdf-key"),
]
