"""A client for OpenAI-compatible chat completions (POST {base}/chat/completions) over httpx.

llama.cpp's server, Ollama, vLLM and hosted APIs all speak this protocol, so no vendor SDK is
needed. The endpoint is not trusted: every failure becomes one `LLMError` line naming the endpoint,
with the endpoint's own words stripped of control characters, bounded and with the API key
redacted; an answer is read only up to what `max_tokens` can take (a flood is a failed answer);
and the whole request, retry included, has one deadline that a server trickling a byte at a time
cannot stretch (httpx's timeouts are per read, so a watchdog shuts the socket at the deadline).
The key goes into the Authorization header and nowhere else (not into messages, logs or cache keys).
"""
from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
import unicodedata
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

from ..errors import CoursewikiError

KEY_VARIABLES = ("COURSEWIKI_LLM_KEY", "OPENAI_API_KEY")
DEFAULT_TIMEOUT_S = 120.0
BYTES_PER_TOKEN = 64            # a token is ~4 characters; JSON escapes (\u4e2d) and slack make 64 generous
ENVELOPE_BYTES = 16 * 1024      # the JSON around the text: ids, usage, timings
MAX_ANSWER_BYTES = 2 * 1024 * 1024
MAX_ERROR_BYTES = 64 * 1024     # of an error body, for its message
MAX_DETAIL_CHARS = 200          # of the endpoint's own words in a message
MAX_URL_CHARS = 2048
RETRY_PAUSE_S = 0.5
HIDDEN = "[key hidden]"
EXAMPLE_URL = "http://127.0.0.1:8080/v1"
_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[P^_X][^\x1b]*(?:\x1b\\)?|\x1b.?"
                     r"|\x9b[0-?]*[ -/]*[@-~]|\x9d[^\x07\x9c]*[\x07\x9c]?")


class LLMError(CoursewikiError):
    """The endpoint could not be reached or answered something that is not a chat completion."""


class LLMSkipped(LLMError):
    """No request was made: the endpoint already failed once in this build."""


class _Retryable(LLMError):
    """A failure worth one more try: the connection could not be made, or the server said 5xx."""


@dataclass(frozen=True)
class ChatReply:
    text: str
    cut_off: bool      # finish_reason "length": the last sentence may be unfinished


def completions_url(base_url: str) -> str:
    base = base_url.rstrip("/")
    return base if base.endswith("/chat/completions") else f"{base}/chat/completions"


def shown_url(url: str) -> str:
    """The URL for messages: without user:password@ or a query string (either may hold a secret)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        if parts.port:
            host = f"{host}:{parts.port}"
    except ValueError:
        return one_line(url.split("?", 1)[0].rsplit("@", 1)[-1], 120)
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def url_problem(url: str) -> str | None:
    """Why `url` cannot be an endpoint's base URL (a sentence to follow the URL), or None.

    Checked before a build starts, so a typo costs one line instead of a traceback halfway
    through. A query string is refused rather than kept: the client builds the path itself and
    would drop or mangle it, and a key in a query string would be printed in messages."""
    advice = f"give one like {EXAMPLE_URL}"
    if len(url) > MAX_URL_CHARS:
        return f"is longer than {MAX_URL_CHARS} characters"
    if any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in url):
        return "has spaces or control characters in it"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        reason = str(err)
        if "IPv6" in reason:
            return "is not a URL: its IPv6 address needs both brackets, as in http://[::1]:8080/v1"
        if "out of range" in reason:
            return "has a port out of range (1-65535)"
        return f"is not a URL ({one_line(reason, 80)}); {advice}"
    if parts.scheme.lower() not in ("http", "https") or not url.lower().startswith(f"{parts.scheme.lower()}://"):
        return f"is not an http:// or https:// URL; {advice}"
    if parts.username is not None or parts.password is not None:
        return "has credentials in it (user:password@); put the API key in COURSEWIKI_LLM_KEY instead"
    if not parts.hostname:
        return f"has no host; {advice}"
    if port == 0:
        return "has a port out of range (1-65535)"
    if parts.query or parts.fragment or "?" in url or "#" in url:
        return f"has a query string or #fragment, which coursewiki does not send; give the base URL only, like {EXAMPLE_URL}"
    try:
        httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as err:
        return f"is not a URL ({one_line(str(err), 80)}); {advice}"
    return None


def shown_value(url: str) -> str:
    """The value as typed, quoted for a message: one bounded line, credentials masked."""
    masked = re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", r"\1***@", url)
    return repr(one_line(masked, 120))


def api_key() -> str | None:
    for name in KEY_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def key_values() -> list[str]:
    """Every value of the key variables (either may be sent), longest first."""
    values = {os.environ.get(name, "").strip() for name in KEY_VARIABLES}
    values |= {os.environ.get(name, "") for name in KEY_VARIABLES}
    return sorted((v for v in values if v.strip()), key=len, reverse=True)


def one_line(text: str, limit: int = MAX_DETAIL_CHARS, hide: list[str] | tuple[str, ...] = ()) -> str:
    """`text` safe to print on a terminal: escape sequences and control characters removed, one
    line (a newline cannot forge an `error:` line), at most `limit` characters, `hide` redacted."""
    def redact(value: str, again: bool = False) -> str:
        for secret in hide:
            if not (again and secret in HIDDEN):   # a key "key" must not eat the "[key hidden]"s
                value = value.replace(secret, HIDDEN)
        return value
    text = redact(str(text))
    text = _ESCAPE.sub("", text)  # a key split by escape sequences is whole again, and redacted below
    text = "".join(" " if ch.isspace() else ch for ch in text if ch.isspace() or unicodedata.category(ch)[0] != "C")
    text = redact(re.sub(r"\s+", " ", text).strip(), again=True)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def answer_limit_bytes(max_tokens: int) -> int:
    """The most bytes read of an answer to a request for `max_tokens` tokens."""
    return min(MAX_ANSWER_BYTES, ENVELOPE_BYTES + BYTES_PER_TOKEN * max(1, max_tokens))


class Endpoint:
    """One build's endpoint. After its first failure (cannot connect, deadline passed, HTTP
    error, nonsense, a flood) it asks nothing more and raises `LLMSkipped`, so a hung or broken
    endpoint costs one deadline and one warning per build instead of one per pair."""

    def __init__(self, url: str, model: str, timeout_s: float = DEFAULT_TIMEOUT_S):
        self.url, self.model, self.timeout_s = url, model, timeout_s
        self.failure: LLMError | None = None

    def chat(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float = 0.0) -> ChatReply:
        if self.failure is not None:
            raise LLMSkipped(f"{self.failure} (earlier in this build)")
        try:
            return chat(self.url, self.model, messages, max_tokens=max_tokens, temperature=temperature,
                        timeout_s=self.timeout_s)
        except LLMError as err:
            self.failure = err
            raise


def chat(base_url: str, model: str, messages: list[dict[str, str]], *, max_tokens: int,
         temperature: float = 0.0, timeout_s: float = DEFAULT_TIMEOUT_S) -> ChatReply:
    """The assistant's reply to `messages`, within `timeout_s` seconds all told; one retry when
    the connection fails or the server answers 5xx, if the deadline leaves time for it."""
    url = completions_url(base_url)
    hide = key_values()
    where = f"LLM endpoint {shown_url(url)}"
    problem = url_problem(base_url)
    if problem:
        raise LLMError(one_line(f"{where}: {problem}", 400, hide))
    body = json.dumps({"model": model, "messages": messages, "max_tokens": max_tokens,
                       "temperature": temperature, "stream": False}).encode("utf-8")
    headers = {"Content-Type": "application/json", "Accept": "application/json", "Accept-Encoding": "identity"}
    key = api_key()
    if key and not (key.isascii() and key.isprintable()):
        raise LLMError(f"{where}: the API key in {' or '.join(KEY_VARIABLES)} has characters an HTTP header "
                       f"cannot carry (copy it again)")
    if key:
        headers["Authorization"] = f"Bearer {key}"
    deadline = time.monotonic() + timeout_s
    limit = answer_limit_bytes(max_tokens)
    try:
        try:
            raw = _post(url, body, headers, limit, deadline, timeout_s, max_tokens)
        except _Retryable as err:
            if deadline - time.monotonic() < 2 * RETRY_PAUSE_S:
                raise LLMError(str(err)) from None
            time.sleep(RETRY_PAUSE_S)
            try:
                raw = _post(url, body, headers, limit, deadline, timeout_s, max_tokens)
            except _Retryable as again:
                raise LLMError(f"{again} (tried twice)") from None
    except LLMError as err:
        raise LLMError(one_line(f"{where}: {err}", 400, hide)) from None
    return _reply(raw, where, hide)


def _reply(raw: bytes, where: str, hide: list[str]) -> ChatReply:
    """The chat completion in `raw`; a key the server echoes into the text is redacted, since
    the text may be published (as a listed dropped sentence)."""
    try:
        answer = json.loads(raw.decode("utf-8"))
        choice = answer["choices"][0]
        content = choice["message"]["content"]
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise LLMError(f"{where}: the answer is not JSON (is this an OpenAI-compatible /v1 URL?)") from None
    except (KeyError, IndexError, TypeError):
        raise LLMError(f"{where}: the answer has no choices[0].message.content") from None
    if not isinstance(content, str):
        raise LLMError(f"{where}: choices[0].message.content is not text")
    for secret in hide:
        content = content.replace(secret, HIDDEN)
    return ChatReply(content, isinstance(choice, dict) and choice.get("finish_reason") == "length")


def _post(url: str, body: bytes, headers: dict[str, str], limit: int, deadline: float, timeout_s: float,
          max_tokens: int) -> bytes:
    """The answer's body; raises LLMError (the problem only, without the endpoint's name)."""
    remaining = deadline - time.monotonic()
    late = f"no complete answer within {timeout_s:g} s (--llm-timeout)"
    if remaining <= 0:
        raise LLMError(late)
    watchdog = _Watchdog(remaining)
    try:
        with httpx.Client(timeout=httpx.Timeout(remaining), follow_redirects=False) as client:
            with client.stream("POST", url, content=body, headers=headers,
                               extensions={"trace": watchdog.trace}) as response:
                if response.status_code >= 400:
                    problem = _http_problem(response, _read(response, MAX_ERROR_BYTES, watchdog, late, None))
                    raise (_Retryable if response.status_code >= 500 else LLMError)(problem)
                if response.status_code != 200:
                    raise LLMError(f"HTTP {response.status_code} where a chat completion was expected")
                too_long = (f"the answer runs past {limit // 1024} KiB, more than {max_tokens} tokens can take; "
                            f"treated as a failed answer")
                return _read(response, limit, watchdog, late, too_long)
    except httpx.ConnectTimeout:
        raise LLMError(late) from None
    except httpx.ConnectError as err:
        raise _Retryable(f"cannot connect ({_reason(err)})") from None
    except httpx.TimeoutException:
        raise LLMError(late) from None
    except httpx.HTTPError as err:
        if watchdog.expired.is_set():
            raise LLMError(late) from None
        raise LLMError(f"connection failed ({_reason(err)})") from None
    except OSError as err:
        if watchdog.expired.is_set():
            raise LLMError(late) from None
        raise LLMError(f"connection failed ({err.strerror or err})") from None
    finally:
        watchdog.cancel()


class _Watchdog:
    """Shuts the request's socket at the deadline, which wakes a read blocked in any phase
    (headers or body) that a per-read timeout would keep restarting."""

    def __init__(self, seconds: float):
        self.expired = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def trace(self, event: str, info: dict) -> None:
        if event != "connection.connect_tcp.complete":
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired.is_set():
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired.set()
            for sock in self._sockets:
                _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _read(response: httpx.Response, limit: int, watchdog: _Watchdog, late: str, too_long: str | None) -> bytes:
    """At most `limit` bytes of the body (after decompression). With `too_long`, a longer body
    is that error; without, it is cut (an error body is only read for its message)."""
    declared = response.headers.get("content-length", "")
    if too_long and declared.isdigit() and int(declared) > limit:
        raise LLMError(too_long)
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    elif encoding in ("", "identity"):
        decoder = None
    else:
        raise LLMError(f"the answer is compressed as {one_line(encoding, 40)!r}, which coursewiki does not read")
    chunks: list[bytes] = []
    size = 0
    try:
        for raw in response.iter_raw():
            if watchdog.expired.is_set():
                raise LLMError(late)
            data = decoder.decompress(raw, limit + 1 - size) if decoder else raw
            chunks.append(data)
            size += len(data)
            if size > limit:
                if too_long:
                    raise LLMError(too_long)
                break
        if decoder and size <= limit:
            chunks.append(decoder.flush())
    except zlib.error:
        raise LLMError("the answer's compression is damaged") from None
    if watchdog.expired.is_set():
        raise LLMError(late)
    data = b"".join(chunks)
    if too_long and len(data) > limit:
        raise LLMError(too_long)
    return data[:limit]


def _http_problem(response: httpx.Response, raw: bytes) -> str:
    code = response.status_code
    if code in (401, 403):
        return (f"refused the request (HTTP {code}); set the API key in "
                f"{' or '.join(KEY_VARIABLES)}")
    message = None
    text = raw.decode("utf-8", "replace")
    try:
        data = json.loads(text)
        if isinstance(data, dict):
            error = data.get("error")
            message = error.get("message") if isinstance(error, dict) else error
            message = message or data.get("detail") or data.get("message")
    except ValueError:
        if "html" not in response.headers.get("content-type", "").lower() and not text.lstrip().startswith("<"):
            message = text
    detail = one_line(str(message), MAX_DETAIL_CHARS, key_values()) if message else ""
    detail = f": {detail}" if detail else ""
    if code == 404:
        return f"HTTP 404 (the URL should end in /v1, and the model must exist){detail}"
    return f"HTTP {code}{detail}"


def _reason(err: Exception) -> str:
    """The innermost OS reason of an httpx error ("Connection refused"), not its repr."""
    cause: BaseException | None = err
    while cause is not None:
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
        cause = cause.__cause__ or cause.__context__
    return str(err) or type(err).__name__
