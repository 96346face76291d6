"""Social-opinion pages, mounted at /opinions/: the submitter's side (web/member) and the
office's and leaders' side (web/office)."""

from .web.member.urls import urlpatterns as member_urls
from .web.office.urls import urlpatterns as office_urls

app_name = "opinions"
urlpatterns = [*office_urls, *member_urls]
