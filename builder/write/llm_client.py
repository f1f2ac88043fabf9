"""A minimal client for OpenAI-compatible chat completions (POST {base}/chat/completions).

Standard library only: llama.cpp's server, Ollama, vLLM and hosted APIs all speak this protocol,
so no vendor SDK is needed. Every failure becomes one `LLMError` line naming the endpoint; the API
key goes into the Authorization header and nowhere else (not into messages, logs or cache keys).
"""
from __future__ import annotations

import json
import os
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from ..errors import CoursewikiError

KEY_VARIABLES = ("COURSEWIKI_LLM_KEY", "OPENAI_API_KEY")


class LLMError(CoursewikiError):
    """The endpoint could not be reached or answered something that is not a chat completion."""


@dataclass
class ChatReply:
    text: str
    cut_off: bool      # finish_reason "length": the last sentence may be unfinished


def completions_url(base_url: str) -> str:
    base = base_url.rstrip("/")
    return base if base.endswith("/chat/completions") else f"{base}/chat/completions"


def shown_url(url: str) -> str:
    """The URL for messages: without user:password@ or a query string (either may hold a secret)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def api_key() -> str | None:
    for name in KEY_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def chat(base_url: str, model: str, messages: list[dict[str, str]], *, max_tokens: int,
         temperature: float = 0.0, timeout_s: float = 300.0) -> ChatReply:
    """The assistant's reply to `messages`."""
    url = completions_url(base_url)
    where = f"LLM endpoint {shown_url(url)}"
    if urlsplit(url).scheme not in ("http", "https"):
        raise LLMError(f"{where}: not an http(s) URL (give --llm-url like http://127.0.0.1:8080/v1)")
    body = json.dumps({"model": model, "messages": messages, "max_tokens": max_tokens,
                       "temperature": temperature, "stream": False}).encode("utf-8")
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    key = api_key()
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            raw = response.read()
    except urllib.error.HTTPError as err:
        raise LLMError(f"{where}: {_http_problem(err)}") from None
    except urllib.error.URLError as err:
        raise LLMError(f"{where}: cannot connect ({getattr(err.reason, 'strerror', None) or err.reason})") from None
    except (socket.timeout, TimeoutError):
        raise LLMError(f"{where}: no answer within {timeout_s:g} s") from None
    except OSError as err:
        raise LLMError(f"{where}: connection failed ({err.strerror or err})") from None
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
    return ChatReply(content, choice.get("finish_reason") == "length")


def _http_problem(err: urllib.error.HTTPError) -> str:
    if err.code in (401, 403):
        return (f"refused the request (HTTP {err.code}); set the API key in "
                f"{' or '.join(KEY_VARIABLES)}")
    detail = ""
    try:
        data = json.loads(err.read().decode("utf-8", "replace"))
        message = data.get("error", {}).get("message") if isinstance(data.get("error"), dict) else data.get("error")
        detail = f": {str(message)[:200]}" if message else ""
    except (ValueError, AttributeError, OSError):
        pass
    if err.code == 404:
        return f"HTTP 404 (the URL should end in /v1, and the model must exist){detail}"
    return f"HTTP {err.code}{detail}"
