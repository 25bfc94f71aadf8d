"""Feedback test data, made through the services as real use makes it."""

from types import SimpleNamespace

from motcua.feedback import services
from tests.dossiers import factories as f

local = f.local
# Arguments that make each action valid, for the table tests and the scenario.
ARGS = {
    "accept": {},
    "refuse": {"reason": "not_in_scope", "note": "Không thuộc thẩm quyền."},
    "transfer": {"to_agency": f.PARTNER},
    "ask_info": {"note": "Xin cho biết địa chỉ cụ thể."},
    "supply_info": {"note": "Số 12 đường Hùng Vương."},
    "answer": {"answer": "Đã xử lý xong, đường đã được sửa."},
    "publish": {},
    "react": {"like": False},
    "reopen": {"note": "Đường vẫn còn ổ gà."},
}
# How to bring new feedback to each status.
PATHS = {
    "received": [],
    "transferred": ["transfer"],
    "processing": ["accept"],
    "awaiting_info": ["accept", "ask_info"],
    "answered": ["accept", "answer"],
    "published": ["accept", "answer", "publish"],
    "refused": ["refuse"],
}


def world() -> SimpleNamespace:
    w = f.world()
    w.partner_leader = f.officer(w.partner, "leader", full_name="Đinh Lãnh Đạo Sở")
    return w


def submit(w, at=None, *, user=None, **extra):
    data = {
        "title": "Đường Hùng Vương nhiều ổ gà",
        "content": "Đoạn đường trước chợ có nhiều ổ gà, nguy hiểm cho người đi xe máy.",
        "category": "other",
        "agency": w.home.code,
    }
    data.update(extra)
    fb, _ = services.submit_feedback(user or w.citizen, now=at, **data)
    return fb


def actor_for(w, fb, action):
    if action in ("supply_info", "react", "reopen"):
        return w.citizen
    return w.partner_leader if fb.agency_id == w.partner.pk else w.leader


def act(w, fb, action, at=None, **extra):
    args = {**ARGS[action], **extra}
    if action == "transfer" and fb.agency_id == w.partner.pk and "to_agency" not in extra:
        args["to_agency"] = f.HOME
    return services.perform(fb, action, actor_for(w, fb, action), now=at, **args)


def bring_to(w, status, at=None):
    fb = submit(w, at)
    for action in PATHS[status]:
        fb = act(w, fb, action, at)
    return fb
