"""The guidance tasks behind one object: picks the model, builds contexts, falls back offline."""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np
from cachetools import LRUCache

from assistant import access, program
from assistant.cache import ExpiringCache
from assistant.core import IDENTITY_SECONDS, Assistant, note_dict, pair_dict, people_version
from assistant.embeddings import embedder_name
from assistant.errors import InvalidInput, NotFound
from assistant.knowledge import Knowledge, load_knowledge
from assistant.lexical import BM25Index
from assistant.providers import get_chat_model, provider_name
from assistant.recall import SearchCache
from assistant.retrieval import Hit, newest_chunks, rank_chunks
from assistant.saved import save
from assistant.tasks.chain import with_fallback
from assistant.tasks.context import PairContext

# Each task's module (assistant.tasks.ask, .topics…) is imported by the method that runs it: a
# one-shot command loads its own only.

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.tasks.chain import R
    from assistant.tasks.schemas import Agenda, Answer, Brief, CoachResult, Result, TopicsResult

MAX_TEXT = 4000
# Set while the chat's model calls tools: their results are composed offline, grounded, and the
# model words the answer itself, so a turn makes no nested model calls.
COMPOSED: ContextVar[bool] = ContextVar("composed", default=False)
VECTOR_CACHE = 50_000
REMEMBERED = 1024  # results kept by ``Guide.remembered``
T = TypeVar("T")
SAVED_VECTORS = "knowledge-vectors"  # folder of the data folder (see Guide.embed_saved)

_UNSET: Any = object()


class Guide:
    """Answers the five tasks for a user, in LLM mode when a model is configured."""

    def __init__(self, assistant: Assistant, model: BaseChatModel | None = _UNSET) -> None:
        self.assistant = assistant
        self.settings = assistant.settings
        self._model = model
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        # A pair and its members' names, as the identities are cached (users and pairs are only
        # ever added): a pair task reads only the pair's notes from the store.
        self._pairs: ExpiringCache[str, tuple[dict[str, Any], dict[str, str]]]
        self._pairs = ExpiringCache(IDENTITY_SECONDS, people_version)
        self._remembered: LRUCache[Hashable, Any] = LRUCache(REMEMBERED)
        self._remembering = threading.Lock()

    @cached_property
    def model(self) -> BaseChatModel | None:
        """The chat model, or None in offline mode."""
        return get_chat_model(self.settings) if self._model is _UNSET else self._model

    @property
    def task_model(self) -> BaseChatModel | None:
        """The model the tasks use: none while a chat model is already answering (it writes the prose)."""
        return None if COMPOSED.get() else self.model

    @property
    def provider(self) -> str:
        """Which provider answers: ``openai``, ``ollama``, ``anthropic``…, or ``offline``."""
        if self._model is not _UNSET:
            return "offline" if self._model is None else "custom"
        return provider_name(self.settings)

    @cached_property
    def knowledge(self) -> Knowledge:
        """Topic catalog, playbook and agenda patterns."""
        return load_knowledge(self.settings.knowledge_dir)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed texts with the index's embedder."""
        return self.assistant.index.embed(texts)

    def embed_cached(self, texts: list[str]) -> np.ndarray:
        """Embed texts that recur across requests (guideline sentences), remembering each vector."""
        found = {t: v for t in texts if (v := self._vectors.get(t)) is not None}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            for text, vector in zip(missing, self.embed(missing)):
                found[text] = self._vectors[text] = vector
            while len(self._vectors) > VECTOR_CACHE:  # another request may evict concurrently: fine
                self._vectors.popitem(last=False)
        return np.stack([found[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one query (cached by the embedder)."""
        return np.asarray(self.assistant.index.embedder.embed_query(text), dtype=np.float32)

    def remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, kept under ``key`` (least recently used first out).

        For results that follow from the key and this guide's knowledge and embedder alone: the key
        must hold everything else they depend on, so that changed input is a new key.
        """
        with self._remembering:
            if key in self._remembered:
                return cast("T", self._remembered[key])
        value = compute()  # outside the lock: two threads may both compute it, to the same value
        with self._remembering:
            self._remembered[key] = value
        return value

    def embed_saved(self, name: str, texts: list[str]) -> np.ndarray:
        """Embed knowledge phrases, saving the vectors in the data folder for the next process.

        The file is named by a digest of the texts and the embedder, so an edited knowledge file
        or another embedder names another one; a one-shot command reads them instead of embedding.
        """
        embedder = embedder_name(self.assistant.index.embedder)
        digest = hashlib.sha256("\n".join([embedder, *texts]).encode()).hexdigest()[:20]
        path = self.settings.home / SAVED_VECTORS / f"{name}-{digest}.npy"
        with contextlib.suppress(OSError, ValueError):
            saved = np.load(path, allow_pickle=False)
            if saved.shape[0] == len(texts):
                return saved
        vectors = self.embed(texts)
        save(path, lambda out: np.save(out, vectors, allow_pickle=False), f"{name}-*.npy")
        return vectors

    @cached_property
    def topic_vectors(self) -> np.ndarray:
        """One vector per catalog topic."""
        return self.embed_saved("topics", [t.text for t in self.knowledge.topics])

    @cached_property
    def phrase_vectors(self) -> list[np.ndarray]:
        """Per challenge, the vectors of the ways people describe it (saved like the topics')."""
        groups = [[c.name, *c.phrases] for c in self.knowledge.challenges]
        if not groups:
            return []
        vectors = self.embed_saved("challenges", [phrase for group in groups for phrase in group])
        return np.split(vectors, np.cumsum([len(group) for group in groups])[:-1])

    @cached_property
    def reaction_vectors(self) -> list[np.ndarray]:
        """Per reaction, the vectors of the what-ifs it answers (saved like the topics')."""
        groups = [r.phrases for r in self.knowledge.reactions]
        if not groups:
            return []
        vectors = self.embed_saved("reactions", [phrase for group in groups for phrase in group])
        return np.split(vectors, np.cumsum([len(group) for group in groups])[:-1])

    @cached_property
    def challenge_keywords(self) -> BM25Index:
        """Keyword index over each challenge's name, phrasings and signs."""
        return BM25Index([" ".join([c.name, *c.phrases, *c.signs]) for c in self.knowledge.challenges])

    @cached_property
    def scope_vectors(self) -> tuple[np.ndarray, list[str]]:
        """Vectors of the out-of-scope phrases, and the area each belongs to."""
        areas = [(a.refer_to, p) for a in self.knowledge.scope for p in a.phrases]
        vectors = (
            self.embed_saved("scope", [p for _, p in areas]) if areas else np.zeros((0, 384), np.float32)
        )
        return vectors, [r for r, _ in areas]

    # Retrieval helpers -------------------------------------------------------------

    @cached_property
    def searches(self) -> SearchCache:
        """Searches over the index, remembered until it changes."""
        return SearchCache(self.assistant.index)

    def find_guidelines(self, query: str, k: int = 5, **filters: str) -> list[Hit]:
        """Guideline chunks for a query, optionally within a source or section."""
        return self.searches.search("guidelines", query, lambda: self.embed_query(query), k, None, filters)

    def find_notes(self, query: str, context: PairContext, k: int = 4) -> list[Hit]:
        """The pair's notes the viewer may read that best match a query (read with the context)."""
        hits = rank_chunks(self.assistant.index, query, self.embed_query(query), k, context.chunks)
        return [h for h in hits if access.can_read_note(context.viewer, h.meta)]

    # Contexts ----------------------------------------------------------------------

    def pair_context(
        self, pair_id: str, as_user: str | None, private: bool = True, staff: bool = False
    ) -> PairContext:
        """The pair as ``as_user`` sees it; a pair they do not belong to does not exist for them.

        Without a user (an operator at the command line) the pair's shared notes are used,
        never anyone's private ones. ``private=False`` leaves out the user's own private notes
        too: the context of a copy meant to be shared (see ``access.in_shared_copy``).
        ``staff``: a coordinator may see any pair, through the notes it shares with the program.
        """
        member = self.assistant.viewer(as_user) if as_user is not None else None
        cached, names = self._pairs.get(pair_id, lambda: self._pair(pair_id))
        pair_data = dict(cached)  # the context's own: the cached one stays as read
        viewer = member or access.operator(pair_data["id"])
        if (
            member is not None
            and not access.is_member(member, pair_data["id"])
            and not (staff and member.role in access.STAFF_ROLES)
        ):
            raise NotFound(f"There is no pair {pair_id!r}.")
        with self.assistant.connection(write=False) as connection:
            rows = program.pair_note_rows(connection, pair_data["id"])  # the task searches these too
        notes = {row.id: note_dict(row) for row in rows}
        readable = [row for row in rows if access.can_read_note(viewer, notes[row.id])]
        shown = [notes[row.id] for row in readable if private or access.in_shared_copy(notes[row.id])]
        chunks = newest_chunks(readable, self.settings.chunk_chars)
        return PairContext.build(viewer, pair_data, dict(names), shown, chunks)

    def _pair(self, pair_id: str) -> tuple[dict[str, Any], dict[str, str]]:
        with self.assistant.session(write=False) as session:
            pair, names = program.pair_and_names(session, pair_id)
            return pair_dict(pair), names

    def _answer(
        self, as_user: str | None, task: str, llm: Callable[[BaseChatModel], R], compose: Callable[[], R]
    ) -> R:
        """Run a pair task (model first, composer as the fallback) and audit the notes it used."""
        result = with_fallback(self.task_model, llm, compose, task)
        self._audit(as_user, task, result)
        return result

    def _audit(self, as_user: str | None, task: str, result: Result) -> None:
        """Audit the notes a result used and, when a model was asked, its model, tokens and latency.

        As in chat, a model's answer that was not used is ``<task>_fallback``.
        """
        if as_user is None:
            return
        action = f"{task}_fallback" if result.usage is not None and result.mode != "llm" else task
        self.assistant.audit(as_user, action, result.note_ids(), usage=result.usage)

    def _check_user(self, as_user: str | None) -> None:
        if as_user is not None:
            self.assistant.viewer(as_user)  # NotFound for an unknown user

    # The five tasks -----------------------------------------------------------------

    def ask(
        self, question: str, as_user: str | None = None, detail: bool = False, brief: bool = False
    ) -> Answer:
        """Answer a program question from the guidelines, or abstain.

        ``detail`` quotes more of them; ``brief`` only the sentence that answers best.
        """
        from assistant.tasks import ask

        question = _text(question, "question")
        staff = as_user is not None and self.assistant.viewer(as_user).role in ("coordinator", "admin")
        answer = with_fallback(
            self.task_model,
            lambda m: ask.llm(self, m, question),
            lambda: ask.compose(self, question, detail, staff, brief),
            "ask",
        )
        self._audit(as_user, "ask", answer)  # guidelines only: audited when a model was asked
        return answer

    def topics(
        self,
        pair_id: str,
        as_user: str | None = None,
        focus: str | None = None,
        count: int = 5,
        exclude: tuple[str, ...] = (),
    ) -> TopicsResult:
        """Suggest discussion topics for a pair's next session, other than the titles in ``exclude``."""
        from assistant.tasks import topics

        if not 1 <= count <= 10:
            raise InvalidInput("count must be between 1 and 10.")
        focus = _text(focus, "focus") if focus is not None else None
        context = self.pair_context(pair_id, as_user)
        return self._answer(
            as_user,
            "topics",
            lambda m: topics.llm(self, m, context, focus, count, exclude),
            lambda: topics.compose(self, context, focus, count, exclude),
        )

    def coach(
        self,
        text: str,
        pair_id: str | None = None,
        as_user: str | None = None,
        whatif: str | None = None,
        earlier: str | None = None,
    ) -> CoachResult:
        """Coach on a challenge described in the user's words (or on a what-if after that advice).

        ``earlier`` is the situation just advised on: a question that names no challenge of its own ("how do
        I ask to rebook?") is advice on that one, its steps ranked by the question.
        """
        from assistant.tasks import coach

        text = _text(text, "description")
        context = self.pair_context(pair_id, as_user) if pair_id else None
        if context is None:
            self._check_user(as_user)
        staff = as_user is not None and self.assistant.viewer(as_user).role in access.STAFF_ROLES  # own steps
        return self._answer(
            as_user,
            "coach",
            lambda m: coach.llm(self, m, f"{text}\n\nAnd then: {whatif}" if whatif else text, context, staff),
            lambda: (
                coach.what_if(self, text, whatif, context, staff)
                if whatif
                else coach.compose(self, text, context, staff, earlier)
            ),
        )

    def agenda(
        self,
        pair_id: str,
        as_user: str | None = None,
        minutes: int = 45,
        focus: str | None = None,
        private: bool = False,
        exclude: tuple[str, ...] = (),
        part: str | None = None,
        review: bool = False,
    ) -> Agenda:
        """Draft a time-boxed agenda for a pair's next session.

        An agenda is sent to the partner, so it draws on shared notes only unless ``private``
        asks for the user's own copy, with the items of their private notes. Topics named in
        ``exclude`` (an earlier agenda's items) are left for others. ``part`` ("mentor" or
        "executive") is whose part the focus is for; ``review``, a session looking back and ahead.
        """
        from assistant.tasks import agenda

        if not 30 <= minutes <= 120:
            raise InvalidInput("minutes must be between 30 and 120.")
        focus = _text(focus, "focus") if focus is not None else None
        context = self.pair_context(pair_id, as_user, private)
        return self._answer(
            as_user,
            "agenda",
            lambda m: agenda.llm(self, m, context, minutes, focus),
            lambda: agenda.compose(self, context, minutes, focus, exclude, part, review),
        )

    def brief(
        self,
        pair_id: str,
        as_user: str | None = None,
        private: bool = False,
        focus: str | None = None,
    ) -> Brief:
        """Write the executive's prep brief for the pair's next session (weighted to ``focus`` if given).

        Like an agenda, a brief (and its Markdown and calendar files) draws on shared notes
        only unless ``private`` asks for the user's own copy.
        """
        from assistant.tasks import brief

        context = self.pair_context(pair_id, as_user, private)
        return self._answer(
            as_user,
            "brief",
            lambda m: brief.llm(self, m, context, focus),
            lambda: brief.compose(self, context, focus=focus),
        )


def _text(value: str | None, what: str) -> str:
    return program.clean_text(value, what, MAX_TEXT)
