from django.urls import path

from . import views

app_name = "journey"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("smes/<slug:slug>/", views.sme_detail, name="sme_detail"),
    path("smes/<slug:slug>/workspace/", views.sme_workspace, name="sme_workspace"),
]
