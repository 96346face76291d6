"""The leadership dashboard, mounted at /leadership/ (namespace `leadership`)."""

from django.urls import path

from . import views

app_name = "leadership"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("screen/", views.screen, name="screen"),
    path("print/", views.print_view, name="print"),
    path("data.json", views.data, name="data"),
    path("drill/", views.drill, name="drill"),
    path("refresh/", views.refresh, name="refresh"),
]
