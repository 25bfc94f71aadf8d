"""Amounts in đồng as Vietnamese documents write them: "8.000 đ", "Tám nghìn đồng"."""

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", "nghìn", "triệu")


def format_vnd(amount: int) -> str:
    """8000 -> "8.000 đ"."""
    return f"{amount:,}".replace(",", ".") + " đ"


def _three(n: int, inner: bool) -> list[str]:
    """Words for 0 < n < 1000; `inner` when a higher group precedes (then "không trăm")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or inner:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (hundreds or inner):
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(_DIGITS[units])
    return words


def amount_in_words(amount: int) -> str:
    """120000 -> "Một trăm hai mươi nghìn đồng" (the "bằng chữ" line of a receipt)."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    if amount == 0:
        return "Không đồng"
    groups = []
    while amount:
        amount, group = divmod(amount, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        if groups[index] == 0:
            continue
        words += _three(groups[index], inner=index < len(groups) - 1)
        scale = " ".join(filter(None, [_GROUPS[index % 3]] + ["tỷ"] * (index // 3)))
        if scale:
            words.append(scale)
    text = " ".join(words + ["đồng"])
    return text[0].upper() + text[1:]
