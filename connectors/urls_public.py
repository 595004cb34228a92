"""Addresses the platforms post to (no language prefix, no session): the webhooks."""

from django.urls import path

from . import views

app_name = "connectors_public"

urlpatterns = [
    path("webhooks/<str:token>/", views.webhook, name="webhook"),
]
