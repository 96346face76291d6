"""The floor: a bare Django view that touches no database.

It runs through the whole middleware stack like every page, so a signed-in request to it pays
what every signed-in request pays (the session read, and whatever the middleware writes); every
page is measured as a share of this floor's throughput in the same run.
"""

from django.http import HttpRequest, HttpResponse


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
