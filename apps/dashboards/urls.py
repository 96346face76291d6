from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("home/<slug:role>/", views.home, name="home_role"),
]
