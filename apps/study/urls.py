"""Study pages, mounted at /study/: the member's side and the 委员联络处's (office/)."""

from django.urls import URLPattern, path

from .web import member, office

app_name = "study"
urlpatterns: list[URLPattern] = [
    path("", member.mine, name="mine"),
    path("<int:pk>/write/", member.write, name="write"),
    path("<int:pk>/autosave/", member.autosave, name="autosave"),
    path("office/", office.request_list, name="office"),
    path("office/new/", office.request_new, name="request_new"),
    path("office/requests/<int:pk>/", office.request_detail, name="request"),
    path("office/requests/<int:pk>/close/", office.request_close, name="request_close"),
    path("office/texts/<int:pk>/", office.submission_edit, name="submission"),
    path("office/texts/<int:pk>/adopt/", office.submission_adopt, name="submission_adopt"),
    path("office/compilations/", office.compilations, name="compilations"),
    path("office/compilations/<int:pk>/", office.compilation_detail, name="compilation"),
    path("office/compilations/<int:pk>/order/", office.compilation_order, name="compilation_order"),
    path(
        "office/compilations/<int:pk>/<str:fmt>/",
        office.compilation_download,
        name="compilation_download",
    ),
]
