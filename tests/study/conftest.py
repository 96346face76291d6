"""Study fixtures. Personas (from tests/conftest.py unless said otherwise):

- member_user (李红梅, 教育界): invited to the requests `build` makes (picked by name);
- other_member_user (王建国, 经济界): a member of the same committee who is NOT invited;
- liaison_user (孙丽, 委员联络处 of the city): the staff who make requests and compilations;
- district_office (委员联络处 of the district committee): staff of another committee, who
  must see nothing of the city's rows (404);
- anonymous: the signed-out client.

The clock is frozen at NOW (Monday 2 March 2026, 09:00 in Shanghai) by `frozen`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from apps.accounts.roles import Role
from apps.members.models import Membership
from apps.study import services, workflow
from apps.study.models import InviteeScope, Submission, TextRequest

from ..conftest import _staff_user

TZ = timezone.get_fixed_timezone(8 * 60)
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
TODAY = NOW.date()
DUE = TODAY + dt.timedelta(days=10)

TEXT = (
    "通过参加这次新任委员培训班，我对人民政协的性质定位有了更加深刻的认识。"
    "作为一名新任委员，首先要把握好这一定位，始终坚持党的领导，把准履职方向。\n"
    "今后我将坚持懂政协、会协商、善议政的要求，多到基层听取群众意见，力争每年提交一件高质量提案。"
)


def at(moment: dt.datetime) -> Any:
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def frozen():
    with at(NOW) as traveller:
        yield traveller


@pytest.fixture
def district_office(district, roles_seeded):
    return _staff_user(district, Role.LIAISON_OFFICE, username="lixia_study", name="历下联络处")


def membership_of(user: Any) -> Membership:
    return Membership.objects.get(member__user=user)


@dataclass
class Builder:
    office: Any

    def request(self, *invited: Any, **overrides: Any) -> TextRequest:
        values: dict[str, Any] = {
            "title": "2026年新任委员培训班学习心得",
            "kind": "reflection",
            "due_date": DUE,
            "scope": InviteeScope.PICKED,
            "membership_ids": [membership_of(user).pk for user in invited],
        }
        values.update(overrides)
        return services.request_create(user=self.office, **values)

    def submitted(
        self,
        request: TextRequest,
        user: Any,
        title: str = "把握性质定位　提升履职本领",
        body: str = TEXT,
    ) -> Submission:
        submission = services.submission_save_draft(
            user=user, request_id=request.pk, title=title, body=body
        )
        return workflow.submission_submit(user=user, submission_id=submission.pk)


@pytest.fixture
def build(liaison_user, frozen) -> Builder:
    return Builder(office=liaison_user)
