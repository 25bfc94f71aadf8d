from datetime import datetime

from motcua.workdays.deadlines import LOCAL_TZ


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware instant in Asia/Ho_Chi_Minh."""
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)
