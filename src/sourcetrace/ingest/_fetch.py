"""Careful HTTP fetching for feeds and the pages they link to.

Only ``http``/``https``; every hop of a redirect is checked again; hosts resolving to private,
loopback, link-local, reserved or multicast addresses are refused unless ``allow_private``;
bodies are streamed and cut off at ``max_bytes``; connect/read timeouts always apply.
Known limit: the address is checked before httpx connects, so a DNS answer that changes between
the two (rebinding) is not caught.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import DocumentError

__all__ = ["FetchPolicy", "Fetched", "Fetcher", "check_url"]

Resolver = Callable[[str], list[str]]


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    allow_private: bool = False
    timeout: float = 15.0           # seconds, for connect, read and write each
    max_bytes: int = 8_000_000      # larger bodies are refused, not truncated
    max_redirects: int = 5
    user_agent: str = "sourcetrace-ingest/0.1"


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str                # after redirects
    content: bytes
    content_type: str
    fetched_at: datetime


def _resolve(host: str) -> list[str]:
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)})


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                or ip.is_multicast or ip.is_unspecified)


def check_url(url: str, *, allow_private: bool = False, resolver: Resolver = _resolve) -> None:
    """Raise DocumentError (kind ``refused``) unless ``url`` may be fetched."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as err:  # a feed's broken link ("https://wire[/]daily…") is that entry's error
        raise DocumentError(url, f"refused: malformed URL ({err})", "refused") from None
    if parts.scheme not in ("http", "https"):
        raise DocumentError(url, f"refused: scheme {parts.scheme or '(none)'!r} (only http and https)", "refused")
    if not host:
        raise DocumentError(url, "refused: no host in URL", "refused")
    if allow_private:
        return
    try:
        addresses = [host] if _is_ip(host) else resolver(host)
    except OSError as err:
        raise DocumentError(url, f"cannot resolve {host}: {err}", "fetch") from None
    blocked = [a for a in addresses if not _is_public(a)]
    if blocked or not addresses:
        raise DocumentError(url, f"refused: {host} resolves to a private or local address "
                                 f"({', '.join(blocked) or 'none'}); pass --allow-private to permit", "refused")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class Fetcher:
    def __init__(self, policy: FetchPolicy | None = None, *, client: httpx.Client | None = None,
                 resolver: Resolver = _resolve) -> None:
        self.policy = policy = policy or FetchPolicy()
        self._resolver = resolver
        self._client = client or httpx.Client(
            timeout=httpx.Timeout(policy.timeout), follow_redirects=False,
            headers={"User-Agent": policy.user_agent}, trust_env=False,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def get(self, url: str) -> Fetched:
        """GET ``url`` within the policy; raises DocumentError (kind ``refused``/``fetch``/``too-large``)."""
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            check_url(current, allow_private=self.policy.allow_private, resolver=self._resolver)
            try:
                with self._client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise DocumentError(url, f"redirect without Location from {current}", "fetch")
                        current = urljoin(current, location)
                        continue
                    if response.status_code != 200:
                        raise DocumentError(url, f"HTTP {response.status_code} from {current}", "fetch")
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > self.policy.max_bytes:
                        raise DocumentError(url, f"response too large ({int(declared):,} bytes > "
                                                 f"{self.policy.max_bytes:,})", "too-large")
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > self.policy.max_bytes:
                            raise DocumentError(url, f"response too large (> {self.policy.max_bytes:,} bytes)",
                                                "too-large")
                        chunks.append(chunk)
                    return Fetched(str(response.url), b"".join(chunks),
                                   response.headers.get("content-type", ""), datetime.now(UTC))
            except (httpx.HTTPError, httpx.InvalidURL) as err:
                raise DocumentError(url, f"fetch failed: {type(err).__name__}: {err}", "fetch") from None
        raise DocumentError(url, f"more than {self.policy.max_redirects} redirects", "fetch")
