from django.urls import path

from . import views

app_name = "toolkit"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("open/", views.open_tool, name="open_tool"),
]
