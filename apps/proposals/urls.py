"""Proposal pages, mounted at /proposals/. Each side owns its own url list:
member (web/member), proposal office and leadership (web/office), handling units (web/unit)."""

from .web.member.urls import urlpatterns as member_urls
from .web.office.urls import urlpatterns as office_urls
from .web.unit.urls import urlpatterns as unit_urls

app_name = "proposals"
urlpatterns = [*office_urls, *unit_urls, *member_urls]
