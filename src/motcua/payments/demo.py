"""Demo data: a fee collection account for every agency that receives dossiers, so that the
demo procedures with fees can be paid by VietQR (with the demo gateway when it is offered)."""

import re

from django.db import transaction

from motcua.catalog.models import Agency
from motcua.core.text import fold

from .models import CollectionAccount

DEMO_BANK_BIN = "970415"  # VietinBank, where many State Treasury collection accounts are held
DEMO_BANK_NAME = "Ngân hàng TMCP Công Thương Việt Nam (VietinBank)"


def demo_account_number(agency_code: str) -> str:
    """A stable 12-digit number made from the agency code (not a real account)."""
    digits = re.sub(r"\D", "", agency_code)
    return ("3711" + digits)[-12:].rjust(12, "0")


def seed() -> dict:
    with transaction.atomic():
        agencies = Agency.objects.filter(procedures__isnull=False).distinct()
        for agency in agencies:
            CollectionAccount.objects.get_or_create(
                agency=agency,
                defaults={
                    "bank_bin": DEMO_BANK_BIN,
                    "bank_name": DEMO_BANK_NAME,
                    "account_number": demo_account_number(agency.code),
                    "account_name": fold(agency.name).upper()[:200],
                },
            )
    return {}
