"""Schemathesis against the whole API (/api/v1/), as a member and as a handling unit.

For every operation of the OpenAPI document, valid (positive) and invalid (negative) requests
are generated from the schema — a bounded number per operation, derandomised so a run repeats —
and sent through the real WSGI application with the persona's API token. Path ids are sometimes
the persona's real records, so requests reach the endpoints' code and not only their 404.

A run fails on any 5xx, an undocumented status code, a wrong content type, a response that does
not match its schema, or invalid data that is accepted. Every failure of the run is reported at
the end, each with a curl command to reproduce it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from apps.accounts.services import api_token_create
from apps.notifications.models import Notification
from apps.notifications.services import notify
from apps.opinions.models import OpinionReport
from apps.proposals.models import Assignment, Cosigner, Proposal
from tests.proposals import conftest as proposal_fixtures
from tests.proposals.web import conftest as proposal_web_fixtures

pytestmark = [pytest.mark.django_db]

# The proposals tests' builder and personas.
build = proposal_fixtures.build
category = proposal_fixtures.category
cosigner_user = proposal_fixtures.cosigner_user
received_assignment = proposal_web_fixtures.received_assignment

# Examples per operation (each of 46 operations, both personas), generated and with real ids.
EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """The project's WSGI application, in this test's transaction: like Django's test client,
    requests do not close the connection the test's transaction lives on."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(client) -> Any:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return schemathesis.openapi.from_dict(json.loads(response.content))


@pytest.fixture
def member_world(
    build, member_user, cosigner_user, other_member_user, django_capture_on_commit_callbacks
) -> dict[str, list[Any]]:
    """李红梅's records: a draft, a submitted and a replied proposal, a joint draft she
    invited 陈志强 to, an opinion draft, two notifications, a second token (to be revoked)."""
    draft = build.draft()
    submitted = build.submitted(title="关于社区养老服务的建议")
    replied = build.replied(title="关于普惠托育的建议")
    joint = build.draft(kind="joint", title="关于联名提案的建议")
    proposal_fixtures.services.cosigners_invite(
        user=member_user,
        proposal_id=joint.pk,
        membership_ids=[proposal_fixtures.membership_of(cosigner_user).pk],
    )
    from apps.opinions import services as opinion_services

    opinion_services.report_draft_create(user=member_user, title="关于停车难的反映")
    # In-app notices are written when the outbox delivers, after the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(2):
            notify(recipient=member_user, key=f"schemathesis:{number}", title="通知", channels=[])
    spare, _raw = api_token_create(user=member_user, name="备用")
    return {
        "proposal_id": [draft.pk, submitted.pk, replied.pk, joint.pk],
        "cosigner_id": list(Cosigner.objects.values_list("pk", flat=True)),
        "report_id": list(OpinionReport.objects.values_list("pk", flat=True)),
        "notification_id": list(Notification.objects.values_list("pk", flat=True)),
        # (each list non-empty: an empty one fails the run, it would leave a path unreached)
        "token_id": [spare.pk],
    }


@pytest.fixture
def unit_world(build, received_assignment) -> dict[str, list[Any]]:
    """市教育局's records: a signed-for assignment (with an attachment) and a pending one."""
    pending = build.assigned(title="关于职业教育的建议")
    attachment = received_assignment.proposal.attachments.get()
    return {
        "assignment_id": list(Assignment.objects.values_list("pk", flat=True)),
        "proposal_id": list(Proposal.objects.values_list("pk", flat=True)),
        "file_id": [attachment.pk],
        "kind": ["attachment", "letter"],
        "pending": [pending.pk],
    }


def _strategy(operation: Any, known: dict[str, list[Any]]) -> Any:
    """Cases for one operation: generated throughout, or with the persona's real path ids."""
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    strategies = [operation.as_strategy(generation_mode=mode) for mode in modes]
    names = [parameter.name for parameter in operation.path_parameters]
    if names and all(name in known for name in names):
        fixed = st.fixed_dictionaries({name: st.sampled_from(known[name]) for name in names})
        strategies.append(fixed.flatmap(lambda path: operation.as_strategy(path_parameters=path)))
    return st.one_of(strategies)


def _fuzz(api_schema: Any, wsgi_app: Any, token: str, known: dict[str, list[Any]]) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 40
    for operation in operations:

        @settings(
            max_examples=EXAMPLES * 2,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=_strategy(operation, known))
        def run(case: Any) -> None:
            case.call_and_validate(app=wsgi_app, headers=headers, checks=CHECKS)

        try:
            run()
        # Every operation's failures, reported together (schemathesis raises a FailureGroup,
        # a BaseExceptionGroup, for several distinct failures of one operation).
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{operation.label}:\n{exc}")
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)


def test_api_as_a_member(api_schema, wsgi_app, member_user, member_world):
    _token, raw = api_token_create(user=member_user, name="schemathesis")
    _fuzz(api_schema, wsgi_app, raw, member_world)


def test_api_as_a_handling_unit(api_schema, wsgi_app, unit_user, unit_world):
    _token, raw = api_token_create(user=unit_user, name="schemathesis")
    _fuzz(api_schema, wsgi_app, raw, unit_world)
