from django.urls import path

from .views import conveners, duties, member, roster, roster_io

app_name = "members"
urlpatterns = [
    path("", roster.roster, name="roster"),
    path("export/", roster.export, name="export"),
    path("new/", member.create, name="create"),
    path("me/", member.my_profile, name="my_profile"),
    path("<int:pk>/", member.detail, name="detail"),
    path("<int:pk>/edit/", member.edit, name="edit"),
    path("<int:pk>/unmask/", member.unmask, name="unmask"),
    path("import/", roster_io.roster_import, name="import"),
    path("import/confirm/", roster_io.roster_import_confirm, name="import_confirm"),
    path("import/template/", roster_io.roster_import_template, name="import_template"),
    path("contact-duties/", duties.contact_duties, name="contact_duties"),
    path("contact-duties/<int:pk>/delete/", duties.contact_duty_delete, name="contact_duty_delete"),
    path("conveners/", conveners.conveners, name="conveners"),
    path("conveners/<int:pk>/delete/", conveners.convener_delete, name="convener_delete"),
]
