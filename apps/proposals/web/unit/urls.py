"""Handling-unit pages under /proposals/: the assigned list (unit/) and one assignment's
workspace with its actions (assignments/<id>/, the link in every notice to a unit)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("unit/", views.assigned_list, name="unit_list"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/receive/", views.receive, name="unit_receive"),
    path("assignments/<int:pk>/return/", views.request_return, name="unit_request_return"),
    path("assignments/<int:pk>/contacts/", views.add_contact, name="unit_add_contact"),
    path("assignments/<int:pk>/opinion/", views.submit_opinion, name="unit_submit_opinion"),
    path("assignments/<int:pk>/reply/", views.submit_reply, name="unit_submit_reply"),
    path("assignments/<int:pk>/extension/", views.request_extension, name="unit_request_extension"),
    path("assignments/<int:pk>/files/<str:kind>/<int:file_id>/", views.download, name="unit_file"),
]
