"""Conversational chat: rewrite follow-ups, route each message to a task, answer in prose."""

from __future__ import annotations

import json
import logging
import queue
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from sqlalchemy import select

from assistant import program
from assistant.errors import AssistantError, NotFound
from assistant.guide import Guide
from assistant.prompts import render
from assistant.render import citations_text, prose
from assistant.store import AuditEntry, Conversation, Message
from assistant.tasks.schemas import Result

log = logging.getLogger(__name__)
PAIR_TASKS = ("topics", "agenda", "brief")
EXAMPLES = {
    "topics": [
        "any ideas for Thursday?",
        "what should we talk about next time",
        "suggest some topics for our next session",
        "ideas for our next session",
        "what could we discuss",
    ],
    "agenda": [
        "can you draft the agenda",
        "plan our next session",
        "make a 30-minute agenda",
        "draft a 45-minute agenda for Tuesday",
        "how should we structure the next meeting",
    ],
    "brief": [
        "prepare my prep brief",
        "brief me before the session",
        "what happened in our last sessions and what is still open",
        "recap our sessions so far",
    ],
    "coach": [
        "he keeps cancelling",
        "she gets defensive",
        "my mentor lectures me",
        "I feel out of my depth",
        "our sessions feel pointless",
    ],
    "ask": [
        "how often should we meet?",
        "who can see our notes",
        "how long does a pairing last",
        "what does the coordinator do",
        "can we meet over video",
    ],
}
KEYWORDS = [
    ("agenda", re.compile(r"\bagenda\b|\bplan (?:our|the) (?:next )?(?:session|meeting)\b", re.I)),
    ("brief", re.compile(r"\b(?:prep(?:aration)? )?brief\b|\brecap\b|\bprepare me\b", re.I)),
    ("topics", re.compile(r"\b(?:topics?|ideas?|talk about|discuss)\b", re.I)),
]
FOLLOW_UP = re.compile(
    r"^(?:and|but|also|then|ok|okay|what about|how about|what if|same|again|make it)\b", re.I
)
MINUTES = re.compile(r"\b(\d{2,3})\s*-?\s*(?:min|mins|minutes?)\b", re.I)
COUNT = re.compile(r"\b(\d{1,2})\s+(?:topics|ideas|suggestions)\b", re.I)
FOCUS = re.compile(r"\b(?:about|around|focus(?:ed|ing)? on|on the theme of)\s+(.{3,80}?)[?.!]*$", re.I)
HISTORY = 6
MAX_MESSAGE = 4000


@dataclass
class Reply:
    """What the assistant answers in a conversation."""

    conversation_id: str
    task: str
    message: str
    payload: dict[str, Any] | None = None
    citations: list[dict[str, Any]] = field(default_factory=list)
    mode: str = "offline"
    fallback_reason: str | None = None
    standalone: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The reply as the API returns it."""
        return {
            "conversation_id": self.conversation_id,
            "task": self.task,
            "message": self.message,
            "payload": self.payload,
            "citations": self.citations,
            "mode": self.mode,
            "fallback_reason": self.fallback_reason,
            "standalone_question": self.standalone,
        }


class Chat:
    """Multi-turn conversations over the five tasks, with history kept per user."""

    def __init__(self, guide: Guide) -> None:
        self.guide = guide
        self.assistant = guide.assistant

    @cached_property
    def _examples(self) -> tuple[np.ndarray, list[str]]:
        labels = [task for task, examples in EXAMPLES.items() for _ in examples]
        texts = [text for examples in EXAMPLES.values() for text in examples]
        phrases = [p for c in self.guide.knowledge.challenges for p in c.phrases]
        return self.guide.embed(texts + phrases), labels + ["coach"] * len(phrases)

    def route(self, message: str) -> str:
        """The task a message asks for: explicit words first, then the closest example."""
        for task, pattern in KEYWORDS:
            if pattern.search(message):
                return task
        vectors, labels = self._examples
        return labels[int(np.argmax(vectors @ self.guide.embed_query(message)))]

    def rewrite(self, message: str, history: list[tuple[str, str]]) -> str:
        """A follow-up made standalone, so retrieval sees the whole question."""
        previous = [text for role, text in history if role == "user"]
        if not previous:
            return message
        looks_dependent = bool(FOLLOW_UP.search(message)) or len(message.split()) <= 4
        if not looks_dependent:
            return message
        model = self.guide.model
        if model is not None:
            try:
                text = model.invoke(render("rewrite", history=history[-HISTORY:], message=message)).text
                if 0 < len(text.strip()) <= MAX_MESSAGE:
                    return text.strip().strip('"')
            except Exception:  # noqa: BLE001 - rewriting is best effort; the rule below is the fallback
                pass
        return f"{previous[-1]} — {message}"

    # Storage ---------------------------------------------------------------------------

    def _conversation(self, user_id: str, conversation_id: str) -> Conversation:
        with self.assistant.session(write=False) as session:
            found = session.get(Conversation, conversation_id)
            if found is None or found.user_id != user_id:
                raise NotFound(f"There is no conversation {conversation_id!r}.")
            return found

    def history(self, conversation_id: str, user_id: str | None = None) -> list[tuple[str, str]]:
        """The conversation's turns as (role, text), oldest first."""
        with self.assistant.session(write=False) as session:
            found = session.get(Conversation, conversation_id)
            if found is None or (user_id is not None and found.user_id != user_id):
                raise NotFound(f"There is no conversation {conversation_id!r}.")
            rows = session.scalars(
                select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
            )
            return [(m.role, m.content) for m in rows]

    def conversations(self, user_id: str) -> list[dict[str, Any]]:
        """A user's conversations, newest first."""
        with self.assistant.session(write=False) as session:
            rows = session.scalars(
                select(Conversation)
                .where(Conversation.user_id == user_id)
                .order_by(Conversation.created_at.desc())
            )
            return [
                {"id": c.id, "title": c.title, "pair_id": c.pair_id, "created_at": c.created_at.isoformat()}
                for c in rows
            ]

    def _save(
        self,
        conversation_id: str,
        message: str,
        reply: Reply,
        audit: list[AuditEntry],
        new: Conversation | None = None,
        pair_id: str | None = None,
    ) -> None:
        """Store a turn with its audit entries (and the pair it was about); one transaction.

        Nothing is written before the answer exists, so a refused message changes nothing.
        """
        with self.assistant.session() as session:
            session.add_all(audit)
            conversation = new or session.get(Conversation, conversation_id)
            if new is not None:
                session.add(new)
            if conversation is not None and not conversation.title:
                conversation.title = message[:80]
            if conversation is not None and pair_id is not None:
                conversation.pair_id = pair_id
            session.add(Message(conversation_id=conversation_id, role="user", content=message))
            session.add(
                Message(
                    conversation_id=conversation_id,
                    role="assistant",
                    content=reply.message,
                    task=reply.task,
                    payload=json.dumps(reply.payload) if reply.payload is not None else None,
                )
            )
        audit.clear()  # committed

    # Answering ------------------------------------------------------------------------

    def _pair(self, user_id: str, pair_id: str | None) -> tuple[str | None, list[str]]:
        viewer = self.assistant.viewer(user_id)
        pairs = sorted(viewer.pair_ids)
        if pair_id is not None:
            if pair_id not in viewer.pair_ids:
                raise NotFound(f"There is no pair {pair_id!r}.")
            return pair_id, pairs
        return (pairs[0] if len(pairs) == 1 else None), pairs

    def _run(self, task: str, text: str, user_id: str, pair_id: str | None, on_token: Any) -> Result:
        guide = self.guide
        minutes = _last(MINUTES, text)
        count = _last(COUNT, text)
        focus_match = _last(FOCUS, text)
        focus = focus_match.group(1) if focus_match else None
        if task == "topics":
            n = min(max(int(count.group(1)), 1), 10) if count else 5
            return guide.topics(pair_id or "", user_id, focus, n, on_token)
        if task == "agenda":
            length = min(max(int(minutes.group(1)), 30), 120) if minutes else 45
            return guide.agenda(pair_id or "", user_id, length, focus, on_token)
        if task == "brief":
            return guide.brief(pair_id or "", user_id, on_token)
        if task == "coach":
            return guide.coach(text, pair_id, user_id, on_token)
        return guide.ask(text, user_id, on_token)

    def reply(
        self,
        user_id: str,
        message: str,
        conversation_id: str | None = None,
        pair_id: str | None = None,
        on_token: Any = None,
    ) -> Reply:
        """Answer one message in a conversation (created when no id is given)."""
        message = _checked(message)
        pair_id, pairs = self._pair(user_id, pair_id)
        with self.assistant.holding_audit() as audit:  # stored with the turn: one commit
            if conversation_id is None:
                new = Conversation(id=program.new_id("c"), user_id=user_id, pair_id=pair_id)
                reply = self.answer(user_id, message, [], pair_id, on_token, new.id)
                self._save(new.id, message, reply, audit, new)
                return reply
            conversation = self._conversation(user_id, conversation_id)
            chosen = pair_id
            pair_id = pair_id or (conversation.pair_id if conversation.pair_id in pairs else None)
            reply = self.answer(
                user_id, message, self.history(conversation.id), pair_id, on_token, conversation.id
            )
            self._save(conversation.id, message, reply, audit, pair_id=chosen)
            return reply

    def answer(
        self,
        user_id: str,
        message: str,
        history: list[tuple[str, str]],
        pair_id: str | None = None,
        on_token: Any = None,
        conversation_id: str = "",
    ) -> Reply:
        """Answer a message given earlier turns, without storing anything."""
        message = _checked(message)
        pair_id, pairs = self._pair(user_id, pair_id)
        standalone = self.rewrite(message, history)
        task = self.route(standalone)
        if task in PAIR_TASKS and pair_id is None:
            return Reply(conversation_id, "clarify", self._which_pair(pairs), standalone=standalone)
        result = self._run(task, standalone, user_id, pair_id, on_token)
        return self._reply(conversation_id, task, result, standalone)

    def _which_pair(self, pairs: list[str]) -> str:
        if not pairs:
            return (
                "Topics, agendas and prep briefs are for the members of a mentoring pair. "
                "I can answer questions about the program guidelines or coach you on a situation."
            )
        return "Which pair is this for? Send the message again with one of: " + ", ".join(pairs) + "."

    @staticmethod
    def _reply(conversation_id: str, task: str, result: Result, standalone: str) -> Reply:
        sources = citations_text(result)
        return Reply(
            conversation_id=conversation_id,
            task=task,
            message=prose(result) + (f"\n\nSources:\n{sources}" if sources else ""),
            payload=result.model_dump(mode="json"),
            citations=[c.model_dump() for c in result.citations],
            mode=result.mode,
            fallback_reason=result.fallback_reason,
            standalone=standalone,
        )

    def stream(
        self, user_id: str, message: str, conversation_id: str | None = None, pair_id: str | None = None
    ) -> Iterator[tuple[str, Any]]:
        """Events for server-sent streaming: tokens (LLM mode) or sections (offline), then the reply.

        The request is validated here, before anything streams, so callers can still answer 4xx.
        """
        message = _checked(message)
        self._pair(user_id, pair_id)
        if conversation_id is not None:
            self.history(conversation_id, user_id)
        return self._events(user_id, message, conversation_id, pair_id)

    def _events(
        self, user_id: str, message: str, conversation_id: str | None, pair_id: str | None
    ) -> Iterator[tuple[str, Any]]:
        events: queue.Queue[tuple[str, Any]] = queue.Queue()

        def work() -> None:
            try:
                reply = self.reply(
                    user_id, message, conversation_id, pair_id, lambda t: events.put(("token", t))
                )
                events.put(("reply", reply))
            except AssistantError as exc:
                events.put(("error", str(exc)))
            except Exception:
                log.exception("chat stream failed")
                events.put(("error", "Something went wrong on our side; please try again."))

        threading.Thread(target=work, daemon=True).start()
        streamed = False
        while True:
            kind, value = events.get()
            if kind == "token":
                streamed = True
                yield "token", value
            elif kind == "error":
                yield "error", {"detail": value}
                return
            else:
                if not streamed:
                    for section in value.message.split("\n\n"):
                        yield "section", section
                yield "done", value.as_dict()
                return


def _checked(message: str) -> str:
    return program.clean_text(message, "message", MAX_MESSAGE)


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The last match: in a rewritten follow-up the newest words come last."""
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None
