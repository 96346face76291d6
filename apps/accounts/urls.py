from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("activate/", views.activate_code, name="activate"),
    path("activate/<str:token>/", views.activate_link, name="activate_link"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:user_id>/", views.user_detail, name="user_detail"),
    # allauth self-service flows that the 政协机关 handles instead (these paths come before
    # allauth's own in zhengxie/urls.py, so they take their place).
    path("phone/change/", views.closed_notice, {"topic": "phone"}, name="phone_change_closed"),
    path(
        "password/reset/",
        views.closed_notice,
        {"topic": "password_reset"},
        name="password_reset_closed",
    ),
    path("email/", views.email_redirect, name="email_closed"),
]
