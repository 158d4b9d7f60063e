"""The sender's own points in a drafted message, said to the partner ("she doesn't" → "you don't")."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.dialogue import MONTHS
from assistant.lexical import word_classes

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The partner, as the sender spoke of them, and as the message speaks to them.
_TO_YOU = {
    "he": "you",
    "she": "you",
    "him": "you",
    "his": "your",
    "hers": "yours",
    "himself": "yourself",
    "herself": "yourself",
    "he's": "you're",
    "she's": "you're",
    "he'll": "you'll",
    "she'll": "you'll",
    "he'd": "you'd",
    "she'd": "you'd",
}
# A verb after "he"/"she" that changes with "you"; others lose their "s" ("needs" → "need").
_AGREES = {
    "is": "are",
    "was": "were",
    "has": "have",
    "does": "do",
    "doesn't": "don't",
    "isn't": "aren't",
    "wasn't": "weren't",
    "hasn't": "haven't",
}


_TO_BOTH = {"they": "you", "them": "you", "their": "your", "theirs": "yours", "themselves": "yourselves"}
_TO_BOTH |= {"they're": "you're", "they'll": "you'll", "they've": "you've", "they'd": "you'd"}


def to_partner(sentence: str, partner: str, *others: str) -> str:
    """``sentence`` as said to the partner: their name and pronouns become "you", the verbs agree.

    "she doesn't need to send the proposal" → "You don't need to send the proposal." With
    ``others`` (a coordinator writing to a pair), "they" and each name are "you" too.
    """
    if others:  # to both members of a pair: "they could do 30 min" is "you could"
        for name in others:
            sentence = re.sub(rf"\b{re.escape(name)}'s\b", "your", sentence, flags=re.I)
            sentence = re.sub(rf"\b{re.escape(name)}\b", "you", sentence, flags=re.I)
        sentence = re.sub(
            rf"\b({'|'.join(map(re.escape, _TO_BOTH))})\b",
            lambda m: _TO_BOTH[m.group(1).lower()],
            sentence,
            flags=re.I,
        )
    words = sentence.split(" ")
    said: list[str] = []
    for n, word in enumerate(words):
        bare = word.lower().strip(",.;:!?")
        tail = word[len(word.rstrip(",.;:!?")) :]
        after = words[n + 1].lower().strip(",.;:!?") if n + 1 < len(words) else ""
        previous = words[n - 1].lower() if n else ""
        if bare in (partner.lower(), f"{partner.lower()}'s"):
            said.append(("your" if bare.endswith("'s") else "you") + tail)
        elif bare == "her":
            said.append(("your" if _possessed(after) and not tail else "you") + tail)
        elif bare in _TO_YOU:
            said.append(_TO_YOU[bare] + tail)
        elif previous in ("he", "she", partner.lower()) and not tail[:1].strip(",") and bare:
            said.append(_agreed(bare) + tail)
        else:
            said.append(word)
    text = " ".join(said)
    text = re.sub(r"\bi\b", "I", text)
    text = re.sub(r"\bi('m|'ll|'ve|'d)\b", r"I\1", text)
    names = "|".join(n for n in (*MONTHS, *(m[:3] for m in MONTHS), *WEEKDAYS) if n != "may")  # the verb
    text = re.sub(rf"\b({names})\b", lambda m: m.group(1).capitalize(), text)
    return text[:1].upper() + text[1:]


def _possessed(word: str) -> bool:
    """Whether "her" before ``word`` is "your" ("her team", "her own"), not "you" ("tell her tomorrow")."""
    kinds = word_classes(word) if word else frozenset()
    return word == "own" or (bool(kinds & {"NOUN", "ADJ"}) and "ADV" not in kinds)


@lru_cache(maxsize=1024)
def _agreed(verb: str) -> str:
    """A verb said of "he" or "she", said of "you" ("needs" → "need")."""
    if verb in _AGREES:
        return _AGREES[verb]
    from lemminflect import getLemma  # its dictionary takes a second to load: only when needed

    lemma = getLemma(verb, upos="VERB")
    return lemma[0] if verb.endswith("s") and lemma and lemma[0] != verb else verb
