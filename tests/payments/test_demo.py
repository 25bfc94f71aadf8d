import pytest

from motcua.payments import demo
from motcua.payments.models import CollectionAccount
from motcua.payments.vietqr import build_payload, parse_payload

from . import factories as f


@pytest.mark.django_db
def test_seed_gives_receiving_agencies_a_valid_account_once(w):
    CollectionAccount.objects.all().delete()
    assert demo.seed() == {}
    account = CollectionAccount.objects.get()  # only the agency with procedures
    assert account.agency.code == f.HOME and len(account.account_number) == 12
    account.full_clean()
    payload = build_payload(bank_bin=account.bank_bin, account=account.account_number, amount=1000)
    assert parse_payload(payload).account == account.account_number
    demo.seed()
    assert CollectionAccount.objects.count() == 1
