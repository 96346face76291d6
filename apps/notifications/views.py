from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/list.html", {})


@login_required
def badge(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/list.html", {})
