"""The permission matrix over pages and API: every operation on a report against every persona —
submitter, co-author, other member, a liaison with no part in the report, the report
organisation's own liaison, another organisation's liaison, editor (社情民意信息处), signing
leader, leadership (a leader who is not the signer) and another committee (its member and its
editor).

The cells act on 李红梅's report with 陈志强 credited as co-author, except the two cells of the
organisation's liaisons, which act on 民盟市委's report filed by its liaison 孙伟 (with the same
co-author): 周联络, a fellow liaison of 民盟市委, acts as its submitter; 吴联络 of 九三学社市委
has no part in it.

An allowed write cell proves the effect (the state moved, the text changed, the row was written)
and the audit event, by the persona, about the report (or its issue). An allowed read cell
proves the content: the report's title (or its line in the statistics, its item in the list) is
in the body — for the .xlsx export, in the workbook opened with openpyxl. A denied cell proves
its status (403 for who may see the report but not do this, and for pages of the office and
leadership, 404 for who may not see the report) and, for reads, that the body lacks the content;
a list answering 200 without the report (WITHOUT) is how a list denies. Every cell but an
allowed write proves that nothing changed: every row of the report, credit, version, outcome,
issue, statistics, audit and outbox tables is as it was."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.core.xlsx import XLSX_CONTENT_TYPE
from apps.notifications.models import OutboxMessage
from apps.opinions import services, workflow
from apps.opinions.models import (
    Adoption,
    BulletinIssue,
    Contributor,
    ContributorKind,
    Instruction,
    OpinionReport,
    OpinionStatRow,
    OpinionStatsState,
    Referral,
    ReferralStatus,
    ReportStatus,
    ReportVersion,
    UpwardSubmission,
    VersionKind,
)
from tests.proposals.conftest import db_snapshot

from .conftest import TEXT, membership_of

pytestmark = pytest.mark.django_db

Ctx = dict[str, Any]
WATCHED = (
    OpinionReport,
    Contributor,
    ReportVersion,
    Adoption,
    Instruction,
    Referral,
    BulletinIssue,
    UpwardSubmission,
    OpinionStatsState,
    OpinionStatRow,
    AuditEvent,
    OutboxMessage,
)


@dataclass(frozen=True)
class Persona:
    fixture: str
    report: str = "member"  # "member": 李红梅's report; "unit": 民盟市委's, filed by 孙伟


PERSONAS: dict[str, Persona] = {
    "submitter": Persona("member_user"),
    "coauthor": Persona("coauthor_user"),
    "other_member": Persona("other_member_user"),
    "liaison": Persona("liaison"),
    "own_liaison": Persona("fellow_liaison", "unit"),
    "other_liaison": Persona("other_unit_liaison", "unit"),
    "editor": Persona("editor"),
    "signer": Persona("leader_user"),
    "leadership": Persona("chair_user"),
    "other_committee": Persona("district_member_user"),
    "other_editor": Persona("district_editor"),
}

# The states a report is driven to through the real workflow, in order ("returned" branches
# off after "submitted"; "in_issue" is signed and in a draft issue).
CHAIN = ("draft", "submitted", "accepted", "awaiting", "signed", "in_issue", "compiled")


def _report(build: Any, state: str, ctx: Ctx) -> OpinionReport:
    """A report in `state` by the filer in `ctx`, with the co-author credited."""
    filer = ctx["filer"]
    report = services.report_draft_create(
        user=filer, unit_id=ctx["unit_id"], category_id=build.category.pk, **TEXT
    )
    services.coauthor_add(
        user=filer, report_id=report.pk, membership_id=membership_of(build.coauthor).pk
    )
    pk, editor = report.pk, build.editor
    reach = CHAIN.index("submitted" if state == "returned" else state)
    if reach >= 1:
        workflow.report_submit(user=filer, report_id=pk)
    if state == "returned":
        workflow.report_return(user=editor, report_id=pk, reason="请补充数据来源。")
    if reach >= 2:
        workflow.report_accept(user=editor, report_id=pk)
    if reach >= 3:
        workflow.report_request_signoff(user=editor, report_id=pk, signer_id=build.leader.pk)
    if reach >= 4:
        workflow.report_sign(user=build.leader, report_id=pk)
    if reach >= 5:
        ctx["issue"] = services.issue_create(user=editor)
        services.issue_add_report(user=editor, issue_id=ctx["issue"].pk, report_id=pk)
    if reach >= 6:
        services.issue_publish(user=editor, issue_id=ctx["issue"].pk)
    return OpinionReport.objects.get(pk=pk)


@dataclass(frozen=True)
class Operation:
    state: str
    call: Callable[[Any, OpinionReport, Ctx], Any]
    # A write: what an allowed call changed, and the audit events it wrote (one each).
    effect: Callable[[OpinionReport, Ctx], bool] | None = None
    audit: tuple[str, ...] = ()
    # A read: whether the response shows the content.
    shows: Callable[[Any, OpinionReport, Ctx], bool] | None = None
    # What the operation needs besides the report (made before the snapshot).
    prepare: Callable[[Any, OpinionReport, Ctx], None] | None = None


def _fresh(report: OpinionReport) -> OpinionReport:
    return OpinionReport.objects.get(pk=report.pk)


def _post(url: str, data: dict[str, Any] | None = None) -> Callable[..., Any]:
    return lambda client, report, ctx: client.post(url.format(pk=report.pk), data or {})


def _get(name: str) -> Callable[..., Any]:
    return lambda client, report, ctx: client.get(reverse(name, args=[report.pk]))


def _api(method: str, path: str, data: dict[str, Any] | None = None) -> Callable[..., Any]:
    def call(client: Any, report: OpinionReport, ctx: Ctx) -> Any:
        url = f"/api/v1/opinions{path.format(pk=report.pk)}"
        if method == "get":
            return client.get(url)
        return getattr(client, method)(url, data or {}, content_type="application/json")

    return call


def _status_is(status: str) -> Callable[[OpinionReport, Ctx], bool]:
    return lambda report, ctx: _fresh(report).status == status


def _body(response: Any) -> str:
    """The response as text: HTML as is, JSON with its Chinese unescaped, an .xlsx workbook
    opened with openpyxl (every cell of every sheet, one row a line)."""
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    if content_type.startswith(XLSX_CONTENT_TYPE):
        workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            "\t".join("" if value is None else str(value) for value in row)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return response.content.decode()


def _shows_title(response: Any, report: OpinionReport, ctx: Ctx) -> bool:
    return report.title in _body(response)


def _shows_line(response: Any, report: OpinionReport, ctx: Ctx) -> bool:
    """The statistics page has a table line for the report's submitter (委员 李红梅, or the
    organisation 民盟市委)."""
    return f'<th scope="row" class="fw-semibold">{ctx["line"]}' in _body(response)


def _workbook_has_line(response: Any, report: OpinionReport, ctx: Ctx) -> bool:
    """The 通报 workbook has a row for the report's submitter (its first cell)."""
    if not response.get("Content-Type", "").startswith(XLSX_CONTENT_TYPE):
        return False
    return any(line.split("\t")[0] == ctx["line"] for line in _body(response).splitlines())


def _lists_it(response: Any, report: OpinionReport, ctx: Ctx) -> bool:
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    return any(item["id"] == report.pk for item in response.json().get("items", []))


def _today() -> str:
    return timezone.localdate().isoformat()


# Preparations -------------------------------------------------------------------------------


def _merge_target(build: Any, report: OpinionReport, ctx: Ctx) -> None:
    """王建国's accepted report on the same matter, to merge the cell's report into."""
    ctx["target"] = build.accepted(user=ctx["other_member"], title="关于加装电梯无人管护的问题")


def _draft_issue(build: Any, report: OpinionReport, ctx: Ctx) -> None:
    ctx["issue"] = services.issue_create(user=build.editor)


def _edited(build: Any, report: OpinionReport, ctx: Ctx) -> None:
    """The editor's version beside the submitted one, so the versions page has two to set side
    by side."""
    services.report_text_edit(
        user=build.editor,
        report_id=report.pk,
        title=report.title,
        situation=report.situation,
        analysis=report.analysis,
        suggestion=report.suggestion + "四是建立加装电梯应急维修基金。",
    )


def _referred(build: Any, report: OpinionReport, ctx: Ctx) -> None:
    ctx["referral"] = services.referral_create(
        user=build.editor,
        report_id=report.pk,
        referred_on=timezone.localdate(),
        department="市住房和城乡建设局",
    )


def _counted(build: Any, report: OpinionReport, ctx: Ctx) -> None:
    ctx["year"] = timezone.localtime(report.first_submitted_at).year
    services.opinion_stats_refresh(committee_id=report.committee_id, year=ctx["year"])


# Calls and effects that need the context -----------------------------------------------------


def _on_issue(name: str, data: Callable[[OpinionReport, Ctx], dict[str, Any]]) -> Any:
    def call(client: Any, report: OpinionReport, ctx: Ctx) -> Any:
        return client.post(reverse(name, args=[ctx["issue"].pk]), data(report, ctx))

    return call


def _merged(report: OpinionReport, ctx: Ctx) -> bool:
    fresh = _fresh(report)
    credited = set(
        Contributor.objects.filter(
            report=ctx["target"], kind=ContributorKind.MERGED, merged_from=report
        ).values_list("membership__member__user_id", flat=True)
    )
    return (
        fresh.status == ReportStatus.MERGED
        and fresh.merged_into_id == ctx["target"].pk
        and ctx["coauthor"].pk in credited
    )


def _text_edited(report: OpinionReport, ctx: Ctx) -> bool:
    fresh = _fresh(report)
    return (
        fresh.title == "关于加装电梯管护责任不清的情况反映"
        and ReportVersion.objects.filter(report=report, kind=VersionKind.EDITED).count() == 1
    )


def _published(report: OpinionReport, ctx: Ctx) -> bool:
    issue = BulletinIssue.objects.get(pk=ctx["issue"].pk)
    return issue.number is not None and _fresh(report).status == ReportStatus.COMPILED


def _sent_upward(report: OpinionReport, ctx: Ctx) -> bool:
    return (
        _fresh(report).status == ReportStatus.REPORTED
        and UpwardSubmission.objects.filter(
            issue_id=ctx["issue"].pk, target="superior_cppcc"
        ).exists()
    )


def _reply_call(client: Any, report: OpinionReport, ctx: Ctx) -> Any:
    referral = ctx["referral"]
    prefix = f"reply{referral.pk}"
    return client.post(
        reverse("opinions:referral_reply", args=[referral.pk]),
        {f"{prefix}-reply_text": "已制定加装电梯管护办法。", f"{prefix}-replied_on": _today()},
    )


def _replied(report: OpinionReport, ctx: Ctx) -> bool:
    referral = Referral.objects.get(pk=ctx["referral"].pk)
    return referral.status == ReferralStatus.REPLIED and "管护办法" in referral.reply_text


def _stats(name: str) -> Callable[..., Any]:
    return lambda client, report, ctx: client.get(f"{reverse(name)}?year={ctx['year']}")


OPERATIONS: dict[str, Operation] = {
    # The submitter's side
    "view page": Operation("submitted", _get("opinions:detail"), shows=_shows_title),
    "open the draft editor": Operation("draft", _get("opinions:edit"), shows=_shows_title),
    "save the draft": Operation(
        "draft",
        _post("/opinions/{pk}/edit/", {"title": "关于改写后标题的情况反映", "action": "save"}),
        lambda report, ctx: _fresh(report).title == "关于改写后标题的情况反映",
    ),
    "submit": Operation(
        "draft", _post("/opinions/{pk}/submit/"), _status_is("submitted"), ("opinion_submit",)
    ),
    "resubmit": Operation(
        "returned",
        _post("/opinions/{pk}/submit/"),
        lambda report, ctx: (
            _fresh(report).status == ReportStatus.SUBMITTED
            and ReportVersion.objects.filter(report=report, kind=VersionKind.RESUBMITTED).exists()
        ),
        ("opinion_resubmit",),
    ),
    "add a co-author": Operation(
        "draft",
        lambda client, report, ctx: client.post(
            reverse("opinions:coauthor_add", args=[report.pk]),
            {"membership": membership_of(ctx["other_member"]).pk},
        ),
        lambda report, ctx: Contributor.objects.filter(
            report=report, kind=ContributorKind.CO, membership=membership_of(ctx["other_member"])
        ).exists(),
        ("opinion_coauthor_add",),
    ),
    # Screening
    "accept": Operation(
        "submitted",
        lambda client, report, ctx: client.post(
            reverse("opinions:accept", args=[report.pk]), {"category": ctx["category"].pk}
        ),
        _status_is("accepted"),
        ("opinion_accept",),
    ),
    "return": Operation(
        "submitted",
        _post("/opinions/{pk}/return/", {"return-reason": "请补充。"}),
        _status_is("returned"),
        ("opinion_return",),
    ),
    "decline": Operation(
        "submitted",
        _post("/opinions/{pk}/decline/", {"decline-reason": "已有同类信息。"}),
        lambda report, ctx: (
            _fresh(report).status == ReportStatus.DECLINED
            and _fresh(report).screening_note == "已有同类信息。"
        ),
        ("opinion_decline",),
    ),
    "merge": Operation(
        "submitted",
        lambda client, report, ctx: client.post(
            reverse("opinions:merge", args=[report.pk]), {"into": ctx["target"].pk}
        ),
        _merged,
        ("opinion_merge", "opinion_merge_receive"),
        prepare=_merge_target,
    ),
    # Editing and sign-off
    "edit the text": Operation(
        "accepted",
        lambda client, report, ctx: client.post(
            reverse("opinions:editor", args=[report.pk]),
            {**TEXT, "title": "关于加装电梯管护责任不清的情况反映"},
        ),
        _text_edited,
        ("opinion_edit",),
    ),
    "versions page": Operation(
        "accepted", _get("opinions:versions"), shows=_shows_title, prepare=_edited
    ),
    "request sign-off": Operation(
        "accepted",
        lambda client, report, ctx: client.post(
            reverse("opinions:request_signoff", args=[report.pk]), {"signer": ctx["leader"].pk}
        ),
        lambda report, ctx: (
            _fresh(report).status == ReportStatus.AWAITING_SIGNOFF
            and _fresh(report).signer_id == ctx["leader"].pk
        ),
        ("opinion_request_signoff",),
    ),
    "sign": Operation(
        "awaiting", _post("/opinions/{pk}/sign/"), _status_is("signed"), ("opinion_sign",)
    ),
    "send back": Operation(
        "awaiting",
        _post("/opinions/{pk}/send-back/", {"send_back-note": "请压缩篇幅。"}),
        lambda report, ctx: (
            _fresh(report).status == ReportStatus.ACCEPTED
            and _fresh(report).signoff_note == "请压缩篇幅。"
        ),
        ("opinion_send_back",),
    ),
    # The bulletin
    "add to an issue": Operation(
        "signed",
        _on_issue("opinions:issue_add", lambda report, ctx: {"report": report.pk}),
        lambda report, ctx: _fresh(report).issue_id == ctx["issue"].pk,
        ("opinion_issue_add",),
        prepare=_draft_issue,
    ),
    "publish the issue": Operation(
        "in_issue",
        _on_issue("opinions:issue_publish", lambda report, ctx: {}),
        _published,
        ("opinion_issue_publish", "opinion_compile"),
    ),
    "record sent upward": Operation(
        "compiled",
        _on_issue(
            "opinions:issue_upward",
            lambda report, ctx: {"target": "superior_cppcc", "sent_on": _today()},
        ),
        _sent_upward,
        ("opinion_issue_upward", "opinion_report_upward"),
    ),
    # Outcomes
    "record adoption": Operation(
        "compiled",
        lambda client, report, ctx: client.post(
            reverse("opinions:adoption", args=[report.pk]),
            {"adoption-level": ctx["levels"]["省政协采用"].pk, "adoption-adopted_on": _today()},
        ),
        lambda report, ctx: Adoption.objects.filter(
            report=report, level=ctx["levels"]["省政协采用"]
        ).exists(),
        ("opinion_adoption_record",),
    ),
    "record 批示": Operation(
        "compiled",
        lambda client, report, ctx: client.post(
            reverse("opinions:instruction", args=[report.pk]),
            {
                "instruction-leader": "张副省长",
                "instruction-level": "provincial",
                "instruction-text": "请省住建厅研究。",
                "instruction-instructed_on": _today(),
            },
        ),
        lambda report, ctx: Instruction.objects.filter(
            report=report, leader="张副省长", text="请省住建厅研究。"
        ).exists(),
        ("opinion_instruction_record",),
    ),
    "record 转办": Operation(
        "compiled",
        lambda client, report, ctx: client.post(
            reverse("opinions:referral", args=[report.pk]),
            {"referral-department": "市住房和城乡建设局", "referral-referred_on": _today()},
        ),
        lambda report, ctx: Referral.objects.filter(
            report=report, department="市住房和城乡建设局", status=ReferralStatus.PENDING
        ).exists(),
        ("opinion_referral_create",),
    ),
    "record 回函": Operation(
        "compiled", _reply_call, _replied, ("opinion_referral_reply",), prepare=_referred
    ),
    # Statistics
    "statistics page": Operation(
        "compiled", _stats("opinions:stats"), shows=_shows_line, prepare=_counted
    ),
    "statistics .xlsx": Operation(
        "compiled", _stats("opinions:stats_export"), shows=_workbook_has_line, prepare=_counted
    ),
    # The API
    "api detail": Operation("submitted", _api("get", "/{pk}"), shows=_shows_title),
    "api mine": Operation("submitted", _api("get", "/mine"), shows=_lists_it),
    "api update": Operation(
        "draft",
        _api("patch", "/{pk}", {"title": "关于接口修改标题的情况反映"}),
        lambda report, ctx: _fresh(report).title == "关于接口修改标题的情况反映",
    ),
    "api submit": Operation(
        "draft", _api("post", "/{pk}/submit"), _status_is("submitted"), ("opinion_submit",)
    ),
    "api resubmit": Operation(
        "returned",
        _api("post", "/{pk}/resubmit"),
        _status_is("submitted"),
        ("opinion_resubmit",),
    ),
}

# Expected answer per operation and persona: 200/302 are the allowed cells; WITHOUT is a page or
# list answering 200 without the report (another committee's statistics, someone else's list).
OK, REDIRECT, FORBIDDEN, MISSING, WITHOUT = 200, 302, 403, 404, "200 without it"
ORDER = tuple(PERSONAS)


def _row(*cells: int | str) -> dict[str, int | str]:
    assert len(cells) == len(ORDER)
    return dict(zip(ORDER, cells, strict=True))


# fmt: off
# Columns: submitter, coauthor, other_member, liaison, own_liaison, other_liaison, editor,
#          signer, leadership, other_committee, other_editor
_SUBMITTER_DRAFT = _row(OK, FORBIDDEN, MISSING, MISSING, OK, MISSING,
                        MISSING, MISSING, MISSING, MISSING, MISSING)
_SUBMITTER_DRAFT_POST = _row(REDIRECT, FORBIDDEN, MISSING, MISSING, REDIRECT, MISSING,
                             MISSING, MISSING, MISSING, MISSING, MISSING)
# A returned report is past the draft stage: the office and leadership see it, may not revise it.
_SUBMITTER_RETURNED_POST = _row(REDIRECT, FORBIDDEN, MISSING, MISSING, REDIRECT, MISSING,
                                FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING, MISSING)
_SUBMITTER_RETURNED_API = _row(OK, FORBIDDEN, MISSING, MISSING, OK, MISSING,
                               FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING, MISSING)
_READERS = _row(OK, OK, MISSING, MISSING, OK, MISSING, OK, OK, OK, MISSING, MISSING)
# The office's pages answer 403 to everyone outside a 社情民意信息处 (before looking at the
# report); another committee's office gets 404 for a report it may not see.
_OFFICE = _row(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
               REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING)
# Only the leader the report was sent to; the leader's pages answer 403 to non-leaders.
_SIGNER = _row(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
               FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN)
# Pages of the office and leadership (403 to the rest); another committee's office gets 404 for
# this report's versions, and its own committee's statistics, without this report (WITHOUT).
_STAFF_READS = _row(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
                    OK, OK, OK, FORBIDDEN, MISSING)
_STAFF_LISTS = {**_STAFF_READS, "other_editor": WITHOUT}
_MINE = _row(OK, OK, WITHOUT, WITHOUT, OK, WITHOUT, WITHOUT, WITHOUT, WITHOUT, WITHOUT, WITHOUT)
# fmt: on

MATRIX: dict[str, dict[str, int | str]] = {
    "view page": _READERS,
    "open the draft editor": _SUBMITTER_DRAFT,
    "save the draft": _SUBMITTER_DRAFT_POST,
    "submit": _SUBMITTER_DRAFT_POST,
    "resubmit": _SUBMITTER_RETURNED_POST,
    "add a co-author": _SUBMITTER_DRAFT_POST,
    "accept": _OFFICE,
    "return": _OFFICE,
    "decline": _OFFICE,
    "merge": _OFFICE,
    "edit the text": _OFFICE,
    "versions page": _STAFF_READS,
    "request sign-off": _OFFICE,
    "sign": _SIGNER,
    "send back": _SIGNER,
    "add to an issue": _OFFICE,
    "publish the issue": _OFFICE,
    "record sent upward": _OFFICE,
    "record adoption": _OFFICE,
    "record 批示": _OFFICE,
    "record 转办": _OFFICE,
    "record 回函": _OFFICE,
    "statistics page": _STAFF_LISTS,
    "statistics .xlsx": _STAFF_LISTS,
    "api detail": _READERS,
    "api mine": _MINE,
    "api update": _SUBMITTER_DRAFT,
    "api submit": _SUBMITTER_DRAFT,
    "api resubmit": _SUBMITTER_RETURNED_API,
}
CELLS = [(op, persona) for op, row in MATRIX.items() for persona in row]


@pytest.fixture
def matrix_build(build, coauthor_user):
    build.coauthor = coauthor_user
    return build


def _audit_counts(verbs: tuple[str, ...], user: Any) -> dict[str, int]:
    return {verb: AuditEvent.objects.filter(verb=verb, actor=user).count() for verb in verbs}


@pytest.mark.parametrize(("operation", "persona"), CELLS)
def test_permission_matrix(
    operation,
    persona,
    request,
    client,
    matrix_build,
    levels,
    category,
    liaison,
    unit,
    other_member_user,
    leader_user,
):
    spec, who = OPERATIONS[operation], PERSONAS[persona]
    member_report = who.report == "member"
    ctx: Ctx = {
        "levels": levels,
        "category": category,
        "leader": leader_user,
        "coauthor": matrix_build.coauthor,
        "other_member": other_member_user,
        "filer": matrix_build.member if member_report else liaison,
        "unit_id": None if member_report else unit.pk,
        "line": "李红梅" if member_report else unit.name,
    }
    report = _report(matrix_build, spec.state, ctx)
    if spec.prepare is not None:
        spec.prepare(matrix_build, report, ctx)
        report = _fresh(report)
    user = request.getfixturevalue(who.fixture)
    expected = MATRIX[operation][persona]
    client.force_login(user)
    before = db_snapshot(*WATCHED)
    audits = _audit_counts(spec.audit, user)

    response = spec.call(client, report, ctx)

    status = OK if expected == WITHOUT else expected
    assert response.status_code == status, (operation, persona, response.status_code)
    allowed = expected in (OK, REDIRECT)
    if spec.shows is not None:
        assert spec.shows(response, report, ctx) == allowed, (operation, persona, "content")
    if allowed and spec.effect is not None:
        assert spec.effect(report, ctx), (operation, persona, "effect")
        after = _audit_counts(spec.audit, user)
        assert after == {verb: count + 1 for verb, count in audits.items()}, (operation, persona)
        ids = {str(report.pk)} | {str(ctx[k].pk) for k in ("issue", "target") if k in ctx}
        for verb in spec.audit:
            assert AuditEvent.objects.filter(verb=verb, actor=user).latest("id").object_id in ids
    else:
        assert db_snapshot(*WATCHED) == before, (operation, persona, "changed")


def test_every_cell_is_in_the_matrix():
    assert set(MATRIX) == set(OPERATIONS)
    for row in MATRIX.values():
        assert set(row) == set(PERSONAS)
    for name, spec in OPERATIONS.items():
        assert (spec.effect is None) != (spec.shows is None), name
        assert spec.state in (*CHAIN, "returned"), name


def test_liaison_files_for_the_organisation_and_other_liaisons_see_it(
    client, liaison, unit, category, member_user
):
    """A liaison files for 民盟市委; a second liaison of it sees and may revise it; a member
    with no part in it sees nothing."""
    from apps.opinions.models import InformationLiaison
    from tests.factories import UserFactory

    report = services.report_draft_create(
        user=liaison, unit_id=unit.pk, title="关于民营企业融资难的情况反映", category_id=category.pk
    )
    assert report.origin == "unit" and report.reporting_unit_id == unit.pk
    second = UserFactory(username="liaison2", name="周联络", committee=unit.committee)
    InformationLiaison.objects.create(unit=unit, user=second)
    client.force_login(second)
    assert client.get(reverse("opinions:edit", args=[report.pk])).status_code == 200
    client.force_login(member_user)
    assert client.get(reverse("opinions:detail", args=[report.pk])).status_code == 404


def test_a_member_may_not_file_for_an_organisation(member_user, unit):
    from apps.core.errors import PermissionDenied

    before = OpinionReport.objects.count()
    with pytest.raises(PermissionDenied):
        services.report_draft_create(user=member_user, unit_id=unit.pk, title="关于……")
    assert OpinionReport.objects.count() == before


def test_other_committee_editor_cannot_publish_the_citys_issue(client, build, district_editor):
    report = build.signed()
    issue = services.issue_create(user=build.editor)
    services.issue_add_report(user=build.editor, issue_id=issue.pk, report_id=report.pk)
    client.force_login(district_editor)
    before = db_snapshot(*WATCHED)
    response = client.post(reverse("opinions:issue_publish", args=[issue.pk]))
    assert response.status_code == 404
    assert db_snapshot(*WATCHED) == before
    issue.refresh_from_db()
    assert issue.number is None


def test_mine_lists_only_ones_own(client, build, other_member_user):
    mine = build.submitted()
    client.force_login(other_member_user)
    response = client.get("/api/v1/opinions/mine")
    assert response.status_code == 200
    assert all(item["id"] != mine.pk for item in response.json()["items"])
    assert OpinionReport.objects.get(pk=mine.pk).status == ReportStatus.SUBMITTED
