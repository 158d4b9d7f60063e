"""Settings: one typed object read from ``ASSISTANT_*`` environment variables."""

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything the assistant can be configured with."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore", frozen=True)

    home: Path = Field(default=Path(".assistant"), description="Data folder: store and index.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default is a SQLite file in the data folder."
    )
    chroma_url: str | None = Field(
        default=None, description="Chroma server URL; default is an embedded index in the data folder."
    )
    embeddings: Literal["local", "openai"] = "local"
    openai_embedding_model: str = "text-embedding-3-small"
    embed_threads: int = Field(
        default=0,
        ge=0,
        le=64,
        description="Threads one local embedding call uses (0: one per core); `serve` uses 1, as its "
        "concurrent requests fill the cores (about a fifth less CPU per query).",
    )
    knowledge_dir: Path = REPO_ROOT / "knowledge"
    chunk_chars: int = Field(default=900, ge=200, le=8000)
    max_note_chars: int = Field(default=20_000, ge=100)
    admins_read_notes: bool = False
    session_hours: float = Field(default=12.0, gt=0, le=24 * 90, description="How long a web sign-in lasts.")
    auth_failures_per_minute: int = Field(
        default=10, ge=1, description="Failed sign-ins or tokens one client may send a minute before 429."
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host names the server answers to (others get 400); empty: localhost names and "
        "the address `serve --host` binds.",
    )
    serve_host: str | None = Field(default=None, description="Set by `serve` to the address it binds.")
    parse_seconds: float = Field(
        default=10.0, gt=0, le=600, description="Time budget for reading one PDF or DOCX file."
    )
    min_group_size: int = Field(default=3, ge=2, description="Fewest pairs a program theme may describe.")
    today: dt.date | None = Field(
        default=None,
        ge=dt.date(2000, 1, 1),
        le=dt.date(2099, 12, 31),
        description="The program's date (YYYY-MM-DD): what cadence, reminders and briefs count from; "
        "unset: the real date. The demo runs on its own (see assistant.clock).",
    )

    smtp_host: str | None = Field(
        default=None, description="Mail server for reminders; unset: reminders are shown on the web only."
    )
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_tls: Literal["starttls", "ssl", "none"] = Field(
        default="starttls", description="starttls (port 587), ssl (port 465) or none (a local relay only)."
    )
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout: float = Field(default=20.0, gt=0, le=300)
    mail_from: str = Field(
        default="Mentoring assistant <assistant@localhost>", description="The reminders' sender."
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000", description="The site's address, for the links in reminders."
    )
    reminders_every_minutes: int = Field(
        default=0, ge=0, le=24 * 60, description="Run reminders inside `serve` this often; 0: off (use cron)."
    )

    llm: str = Field(
        default="auto",
        description="auto (openai when a key or base URL is set, else offline), offline, or a provider "
        "LangChain's init_chat_model knows: openai, ollama, anthropic…",
    )
    llm_model: str = Field(
        default="gpt-4o-mini", description="The model, optionally with its provider: 'ollama:llama3.1'."
    )
    llm_base_url: str | None = Field(
        default=None, description="Any OpenAI-compatible server, or the provider's own address."
    )
    llm_structured_output: Literal["auto", "json_schema", "function_calling", "json_mode"] = Field(
        default="auto", description="How task outputs get their schema; auto asks the provider."
    )
    llm_max_tool_calls: int = Field(default=4, ge=1, le=10, description="Tool calls a chat turn may make.")
    llm_api_key: SecretStr | None = Field(default=None, description="Falls back to OPENAI_API_KEY.")
    llm_timeout: float = Field(default=30.0, gt=0, le=600)
    llm_max_retries: int = Field(default=1, ge=0, le=5)
    llm_temperature: float = Field(default=0.2, ge=0, le=2)
    llm_max_tokens: int = Field(default=1200, ge=64, le=16000)

    @field_validator("llm")
    @classmethod
    def _provider(cls, value: str) -> str:
        value = value.strip().lower().replace("-", "_")
        if not value.isidentifier():
            raise ValueError(
                "llm must be auto, offline or a provider name such as openai, ollama or anthropic"
            )
        return value

    @field_validator("home")
    @classmethod
    def _absolute_home(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @model_validator(mode="after")
    def _no_password_in_clear(self) -> "Settings":
        local = (self.smtp_host or "").strip().lower() in ("localhost", "127.0.0.1", "::1")
        if self.smtp_tls == "none" and self.smtp_password is not None and not local:
            raise ValueError("smtp_tls none would send the SMTP password in clear; use starttls or ssl")
        return self

    @property
    def trusted_hosts(self) -> list[str]:
        """The host names requests may name: ``allowed_hosts``, or localhost and the bound address."""
        if self.allowed_hosts:
            return list(self.allowed_hosts)
        hosts = ["localhost", "127.0.0.1", "::1", "[::1]"]
        bound = (self.serve_host or "").strip()
        if bound in ("0.0.0.0", "::"):  # every interface: this machine's own names too
            import socket

            hosts += [socket.gethostname(), socket.getfqdn()]
        elif bound:
            hosts.append(bound)
        return list(dict.fromkeys(h.lower() for h in hosts if h))

    @property
    def sqlalchemy_url(self) -> str:
        """The store's URL, defaulting to ``assistant.db`` in the data folder."""
        return self.database_url or f"sqlite:///{self.home / 'assistant.db'}"

    @property
    def index_dir(self) -> Path:
        """Where the embedded Chroma index lives."""
        return self.home / "index"


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings, read once from the environment."""
    return Settings()
