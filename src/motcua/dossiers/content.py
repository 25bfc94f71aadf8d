"""What an accepted upload may not carry (docs/uploads.md): PDFs with JavaScript, launch
actions or embedded files, and ZIP-based office files that inflate past a bound.

The checks read the structure, never run anything: pypdf walks every object of the PDF (names
are compared after decoding, so `/J#61vaScript` is `/JavaScript`), and a ZIP's central directory
gives each entry's inflated size without inflating it.
"""

import re
import zipfile

from django.conf import settings
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# Keys and action types that make a PDF do something when it is opened or clicked.
ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/EmbeddedFiles": "tệp nhúng",
    "/EmbeddedFile": "tệp nhúng",
    "/Launch": "lệnh chạy chương trình",
}
ACTIVE_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "lệnh chạy chương trình",
    "/ImportData": "lệnh nhập dữ liệu",
    "/SubmitForm": "lệnh gửi biểu mẫu",
}
MAX_PDF_OBJECTS = 200_000
RAW_TOKENS = [(key.encode(), what) for key, what in ACTIVE_KEYS.items()]


def pdf_active_content(fileobj) -> str | None:
    """What active content the PDF carries (in Vietnamese), or None. An unreadable PDF is
    reported as such: what a reader cannot parse, we do not keep."""
    fileobj.seek(0)
    try:
        reader = PdfReader(fileobj, strict=False)
        seen: set[tuple[int, int]] = set()
        stack: list = [reader.trailer]
        while stack:
            node = stack.pop()
            if isinstance(node, IndirectObject):
                ref = (node.idnum, node.generation)
                if ref in seen:
                    continue
                seen.add(ref)
                if len(seen) > MAX_PDF_OBJECTS:
                    return "cấu trúc quá lớn"
                node = node.get_object()
            if isinstance(node, DictionaryObject):
                for key, value in node.items():
                    if key in ACTIVE_KEYS:
                        return ACTIVE_KEYS[key]
                    if key == "/S" and isinstance(value, NameObject) and value in ACTIVE_ACTIONS:
                        return ACTIVE_ACTIONS[value]
                    stack.append(value)
            elif isinstance(node, ArrayObject):
                stack.extend(node)
    except (PdfReadError, ValueError, KeyError, TypeError, RecursionError, OSError):
        # What pypdf cannot parse a lenient reader may still open: look at the raw names.
        return _raw_active_content(fileobj)
    finally:
        fileobj.seek(0)
    return None


def _raw_active_content(fileobj) -> str | None:
    fileobj.seek(0)
    data = fileobj.read()
    # Names may hide letters as #xx escapes (PDF 1.2+): decode them before looking.
    names = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), data)
    for token, what in RAW_TOKENS:
        if re.search(re.escape(token) + rb"(?![A-Za-z0-9])", names):
            return what
    return None


def zip_over_bounds(fileobj) -> str | None:
    """Why the ZIP container is too big once inflated (in Vietnamese), or None."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # sniffing has already refused what is not a readable container
    finally:
        fileobj.seek(0)
    if len(entries) > settings.MAX_ZIP_ENTRIES:
        return f"có {len(entries)} thành phần (tối đa {settings.MAX_ZIP_ENTRIES})"
    inflated = sum(entry.file_size for entry in entries)
    if inflated > settings.MAX_INFLATED_MB * 1024 * 1024:
        return f"khi giải nén vượt quá {settings.MAX_INFLATED_MB} MB"
    return None
