"""Text normalisation for Vietnamese search: case- and diacritic-insensitive."""

import re
import unicodedata

from unidecode import unidecode

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII form: "ĐĂNG KÝ Khai sinh" -> "dang ky khai sinh"."""
    text = unicodedata.normalize("NFC", text or "")
    return _NON_WORD.sub(" ", unidecode(text).lower()).strip()


def words(text: str) -> list[str]:
    return fold(text).split()
