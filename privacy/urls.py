from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("export/", views.desk_export, name="export"),
    path("erase/", views.desk_erase, name="erase"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/<str:token>/", views.download, name="download"),
]
