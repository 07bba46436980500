"""Personal data: email, phone numbers, payment cards (Luhn + issuer prefix), US SSN, IBAN (mod-97).

Defaults: card numbers and SSNs BLOCK (there is rarely a reason for an agent to carry them); email, phone
and IBAN escalate to a human (they appear in ordinary requests). Override per pack with
``RegexScanner(pack_decisions={"pii": "block"})``.
"""

from __future__ import annotations

from . import BLOCK, HITL, PatternDef


def luhn_ok(number: str) -> bool:
    """Luhn checksum over the digits of ``number`` (separators ignored)."""
    digits = [ord(c) - 48 for c in number if "0" <= c <= "9"]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _issuer_ok(digits: str) -> bool:
    """Visa, Mastercard (51-55, 2221-2720), Amex (34, 37), Discover (6011, 644-649, 65), Diners (30, 36,
    38), JCB (3528-3589), UnionPay (62), Maestro (50, 56-58, 67)."""
    d2 = int(digits[:2])
    d4 = int(digits[:4])
    return (
        digits[0] == "4"
        or 51 <= d2 <= 55
        or 2221 <= d4 <= 2720
        or d2 in (34, 37, 30, 36, 38, 62, 65, 50, 56, 57, 58, 67)
        or d4 == 6011
        or 644 <= int(digits[:3]) <= 649
        or 3528 <= d4 <= 3589
    )


def card_ok(text: str) -> bool:
    digits = "".join(c for c in text if "0" <= c <= "9")
    return luhn_ok(digits) and _issuer_ok(digits) and len(set(digits)) > 1


# IBAN lengths by country (ISO 13616 registry)
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
    "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18,
    "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
    "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}


def iban_ok(text: str) -> bool:
    """Country length and the ISO 7064 mod-97 check."""
    iban = "".join(c for c in text if c != " ").upper()
    if _IBAN_LENGTHS.get(iban[:2]) != len(iban):
        return False
    moved = iban[4:] + iban[:4]
    number = "".join(str(int(c, 36)) for c in moved)
    return int(number) % 97 == 1


def phone_ok(text: str) -> bool:
    """E.164 allows at most 15 digits; fewer than 8 is not a full phone number."""
    n = sum(1 for c in text if "0" <= c <= "9")
    return 8 <= n <= 15


def _p(name: str, regex: str, decision=HITL, *, validator=None, ignore_case: bool = False,
       description: str = "") -> PatternDef:
    return PatternDef(name=name, category="pii", regex=regex, decision=decision, validator=validator,
                      ignore_case=ignore_case, sensitive=True, description=description)


PII: tuple[PatternDef, ...] = (
    _p("email",
       r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?"
       r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?){0,8}\.[A-Za-z]{2,24}(?![A-Za-z0-9\-])",
       description="email address"),
    _p("phone_international",
       r"(?<![\w+])\+(?:\d{7,15}|\d{1,3}[ .\-]?(?:\(\d{1,4}\)[ .\-]?)?\d{1,6}(?:[ .\-]\d{1,6}){1,5})(?![\w])",
       validator=phone_ok, description="phone number in +CC international form"),
    _p("phone_us",
       r"(?<![\w+\-.])(?:\(\d{3}\)\s?|\d{3}[.\-\s])\d{3}[.\-]\d{4}(?![\w\-])",
       validator=phone_ok, description="North American phone number: (555) 123-4567, 555-123-4567"),
    _p("payment_card",
       r"(?<![\d\-])(?<!\d[ ])(?:\d{4}(?:[ \-]?\d{4}){2}(?:[ \-]?\d{1,7})|\d{4}[ \-]?\d{6}[ \-]?\d{4,5})"
       r"(?![ \-]?\d)",
       BLOCK, validator=card_ok,
       description="payment card number (13-19 digits, valid Luhn checksum and issuer prefix)"),
    _p("us_ssn",
       r"(?<![\d\-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d\-])",
       BLOCK, description="US social security number (ddd-dd-dddd)"),
    _p("iban",
       r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?![A-Za-z0-9])",
       validator=iban_ok, description="IBAN (country length and mod-97 checked)"),
)
