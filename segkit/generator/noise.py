"""Per-value noise functions (pure, seeded by the caller's Generator).

These run in Python loops, but only over the small subsets of rows that get the noise.
"""

from __future__ import annotations

import unicodedata

import numpy as np

NBSP, ZWSP, ZWNJ = "\u00a0", "\u200b", "\u200c"
_KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


def typo(rng: np.random.Generator, text: str) -> str:
    """One or two character edits (swap, drop, double, replace); never below 2 letters."""
    if len(text) < 4 or not text.isalpha():
        return text
    for _ in range(1 + int(rng.random() < 0.3)):
        i = int(rng.integers(1, len(text) - 1))
        op = int(rng.integers(0, 4))
        if op == 0:
            text = text[:i] + text[i + 1] + text[i] + text[i + 2:]
        elif op == 1 and len(text) > 4:
            text = text[:i] + text[i + 1:]
        elif op == 2:
            text = text[:i] + text[i] + text[i:]
        else:
            ch = _KEYBOARD[int(rng.integers(0, 26))]
            text = text[:i] + (ch.upper() if text[i].isupper() else ch) + text[i + 1:]
    return text


def case_space(rng: np.random.Generator, text: str) -> str:
    """Case and whitespace noise: '  jOHN ', 'JOHN', 'john', ' John'."""
    op = int(rng.integers(0, 5))
    if op == 0:
        text = text.swapcase()
    elif op == 1:
        text = text.upper()
    elif op == 2:
        text = text.lower()
    pad = int(rng.integers(0, 4))
    return " " * (pad & 1) * int(rng.integers(1, 3)) + text + " " * (pad >> 1)


def nfd(text: str) -> str:
    """Unicode NFD (decomposed accents: 'é' -> 'e' + combining acute)."""
    return unicodedata.normalize("NFD", text)


def invisible(rng: np.random.Generator, text: str) -> str:
    """Insert a NBSP / zero-width character (inside, leading or trailing)."""
    ch = (NBSP, ZWSP, ZWNJ)[int(rng.integers(0, 3))]
    where = int(rng.integers(0, 3))
    if where == 0 or len(text) < 2:
        return text + ch
    if where == 1:
        return ch + text
    i = int(rng.integers(1, len(text)))
    return text[:i] + ch + text[i:]


def email_variant(rng: np.random.Generator, email: str) -> str:
    """Equivalent spellings of a valid address: case, +tag, gmail dots, spaces."""
    local, _, domain = email.partition("@")
    op = int(rng.integers(0, 6))
    if op == 0:
        local, domain = local.title(), domain.replace("gmail", "GMail")
    elif op == 1:
        local, domain = local.upper(), domain.upper()
    elif op == 2:
        local = local + "+" + ("promo", "shop", "news", "2023")[int(rng.integers(0, 4))]
        local = local.capitalize()
    elif op == 3 and domain == "gmail.com":
        plain = local.replace(".", "")
        cut = int(rng.integers(1, max(2, len(plain))))
        local = plain[:cut] + "." + plain[cut:] if len(plain) > 2 else plain
    elif op == 4:
        return "  " + email + " "
    else:
        domain = domain.capitalize()
    return f"{local}@{domain}"


def bad_email(rng: np.random.Generator, email: str) -> str:
    """A malformed address derived from a valid one."""
    local, _, domain = email.partition("@")
    kind = int(rng.integers(0, 6))
    return (f"{local}@", f"{local}@@{domain}", f"{local} at {domain}", f"{local}@{domain}.",
            f"{local}.{domain}", f"@{domain}")[kind]


def bad_phone(rng: np.random.Generator) -> str:
    """An unusable phone value: too short, too long or letters."""
    kind = int(rng.integers(0, 5))
    if kind == 0:
        return str(int(rng.integers(1000, 9999)))
    if kind == 1:
        return "".join(str(d) for d in rng.integers(0, 10, 20))
    return ("call me", "555-CALL-NOW", "unknown number")[kind - 2]


def degenerate_name(rng: np.random.Generator) -> str:
    """A name value that carries no name: '', 'A', '12345', a 500-character string."""
    kind = int(rng.integers(0, 5))
    return ("", "A", "12345", "x" * 500, "?")[kind]
