"""The chat model, from LangChain's own registry (``init_chat_model``), chosen by settings only.

This is the one module that knows providers: which one the settings name, what to pass it,
and which structured-output method and tool calling it supports.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

Method = Literal["json_schema", "function_calling", "json_mode"]
EXTRAS = {"ollama": "langchain-ollama", "anthropic": "langchain-anthropic"}


@dataclass(frozen=True)
class Choice:
    """Which provider and model answer; ``offline`` when none is configured."""

    provider: str
    model: str | None = None
    base_url: str | None = None


def _api_key(settings: Settings) -> str | None:
    if settings.llm_api_key is not None:
        return settings.llm_api_key.get_secret_value()
    return os.environ.get("OPENAI_API_KEY")


def choice(settings: Settings) -> Choice:
    """The provider and model the settings name.

    ``ASSISTANT_LLM_MODEL`` may carry its provider ("ollama:llama3.1", "anthropic:claude-…");
    otherwise ``ASSISTANT_LLM`` names it, and ``auto`` means openai when an OpenAI key or a base
    URL (any OpenAI-compatible server) is set, else offline.
    """
    prefix, _, name = settings.llm_model.partition(":")
    if settings.llm == "offline":
        return Choice("offline")
    if name and prefix.isidentifier():
        return Choice(prefix.lower(), name, settings.llm_base_url)
    if settings.llm != "auto":
        return Choice(settings.llm, settings.llm_model, settings.llm_base_url)
    if _api_key(settings) or settings.llm_base_url:
        return Choice("openai", settings.llm_model, settings.llm_base_url)
    return Choice("offline")


def provider_name(settings: Settings) -> str:
    """The provider actually used (``offline`` when none is configured)."""
    return choice(settings).provider


def _kwargs(settings: Settings, picked: Choice) -> dict[str, Any]:
    """What each provider's LangChain class needs from our settings."""
    common: dict[str, Any] = {"temperature": settings.llm_temperature}
    if picked.base_url:
        common["base_url"] = picked.base_url
    if picked.provider == "ollama":
        return {
            **common,
            "num_predict": settings.llm_max_tokens,
            "client_kwargs": {"timeout": settings.llm_timeout},
        }
    common |= {
        "max_tokens": settings.llm_max_tokens,
        "timeout": settings.llm_timeout,
        "max_retries": settings.llm_max_retries,
    }
    if picked.provider == "openai":
        # A local OpenAI-compatible server usually needs no key, but the client wants one.
        common["api_key"] = _api_key(settings) or "not-needed"
        common["stream_usage"] = True  # token usage in streamed answers too
        if picked.base_url:
            # The client sends OpenAI's newer `max_completion_tokens`; llama.cpp and other
            # compatible servers only honour the classic `max_tokens`, so send both there.
            common["extra_body"] = {"max_tokens": settings.llm_max_tokens}
    elif settings.llm_api_key is not None:
        common["api_key"] = settings.llm_api_key.get_secret_value()
    return common


def get_chat_model(settings: Settings) -> BaseChatModel | None:
    """The chat model to use, or None in offline mode.

    Raises:
        ValueError: the provider is unknown to LangChain, or its package is not installed.
    """
    picked = choice(settings)
    if picked.provider == "offline":
        return None
    from langchain.chat_models import init_chat_model

    try:
        model = init_chat_model(picked.model, model_provider=picked.provider, **_kwargs(settings, picked))
    except ImportError as exc:
        package = EXTRAS.get(picked.provider, f"langchain-{picked.provider.replace('_', '-')}")
        raise ValueError(f"The {picked.provider} provider needs the {package} package ({exc}).") from None
    return cast("BaseChatModel", model)


def _profile(model: BaseChatModel) -> dict[str, Any]:
    return dict(getattr(model, "profile", None) or {})


def binds_tools(model: BaseChatModel) -> bool:
    """Whether the model's class implements tool calling at all."""
    from langchain_core.language_models import BaseChatModel

    return type(model).bind_tools is not BaseChatModel.bind_tools


def tool_calling(model: BaseChatModel) -> bool | None:
    """Whether the model calls tools: its LangChain profile says so, or None when it does not know."""
    if not binds_tools(model):
        return False
    return _profile(model).get("tool_calling")


def structured_method(settings: Settings, model: BaseChatModel) -> Method:
    """How task outputs get their schema: the setting, else what the provider supports.

    JSON schema where the provider enforces it (OpenAI's own models, Ollama), tool calling
    otherwise (OpenAI-compatible servers such as llama.cpp and vLLM constrain a forced tool
    call's arguments to its JSON schema; llama.cpp's Python server refuses OpenAI's
    ``json_schema`` response format), JSON mode last.
    """
    if settings.llm_structured_output != "auto":
        return settings.llm_structured_output
    picked = choice(settings)
    profile = _profile(model)
    if picked.provider == "ollama" or (profile.get("structured_output") and not picked.base_url):
        return "json_schema"
    if binds_tools(model) and profile.get("tool_calling", True):
        return "function_calling"
    return "json_mode"
