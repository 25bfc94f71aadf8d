"""The electronic receipt as PDF (WeasyPrint), in Vietnamese with a font that has its glyphs.

The font is Source Sans Pro from the `font-source-sans-pro` package (SIL OFL); without it,
fontconfig picks a system font (DejaVu Sans on Debian) for the same family list.
"""

from functools import cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from .models import Receipt
from .money import amount_in_words, format_vnd


@cache
def _font_faces() -> list[dict]:
    try:
        import font_source_sans_pro
    except ImportError:  # pragma: no cover - the dependency is declared
        return []
    files = Path(font_source_sans_pro.font_directory)
    faces = [("normal", "SourceSansPro-Regular.ttf"), ("bold", "SourceSansPro-Bold.ttf")]
    return [
        {"weight": weight, "url": (files / name).as_uri()}
        for weight, name in faces
        if (files / name).exists()
    ]


def receipt_context(receipt: Receipt) -> dict:
    payment = receipt.payment
    dossier = payment.dossier
    return {
        "receipt": receipt,
        "payment": payment,
        "dossier": dossier,
        "agency": receipt.agency,
        "procedure": dossier.procedure,
        "lines": [
            {
                **line,
                "unit_text": format_vnd(line["unit_amount"]),
                "text": format_vnd(line["amount"]),
            }
            for line in payment.fee_lines
        ],
        "amount_text": format_vnd(receipt.amount),
        "amount_words": amount_in_words(receipt.amount),
        "issued_at": timezone.localtime(receipt.issued_at),
        "paid_at": timezone.localtime(payment.paid_at) if payment.paid_at else None,
        "cancelled_at": (
            timezone.localtime(receipt.cancelled_at) if receipt.cancelled_at else None
        ),
        "refunds": [
            {"refund": refund, "text": format_vnd(refund.amount)}
            for refund in receipt.refunds.all()
        ],
        "font_faces": _font_faces(),
    }


def receipt_html(receipt: Receipt) -> str:
    return render_to_string("payments/receipt.html", receipt_context(receipt))


def receipt_pdf(receipt: Receipt) -> bytes:
    from weasyprint import HTML

    return HTML(string=receipt_html(receipt)).write_pdf()


def receipt_attachment(receipt_id) -> tuple[str, bytes, str]:
    """The receipt as an e-mail attachment (integrations.notifications.ATTACHMENTS)."""
    receipt = Receipt.objects.select_related(
        "agency", "payment__dossier__procedure", "payment__dossier__agency"
    ).get(pk=receipt_id)
    name = f"bien-lai-{receipt.year}-{receipt.number:07d}.pdf"
    return name, receipt_pdf(receipt), "application/pdf"
