"""Demo dossiers: a year of history across the demo procedures and agencies, in every status,
made through the services with the clock set back, so that inboxes, the history and the later
dashboards show real shapes. Idempotent: nothing is done when dossiers exist already."""

import io
import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from motcua.catalog.demo import get_or_create_user, load
from motcua.catalog.models import Agency, OfficerRole, Procedure
from motcua.core.errors import DomainError
from motcua.workdays.deadlines import add_working_time

from . import services
from .demo_answers import GIVEN, answer, person_name, tax_code
from .files import store_file
from .hooks import dossier_fees
from .models import DigitalTeamMember, Dossier, Status

TOTAL = 240  # dossiers over the past year
RECENT = 50  # of which in the last two weeks, so that the inboxes have work in hand
SEED = 20260101


def _one_page_pdf() -> bytes:
    """A blank A4 page as a complete PDF (with its cross-reference table, so that a result
    made of it can be signed as an incremental update)."""
    objects = (
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
    )
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj" % number + body + b"endobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


DEMO_PDF = _one_page_pdf()


class _Later(Exception):
    """The next action would happen after now: the dossier stays where it is."""


def seed(now: datetime | None = None) -> dict:
    helpers = _seed_digital_team()
    _seed_history(now)
    return {"helpers": helpers}


def _seed_digital_team() -> list[dict]:
    """The community digital team members of demo_users.json: citizens' accounts that may
    submit for others (dossiers/assisted.py)."""
    users = load("users")
    password = users["passwords"]["citizen"]
    printed = []
    for row in users.get("digital_team", []):
        user = get_or_create_user(
            row["id_number"],
            password,
            full_name=row["full_name"],
            id_number=row["id_number"],
            phone=row.get("phone", ""),
        )
        agency = Agency.objects.get(code=row["agency"])
        DigitalTeamMember.objects.get_or_create(
            user=user, defaults={"agency": agency, "team_name": row["team_name"]}
        )
        printed.append(
            {
                "username": row["id_number"],
                "password": password,
                "full_name": row["full_name"],
                "organisation": f"{row['team_name']} — {agency.name}",
            }
        )
    return printed


def _seed_history(now: datetime | None) -> None:
    if Dossier.objects.exists():
        return
    now = now or timezone.now()
    rng = random.Random(SEED)
    staff = _staff()
    plans = [plan for plan in _plans(staff) if plan]
    if not plans:
        return
    citizens = list(
        get_user_model()
        .objects.filter(id_number__isnull=False, officer_roles__isnull=True)
        .order_by("id")
    )
    year, fortnight = now - timedelta(days=365), now - timedelta(days=15)
    instants = [
        year + (fortnight - year) * ((i + rng.random()) / (TOTAL - RECENT))
        for i in range(TOTAL - RECENT)
    ] + [fortnight + (now - fortnight) * ((i + rng.random()) / RECENT) for i in range(RECENT)]
    with transaction.atomic():
        for at in instants:
            procedure, agency = rng.choice(plans)
            _Life(rng, staff, procedure, agency, citizens, now).run(at)
        _every_status(rng, staff, plans, citizens, now)
        services.mark_deadlines(now)


def _every_status(rng, staff, plans, citizens, now) -> None:
    """Make sure each status of the life cycle (but draft) has at least one dossier."""
    present = set(Dossier.objects.values_list("status", flat=True).distinct())
    for status in Status.values:
        if status == Status.DRAFT or status in present:
            continue
        for _ in range(20):
            procedure, agency = rng.choice(plans)
            life = _Life(rng, staff, procedure, agency, citizens, now)
            life.run(now - timedelta(days=rng.randint(2, 8)), target=status)
            if life.dossier is not None and life.dossier.status == status:
                break


def _staff() -> dict[tuple[int, str], list]:
    staff: dict[tuple[int, str], list] = {}
    for role in OfficerRole.objects.select_related("user").order_by("id"):
        staff.setdefault((role.agency_id, role.role), []).append(role.user)
    return staff


def _plans(staff) -> list[tuple[Procedure, object]]:
    """(procedure, agency) pairs whose every step has an officer to do it."""
    plans = []
    procedures = Procedure.objects.filter(status=Procedure.Status.PUBLISHED).prefetch_related(
        "agencies", "steps", "components"
    )
    for procedure in procedures.order_by("code"):
        for agency in procedure.agencies.all():
            needed = {(step.agency_id or agency.pk, step.role) for step in procedure.steps.all()}
            needed |= {
                (agency.pk, OfficerRole.Role.RECEPTION),
                (agency.pk, OfficerRole.Role.LEADER),
            }
            if procedure.steps.exists() and all(key in staff for key in needed):
                plans.append((procedure, agency))
    return plans


class _Life:
    """One dossier's life, acted out through the services at increasing instants."""

    def __init__(self, rng, staff, procedure, agency, citizens, now):
        self.rng, self.staff, self.procedure, self.agency = rng, staff, procedure, agency
        self.citizens, self.now = citizens, now
        self.dossier = None
        self.hours = agency.office_hours
        self.target = None

    def officer(self, agency_id, role):
        return self.rng.choice(self.staff[(agency_id, role)])

    def later(self, at, low, high) -> datetime:
        hours = Decimal(str(round(self.rng.uniform(low, high), 2)))
        moment = add_working_time(at, hours, self.hours)
        if moment >= self.now:
            raise _Later
        return moment

    def act(self, action, actor, at, **args):
        self.dossier = services.perform(self.dossier.pk, action, actor, now=at, **args)
        if self.dossier.status == self.target:
            raise _Later

    def chance(self, p: float, status: str | None = None) -> bool:
        """A random turn of the story, always taken when it leads to the target status."""
        if self.target is not None:
            return status == self.target
        return self.rng.random() < p

    def run(self, at: datetime, target: str | None = None) -> None:
        self.target = target
        at = add_working_time(at, 0, self.hours)  # into office hours
        if at >= self.now:
            return
        try:
            self._create(at)
            if self.dossier.status != self.target:
                self._walk(at)
        except _Later:
            pass
        except DomainError:
            # A demo procedure whose e-form the sampler cannot fill is simply left out.
            pass

    def _files(self, owner) -> list[dict]:
        return [
            {
                "spec_id": spec.pk,
                "file_id": str(store_file(io.BytesIO(DEMO_PDF), f"{spec.name[:80]}.pdf", owner).pk),
            }
            for spec in self.procedure.components.all()
        ]

    def _create(self, at):
        rng = self.rng
        form = answer(self.procedure.form_schema or {}, rng)
        kinds = self.procedure.applicant_kinds or ["citizen"]
        organisation = "citizen" not in kinds or ("organisation" in kinds and rng.random() < 0.3)
        company = {
            "kind": "organisation",
            "full_name": f"Công ty TNHH {rng.choice(GIVEN)} {rng.choice(GIVEN)}",
            "tax_code": tax_code(rng),
        }
        online = (
            "online" in (self.procedure.channels or [])
            and self.procedure.online_level != Procedure.OnlineLevel.NONE
            and self.citizens
            and (rng.random() < 0.55 or self.target in ("submitted", "withdrawn"))
        )
        if online:
            citizen = rng.choice(self.citizens)
            self.applicant = citizen
            self.dossier = services.submit_online(
                applicant_user=citizen,
                procedure=self.procedure.code,
                agency=self.agency.code,
                form=form,
                components=self._files(citizen),
                applicant={
                    **(company if organisation else {}),
                    "address": f"Tổ {rng.randint(1, 30)}, {self.agency.name}",
                },
                now=at,
            )
        else:
            reception = self.officer(self.agency.pk, OfficerRole.Role.RECEPTION)
            own = self.citizens and rng.random() < 0.2
            citizen = rng.choice(self.citizens) if own else None
            self.applicant = citizen
            name = person_name(rng)
            self.dossier = services.receive_at_counter(
                officer=reception,
                procedure=self.procedure.code,
                agency=self.agency.code,
                applicant={
                    "kind": "citizen",
                    "full_name": citizen.full_name if citizen else name,
                    "id_number": citizen.id_number
                    if citizen
                    else f"0{rng.randint(10, 99)}{rng.randint(0, 999999999):09d}",
                    "phone": f"09{rng.randint(0, 99999999):08d}",
                },
                form=form,
                components=self._files(reception),
                applicant_user=citizen,
                now=at,
            )

    def _walk(self, at):
        rng, d = self.rng, self.dossier
        reception = self.officer(self.agency.pk, OfficerRole.Role.RECEPTION)
        if d.status == "submitted":
            at = self.later(at, 0.2, 4)
            roll = rng.random() if self.target is None else 1
            if roll < 0.04 or self.target == "refused":
                return self.act("refuse", reception, at, reason="Hồ sơ không thuộc thẩm quyền.")
            if (roll < 0.08 or self.target == "withdrawn") and self.applicant:
                return self.act("withdraw", self.applicant, at, reason="Nộp nhầm thủ tục.")
            self.act("receive", reception, at)
        if dossier_fees().owed_before_processing(self.dossier) > 0:
            at = self._pay(at, reception)
        if self.chance(0.12, "awaiting_supplement"):
            at = self._supplement(at, reception, twice=rng.random() < 0.15)
        if self.chance(0.03, "stopped"):
            at = self.later(at, 0.5, 6)
            leader = self.officer(self.agency.pk, OfficerRole.Role.LEADER)
            return self.act("stop", leader, at, reason="Người nộp đề nghị dừng giải quyết.")
        fees = services.fees_due(self.dossier)
        if (fees and rng.random() < 0.3) or self.target == "awaiting_payment":
            at = self.later(at, 0.2, 2)
            self.act("request_payment", reception, at, amount=fees or 50000)
            at = self.later(at, 0.5, 16)
            self.act("record_payment", reception, at, receipt_number=f"BL{rng.randint(1, 99999)}")
        while True:
            d = self.dossier
            step = d.current_step
            budget = float(step.budget_hours)
            holder = self.officer(d.acting_agency_id, step.role)
            # Most steps take a part of their budget; a few run over it.
            share = rng.uniform(1.0, 1.6) if rng.random() < 0.08 else rng.uniform(0.05, 0.8)
            at = self.later(at, budget * share * 0.8, budget * share)
            allowed = services.allowed_actions(d, holder, at)
            if step.role == OfficerRole.Role.LEADER or not ({"forward", "transfer"} & set(allowed)):
                break
            if rng.random() < 0.04 and "apologize" in allowed and d.due_at > at:
                self.act(
                    "apologize",
                    holder,
                    at,
                    reason="Cần thêm thời gian xác minh.",
                    new_due_at=add_working_time(d.due_at, Decimal(16), self.hours),
                )
            self.act("forward" if "forward" in allowed else "transfer", holder, at)
        leader = self.officer(self.dossier.acting_agency_id, OfficerRole.Role.LEADER)
        result = store_file(io.BytesIO(DEMO_PDF), "ket-qua.pdf", leader)
        self.act("finish", leader, at, result_file_id=str(result.pk))
        at = self._pay(self.later(at, 0.5, 24), reception)
        delivery = (
            "electronic"
            if self.dossier.channel == "online"
            else rng.choice(["counter", "counter", "post"])
        )
        self.act("return_result", reception, at, delivery=delivery)

    def _pay(self, at, reception):
        """What the dossier owes, paid at the counter (cash, or card for online dossiers),
        with its receipt: the way back to processing when it waits for payment."""
        if dossier_fees().owed(self.dossier).total <= 0:
            return at
        at = self.later(at, 0.1, 2)
        method = "cash" if self.dossier.channel == "counter" else "card"
        dossier_fees().collect_at_counter(self.dossier, reception, method=method, now=at)
        self.dossier = Dossier.objects.get(pk=self.dossier.pk)
        if self.dossier.status == self.target:
            raise _Later
        return at

    def _supplement(self, at, reception, twice):
        for _ in range(2 if twice else 1):
            at = self.later(at, 0.5, 4)
            spec = self.procedure.components.first()
            missing = [spec.pk] if spec else ["Bản sao giấy tờ tùy thân"]
            self.act("request_supplement", reception, at, missing=missing)
            at = self.later(at, 4, 40)
            actor = self.applicant or reception
            owner = actor
            files = [
                {
                    "name": "Giấy tờ bổ sung",
                    "file_id": str(store_file(io.BytesIO(DEMO_PDF), "bo-sung.pdf", owner).pk),
                }
            ]
            self.act("supplement", actor, at, components=files)
        return at
