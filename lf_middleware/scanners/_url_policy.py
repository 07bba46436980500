"""URL checks for the tool policy: parse a URL the way a browser or HTTP client would, then judge its host.

Pure functions and a compiled :class:`UrlCheck`. Host canonicalisation follows the WHATWG URL standard where
clients disagree: tabs and newlines are dropped, percent-escapes in the host are decoded, ideographic full
stops count as dots, a trailing dot is ignored, a host whose last label is a number is an IPv4 address in any
of its decimal / octal / hex / short forms. Anything ambiguous (a backslash or a second ``@`` in the
authority, an undecodable ``xn--`` label) fails closed.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from .._text import excerpt

__all__ = ("UrlCheck", "canonical_host", "host_scripts")

logger = logging.getLogger(__name__)

_STRIP = str.maketrans("", "", "\t\r\n")
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_SCHEME_URL = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.\-]*:(?!\d)")  # 'host:8080/x' has no scheme
#: a nested absolute URL: any scheme with two slashes, or a special scheme with any slashes or none (browsers
#: read ``https:evil.example`` and ``https:/\\evil.example`` as ``https://evil.example``)
_NESTED = re.compile(r"(?i)(?<![a-z0-9+.\-])(?:[a-z][a-z0-9+.\-]*:[/\\]{2}|(?:https?|wss?|ftp):)[^\s&\"'<>]*")
_PROTOCOL_RELATIVE = re.compile(r"^\s*[/\\]{2}")
#: a scheme-relative value in a redirect parameter: two or more slashes or backslashes, mixed
_RELATIVE_IN_TAIL = re.compile(r"[?=&;#]\s*([/\\]{2,}[^/\\\s&#][^\s&#]*)")
#: special schemes: a browser skips every slash and backslash after the colon before the authority
_SPECIAL_SLASHES = re.compile(r"^\s*(https?|wss?|ftp):[/\\]*", re.IGNORECASE)
_HOST_OK = re.compile(r"[a-z0-9\-_.]+")
_MAX_NESTING = 3

# Characters of other scripts that render like Latin letters (a small, common subset of Unicode's
# confusables table): used only to explain why an internationalised host was refused.
_LATIN_LOOKALIKES = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "ӏ": "l", "һ": "h", "ԛ": "q", "ԝ": "w", "ɡ": "g", "ν": "v", "ο": "o", "α": "a", "ι": "i",
    "κ": "k", "τ": "t", "ρ": "p", "υ": "u", "ѵ": "v", "ү": "y", "ʏ": "y", "ı": "i", "ѡ": "w", "ɑ": "a",
})
_SCRIPT_GROUPS = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK", "IDEOGRAPHIC": "CJK"}


class UrlError(ValueError):
    """A URL that cannot be judged safely; the message says why."""


_SPECIAL_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})
_SURROGATE = re.compile("[\ud800-\udfff]")


@functools.lru_cache(maxsize=1)
def _whatwg_parser() -> Any:
    """``ada_url.parse_url`` (the WHATWG URL standard, as browsers implement it) or None without ada-url."""
    try:
        from ada_url import parse_url
    except ImportError:
        logger.warning("ada-url is not installed: tool-policy URLs are checked by the built-in parser alone, "
                       "without the browser (WHATWG) cross-check; install lf-middleware[urls]")
        return None
    return parse_url


def _browser_host(url: str) -> str | None:
    """The host a browser reads in ``url`` (special schemes), canonicalised like ours; None without ada-url.

    Raises UrlError when a browser would not parse the URL at all.
    """
    parse = _whatwg_parser()
    if parse is None:
        return None
    if not url.isascii():  # a browser turns lone surrogates into U+FFFD (USVString conversion)
        url = _SURROGATE.sub("\ufffd", url)
    try:
        host = parse(url, attributes=("hostname",))["hostname"]
    except ValueError:
        raise UrlError(f"URL {excerpt(url, limit=60)} is not a URL a browser accepts") from None
    try:
        return canonical_host(host)[0]
    except (UrlError, UnicodeError):
        return host


def _ipv4_number(part: str) -> int | None:
    """One dotted part of a WHATWG IPv4 host: decimal, 0x-hex or leading-zero octal."""
    if not part:
        return None
    base = 10
    if part[:2] in ("0x", "0X"):
        part, base = part[2:], 16
        if not part:
            return 0
    elif len(part) > 1 and part[0] == "0":
        part, base = part[1:], 8
    try:
        return int(part, base) if part.isascii() and part.isalnum() else None
    except ValueError:
        return None


def _parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Return the address when ``host`` ends in a number (so clients treat it as IPv4), else None.

    Raises UrlError when it ends in a number but is not a valid address (clients refuse or misread those).
    """
    parts = host.split(".")
    last = parts[-1]
    if not (last.isascii() and (last.isdigit() or (last[:2].lower() == "0x" and all(
            c in "0123456789abcdefABCDEF" for c in last[2:])))):
        return None
    if len(parts) > 4:
        raise UrlError(f"host {excerpt(host, limit=60)} looks like an IPv4 address but has too many parts")
    numbers = [_ipv4_number(p) for p in parts]
    if any(n is None for n in numbers):
        raise UrlError(f"host {excerpt(host, limit=60)} looks like an IPv4 address but is not valid")
    nums = [n for n in numbers if n is not None]
    if any(n > 255 for n in nums[:-1]) or nums[-1] >= 256 ** (5 - len(nums)):
        raise UrlError(f"host {excerpt(host, limit=60)} is an out-of-range IPv4 address")
    value = nums[-1]
    for i, n in enumerate(nums[:-1]):
        value += n * 256 ** (3 - i)
    return ipaddress.IPv4Address(value)


def host_scripts(label: str) -> set[str]:
    """Unicode scripts of a label's letters (digits, hyphen and other common characters are ignored)."""
    scripts = set()
    for ch in label:
        if ch.isascii():
            if ch.isalpha():
                scripts.add("LATIN")
            continue
        if not ch.isalpha():
            continue
        first = unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
        scripts.add(_SCRIPT_GROUPS.get(first, first))
    return scripts


def canonical_host(raw: str) -> tuple[str, str | None, str | None]:
    """Canonical form of a host: (ASCII host, IP address text or None, Unicode form when non-ASCII or None).

    Raises UrlError for hosts no client would agree on.
    """
    host = unquote(raw, errors="strict") if "%" in raw else raw
    if host.startswith("[") and host.endswith("]"):
        inner = host[1:-1]
        if "%" in inner:
            raise UrlError("IPv6 host with a zone id is not allowed")
        try:
            return "[" + str(ipaddress.IPv6Address(inner)) + "]", str(ipaddress.IPv6Address(inner)), None
        except ValueError:
            raise UrlError(f"host {excerpt(host, limit=60)} is not a valid IPv6 address") from None
    if not host.isascii():
        host = unicodedata.normalize("NFKC", host.translate(_DOTS))
    host = host.lower()
    if host.endswith("."):
        host = host[:-1]
    if not host:
        raise UrlError("the URL has no host")
    if not (_HOST_OK.fullmatch(host) if host.isascii() else _idn_chars_ok(host)):
        raise UrlError(f"host {excerpt(host, limit=60)} contains characters not allowed in a host name")
    ip = _parse_ipv4(host)
    if ip is not None:
        return str(ip), str(ip), None
    if host.startswith(".") or host.endswith(".") or ".." in host:
        raise UrlError(f"host {excerpt(host, limit=60)} has an empty label")
    if host.isascii():
        if "xn--" not in host:
            return host, None, None
        try:
            unicode_host = ".".join(
                lab.encode("ascii").decode("idna") if lab.startswith("xn--") else lab for lab in host.split(".")
            )
        except UnicodeError:
            unicode_host = ""
        if not unicode_host or not _idn_chars_ok(unicode_host) or _to_ascii(unicode_host) != host:
            raise UrlError(f"host {excerpt(host, limit=60)} has an invalid punycode (xn--) label")
        return host, None, unicode_host
    ascii_host = _to_ascii(host)
    if ascii_host is None:
        raise UrlError(f"host {excerpt(host, limit=60)} is not a valid internationalised domain name")
    return ascii_host, None, host


def _idn_chars_ok(host: str) -> bool:
    """Letters, marks, digits, hyphens and dots only: the characters an IDN label may hold."""
    return all(ch in "-." or unicodedata.category(ch)[0] in "LMN" for ch in host)


def _to_ascii(host: str) -> str | None:
    try:
        return ".".join(lab if lab.isascii() else lab.encode("idna").decode("ascii") for lab in host.split("."))
    except UnicodeError:
        return None


def _homograph(unicode_host: str) -> str | None:
    """Why an internationalised host looks like another name, or None when it does not."""
    shown = excerpt(unicode_host, limit=60)
    for label in unicode_host.split("."):
        scripts = host_scripts(label)
        if len(scripts) > 1 and not scripts <= {"LATIN", "CJK"}:
            return f"host {shown} mixes scripts ({'+'.join(sorted(scripts))}) in one label: a homograph"
    skeleton = unicode_host.translate(_LATIN_LOOKALIKES)
    if skeleton != unicode_host and skeleton.isascii():
        return f"host {shown} imitates the ASCII name '{skeleton}': a homograph"
    return None


@dataclass(frozen=True, slots=True)
class _Domains:
    exact: frozenset[str]
    suffixes: tuple[str, ...]

    @classmethod
    def build(cls, entries: list[str] | None) -> _Domains | None:
        if entries is None:
            return None
        exact, suffixes = set(), []
        for entry in entries:
            e = entry.strip()
            with contextlib.suppress(ValueError):
                e = "[" + str(ipaddress.IPv6Address(e.strip("[]"))) + "]"
            if e.startswith("*."):
                suffixes.append("." + canonical_host(e[2:])[0])
            else:
                exact.add(canonical_host(e)[0])
        return cls(frozenset(exact), tuple(suffixes))

    def match(self, host: str) -> bool:
        return host in self.exact or (bool(self.suffixes) and host.endswith(self.suffixes))


class UrlCheck:
    """A compiled URL rule: ``check(value)`` returns None when the URL passes, else the reason it fails."""

    __slots__ = ("allow", "deny", "schemes", "allow_ip", "allow_userinfo", "allow_idn", "ports", "nested")

    def __init__(
        self,
        *,
        allow_domains: list[str] | None,
        deny_domains: list[str],
        schemes: list[str],
        allow_ip_literals: bool,
        allow_userinfo: bool,
        allow_idn: bool,
        ports: list[int] | None,
        check_nested: bool,
    ) -> None:
        self.allow = _Domains.build(allow_domains)
        self.deny = _Domains.build(deny_domains)
        self.schemes = frozenset(schemes)
        self.allow_ip = allow_ip_literals
        self.allow_userinfo = allow_userinfo
        self.allow_idn = allow_idn
        self.ports = frozenset(ports) if ports is not None else None
        self.nested = check_nested

    def check(self, value: object) -> str | None:
        if not isinstance(value, str):
            return f"expected a URL string, got {type(value).__name__}"
        try:
            self._check(value, 0, None)
        except UrlError as err:
            return str(err)
        return None

    def _check(self, value: str, depth: int, outer_scheme: str | None) -> None:
        url = value.translate(_STRIP).strip()
        if _PROTOCOL_RELATIVE.match(url):
            if "\\" in url[: len(url) - len(url.lstrip("/\\ "))]:
                raise UrlError(f"{'nested URL' if depth else 'URL'} {excerpt(url, limit=60)} starts with backslashes: "
                               "browsers read a host after them, HTTP clients do not")
            url = (outer_scheme or "https") + ":" + url.lstrip()
        elif not _SCHEME_URL.match(url):
            # no scheme: clients that accept it treat the first segment as the host
            url = "//" + url
        # WHATWG: for a special scheme, any run of slashes and backslashes after the colon (none included)
        # leads to the authority, so "https:evil.example" and "https:\\\\/evil.example" name evil.example
        url = _SPECIAL_SLASHES.sub(lambda m: m.group(1) + "://", url, count=1)
        try:
            parts = urlsplit(url)
        except ValueError as err:
            raise UrlError(f"URL {excerpt(url, limit=60)} cannot be parsed: {err}") from None
        scheme = parts.scheme.lower()
        nested_label = "nested URL" if depth else "URL"
        if scheme and scheme not in self.schemes:
            raise UrlError(f"{nested_label} scheme '{excerpt(scheme, limit=20)[1:-1]}' is not one of: "
                           f"{', '.join(sorted(self.schemes))}")
        netloc = parts.netloc
        if "\\" in netloc:
            raise UrlError(f"{nested_label} {excerpt(url, limit=60)} has a backslash in its authority (clients "
                           "disagree on where the host is)")
        userinfo, at, hostport = netloc.rpartition("@")
        if at:
            if "@" in userinfo:
                raise UrlError(f"{nested_label} authority has more than one '@' (clients disagree on the host)")
            if not self.allow_userinfo:
                raise UrlError(f"{nested_label} carries user info before '@' (host is "
                               f"{excerpt(hostport, limit=60)}); user info is not allowed")
        if hostport.startswith("["):
            end = hostport.find("]")
            if end < 0:
                raise UrlError(f"{nested_label} has an unterminated IPv6 host")
            raw_host, port_text = hostport[: end + 1], hostport[end + 1 :]
        else:
            raw_host, _, port_text = hostport.partition(":")
            port_text = ":" + port_text if _ else ""
        if not raw_host:
            raise UrlError(f"{nested_label} {excerpt(url, limit=60)} has no host")
        try:
            host, ip, unicode_host = canonical_host(raw_host)
        except UnicodeDecodeError:
            raise UrlError(f"host {excerpt(raw_host, limit=60)} has undecodable percent-escapes") from None
        if port_text:
            p = port_text[1:]
            if not (p.isascii() and p.isdigit() and len(p) <= 5 and int(p) <= 65535):
                raise UrlError(f"{nested_label} port {excerpt(p, limit=20)} is not a valid port")
            if self.ports is not None and int(p) not in self.ports:
                raise UrlError(f"{nested_label} port {int(p)} is not one of the allowed ports")
        if scheme in _SPECIAL_SCHEMES:  # the browser's reading must be the one judged
            seen = _browser_host(url if scheme else "https:" + url)
            if seen is not None and seen != host:
                raise UrlError(f"{nested_label} {excerpt(url, limit=60)} goes to {excerpt(seen, limit=60)} in a browser "
                               f"but reads as {excerpt(host, limit=60)} here; refused as ambiguous")
        self._judge_host(host, ip, unicode_host, nested_label)
        if self.nested:
            inner_urls = _nested_urls(parts.path, parts.query, parts.fragment)
            if inner_urls and depth >= _MAX_NESTING:
                raise UrlError(f"URLs are nested more than {_MAX_NESTING} levels deep, too deep to check")
            for inner in inner_urls:
                self._check(inner, depth + 1, scheme or outer_scheme)

    def _judge_host(self, host: str, ip: str | None, unicode_host: str | None, label: str) -> None:
        def shown() -> str:
            return excerpt(unicode_host or host, limit=60)

        if self.deny is not None and self.deny.match(host):
            raise UrlError(f"{label} host {shown()} is on the deny list")
        explicitly = self.allow is not None and host in self.allow.exact
        if ip is not None and not self.allow_ip and not explicitly:
            raise UrlError(f"{label} host {shown()} is an IP literal; only listed addresses are allowed")
        if unicode_host is not None and not explicitly:
            homograph = _homograph(unicode_host)
            if homograph is not None:
                raise UrlError(f"{label} {homograph}")
            if not self.allow_idn:
                raise UrlError(f"{label} host {shown()} is an internationalised domain name, which this rule does "
                               "not allow unless listed")
        if self.allow is not None and not self.allow.match(host):
            raise UrlError(f"{label} host {shown()} is not in the allowed domains")


def _unquote_fully(text: str, rounds: int = 3) -> str:
    """Percent-decode until nothing changes; more than ``rounds`` layers of encoding is refused."""
    for _ in range(rounds + 1):
        if "%" not in text:
            return text
        decoded = unquote(text)
        if decoded == text:
            return text
        text = decoded
    raise UrlError(f"the URL is percent-encoded more than {rounds} times over, too deep to check")


def _nested_urls(path: str, query: str, fragment: str) -> list[str]:
    """URLs hidden in the path, query or fragment (redirect parameters such as ``?next=`` / ``?url=``).

    The tail is percent-decoded (up to three rounds, for double encoding) and searched for ``scheme://``
    anywhere and for values that start with ``//`` (protocol-relative) after ``?``, ``=``, ``&``, ``;`` or ``#``.
    """
    tail = _unquote_fully("?".join((path, query, fragment))).translate(_STRIP)  # a browser drops tab/newline
    found = [m.group(0) for m in _NESTED.finditer(tail)] if ":" in tail else []
    if "//" in tail or "\\" in tail:
        found.extend(m.group(1) for m in _RELATIVE_IN_TAIL.finditer(tail))
    return found
