"""Virus scanning of uploads through a small protocol (docs/uploads.md).

`get_scanner()` answers the scanner the settings name: `ClamdScanner` when `CLAMD_SOCKET` (a
Unix socket path) or `CLAMD_HOST` is set, else `NoScanner`, which lets everything through, so
a development machine or a test needs no daemon. A configured daemon that does not answer
refuses the upload (`ScannerUnavailable`, 503): a file is never kept unscanned by accident.
"""

from functools import cache
from typing import BinaryIO, Protocol

from django.conf import settings

from motcua.core.errors import DomainError


class ScannerUnavailable(DomainError):
    status = 503
    code = "scanner_unavailable"
    message = "Chưa kiểm tra được tệp (dịch vụ quét mã độc không phản hồi); vui lòng thử lại sau."


class Scanner(Protocol):
    def scan(self, fileobj: BinaryIO) -> str | None:
        """The name of the threat found in the file, or None when it is clean."""


class NoScanner:
    def scan(self, fileobj: BinaryIO) -> str | None:
        return None


class ClamdScanner:
    """clamd's INSTREAM command, over its Unix socket or TCP (Debian's clamav-daemon)."""

    def __init__(self, *, socket_path: str = "", host: str = "", port: int = 3310, timeout=30):
        from clamav_client import clamd

        if socket_path:
            self.client = clamd.ClamdUnixSocket(path=socket_path, timeout=timeout)
        else:
            self.client = clamd.ClamdNetworkSocket(host=host, port=port, timeout=timeout)
        self.errors = (clamd.ClamdError, OSError)

    def scan(self, fileobj: BinaryIO) -> str | None:
        fileobj.seek(0)
        try:
            results = self.client.instream(fileobj)
        except self.errors as error:
            raise ScannerUnavailable() from error
        finally:
            fileobj.seek(0)
        for status, threat in results.values():
            if status == "FOUND":
                return threat or "unknown"
            if status == "ERROR":
                raise ScannerUnavailable()
        return None


@cache
def get_scanner() -> Scanner:
    if settings.CLAMD_SOCKET or settings.CLAMD_HOST:
        return ClamdScanner(
            socket_path=settings.CLAMD_SOCKET, host=settings.CLAMD_HOST, port=settings.CLAMD_PORT
        )
    return NoScanner()
