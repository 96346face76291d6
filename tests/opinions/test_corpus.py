"""The committee's corpus of reports (document frequencies for the duplicate panel): kept by the
services as reports are submitted, revised, edited and merged, always equal to a count from
scratch; with it a report sharing a specific matter outranks one sharing only boilerplate,
which it would not with every term weighing the same."""

from __future__ import annotations

import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.text.corpus import CorpusTerm, corpus_rebuild
from apps.core.text.vectors import Idf, analyse, weigh
from apps.opinions import services, workflow
from apps.opinions.models import OpinionReport, ReportStatus
from apps.opinions.selectors import report_similar
from apps.opinions.selectors.similar import opinion_corpus_scope

pytestmark = pytest.mark.django_db

# Texts of different matters (title, 基本情况, 问题分析, 意见建议).
TEXTS = [
    (
        "关于老旧小区加装电梯后续管护难的情况反映",
        "老旧小区加装电梯投入使用后，维保费用分摊、年检责任主体不清。",
        "加装电梯产权归属不明确，物业服务企业不愿接手。",
        "明确加装电梯的产权和安全管理责任主体，建立维保资金归集机制。",
    ),
    (
        "关于增设电动自行车集中充电桩的建议",
        "老旧小区缺少电动自行车集中充电设施，居民只能在楼道飞线充电。",
        "充电设施建设主体不明，场地协调难。",
        "建议增设充电桩，推广智能充电柜。",
    ),
    (
        "关于规范中小学课后服务收费的建议",
        "部分学校课后服务收费标准不一，家长意见较大。",
        "缺少统一规范和公示制度。",
        "出台课后服务收费指导意见，收费标准向家长公示。",
    ),
    (
        "关于农村饮水安全工程长效管护的建议",
        "部分农村供水工程设施老化，水质检测覆盖不足，山区群众饮水保障不稳定。",
        "管护经费不足，基层专业人员缺乏。",
        "建立县级统管的农村供水管护机制，落实水质定期检测。",
    ),
    (
        "关于加强背街小巷环境整治的建议",
        "一些背街小巷路面破损、杂物堆放，夜间照明不足。",
        "整治责任分散在多个部门。",
        "实行街巷长制，定期巡查，补齐照明设施。",
    ),
    (
        "关于提升社区嵌入式养老服务的建议",
        "社区养老服务站点少，助餐、助浴等服务供给不足，高龄独居老人需求难以满足。",
        "运营补贴标准低，专业护理人员流失。",
        "提高运营补贴，培育专业护理队伍，推广社区嵌入式养老。",
    ),
]
COUNTED_OUT = {"draft", "merged"}  # the oracle's own rule: what a panel may list


def _fields(text: tuple[str, str, str, str]) -> dict[str, str]:
    title, situation, analysis, suggestion = text
    return {"title": title, "situation": situation, "analysis": analysis, "suggestion": suggestion}


def _text(rng: random.Random) -> dict[str, str]:
    return _fields(rng.choice(TEXTS))


def _actual(committee_id: int) -> dict[str, int]:
    rows = CorpusTerm.objects.filter(scope=opinion_corpus_scope(committee_id))
    return {term: df for term, df in rows.values_list("term", "df") if df}


def _from_scratch(committee_id: int) -> dict[str, int]:
    """The corpus recounted from every report a panel may list (the shared corpus_rebuild,
    into a scope of its own)."""
    reports = OpinionReport.objects.filter(committee_id=committee_id).exclude(
        status__in=COUNTED_OUT
    )
    idf = corpus_rebuild(
        "test:oracle", [analyse(title=r.title, body=r.body_text).terms for r in reports]
    )
    expected = {term: df for term, df in idf.df.items() if df}
    if idf.documents:
        expected[""] = idf.documents
    return expected


def _step(rng: random.Random, build, editor) -> str:
    """One random action a person could take now; returns its name."""
    reports = list(OpinionReport.objects.order_by("id"))
    by_status: dict[str, list[OpinionReport]] = {}
    for report in reports:
        by_status.setdefault(report.status, []).append(report)
    merge_targets = [
        r
        for r in reports
        if r.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED) and r.merged_into_id is None
    ]
    leading = set(
        OpinionReport.objects.filter(merged_into__isnull=False).values_list(
            "merged_into", flat=True
        )
    )
    mergeable = [r for r in merge_targets if r.pk not in leading]
    choices = ["draft"]
    if by_status.get("draft"):
        choices += ["submit", "submit", "update", "delete"]
    if by_status.get("submitted"):
        choices += ["accept", "return", "decline"]
    if by_status.get("returned"):
        choices += ["revise", "resubmit"]
    if by_status.get("accepted"):
        choices += ["edit", "edit"]
    if len(merge_targets) >= 2 and mergeable:
        choices += ["merge"]
    action = rng.choice(choices)
    pick = rng.choice
    if action == "draft":
        build.draft(**_text(rng))
    elif action == "submit":
        workflow.report_submit(user=build.member, report_id=pick(by_status["draft"]).pk)
    elif action in ("update", "revise"):
        report = pick(by_status["draft" if action == "update" else "returned"])
        services.report_draft_update(user=build.member, report_id=report.pk, **_text(rng))
    elif action == "delete":
        services.report_draft_delete(user=build.member, report_id=pick(by_status["draft"]).pk)
    elif action == "accept":
        workflow.report_accept(user=editor, report_id=pick(by_status["submitted"]).pk)
    elif action == "return":
        report = pick(by_status["submitted"])
        workflow.report_return(user=editor, report_id=report.pk, reason="请补充数据。")
    elif action == "decline":
        report = pick(by_status["submitted"])
        workflow.report_decline(user=editor, report_id=report.pk, reason="已有同类信息。")
    elif action == "resubmit":
        workflow.report_resubmit(user=build.member, report_id=pick(by_status["returned"]).pk)
    elif action == "edit":
        report = pick(by_status["accepted"])
        text = _text(rng)
        text["suggestion"] += rng.choice(["一是加强督查。", "二是定期通报。", ""])
        services.report_text_edit(user=editor, report_id=report.pk, **text)
    else:
        duplicate = pick(mergeable)
        target = pick([r for r in merge_targets if r.pk != duplicate.pk])
        workflow.report_merge(user=editor, report_id=duplicate.pk, into_id=target.pk)
    return action


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_corpus_always_equals_a_count_from_scratch(build, editor, city, seed):
    """Random sequences of drafting, submitting, returning, revising, resubmitting, editing,
    declining, merging and deleting drafts: after every step the maintained corpus is the
    corpus recounted from scratch."""
    rng = random.Random(seed)
    seen = set()
    for _ in range(40):
        seen.add(_step(rng, build, editor))
        assert _actual(city.pk) == _from_scratch(city.pk)
    # every kind of change the corpus must follow happened at least once
    assert {"submit", "revise", "edit", "merge"} <= seen
    assert OpinionReport.objects.filter(status=ReportStatus.MERGED).exists()


def test_submit_merge_and_edit_move_the_counts(build, editor, city):
    first = build.submitted()  # 加装电梯
    assert _actual(city.pk)[""] == 1 and _actual(city.pk)["电梯"] == 1
    second = build.submitted()
    assert _actual(city.pk)["电梯"] == 2
    workflow.report_merge(user=editor, report_id=second.pk, into_id=first.pk)
    assert _actual(city.pk)[""] == 1 and _actual(city.pk)["电梯"] == 1  # merged away
    workflow.report_accept(user=editor, report_id=first.pk)
    services.report_text_edit(user=editor, report_id=first.pk, **_fields(TEXTS[1]))
    counts = _actual(city.pk)
    assert counts[""] == 1 and "电梯" not in counts and counts["充电桩"] == 1  # the editor's text


def test_drafts_and_other_committees_are_not_counted(build, city, district, district_member_user):
    build.draft()
    build.draft(user=district_member_user, category_id=None)
    assert _actual(city.pk) == {} and _actual(district.pk) == {}


def test_reindex_command_recounts_and_reweighs(build, editor, city):
    kept = build.submitted()
    merged = build.submitted()
    workflow.report_merge(user=editor, report_id=merged.pk, into_id=kept.pk)
    build.submitted(**_fields(TEXTS[1]))
    expected = _actual(city.pk)
    CorpusTerm.objects.filter(scope=opinion_corpus_scope(city.pk)).update(df=99)
    OpinionReport.objects.update(keyword_vector={}, search_vector=None)
    call_command("opinions_reindex", verbosity=0)
    assert _actual(city.pk) == expected == _from_scratch(city.pk)
    kept.refresh_from_db()
    rows = CorpusTerm.objects.filter(scope=opinion_corpus_scope(city.pk))
    df = dict(rows.values_list("term", "df"))
    whole = Idf(documents=df.pop(""), df=df)
    assert kept.keyword_vector == weigh(
        analyse(title=kept.title, body=kept.body_text).features, whole
    )
    if connection.vendor == "postgresql":
        assert kept.search_vector


def test_reindex_command_refuses_an_unknown_committee(db):
    with pytest.raises(CommandError, match="没有编号为 999999 的政协组织"):
        call_command("opinions_reindex", committee=999999, verbosity=0)


# ---------------------------------------------------------------------------------------------
# Ranking: the corpus makes boilerplate weigh little

QUERY = (
    "关于加强管理机制解决突出问题的建议",
    "电动自行车充电问题突出。",
    "当前管理机制不健全，问题整改不到位。",
    "建议加强管理，健全机制，解决问题。",
)
SPECIFIC = TEXTS[1]  # 电动自行车, 充电 — and nothing else of the query
GENERIC = (  # the query's boilerplate about another matter
    "关于加强管理机制解决农村公路养护问题的建议",
    "农村公路养护问题突出。",
    "当前养护机制不健全，问题整改不到位。",
    "建议加强管理，健全机制，解决问题。",
)
TOPICS = [
    "社区养老",
    "校园安全",
    "食品安全",
    "垃圾分类",
    "河道治理",
    "停车管理",
    "物业服务",
    "医保报销",
    "职业教育",
    "文旅融合",
    "乡村振兴",
    "营商环境",
    "托育服务",
    "消防通道",
    "老旧管网",
    "夜间经济",
    "农村饮水",
    "背街小巷",
]


def _submit(build, text):
    return build.submitted(**_fields(text))


def _scores(editor, query) -> dict[int, float]:
    return {
        item.report.pk: item.score for item in report_similar(user=editor, report=query, limit=50)
    }


def test_a_shared_specific_matter_outranks_shared_boilerplate(build, editor, city):
    for topic in TOPICS:  # the committee's everyday reports: the same boilerplate throughout
        _submit(
            build,
            (
                f"关于加强{topic}管理机制的建议",
                f"当前{topic}问题突出，管理机制不健全。",
                "问题整改不到位。",
                "建议加强管理，健全机制，解决问题。",
            ),
        )
    specific = _submit(build, SPECIFIC)
    generic = _submit(build, GENERIC)
    query = _submit(build, QUERY)
    query.refresh_from_db()

    scores = _scores(editor, query)  # vectors weighed as each report was saved
    assert scores[specific.pk] > scores.get(generic.pk, 0.0)
    # Re-weighed with the whole corpus (the first reports were weighed with an almost empty
    # one): the matter comes first of the panel.
    services.opinion_corpus_reindex(committee_id=city.pk)
    query.refresh_from_db()
    scores = _scores(editor, query)
    assert scores[specific.pk] > scores.get(generic.pk, 0.0)
    assert max(scores, key=lambda pk: scores[pk]) == specific.pk

    # The same reports with every term weighing the same (no corpus, vectors weighed without
    # it): the boilerplate wins — so the corpus is what ranks the matter first.
    CorpusTerm.objects.filter(scope=opinion_corpus_scope(city.pk)).delete()
    for report in OpinionReport.objects.all():
        services.report_text_index_refresh(report=report)
    query.refresh_from_db()
    uniform = _scores(editor, query)
    assert uniform[generic.pk] > uniform.get(specific.pk, 0.0)


def test_merged_duplicates_are_not_offered_again(build, editor, city):
    kept = build.submitted()
    duplicate = build.submitted()
    workflow.report_merge(user=editor, report_id=duplicate.pk, into_id=kept.pk)
    query = build.submitted()
    query.refresh_from_db()
    ids = [item.report.pk for item in report_similar(user=editor, report=query)]
    assert kept.pk in ids and duplicate.pk not in ids


# ---------------------------------------------------------------------------------------------
# Query counts


def _similar_queries(editor, query) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        report_similar(user=editor, report=query, limit=50)
    corpus = sum(1 for q in captured.captured_queries if "core_corpusterm" in q["sql"])
    return len(captured), corpus


def test_the_panel_reads_the_corpus_once_and_costs_the_same_with_more_reports(
    build, editor, other_member_user
):
    query = build.submitted()
    query.refresh_from_db()
    build.submitted(user=other_member_user)
    report_similar(user=editor, report=query)  # warm per-process caches (settings)
    few, corpus_reads = _similar_queries(editor, query)
    assert corpus_reads == 1
    for text in (TEXTS[0], TEXTS[0], TEXTS[3]):
        build.submitted(
            user=other_member_user,
            **_fields(text),
        )
    many, corpus_reads = _similar_queries(editor, query)
    assert (many, corpus_reads) == (few, 1)
    assert len(report_similar(user=editor, report=query, limit=50)) >= 3


def test_screening_page_costs_the_same_with_more_similar_reports(client, build, editor):
    from .test_queries import _queries, _signed_in

    report = build.submitted()
    build.submitted()
    _signed_in(client, editor)
    url = reverse("opinions:screen", args=[report.pk])
    first = _queries(client, url)
    for _ in range(3):
        build.submitted()
    page = client.get(url).content.decode()
    assert page.count("合并到这条") >= 4
    assert _queries(client, url) == first
