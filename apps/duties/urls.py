"""Duty pages, mounted at /duties/: the member's (我的履职档案, 履职档案, 履职备案), the
委员联络处's and leadership's (scores, a member's year, the verification queue, warnings) and the
rule pages."""

from django.urls import path

from .web import member, rules, staff

app_name = "duties"
urlpatterns = [
    path("", member.mine, name="mine"),
    path("archive/", member.archive, name="archive"),
    path("archive/<int:membership_id>/", member.archive, name="archive_of"),
    path("filings/new/", member.filing_new, name="filing_new"),
    path("filings/<int:pk>/", member.filing_detail, name="filing"),
    path("filings/<int:pk>/edit/", member.filing_edit, name="filing_edit"),
    path("filings/<int:pk>/withdraw/", member.filing_withdraw_view, name="filing_withdraw"),
    path("filings/<int:pk>/verify/", staff.filing_verify_view, name="filing_verify"),
    path("filings/<int:pk>/reject/", staff.filing_reject_view, name="filing_reject"),
    path("evidence/<int:pk>/", member.evidence_download, name="evidence"),
    path("office/", staff.scores, name="office"),
    path("scores/", staff.scores, name="scores"),
    path("scores/export/", staff.scores_export, name="scores_export"),
    path("office/queue/", staff.queue, name="queue"),
    path("office/settings/", staff.settings_page, name="settings"),
    path("members/<int:membership_id>/<int:year>/", staff.member_year, name="member_year"),
    path("warnings/", staff.warnings, name="warnings"),
    path("warnings/<int:pk>/", staff.warning_detail, name="warning"),
    path("warnings/rules/", staff.warning_rules, name="warning_rules"),
    path("warnings/rules/<int:rule_id>/", staff.warning_rules, name="warning_rule"),
    path("rules/", rules.rule_sets, name="rules"),
    path("rules/types/", rules.activity_type_new, name="activity_type_new"),
    path("rules/<int:pk>/", rules.rule_set_detail, name="rule_set"),
    path("rules/<int:pk>/<str:action>/", rules.rule_set_action, name="rule_set_action"),
    path("years/<int:year>/progress/", rules.year_progress, name="year_progress"),
    path("years/<int:year>/<str:action>/", rules.year_action, name="year_action"),
]
