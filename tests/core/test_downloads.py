from apps.core.downloads import download_response, xlsx_response
from apps.core.xlsx import XLSX_CONTENT_TYPE


def test_exports_are_attachments_that_are_never_cached():
    response = xlsx_response(b"PK", "委员名册.xlsx")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert "utf-8''" in response["Content-Disposition"]  # the Chinese name survives
    assert response["Cache-Control"] == "private, no-store"


def test_inline_documents_open_in_the_browser():
    response = download_response(b"%PDF", "提案.pdf", "application/pdf", inline=True)
    assert response["Content-Disposition"].startswith("inline;")
    assert response.content == b"%PDF"
