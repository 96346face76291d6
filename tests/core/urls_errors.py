"""A URL conf for the error-page tests: the project's URLs and handlers plus pages that fail on
purpose and a POST handler that runs a verb through apps.core.pages.perform."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.forms import StyledForm
from apps.core.pages import perform
from zhengxie.urls import handler400, handler403, handler404, handler500  # noqa: F401
from zhengxie.urls import urlpatterns as project_urls

OUTCOMES = {
    "ok": None,
    "denied": PermissionDenied("只有提案委员会办公室可以执行此操作。"),
    "missing": NotFound("未找到该提案，或您无权查看。"),
    "conflict": Conflict("提案当前状态为“已立案”，不能撤回。"),
    "invalid": ValidationFailed("名称已存在。", extra={"errors": {"name": "名称已存在。"}}),
}
CALLS: list[str] = []


class NameForm(StyledForm):
    name = forms.CharField(label="名称", max_length=10)


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("an unexpected failure")


def django_denied(request: HttpRequest) -> HttpResponse:
    raise DjangoPermissionDenied


def django_missing(request: HttpRequest) -> HttpResponse:
    raise Http404("No Proposal matches the given query.")


def act(request: HttpRequest, outcome: str) -> HttpResponse:
    form = NameForm(request.POST)

    def call() -> str:
        CALLS.append(form.cleaned_data["name"])
        error = OUTCOMES[outcome]
        if error is not None:
            raise error
        return form.cleaned_data["name"]

    def render() -> HttpResponse:
        return HttpResponse(f"FORM {form.errors.as_text()}")

    with_render = request.GET.get("render") == "1"
    return perform(
        request,
        call,
        form=form,
        success=lambda name: f"已保存“{name}”。",
        redirect_to="/done/",
        render=render if with_render else None,
        back="/back/",
    )


urlpatterns = [
    path("boom/", boom),
    path("django-denied/", django_denied),
    path("django-missing/", django_missing),
    path("act/<str:outcome>/", act),
    *project_urls,
]
