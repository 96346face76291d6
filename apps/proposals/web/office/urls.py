"""Routes of the proposal office and leadership pages, under /proposals/ (namespace
`proposals`): everything under `office/`, and leadership's `key/`."""

from django.urls import URLPattern, path

from .views import actions, board, leadership, lists, queues, settings, stats

urlpatterns: list[URLPattern] = [
    # Pages
    path("office/", queues.office_home, name="office"),
    path("office/review/", queues.queue, {"name": "review"}, name="office_review"),
    path("office/transfers/", queues.queue, {"name": "transfers"}, name="office_transfers"),
    path("office/assign/", board.board, name="office_assign"),
    path("office/returns/", queues.queue, {"name": "returns"}, name="office_returns"),
    path("office/extensions/", queues.queue, {"name": "extensions"}, name="office_extensions"),
    path("office/replies/", queues.queue, {"name": "replies"}, name="office_replies"),
    path("office/overdue/", queues.queue, {"name": "overdue"}, name="office_overdue"),
    path("office/proposals/", lists.proposal_list, name="office_list"),
    path("office/proposals/export/", lists.proposal_export, name="office_export"),
    path("office/stats/", stats.stats, name="office_stats"),
    path("office/settings/", settings.settings_page, name="office_settings"),
    path("office/settings/categories/", settings.category_save, name="office_category_save"),
    path("key/", leadership.key, name="key"),
    # Actions on one proposal (POST; 并案 also GET for the search)
    path("office/<int:pk>/accept/", actions.accept, name="office_accept"),
    path("office/<int:pk>/reject/", actions.reject, name="office_reject"),
    path("office/<int:pk>/transfer/", actions.transfer, name="office_transfer"),
    path("office/<int:pk>/merge/", actions.merge, name="office_merge"),
    path("office/<int:pk>/assign/", actions.assign, name="office_assign_proposal"),
    path("office/<int:pk>/add-unit/", actions.add_unit, name="office_add_unit"),
    path("office/<int:pk>/close/", actions.close, name="office_close"),
    path("office/<int:pk>/nominate/", actions.nominate_excellent, name="office_nominate"),
    path(
        "office/assignments/<int:assignment_id>/return/approve/",
        actions.return_approve,
        name="office_return_approve",
    ),
    path(
        "office/assignments/<int:assignment_id>/return/refuse/",
        actions.return_refuse,
        name="office_return_refuse",
    ),
    path(
        "office/assignments/<int:assignment_id>/extension/approve/",
        actions.extension_approve,
        name="office_extension_approve",
    ),
    path(
        "office/assignments/<int:assignment_id>/extension/refuse/",
        actions.extension_refuse,
        name="office_extension_refuse",
    ),
    path(
        "office/replies/<int:reply_id>/approve/",
        actions.reply_approve,
        name="office_reply_approve",
    ),
    path("office/replies/<int:reply_id>/reject/", actions.reply_reject, name="office_reply_reject"),
    path("key/<int:pk>/mark/", actions.key_mark, name="key_mark"),
    path("key/<int:pk>/unmark/", actions.key_unmark, name="key_unmark"),
    path("key/<int:pk>/excellent/", actions.excellent_decide, name="key_excellent"),
]
