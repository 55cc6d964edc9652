"""Uploaded log files: which ones we read, and reading them safely.

A file is read only when its name ends in an accepted extension, its type is text and it is at
most MAX_FILE_BYTES, all checked from files.info before a byte is downloaded. The download sends
the bot token, so it goes only over https, to the Slack host SLACK_API_URL names (or one of its
subdomains, e.g. files.slack.com for slack.com) on that URL's port (443), never through a
redirect elsewhere. (Plain http only when SLACK_API_URL itself is http on this machine: tests.)
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from bot.inputs import looks_binary
from bot.slack.config import SlackConfig

ACCEPTED_EXTENSIONS = (".log", ".txt", ".json", ".csv")
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = 3  # per message
_BINARY_TYPES = ("image/", "audio/", "video/", "application/zip", "application/gzip",
                 "application/x-gzip", "application/pdf", "application/x-tar")
_MAX_REDIRECTS = 3
TIMEOUT = 20.0


@dataclass(frozen=True)
class SlackFile:
    id: str
    name: str
    size: int
    mimetype: str
    url: str  # url_private_download or url_private

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> SlackFile:
        return cls(
            id=str(data.get("id") or ""),
            name=str(data.get("name") or data.get("title") or data.get("id") or "file"),
            size=int(data.get("size") or 0),
            mimetype=str(data.get("mimetype") or ""),
            url=str(data.get("url_private_download") or data.get("url_private") or ""),
        )


@dataclass(frozen=True)
class FileText:
    """A file's text, or why it was not read (`problem`: a key of bot.slack.rendering.texts)."""

    name: str
    text: str | None = None
    problem: str | None = None
    size: int = 0


def refusal(file: SlackFile) -> str | None:
    """Why `file` is not read ('file_rejected_type' / 'file_rejected_size'), or None to read it."""
    if not file.name.lower().endswith(ACCEPTED_EXTENSIONS):
        return "file_rejected_type"
    if file.mimetype.lower().startswith(_BINARY_TYPES):
        return "file_rejected_type"
    if file.size > MAX_FILE_BYTES:
        return "file_rejected_size"
    return None


def allowed_download_host(url: str, config: SlackConfig) -> bool:
    try:
        parts, api = urlsplit(url), urlsplit(config.api_url)
        port, api_port = _port(parts), _port(api)
    except ValueError:  # a port that is not a number
        return False
    host = (parts.hostname or "").lower()
    api_host = (api.hostname or "").lower()
    if parts.scheme != api.scheme or parts.scheme not in ("https", "http") or port != api_port:
        return False
    if parts.username is not None or parts.password is not None:
        return False
    return bool(host) and (host == api_host or host.endswith("." + api_host))


def _port(parts: Any) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def read_slack_file(file_id: str, *, client: Any, config: SlackConfig, logger: logging.Logger) -> FileText:
    """Look the file up with files.info, check it, download it with the bot token, decode it."""
    try:
        info = SlackFile.from_api(client.files_info(file=file_id)["file"])
    except Exception as exc:
        logger.warning("files.info for %s failed: %s", file_id, exc)
        return FileText(name=file_id, problem="file_reason_download")
    problem = refusal(info)
    if problem:
        return FileText(name=info.name, problem=problem, size=info.size)
    if not allowed_download_host(info.url, config):
        logger.warning("not downloading %s: %s is not on %s", info.id, urlsplit(info.url).hostname, config.api_host)
        return FileText(name=info.name, problem="file_reason_host")
    try:
        data, content_type = download(info.url, token=config.bot_token, config=config)
    except FileTooBig:
        return FileText(name=info.name, problem="file_rejected_size", size=MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as exc:
        logger.warning("download of %s failed: %s", info.id, exc)
        return FileText(name=info.name, problem="file_reason_download")
    # Without files:read Slack answers with its sign-in page, not the file.
    if content_type.startswith("text/html") and not info.mimetype.startswith("text/html"):
        return FileText(name=info.name, problem="file_reason_html")
    if looks_binary(data[:8192]):
        return FileText(name=info.name, problem="file_reason_binary")
    return FileText(name=info.name, text=data.decode("utf-8", errors="replace").replace("\x00", ""),
                    size=len(data))


class FileTooBig(ValueError):
    pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # we follow redirects ourselves, checking the host each time


def download(url: str, *, token: str, config: SlackConfig, limit: int = MAX_FILE_BYTES) -> tuple[bytes, str]:
    """The bytes at `url` (at most `limit`, else FileTooBig) and their content type."""
    opener = urllib.request.build_opener(_NoRedirect)
    for _ in range(_MAX_REDIRECTS + 1):
        if not allowed_download_host(url, config):
            raise ValueError(f"redirected off the Slack host to {urlsplit(url).hostname}")
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
        try:
            response = opener.open(request, timeout=TIMEOUT)
        except urllib.error.HTTPError as exc:
            if exc.code in (301, 302, 303, 307, 308) and exc.headers.get("Location"):
                url = urljoin(url, exc.headers["Location"])
                continue
            raise
        with response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise FileTooBig(url)
            data = response.read(limit + 1)
            if len(data) > limit:
                raise FileTooBig(url)
            return data, (response.headers.get("Content-Type") or "").lower()
    raise ValueError("too many redirects")
