"""Drafting: autosave, length rules counted as a Chinese reader counts, categories, attachments."""

from __future__ import annotations

import pytest

from apps.core.errors import Conflict, PermissionDenied, ValidationFailed
from apps.proposals import services, workflow
from apps.proposals.models import Attachment, Proposal, ProposalKind, ProposalStatus
from apps.proposals.selectors import category_list, proposal_settings_for, proposal_text_check

from .conftest import JPG_BYTES, PDF_BYTES, PNG_BYTES, docx_bytes, upload

pytestmark = pytest.mark.django_db


def test_default_categories_are_seeded_once(city):
    names = list(category_list(committee=city).values_list("name", flat=True))
    assert names == ["经济建设", "城建环资", "教科文卫体", "社会事务", "政治建设", "其他"]
    assert category_list(committee=city).count() == 6


def test_settings_created_with_defaults(city):
    settings = proposal_settings_for(city)
    assert settings.body_max_chars == 1500
    assert settings.attachment_max_bytes == 20 * 1024 * 1024
    assert settings.allowed_extensions == ["pdf", "doc", "docx", "jpg", "jpeg", "png"]
    assert (settings.handling_months, settings.extension_months) == (3, 1)
    assert (settings.return_window_days, settings.contact_working_days) == (10, 15)
    assert settings.rating_working_days == 15
    assert settings.reminder_offsets == [14, 3]
    assert proposal_settings_for(city.pk).pk == settings.pk


def test_draft_belongs_to_the_members_committee_and_term(build, member_user, city, city_term):
    proposal = build.draft()
    assert proposal.status == ProposalStatus.DRAFT
    assert (proposal.committee_id, proposal.term_id) == (city.pk, city_term.pk)
    assert proposal.first_proposer.member.user == member_user
    assert proposal.keyword_vector  # refreshed by the service


def test_only_members_start_individual_drafts(proposal_staff_user, unit_user):
    for user in (proposal_staff_user, unit_user):
        with pytest.raises(PermissionDenied):
            services.proposal_draft_create(user=user, title="关于……的建议")


def test_office_files_a_collective_proposal(proposal_staff_user, category, city_term):
    proposal = services.proposal_draft_create(
        user=proposal_staff_user,
        kind=ProposalKind.COLLECTIVE,
        title="关于加强民营企业法律服务的建议",
        grounds="情况",
        suggestions="建议",
        category_id=category.pk,
        collective_sponsor="party",
        collective_in_name_of="民建市委会",
    )
    assert proposal.first_proposer is None
    submitted = workflow.proposal_submit(user=proposal_staff_user, proposal_id=proposal.pk)
    assert submitted.status == ProposalStatus.SUBMITTED


def test_collective_needs_its_signature(proposal_staff_user, category, city_term):
    proposal = services.proposal_draft_create(
        user=proposal_staff_user,
        kind=ProposalKind.COLLECTIVE,
        title="关于加强民营企业法律服务的建议",
        grounds="情况",
        suggestions="建议",
        category_id=category.pk,
    )
    with pytest.raises(ValidationFailed) as error:
        workflow.proposal_submit(user=proposal_staff_user, proposal_id=proposal.pk)
    assert "collective_in_name_of" in error.value.extra["errors"]


def test_autosave_keeps_text_over_the_limit_but_submit_refuses_it(build, member_user):
    proposal = build.draft()
    long_text = "托" * 1490
    services.proposal_draft_update(user=member_user, proposal_id=proposal.pk, grounds=long_text)
    proposal.refresh_from_db()
    assert proposal.grounds == long_text
    with pytest.raises(ValidationFailed) as error:
        workflow.proposal_submit(user=member_user, proposal_id=proposal.pk)
    assert "1500" in error.value.message
    assert error.value.extra["errors"]["body"]
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.DRAFT


def test_body_limit_counts_characters_without_whitespace(build, member_user):
    proposal = build.draft()
    grounds = "情" * 750 + "\n\n" + " " * 200 + "\u3000" * 10
    suggestions = "议" * 750
    services.proposal_draft_update(
        user=member_user, proposal_id=proposal.pk, grounds=grounds, suggestions=suggestions
    )
    check = proposal_text_check(
        committee=proposal.committee, title="t", grounds=grounds, suggestions=suggestions
    )
    assert (check.body_chars, check.body_max, check.body_ok) == (1500, 1500, True)
    assert workflow.proposal_submit(user=member_user, proposal_id=proposal.pk).status == "submitted"


def test_body_limit_is_a_setting(build, member_user, city):
    settings = proposal_settings_for(city)
    settings.body_max_chars = 50
    settings.save()
    proposal = build.draft()
    with pytest.raises(ValidationFailed):
        workflow.proposal_submit(user=member_user, proposal_id=proposal.pk)


def test_title_and_parts_are_required(build, member_user):
    proposal = build.draft(title="", grounds="  ", suggestions="")
    with pytest.raises(ValidationFailed) as error:
        workflow.proposal_submit(user=member_user, proposal_id=proposal.pk)
    assert set(error.value.extra["errors"]) >= {"title", "grounds", "suggestions"}


def test_inactive_category_is_refused(build, member_user, category):
    proposal = build.draft()
    category.is_active = False
    category.save()
    with pytest.raises(ValidationFailed) as error:
        workflow.proposal_submit(user=member_user, proposal_id=proposal.pk)
    assert "category" in error.value.extra["errors"]


def test_submitted_proposal_cannot_be_edited_but_can_be_withdrawn(build, member_user):
    proposal = build.submitted()
    with pytest.raises(Conflict):
        services.proposal_draft_update(user=member_user, proposal_id=proposal.pk, title="改")
    workflow.proposal_withdraw(user=member_user, proposal_id=proposal.pk)
    workflow.proposal_reopen(user=member_user, proposal_id=proposal.pk)
    services.proposal_draft_update(user=member_user, proposal_id=proposal.pk, title="关于改的建议")
    assert Proposal.objects.get(pk=proposal.pk).title == "关于改的建议"


def test_draft_delete(build, member_user, other_member_user):
    proposal = build.draft()
    services.attachment_add(user=member_user, proposal_id=proposal.pk, upload=upload("a.pdf"))
    with pytest.raises(PermissionDenied):
        services.proposal_draft_delete(user=other_member_user, proposal_id=proposal.pk)
    services.proposal_draft_delete(user=member_user, proposal_id=proposal.pk)
    assert not Proposal.objects.filter(pk=proposal.pk).exists()
    assert not Attachment.objects.exists()


def test_submitted_proposal_cannot_be_deleted(build, member_user):
    proposal = build.submitted()
    with pytest.raises(Conflict):
        services.proposal_draft_delete(user=member_user, proposal_id=proposal.pk)


# --- attachments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("调研报告.pdf", PDF_BYTES, "application/pdf"),
        ("现场照片.JPG", JPG_BYTES, "image/jpeg"),
        ("图表.png", PNG_BYTES, "image/png"),
        (
            "数据.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("旧稿.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "application/msword"),
    ],
)
def test_allowed_attachments(build, member_user, name, content, content_type):
    proposal = build.draft()
    attachment = services.attachment_add(
        user=member_user, proposal_id=proposal.pk, upload=upload(name, content)
    )
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert not attachment.file.name.endswith(name)  # stored under a random name


def test_attachment_too_big(build, member_user, city):
    settings = proposal_settings_for(city)
    settings.attachment_max_bytes = 1024
    settings.save()
    proposal = build.draft()
    with pytest.raises(ValidationFailed) as error:
        services.attachment_add(
            user=member_user,
            proposal_id=proposal.pk,
            upload=upload("大文件.pdf", PDF_BYTES + b"0" * 2048),
        )
    assert "超过" in error.value.message and error.value.extra["rule"] == "size"


@pytest.mark.parametrize("name", ["病毒.exe", "表格.xlsx", "无扩展名"])
def test_attachment_type_not_allowed(build, member_user, name):
    proposal = build.draft()
    with pytest.raises(ValidationFailed) as error:
        services.attachment_add(user=member_user, proposal_id=proposal.pk, upload=upload(name))
    assert error.value.extra["rule"] == "type"
    assert "PDF" in error.value.message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("照片.pdf", PNG_BYTES),
        ("程序.jpg", b"MZ\x90\x00" + b"\x00" * 64),
        ("压缩包.docx", b"PK\x03\x04" + b"\x00" * 64),
        ("文本.png", "这是纯文本".encode()),
    ],
)
def test_attachment_with_a_fake_extension_is_refused(build, member_user, name, content):
    proposal = build.draft()
    with pytest.raises(ValidationFailed) as error:
        services.attachment_add(
            user=member_user, proposal_id=proposal.pk, upload=upload(name, content)
        )
    assert error.value.extra["rule"] == "content"
    assert "不符" in error.value.message


def test_attachment_count_limit_and_empty_file(build, member_user, city):
    settings = proposal_settings_for(city)
    settings.attachment_max_count = 1
    settings.save()
    proposal = build.draft()
    with pytest.raises(ValidationFailed):
        services.attachment_add(
            user=member_user, proposal_id=proposal.pk, upload=upload("空.pdf", b"")
        )
    services.attachment_add(user=member_user, proposal_id=proposal.pk, upload=upload("一.pdf"))
    with pytest.raises(ValidationFailed):
        services.attachment_add(user=member_user, proposal_id=proposal.pk, upload=upload("二.pdf"))


def test_attachments_frozen_after_submission(build, member_user):
    proposal = build.draft()
    attachment = services.attachment_add(
        user=member_user, proposal_id=proposal.pk, upload=upload("a.pdf")
    )
    workflow.proposal_submit(user=member_user, proposal_id=proposal.pk)
    with pytest.raises(Conflict):
        services.attachment_add(user=member_user, proposal_id=proposal.pk, upload=upload("b.pdf"))
    with pytest.raises(Conflict):
        services.attachment_remove(user=member_user, attachment_id=attachment.pk)


def test_attachment_remove(build, member_user):
    proposal = build.draft()
    attachment = services.attachment_add(
        user=member_user, proposal_id=proposal.pk, upload=upload("a.pdf")
    )
    services.attachment_remove(user=member_user, attachment_id=attachment.pk)
    assert not Attachment.objects.exists()


# --- settings and categories -------------------------------------------------------------------


def test_office_edits_settings_with_audit(city, proposal_staff_user, member_user):
    from apps.core.models import AuditEvent

    settings = services.proposal_settings_update(
        user=proposal_staff_user, committee_id=city.pk, changes={"body_max_chars": 2000}
    )
    assert proposal_settings_for(city.pk).body_max_chars == settings.body_max_chars == 2000
    assert AuditEvent.objects.filter(verb="proposal_settings_update").exists()
    with pytest.raises(PermissionDenied):
        services.proposal_settings_update(
            user=member_user, committee_id=city.pk, changes={"body_max_chars": 10}
        )
    with pytest.raises(ValidationFailed):
        services.proposal_settings_update(
            user=proposal_staff_user, committee_id=city.pk, changes={"committee": 1}
        )
    with pytest.raises(ValidationFailed):
        services.proposal_settings_update(
            user=proposal_staff_user, committee_id=city.pk, changes={"weekly_summary_weekday": 9}
        )


def test_office_edits_categories(city, proposal_staff_user):
    category = services.category_save(
        user=proposal_staff_user, committee_id=city.pk, name="法治建设", sort_order=9
    )
    with pytest.raises(ValidationFailed):
        services.category_save(user=proposal_staff_user, committee_id=city.pk, name="法治建设")
    services.category_save(
        user=proposal_staff_user,
        committee_id=city.pk,
        name="法治建设",
        is_active=False,
        category_id=category.pk,
    )
    names = list(category_list(committee=city).values_list("name", flat=True))
    assert "法治建设" not in names and "经济建设" in names


@pytest.mark.django_db
def test_category_save_with_another_committees_category_is_not_found(
    proposal_staff_user, city, district
):
    from apps.core.errors import NotFound
    from apps.proposals.models import ProposalCategory
    from apps.proposals.selectors import category_list
    from apps.proposals.services import category_save

    foreign = category_list(committee=district)[0]
    with pytest.raises(NotFound):
        category_save(
            user=proposal_staff_user, committee_id=city.pk, name="改名", category_id=foreign.pk
        )
    assert ProposalCategory.objects.get(pk=foreign.pk).name == foreign.name
