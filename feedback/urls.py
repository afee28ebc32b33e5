from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("feedback/", views.vote, name="vote"),
    path("feedback/more/", views.comment, name="comment"),
    path("feedback/thanks/", views.thanks, name="thanks"),
]
