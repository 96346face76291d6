"""Consultation pages, mounted at /consultations/."""

from django.urls import URLPattern, path

from . import (
    affairs,
    checkin,
    courses,
    detail,
    duties,
    exports,
    feeds,
    member,
    online,
    plans,
    settings,
    staff,
)

app_name = "consultations"
urlpatterns: list[URLPattern] = [
    # Members
    path("", member.mine, name="mine"),
    path("calendar/", member.my_calendar, name="my_calendar"),
    path("calendar/feed/new/", feeds.create, name="feed_create"),
    path("calendar/feed/revoke/", feeds.revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", feeds.feed, name="feed"),
    path("meetings/<int:pk>/", detail.detail, name="detail"),
    path("meetings/<int:pk>/answer/", member.answer, name="answer"),
    path("meetings/<int:pk>/signup/", member.sign_up, name="sign_up"),
    path("meetings/<int:pk>/leave/", member.ask_leave, name="ask_leave"),
    path("leave/<int:leave_id>/withdraw/", member.leave_withdraw, name="leave_withdraw"),
    path("materials/<int:material_id>/", member.material_download, name="material"),
    # Leave approvers
    path("leave/", member.leave_queue, name="leave_queue"),
    path("leave/<int:leave_id>/<str:decision>/", member.leave_decide, name="leave_decide"),
    # Check-in
    path("c/<int:meeting_id>/<str:token>/", checkin.scan, name="scan"),
    path("checkin/t/<str:key>/", checkin.ticket, name="ticket"),
    path("checkin/code/", checkin.code, name="checkin_code"),
    # 会务 staff
    path("office/", staff.office, name="office"),
    path("office/calendar/", staff.calendar, name="office_calendar"),
    path("office/settings/", settings.settings_page, name="settings"),
    path("office/settings/venues/", settings.venue_add, name="venue_add"),
    path("office/settings/forms/", settings.form_add, name="form_add"),
    path("office/meetings/new/", staff.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/edit/", staff.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/step/<str:step>/", staff.meeting_step, name="meeting_step"),
    path("meetings/<int:pk>/cancel/", staff.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/reschedule/", staff.meeting_reschedule, name="meeting_reschedule"),
    path("meetings/<int:pk>/invitees/", staff.meeting_invitees, name="meeting_invitees"),
    path("meetings/<int:pk>/invitees/add/", staff.meeting_invitees_add, name="invitees_add"),
    path("meetings/<int:pk>/materials/", staff.material_upload, name="material_upload"),
    path(
        "meetings/<int:pk>/materials/<int:material_id>/remove/",
        staff.material_remove,
        name="material_remove",
    ),
    path(
        "meetings/<int:pk>/attendance/<int:invitation_id>/checkin/",
        staff.manual_checkin,
        name="manual_checkin",
    ),
    path(
        "meetings/<int:pk>/attendance/<int:invitation_id>/status/",
        staff.attendance_set,
        name="attendance_set",
    ),
    path("meetings/<int:pk>/speeches/", staff.speech_record, name="speech_record"),
    path("meetings/<int:pk>/outcomes/", staff.outcome_record, name="outcome_record"),
    path(
        "meetings/<int:pk>/outcomes/<int:outcome_id>/sent/",
        staff.outcome_sent,
        name="outcome_sent",
    ),
    path(
        "meetings/<int:pk>/outcomes/<int:outcome_id>/follow-up/",
        staff.follow_up,
        name="follow_up",
    ),
    path("meetings/<int:pk>/screen/", checkin.screen, name="screen"),
    path("meetings/<int:pk>/attendance.xlsx", exports.attendance_xlsx, name="attendance_xlsx"),
    path("meetings/<int:pk>/attendance/print/", exports.attendance_print, name="attendance_print"),
    path("meetings/<int:pk>/notice.docx", exports.notice_docx, name="notice_docx"),
    # 码上商量
    path("online/", online.staff_list, name="online_list"),
    path("online/new/", online.staff_new, name="online_new"),
    path("online/<int:pk>/", online.staff_detail, name="online_detail"),
    path("online/<int:pk>/moderate/", online.moderate, name="online_moderate"),
    path("online/<int:pk>/comments.xlsx", online.export, name="online_export"),
    path("online/<int:pk>/poster.pdf", online.poster, name="online_poster"),
    path("s/<str:key>/", online.public, name="public"),
    # 委员工作室 and 接待日
    path("office/studios/", duties.studio_list, name="studios"),
    path("office/studios/<int:pk>/", duties.studio_detail, name="studio"),
    path("duties/slots/<int:slot_id>/record/", duties.slot_record, name="slot_record"),
    path("duties/swaps/<int:swap_id>/<str:decision>/", duties.swap_decide, name="swap_decide"),
    path("duties/", duties.my_duties, name="my_duties"),
    path("duties/slots/<int:slot_id>/swap/", duties.swap_ask, name="swap_ask"),
    # The plenary's 会务
    path("meetings/<int:pk>/affairs/", affairs.affairs, name="affairs"),
    path("meetings/<int:pk>/affairs/seats/", affairs.seats, name="affairs_seats"),
    path("meetings/<int:pk>/affairs/swap/", affairs.swap, name="affairs_swap"),
    path("meetings/<int:pk>/affairs/groups/", affairs.groups, name="affairs_groups"),
    path(
        "meetings/<int:pk>/affairs/<int:invitation_id>/",
        affairs.arrangement,
        name="affairs_arrangement",
    ),
    path(
        "meetings/<int:pk>/affairs/print/<str:sheet>/", affairs.affairs_print, name="affairs_print"
    ),
    path("meetings/<int:pk>/guide/", affairs.guide, name="guide"),
    # Courses (学习培训)
    path("courses/", courses.mine, name="courses_mine"),
    path("courses/office/", courses.office, name="courses_office"),
    path("courses/new/", courses.create, name="course_create"),
    path("courses/<int:pk>/", courses.detail, name="course"),
    path("courses/<int:pk>/edit/", courses.edit, name="course_edit"),
    path("courses/<int:pk>/audience/", courses.audience, name="course_audience"),
    path("courses/<int:pk>/sessions/", courses.session_add, name="course_session_add"),
    path(
        "courses/<int:pk>/sessions/<int:session_id>/remove/",
        courses.session_remove,
        name="course_session_remove",
    ),
    path("courses/<int:pk>/step/<str:step>/", courses.step, name="course_step"),
    path("courses/<int:pk>/signup/", courses.sign_up, name="course_sign_up"),
    # Plans
    path("plans/", plans.plan_list, name="plans"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("plans/<int:pk>/topics/", plans.topic_save, name="topic_add"),
    path("plans/<int:pk>/topics/<int:topic_id>/", plans.topic_save, name="topic_edit"),
    path("plans/<int:pk>/topics/<int:topic_id>/delete/", plans.topic_delete, name="topic_delete"),
    path("plans/<int:pk>/step/<str:step>/", plans.plan_step, name="plan_step"),
    path("plans/<int:pk>/plan.docx", plans.plan_docx, name="plan_docx"),
]
