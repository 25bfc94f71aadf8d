"""Accounts test data: citizens with real (valid) ID numbers, organisations with real tax codes."""

import itertools

from django.contrib.auth import get_user_model

from motcua.core import ids

PASSWORD = "Mat-khau-an-toan-2026"
_serial = itertools.count(1)


def id_number() -> str:
    """A fresh valid ID number (province 001, Hà Nội)."""
    return f"001{next(_serial):09d}"


def tax_code() -> str:
    while True:
        code = ids.with_tax_check_digit(f"01{next(_serial):07d}")
        if code:
            return code


def citizen(full_name="Nguyễn Văn An", password=PASSWORD, **extra):
    number = extra.pop("id_number", None) or id_number()
    username = extra.pop("username", number)
    return get_user_model().objects.create_user(
        username=username, password=password, id_number=number, full_name=full_name, **extra
    )
