"""File downloads built in memory (exports, PDFs): one place sets the headers."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .xlsx import XLSX_CONTENT_TYPE


def download_response(
    content: bytes, filename: str, content_type: str, *, inline: bool = False
) -> HttpResponse:
    """`content` as a file named `filename` (attachment unless `inline`). Never cached: what a
    person may see can change, and exports can hold personal data."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        content_disposition_header(not inline, filename) or "attachment"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return download_response(content, filename, XLSX_CONTENT_TYPE)
