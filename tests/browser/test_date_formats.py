"""Dates in one format across the site (2027年3月2日): the portal's format module
(zhengxie/formats, FORMAT_MODULE_PATH) for what Django's zh_Hans formats get wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template
from django.test import override_settings
from django.utils import formats, translation

PORTAL_FORMATS = override_settings(FORMAT_MODULE_PATH=["zhengxie.formats"])
DAY = dt.date(2027, 3, 2)
MOMENT = dt.datetime(2027, 3, 2, 9, 5)


@pytest.fixture(autouse=True)
def _chinese():
    formats.reset_format_cache()
    with PORTAL_FORMATS, translation.override("zh-hans"):
        yield
    formats.reset_format_cache()


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_named_formats_write_months_and_days_without_zeros():
    assert render("{{ day|date }}", day=DAY) == "2027年3月2日"
    assert render('{{ day|date:"DATE_FORMAT" }}', day=DAY) == "2027年3月2日"
    assert render('{{ moment|date:"DATETIME_FORMAT" }}', moment=MOMENT) == "2027年3月2日 09:05"
    assert render('{{ day|date:"MONTH_DAY_FORMAT" }}', day=DAY) == "3月2日"  # Django: 03月2日
    assert render('{{ day|date:"YEAR_MONTH_FORMAT" }}', day=DAY) == "2027年3月"
    assert render('{{ day|date:"SHORT_DATE_FORMAT" }}', day=DAY) == "2027年3月2日"
    assert render("{{ day }}", day=DAY) == "2027年3月2日"


@pytest.mark.parametrize(
    "typed", ["2027-03-02", "2027-3-2", "2027/3/2", "2027.3.2", "2027年3月2日", "2027年03月02日"]
)
def test_date_fields_take_what_people_type(typed):
    assert forms.DateField().clean(typed) == DAY


@pytest.mark.parametrize(
    "typed", ["2027-03-02 09:05", "2027-03-02T09:05", "2027/3/2 9:05", "2027年3月2日 09:05"]
)
def test_datetime_fields_take_what_people_type(typed):
    value = forms.DateTimeField().clean(typed)
    assert (value.year, value.month, value.day, value.hour, value.minute) == (2027, 3, 2, 9, 5)


def test_a_date_that_does_not_exist_is_refused_in_chinese():
    with pytest.raises(forms.ValidationError) as raised:
        forms.DateField().clean("2027年2月30日")
    assert "日期" in str(raised.value.messages)


def test_the_setting_is_what_makes_the_difference():
    with override_settings(FORMAT_MODULE_PATH=None):
        formats.reset_format_cache()
        assert formats.get_format("MONTH_DAY_FORMAT") == "m月j日"  # Django's own zh_Hans
        with pytest.raises(forms.ValidationError):
            forms.DateField().clean("2027年3月2日")
    formats.reset_format_cache()
    assert formats.get_format("MONTH_DAY_FORMAT") == "n月j日"
