"""The dashboard's charts as plain data: what ECharts draws (static/js/leadership.js) and what
the table under each chart lists, from one snapshot's figures. Every value carries the address of
its drill-down list, so a click on a bar and a link in the table open the same records."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.proposals.models import ResultClass, Satisfaction


@dataclass
class Fact:
    """A total shown under a chart's note with the link to its records (e.g. 读书打卡 12 次)."""

    label: str
    value: int
    unit: str
    link: str


@dataclass
class Series:
    name: str
    values: list[float | int | None]
    links: list[str]


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # bar, hbar, stack, pie, funnel, heatmap
    categories: list[str]
    series: list[Series]
    unit: str = ""
    note: str = ""
    height: int = 320
    extra: dict[str, Any] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    # Where each category's name links to (the records of the whole row), when it does.
    row_links: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(value for series in self.series for value in series.values)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["empty"] = self.empty
        return data

    def summary(self) -> str:
        """The chart as one sentence (its aria-label)."""
        parts = []
        for series in self.series:
            values = "，".join(
                f"{name} {_fmt(value)}{self.unit}"
                for name, value in zip(self.categories, series.values, strict=False)
            )
            parts.append(f"{series.name}：{values}" if len(self.series) > 1 else values)
        return f"{self.title}。" + "；".join(parts)

    def rows(self) -> list[dict[str, Any]]:
        """The data table: one row per category (its name linked when the row has records of
        its own), one cell (value, link) per series."""
        return [
            {
                "name": name,
                "link": self.row_links[index] if index < len(self.row_links) else "",
                "cells": [
                    {"value": _fmt(series.values[index]), "link": series.links[index]}
                    for series in self.series
                ],
            }
            for index, name in enumerate(self.categories)
        ]


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)


class Links:
    """Drill-down addresses for one committee's year and slice."""

    def __init__(self, *, committee_id: int, year: int, slice_value: str) -> None:
        self.base = reverse("leadership:drill")
        self.query: dict[str, Any] = {
            "committee": committee_id,
            "year": year,
            "slice": slice_value,
        }

    def __call__(self, figure: str) -> str:
        return f"{self.base}?{urlencode({**self.query, 'figure': figure})}"


def charts_for(figures: dict[str, Any], link: Links) -> list[Chart]:
    """Every chart of the dashboard, in page order."""
    proposals = figures["proposals"]
    handling = proposals["handling"]
    satisfaction = proposals["satisfaction"]
    opinions = figures["opinions"]
    consultations = figures["consultations"]
    attendance = figures["attendance"]
    scores = figures["scores"]
    charts = [
        Chart(
            "proposals",
            _("提案收到与立案"),
            "bar",
            [_("收到"), _("立案"), _("不立案"), _("重点提案"), _("优秀提案")],
            [
                Series(
                    _("件数"),
                    [
                        proposals["received"],
                        proposals["accepted"],
                        proposals["rejected"],
                        proposals["key"],
                        proposals["excellent"],
                    ],
                    [
                        link(f"proposals.{name}")
                        for name in ("received", "accepted", "rejected", "key", "excellent")
                    ],
                )
            ],
            unit=_("件"),
            note=_("立案率 %(rate)s%%") % {"rate": _fmt(proposals["accept_rate"])},
        ),
        Chart(
            "handling",
            _("办理时效"),
            "pie",
            [_("按期办复"), _("逾期办复"), _("超期未办复"), _("尚未到期")],
            [
                Series(
                    _("交办件数"),
                    [
                        handling["on_time"],
                        handling["late"],
                        handling["overdue"],
                        handling["pending"],
                    ],
                    [link(f"handling.{s}") for s in ("on_time", "late", "overdue", "pending")],
                )
            ],
            unit=_("件"),
            note=_("按期办复率 %(rate)s%%（按期办复 ÷ 已到期或已办复的交办）")
            % {"rate": _fmt(handling["rate"])},
        ),
        Chart(
            "satisfaction",
            _("办理结果满意度"),
            "pie",
            [*(str(label) for _v, label in Satisfaction.choices), _("逾期未评价")],
            [
                Series(
                    _("评价次数"),
                    [*(satisfaction[v] for v in Satisfaction.values), satisfaction["timed_out"]],
                    [link(f"satisfaction.{v}") for v in (*Satisfaction.values, "timed_out")],
                )
            ],
            unit=_("次"),
            note=_("满意率 %(rate)s%%（满意与基本满意 ÷ 已评价）")
            % {"rate": _fmt(satisfaction["rate"])},
        ),
        Chart(
            "classes",
            _("答复办理结果（A/B/C 类）"),
            "bar",
            [_("%(c)s类") % {"c": c} for c in ResultClass.values],
            [
                Series(
                    _("答复件数"),
                    [proposals["classes"][c] for c in ResultClass.values],
                    [link(f"classes.{c}") for c in ResultClass.values],
                )
            ],
            unit=_("件"),
        ),
        Chart(
            "opinions",
            _("社情民意信息转化（漏斗）"),
            "funnel",
            [_("收到"), _("接收编辑"), _("编发"), _("上级采用"), _("获批示")],
            [
                Series(
                    _("篇数"),
                    [
                        opinions["received"],
                        opinions["accepted"],
                        opinions["used"],
                        opinions["upper"],
                        opinions["instructed"],
                    ],
                    [
                        link(f"opinions.{n}")
                        for n in ("received", "accepted", "used", "upper", "instructed")
                    ],
                )
            ],
            unit=_("篇"),
            note=_("领导批示共 %(n)s 次") % {"n": opinions["instructions"]},
        ),
        Chart(
            "levels",
            _("社情民意信息按层级采用"),
            "hbar",
            [level["name"] for level in opinions["levels"]],
            [
                Series(
                    _("篇数"),
                    [level["count"] for level in opinions["levels"]],
                    [link(f"opinions.level.{level['id']}") for level in opinions["levels"]],
                )
            ],
            unit=_("篇"),
            height=max(240, 40 * len(opinions["levels"]) + 60),
        ),
        Chart(
            "forms",
            _("按协商形式的会议和活动"),
            "hbar",
            [form["name"] for form in consultations["forms"]],
            [
                Series(
                    _("场次"),
                    [form["count"] for form in consultations["forms"]],
                    [link(f"meetings.{form['id']}") for form in consultations["forms"]],
                )
            ],
            unit=_("场"),
            height=max(240, 36 * len(consultations["forms"]) + 60),
            note=_("共 %(n)s 场") % {"n": consultations["total"]},
        ),
    ]
    plan = consultations.get("plan")
    if plan:
        charts.append(
            Chart(
                "plan",
                _("年度协商计划进度"),
                "bar",
                [row["label"] for row in plan["progress"]],
                [
                    Series(
                        _("议题数"),
                        [row["count"] for row in plan["progress"]],
                        [link(f"plan.{row['key']}") for row in plan["progress"]],
                    )
                ],
                unit=_("个"),
                note=_("%(title)s（%(status)s），共 %(n)s 个议题")
                % {"title": plan["title"], "status": plan["status"], "n": plan["total"]},
            )
        )
    rows = attendance["rows"]
    status_names = [
        ("present", _("出席")),
        ("late", _("迟到")),
        ("early", _("早退")),
        ("leave", _("请假")),
        ("absent", _("缺席")),
    ]
    charts.append(
        Chart(
            "attendance",
            _("按会议类型的出勤"),
            "stack",
            [row["name"] for row in rows],
            [
                Series(
                    label,
                    [row[key] for row in rows],
                    [link(f"attendance.{row['id']}.{key}") for row in rows],
                )
                for key, label in status_names
            ]
            + [
                Series(
                    _("出勤率（%）"),
                    [row["rate"] for row in rows],
                    [link(f"attendance.{row['id']}.attended") for row in rows],
                )
            ],
            unit="",
            height=max(260, 44 * len(rows) + 80),
            note=_("总出勤率 %(rate)s%%（出席含迟到、早退）") % {"rate": _fmt(attendance["rate"])},
            extra={"rate_series": True},
        )
    )
    study = figures.get("study")
    if study:  # snapshots computed before the study figures existed have none
        charts.extend(_study_charts(study, link))
    charts.append(
        Chart(
            "scores",
            _("履职得分分布"),
            "bar",
            [band["label"] for band in scores["bands"]],
            [
                Series(
                    _("人数"),
                    [band["count"] for band in scores["bands"]],
                    [link(f"scores.band.{band['key']}") for band in scores["bands"]],
                )
            ],
            unit=_("人"),
            note=_("平均分 %(avg)s，需关注 %(n)s 人")
            % {"avg": _fmt(scores["average"]), "n": scores["lagging_total"]},
        )
    )
    units = figures["units"][:15]
    charts.append(
        Chart(
            "units",
            _("承办单位按期办复率排名（前15）"),
            "hbar",
            [unit["name"] for unit in units],
            [
                Series(
                    _("按期办复率（%）"),
                    [unit["rate"] for unit in units],
                    [link(f"units.{unit['id']}") for unit in units],
                ),
                Series(
                    _("满意率（%）"),
                    [unit["satisfaction_rate"] for unit in units],
                    [link(f"units.{unit['id']}") for unit in units],
                ),
            ],
            unit="%",
            height=max(260, 46 * len(units) + 80),
        )
    )
    charts.append(_topics_chart(figures["topics"], link))
    return charts


def _study_charts(study: dict[str, Any], link: Links) -> list[Chart]:
    """学习培训, in page order: courses and sessions by kind, the texts by kind with the
    reading check-ins (the two side by side), the sessions' attendance by kind (full width)."""
    kinds = study["kinds"]
    participation = study["participation"]
    texts = study["texts"]
    reading = study["reading"]
    status_names = (
        ("present", _("出席")),
        ("late", _("迟到")),
        ("early", _("早退")),
        ("leave", _("请假")),
        ("absent", _("缺席")),
    )
    courses = Chart(
        "study_courses",
        _("学习培训班和课程（按类型）"),
        "bar",
        [row["label"] for row in kinds],
        [
            Series(
                _("培训班（个）"),
                [row["courses"] for row in kinds],
                [link(f"study.courses.{row['key']}") for row in kinds],
            ),
            Series(
                _("举办课程（次）"),
                [row["sessions"] for row in kinds],
                [link(f"study.sessions.{row['key']}") for row in kinds],
            ),
        ],
        note=_("培训班按其课程的开始时间计入年度，只计已举办的课程。"),
        facts=[
            Fact(_("培训班"), study["courses"], _("个"), link("study.courses.all")),
            Fact(_("举办课程"), study["sessions"], _("次"), link("study.sessions.all")),
        ],
    )
    rows = [row for row in kinds if row["invited"]]
    totals = [("invited", _("应参训")), ("attended", _("出勤")), ("leave", _("请假"))]
    totals.append(("absent", _("缺席")))
    if participation["unsettled"]:
        totals.append(("unsettled", _("出勤未确定")))
    facts = [
        Fact(label, participation[key], _("人次"), link(f"study.attendance.all.{key}"))
        for key, label in totals
    ]
    attendance = Chart(
        "study_attendance",
        _("学习培训出勤（按培训班类型）"),
        "stack",
        [row["label"] for row in rows],
        [
            Series(
                label,
                [row[key] for row in rows],
                [link(f"study.attendance.{row['key']}.{key}") for row in rows],
            )
            for key, label in status_names
        ]
        + [
            Series(
                _("出勤率（%）"),
                [row["rate"] for row in rows],
                [link(f"study.attendance.{row['key']}.attended") for row in rows],
            )
        ],
        height=max(240, 44 * len(rows) + 80),
        note=_("参训出勤率 %(rate)s%%（出席含迟到、早退）") % {"rate": _fmt(participation["rate"])},
        extra={"rate_series": True},
        facts=facts,
        row_links=[link(f"study.attendance.{row['key']}.invited") for row in rows],
    )
    text_kinds = texts["kinds"]
    names = (("submitted", _("提交")), ("adopted", _("采用")), ("compiled", _("编入汇编")))
    materials = Chart(
        "study_texts",
        _("学习材料和读书打卡"),
        "bar",
        [row["label"] for row in text_kinds],
        [
            Series(
                label,
                [row[key] for row in text_kinds],
                [link(f"study.texts.{key}.{row['key']}") for row in text_kinds],
            )
            for key, label in names
        ],
        unit=_("篇"),
        note=_("学习心得等材料按提交时间计入年度；编入汇编指已编入至少一期汇编。"),
        facts=[
            *(Fact(label, texts[key], _("篇"), link(f"study.texts.{key}")) for key, label in names),
            Fact(_("读书打卡"), reading["checkins"], _("次"), link("study.reading.checkins")),
            Fact(_("打卡委员"), reading["members"], _("人"), link("study.reading.members")),
        ],
    )
    return [courses, materials, attendance]


def _topics_chart(topics: list[dict[str, Any]], link: Links) -> Chart:
    """The heat map of main words by quarter: rows are words, columns quarters."""
    words: list[str] = []
    for quarter in topics:
        for item in quarter["keywords"]:
            if item["word"] not in words:
                words.append(item["word"])
    categories = [quarter["label"] for quarter in topics]
    series = []
    for word in words:
        values: list[float | int | None] = []
        links: list[str] = []
        for quarter in topics:
            weight = next((k["weight"] for k in quarter["keywords"] if k["word"] == word), None)
            values.append(weight)
            links.append(link(f"topics.{quarter['quarter']}.{word}") if weight else "")
        series.append(Series(word, values, links))
    quarters = [
        {
            **quarter,
            "keywords": [
                {**item, "link": link(f"topics.{quarter['quarter']}.{item['word']}")}
                for item in quarter["keywords"]
            ],
        }
        for quarter in topics
    ]
    return Chart(
        "topics",
        _("议题热度（提案与社情民意信息标题的主要关键词）"),
        "heatmap",
        categories,
        series,
        height=max(280, 28 * len(words) + 90),
        extra={"quarters": quarters},
    )
