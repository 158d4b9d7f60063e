"""Request bodies: strict (unknown fields and wrong types are 422), with size limits.

Numbers and flags must be JSON numbers and booleans (``"3"`` or ``true`` for a count is 422),
and dates ``YYYY-MM-DD`` text.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    model_validator,
)


def _date_text(value: Any) -> Any:
    """Dates come as ``YYYY-MM-DD`` text; numbers (which pydantic would read as timestamps) are refused."""
    if not isinstance(value, str | dt.date):
        raise ValueError("a date must be given as YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_date_text)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
NoteText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
# Agendas and briefs go to the partner: the caller's private notes stay out unless asked for.
PrivateCopy = Annotated[
    StrictBool, Field(description="Your own copy, with the items of your private notes (not to be shared).")
]


class Strict(BaseModel):
    """Base for request bodies."""

    model_config = ConfigDict(extra="forbid")


class AskRequest(Strict):
    """A question about the program."""

    question: Text
    detail: bool = Field(False, description="Quote more of the passage the answer comes from.")


class TopicsRequest(Strict):
    """Topic suggestions for a pair."""

    pair_id: Id
    focus: Text | None = None
    count: StrictInt = Field(default=5, ge=1, le=10)


class CoachRequest(Strict):
    """A challenge in the user's words."""

    text: Text
    pair_id: Id | None = None


class AgendaRequest(Strict):
    """An agenda for a pair's next session."""

    pair_id: Id
    minutes: StrictInt = Field(default=45, ge=30, le=120)
    focus: Text | None = None
    private: PrivateCopy = False


class BriefRequest(Strict):
    """A prep brief for a pair."""

    pair_id: Id
    private: PrivateCopy = False


class SearchRequest(Strict):
    """A search of the guidelines and of the notes the caller may read."""

    query: Text
    k: StrictInt = Field(default=5, ge=1, le=50)
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid"


class NoteCreate(Strict):
    """A new session note: for a session (it takes the session's date), or for a date."""

    date: IsoDate | None = None
    session_id: Id | None = None
    text: NoteText
    visibility: Literal["private", "pair", "program"] = "pair"

    @model_validator(mode="after")
    def _dated(self) -> NoteCreate:
        if self.date is None and self.session_id is None:
            raise ValueError("give the note's date or its session_id")
        return self


# A session's start: local time in its time zone (YYYY-MM-DDTHH:MM), or with a UTC offset.
StartTime = Annotated[str, StringConstraints(strip_whitespace=True, min_length=16, max_length=40)]
TimeZone = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Minutes = Annotated[StrictInt, Field(ge=10, le=240)]


class SessionCreate(Strict):
    """A session to plan (time zone: yours from your profile, else UTC)."""

    starts_at: StartTime
    time_zone: TimeZone | None = None
    minutes: Minutes = 60


class SessionMove(Strict):
    """A new time for a planned session (time zone and length kept unless given)."""

    starts_at: StartTime
    time_zone: TimeZone | None = None
    minutes: Minutes | None = None


class NoteUpdate(Strict):
    """Changes to a note (only the fields given change)."""

    date: IsoDate | None = None
    text: NoteText | None = None
    visibility: Literal["private", "pair", "program"] | None = None


class NotePreview(Strict):
    """Note text to render as the note page shows it (nothing is stored)."""

    text: Annotated[str, StringConstraints(max_length=20000)]


class UserCreate(Strict):
    """A new user."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    role: Literal["mentor", "executive", "coordinator", "admin"]


class TokenCreate(Strict):
    """A new API token for a user."""

    expires_in_days: Annotated[float | None, Field(gt=0, le=3650)] = None


class PairCreate(Strict):
    """A new pair."""

    mentor_id: Id
    executive_id: Id
    goals: Annotated[str, StringConstraints(max_length=2000)] = ""
    start_date: IsoDate | None = None


class ChatRequest(Strict):
    """A chat message."""

    message: Text
    conversation_id: Id | None = None
    pair_id: Id | None = None
    stream: StrictBool = False


class ConversationRename(Strict):
    """A conversation's new title (the library trims it and checks its length)."""

    title: str


class ContentPart(BaseModel):
    """One part of an OpenAI-style message's content; only text parts are read."""

    model_config = ConfigDict(extra="allow")

    type: str
    text: Annotated[str, StringConstraints(max_length=20000)] | None = None


class ChatMessage(BaseModel):
    """An OpenAI-style chat message."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: Annotated[str, StringConstraints(max_length=20000)] | list[ContentPart] | None = None


class CompletionRequest(BaseModel):
    """An OpenAI-compatible chat completion request (other OpenAI fields are accepted and ignored)."""

    model_config = ConfigDict(extra="allow")

    model: Annotated[str, StringConstraints(max_length=100)] = "mentor-assistant"
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: StrictBool = False
    user: Annotated[str, StringConstraints(max_length=100)] | None = None
