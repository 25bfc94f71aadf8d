"""The payments app's answers to the dossier life cycle's questions about money
(`dossiers.hooks.DossierFees`), filled into the `dossier_fees` port in `ready()`."""

from datetime import datetime

from motcua.dossiers.hooks import Owed
from motcua.dossiers.models import Dossier

from . import fees, queries, services


class PaymentsDossierFees:
    def scheduled(self, dossier: Dossier) -> int:
        return fees.fees_due(dossier.procedure, dossier.channel, dossier.form).total

    def owed(self, dossier: Dossier, *, nothing_paid: bool = False) -> Owed:
        owed = services.amount_owed(dossier, nothing_paid=nothing_paid)
        return Owed(owed.total, [line.as_dict() for line in owed.lines])

    def owed_before_processing(self, dossier: Dossier) -> int:
        if not services.blocks_processing(dossier):
            return 0
        return services.amount_owed(dossier).total

    def requested(self, dossier: Dossier) -> int | None:
        return services.requested_amount(dossier)

    def paid(self, dossier: Dossier) -> list[dict]:
        return queries.paid_items(dossier)

    def collect_at_counter(self, dossier: Dossier, officer, *, method: str, now: datetime) -> None:
        services.start_payment(dossier.code, officer, method=method, now=now)


DOSSIER_FEES = PaymentsDossierFees()
