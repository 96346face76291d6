"""The submitter's pages and the report page every role shares (mounted at /opinions/)."""

from django.urls import URLPattern, path

from .views import detail, drafting, lists

urlpatterns: list[URLPattern] = [
    path("", lists.mine, name="mine"),
    path("new/", drafting.new, name="new"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/edit/", drafting.edit, name="edit"),
    path("<int:pk>/autosave/", drafting.autosave, name="autosave"),
    path("<int:pk>/submit/", drafting.submit, name="submit"),
    path("<int:pk>/delete/", drafting.delete_draft, name="delete_draft"),
    path("<int:pk>/attachments/", drafting.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/remove/",
        drafting.attachment_remove,
        name="attachment_remove",
    ),
    path("attachments/<int:attachment_id>/", detail.attachment, name="attachment"),
    path("referrals/<int:referral_id>/letter/", detail.reply_letter, name="reply_letter"),
    path("<int:pk>/coauthors/search/", drafting.coauthor_search, name="coauthor_search"),
    path("<int:pk>/coauthors/add/", drafting.coauthor_add, name="coauthor_add"),
    path(
        "<int:pk>/coauthors/<int:contributor_id>/remove/",
        drafting.coauthor_remove,
        name="coauthor_remove",
    ),
]
