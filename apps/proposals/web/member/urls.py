"""Member-side proposal pages and the detail page every role shares (mounted at /proposals/)."""

from django.urls import URLPattern, path

from .views import actions, detail, drafting, lists

urlpatterns: list[URLPattern] = [
    # 我的提案 and its tabs
    path("", lists.mine, name="mine"),
    path("export/", lists.mine_export, name="mine_export"),
    path("cosign/", lists.cosign_inbox, name="cosign_inbox"),
    path("ratings/", lists.ratings_due, name="ratings_due"),
    # Drafting
    path("new/", drafting.new, name="new"),
    path("<int:pk>/edit/", drafting.edit, name="edit"),
    path("<int:pk>/autosave/", drafting.autosave, name="autosave"),
    path("<int:pk>/similar/", drafting.similar, name="similar"),
    path("<int:pk>/submit/", drafting.submit, name="submit"),
    path("<int:pk>/kind/", drafting.switch_kind, name="switch_kind"),
    path("<int:pk>/delete/", drafting.delete_draft, name="delete_draft"),
    path("<int:pk>/attachments/", drafting.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/remove/",
        drafting.attachment_remove,
        name="attachment_remove",
    ),
    path("<int:pk>/cosigners/search/", drafting.cosign_search, name="cosign_search"),
    path("<int:pk>/cosigners/invite/", drafting.cosign_invite, name="cosign_invite"),
    path(
        "<int:pk>/cosigners/withdraw-pending/",
        drafting.cosign_withdraw_pending,
        name="cosign_withdraw_pending",
    ),
    path(
        "<int:pk>/cosigners/<int:cosigner_id>/withdraw/",
        drafting.cosign_withdraw,
        name="cosign_withdraw",
    ),
    # The invitee's answer
    path("cosign/<int:cosigner_id>/confirm/", actions.cosign_confirm, name="cosign_confirm"),
    path("cosign/<int:cosigner_id>/decline/", actions.cosign_decline, name="cosign_decline"),
    # The proposal page (every role), downloads, PDF
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/pdf/", detail.pdf, name="pdf"),
    path("attachments/<int:attachment_id>/", detail.attachment, name="attachment"),
    path("replies/<int:reply_id>/letter/", detail.reply_letter, name="reply_letter"),
    # After submission
    path("<int:pk>/withdraw/", actions.withdraw, name="withdraw"),
    path("<int:pk>/reopen/", actions.reopen, name="reopen"),
    path("<int:pk>/transfer/consent/", actions.transfer_consent, name="transfer_consent"),
    path("<int:pk>/transfer/refuse/", actions.transfer_refuse, name="transfer_refuse"),
    path("<int:pk>/rate/", actions.rate, name="rate"),
]
