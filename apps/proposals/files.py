"""Checking uploaded files (attachments, reply letters, co-unit views) against the committee's
limits: size, allowed extensions, and the file's real type read from its first bytes, so a
renamed executable or a picture called ".pdf" is refused with a clear message.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from apps.core.errors import ValidationFailed

from .models import ProposalSettings

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
TYPE_LABELS = {
    "pdf": "PDF",
    "doc": "Word（.doc）",
    "docx": "Word（.docx）",
    "jpg": "JPG 图片",
    "jpeg": "JPG 图片",
    "png": "PNG 图片",
}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    size: int
    content_type: str


def _head(upload: Any, length: int = 2048) -> bytes:
    upload.seek(0)
    data = upload.read(length)
    upload.seek(0)
    return data if isinstance(data, bytes) else data.encode()


def _is_docx(upload: Any) -> bool:
    upload.seek(0)
    try:
        raw = upload.read()
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def _content_matches(extension: str, upload: Any) -> bool:
    head = _head(upload)
    if extension == "pdf":
        return b"%PDF-" in head[:1024]
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension == "doc":
        return head.startswith(OLE2_MAGIC)
    if extension == "docx":
        return head.startswith(b"PK\x03\x04") and _is_docx(upload)
    # A type the office added that we cannot recognise: trust the extension.
    return True


def clean_name(name: str) -> str:
    base = PurePath((name or "").replace("\\", "/")).name.strip()
    return base[-200:] or "附件"


def _size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return (
            f"{size / (1024 * 1024):.0f} MB"
            if size % (1024 * 1024) == 0
            else (f"{size / (1024 * 1024):.1f} MB")
        )
    return f"{max(1, size // 1024)} KB"


def check_upload(upload: Any, settings: ProposalSettings) -> CheckedFile:
    """Validate one uploaded file (a Django UploadedFile or any object with name, size, read,
    seek). Raises ValidationFailed with a Chinese message naming the rule that failed."""
    name = clean_name(getattr(upload, "name", ""))
    extension = PurePath(name).suffix.lower().lstrip(".")
    allowed = settings.allowed_extensions
    allowed_label = "、".join(dict.fromkeys(TYPE_LABELS.get(ext, ext.upper()) for ext in allowed))
    if extension not in allowed:
        raise ValidationFailed(
            f"不支持“{name}”的文件类型；只能上传 {allowed_label}。",
            extra={"file": name, "rule": "type"},
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size <= 0:
        raise ValidationFailed(f"文件“{name}”是空文件。", extra={"file": name, "rule": "empty"})
    if size > settings.attachment_max_bytes:
        raise ValidationFailed(
            f"文件“{name}”大小为 {_size_label(size)}，超过了 "
            f"{_size_label(settings.attachment_max_bytes)} 的上限。",
            extra={"file": name, "rule": "size"},
        )
    if not _content_matches(extension, upload):
        raise ValidationFailed(
            f"文件“{name}”的内容与扩展名 .{extension} 不符，可能已损坏或被改名；"
            f"请上传真正的 {TYPE_LABELS.get(extension, extension.upper())} 文件。",
            extra={"file": name, "rule": "content"},
        )
    return CheckedFile(
        name=name,
        extension=extension,
        size=size,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
