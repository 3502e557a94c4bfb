"""The URLs a briefing may cite: absolute http(s) addresses, ASCII as RFC 3986 allows, with a host name,
an IPv4 address or a bracketed IPv6 address; why a text is not one (`url_problem`), and the same rule as a
JSON Schema pattern (`URL_PATTERN`)."""

from __future__ import annotations

import ipaddress
import re

#: Characters a URL may hold outside its host, as written: RFC 3986's unreserved
#: characters, sub-delimiters (but `'`), `:`, `@`, `/`, `?`, `#` and `%` (only as
#: the start of an escape such as `%20`). No space, quote, `<`, `>`, backslash, `[`
#: or `]` (outside an IPv6 host), control or non-ASCII character: those are written
#: percent-encoded (`%C3%A9` for é).
_URL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&()*+,;=:@/?#%[]")
_URL = re.compile(r"(?P<scheme>https?)://(?P<authority>[^/?#]*)(?P<rest>[/?#].*)?\Z", re.DOTALL)
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")
_IPV4_PART = re.compile(r"(?:0|[1-9][0-9]{0,2})\Z")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PCHARS = "(?:[A-Za-z0-9\\-._~!$&()*+,;=:@]|%[0-9A-Fa-f]{2})"
_HOST_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"

#: `url_problem`'s rules as a JSON Schema pattern (an editor's check; the numbers in a host
#: and port, and an IPv6 address's own syntax, are left to `briefing check`).
URL_PATTERN = (
    f"^https?://(?:{_HOST_LABEL}(?:\\.{_HOST_LABEL})*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{{1,5}})?"
    f"(?:/(?:{_PCHARS}|/)*)?(?:\\?(?:{_PCHARS}|[/?])*)?(?:#(?:{_PCHARS}|[/?])*)?$"
)


def is_web_url(text: str) -> bool:
    """A well-formed absolute http:// or https:// URL with a host (see `url_problem`)."""
    return url_problem(text) is None


def url_host(url: str) -> str:
    """The host of a URL that `url_problem` accepted, lowercase: `example.org`, `[2001:db8::1]`."""
    match = _URL.match(url)
    authority = match["authority"] if match else ""
    return (authority.partition("]")[0] + "]" if authority.startswith("[") else authority.partition(":")[0]).lower()


def url_problem(text: str) -> str | None:
    """Why `text` is not a URL a briefing may cite, or None when it is one.

    The URL must be absolute, `http://` or `https://` (lowercase), with a host that is a
    host name (ASCII letters, digits and `-`; an international name in its `xn--` form),
    an IPv4 address or a bracketed IPv6 address; an optional port 1 to 65535; no user
    name or password (`https://a@b` shows one host and opens another). Everything it holds
    is ASCII as RFC 3986 allows, but `'`: anything else is written percent-encoded. Every
    URL accepted is an RFC 3986 URI. The empty string means "not http(s) at all".
    """
    match = _URL.match(text)
    if match is None:
        return "write http:// or https:// in lowercase" if _URL.match(text[:8].lower() + text[8:]) else ""
    for char in text:
        if char not in _URL_CHARS:
            return f"{_url_char(char)} must be written percent-encoded ({_percent(char)})"
    if _BAD_ESCAPE.search(text):
        return "a '%' must start an escape of two hex digits, such as %20 (write '%' itself as %25)"
    authority, rest = match["authority"], match["rest"] or ""
    if "@" in authority:
        return "a user name or password ('...@') is not allowed before the host"
    if "[" in rest or "]" in rest:
        return "'[' and ']' only enclose an IPv6 host; elsewhere write %5B and %5D"
    if rest.count("#") > 1:
        return "a second '#' must be written %23"
    return _authority_problem(authority)


def _authority_problem(authority: str) -> str | None:
    """Why a URL's host and port (`host:port`, `[ipv6]:port`) are not ones a briefing may cite, or None."""
    port: str | None
    if authority.startswith("["):
        host, bracket, after = authority[1:].partition("]")
        if not bracket or (after and not after.startswith(":")):
            return "an IPv6 host is written in brackets, e.g. http://[2001:db8::1]/"
        problem = _ipv6_problem(host)
        port = after[1:] if after else None
    else:
        host, colon, port_text = authority.partition(":")
        port = port_text if colon else None
        problem = _host_problem(host)
    if problem:
        return problem
    if port is not None and not (port.isdigit() and len(port) <= 5 and 1 <= int(port) <= 65535):
        return f"the port must be a number from 1 to 65535 (got {port!r})"
    return None


def _host_problem(host: str) -> str | None:
    if not host:
        return "there is no host"
    labels = host.split(".")
    if labels[-1].isdigit():  # no top-level domain is a number: an address, or a mistake
        if len(labels) != 4 or not all(_IPV4_PART.match(part) and int(part) <= 255 for part in labels):
            return f"{host!r} is not an IPv4 address (four numbers 0 to 255, no leading zeros)"
        return None
    if len(host) > 253:
        return "the host name is longer than 253 characters"
    if not all(_LABEL.match(label) for label in labels):
        return (
            f"the host {host!r} is not a host name: letters, digits and '-' (not first or last) between"
            " single dots, at most 63 a part"
        )
    return None


def _ipv6_problem(host: str) -> str | None:
    try:
        if host and all(c in "0123456789abcdefABCDEF:." for c in host):
            ipaddress.IPv6Address(host)
            return None
    except ValueError:
        pass
    return f"[{host}] is not an IPv6 address"


def _url_char(char: str) -> str:
    if char == " ":
        return "a space"
    if char in "\"'":
        return f"a quotation mark ({char})"
    if char.isspace() or not char.isprintable():
        return f"the character U+{ord(char):04X}"
    return f"{char!r}"


def _percent(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
