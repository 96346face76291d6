"""The one upload check of every app (apps.core.uploads): type by extension, size, and the file's
structure (parsers for PDFs and images, the zip directory for Office files); a refused file
names the rule and puts the message on `file`. The upload handler keeps nothing past the limit."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.errors import ValidationFailed
from apps.core.samples import (
    SAMPLE_JPEG,
    SAMPLE_PDF,
    SAMPLE_PNG,
    image_bytes,
    ooxml_bytes,
    pdf_bytes,
)
from apps.core.uploads import (
    OversizedUpload,
    SizeLimitUploadHandler,
    check_attachment,
    check_upload,
    extensions_of,
    types_label,
)


def _zip_with(part: str) -> bytes:
    return ooxml_bytes(part)


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
ALL = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "png", "txt"]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("材料.pdf", SAMPLE_PDF, "application/pdf"),
        ("a.doc", OLE2, "application/msword"),
        (
            "a.docx",
            _zip_with("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("a.xls", OLE2, "application/vnd.ms-excel"),
        (
            "a.xlsx",
            _zip_with("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("a.ppt", OLE2, "application/vnd.ms-powerpoint"),
        (
            "a.pptx",
            _zip_with("ppt/presentation.xml"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("a.JPG", SAMPLE_JPEG, "image/jpeg"),
        ("a.png", SAMPLE_PNG, "image/png"),
        ("说明.txt", "纯文本".encode(), "text/plain"),
    ],
)
def test_a_real_file_of_an_allowed_type_passes(name: str, content: bytes, content_type: str):
    checked = check_upload(
        SimpleUploadedFile(name, content), allowed_extensions=ALL, max_bytes=1024 * 1024
    )
    assert checked.name == name
    assert checked.extension == name.rsplit(".", 1)[1].lower()
    assert checked.size == len(content)
    assert checked.content_type == content_type


@pytest.mark.parametrize(
    ("name", "content", "rule", "words"),
    [
        ("run.exe", b"MZ", "type", "不支持“run.exe”的文件类型"),
        ("empty.pdf", b"", "empty", "是空文件"),
        ("big.pdf", b"%PDF-" + b"x" * 2048, "size", "超过了 1 KB 的上限"),
        ("photo.pdf", SAMPLE_PNG, "content", "内容与扩展名 .pdf 不符"),
        ("sheet.xlsx", _zip_with("word/document.xml"), "content", "内容与扩展名 .xlsx 不符"),
        ("slides.ppt", b"%PDF-1.4", "content", "PowerPoint（.ppt）"),
    ],
)
def test_a_refused_file_names_the_rule_on_the_file_field(
    name: str, content: bytes, rule: str, words: str
):
    with pytest.raises(ValidationFailed) as caught:
        check_upload(SimpleUploadedFile(name, content), allowed_extensions=ALL, max_bytes=1024)
    error = caught.value
    assert words in error.message
    assert error.extra["rule"] == rule
    assert error.extra["errors"] == {"file": error.message}


def test_a_path_in_the_name_is_dropped():
    upload = SimpleUploadedFile("..\\..\\etc/passwd.pdf", SAMPLE_PDF)
    assert check_upload(upload, allowed_extensions=["pdf"], max_bytes=10_000).name == "passwd.pdf"


@dataclass
class _Limits:
    attachment_types: str
    attachment_max_bytes: int

    @property
    def allowed_extensions(self) -> list[str]:
        return extensions_of(self.attachment_types)


def test_a_settings_row_gives_the_limits():
    limits = _Limits("pdf, .PNG", len(SAMPLE_PNG))
    upload = SimpleUploadedFile("a.png", SAMPLE_PNG)
    assert check_attachment(upload, limits).size == len(SAMPLE_PNG)
    with pytest.raises(ValidationFailed, match="只能上传 PDF、PNG 图片"):
        check_attachment(SimpleUploadedFile("a.doc", OLE2), limits)
    with pytest.raises(ValidationFailed, match="上限"):
        check_attachment(SimpleUploadedFile("a.pdf", SAMPLE_PDF + b" " * 1000), limits)


def test_types_are_named_for_people_once_each():
    assert types_label(["jpg", "jpeg", "docx", "zip"]) == "JPG 图片、Word（.docx）、ZIP"


def _deflated_zeros(size: int) -> tuple[bytes, int]:
    """Raw deflate data and CRC-32 of `size` zero bytes (a multiple of 1 MiB), built from one
    compressed MiB repeated (after a full flush each MiB compresses the same), so the test
    makes a real 1 GiB bomb in a fraction of a second instead of deflating a gigabyte."""
    block = b"\0" * (1024 * 1024)
    count = size // len(block)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    middle = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = compressor.compress(block) + compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    return first + middle * (count - 2) + last, crc


def _zip_bomb(part: str, unpacked: int) -> bytes:
    """A valid Office zip plus one entry that truly unpacks to `unpacked` zero bytes."""
    buffer = io.BytesIO(ooxml_bytes(part))
    data, crc = _deflated_zeros(unpacked)
    with zipfile.ZipFile(buffer, "a") as archive:
        info = zipfile.ZipInfo("word/media/padding.bin")
        info.compress_type = zipfile.ZIP_DEFLATED
        # Write the entry's header and data as they are (zipfile would deflate a gigabyte).
        info.CRC, info.compress_size, info.file_size = crc, len(data), unpacked
        info.header_offset = archive.fp.tell()  # type: ignore[union-attr]
        archive.fp.write(info.FileHeader())  # type: ignore[union-attr]
        archive.fp.write(data)  # type: ignore[union-attr]
        archive.start_dir = archive.fp.tell()  # type: ignore[union-attr]
        archive.filelist.append(info)
        archive.NameToInfo[info.filename] = info
        archive._didModify = True  # so closing writes the central directory with it
    return buffer.getvalue()


def _many_entries(count: int) -> bytes:
    buffer = io.BytesIO(ooxml_bytes("word/document.xml"))
    with zipfile.ZipFile(buffer, "a") as archive:
        for number in range(count):
            archive.writestr(f"word/e{number}.xml", "")
    return buffer.getvalue()


HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # An HTML page with "%PDF-" in a comment (a first-bytes check looked for it anywhere).
        ("page.pdf", b"<!-- %PDF-1.4 -->" + HTML),
        # An SVG with "%PDF-" in it.
        ("drawing.pdf", b'<svg xmlns="http://www.w3.org/2000/svg"><!-- %PDF-1.7 --></svg>'),
        # Starts like a PDF, has no cross-reference table, catalogue or pages.
        ("fake.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
        # A real PDF cut in half.
        ("cut.pdf", pdf_bytes()[:200]),
        # A PNG header followed by HTML.
        ("photo.png", b"\x89PNG\r\n\x1a\n" + HTML),
        # A JPEG's first bytes followed by zeros.
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 64),
        # A real PNG whose data is cut off.
        ("cut.png", SAMPLE_PNG[:-20]),
        # A JPEG called .png (the parser is asked for the promised format only).
        ("photo.png", SAMPLE_JPEG),
        # A zip header with no zip behind it.
        ("report.docx", b"PK\x03\x04" + b"\0" * 100),
        # Text with NUL in it.
        ("notes.txt", b"hello\0world"),
    ],
)
def test_a_file_with_the_right_first_bytes_but_not_the_structure_is_refused(
    name: str, content: bytes
):
    with pytest.raises(ValidationFailed) as caught:
        check_upload(
            SimpleUploadedFile(name, content), allowed_extensions=ALL, max_bytes=1024 * 1024
        )
    assert caught.value.extra["rule"] == "content"
    assert "内容与扩展名" in caught.value.message


def test_an_office_zip_without_its_package_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ValidationFailed, match=r"内容与扩展名 \.docx 不符"):
        check_upload(
            SimpleUploadedFile("a.docx", buffer.getvalue()), allowed_extensions=ALL, max_bytes=10**6
        )


def test_a_zip_bomb_named_docx_is_refused_without_unpacking_it():
    bomb = _zip_bomb("word/document.xml", 1024 * 1024 * 1024)
    assert len(bomb) < 2 * 1024 * 1024  # about 1 MiB on the wire, 1 GiB unpacked
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:  # a real one: it does unpack so
        with archive.open("word/media/padding.bin") as entry:
            assert entry.read(1024 * 1024) == b"\0" * (1024 * 1024)
        assert archive.getinfo("word/media/padding.bin").file_size == 1024**3
    with pytest.raises(ValidationFailed) as caught:
        check_upload(
            SimpleUploadedFile("report.docx", bomb),
            allowed_extensions=ALL,
            max_bytes=20 * 1024 * 1024,
        )
    assert caught.value.extra["rule"] == "content"


def test_an_office_zip_of_reasonable_size_passes():
    report = _zip_bomb("word/document.xml", 8 * 1024 * 1024)  # 8 MiB of pictures, say
    checked = check_upload(
        SimpleUploadedFile("report.docx", report), allowed_extensions=ALL, max_bytes=10**6
    )
    assert checked.extension == "docx"


def test_an_office_zip_with_too_many_entries_is_refused():
    with pytest.raises(ValidationFailed, match=r"内容与扩展名 \.docx 不符"):
        check_upload(
            SimpleUploadedFile("a.docx", _many_entries(5001)),
            allowed_extensions=ALL,
            max_bytes=10**7,
        )


def test_an_image_past_pillows_pixel_limit_is_refused(monkeypatch):
    from PIL import Image

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # the sample is 11 × 11 = 121 pixels

    with pytest.raises(ValidationFailed, match=r"内容与扩展名 \.png 不符"):
        check_upload(
            SimpleUploadedFile("big.png", image_bytes("PNG", (11, 11))),
            allowed_extensions=ALL,
            max_bytes=10**6,
        )


class _Keeper:
    """The handler after the limit handler: records every byte it is given."""

    def __init__(self) -> None:
        self.kept = 0

    def receive(self, chunk: bytes | None) -> None:
        if chunk is not None:
            self.kept += len(chunk)


def test_the_upload_handler_keeps_nothing_past_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    handler = SizeLimitUploadHandler()
    handler.new_file("file", "big.pdf", "application/pdf", None)
    keeper = _Keeper()
    start = 0
    for _ in range(10):
        chunk = b"x" * 300
        keeper.receive(handler.receive_data_chunk(chunk, start))
        start += len(chunk)
    assert keeper.kept == 900  # three chunks within the limit, nothing after
    oversized = handler.file_complete(start)
    assert isinstance(oversized, OversizedUpload)
    assert oversized.name == "big.pdf" and oversized.size > 1000
    with pytest.raises(ValidationFailed) as caught:
        check_upload(oversized, allowed_extensions=["pdf"], max_bytes=1000)
    assert caught.value.extra["rule"] == "size"


def test_the_upload_handler_passes_a_file_within_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    handler = SizeLimitUploadHandler()
    handler.new_file("file", "small.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"x" * 1000, 0) == b"x" * 1000
    assert handler.file_complete(1000) is None  # the memory / temporary-file handler gives it


def test_a_request_body_is_kept_only_up_to_the_limit(settings):
    """Through Django's multipart parser, with the handler first as FILE_UPLOAD_HANDLERS puts
    it: a file past the limit arrives as an OversizedUpload, nothing of it on disk."""
    from django.test import RequestFactory

    settings.UPLOAD_MAX_BYTES = 64 * 1024
    settings.FILE_UPLOAD_HANDLERS = [
        "apps.core.uploads.SizeLimitUploadHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    big = SimpleUploadedFile("big.pdf", SAMPLE_PDF + b" " * (1024 * 1024))
    small = SimpleUploadedFile("small.pdf", SAMPLE_PDF)
    request = RequestFactory().post("/upload", {"big": big, "small": small, "title": "材料"})
    assert request.POST["title"] == "材料"
    received = request.FILES["big"]
    assert isinstance(received, OversizedUpload)
    assert received.size > 64 * 1024
    assert received.read() == b""  # nothing past the limit was kept
    assert request.FILES["small"].read() == SAMPLE_PDF
