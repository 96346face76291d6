"""Chinese numerals as used in session names (十四届三次会议)."""

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 20 → 二十, 105 → 一百零五 (0 < n < 1000)."""
    if n <= 0 or n >= 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if (tens == 1 and not hundreds) else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out
