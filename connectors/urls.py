from django.urls import path

from . import views

app_name = "connectors"

urlpatterns = [
    path("", views.data_sources, name="data_sources"),
    path("shops/", views.shop_add, name="shop_add"),
    path("upload/", views.upload, name="upload"),
    path("template.<str:fmt>", views.template_download, name="template"),
    path("sources/<int:pk>/sync/", views.sync_now, name="sync_now"),
    path("sources/<int:pk>/currency/", views.currency_set, name="currency_set"),
    path("runs/<int:pk>/", views.run_status, name="run_status"),
]
