"""Checking an uploaded file against a committee's limits, for any app that takes attachments:
size, allowed extensions, and the file's structure (PDFs and images opened with their parsers,
Office files' zips checked for their entries and unpacked size), so a renamed executable, a
picture called ".pdf", an HTML page that starts like a PNG or a zip bomb called ".docx" is
refused with a clear Chinese message.

The one upload check of every app. The limits come from the caller: each app keeps them in its
own per-committee settings row, `check_attachment(upload, settings)` reads them from it
(`allowed_extensions`, `attachment_max_bytes`); `check_upload(upload, allowed_extensions=[...],
max_bytes=...)` takes them directly (fixed limits such as a meeting's materials). A refused file
raises ValidationFailed with the message on the form's `file` field (`extra={"errors": {"file":
...}}`; forms name their own field through `domain_error_fields`).

`SizeLimitUploadHandler` (first in FILE_UPLOAD_HANDLERS) keeps no more of any uploaded file
than settings.UPLOAD_MAX_BYTES: past it the file is answered as an `OversizedUpload` that the
check refuses with the size message, instead of being written to disk whole first.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Protocol

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image
from pypdf import PdfReader

from .errors import ValidationFailed

DEFAULT_ATTACHMENT_TYPES = "pdf,doc,docx,jpg,jpeg,png"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain",
}
TYPE_LABELS = {
    "pdf": gettext_lazy("PDF"),
    "doc": gettext_lazy("Word（.doc）"),
    "docx": gettext_lazy("Word（.docx）"),
    "jpg": gettext_lazy("JPG 图片"),
    "jpeg": gettext_lazy("JPG 图片"),
    "png": gettext_lazy("PNG 图片"),
    "xls": gettext_lazy("Excel（.xls）"),
    "xlsx": gettext_lazy("Excel（.xlsx）"),
    "ppt": gettext_lazy("PowerPoint（.ppt）"),
    "pptx": gettext_lazy("PowerPoint（.pptx）"),
    "txt": gettext_lazy("文本（.txt）"),
}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt
ZIP_MAGIC = b"PK\x03\x04"
# Office Open XML files are zip archives; the part that makes each what it is.
OOXML_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
# An Office file's zip may hold at most this many entries, unpacking to at most this many bytes
# (a long report with pictures unpacks to a few tens of MB; a zip bomb to gigabytes).
OOXML_MAX_ENTRIES = 5000
OOXML_MAX_UNPACKED_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    size: int
    content_type: str


def extensions_of(setting: str) -> list[str]:
    """ "pdf, .DOCX ,png" → ["pdf", "docx", "png"] (a settings field of allowed types)."""
    return [ext.strip().lower().lstrip(".") for ext in (setting or "").split(",") if ext.strip()]


def types_label(extensions: Iterable[str]) -> str:
    """The allowed types for people: "PDF、Word（.docx）、JPG 图片"."""
    return "、".join(dict.fromkeys(type_label(ext) for ext in extensions))


def type_label(extension: str) -> str:
    return str(TYPE_LABELS.get(extension, extension.upper()))


def size_label(size: int) -> str:
    if size >= 1024 * 1024:
        if size % (1024 * 1024) == 0:
            return f"{size // (1024 * 1024)} MB"
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, size // 1024)} KB"


def clean_name(name: str) -> str:
    """The file name without any path, at most 200 characters."""
    base = PurePath((name or "").replace("\\", "/")).name.strip()
    return base[-200:] or _("附件")


def _head(upload: Any, length: int = 2048) -> bytes:
    upload.seek(0)
    data = upload.read(length)
    upload.seek(0)
    return data if isinstance(data, bytes) else data.encode()


def _stream(upload: Any) -> Any:
    """A seekable binary file object for a parser (the uploaded file itself, not a copy)."""
    upload.seek(0)
    return getattr(upload, "file", None) or upload


def _pdf_ok(upload: Any) -> bool:
    """A PDF: the header at the very start, and pypdf reads its cross-reference table, its
    catalogue and at least one page (an HTML or SVG file with "%PDF-" in a comment is none)."""
    if not _head(upload, 8).startswith(b"%PDF-"):
        return False
    try:
        reader = PdfReader(_stream(upload), strict=False)
        if reader.is_encrypted:  # readable structure; pages cannot be counted without the key
            return "/Encrypt" in reader.trailer
        return len(reader.pages) > 0
    except Exception:  # pypdf raises many kinds (PdfReadError, KeyError, ValueError, …)
        return False
    finally:
        upload.seek(0)


IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG"}


def _image_ok(upload: Any, image_format: str) -> bool:
    """An image: Pillow recognises the format the extension promises, within its pixel limit,
    and decodes the whole picture (a PNG header followed by HTML fails here)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(_stream(upload), formats=[image_format]) as image:
                image.verify()
            upload.seek(0)
            with Image.open(_stream(upload), formats=[image_format]) as image:
                image.load()
        return True
    except Exception:  # UnidentifiedImageError, OSError, SyntaxError, DecompressionBomb*
        return False
    finally:
        upload.seek(0)


def _ooxml_ok(upload: Any, part: str, max_unpacked: int) -> bool:
    """An Office Open XML file: a zip whose directory lists [Content_Types].xml and the type's
    main part, with at most OOXML_MAX_ENTRIES entries that unpack to at most `max_unpacked`
    bytes in all (a small zip that expands to a gigabyte is refused without unpacking it)."""
    if not _head(upload, 4).startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(_stream(upload)) as archive:
            entries = archive.infolist()
            if len(entries) > OOXML_MAX_ENTRIES:
                return False
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names or part not in names:
                return False
            return sum(entry.file_size for entry in entries) <= max_unpacked
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        upload.seek(0)


def _text_ok(upload: Any) -> bool:
    """Plain text: UTF-8 (or GB 18030) without NUL."""
    upload.seek(0)
    try:
        raw = upload.read()
    finally:
        upload.seek(0)
    data = raw if isinstance(raw, bytes) else raw.encode()
    if b"\0" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def content_matches(extension: str, upload: Any, *, max_unpacked: int | None = None) -> bool:
    """Whether the file is structurally what its extension promises: PDFs and images opened
    with their parsers, Office zips checked for their entries and unpacked size, old Office
    files for their OLE2 header (unknown types an office added: trusted)."""
    if extension == "pdf":
        return _pdf_ok(upload)
    if extension in IMAGE_FORMATS:
        return _image_ok(upload, IMAGE_FORMATS[extension])
    if extension in ("doc", "xls", "ppt"):
        return _head(upload, len(OLE2_MAGIC)).startswith(OLE2_MAGIC)
    if extension in OOXML_PARTS:
        limit = OOXML_MAX_UNPACKED_BYTES if max_unpacked is None else max_unpacked
        return _ooxml_ok(upload, OOXML_PARTS[extension], limit)
    if extension == "txt":
        return _text_ok(upload)
    return True


def _refuse(message: str, rule: str) -> ValidationFailed:
    """The error for a refused file: the message on the form's `file` field and the rule."""
    return ValidationFailed(message, extra={"errors": {"file": message}, "rule": rule})


def check_upload(upload: Any, *, allowed_extensions: Iterable[str], max_bytes: int) -> CheckedFile:
    """Validate one uploaded file (a Django UploadedFile or any object with name, size, read,
    seek). Raises ValidationFailed with a Chinese message naming the rule that failed (also in
    extra["errors"]["file"]; extra["rule"] is "type", "empty", "size" or "content")."""
    allowed = list(allowed_extensions)
    name = clean_name(getattr(upload, "name", ""))
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in allowed:
        raise _refuse(
            _("不支持“%(name)s”的文件类型；只能上传 %(allowed)s。")
            % {"name": name, "allowed": types_label(allowed)},
            "type",
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size <= 0:
        raise _refuse(_("文件“%(name)s”是空文件。") % {"name": name}, "empty")
    if size > max_bytes:
        raise _refuse(
            _("文件“%(name)s”大小为 %(size)s，超过了 %(limit)s 的上限。")
            % {"name": name, "size": size_label(size), "limit": size_label(max_bytes)},
            "size",
        )
    if not content_matches(
        extension, upload, max_unpacked=max(OOXML_MAX_UNPACKED_BYTES, 10 * max_bytes)
    ):
        raise _refuse(
            _(
                "文件“%(name)s”的内容与扩展名 .%(extension)s 不符，可能已损坏或被改名；"
                "请上传真正的 %(type)s 文件。"
            )
            % {"name": name, "extension": extension, "type": type_label(extension)},
            "content",
        )
    return CheckedFile(
        name=name,
        extension=extension,
        size=size,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )


class AttachmentLimits(Protocol):
    """A per-committee settings row with attachment limits (ProposalSettings, OpinionSettings)."""

    @property
    def allowed_extensions(self) -> list[str]: ...

    @property
    def attachment_max_bytes(self) -> int: ...


def check_attachment(upload: Any, settings: AttachmentLimits) -> CheckedFile:
    """`check_upload` with the limits of a committee's settings row."""
    return check_upload(
        upload,
        allowed_extensions=settings.allowed_extensions,
        max_bytes=settings.attachment_max_bytes,
    )


# ---------------------------------------------------------------------------------------------
# Reading an upload no further than the limit

DEFAULT_UPLOAD_MAX_BYTES = 200 * 1024 * 1024  # the largest limit an office can set (200 MB)


def upload_read_limit() -> int:
    """How much of one uploaded file the portal keeps at most (settings.UPLOAD_MAX_BYTES)."""
    return int(getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))


class OversizedUpload(UploadedFile):
    """An uploaded file that went past the read limit: its name and the size read so far (more
    than the limit), no content. check_upload refuses it for its size."""

    def __init__(self, name: str, size: int, content_type: str | None = None) -> None:
        super().__init__(io.BytesIO(b""), name, content_type, size)


class SizeLimitUploadHandler(FileUploadHandler):
    """Put first in FILE_UPLOAD_HANDLERS. Passes each file's data on to the handlers after it
    (memory, temporary file) until the file goes past `upload_read_limit()`; from there on it
    keeps nothing (the rest of that file is skipped, never buffered or written) and the file
    arrives as an OversizedUpload, refused by check_upload with the size message."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = upload_read_limit()
        self.received = 0
        self.oversized = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received = start + len(raw_data)
        if self.received > self.limit:
            self.oversized = True
        # None stops the chunk here: the handlers after this one keep nothing past the limit.
        return None if self.oversized else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.oversized:
            return None  # the next handler (memory or temporary file) gives the file
        return OversizedUpload(self.file_name or "", self.received, self.content_type)
