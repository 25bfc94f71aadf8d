"""Demo feedback (phản ánh, kiến nghị): a year of it across the demo agencies, in every
status, made through the services with the clock set back: some decided or answered late,
some asking for information, transferred, refused, liked and disliked, some reopened. So that
the inboxes, the public list and indicators 6.1 and 6.2 have real shapes. Idempotent: nothing
is done when feedback exists already."""

import random
import uuid
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import Agency, OfficerRole
from motcua.core import onetime
from motcua.core.errors import DomainError
from motcua.dossiers.files import store_file
from motcua.dossiers.models import Dossier
from motcua.workdays.deadlines import add_working_time

from . import services
from .models import ContactCode, Feedback, FeedbackStatus
from .services.submission import CODE_SALT

TOTAL = 120
RECENT = 25  # in the last two weeks, so that the inboxes have work in hand
SEED = 20260412
DEMO_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
# (category, title, content, answer)
STORIES = [
    (
        "place",
        "Đèn chiếu sáng hỏng trên đường Hoàng Liên",
        "Cụm đèn chiếu sáng đoạn gần cầu Cốc Lếu tắt đã hơn một tuần, buổi tối rất tối và nguy hiểm.",
        "Đơn vị quản lý chiếu sáng đã thay bộ điều khiển, hệ thống đèn hoạt động bình thường.",
    ),
    (
        "place",
        "Rác thải tập kết sai nơi quy định",
        "Rác sinh hoạt bị đổ ở bãi đất trống cạnh trường tiểu học, bốc mùi vào giờ học.",
        "Đã thu gom toàn bộ rác, đặt biển cấm đổ rác và giao tổ dân phố giám sát.",
    ),
    (
        "place",
        "Ổ gà trên tỉnh lộ 156",
        "Mặt đường xuất hiện nhiều ổ gà sâu sau mưa lớn, xe máy dễ ngã.",
        "Đã vá các ổ gà bằng bê tông nhựa nguội, sẽ sửa chữa định kỳ trong quý tới.",
    ),
    (
        "service",
        "Chờ lâu tại Bộ phận Một cửa",
        "Tôi đến nộp hồ sơ buổi sáng nhưng phải chờ hơn hai giờ, máy lấy số thứ tự bị hỏng.",
        "Đã sửa máy lấy số và bố trí thêm một quầy tiếp nhận vào giờ cao điểm.",
    ),
    (
        "service",
        "Không nhận được kết quả qua bưu điện",
        "Hồ sơ đã có kết quả nhưng tôi chưa nhận được bưu phẩm như đã đăng ký.",
        "Bưu điện đã xác minh và chuyển lại bưu phẩm; xin lỗi ông/bà về sự chậm trễ.",
    ),
    (
        "conduct",
        "Cán bộ hướng dẫn chưa nhiệt tình",
        "Khi hỏi về giấy tờ cần chuẩn bị, cán bộ trả lời qua loa và không đưa phiếu hướng dẫn.",
        "Cơ quan đã nhắc nhở cán bộ và niêm yết phiếu hướng dẫn tại mọi quầy.",
    ),
    (
        "regulation",
        "Đề nghị giảm giấy tờ khi đăng ký thường trú",
        "Đã có căn cước điện tử nhưng vẫn phải nộp bản sao giấy tờ nhân thân.",
        "Từ tháng này thông tin nhân thân được khai thác từ Cơ sở dữ liệu quốc gia về dân cư.",
    ),
    (
        "regulation",
        "Thời gian cấp phép xây dựng còn dài",
        "Đề nghị rút ngắn thời gian cấp giấy phép xây dựng nhà ở riêng lẻ.",
        "Kiến nghị đã được tổng hợp gửi Sở Xây dựng để xem xét khi rà soát quy trình nội bộ.",
    ),
    (
        "other",
        "Đề nghị mở thêm điểm thu gom pin cũ",
        "Khu dân cư chưa có nơi thu gom pin, bóng đèn hỏng, người dân phải bỏ chung với rác.",
        "Đã đặt thêm hai điểm thu gom tại nhà văn hóa tổ 5 và tổ 8.",
    ),
]
REASONS = ["not_in_scope", "duplicate", "unclear"]


def seed(now: datetime | None = None) -> dict:
    if Feedback.objects.exists():
        return {}
    now = now or timezone.now()
    staff = _staff()
    citizens = list(
        get_user_model()
        .objects.filter(id_number__isnull=False, officer_roles__isnull=True)
        .order_by("id")
    )
    if not staff or not citizens:
        return {}
    rng = random.Random(SEED)
    year, fortnight = now - timedelta(days=365), now - timedelta(days=15)
    old, recent = TOTAL - RECENT, RECENT
    instants = [year + (fortnight - year) * ((i + rng.random()) / old) for i in range(old)]
    instants += [
        fortnight + (now - fortnight) * ((i + rng.random()) / recent) for i in range(recent)
    ]
    with transaction.atomic():
        for at in instants:
            _Life(rng, staff, citizens, now).run(at)
        _every_status(rng, staff, citizens, now)
        services.mark_deadlines(now)
    return {}


def _staff() -> dict[int, dict[str, list]]:
    """{agency id: {role: [officers]}} of the agencies with a leader (who may do every
    officer's action of the workflow)."""
    staff: dict[int, dict[str, list]] = {}
    for role in OfficerRole.objects.select_related("user").order_by("id"):
        staff.setdefault(role.agency_id, {}).setdefault(role.role, []).append(role.user)
    return {agency: roles for agency, roles in staff.items() if roles.get("leader")}


def _every_status(rng, staff, citizens, now) -> None:
    present = set(Feedback.objects.values_list("status", flat=True).distinct())
    for status in FeedbackStatus.values:
        for _ in range(30):
            if status in present:
                break
            life = _Life(rng, staff, citizens, now, target=status)
            life.run(now - timedelta(days=rng.randint(1, 4)))
            if life.fb is not None:
                present.add(life.fb.status)


class _Later(Exception):
    """The next action would happen after now: the feedback stays where it is."""


class _Life:
    def __init__(self, rng, staff, citizens, now, target: str | None = None):
        self.rng, self.staff, self.citizens, self.now = rng, staff, citizens, now
        self.target, self.fb, self.at = target, None, None

    def officer(self, *roles):
        held = self.staff.get(self.fb.agency_id, {})
        for role in roles:
            if held.get(role):
                return self.rng.choice(held[role])
        return self.rng.choice(held["leader"])

    def later(self, low: float, high: float) -> datetime:
        """A moment `low`–`high` working days after the last action, within office hours."""
        hours = self.rng.uniform(low, high) * 8
        at = add_working_time(self.at, hours, self.fb.agency.office_hours)
        if at > self.now:
            raise _Later()
        self.at = at
        return at

    def act(self, action, actor, at, **args):
        self.fb = services.perform(self.fb, action, actor, now=at, **args)

    def stop(self, status: str) -> bool:
        return self.target == status

    def run(self, at: datetime) -> None:
        try:
            with transaction.atomic():
                try:
                    self._submit(at)
                    self._life()
                except _Later:  # what happened until now is kept
                    pass
        except DomainError:  # a demo life the rules refuse is skipped, not forced
            pass

    def _submit(self, at: datetime) -> None:
        rng = self.rng
        category, title, content, self.answer = rng.choice(STORIES)
        agency = Agency.objects.get(pk=rng.choice(sorted(self.staff)))
        at = add_working_time(at, rng.uniform(0, 8), agency.office_hours)
        if at > self.now:
            raise _Later()
        self.at = at
        common = {
            "title": title, "content": content, "category": category, "agency": agency.code,
            "is_public": rng.random() < 0.8, "now": at,
        }  # fmt: skip
        if rng.random() < 0.2:
            self.submitter = None
            self.fb, _ = services.submit_feedback(None, contact=_contact(rng, at), **common)
        else:
            self.submitter = rng.choice(self.citizens)
            own = Dossier.objects.filter(applicant_user=self.submitter).exclude(code=None)
            dossier = own.order_by("?").values_list("code", flat=True).first()
            if dossier and rng.random() < 0.3:
                common.pop("agency")
                common["dossier_code"] = dossier
            self.fb, _ = services.submit_feedback(self.submitter, **common)

    def citizen(self, action, at, **args):
        self.fb = services.perform(
            self.fb, action, self.submitter, now=at, submitter=self.submitter is None, **args
        )

    def _life(self) -> None:
        rng = self.rng
        if self.stop("received"):
            return
        late = rng.random() < 0.15
        decide_at = self.later(2.2, 4) if late else self.later(0.1, 1.8)
        if self.target == "refused" or (self.target is None and rng.random() < 0.08):
            self.act("refuse", self.officer("reception"), decide_at, reason=rng.choice(REASONS))
            return
        if self.target == "transferred" or (self.target is None and rng.random() < 0.1):
            others = [a for a in self.staff if a != self.fb.agency_id]
            if others:
                to = Agency.objects.get(pk=rng.choice(others)).code
                self.act("transfer", self.officer("reception"), decide_at, to_agency=to)
                if self.stop("transferred"):
                    return
                decide_at = self.later(0.2, 1.5)
        self.act("accept", self.officer("reception"), decide_at)
        # A few are left unanswered: overdue in the inbox once their 15 days pass.
        if self.stop("processing") or (self.target is None and rng.random() < 0.05):
            return
        if self.target == "awaiting_info" or rng.random() < 0.25:
            self.act("ask_info", self.officer("specialist"), self.later(0.5, 6),
                     note="Đề nghị cho biết địa điểm cụ thể và thời gian xảy ra sự việc.")  # fmt: skip
            if self.stop("awaiting_info"):
                return
            self.citizen("supply_info", self.later(0.5, 4), note="Bổ sung: gần số nhà 25.")
        self._answer(rng.random() < 0.12)
        if self.stop("answered"):
            return
        self._after_answer()

    def _answer(self, late: bool) -> None:
        at = self.later(14, 20) if late else self.later(2, 12)
        officer = self.officer("specialist")
        photo = store_file(_png(), "minh-chung.png", officer, now=at)
        self.act("answer", officer, at, answer=self.answer, attachments=[str(photo.pk)])

    def _after_answer(self) -> None:
        rng = self.rng
        if self.fb.is_public:
            self.act("publish", self.officer("head"), self.later(0.2, 2.5))
        if rng.random() < 0.7:
            like = rng.random() < 0.7
            self.citizen("react", self.later(0.1, 3), like=like)
            if not like and rng.random() < 0.4:
                self.citizen("reopen", self.later(0.1, 5), note="Sự việc vẫn chưa được khắc phục.")
                self._answer(False)
                if self.fb.is_public:
                    self.act("publish", self.officer("head"), self.later(0.2, 2))


def _png():
    import io

    return io.BytesIO(DEMO_PNG)


def _contact(rng, at) -> dict:
    """An anonymous submitter's contact, confirmed by a code made here (nothing is sent)."""
    code = onetime.new_code()
    row = ContactCode(
        id=uuid.uuid4(), channel="email", recipient=f"nguoidan{rng.randint(100, 999)}@example.vn",
        created_at=at, expires_at=at + timedelta(minutes=10),
    )  # fmt: skip
    row.code_hash = onetime.code_hash(CODE_SALT, str(row.pk), code)
    row.save()
    return {"code_id": str(row.pk), "code": code, "name": ""}
