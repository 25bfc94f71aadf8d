"""Words for feedback's actions and deadlines, shared by the citizens' and officers' pages."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "submit": _("Gửi phản ánh, kiến nghị"),
    "accept": _("Tiếp nhận xử lý"),
    "ask_info": _("Đề nghị bổ sung thông tin"),
    "supply_info": _("Bổ sung thông tin"),
    "answer": _("Trả lời"),
    "publish": _("Công khai kết quả trả lời"),
    "refuse": _("Từ chối xử lý"),
    "transfer": _("Chuyển cơ quan có thẩm quyền"),
    "react": _("Đánh giá trả lời"),
    "reopen": _("Mở lại phản ánh"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
