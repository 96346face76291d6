"""The member and liaison side of the API: draft, update, submit, resubmit, list mine, detail
with timeline and actions; domain errors as 403/404/409/422 with Chinese messages."""

from __future__ import annotations

import pytest

from apps.opinions import workflow
from apps.opinions.models import OpinionReport, ReportStatus

pytestmark = pytest.mark.django_db
BASE = "/api/v1/opinions"


def _json(client, method, url, data=None):
    if method == "get":
        return client.get(url, data or {})
    return getattr(client, method)(url, data or {}, content_type="application/json")


def test_draft_update_submit(client, member_user, category):
    client.force_login(member_user)
    options = _json(client, "get", f"{BASE}/options").json()
    assert {"id": category.pk, "name": "城乡建设"} in options["categories"]
    assert options["body_max"] == 1500
    response = _json(client, "post", f"{BASE}/drafts", {"title": "关于"})
    assert response.status_code == 201
    body = response.json()
    pk = body["id"]
    assert body["status"] == {"value": "draft", "label": "草稿"}
    assert {a["name"] for a in body["actions"]} >= {"edit", "submit"}
    assert next(a for a in body["actions"] if a["name"] == "submit")["enabled"] is False

    response = _json(client, "post", f"{BASE}/{pk}/submit")
    assert response.status_code == 422
    assert response.json()["extra"]["errors"]["suggestion"] == "请填写意见建议。"
    assert OpinionReport.objects.get(pk=pk).status == ReportStatus.DRAFT

    response = _json(
        client,
        "patch",
        f"{BASE}/{pk}",
        {
            "title": "关于公交站台缺少遮阳设施的情况反映",
            "situation": "群众反映多个站台无遮阳棚。",
            "suggestion": "建议分批加装。",
            "category_id": category.pk,
            "source": "reception_day",
        },
    )
    assert response.status_code == 200
    assert response.json()["limits"]["body_chars"] == 20
    response = _json(client, "post", f"{BASE}/{pk}/submit")
    assert response.status_code == 200
    body = response.json()
    assert body["status"]["value"] == "submitted"
    assert [step["label"] for step in body["timeline"]] == [
        "新建社情民意信息草稿",
        "提交社情民意信息",
    ]
    again = _json(client, "patch", f"{BASE}/{pk}", {"title": "改"})
    assert again.status_code == 409


def test_resubmit_after_return(client, build):
    report = build.returned()
    client.force_login(build.member)
    body = _json(client, "get", f"{BASE}/{report.pk}").json()
    assert body["screening_note"] == "请补充数据。"
    assert _json(client, "post", f"{BASE}/{report.pk}/submit").status_code == 409
    response = _json(client, "post", f"{BASE}/{report.pk}/resubmit")
    assert response.status_code == 200
    assert response.json()["status"]["value"] == "submitted"


def test_list_mine_filters_and_pages(client, build):
    build.submitted()
    build.draft(title="关于另一件事的情况反映")
    client.force_login(build.member)
    body = _json(client, "get", f"{BASE}/mine").json()
    assert body["count"] == 2
    body = _json(client, "get", f"{BASE}/mine", {"status": "draft"}).json()
    assert [item["title"] for item in body["items"]] == ["关于另一件事的情况反映"]
    assert body["items"][0]["status"] == {"value": "draft", "label": "草稿"}


def test_detail_shows_outcomes_and_timeline(client, build, levels):
    from django.utils import timezone

    from apps.opinions import services

    report = build.reported()
    services.adoption_record(
        user=build.editor,
        report_id=report.pk,
        level_id=levels["省政协采用"].pk,
        adopted_on=timezone.localdate(),
    )
    client.force_login(build.member)
    body = _json(client, "get", f"{BASE}/{report.pk}").json()
    assert [a["level"] for a in body["adoptions"]] == ["本级编发", "省政协采用"]
    assert body["issue"].endswith("第1期")
    labels = [step["label"] for step in body["timeline"]]
    assert "编入《社情民意》" in labels and "登记采用" in labels
    assert all(
        step["actor"] == "" for step in body["timeline"] if step["role_label"] == "社情民意信息处"
    )


def test_liaison_files_through_the_api(client, liaison, unit, category):
    client.force_login(liaison)
    options = _json(client, "get", f"{BASE}/options").json()
    assert options["units"] == [{"id": unit.pk, "name": "民盟市委"}]
    response = _json(client, "post", f"{BASE}/drafts", {"unit_id": unit.pk, "title": "关于……"})
    assert response.status_code == 201
    assert response.json()["reporting_unit"] == "民盟市委"


def test_someone_who_may_not_report_is_refused(client, unit_user):
    client.force_login(unit_user)
    response = _json(client, "post", f"{BASE}/drafts", {"title": "关于"})
    assert response.status_code == 403
    assert "委员" in response.json()["detail"]
    assert not OpinionReport.objects.exists()


def test_unknown_report_is_404(client, member_user):
    client.force_login(member_user)
    assert _json(client, "get", f"{BASE}/999999").status_code == 404


def test_workflow_reasons_show_as_blocked_actions(client, build):
    report = build.draft(suggestion="")
    workflow.report_actions_for(build.member, report)
    client.force_login(build.member)
    body = _json(client, "get", f"{BASE}/{report.pk}").json()
    submit = next(a for a in body["actions"] if a["name"] == "submit")
    assert submit["enabled"] is False and "意见建议" in submit["reason"]
