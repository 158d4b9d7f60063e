"""Request bodies: strict (unknown fields and wrong types are 422), with size limits."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
NoteText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]


class Strict(BaseModel):
    """Base for request bodies."""

    model_config = ConfigDict(extra="forbid")


class AskRequest(Strict):
    """A question about the program."""

    question: Text


class TopicsRequest(Strict):
    """Topic suggestions for a pair."""

    pair_id: Id
    focus: Text | None = None
    count: int = Field(default=5, ge=1, le=10)


class CoachRequest(Strict):
    """A challenge in the user's words."""

    text: Text
    pair_id: Id | None = None


class AgendaRequest(Strict):
    """An agenda for a pair's next session."""

    pair_id: Id
    minutes: int = Field(default=45, ge=30, le=120)
    focus: Text | None = None


class BriefRequest(Strict):
    """A prep brief for a pair."""

    pair_id: Id


class NoteCreate(Strict):
    """A new session note."""

    date: dt.date
    text: NoteText
    visibility: Literal["private", "pair", "program"] = "pair"


class NoteUpdate(Strict):
    """Changes to a note (only the fields given change)."""

    date: dt.date | None = None
    text: NoteText | None = None
    visibility: Literal["private", "pair", "program"] | None = None


class UserCreate(Strict):
    """A new user."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    role: Literal["mentor", "executive", "coordinator", "admin"]


class PairCreate(Strict):
    """A new pair."""

    mentor_id: Id
    executive_id: Id
    goals: Annotated[str, StringConstraints(max_length=2000)] = ""
    start_date: dt.date | None = None


class ChatRequest(Strict):
    """A chat message."""

    message: Text
    conversation_id: Id | None = None
    pair_id: Id | None = None
    stream: bool = False


class ChatMessage(BaseModel):
    """An OpenAI-style chat message."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: Annotated[str, StringConstraints(max_length=20000)] | list[dict[str, Any]] | None = None


class CompletionRequest(BaseModel):
    """An OpenAI-compatible chat completion request (other OpenAI fields are accepted and ignored)."""

    model_config = ConfigDict(extra="allow")

    model: Annotated[str, StringConstraints(max_length=100)] = "mentor-assistant"
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: bool = False
    user: Annotated[str, StringConstraints(max_length=100)] | None = None
