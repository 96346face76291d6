"""Small real files of each type the portal accepts — a one-page PDF, 1×1 PNG and JPEG images,
a minimal .docx/.xlsx — for demo seeders and tests. They pass apps.core.uploads' structure
check (their parsers open them), which bytes that only start like a PDF or a PNG do not."""

from __future__ import annotations

import io
import zipfile

from PIL import Image


def pdf_bytes(comment: str = "") -> bytes:
    """A valid one-page (blank, A4) PDF; `comment` goes in a PDF comment line (ASCII)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    if comment:
        out.write(b"% " + comment.encode("ascii", "replace") + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (1, 1)) -> bytes:
    """A valid image ("PNG" or "JPEG") of `size`, white."""
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, format=kind)
    return out.getvalue()


CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


def ooxml_bytes(part: str = "word/document.xml") -> bytes:
    """A minimal Office Open XML package ([Content_Types].xml and its main `part`)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES_XML)
        archive.writestr(part, "<document/>")
    return out.getvalue()


SAMPLE_PDF = pdf_bytes()
SAMPLE_PNG = image_bytes("PNG")
SAMPLE_JPEG = image_bytes("JPEG")
SAMPLE_DOCX = ooxml_bytes("word/document.xml")
