"""URL arguments against domain allow/deny lists: table-driven, one row per trick."""

from __future__ import annotations

import pytest

from lf_middleware import ScanDecision
from lf_middleware.scanners.tool_policy import ToolPolicyScanner

ALLOW = ScanDecision.ALLOW
BLOCK = ScanDecision.BLOCK


@pytest.fixture(scope="module")
def scanner() -> ToolPolicyScanner:
    return ToolPolicyScanner(rules=[{
        "name": "http-allowlist",
        "tool": ["http_request", "fetch_*"],
        "message": "Only the travel APIs may be called.",
        "args": {"url": {"url": {
            "allow_domains": ["api.travel.example", "*.booking.example", "bücher.example", "10.0.0.5", "::1"],
            "deny_domains": ["blocked.booking.example"],
        }}},
    }])


CASES = [
    # plain allow / deny
    ("https://api.travel.example/flights?from=LHR", ALLOW, ""),
    ("https://evil.example/exfil?data=c2VjcmV0", BLOCK, "not in the allowed domains"),
    ("https://www.booking.example/hotels", ALLOW, ""),
    ("https://a.b.booking.example/", ALLOW, ""),
    ("https://booking.example/", BLOCK, "not in the allowed domains"),  # '*.' means subdomains only
    ("https://blocked.booking.example/", BLOCK, "deny list"),
    ("https://api.travel.example.evil.site/", BLOCK, "not in the allowed domains"),
    ("https://notapi.travel.example/", BLOCK, "not in the allowed domains"),
    # case, trailing dot, fullwidth characters, encoded dots
    ("HTTPS://API.Travel.EXAMPLE/x", ALLOW, ""),
    ("https://api.travel.example./x", ALLOW, ""),
    ("https://ａｐｉ．ｔｒａｖｅｌ．ｅｘａｍｐｌｅ/", ALLOW, ""),
    ("https://api%2Etravel%2Eexample/", ALLOW, ""),
    ("https://evil%2Esite/", BLOCK, "'evil.site' is not in the allowed domains"),
    ("https://api.travel.example%2Eevil.site/", BLOCK, "not in the allowed domains"),
    ("https://api.travel.example%2F.evil.site/", BLOCK, "not allowed in a host name"),
    ("https://api.travel.example%00.evil.site/", BLOCK, "not allowed in a host name"),
    ("https://evil%ff.site/", BLOCK, "undecodable"),
    ("https://api.travel.example..", BLOCK, "empty label"),
    # userinfo and authority confusion
    ("http://api.travel.example@evil.site/", BLOCK, "user info"),
    ("http://api.travel.example:443@evil.site/", BLOCK, "user info"),
    ("http://a@api.travel.example@evil.site/", BLOCK, "more than one '@'"),
    ("https://api.travel.example\\@evil.site/", BLOCK, "backslash"),
    ("https://evil.site#@api.travel.example", BLOCK, "'evil.site' is not in the allowed domains"),
    ("https://evil.site?@api.travel.example", BLOCK, "'evil.site' is not in the allowed domains"),
    ("https://api.travel.example#@evil.site", ALLOW, ""),
    ("htt\tps://ev\nil.site/", BLOCK, "'evil.site' is not in the allowed domains"),
    # IDNA and homographs
    ("https://аpi.travel.example/", BLOCK, "mixes scripts"),  # Cyrillic а
    ("https://xn--pi-6kc.travel.example/", BLOCK, "mixes scripts"),  # the same, in punycode
    ("https://xn--80ak6aa92e.com/", BLOCK, "imitates the ASCII name 'apple.com'"),  # all-Cyrillic аррӏе
    ("https://xn--zz-invalid.example/", BLOCK, "punycode"),
    ("https://bücher.example/", ALLOW, ""),  # listed explicitly
    ("https://xn--bcher-kva.example/", ALLOW, ""),
    ("https://bücher.booking.example/", BLOCK, "internationalised"),  # IDN under a wildcard: not explicit
    # IP literals: decimal, octal, hex, short forms, IPv6
    ("http://10.0.0.5/", ALLOW, ""),
    ("http://167772165/", ALLOW, ""),  # 10.0.0.5 as one decimal number
    ("http://0xa.0.0.5/", ALLOW, ""),
    ("http://127.0.0.1/", BLOCK, "IP literal"),
    ("http://2130706433/", BLOCK, "'127.0.0.1' is an IP literal"),
    ("http://0x7f000001/", BLOCK, "'127.0.0.1' is an IP literal"),
    ("http://0177.0.0.1/", BLOCK, "'127.0.0.1' is an IP literal"),
    ("http://127.1/", BLOCK, "'127.0.0.1' is an IP literal"),
    ("http://169.254.169.254/latest/meta-data", BLOCK, "IP literal"),
    ("http://1.2.3.4.5/", BLOCK, "too many parts"),
    ("http://256.1.1.1/", BLOCK, "out-of-range"),
    ("http://1.2.3.09/", BLOCK, "not valid"),
    ("http://[::1]:8080/", ALLOW, ""),
    ("http://[0:0:0:0:0:0:0:1]/", ALLOW, ""),
    ("http://[::ffff:127.0.0.1]/", BLOCK, "IP literal"),
    ("http://[fe80::1%25eth0]/", BLOCK, "zone id"),
    ("http://[::1/", BLOCK, "cannot be parsed"),
    # redirects through the query, path and fragment
    ("https://api.travel.example/login?next=https://evil.site/", BLOCK, "nested URL host 'evil.site'"),
    ("https://api.travel.example/r?url=https%3A%2F%2Fevil.site%2F", BLOCK, "nested URL host 'evil.site'"),
    ("https://api.travel.example/r?url=https%253A%252F%252Fevil.site", BLOCK, "nested URL host 'evil.site'"),
    ("https://api.travel.example/r?next=//evil.site/x", BLOCK, "nested URL host 'evil.site'"),
    ("https://api.travel.example/r?next=%2F%2Fevil.site", BLOCK, "nested URL host 'evil.site'"),
    ("https://api.travel.example/go/https://evil.site/", BLOCK, "nested URL host 'evil.site'"),
    ("https://api.travel.example/#redirect=https://evil.site", BLOCK, "nested URL host 'evil.site'"),
    ("https://api.travel.example/r?next=https://www.booking.example/ok", ALLOW, ""),
    ("https://api.travel.example/r?a=1&next=https://x.booking.example/?u=https://evil.site", BLOCK, "evil.site"),
    ("https://api.travel.example/search?q=hello+world&page=2", ALLOW, ""),
    ("https://api.travel.example/" + "?u=https://api.travel.example/" * 4 + "?u=https://evil.site",
     BLOCK, "nested more than 3 levels"),
    ("https://api.travel.example/" + "?u=https://api.travel.example/" * 2 + "?u=https://evil.site",
     BLOCK, "nested URL host 'evil.site'"),
    ("https://api.travel.example/r?url=https%252525253A%25252525252F%2525252F", BLOCK, "more than 3 times"),
    ("https://api.travel.example/r?url=https%2525253A%2525252F%2525252Fevil.site", BLOCK, "more than 3 times"),
    ("https://api.travel.example/r?url=https%3A%252F%25252Fevil.site", BLOCK, "nested URL host 'evil.site'"),
    ("https://api.travel.example:" + "9" * 5000 + "/", BLOCK, "not a valid port"),
    # schemes, missing hosts, schemeless
    ("file:///etc/passwd", BLOCK, "scheme 'file'"),
    ("javascript:alert(1)", BLOCK, "scheme 'javascript'"),
    ("ftp://api.travel.example/", BLOCK, "scheme 'ftp'"),
    ("https:///evil.site", BLOCK, "'evil.site' is not in the allowed domains"),
    ("https:\\\\evil.site", BLOCK, "'evil.site' is not in the allowed domains"),
    ("evil.site/path", BLOCK, "'evil.site' is not in the allowed domains"),
    ("api.travel.example/path", ALLOW, ""),
    ("api.travel.example:8443/path", ALLOW, ""),  # host:port without a scheme
    ("localhost:8080/admin", BLOCK, "'localhost' is not in the allowed domains"),
    ("//evil.site/x", BLOCK, "'evil.site' is not in the allowed domains"),
    ("", BLOCK, "no host"),
    ("https://api.travel.example:99999/", BLOCK, "not a valid port"),
]


@pytest.mark.parametrize(("url", "expected", "why"), CASES, ids=[c[0][:60] for c in CASES])
def test_url_table(scanner: ToolPolicyScanner, url: str, expected: ScanDecision, why: str) -> None:
    result = scanner.check_call("http_request", {"url": url})
    assert result.decision is expected, result.reason
    if expected is BLOCK:
        assert why in result.reason
        assert "http-allowlist" in result.reason
        assert result.details["message"] == "Only the travel APIs may be called."


@pytest.mark.parametrize("value", [None, 42, {"host": "api.travel.example"}, b"https://api.travel.example/"])
def test_non_string_url_is_blocked(scanner: ToolPolicyScanner, value: object) -> None:
    result = scanner.check_call("fetch_url", {"url": value})
    assert result.decision is BLOCK
    assert "expected a URL string" in result.reason


def test_list_of_urls_checks_every_item(scanner: ToolPolicyScanner) -> None:
    ok = scanner.check_call("fetch_many", {"url": ["https://api.travel.example/", "https://x.booking.example/"]})
    assert ok.decision is ALLOW
    bad = scanner.check_call("fetch_many", {"url": ["https://api.travel.example/", "https://evil.site/"]})
    assert bad.decision is BLOCK and "item 1" in bad.reason


def test_options_schemes_ports_userinfo_idn_and_ips() -> None:
    s = ToolPolicyScanner(rules=[{"tool": "f", "args": {"u": {"url": {
        "allow_domains": ["*.example.com", "example.com"], "schemes": ["https"], "ports": [443, 8443],
        "allow_userinfo": True, "allow_idn": True, "allow_ip_literals": True, "check_nested": False,
    }}}}])
    assert s.check_call("f", {"u": "http://example.com/"}).decision is BLOCK
    assert s.check_call("f", {"u": "https://example.com:8443/"}).decision is ALLOW
    assert "port 80 " in s.check_call("f", {"u": "https://example.com:80/"}).reason
    assert s.check_call("f", {"u": "https://user:pw@example.com/"}).decision is ALLOW
    assert s.check_call("f", {"u": "https://bücher.example.com/"}).decision is ALLOW  # single-script IDN
    assert "homograph" in s.check_call("f", {"u": "https://аррӏе.example.com/"}).reason  # still refused
    # IPs allowed as literals, but the allow-list still applies to them
    assert "not in the allowed domains" in s.check_call("f", {"u": "https://10.1.2.3/"}).reason
    assert s.check_call("f", {"u": "https://example.com/?next=https://evil.site"}).decision is ALLOW


def test_deny_list_without_allow_list() -> None:
    s = ToolPolicyScanner(rules=[{"tool": "f", "args": {"u": {"url": {"deny_domains": ["evil.site", "*.evil.site"]}}}}])
    assert s.check_call("f", {"u": "https://anything.example/"}).decision is ALLOW
    assert s.check_call("f", {"u": "https://EVIL.site./"}).decision is BLOCK
    assert s.check_call("f", {"u": "https://a.evil.site/"}).decision is BLOCK
    assert s.check_call("f", {"u": "https://ok.example/?to=https://a.evil.site"}).decision is BLOCK
    assert "IP literal" in s.check_call("f", {"u": "https://3232235777/"}).reason  # 192.168.1.1


def test_star_argument_checks_every_url_like_string() -> None:
    s = ToolPolicyScanner(rules=[{"tool": "send", "args": {"*": {"url": {"allow_domains": ["ok.example"]}}}}])
    ok = {"to": "bob", "body": "see the report", "links": ["https://ok.example/a"]}
    assert s.check_call("send", ok).decision is ALLOW
    nested = {"to": "bob", "meta": {"links": ["https://ok.example/a", "https://evil.site/x"]}}
    result = s.check_call("send", nested)
    assert result.decision is BLOCK and "evil.site" in result.reason


def test_huge_url_is_judged_without_error(scanner: ToolPolicyScanner) -> None:
    big = "https://api.travel.example/?q=" + "a" * 5_000_000 + "&next=https://evil.site"
    result = scanner.check_call("http_request", {"url": big})
    assert result.decision is BLOCK
    assert len(result.reason) < 400  # the reason never carries the argument wholesale


def test_lone_surrogates_and_control_characters(scanner: ToolPolicyScanner) -> None:
    assert scanner.check_call("http_request", {"url": "https://api.travel.example/\ud800"}).decision is ALLOW
    assert scanner.check_call("http_request", {"url": "https://ev\ud800il.site/"}).decision is BLOCK
    assert scanner.check_call("http_request", {"url": "https://api.travel\u200b.example/"}).decision is BLOCK


# ---- differential property: whatever the policy allows, real client parsers route to an allowed host ----------
import re  # noqa: E402
from urllib.parse import unquote, urlsplit  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TOKENS = [
    "http://", "https://", "HTTPS://", "//", "\\\\", "http:", "https:/", "ftp://",
    "api.travel.example", "x.booking.example", "booking.example", "evil.site", "EVIL.SITE", "аpi.travel.example",
    "xn--pi-6kc.travel.example", "127.0.0.1", "2130706433", "0x7f.1", "[::1]", "localhost",
    "@", "\\", "#", "?", "/", ":", ":443", ":8080", ".", "。", "%2e", "%2E", "%40", "%2f", "%00", "%252f",
    "user:pw", "next=", "url=", "&", "=", " ", "\t", "\n", "a", "-", "_", "~",
]


def _client_hosts(url: str) -> list[str]:
    """The host each client parser, a browser's included, would contact (parsers that reject the URL are left
    out)."""
    import httpx
    from ada_url import URL as WhatwgURL  # what browsers do (the WHATWG URL standard)
    from urllib3.util import parse_url

    hosts = []
    for parse in (
        lambda u: urlsplit(u).hostname,
        lambda u: httpx.URL(u).host,
        lambda u: parse_url(u).host,
        lambda u: WhatwgURL(u).hostname,
    ):
        try:
            host = parse(url)
        except Exception:  # a parser that refuses the URL cannot be steered by it
            continue
        if host:
            hosts.append(unquote(host).lower().rstrip("."))
    return hosts


def _allowed_host(host: str) -> bool:
    # what name resolution sees: IDNA maps ideographic full stops to dots and drops a trailing dot
    host = host.strip().strip("[]").translate({0x3002: ".", 0xFF0E: ".", 0xFF61: "."}).rstrip(".")
    if host.startswith("xn--") or ".xn--" in host:
        host = host.encode("ascii").decode("idna")
    return host in {"api.travel.example", "bücher.example", "10.0.0.5", "::1"} or host.endswith(".booking.example")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=9).map("".join))
def test_allowed_urls_reach_allowed_hosts_in_every_client(url: str) -> None:
    scanner = ToolPolicyScanner(rules=[{"tool": "fetch", "args": {"url": {"url": {
        "allow_domains": ["api.travel.example", "*.booking.example", "bücher.example", "10.0.0.5", "::1"]}}}}])
    result = scanner.check_call("fetch", {"url": url})
    if result.decision is ALLOW:
        # a tool given no scheme would add one
        schemed = url if re.match(r"\s*[A-Za-z][A-Za-z0-9+.\-]*:", url) else "http://" + url.lstrip("/")
        for host in _client_hosts(schemed):
            assert _allowed_host(host), (url, host)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gets_a_decision_never_an_exception(text: str) -> None:
    scanner = ToolPolicyScanner(rules=[{"tool": "fetch", "args": {"url": {"url": {"allow_domains": ["ok.example"]}}}}])
    result = scanner.check_call("fetch", {"url": text})
    assert result.decision in (ALLOW, BLOCK)
    assert len(result.reason) < 500
