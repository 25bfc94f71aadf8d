"""What the dossiers app offers the apps above it, so that they react to a dossier's life
without `dossiers` importing them (docs/architecture.md, "Layers").

`event_appended` is sent by `append_event` for every event of a dossier's history, *inside*
the transaction that wrote it: a receiver that writes rows (an outbox message, a sync
message, an aggregate) writes them atomically with the change, and an exception it raises
rolls the whole action back. Receivers register in their `AppConfig.ready()`:

    event_appended.connect(receiver, dispatch_uid="…")

and are called as `receiver(sender=Event, event=event)`. They must not send anything over the
network from there: write an outbox row and let a task deliver it after commit.

`dossier_fees` is the port through which the life cycle asks about a dossier's money (what
its procedure charges, what it owes now, what was asked and paid): the payments app keeps the
money and fills it in its `AppConfig.ready()` with an object of the `DossierFees` shape.

`result_sealing` is the port through which `finish` signs the result: the vault keeps the
signed results and their verification tokens and fills it with a function
`seal(dossier, stored_file, actor, now) -> StoredFile` giving the file to attach (the
signed copy, or the same file when the agency has no signing certificate or it is no PDF).

`vault_documents` is the port through which a new dossier takes a component from the
applicant's vault: the vault fills it with an object of the `VaultDocuments` shape.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.dispatch import Signal

from motcua.core.ports import Port

event_appended = Signal()


@dataclass(frozen=True)
class Owed:
    """What a dossier owes now: the total in đồng and its lines (the fee lines' dicts:
    name, kind, unit_amount, units, amount, reason, exempt)."""

    total: int
    lines: list[dict]


class DossierFees(Protocol):
    def scheduled(self, dossier) -> int:
        """The procedure's fees for this dossier (channel, form answers, exemptions), whether
        or not they are due yet."""
        ...

    def owed(self, dossier, *, nothing_paid: bool = False) -> Owed:
        """What it owes now. `nothing_paid`: no money came in yet (just submitted)."""
        ...

    def owed_before_processing(self, dossier) -> int:
        """What it owes now that must be paid before it is processed (0: nothing)."""
        ...

    def requested(self, dossier) -> int | None:
        """The amount asked for when it was last put to waiting for payment, or None."""
        ...

    def paid(self, dossier) -> list[dict]:
        """The money paid for it, oldest first: {amount, receipt_number, at, ours}."""
        ...

    def collect_at_counter(self, dossier, officer, *, method: str, now: datetime) -> None:
        """A reception officer takes what it owes in cash or by card, with its receipt."""
        ...


# dossier_fees() -> DossierFees
dossier_fees: Port = Port("dossier fees")

# result_sealing(dossier, stored_file, actor, now) -> StoredFile
result_sealing: Port = Port("result sealing")


class VaultDocuments(Protocol):
    def offered(self, user, spec) -> list:
        """The user's vault documents that could serve as the component `spec` (matching
        kind or title, shown, not expired)."""
        ...

    def take(self, user, document_id):
        """The StoredFile of the user's vault document `document_id`, shown and not
        expired; NotFound for anybody else's or none (never a hint that it exists)."""
        ...


# vault_documents() -> VaultDocuments
vault_documents: Port = Port("vault documents")
