import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.core.audit import audit_record
from apps.core.models import AuditEvent


@pytest.mark.django_db
def test_audit_events_cannot_be_updated_or_deleted(admin_user, city):
    event = audit_record(verb="login", actor=admin_user, committee=city)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).verb == "login"


@pytest.mark.django_db
def test_audit_record_takes_ip_and_request_id_from_the_request(client, admin_user, city):
    from apps.core.context import RequestMeta, reset_request_meta, set_request_meta

    token = set_request_meta(RequestMeta(ip="10.1.2.3", request_id="abc123"))
    try:
        event = audit_record(verb="unmask", actor=admin_user, obj=city)
    finally:
        reset_request_meta(token)
    assert (event.ip, event.request_id, event.committee_id) == ("10.1.2.3", "abc123", city.pk)
    assert event.actor_label == "系统管理员"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin_user", 200),
        ("liaison_user", 403),
        ("member_user", 403),
        ("unit_user", 403),
    ],
)
def test_audit_log_page_permission(client, request, persona, status):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get("/audit/").status_code == status


@pytest.mark.django_db
def test_audit_log_anonymous_redirected_to_sign_in(client):
    response = client.get("/audit/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_audit_log_shows_only_visible_committees(client, admin_user, city, district):
    audit_record(verb="login", actor=admin_user, committee=city, data={})
    audit_record(verb="role_change", actor=None, committee=district)
    client.force_login(admin_user)
    page = client.get("/audit/").content.decode()
    assert "济南市政协" in page
    assert "历下区政协" not in page


@pytest.mark.django_db
def test_audit_log_filters_by_verb_and_rejects_bad_dates(client, admin_user, city):
    audit_record(verb="login", actor=admin_user, committee=city)
    audit_record(verb="unmask", actor=admin_user, committee=city)
    client.force_login(admin_user)
    response = client.get("/audit/", {"verb": "unmask"})
    assert [e.verb for e in response.context["page"]] == ["unmask"]
    response = client.get("/audit/", {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert "开始日期不能晚于结束日期" in response.content.decode()


@pytest.mark.django_db
def test_audit_log_htmx_returns_only_the_results_fragment(client, admin_user, city):
    audit_record(verb="login", actor=admin_user, committee=city)
    client.force_login(admin_user)
    response = client.get("/audit/", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<table" in body and "<html" not in body


@pytest.mark.django_db
def test_audit_log_query_count_does_not_grow_with_rows(client, admin_user, city):
    client.force_login(admin_user)
    for _ in range(3):
        audit_record(verb="login", actor=admin_user, committee=city)
    client.get("/audit/")  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get("/audit/")
    for _ in range(40):
        audit_record(verb="login", actor=admin_user, committee=city)
    with CaptureQueriesContext(connection) as many:
        client.get("/audit/")
    assert len(many) == len(few)
