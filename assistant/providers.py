"""Chat model providers, picked by the ``llm`` setting from a small registry."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


def _api_key(settings: Settings) -> str | None:
    if settings.llm_api_key is not None:
        return settings.llm_api_key.get_secret_value()
    return os.environ.get("OPENAI_API_KEY")


def _openai(settings: Settings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        # A local OpenAI-compatible server usually needs no key, but the client wants one.
        api_key=_api_key(settings) or "not-needed",  # type: ignore[arg-type]
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,  # type: ignore[call-arg]
        # The client sends OpenAI's newer `max_completion_tokens`; llama.cpp and other
        # compatible servers only honour the classic `max_tokens`, so send both there.
        extra_body={"max_tokens": settings.llm_max_tokens} if settings.llm_base_url else None,
    )


PROVIDERS: dict[str, Callable[[Settings], BaseChatModel | None]] = {
    "openai": _openai,
    "offline": lambda _settings: None,
}


def provider_name(settings: Settings) -> str:
    """The provider actually used: ``auto`` becomes openai when a key or base URL is set."""
    if settings.llm == "auto":
        return "openai" if (_api_key(settings) or settings.llm_base_url) else "offline"
    if settings.llm not in PROVIDERS:
        raise ValueError(f"Unknown LLM provider {settings.llm!r}; known: auto, {', '.join(PROVIDERS)}.")
    return settings.llm


def get_chat_model(settings: Settings) -> BaseChatModel | None:
    """The chat model to use, or None in offline mode."""
    return PROVIDERS[provider_name(settings)](settings)
