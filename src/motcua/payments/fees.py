"""What a dossier owes from its procedure's fee schedule (docs/domain.md, "Money").

Per channel: an online submission pays a fee's `online_amount` where the procedure sets one
(often 0 by provincial resolution), everything else pays `amount`. A fee with a
`per_unit_field` is multiplied by that answer of the e-form (for example, the number of copies).
A fee with an `exemption_field` is waived ("miễn") when the e-form answers it with one of the
`exemption_values` (or yes, for a yes/no question); the line stays, at 0 đ, with the reason.
"""

from dataclasses import dataclass

from motcua.catalog.services.content import form_field

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
    exempt: bool = False

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "unit_amount": self.unit_amount,
            "units": self.units,
            "amount": self.amount,
            "reason": self.reason,
            "exempt": self.exempt,
        }


@dataclass(frozen=True)
class FeesDue:
    lines: tuple[FeeLine, ...]

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


def answer(form, path: str):
    """The e-form answer at a dotted path ("requester.poor_household"), or None."""
    value = form
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _units(form, field: str) -> int:
    """The form answer a fee is multiplied by; an answer that is not a positive whole number
    counts as one unit (the document the procedure issues anyway)."""
    value = answer(form, field)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return 1
    return value


def is_exempt(fee, form) -> bool:
    """Whether the e-form's answer puts the applicant among those the fee exempts."""
    if not fee.exemption_field:
        return False
    given = answer(form, fee.exemption_field)
    wanted = list(fee.exemption_values or [])
    if not wanted:
        return given is True
    if isinstance(given, list):  # a multiple-choice question: any listed answer exempts
        return any(item in wanted for item in given if not isinstance(item, (dict, list)))
    return given is not None and not isinstance(given, dict) and given in wanted


def _question(procedure, path: str) -> str:
    """The e-form question at `path` as the applicant reads it (its title; else the path)."""
    node = form_field(procedure.form_schema or {}, path) or {}
    return node.get("title") or path


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
            label = _question(procedure, fee.per_unit_field)
            reasons.append(f"{units} × {format_vnd(unit_amount)} theo “{label}”")
        exempt = unit_amount > 0 and is_exempt(fee, form)
        if exempt:
            reasons = [f"miễn: {fee.exemption_reason}" if fee.exemption_reason else "miễn"]
        lines.append(
            FeeLine(
                name=fee.name,
                kind=fee.kind,
                unit_amount=unit_amount,
                units=units,
                amount=0 if exempt else unit_amount * units,
                reason="; ".join(reasons),
                exempt=exempt,
            )
        )
    return FeesDue(tuple(lines))
