from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("home/<slug:role>/", views.home, name="home_role"),
    path("leadership/", include("apps.dashboards.leadership.urls")),
    path("annual-reports/", include("apps.dashboards.reports.urls")),
]
