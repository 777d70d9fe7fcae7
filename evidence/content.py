"""What a file is, from its bytes: the name and the browser's claimed type are never
trusted. `filetype` (pure Python) reads the magic numbers; an Office document of today
(docx, xlsx, pptx) is a zip, so it must also open as one and carry `[Content_Types].xml`,
the OOXML package's manifest (ECMA-376 part 2)."""

import zipfile

import filetype

# What people may attach: PDF, Office (OOXML and the legacy binary formats) and images.
ALLOWED = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}
OOXML = {mime for mime, ext in ALLOWED.items() if ext in ("docx", "xlsx", "pptx")}
# filetype reads no further than this.
HEAD_BYTES = 8192


def detect(stream) -> str | None:
    """The allowed content type of the seekable binary `stream` (read from its start and
    left there), or None when it is none of ALLOWED."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED:
        return None
    if kind.mime in OOXML and not _is_ooxml_package(stream):
        return None
    return kind.mime


def _is_ooxml_package(stream) -> bool:
    try:
        with zipfile.ZipFile(stream) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        stream.seek(0)
    return "[Content_Types].xml" in names


def allowed_extensions() -> list[str]:
    """For the form's `accept` hint (the server still decides from the bytes)."""
    return sorted({f".{ext}" for ext in ALLOWED.values()} | {".jpeg"})
