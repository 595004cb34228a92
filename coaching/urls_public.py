"""The calendar feeds (``/calendar/``): the same address in every language, opened by calendar programs."""

from django.urls import path

from . import views

app_name = "coaching_public"

urlpatterns = [
    path("<str:token>.ics", views.calendar_feed, name="feed"),
]
