"""What a dossier owes from its procedure's fee schedule (domain.md, "Money").

Per channel: an online submission pays a fee's `online_amount` where the procedure sets one
(often 0 by provincial resolution), everything else pays `amount`. A fee with a
`per_unit_field` is multiplied by that answer of the e-form (for example, the number of copies).
"""

from dataclasses import dataclass

from .money import format_vnd

ONLINE = "online"


@dataclass(frozen=True)
class FeeLine:
    name: str
    kind: str
    unit_amount: int
    units: int
    amount: int
    reason: str

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "unit_amount": self.unit_amount,
            "units": self.units,
            "amount": self.amount,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class FeesDue:
    lines: tuple[FeeLine, ...]

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


def _units(form, field: str) -> int:
    """The form answer a fee is multiplied by; an answer that is not a positive whole number
    counts as one unit (the document the procedure issues anyway)."""
    value = form.get(field) if isinstance(form, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return 1
    return value


def fees_due(procedure, channel: str, form: dict | None = None) -> FeesDue:
    """The fee lines a dossier of `procedure` sent through `channel` with `form` owes."""
    lines = []
    for fee in procedure.fees.all():
        unit_amount, reasons = fee.amount, []
        if channel == ONLINE and fee.online_amount is not None:
            unit_amount = fee.online_amount
            if fee.online_amount != fee.amount:
                reasons.append("mức thu khi nộp trực tuyến")
        units = _units(form, fee.per_unit_field) if fee.per_unit_field else 1
        if fee.per_unit_field:
            reasons.append(
                f"{units} × {format_vnd(unit_amount)} theo trường “{fee.per_unit_field}”"
            )
        lines.append(
            FeeLine(
                name=fee.name,
                kind=fee.kind,
                unit_amount=unit_amount,
                units=units,
                amount=unit_amount * units,
                reason="; ".join(reasons),
            )
        )
    return FeesDue(tuple(lines))
