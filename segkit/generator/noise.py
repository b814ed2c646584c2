"""Per-value noise functions (pure). Each takes the value and ``u``, a short sequence of
uniform random numbers in [0, 1) drawn by the caller (vectorised), so that the Python
loops over the small noisy subsets stay cheap and deterministic."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

NBSP, ZWSP, ZWNJ = "\u00a0", "\u200b", "\u200c"
_KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"
U_SIZE = 8   # how many uniforms every function may consume


def _int(u: float, n: int) -> int:
    """Uniform integer in [0, n) from a uniform float."""
    return min(int(u * n), n - 1)


def typo(text: str, u: Sequence[float]) -> str:
    """One or two character edits (swap, drop, double, replace); never below 4 letters."""
    if len(text) < 4 or not text.isalpha():
        return text
    for e in range(1 + int(u[0] < 0.3)):
        i = 1 + _int(u[1 + 3 * e], len(text) - 2)
        op = _int(u[2 + 3 * e], 4)
        if op == 0:
            text = text[:i] + text[i + 1] + text[i] + text[i + 2:]
        elif op == 1 and len(text) > 4:
            text = text[:i] + text[i + 1:]
        elif op == 2:
            text = text[:i] + text[i] + text[i:]
        else:
            ch = _KEYBOARD[_int(u[3 + 3 * e], 26)]
            text = text[:i] + (ch.upper() if text[i].isupper() else ch) + text[i + 1:]
    return text


def case_space(text: str, u: Sequence[float]) -> str:
    """Case and whitespace noise: '  jOHN ', 'JOHN', 'john', ' John'."""
    op = _int(u[0], 5)
    if op == 0:
        text = text.swapcase()
    elif op == 1:
        text = text.upper()
    elif op == 2:
        text = text.lower()
    pad = _int(u[1], 4)
    return " " * ((pad & 1) * (1 + _int(u[2], 2))) + text + " " * (pad >> 1)


def nfd(text: str, u: Sequence[float] = ()) -> str:
    """Unicode NFD (decomposed accents: 'é' -> 'e' + combining acute)."""
    return unicodedata.normalize("NFD", text)


def invisible(text: str, u: Sequence[float]) -> str:
    """Insert a NBSP / zero-width character (inside, leading or trailing)."""
    ch = (NBSP, ZWSP, ZWNJ)[_int(u[0], 3)]
    where = _int(u[1], 3)
    if where == 0 or len(text) < 2:
        return text + ch
    if where == 1:
        return ch + text
    i = 1 + _int(u[2], len(text) - 1)
    return text[:i] + ch + text[i:]


def email_variant(email: str, u: Sequence[float]) -> str:
    """Equivalent spellings of a valid address: case, +tag, gmail dots, spaces."""
    local, _, domain = email.partition("@")
    op = _int(u[0], 6)
    if op == 0:
        local, domain = local.title(), domain.replace("gmail", "GMail")
    elif op == 1:
        local, domain = local.upper(), domain.upper()
    elif op == 2:
        local = (local + "+" + ("promo", "shop", "news", "2023")[_int(u[1], 4)]).capitalize()
    elif op == 3 and domain == "gmail.com":
        plain = local.replace(".", "")
        cut = 1 + _int(u[2], max(1, len(plain) - 1))
        local = plain[:cut] + "." + plain[cut:] if len(plain) > 2 else plain
    elif op == 4:
        return "  " + email + " "
    else:
        domain = domain.capitalize()
    return f"{local}@{domain}"


def bad_email(email: str, u: Sequence[float]) -> str:
    """A malformed address derived from a valid one."""
    local, _, domain = email.partition("@")
    return (f"{local}@", f"{local}@@{domain}", f"{local} at {domain}", f"{local}@{domain}.",
            f"{local}.{domain}", f"@{domain}")[_int(u[0], 6)]


def bad_phone(u: Sequence[float]) -> str:
    """An unusable phone value: too short, too long or letters."""
    kind = _int(u[0], 5)
    if kind == 0:
        return str(1000 + _int(u[1], 9000))
    if kind == 1:
        return "".join(str(_int(x, 10)) for x in (list(u) * 3)[:20])
    return ("call me", "555-CALL-NOW", "unknown number")[kind - 2]


def degenerate_name(u: Sequence[float]) -> str:
    """A name value that carries no name: '', 'A', '12345', a 500-character string, '?'."""
    return ("", "A", "12345", "x" * 500, "?")[_int(u[0], 5)]
