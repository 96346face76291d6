"""Annual reports, mounted at /annual-reports/ (namespace `annual_reports`)."""

from django.urls import path

from . import views

app_name = "annual_reports"
urlpatterns = [
    path("", views.batches, name="batches"),
    path("batches/<int:batch_id>/progress/", views.progress, name="progress"),
    path("batches/<int:batch_id>/retry/", views.retry, name="retry"),
    path("start/", views.start, name="start"),
    path("mine/", views.mine, name="mine"),
    path("export/", views.export, name="export"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/statement/", views.statement, name="statement"),
    path("summary/<int:committee_id>/<int:year>/<str:fmt>/", views.summary, name="summary"),
]
