from django.urls import path

from . import views

app_name = "organisation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:committee_id>/sectors/add/", views.sector_add, name="sector_add"),
    path("sectors/<int:sector_id>/rename/", views.sector_rename, name="sector_rename"),
    path("sectors/<int:sector_id>/move/", views.sector_move_view, name="sector_move"),
    path("sectors/<int:sector_id>/active/", views.sector_set_active, name="sector_set_active"),
    path(
        "<int:committee_id>/special-committees/add/",
        views.special_committee_add,
        name="special_committee_add",
    ),
    path(
        "special-committees/<int:special_committee_id>/active/",
        views.special_committee_set_active,
        name="special_committee_set_active",
    ),
    path("<int:committee_id>/groups/add/", views.member_group_add, name="member_group_add"),
    path("<int:committee_id>/units/add/", views.handling_unit_add, name="handling_unit_add"),
    path(
        "units/<int:unit_id>/active/",
        views.handling_unit_set_active,
        name="handling_unit_set_active",
    ),
    path(
        "<int:committee_id>/plenary-sessions/add/",
        views.plenary_session_add,
        name="plenary_session_add",
    ),
]
