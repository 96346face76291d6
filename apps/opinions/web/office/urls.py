"""The 社情民意信息处's and the leaders' pages (mounted at /opinions/)."""

from django.urls import URLPattern, path

from .views import bulletin, editing, outcomes, queues, screening, settings, signoff, stats

urlpatterns: list[URLPattern] = [
    # The workbench and its queues
    path("office/", queues.home, name="office"),
    path("office/queue/<slug:name>/", queues.queue, name="queue"),
    # Screening
    path("<int:pk>/screen/", screening.screen, name="screen"),
    path("<int:pk>/accept/", screening.accept, name="accept"),
    path("<int:pk>/return/", screening.return_for_revision, name="return"),
    path("<int:pk>/decline/", screening.decline, name="decline"),
    path("<int:pk>/merge/", screening.merge, name="merge"),
    # Editing and sign-off
    path("<int:pk>/editor/", editing.editor, name="editor"),
    path("<int:pk>/versions/", editing.versions, name="versions"),
    path("<int:pk>/request-signoff/", editing.request_signoff, name="request_signoff"),
    path("signoff/", signoff.signoff_list, name="signoff"),
    path("<int:pk>/sign/", signoff.sign, name="sign"),
    path("<int:pk>/send-back/", signoff.send_back, name="send_back"),
    # The bulletin
    path("issues/", bulletin.issues, name="issues"),
    path("issues/<int:issue_id>/", bulletin.issue, name="issue"),
    path("issues/<int:issue_id>/add/", bulletin.issue_add, name="issue_add"),
    path("issues/<int:issue_id>/remove/", bulletin.issue_remove, name="issue_remove"),
    path("issues/<int:issue_id>/move/", bulletin.issue_move, name="issue_move"),
    path("issues/<int:issue_id>/publish/", bulletin.issue_publish, name="issue_publish"),
    path("issues/<int:issue_id>/upward/", bulletin.issue_upward, name="issue_upward"),
    path("issues/<int:issue_id>/delete/", bulletin.issue_delete, name="issue_delete"),
    path("issues/<int:issue_id>/docx/", bulletin.issue_docx, name="issue_docx"),
    path("issues/<int:issue_id>/pdf/", bulletin.issue_pdf, name="issue_pdf"),
    path("<int:pk>/add-to-issue/", bulletin.issue_add_from_report, name="add_to_issue"),
    # Outcomes
    path("<int:pk>/adoptions/", outcomes.adoption, name="adoption"),
    path("<int:pk>/instructions/", outcomes.instruction, name="instruction"),
    path("<int:pk>/referrals/", outcomes.referral, name="referral"),
    path("referrals/<int:referral_id>/reply/", outcomes.referral_reply, name="referral_reply"),
    # Statistics and settings
    path("stats/", stats.stats, name="stats"),
    path("stats/refresh/", stats.stats_refresh, name="stats_refresh"),
    path("stats/export/", stats.stats_export, name="stats_export"),
    path("settings/", settings.settings_page, name="settings"),
    path("settings/levels/", settings.level_save, name="level_save"),
    path("settings/categories/", settings.category_save, name="category_save"),
    path("settings/units/", settings.unit_save, name="unit_save"),
    path(
        "settings/units/<int:unit_id>/liaisons/",
        settings.liaison_appoint,
        name="liaison_appoint",
    ),
    path(
        "settings/liaisons/<int:liaison_id>/release/",
        settings.liaison_release,
        name="liaison_release",
    ),
]
