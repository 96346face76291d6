"""Study pages, mounted at /study/: the member's side, 学习园地 (reading/) and the 委员联络处's
(office/)."""

from django.urls import URLPattern, path

from .web import groups, member, office, plan, reading

app_name = "study"
urlpatterns: list[URLPattern] = [
    path("", member.mine, name="mine"),
    path("<int:pk>/write/", member.write, name="write"),
    path("<int:pk>/autosave/", member.autosave, name="autosave"),
    path("groups/", groups.mine, name="groups"),
    path("groups/<int:pk>/", groups.group, name="group"),
    path("groups/<int:pk>/books/", groups.group_book, name="group_book"),
    path("groups/<int:pk>/sharings/", groups.group_sharing, name="group_sharing"),
    path("office/groups/", groups.office_groups, name="office_groups"),
    path("office/groups/<int:pk>/", groups.office_group, name="office_group"),
    path("plan/", plan.plan, name="plan"),
    path("office/plan/", plan.office_plan, name="office_plan"),
    path("office/plan/<int:pk>/done/", plan.office_plan_done, name="office_plan_done"),
    path("office/plan/<int:pk>/remove/", plan.office_plan_remove, name="office_plan_remove"),
    path("reading/", reading.index, name="reading"),
    path("reading/compilations/<int:pk>/", reading.compilation, name="reading_compilation"),
    path(
        "reading/compilations/<int:pk>/<str:fmt>/",
        reading.compilation_download,
        name="reading_compilation_download",
    ),
    path("reading/articles/<int:pk>/", reading.article, name="reading_article"),
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
        "office/compilations/<int:pk>/publish/",
        office.compilation_publish,
        name="compilation_publish",
    ),
    path("office/texts/<int:pk>/article/", office.article_publish, name="article_publish"),
    path(
        "office/compilations/<int:pk>/<str:fmt>/",
        office.compilation_download,
        name="compilation_download",
    ),
]
