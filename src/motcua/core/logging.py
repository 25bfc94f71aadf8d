"""Structured (JSON lines) logs. Never put personal data in `extra`."""

import json
import logging
from datetime import UTC, datetime

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key in _STANDARD:
                continue
            if key == "request":
                # Django's error loggers pass the request, whose text would carry the query
                # string (ID numbers in /lookup); keep the method and the path only.
                value = f"{getattr(value, 'method', '')} {getattr(value, 'path', '')}".strip()
            entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
