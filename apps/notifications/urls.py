from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("badge/", views.badge, name="badge"),
    path("preferences/", views.preferences, name="preferences"),
]
