from django.urls import path

from . import views

app_name = "toolkit"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("open/", views.open_tool, name="open_tool"),
    path("targets/add/", views.target_add, name="target_add"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("export/<str:table>.<str:fmt>", views.export, name="export"),
    path("<str:tool>/", views.tool_page, name="tool"),
]
