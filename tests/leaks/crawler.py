"""A bounded crawl of the whole site as one visitor, scanning every answer for secret markers.

It fetches the addresses it is given, follows every same-site link it finds (HTML href/src,
Atom links, sitemap <loc>s, URLs in JSON and data files, zip members), and scans each body,
each zip member, the text of each PDF and the headers. A page may repeat what was typed into
it: an address that carries a marker's token is also fetched with a decoy token in its place,
and only occurrences beyond the decoy's count as a leak.
"""

import contextlib
import html
import io
import json
import re
import secrets
import zipfile
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

import pypdfium2

from tests.leaks.conftest import Marker

SITE_HOST = "testserver"
LINK_ATTRIBUTE = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
SITEMAP_LOCATION = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")
ABSOLUTE_SITE_URL = re.compile(rf"https?://{SITE_HOST}(?::\d+)?/[^\s\"'<>,]*")
# Static assets hold no record; signing out would end the crawl's session.
SKIPPED_PATHS = re.compile(r"^/static/|/sign-out/$")
# Filters and sort orders multiply addresses; a few dozen variants of one page are plenty.
MAX_VARIANTS_PER_PATH = 25


@dataclass(frozen=True)
class Leak:
    marker: Marker
    url: str
    visitor: str


@dataclass
class Answer:
    url: str
    status: int
    content_type: str
    texts: list[str]  # the body as text, then each zip member and each PDF's page text
    links: list[str]


@dataclass
class Crawl:
    visitor: str
    client: object
    secrets: list[Marker]
    max_requests: int
    requests: int = 0
    visited: set[str] = field(default_factory=set)
    leaks: list[Leak] = field(default_factory=list)
    found_tokens: set[str] = field(default_factory=set)
    statuses: dict[str, int] = field(default_factory=dict)
    content_types: dict[str, str] = field(default_factory=dict)
    links_by_source: dict[str, list[str]] = field(default_factory=dict)
    archive_members: list[str] = field(default_factory=list)
    _variants: Counter = field(default_factory=Counter)
    _decoy_echoes: dict[str, int] = field(default_factory=dict)

    def run(self, start: list[str], all_tokens: list[str]) -> None:
        """Fetch `start` in order, then whatever they link to, until nothing is left or the
        request budget is spent. `all_tokens` are recorded when seen, secret or not."""
        queue = deque(dict.fromkeys(start))
        while queue and self.requests < self.max_requests:
            url = queue.popleft()
            if url in self.visited:
                continue
            self.visited.add(url)
            answer = self.fetch(url)
            self.statuses[url] = answer.status
            self.content_types[url] = answer.content_type
            self.links_by_source[url] = answer.links
            self.record_tokens(answer, all_tokens)
            self.scan(answer)
            for link in answer.links:
                if link not in self.visited and self._worth_following(link):
                    queue.append(link)

    def _worth_following(self, url: str) -> bool:
        path = urlsplit(url).path
        if SKIPPED_PATHS.search(path):
            return False
        self._variants[path] += 1
        return self._variants[path] <= MAX_VARIANTS_PER_PATH

    def fetch(self, url: str) -> Answer:
        self.requests += 1
        response = self.client.get(url)
        content_type = response.get("Content-Type", "")
        headers = "\n".join(f"{name}: {value}" for name, value in response.items())
        texts = [headers, *_texts_of(_body(response), content_type)]
        links = [] if response.status_code >= 400 else _links_in(url, texts, content_type)
        if location := response.get("Location"):
            links.append(location)
        return Answer(url, response.status_code, content_type, texts, _same_site(url, links))

    def record_tokens(self, answer: Answer, tokens: list[str]) -> None:
        text = "\n".join(answer.texts).lower()
        self.found_tokens.update(token for token in tokens if token.lower() in text)

    def scan(self, answer: Answer) -> None:
        text = "\n".join(answer.texts).lower()
        asked_for = unquote(answer.url).lower()
        for marker in self.secrets:
            token = marker.token.lower()
            shown = text.count(token)
            if not shown:
                continue
            if token in asked_for and shown <= self._echoes(answer.url, marker.token):
                continue
            self.leaks.append(Leak(marker, answer.url, self.visitor))

    def _echoes(self, url: str, token: str) -> int:
        """How often the page shows a token typed into its address that matches nothing."""
        shape = unquote(url).replace(token, "{token}")
        if shape not in self._decoy_echoes:
            decoy = secrets.token_hex(len(token))[: len(token)]
            self.requests += 1
            response = self.client.get(shape.replace("{token}", decoy))
            texts = _texts_of(_body(response), response.get("Content-Type", ""))
            self._decoy_echoes[shape] = "\n".join(texts).lower().count(decoy)
        return self._decoy_echoes[shape]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _texts_of(body: bytes, content_type: str) -> list[str]:
    """The body decoded, plus every member of a zip and the page text of every PDF."""
    if content_type.startswith("application/zip") or body[:4] == b"PK\x03\x04":
        return _zip_texts(body)
    if content_type.startswith("application/pdf") or body[:5] == b"%PDF-":
        return [body.decode("latin-1"), _pdf_text(body)]
    return [body.decode("utf-8", errors="replace")]


def _zip_texts(body: bytes) -> list[str]:
    texts = []
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for member in archive.namelist():
            data = archive.read(member)
            texts.append(f"zip member {member}")
            texts.extend(_texts_of(data, "application/pdf" if member.endswith(".pdf") else ""))
    return texts


def _pdf_text(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def _links_in(url: str, texts: list[str], content_type: str) -> list[str]:
    links = []
    for text in texts:
        links += [html.unescape(link) for link in LINK_ATTRIBUTE.findall(text)]
        links += [html.unescape(link) for link in SITEMAP_LOCATION.findall(text)]
        links += ABSOLUTE_SITE_URL.findall(text)
    if "json" in content_type:
        # Not JSON after all: its absolute addresses were taken above.
        with contextlib.suppress(ValueError):
            links += _json_addresses(json.loads(texts[-1]))
    return links


def _json_addresses(value) -> list[str]:
    """Every string in a JSON document that is an address on this site."""
    if isinstance(value, dict):
        return [address for item in value.values() for address in _json_addresses(item)]
    if isinstance(value, list):
        return [address for item in value for address in _json_addresses(item)]
    if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
        return [value]
    return []


def _same_site(base: str, links: list[str]) -> list[str]:
    """The links that stay on this site, as path and query, without fragments."""
    kept = []
    for link in links:
        parts = urlsplit(urljoin(base, link.strip()))
        if parts.scheme not in ("", "http", "https") or parts.hostname not in (None, SITE_HOST):
            continue
        kept.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return list(dict.fromkeys(kept))
