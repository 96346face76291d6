"""The permission matrix over pages and API: submitter, co-author, other member, liaison (of an
organisation with no part in the report), editor (社情民意信息处), signing leader, leadership (a
leader who is not the signer) and another committee (its member and its editor).

An allowed cell proves the effect (the state moved, the text changed, the row was written); a
denied cell proves its status (403 for who may see the report but not do this, 404 for who may
not see it) and that nothing changed: the report, the audit log, the outbox and the outcome
tables are as they were."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.notifications.models import OutboxMessage
from apps.opinions import services
from apps.opinions.models import (
    Adoption,
    BulletinIssue,
    Contributor,
    OpinionReport,
    ReportStatus,
)

from .conftest import membership_of

pytestmark = pytest.mark.django_db

PERSONAS = {
    "submitter": "member_user",
    "coauthor": "coauthor_user",
    "other_member": "other_member_user",
    "liaison": "liaison",
    "editor": "editor",
    "signer": "leader_user",
    "leadership": "chair_user",
    "other_committee": "district_member_user",
    "other_editor": "district_editor",
}


def _report(build: Any, state: str) -> OpinionReport:
    """A report in `state` by the submitter, with the co-author credited."""
    report = build.draft()
    services.coauthor_add(
        user=build.member, report_id=report.pk, membership_id=membership_of(build.coauthor).pk
    )
    steps = {
        "draft": lambda: report,
        "submitted": lambda: _submit(build, report),
        "awaiting": lambda: _await(build, report),
        "compiled": lambda: _compile(build, report),
    }
    return steps[state]()


def _submit(build: Any, report: OpinionReport) -> OpinionReport:
    from apps.opinions import workflow

    return workflow.report_submit(user=build.member, report_id=report.pk)


def _await(build: Any, report: OpinionReport) -> OpinionReport:
    from apps.opinions import workflow

    _submit(build, report)
    workflow.report_accept(user=build.editor, report_id=report.pk)
    return workflow.report_request_signoff(
        user=build.editor, report_id=report.pk, signer_id=build.leader.pk
    )


def _compile(build: Any, report: OpinionReport) -> OpinionReport:
    from apps.opinions import workflow

    _await(build, report)
    workflow.report_sign(user=build.leader, report_id=report.pk)
    issue = services.issue_create(user=build.editor)
    services.issue_add_report(user=build.editor, issue_id=issue.pk, report_id=report.pk)
    services.issue_publish(user=build.editor, issue_id=issue.pk)
    return OpinionReport.objects.get(pk=report.pk)


def _snapshot(report: OpinionReport) -> tuple[Any, ...]:
    row = OpinionReport.objects.get(pk=report.pk)
    return (
        row.status,
        row.title,
        row.updated_at,
        AuditEvent.objects.count(),
        OutboxMessage.objects.count(),
        Adoption.objects.count(),
        BulletinIssue.objects.count(),
        Contributor.objects.count(),
    )


@dataclass(frozen=True)
class Operation:
    state: str
    call: Callable[[Any, OpinionReport, dict[str, Any]], Any]
    effect: Callable[[OpinionReport, dict[str, Any]], bool]


def _post(url: str, data: dict[str, Any] | None = None) -> Callable[..., Any]:
    return lambda client, report, ctx: client.post(url.format(pk=report.pk), data or {})


def _api(method: str, path: str, data: dict[str, Any] | None = None) -> Callable[..., Any]:
    def call(client: Any, report: OpinionReport, ctx: dict[str, Any]) -> Any:
        url = f"/api/v1/opinions{path.format(pk=report.pk)}"
        if method == "get":
            return client.get(url)
        return getattr(client, method)(url, data or {}, content_type="application/json")

    return call


def _status_is(status: str) -> Callable[[OpinionReport, dict[str, Any]], bool]:
    return lambda report, ctx: OpinionReport.objects.get(pk=report.pk).status == status


OPERATIONS: dict[str, Operation] = {
    "view page": Operation(
        "submitted",
        lambda client, report, ctx: client.get(reverse("opinions:detail", args=[report.pk])),
        lambda report, ctx: True,
    ),
    "open the draft editor": Operation(
        "draft",
        lambda client, report, ctx: client.get(reverse("opinions:edit", args=[report.pk])),
        lambda report, ctx: True,
    ),
    "save the draft": Operation(
        "draft",
        _post("/opinions/{pk}/edit/", {"title": "关于改写后标题的情况反映", "action": "save"}),
        lambda report, ctx: (
            OpinionReport.objects.get(pk=report.pk).title == "关于改写后标题的情况反映"
        ),
    ),
    "submit": Operation("draft", _post("/opinions/{pk}/submit/"), _status_is("submitted")),
    "accept": Operation(
        "submitted",
        lambda client, report, ctx: client.post(
            reverse("opinions:accept", args=[report.pk]), {"category": ctx["category"].pk}
        ),
        _status_is("accepted"),
    ),
    "return": Operation(
        "submitted",
        _post("/opinions/{pk}/return/", {"return-reason": "请补充。"}),
        _status_is("returned"),
    ),
    "sign": Operation("awaiting", _post("/opinions/{pk}/sign/"), _status_is("signed")),
    "record adoption": Operation(
        "compiled",
        lambda client, report, ctx: client.post(
            reverse("opinions:adoption", args=[report.pk]),
            {
                "adoption-level": ctx["levels"]["省政协采用"].pk,
                "adoption-adopted_on": dt.date.today().isoformat(),
            },
        ),
        lambda report, ctx: Adoption.objects.filter(
            report=report, level=ctx["levels"]["省政协采用"]
        ).exists(),
    ),
    "api detail": Operation("submitted", _api("get", "/{pk}"), lambda report, ctx: True),
    "api update": Operation(
        "draft",
        _api("patch", "/{pk}", {"title": "关于接口修改标题的情况反映"}),
        lambda report, ctx: (
            OpinionReport.objects.get(pk=report.pk).title == "关于接口修改标题的情况反映"
        ),
    ),
    "api submit": Operation("draft", _api("post", "/{pk}/submit"), _status_is("submitted")),
}

# Expected status per operation and persona; 200/302 are the allowed cells.
OK, REDIRECT, FORBIDDEN, MISSING = 200, 302, 403, 404
MATRIX: dict[str, dict[str, int]] = {
    "view page": {
        "submitter": OK,
        "coauthor": OK,
        "other_member": MISSING,
        "liaison": MISSING,
        "editor": OK,
        "signer": OK,
        "leadership": OK,
        "other_committee": MISSING,
        "other_editor": MISSING,
    },
    "open the draft editor": {
        "submitter": OK,
        "coauthor": FORBIDDEN,
        "other_member": MISSING,
        "liaison": MISSING,
        "editor": MISSING,
        "signer": MISSING,
        "leadership": MISSING,
        "other_committee": MISSING,
        "other_editor": MISSING,
    },
    "save the draft": {
        "submitter": REDIRECT,
        "coauthor": FORBIDDEN,
        "other_member": MISSING,
        "liaison": MISSING,
        "editor": MISSING,
        "signer": MISSING,
        "leadership": MISSING,
        "other_committee": MISSING,
        "other_editor": MISSING,
    },
    "submit": {
        "submitter": REDIRECT,
        "coauthor": FORBIDDEN,
        "other_member": MISSING,
        "liaison": MISSING,
        "editor": MISSING,
        "signer": MISSING,
        "leadership": MISSING,
        "other_committee": MISSING,
        "other_editor": MISSING,
    },
    "accept": {
        "submitter": FORBIDDEN,
        "coauthor": FORBIDDEN,
        "other_member": FORBIDDEN,
        "liaison": FORBIDDEN,
        "editor": REDIRECT,
        "signer": FORBIDDEN,
        "leadership": FORBIDDEN,
        "other_committee": FORBIDDEN,
        "other_editor": MISSING,
    },
    "return": {
        "submitter": FORBIDDEN,
        "coauthor": FORBIDDEN,
        "other_member": FORBIDDEN,
        "liaison": FORBIDDEN,
        "editor": REDIRECT,
        "signer": FORBIDDEN,
        "leadership": FORBIDDEN,
        "other_committee": FORBIDDEN,
        "other_editor": MISSING,
    },
    "sign": {
        "submitter": FORBIDDEN,
        "coauthor": FORBIDDEN,
        "other_member": FORBIDDEN,
        "liaison": FORBIDDEN,
        "editor": FORBIDDEN,
        "signer": REDIRECT,
        "leadership": FORBIDDEN,
        "other_committee": FORBIDDEN,
        "other_editor": FORBIDDEN,
    },
    "record adoption": {
        "submitter": FORBIDDEN,
        "coauthor": FORBIDDEN,
        "other_member": FORBIDDEN,
        "liaison": FORBIDDEN,
        "editor": REDIRECT,
        "signer": FORBIDDEN,
        "leadership": FORBIDDEN,
        "other_committee": FORBIDDEN,
        "other_editor": MISSING,
    },
    "api detail": {
        "submitter": OK,
        "coauthor": OK,
        "other_member": MISSING,
        "liaison": MISSING,
        "editor": OK,
        "signer": OK,
        "leadership": OK,
        "other_committee": MISSING,
        "other_editor": MISSING,
    },
    "api update": {
        "submitter": OK,
        "coauthor": FORBIDDEN,
        "other_member": MISSING,
        "liaison": MISSING,
        "editor": MISSING,
        "signer": MISSING,
        "leadership": MISSING,
        "other_committee": MISSING,
        "other_editor": MISSING,
    },
    "api submit": {
        "submitter": OK,
        "coauthor": FORBIDDEN,
        "other_member": MISSING,
        "liaison": MISSING,
        "editor": MISSING,
        "signer": MISSING,
        "leadership": MISSING,
        "other_committee": MISSING,
        "other_editor": MISSING,
    },
}
CELLS = [(op, persona) for op, row in MATRIX.items() for persona in row]


@pytest.fixture
def matrix_build(build, coauthor_user):
    build.coauthor = coauthor_user
    return build


@pytest.mark.parametrize(("operation", "persona"), CELLS)
def test_permission_matrix(
    operation, persona, request, client, matrix_build, levels, editor, category
):
    spec = OPERATIONS[operation]
    report = _report(matrix_build, spec.state)
    user = request.getfixturevalue(PERSONAS[persona])
    ctx = {"levels": levels, "editor": editor, "category": category}
    expected = MATRIX[operation][persona]
    client.force_login(user)
    before = _snapshot(report)
    response = spec.call(client, report, ctx)
    assert response.status_code == expected, (operation, persona, response.status_code)
    if expected in (OK, REDIRECT):
        assert spec.effect(report, ctx), (operation, persona)
    else:
        assert _snapshot(report) == before, (operation, persona)


def test_every_cell_is_in_the_matrix():
    assert set(MATRIX) == set(OPERATIONS)
    for row in MATRIX.values():
        assert set(row) == set(PERSONAS)


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
    before = _snapshot(report)
    response = client.post(reverse("opinions:issue_publish", args=[issue.pk]))
    assert response.status_code == 404
    assert _snapshot(report) == before
    issue.refresh_from_db()
    assert issue.number is None


def test_mine_lists_only_ones_own(client, build, other_member_user):
    mine = build.submitted()
    client.force_login(other_member_user)
    response = client.get("/api/v1/opinions/mine")
    assert response.status_code == 200
    assert all(item["id"] != mine.pk for item in response.json()["items"])
    assert OpinionReport.objects.get(pk=mine.pk).status == ReportStatus.SUBMITTED
