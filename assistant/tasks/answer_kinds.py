"""What kind of answer a question asks for, and whether a sentence carries one.

The kinds are a duration, a frequency, a number, a time, a sum of money, a person or role, who may
take part, how to reach someone (an email address or a phone number), who gets to see something and
a reason.
They are recognised from the shape of the language, not from any document's wording: "how long"
wants a stretch of time and "75 minutes", "nine months" or "a two-hour workshop" is one; "who"
wants a person, team or role; "who can be a guide" wants the conditions ("must have passed their
probation"); "when" wants a date, a month, a point in a process or a deadline, and "what time" a
time of day (a date is not one); "what's the email" an address; "the names of" a person's name;
"who sees…" or "does my manager see…" what a sentence says is visible, shared or kept private.
"""

from __future__ import annotations

import re
from functools import lru_cache

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    "sixty|ninety|hundred|a|an|half an?|a few|several|a couple of"
)
_COUNT = rf"(?:\d+(?:[.,]\d+)?|{_NUMBER_WORDS})"
_UNIT = (
    r"(?:minute|min|hour|hr|day|week|fortnight|month|year|quarter|term|semester|session|meeting|word|page)s?"
)

_DURATION = re.compile(
    rf"\b{_COUNT}(?:\s*(?:to|-|–|or|and)\s*{_COUNT})?[\s-]+(?:working[\s-]+|calendar[\s-]+)?{_UNIT}\b"
    r"|\b(?:an?|one|half a|half an) (?:hour|day|week|month|year)\b|\bhalf[\s-]day\b",
    re.I,
)
_FREQUENCY = re.compile(
    r"\b(?:every|each|per)\s+(?:other\s+|second\s+|\w+\s+)?(?:day|week|fortnight|month|quarter|year|term|"
    r"session|meeting|cycle)s?\b"
    r"|\ba\s+(?:day|week|fortnight|month|quarter|year|term)\b"
    r"|\b(?:once|twice|thrice|(?:\d+|two|three|four|five|six|several|many) times)\s+(?:a|an|per|every|each)\s"
    r"|\btwice\b|\bonce or twice\b"
    r"|\b(?:daily|weekly|fortnightly|biweekly|monthly|quarterly|annually|yearly)\b"
    r"|\bone (?:\w+ )?in (?:every )?\w+\b",
    re.I,
)
_NUMBER = re.compile(
    rf"\b(?:\d+|{_NUMBER_WORDS.replace('|a|an|half an?', '')})\b|\b(?:dozen|single|both)\b", re.I
)
_TIME = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|spring|summer|autumn|winter)\b"
    r"|\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*(?:am|pm)\b|\b(?:19|20)\d{2}\b"
    r"|\b(?:within|until|ahead of|in advance|beforehand|at the (?:start|end|beginning)|by the end|same day|"
    r"(?:before|after) (?:the|each|every|your|a|its|their))\b"
    r"|\b(?:week|month|day|session|meeting|year) (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|twenty|thirty)\b"
    r"|\b(?:first|last|final|next|closing|opening|kick-?off) "
    r"(?:week|month|day|session|meeting|conversation)\b",
    re.I,
)
# A time of day ("17:00", "9am", "noon"): what "what time does it start" asks for, which a date is not.
_CLOCK = re.compile(
    r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)|\b(?:noon|midday|midnight)\b", re.I
)
# A person's name ("Priya Castellane"): two capitalised words, the first not opening the sentence.
_NAME = re.compile(r"(?<=[a-z,:;(–-]\s)[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?\s+[A-Z][a-z]+")
# People, teams and roles an organisation's handbook names as the one who does something.
_ROLE = re.compile(
    r"\b(?:coordinator|co-ordinator|manager|lead|leader|director|head|team|officer|panel|committee|board|"
    r"sponsor|champion|administrator|admin|executive|mentor|mentee|partner|chair|chief|department|"
    r"desk|hr|human resources|assistant|secretary|supervisor|colleague|guide|learner|author|"
    r"participant|employee|organiser|organizer|owner|nobody|only)s?\b",
    re.I,
)
# Who may take part: a sentence that sets a condition on a person ("must have passed their probation").
_ELIGIBILITY = re.compile(
    r"\b(?:must|need to|needs to|have to|has to|should|are expected to|is expected to) (?:have|be|hold|pass|"
    r"work|join|come|sit)\b|\beligib|\bopen to\b|\bqualif|\b(?:can|may) (?:apply|join|volunteer)\b"
    r"|\brequire|\bnot (?:open|available) to\b|\b(?:can|may) be any\b"
    r"|\bwho ha(?:s|ve) (?:worked|been|completed|passed)\b",
    re.I,
)
# How to reach someone: an email address, a phone number or an extension.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\(?\d{2,5}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}\b|\bext(?:ension|\.)?\s*\d{3,5}\b", re.I)
_CONTACT = re.compile(f"{_EMAIL.pattern}|{_PHONE.pattern}", re.I)
# A sum of money, or that something costs none: what "how much does it cost" and "how big is the budget" ask.
_AMOUNT = re.compile(
    r"[£$€]\s?\d|\b\d[\d,.]*\s?(?:k|m|bn|pounds?|dollars?|euros?|gbp|usd|eur)\b|\bfree\b"
    r"|\b(?:no|any) (?:cost|charge|fee)s?\b|\bcosts? (?:you |them |us )?(?:nothing|anything)\b|\bunpaid\b",
    re.I,
)
# Who gets to see something: a sentence that says what is visible, shared or kept from whom.
_VISIBILITY = re.compile(
    r"\b(?:sees?|seen|see only|reads?|visible|invisible|anonymous|anonymi[sz]ed|confidential|private|"
    r"shared (?:with|only)|access|reported|identifiable|kept (?:between|from))\b",
    re.I,
)
# Why: a sentence that gives a reason or a purpose.
_REASON = re.compile(
    r"\b(?:because|so that|in order to|the reason|the point|the aim|aims? to|the purpose|helps?|gives?|"
    r"means|otherwise|benefits?)\b",
    re.I,
)
PATTERNS = {
    "duration": _DURATION,
    "frequency": _FREQUENCY,
    "number": _NUMBER,
    "time": _TIME,
    "clock": _CLOCK,
    "amount": _AMOUNT,
    "name": _NAME,
    "role": _ROLE,
    "eligibility": _ELIGIBILITY,
    "contact": _CONTACT,
    "email": _EMAIL,
    "phone": _PHONE,
    "reason": _REASON,
    "visibility": _VISIBILITY,
}
# The kinds that are values (a stretch of time, a count…): said of something, which the question names.
VALUES = frozenset({"duration", "frequency", "number", "time", "clock", "amount"})
# The kinds that are how to reach or name someone; an email address or a phone number asked by
# name is not answered by the other, nor a time of day by a date.
REACH = frozenset({"email", "phone", "contact", "name"})
BY_NAME = frozenset({"email", "phone", "clock"})
# The kinds no other kind stands in for: a date is no amount of money, though both have numbers.
EXACT = BY_NAME | {"amount"}
# The kinds a sentence gives of something, which it must name: a time, or how to reach someone.
SAID_OF = VALUES | REACH
# How much carrying each kind says: most sentences of a handbook name some role or give some reason.
WEIGHT = {
    "duration": 1.0,
    "frequency": 1.0,
    "number": 1.0,
    "time": 1.0,
    "clock": 1.0,
    "amount": 1.0,
    "name": 1.0,
    "role": 0.5,
    "eligibility": 1.0,
    "contact": 1.0,
    "email": 1.0,
    "phone": 1.0,
    "reason": 0.5,
    "visibility": 1.0,
}

# "who sees the survey answers?", "does my manager see…", "do they go to my line manager?"
VISIBILITY_ASKED = re.compile(
    r"\bwho (?:\w+ )?(?:sees?|reads?|has access|(?:can|gets? to|will|would) (?:see|read|access|know))\b"
    r"|\b(?:does|do|can|will|would|could) (?:[\w']+ ){1,3}(?:see|read|view|access|find out|get to see)\b"
    r"|\b(?:is|are) (?:it|they|that|this|those|these|[\w']+ \w+) (?:visible|shared|anonymous|private)\b"
    r"|\bgo(?:es)? to (?:my|the|their|his|her) (?:line )?manager\b"
)
# "when" and "who" ask for a time or a person where they open the question or a clause of it, not
# in "what do we do when he cancels".
_OPENS = r"(?:^|[,.;:?!]\s*|\b(?:and|or|but|so|then)\s+|\b(?:by|to|from|with|for|of)\s+)"
# An email address or a phone number asked for by name ("what's her email?", not "should I email
# him?"): the other way of reaching someone does not answer it.
_EMAIL_ASKED = (
    r"\be-?mail address|(?:what(?:'s| is)(?: the)?|'s|s'|their|his|her) e-?mail\b|\be-?mail (?:for|of) "
)
_PHONE_ASKED = (
    r"\b(?:phone|telephone|mobile|contact) (?:number|no)\b"
    r"|\bnumber (?:to|i can|do i|should i) (?:call|ring|phone)\b|\bwhat number\b.*\b(?:call|ring|phone)\b"
)
_ASKS = (
    ("email", re.compile(_EMAIL_ASKED)),
    ("phone", re.compile(_PHONE_ASKED)),
    (
        "contact",
        re.compile(
            rf"{_EMAIL_ASKED}|{_PHONE_ASKED}|\bcontact details\b"
            r"|\bhow (?:do|can|should) (?:i|we) (?:contact|reach|get (?:in touch|hold))\b"
            r"|\bwho (?:do|should|can) (?:i|we) (?:contact|email|call|ring)\b"
        ),
    ),
    (
        "frequency",
        re.compile(r"\bhow (?:often|frequently|regularly)\b|\bhow many times\b|\bwhat frequency\b"),
    ),
    (
        "duration",
        re.compile(
            r"\bhow long\b|\bhow much time\b|\bfor how long\b|\bhow many (?:minutes|hours|days|weeks|months|"
            r"years)\b|\bwhat(?:'s| is)? (?:the )?(?:length|duration)\b"
            r"|\bhow soon\b|\bhow quickly\b|\bhow fast\b"
            r"|\bhow much of (?:my|your|their|the|our) (?:time|week|day|month)\b"
            # a length asked about: "is 20 min even allowed?", "would 90 minutes be too long?"
            r"|\b\d+\s*(?:min(?:ute)?s?|hours?|hrs?)\b(?:\s+\w+){0,4}?\s+(?:allowed|ok|okay|fine|enough|"
            r"acceptable|too (?:short|long)|count)\b"
        ),
    ),
    (
        "amount",
        re.compile(
            r"\bhow much (?:does|do|did|will|would|is|are|was|can|could)\b[^?]*\b(?:cost|costs|pay|paid|"
            r"charge|charged|fee|fees|budget|worth|spend|spent|salary|allowance|reimburse\w*)\b"
            r"|\bhow (?:big|large) (?:is|was) (?:the |our |their |its |this year's )?(?:\w+ )?budget\b"
            r"|\bwhat(?:'s| is| was) the (?:\w+ )?(?:budget|cost|fee|price|allowance)\b|\bhow much money\b"
        ),
    ),
    (
        "number",
        re.compile(r"\bhow (?:many|much|big|large|small)\b|\bwhat number\b|\b(?:minimum|maximum) number\b"),
    ),
    ("name", re.compile(r"\bnames? of\b|\bwhat(?:'s| is| are) (?:the |their |his |her |its )?names?\b")),
    ("clock", re.compile(r"\b(?:what|which) (?:time|hour)\b|\bstart(?:ing)? time\b|\bwhat o'?clock\b")),
    (
        "time",
        re.compile(
            rf"{_OPENS}when\b|\bwhat (?:date|day|month|year)\b|\bby when\b|\bdeadline\b|\bwhat point\b"
        ),
    ),
    (
        "eligibility",
        re.compile(
            r"\bwho (?:can|could|may|is allowed to|are allowed to|gets? to|is able to|should|qualifies)\b"
            r"(?: \w+)? (?:be|become|join|apply|take part|sign up|participate|enrol|enroll|volunteer|qualif)"
            r"|\beligib|\bwho qualifies\b|\bcriteria\b|\brequirements? (?:for|to)\b"
            r"|\b(?:can|could|may) (?:i|we|you|they|he|she) (?:still |even |also )?"
            r"(?:apply|join|take part|sign up)\b"
            r"|\b(?:am|are|is) (?:i|we|you|they|he|she) (?:still |even )?(?:able|allowed) to "
            r"(?:apply|join|take part)\b"
            r"|\b(?:can|could|may) (?:[\w-]+ ){1,2}(?:be|become) (?:an? )?(?:mentors?|mentees?|guides?)\b"
            r"|\brules? (?:me|us|them|him|her|you) out\b"
        ),
    ),
    ("visibility", VISIBILITY_ASKED),
    ("role", re.compile(rf"{_OPENS}(?:who|whom|whose)\b|\bwhich (?:team|person|people|role|department)\b")),
    ("reason", re.compile(rf"{_OPENS}why\b|\bwhat(?:'s| is) the (?:point|reason|purpose)\b|\bwhat for\b")),
)


def asks_for(question: str) -> list[str]:
    """The kinds of answer a question asks for, most specific first (often none)."""
    text = question.lower().replace("’", "'")
    return [kind for kind, pattern in _ASKS if pattern.search(text)]


@lru_cache(maxsize=32_768)  # a question's candidates are guideline sentences, which recur
def carries(sentence: str, kind: str) -> bool:
    """Whether a sentence holds an answer of that kind."""
    if kind == "number":
        return bool(_NUMBER.search(sentence) or _DURATION.search(sentence))
    return bool(PATTERNS[kind].search(sentence))


def headed(heading: str, headings: dict[str, list[str]]) -> set[str]:
    """The kinds of value a section's heading says it gives ("Cadence": a frequency).

    ``headings``: for each kind, the words or phrases a heading names it with.
    """
    text = " " + re.sub(r"[^a-z]+", " ", heading.lower()) + " "
    return {kind for kind, words in headings.items() if any(f" {w} " in text for w in words)}
