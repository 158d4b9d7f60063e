"""Offline understanding: a message plus the conversation's state becomes an intent with slots.

The knowledge lives in ``knowledge/dialogue.yaml`` (example messages per intent, cue
patterns, follow-up phrases, shorthand); this module only reads it. Intents are scored by the
local embedder against the examples (nearest examples, Rasa-style), strong cue words add to
the score, and when no intent is clearly ahead the answer is to ask, not to guess.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field
from text_to_num import alpha2digit

from assistant import clock
from assistant.access import STAFF_ROLES
from assistant.intent_model import IntentModel, features
from assistant.knowledge import read_yaml
from assistant.lexical import STOPWORDS, Shorthand, base_verb, gerund, names_as_meant, tokenize, word_classes
from assistant.render import plain
from assistant.tasks.answer_kinds import VISIBILITY_ASKED
from assistant.tasks.notes import FOLLOW_THROUGH, REMARK_AFTER

CUE_BONUS = 0.22
TOP_K = 3
NEAREST_WEIGHT = 0.5  # an intent's score: nearest examples and the classifier's probability
MODEL_WEIGHT = 0.5
FLOOR = 0.26  # below this the best intent is a guess
MARGIN = 0.025  # and a runner-up this close, without a cue for either, makes it a coin toss
SURE = 0.4
# Kinds the follow-up model may not decide alone: opposites it confuses ("squash it" read as longer)
# and changes that remove something.
GUESS_NOT = ("shorter", "longer", "drop", "swap")
LAST_RESORT_NOT = ("drop", "swap")  # as a last resort the lengths may be guessed: "one sentence pls"
SMALL_TALK_AHEAD = 0.2  # "thanks for that" is small talk; "ok. and the other thing" is not clearly so
ADVICE_ASKED = re.compile(r"\bhow (?:do|can|could|should|would) (?:i|we)\b")
FOLLOW_AHEAD = 0.25  # a follow-up kind must score this far above "a new request" to be taken
LAST_RESORT_AHEAD = 0.0  # or this far, rather than ask back which of two requests was meant
FOLLOW_UP_TASKS = (
    "topics",
    "agenda",
    "coach",
    "brief",
    "ask",
    "search_notes",
    "program_health",
    "pairing",
    "rotation",
    "draft_message",
    "check_in",
    "meeting_times",
)
DRAFTS = ("draft_message", "check_in")  # a message written for the user to send: one wording offline
AS_ASKED = {"check_in": "draft_message"}  # the answer a follow-up acts on, as the user asked for it
NOTES_ANSWERS = ("search_notes", "brief")  # answers that show the pair's notes
ANOTHER_SEARCH = re.compile(r"\b(?:else|other|another|any more|anymore)\b")  # "what else do I owe her"
# "has he done it", "so that's still open?": a word pointing back at an answer shown, not "that session".
SHOWN_BACK = re.compile(
    r"(?<!after )(?<!before )(?<!since )"  # "what did we say we'd do after that": a time
    r"\b(?:it|its|it's|that|thats|that's|this|those)\b(?! (?:session|time|meeting|day|week|month|one)\b)"
)
# "any pairs with no session planned", "who hasn't booked the next one": the pairs without a date
NONE_PLANNED = re.compile(
    r"\b(?:no|without (?:a|any)|nothing|not got a|haven'?t got a) (?:next )?"
    r"(?:sessions?|meetings?|dates?|catch-?ups?)?\s*"
    r"(?:planned|booked|scheduled|in the diary|in the calendar|lined up|set)\b"
    r"|\b(?:hasn'?t|haven'?t|not|yet to) (?:booked|planned|scheduled) (?:the|their|a) next\b"
)
# A message's length set: "make it 30 min", "keep it to 20", "30 minutes, not 45".
LENGTH_SET = re.compile(
    r"^(?:(?:no|wait|ok|actually|hmm|and)\W+)*(?:(?:make|change|keep) it\b|"
    r"\d{1,3}\s*(?:min(?:ute)?s?|m)\b,?\s*(?:not|rather than|instead of)\b)"
)
# "and the one that hasn't?", "which ones?", "who hasn't": after a month's figures, the pairs behind them
WHICH_PAIRS = re.compile(
    r"^\W*(?:(?:and|ok|so|but|hmm)\W+)*(?:which (?:ones?|pairs?)|who|the ones?|what pairs?)\b"
    r"(?:\s+(?:that|who|which))?(?:\s+(?:has|have|did|didn'?t|hasn'?t|haven'?t|had|met|not)\b[^?.!]{0,30})?\s*[?.!]*$"
)
# "ok so what do i put in the note for a call like that": a question after a rule, not an edit of it
WHAT_TO_WRITE = re.compile(
    r"^\W*(?:(?:ok|okay|so|and|but|then)\W+)*(?:what|how much|how) (?:do|should|would|can|shall) (?:i|we) "
    r"(?:put|write|include|record|note down|log)\b"
)
# "…, right", "… yeah?": a statement said as a question
TAG_QUESTION = re.compile(
    r"[,\s](?:right|yeah|yes|no|innit|correct|isn'?t it|doesn'?t it|can'?t (?:he|she))\W*$"
)
# "which pairs have a session coming up in the next two weeks", "who's meeting this week": sessions planned
PLANNED_AHEAD = re.compile(
    r"\b(?:coming up|upcoming|booked in|lined up|(?:planned|booked|scheduled) (?:for|in|this|next|before)|"
    r"(?:who|which pairs?)(?:'s| is| are)? (?:meeting|got a session|have a session|has a session))\b"
)
AHEAD = re.compile(
    r"\b(?P<this>this|next|coming) (?P<span>week|fortnight|month)\b"
    r"|\bnext (?P<n>\d{1,2}|two|three|four|five|six|few|couple of) (?P<unit>days?|weeks?)\b"
)
# "she always turns up 10 min late", "he has to leave 15 minutes early": time lost from the session
LATE = re.compile(  # time lost or set aside: "she's always 5 min late", "i need 5 min to set up the room"
    r"\b(\d{1,2}|five|ten|fifteen|twenty)\s*(?:minutes?|mins?)\s+(?:late|early|behind)\b"
    r"|(?:(?<=need )|(?<=needs ))(\d{1,2}|five|ten|fifteen|twenty)\s*(?:minutes?|mins?)\s+(?:to|for)\b"
    r"|\b(?:lose|losing|lost|eats?|eating)\s+(?:the\s+(?:first|last)\s+)?(\d{1,2}|five|ten|fifteen|twenty)"
    r"\s*(?:minutes?|mins?)\b"
)
REPLACED = re.compile(r"(?:instead of|rather than|from|not)\s*$", re.I)  # "20 instead of 45": not the 45
# Words before what a sentence says: "ok", "n" (and), "hmm".
LEAD_INS = frozenset(
    "ok okay k kk n and also now so then fine good right great cool nice actually pls please hmm oh but "
    "sorry well".split()
)
QUESTION_OPENERS = frozenset(
    "what whats how why who when where which should can could would will do does did is are am was were any "
    "anything if".split()
)
# A statement has someone saying or doing something: "she responds to data", "they're all mid twenties".
STATEMENT = re.compile(
    r"\b(?:i|he|she|they|we|it|you|hes|shes|theyre|im|ive|ill|id|my|our)\b|\w'(?:s|re|m|ll|d|ve)\b"
)
# A question asked the other way round: "didnt we agree the EA would check w me first".
NOT_ASKED = re.compile(
    r"(?:didn'?t|don'?t|doesn'?t|haven'?t|hasn'?t|wasn'?t|isn'?t|aren'?t|weren'?t|won'?t|wouldn'?t|"
    r"shouldn'?t|can'?t|couldn'?t) (?:we|i|he|she|they|you|it)\b"
)
CLAUSE_BREAK = re.compile(r"(?<=[.!?])\s+|[,;:]\s+|\s+-+\s+")  # sentences, and clauses set off by , ; : -
ASKED_AGAIN = re.compile(r"\W*i (?:mean|meant)\b")  # "I mean which ones haven't met": the question again
# Answers a statement after them redoes: "she responds to data not feelings" after advice.
STATED_FOR = ("topics", "agenda", "coach", "brief", "program_health", "pairing", "rotation", *DRAFTS)
NAMED_TASKS = ("topics", "agenda", "brief", "draft_message", "program_health", "pairing", "rotation")
COUNTED = ("topics", "coach", "search_notes", "pairing", "program_health")
SIDE_PART = re.compile(
    r"\b(my|his|her|the exec(?:utive)?(?:'s)?|the mentor(?:'s)?|their|[a-z]+'s)\s+"
    r"(?:part|half|bit|slot|section|turn|\d{1,2}(?:\s*(?:min(?:ute)?s?|m))?)\b"  # "in my 15"
    r"(?:\s+(?:should|could|can|to))?"
)
# "his 15 on supplier negotiations", "her half should be the winter range data": a subject for that side
OWN_PART = re.compile(
    r"\b(my|his|her|their|the exec(?:utive)?(?:'s)?|the mentor(?:'s)?|[a-z]+'s)\s+"
    r"(?:\d+\s*(?:min(?:ute)?s?|m)?\s+)?(?:(?:[\w&-]+\s+){0,3}?(?:part|half|bit|slot|section|turn)\b|(?=on\b|about\b))"
)
# "his 15 mins first pls", "my 10 min bit at the end": one side's part, its length and where it goes
SIDE_LENGTH = re.compile(
    r"\b(?P<who>his|her|their|my)\s+(?P<n>\d{1,2})\s*-?\s*(?:min(?:ute)?s?|m)\b"
    r"(?:\s+(?:bit|part|slot|half|section|segment|turn))?"
    r"(?:\s+(?:goes\s+|should\s+(?:go|be|come)\s+|is\s+|comes\s+)?"
    r"(?P<where>first|at the start|last|at the end))?"
)
ONE_WITH = re.compile(r"\bthe (?:one|pair|item|step) (?:with|without|where|that|who|whose)\b([^,.?!;]+)")
WHERE_SIDE = re.compile(r"\bthe (bit|part|half|slot|section) where (i|he|she)\b")
WHOSE_ALONE = re.compile(
    r"\b(hers|his|mine)\s+(?:(?:should|could|can) be\s+|on\s+|about\s+|[=:]\s*)?(?=the\b)"
)
OWNER = {"i": "my", "he": "his", "she": "her", "hers": "her", "his": "his", "mine": "my"}
ORDER = (  # "… first", "… to the start"
    r"\s*(?:go(?:es)?\s+|come(?:s)?\s+|be\s+)?(?:first|last|earlier|later|up front|at the (?:start|end)|"
    r"(?:to )?the (?:start|end|top|bottom|front|beginning))"  # "my half to the start"
)

# A message that opens by pointing at an item ("the pricing one, ...", "#2 -", "the 2nd point").
LEADING_REF = re.compile(
    r"^(?:and |ok |so |hmm |what about |re |about |(?:i )?(?:love|like) |ooh |oh |"
    r"nice,? |great,? |yes,? |yeah,? )?"
    r"(?:#\s*\d|(?:no\.?|number|option|point|item|step|topic|idea|question|suggestion|tip)\s*"
    r"(?:\d|one|two|three|four|five|six|seven|eight|nine|ten)\b|the\s+one\s+(?:with|about|on|where|that)\b|"
    # "the 1st, how long…", "3rd ones good but…": an ordinal alone, then a pause or a verdict
    r"(?:the\s+(?:first|second|third|fourth|fifth|last|\d(?:st|nd|rd|th))|\d(?:st|nd|rd|th))(?:\s+ones?(?:'?s)?)?"
    r"(?=\s*[,.:;!?-]|\s+(?:is|looks?|sounds?|seems?|good|great|works?|ones?)\b)|"
    # "2nd suggestion - what if…", "first step: …": an ordinal and what the item is
    r"(?:first|second|third|fourth|fifth|last|\d(?:st|nd|rd|th))\s+(?:suggestion|step|tip|idea|point|topic|"
    r"item|option|question|part|bullet)\b(?=\s*[,.:;!?-])|the\s+(?:[\w&+/'-]+\s+){1,3}?"
    r"(?:one|item|point|topic|idea|step|suggestion|question|thing|bit|option|note|result|match|rule|block|"
    r"slot|part|section|tip|pair|bullet)\b(?!\s+(?:about|on|for)\b))"
)
# "how do I open it ...": asking how to use the item the conversation is on.
ABOUT_IT = re.compile(
    r"^(?:ok\s+|so\s+|and\s+|but\s+)?(?:how (?:do|would|should|can|could) (?:i|we) "
    r"(?:open|start|raise|bring|frame|pitch|say|put|ask|word|approach|introduce|run|handle)|"
    r"tell me more about|more on|explain|why)\b[^.?!]{0,20}?\b(?:it|that|this)\b"
)
# Leaving out a part of an answer other than an agenda ("without the marisol step", not "without sounding").
DROP_ITEM = re.compile(
    r"\b(?:without|skip|drop|remove|leave out|take out|get rid of|no need for|lose|ditch|scrap|bin|cut|"
    r"forget|kill|axe|nix|delete|strike|cross out)\s+(?:all\s+(?:of\s+)?)?"
    r"(?:the|that|this|those|my|his|her|#\s*\d|number\s+\w+|no\.?\s*\d|"
    r"(?:item|point|step|topic|idea|option|part|bit|question)\s+(?:\d|one|two|three|four|five|six)\b)"
)
# One item or part of an answer pointed at ("the other one", "the new one", "the main block", "the 2nd bit"),
# the word that points caught; ONE_ITEM when no subject follows ("the one about AI" names it instead)
_ONE = (
    r"\b(?:the|that|this)\s+(?:(other|new|last|first|second|third|main|middle|\d(?:st|nd|rd|th))\s+)?"
    r"(?:one|block|part|bit|item|topic|idea|slot)\b"
)
ONE_POINTED = re.compile(_ONE)
ONE_ITEM = re.compile(_ONE + r"(?!\s+(?:about|on)\b)")
# An item pointed at by its place ("the third", "the 2nd one", "#3"), not a time ("the first time").
ORDINAL_ITEM = re.compile(
    r"(?:#\s*\d\b|\bthe\s+(?:first|second|third|fourth|fifth|last|\d(?:st|nd|rd|th))\b(?!\s+times?\b))"
)
NAMED_ITEM = re.compile(
    r"\bthe\s+(?:[\w&+/'-]+\s+){1,3}?(?:one|item|point|topic|idea|step|suggestion|thing|bit|piece|option)\b"
    r"(?!\s+(?:about|on|for)\b)"
)
ONLY = re.compile(  # "just the dates", "fine. i only need what is still open"
    r"(?:^|[.,;!?]\s+)(?:ok(?:ay)?[,.]?\s+|actually\s+|now\s+|fine[,.]?\s+)?"
    r"(?:(?:i|we)\s+(?:only|just)\s+(?:need|want)\s+|(?:just|only)\s+(?:give me\s+|show me\s+)?)"
    r"(?=the\b|what|my\b|his\b|her\b|their\b|[a-z]+'s\b)"
)
# A message given another subject: "make it about the pilot feedback instead".
MADE_ABOUT = re.compile(  # also "say its about how the pair is working but dont make it a complaint"
    r"(?:\b(?:make|turn|change)\s+(?:it|this|that|the (?:note|message|msg|email|draft))\s+"
    r"(?:about|into one about)"
    r"|^\W*(?:say|tell (?:her|him|them))\s+(?:that\s+)?(?:it'?s|its|it is)\s+about)\s+"
    r"(?P<what>(?:the|our|his|her|my|their|your|how|what|why|whether)\s+[^.,;!?]+?)(?:\s+instead)?"
    r"(?:,?\s+but\b[^.;!?]*)?\s*(?:[.,;!?]|$)"
)
ONLY_AFTER = re.compile(  # "I don't need the history. Open actions only."
    r"(?:^|[.,;!?]\s+)(?:(?:ok(?:ay)?|fine|actually|now)[,.]?\s+)?(?P<what>[a-z][a-z' -]{2,30}?)\s+only"
    r"(?:\s+(?:pls|please))?[.!]*$"
)
# "put the refinancing in my part", "make the main bit hands-on practice": a part given a subject.
INTO_PART = re.compile(
    r"\b(?:put|move|make|have|do)\s+(?!(?:i|we|you|u|he|she|they)\b)(?:the\s+)?(?P<topic>.+?)\s+(?:in|into|as|for)\s+"
    r"(?P<side>my|his|her|their|the exec(?:utive)?(?:'s)?|the mentor(?:'s)?|[a-z]+'s)\s+"
    r"(?:part|half|bit|slot|section|turn)\b"
)
MAIN_PART = re.compile(
    r"\b(?:make|have|let)\s+the\s+main\s+(?:bit|part|topic|item|thing|focus)\s+(?:be\s+)?(?P<topic>.+)$"
)
# "change 2 to X", "2nd -> X", "the linkedin one has to go, put X there": an item swapped for X.
SWAP_TO = re.compile(
    r"(?:\b(?:change|make|turn|switch|replace|swap|sub|trade)\b[^.!?]*?\b(?:to|into|about|for|with)\s+|->\s*|"
    r"\bshould be (?:about |on )?|\b(?:go|goes),? (?:and )?put\s+)"
    r"(?P<topic>[^.,;!?]+?)(?:\s+(?:there|instead|in its place|pls|please))?(?:[.!?]+\s|[.!?]*$)"
)
# "expand on all of it": the whole answer, not one item; "only the bits about X": a narrower search.
WHOLE = re.compile(r"\b(?:whole|all of it|each|every|everything|all of them|them all|the lot)\b")
# Not "he just messaged", "i just realised": "just" said of when, not of what.
NARROW = re.compile(
    r"\b(?:only|(?<!he )(?<!she )(?<!i )(?<!we )(?<!they )(?<!you )(?<!has )(?<!have )just|narrow|filter|"
    r"restrict|zoom in|keep only)\b"
)
# "focus it on X", "change the focus to X", "pivot to X"; THEMED: "X as the theme", "make them X related".
THEME = re.compile(
    r"(?:\b(?:focus(?:ed)?|cent(?:er|re)d?|base|build|rebuild)\s+"
    r"(?:it|them|this|that|the \w+)?\s*(?:on|around)\s+|"
    r"\bthe (?:focus|theme|subject|topic) to\s+|\b(?:change|make) (?:it|them) to be (?:about|on)\s+|"
    r"\bmake (?:both|them all|all of them|all three|both of them) (?:of them )?(?:about|on|around)\s+|"
    r"\b(?:can|could) (?:it|they|the \w+) (?:all )?be (?:all |about |on )?|"
    r"\blet (?:it|them|the (?:whole )?(?:\w+ ){0,2}?\w+) be (?:all )?(?:about|on)\s+(?:the\s+)?|"
    r"\bwhat if (?:they|them|it|the \w+) (?:were|was|are) (?:all )?(?:about|on|around|centred on)\s+"
    r"(?:the\s+)?|"
    r"\b(?:can|could) (?:it|they|them|the \w+) (?:all )?(?:tie|link|connect|hook) (?:it |them )?"
    r"(?:in(?:to)?|to|with|back to)\s+(?:the\s+)?|"
    r"\b(?:pivot|shift|steer)\s+(?:it\s+|them\s+)?(?:to|towards)\s+(?:the\s+)?|"
    r"\b(?:lean|tilt|skew|slant|gear|weight)\s+(?:it|them|this|that|the \w+)?\s*"
    r"(?:a bit |a little |much |way )?(?:more\s+)?(?:to|towards?)\s+(?:the\s+)?|"
    r"\bput (?:the |more |most of the )?(?:weight|emphasis|focus|stress) on\s+|"
    r"\bswitch (?:it|them|the (?:whole )?\w+) to\s+|\bkeep (?:it|them) to\s+|\bmore around\s+)"
    r"(?P<topic>[^.,;!?]+?)(?:\s+(?:instead|this time|pls|please))*(?:\s*[.,;!?].*)?$"
)  # "keep it to notifications, gareth is drowning in them": what follows the comma is the reason
THEMED = re.compile(
    r"(?P<topic>(?:[\w&+/-]+\s)?[\w&+/-]+)\s+(?:as the theme|as the focus|related|focused|themed?)\b"
)
AGENDA_PARTS = re.compile(
    r"\b(\d|one|two|three|four|five|six)[\s-]+(?:agenda\s+)?(?:items?|points?|parts?|blocks?|sections?|bits?|slots?)\b"
)
DROP_REF = re.compile(
    r"\b(?:remove|delete|cross (?:off|out)|ignore|can go|has to go|no to)\b"
    r"|\b(?:drop|bin|lose|scrap|cut|kill|skip|nix|ditch)\s+(?:#|no\.?\s*|number\s+)?\d\b"  # "drop 3", "bin 2"
    r"(?!\s*(?:to|down|by|min|mins|minutes)\b)"  # not "cut 2 to 10 min"
)
RERUN_TASKS = ("topics", "agenda", "pairing")  # asked for again right after: that answer changed
AGAIN = re.compile(r"\b(?:new|another|different|diff|fresh|alternative|else|again|redo|instead|start over)\b")
# Some on another subject: "any on leadership?", "got anything about esg", "ones around hiring".
ANY_ON = re.compile(
    r"(?:(?:and|ok|okay|so|hmm|also)[,.]?\s+)?(?:got\s+|have you got\s+)?"
    r"(?:any|anything|some|something|sth|ones?|stuff)\s+(?:more\s+)?(?:on|about|around|re|abt)\s|"
    r"(?:(?:and|ok|okay|so|hmm|also)[,.]?\s+)?(?:any|anything|some|something|ones?)\s+(?:that|which)\s+"
    r"(?:touch(?:es)? on|covers?|deals? with|relates? to|(?:is|are) about)\s"
)
# A change asked of the answer just given ("can you add an icebreaker", "put the questions first",
# "tailor these to a CFO"): an edit, even one the offline layer cannot make.
MODIFY = re.compile(
    r"(?:(?:ok|okay|hmm|and|also|but|actually|pls|please|now|then)[,.]?\s+)*"
    r"(?:(?:can|could|would|will) (?:you|u) (?:please |pls |also |just )?|pls |please |just )?"
    r"(?:add|include|put|move|adjust|tailor|adapt|tweak|sort|order|rearrange|reorder|personali[sz]e|"
    r"rework|format|mention|sign|make (?:it|them|this|that|these|those)|change (?:it|them|this|that)|"
    r"(?:do (?:it|them|this|that|those) )?(?:as|in)(?= a (?:table|grid|chart|spreadsheet)))\b"
    r"(?!\s+(?:into\s+)?(?:a |an )?"
    r"(?:note|reminder|session|meeting|reply|response|message|msg|email|e-mail|draft)\b)"
)  # "make that into a reply to her" asks for a message
# "swap the second one" after a person's match: that pair set aside
DROP_OR_SWAP = re.compile(r"\b(?:swap|switch|replace|change|drop|lose|not|no to|skip)\b")
# "an agenda", "a 45 min plan", "a running order": a plan as a thing asked for, not "plan it around X"
PLAN_NOUN = re.compile(
    r"\b(?:agenda|running order|outline|(?:a|an|the|min|mins|minute|minutes|hour|session)\s+plan)\b"
)
# "how do i open the check-in": an item named by its title alone, after what one does with it
TITLE_SAID = re.compile(
    r"\b(?:open|run|start|lead|handle|do|frame|explain|close|introduce|kick off|present|pitch|time)"
    r"\s+the\s+([\w&+/'-]+(?:\s+[\w&+/'-]+)?)\s*[?.!]*$"
)
BESIDES = re.compile(r"\b(?:besides|other than|apart from|except|instead of|rather than|but not)\b")
# Two people not to be paired: "not amara with rafael", "don't put noor with ingrid".
NOT_WITH = re.compile(
    r"\b(?:not|never|no|don'?t (?:put|pair|match)|do not (?:put|pair|match))\s+\w+\s+(?:with|and|w|for)\s+\w+"
)
# "what else?", "what else could I try"; "what else did it say", "what else can you do" ask something.
WHAT_ELSE = re.compile(
    r"\bwhat else\b(?:\s+(?P<asks>did|does|do|is|was|are|were|have|has|i|we|he|she|they|"
    r"can (?:you|u|this|it)|could (?:you|u|this|it))\b)?"
)
# "what do I say in the first 5 min": the opening part explained (or the closing one).
SAY_IN_PART = re.compile(
    r"(?:so |ok |and |but )?(?:what|how) (?:do|should|would|can|could) (?:i|we) "
    r"(?:say|do|ask|open|cover|run|start)\b.{0,25}?\b(?:(?P<at>first|opening|start|beginning)|last|closing|end)\b"
)
# A question for the notes, whatever the answer before: "what did she say about …".
NOTES_QUESTION = re.compile(
    r"(?:and |so |ok |but )?what (?:did|has|have) (?:he|she|they|we|i|\w+) "
    r"(?:say|said|mention|mentioned|think)\w* (?:about|on|re)\b"
)
# "We've done that. Capital allocation instead.": a sentence that is a subject and "instead".
SUBJECT_INSTEAD = re.compile(
    r"(?:^|[.!?]\s+)(?!(?:can|could|would|do|give|add|redo|plan|make|hmm|ok|so|just|let's|try)\b)"
    r"((?:the\s+)?[a-z][\w&+'-]*(?:\s+[\w&+'-]+){0,3})\s+instead[.!]*$"
)
# The same answer for another subject: "same but for the rotterdam memo", "same thing for the self-ratings".
SAME_FOR = re.compile(
    r"(?:ok |and |now )?(?:the )?same(?: thing| again| search| list| one)?,?\s+(?:but\s+)?"
    r"(?:for|on|about|with)\s+(?P<topic>[^.,;!?]+)"
)
# "actually do variance commentary": other topics, on that.
DO_INSTEAD = re.compile(
    r"(?:actually|ok|maybe|hmm|no|nah),?\s+(?:do|try|go with|let's do)\s+(?P<topic>[^.,;!?]+)"
)
# A sentence that sets something aside or has nothing to offer: "Not budgets.", "i have zero plan".
SETS_ASIDE = re.compile(r"\b(?:not|no|nothing|zero|never|without|other than|apart from)\b", re.I)
# "30 not 45", "60 instead of the 45": the first is the new length.
INSTEAD_OF = re.compile(r"\b(\d{2,3})(?:\s*min\w*)?\s+(?:not|instead of|rather than)\s+(?:the\s+)?\d{2,3}\b")
# The whole answer aimed at another subject: "put it around X", "focus that on X", "swap it to X".
AIMED = re.compile(
    r"\b(?:put|build|base|cent(?:re|er)|frame|focus|narrow|zoom|aim|re-?aim|angle|swap|switch|change|make)"
    r"(?:\s+in)?\s+(?:it|that|this|them|those|these|the (?:whole )?(?:thing|lot|agenda|plan|list|session)|"
    r"the (?:weight|emphasis|focus|spotlight))"
    r"(?:\s+(?:all|more|instead))?\s+(?:around|round|on|to|towards|about|at)\s+(?P<topic>[^.,;!?]+?)"
    r"(?:\s+(?:instead|please|pls))?(?:[.,;!?]|$)"
)
# "anything less textbook?", "something a bit more practical": other ones, of another kind
OTHER_KIND = re.compile(
    r"\b(?:anything|something|any|some|ones?|stuff)\s+(?:a (?:bit|little) |slightly |way )?(?:less|more)\s+"
    r"(?!on\b|about\b|of\b|than\b|time\b|detail|minutes?\b|please\b|pls\b|[?.!]|$)[a-z]"
)
# "got anything fresher?", "something punchier": other ones, compared (the word checked by `comparative`)
BY_COMPARISON = re.compile(
    r"\b(?:anything|something|any|ones?|stuff)\s+(?:a bit |a little |slightly |way |much )?([a-z]+er)\b"
    r"|\b([a-z]+er)\s+(?:ideas|ones|options|suggestions|topics|steps|advice)\b"  # "softer ideas?"
)
# "these feel like advice for someone more senior. anything for a team lead?": judged, then others asked
JUDGED = re.compile(
    r"^(?:(?:hm+|mm+|ok|okay|meh|hmm|honestly|tbh|so|but|yeah|sorry)[,.]?\s+)*"
    r"(?:these|those|they|they're|theyre|they are|these are|those are|all of these|this is|that's|thats|"
    r"it's|its)\s+(?:all\s+|just\s+|still\s+|kinda\s+|kind of\s+)?"
    r"(?:feels?|seems?|sounds?|looks?|reads?|are|is|a bit|too|way|very|pretty|quite|so)\b"
    r"[^.?!]*[.?!,]\s*(?:(?:any|some)(?:thing|one)?|stuff|ideas?|ones?|what about|got any|can (?:you|u) do)\b"
)
# "can the 2nd one be about the expense tool", "could the middle bit be X": that item becomes another
ITEM_TO_BE = re.compile(
    r"\b(?:can|could|should|would|let)\s+(?:the\s+)?[\w#-]+"
    r"(?:\s+(?:one|bit|part|item|topic|slot|block|section))?\s+be\s+"
    # "could the 3rd be less about complaints tho, more about whats working"
    r"(?:(?:a bit |a little )?less (?:about|on) [^,]+?,?\s+(?:and\s+|but\s+)?(?:a bit\s+)?more (?:about|on)"
    r"\s+"
    r"|(?:about\s+|on\s+)?(?!a (?:bit|little|lot|touch|tad)\b|an? (?:message|msg|email|note|text|draft|dm)\b)"
    r"(?=(?:the|a|an|some|something|smth|sth)\b))"
    r"(?P<what>\w.*)"
)
# "he wants to keep going", "they'd both like to stay together": a pair asking to renew
KEEP_GOING = re.compile(
    r"\b(?:wants?|would like|'d like|keen|happy|asked) to "
    r"(?:keep going|continue|carry on|stay together|stay|renew|extend)\b"
    r"|\bwhat if (?:they|both|he|she) (?:want|wants|ask for|asks for) (?:a 3rd|a third|another|one more)\b"
)
# "what have noor and ingrid been doing on inclusive meetings", "how are kai and helen getting on with the AI
# stuff": a pair's work on a subject (what they share), not its figures
PAIR_ON_SUBJECT = re.compile(
    r"\b(?:doing|done|getting on|got on|been up to|progressing|going|gone)\s+(?:on|about|with)\s+(?P<what>.+)"
)
# "should I step in there or leave them to it?": what the coordinator could do about a pair
STEP_IN = re.compile(
    r"\b(?:should|do|shall|would) (?:i|we)\b.{0,20}\b(?:step in|intervene|get involved|"
    r"leave (?:them|it)(?: to it| be| alone)?|do (?:something|anything)|wait)\b"
    r"|\bis it (?:worth|time) (?:stepping in|intervening|getting involved)\b"
)
# "could you suggest a few things I might post about" after the notes: ideas, which notes don't hold
IDEAS_ASKED = re.compile(
    r"\b(?:suggest|recommend|ideas? (?:for|on|about)|things (?:i|we) (?:could|might|can|should) "
    r"(?:post|write|say|share|try|do|talk))\b"
)
# "Topics I could lead on then. Three." after advice: topics asked for anew, not other advice
TOPICS_OPENED = re.compile(
    r"^\W*(?:(?:ok|okay|right|so|and|then|now|great|cool|fine)[,.!]?\s+)*(?:some |a few |\d+ |two |three |"
    r"four |five )?(?:topics|topic ideas|session topics|(?:more )?ideas for topics)\b"
)
# Another answer needed now: "forget the 17th, i need the agenda for dec 3 first".
NEEDED_NOW = re.compile(r"\b(?:i|we)\s+(?:need|want)\s+(?:the|an?)\s+(agenda|brief|topics)\b")
# "make the brief just the open actions", "can you make it only the dates": the answer narrowed to those
MADE_ONLY = re.compile(
    r"^\W*(?:(?:ok|okay|so|and|right|now)[,.]?\s+)*(?:can you |could you |can u |pls |please )?make "
    r"(?:it|that|this|the (?:brief|agenda|message|draft|note|answer|list|recap|plan)) (?=(?:just|only) )",
    re.I,
)
# "hmm swap that one out": the item just expanded, replaced
SWAP_THAT = re.compile(r"\b(?:swap|replace|switch|change|ditch|bin|lose)\s+(?:that|this) one\b")
# A subject put on the agenda: "put LinkedIn on Thursday's agenda", "add the reforecast to the plan".
PLACED = re.compile(
    r"\b(?:put|add|stick|pop|get)\s+([\w&+' -]{2,40}?)\s+(?:on|onto|in|into|to)\s+"
    r"(?:(?:the|our|my|his|her|their|this|next|[a-z]+'s)\s+)*(?:agenda|plan)\b",
    re.I,
)
# A subject the ideas are narrowed to: "only reforecast ones tho", "just AI stuff".
ONLY_ONES = re.compile(r"^\W*(?:only|just)\s+([\w&+-]+(?:\s[\w&+-]+)?)\s+(?:ones|topics|ideas|stuff)\b", re.I)
# "ok so what would you suggest i do": advice asked for on what was just shown
SUGGEST_DO = re.compile(
    r"\bwhat (?:would|do|should|d) (?:you|u) (?:recommend|suggest|advise) (?:i|we) (?:actually |really )?do\b"
)
# "too much for 45 honestly", said alone: the same length, fewer parts
TOO_MUCH_FOR = re.compile(
    r"^\W*(?:(?:it'?s|its|that'?s|thats|this is|way|a bit|bit|honestly|tbh|hmm+|ok|still)\W+)*"
    r"too (?:much|many (?:things|parts|items|bits)|packed|full|crammed|busy)"
    r"(?:\s+(?:for|in)\s+[\w ]{1,15}?)?(?:\W+(?:honestly|tbh|really|though|tho))?\W*$"
)
N_ITEMS = re.compile(
    r"\b(\d{1,2}|two|three|four|five|six|seven|eight)\s+(?:bullet\s+)?(?:points?|bullets?|items?|parts?|steps?)\b"
    r"(?!\s+(?:on|about|of)\b)"
)
# "something reflective", "like looking back on what we did this year": a session that looks back
LOOKING_BACK = re.compile(
    r"\b(?:something|smth|sth|more|a bit|bit|topics?|session|ideas?)\s+(?:\w+\s+)?(?:reflective|reflection)\b"
    r"|\blook(?:ing)? back (?:on|at|over) (?:what we|our|the (?:year|cycle|sessions?))",
    re.I,
)
# "agenda 45 min for 10 dec, pilot feedback + new yr plans": the subjects a request lists after a break
SUBJECT_LIST = re.compile(
    r"[,:;\u2013\u2014-]\s*(?P<list>[a-z][^,:;.?!+&]{1,40}?(?:\s*(?:\+|&|,|\band\b)\s*[a-z][^,:;.?!+&]{1,40}?)+)"
    r"\s*[.?!]*$"
)
SUBJECT_FILLER = re.compile(
    r"^(?:(?:his|her|my|our|the|some|a|an|about|on|re)\s+)+|\s+(?:stuff|things?|bits?|ones?|items?|chat)$"
)


# "Which part is the hedging case?", "what bit covers the reforecast": the part an agenda has it in
WHICH_PART = re.compile(
    r"^\W*(?:(?:and|so|ok|sorry)\W+)*(?:which|what) (?:part|bit|item|section|slot)\s+"
    r"(?:is|has|covers|deals with|was|includes|does)\s+(?:the\s+)?(?P<what>[a-z][\w&+/' -]{1,40}?)"
    r"(?:\s+(?:in|on|one|bit|thing))?\W*$"
)
# "what would u do about the stalled one over the holidays": advice on a pair just shown in figures
DO_ABOUT = re.compile(
    r"\bwhat (?:would|should|do|shall|could|can|wd|shd) (?:you|u|i|we) do (?:about|with|for|re|regarding)\s+"
    r"(?P<what>.+)|\bhow (?:do|should|would|shall|can) (?:i|we|you|u) (?:handle|approach|deal with|tackle)\s+"
    r"(?P<how>.+)"
)
# "can i quote that to leadership or is the group too small": whether figures shown may be passed on
QUOTABLE = re.compile(
    r"\b(?:quote|share|use|show|present|put|pass)\b.{0,30}\b(?:leadership|board|steering|exec\w*|report|"
    r"slide|publicly|everyone|outside|sponsor)\b.{0,40}"
    r"\b(?:small|identif\w*|anonymous|names?|ok|okay|safe|allowed)\b"
    r"|\bgroups? (?:is |are )?(?:too small|big enough|large enough)\b"
    r"|\b(?:identifies|identify) (?:any|some)(?:one|body)\b"
    r"|\b(?:enough|too few) (?:people|answers|responses)\b.{0,20}\b(?:report|quote|share|split|break|show)"
)
# "the 3rd is basically the 1st again", "#2 is the same as #1": the first named is a repeat
SAME_AS = re.compile(
    r"^(?:(?:but|hmm|ok|and)[,.]?\s+)?(?P<one>(?:the\s+)?[\w#]+(?:\s+(?:one|idea|topic|step))?)\s+(?:is|'s)\s+"
    r"(?:basically|just|pretty much|kind of|kinda|really|literally)?\s*(?:the same (?:as|thing as)\s+)?"
    r"(?P<other>(?:the\s+)?[\w#]+(?:\s+(?:one|idea|topic|step))?)(?:\s+again)?\b[\s.!?]*$"
)
# "both on electrification, please", "all of them about the reforecast": every item on one subject
ALL_ON = re.compile(
    r"^(?:(?:and|ok|okay|so|actually|but|hmm)[,.]?\s+)*(?:both|all(?: of them| \w+)?|each(?: one)?|the lot)"
    r"\s+(?:on|about|around|re)\s+(?P<topic>.+)"
)
ABOUT_LEAD = r"^(?:(?:a|an|the)\s+)?(?:something|smth|sth|session|topic|part|bit|slot|one)\s+(?:on|about)\s+"
# "these r all still me presenting tho", "they're all about him": every item has the same fault, so others
ALL_THE_SAME = re.compile(
    r"^(?:(?:but|hm+|ok|okay|so|yeah|um|honestly)[,.]?\s+)*(?:these|those|they|they're|theyre)\s+"
    r"(?:r\s+|are\s+)?(?:all|both)\s+(?:still\s+(?:\w+\s+)?|just\s+|basically\s+)?(?:me|him|her|about|on)\b"
)
# "get him on board (with X)": an idiom, not the company's board
ON_BOARD_END = r"(?:\s+(?:with|yet|now|already|and|so|too|for)\b|\s*[.,!?]|\s*$)"
ON_BOARD = re.compile(r"\b(?:on board|up to speed|up to date)" + ON_BOARD_END)  # idioms, not subjects
INSTEAD = re.compile(r"\b(?:instead|in place of|rather than)\b")
# Asked whether something was done, not said that it was: "has she already covered the 3rd one w me?"
ASKED_IF_DONE = re.compile(
    r"^(?:(?:and|so|ok|okay|hmm|wait|but)\W+)*(?:has|have|did) (?:she|he|they|we|i|you|u)\b[^.!]*\?\s*$"
)
# A value asked about with its alternative: "is it 6 wks or longer", "is that 30 min or more?"
CHOICE_ASKED = re.compile(
    r"\b(?:is|are|was|were|does|do) (?:it|that|this|they|the \w+)\b[^.!?]*"
    r"\bor (?:longer|shorter|more|less|fewer)\b"
)
# How a drafted message comes across, said of it: "hmm it reads like i'm telling him off", "can it
# sound less sorry for itself", "this feels a bit cold": the same message in another tone.
SOUNDS = re.compile(
    r"\b(?:it|this|that|the (?:message|draft|note|email|msg|text|tone))(?:'s| is)?\s+"
    r"(?:(?:still|kinda|kind of|a bit|a little)\s+)?(?:reads?|sounds?|comes? across|feels?|seems?)\b"
    r"|\b(?:sound|read|come across|feel)\s+(?:less|more|a bit less|a bit more|a little less)\b(?!\s+than\b)"
    r"|\bmake (?:it|this|that|the \w+) (?:sound|read|come across|feel) (?:like|as if|as though)\b"
    r"|^(?:(?:hm+|hmm+|mm+|ok|but|and|tbh)[,.]?\s+)*(?:sounds|reads|feels|comes across|is|it'?s)\s+"
    r"(?:like|as if|too|a bit|kinda|so|very|way too|quite)\b"
)
# "not feeling these", "don't love them", "not sold on any of those": other ones
NOT_KEEN = re.compile(
    r"\b(?:not|don'?t|do not|didn'?t)\s+(?:really\s+|totally\s+|so\s+)?(?:feeling|feel|loving|love|like|into|"
    r"sold on|convinced by|keen on|a fan of|vibing with)\s+(?:any of\s+)?"
    r"(?:these|those|them|this lot|that lot|the list)\b"
    r"|\b(?:the|a) (?:less|more) [a-z]+ (?:version|one|take|list|answer|set)\b"
)
RULE_ASKED = re.compile(
    r"\b(?:counts? as|considered|official|rules?|threshold|supposed to|meant to|guidelines?|policy|allowed|"
    r"what happens)\b|" + VISIBILITY_ASKED.pattern  # "does gareth see my pulse scores?": who sees what
)
SAID_SHORTER = re.compile(r"\b(?:short(?:er|en)|briefer|more concise|trim it|cut it down)\b")
TOPICS_ASKED = re.compile(
    r"\b(?:\d+|two|three|four|five|some|a few|few|more|new)\s+(?:\w+\s+)?(?:topics|topic ideas)\b"
    r"|\b(?:give me|gimme|i need|need|can i (?:get|have)|could i (?:get|have)|suggest|any)\s+(?:some\s+)?"
    r"(?:topics|topic ideas|subjects)\b"
)
# "wait is 40 min even allowed?": a rule asked about, not a change
IS_IT_ALLOWED = re.compile(
    r"\b(?:is|are)\s+(?:that|it|this|those|these|\d+\s*min\w*|\w+)\s+(?:even\s+|actually\s+|really\s+)?"
    r"(?:allowed|permitted|ok|okay)\b[^.!]*\?|\b(?:had|have|has|need|needs) to be\b.*\?$"
    r"|\b(?:within|against|by|inside|outside) the (?:rules|guidelines)\b[^.!]*\?"  # "is an hour within…"
)
GUIDELINES_ASKED = re.compile(
    r"\bwhat do(?:es)? the (?:guidelines|guidance|rules|handbook|programme|program|policy) say\b|"
    r"\b(?:does|do|would|will) the (?:program(?:me)?|scheme|guidelines|rules|policy) (?:even |actually )?"
    r"(?:allow|permit|let)\b|"
    r"\b(?:is there|are there)\s+(?:actually\s+|even\s+|really\s+)?(?:any\s+)?"
    r"(?:guidance|guidelines|a rule|rules|a policy)\b|"
    r"\b(?:does|do) the (?:guidelines|guidance|rules|handbook|programme|program|policy) "
    r"(?:say|mention|cover)\b"
)
MEDIUM = re.compile(
    r"\b((?:min(?:ute)?s?|hours?|session|call|meeting|chat|catch-?up|slot|1:1|one-to-one|weeks?|fortnight))\s+"
    r"(?:on|over|via|by|in)\s+(?:ms\s+|microsoft\s+)?(?:teams|zoom|google meet|meet|video|the phone|phone)\b",
    re.I,
)
# "how his commercial team runs meetings": what a group does is the subject, not the group
OWN_WAY = re.compile(
    r"how\s+(?:the|his|her|their|our|my|your)\s+(?:[\w'-]+\s+){1,6}?"
    r"(?P<verb>use|uses|run|runs|read|reads|handle|handles|manage|manages|plan|plans|price|prices|share|shares|"
    r"present|presents|track|tracks|hire|hires|train|trains|measure|measures|treat|treats)\s+(?=\w)",
    re.I,
)
FROM_PLACE = re.compile(
    r"\s+from (?:the |our |his |her |their )?[a-z]+ "
    r"(?:office|depot|site|hub|plant|warehouse|branch|hq|base)\b",
    re.I,
)
# "he can do the 8th from madrid on teams.", "45 minutes, on Teams as I'll be in Aberdeen": how they meet
MEDIUM_SAID = re.compile(
    r"(?P<keep>(?<=,)|\b(?:do|doing|meet|meeting|be|call|it|that|this|session|[a-z]+ \d{1,2}(?:st|nd|rd|th)?|"
    r"the \d{1,2}(?:st|nd|rd|th)?|from (?:the )?[a-z]+(?: (?:office|depot|site|hotel|airport|home))?|"
    r"talk|chat|abt|about))\s+(?:on|over|via)\s+(?:ms\s+|microsoft\s+)?"
    r"(?:teams|zoom|google meet|video|the phone)\b(?=\s*(?:[,.;!?]|$|as\b|because\b|since\b|cos\b|so\b|"
    r"this time\b|instead\b|that\b|which\b|while\b))",
    re.I,
)
REPLACE_IT = re.compile(
    r"(?:^|[.!?]\s+)(?:just |pls |please |can (?:you|u) |could (?:you|u) )?"
    r"(?:replace|swap|switch|change|redo|bin)\s+(?:it|that|this)(?: one)?(?: out)?(?: please| pls)?[.!?]*$"
)
# "tell me more about the shorter sessions option": what follows names an item, whatever its words.
MORE_ABOUT = re.compile(
    r"(?:ok\s+|so\s+|and\s+)?(?:tell me more about|say more about|more on|expand on|elaborate on|explain)"
    r"\s+the\b"
)
# One of a list given a subject: "one on her board stuff", "can one be about X", "put one in on X".
ONE_ON = re.compile(
    r"(?:^|[,.;:!?-]\s*|\b(?:can|could|make|put|have|let|maybe|and|but|plus)\s+)(?:one|1)\s+"
    r"(?:of (?:them|those|these)\s+)?(?:in\s+)?(?:(?:be|is)\s+)?"
    r"(?:(?:on|about|abt|re|around)\s+|(?<=be )(?=(?:the|a|an|something|sth|smth)\s))"  # "be the X post"
    r"(?P<topic>[^,.;!?]+)"
)
OTHER_NTH = re.compile(
    r"\b(?:a |an )?(?:different|new|another|other|fresh)\s+(?:first|second|third|fourth|fifth|last|"
    r"\d(?:st|nd|rd|th))\s+(?:one|point|topic|idea|item|step|part|bit|question|suggestion|tip|option)\b"
)
RESTYLED = re.compile(
    r"\b(?:differently|(?:a|another|other|different) (?:way|angle|approach|format|take)|plan b)\b"
)
OTHER_ONE = re.compile(r"\bthe other (?:one|thing|bit|option)\b")
# Words that point back at what the conversation is on ("that", "it", "then ...").
ANAPHOR = re.compile(r"\b(?:that|it|this|those|these|them)\b|^(?:then|and then|ok then|so)\b")
WEEKDAY = r"(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?"
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH = r"(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)(?:uary|ruary|ch|il|e|y|ust|tember|ober|ember)?"
# "should I just drop it?", "do I push?": the asker's own next step, a question and not an edit.
ASKS_ADVICE = re.compile(
    r"^(?:so |but |ok |okay |hmm |and )?(?:should|shall|do|must|would it be ok if) (?:i|we)\b"
    r"|^(?:so |but |ok |okay |hmm |and )?(?:what|how) (?:do|should|can|could) (?:i|we) "
    r"(?:do|handle|fix|deal with|approach|tackle|change)(?: (?:about|with))? (?:it|that|this|him|her|them)\b"
    r"|^(?:so |but |ok |okay |hmm |and )?what (?:would|do|should) (?:you|u) (?:recommend|suggest|advise) "
    r"(?:we|i) (?:say|write|put)\b"
)
# "give me a couple of ways to get him to actually lead a bit": advice asked, not a count
WAYS_TO = re.compile(
    r"\b(?:ways?|tips|ideas|advice) (?:to|on how to|for how to) (?:get|make|help|stop|handle|deal|encourage|"
    r"persuade|convince|push|nudge|bring|raise|keep)\b"
)
# "can the exec go first", "I'll lead first this time", "she should lead the first half": the order
# of an agenda's two parts.
LEADS_FIRST = re.compile(
    r"\b(?:go|goes|lead|leads|start|starts|open|opens|kick off|kicks off)\s+(?:first|things off)\b"
    r"|\b(?:lead|leads|take|takes|run|runs)\s+the\s+(?:first|opening)\s+(?:half|part|bit|slot)\b"
)
# "I lead the second half", "she'll take the first part": whose part goes where
LEADS_HALF = re.compile(
    r"\b(?P<who>i|he|she|exec\w*|mentor)(?:'ll| will| can| should| wants? to| want to| would like to)?\s+"
    r"(?:lead|leads|take|takes|run|runs|do|does)\s+the\s+(?P<which>first|opening|second|last|closing|final)\s+"
    r"(?:half|part|bit|slot)\b"
)
# What may come before a number said first, as the whole of its clause ("actually half a dozen, ...").
LEADING_NUMBER = (
    r"(?:(?:actually|ok|okay|hmm+|um+|right|no|nah|maybe|make it|let'?s say|say|oh)[,.]?\s+)?"
    r"(?:(?:i\s+)?(?:only\s+|just\s+)?need\s+(?:like\s+)?)?"  # "only need one"
)
# A subject alone, after ideas or an agenda: "just digital tools", "now culture and inclusion".
SUBJECT_ONLY = re.compile(
    r"^(?:(?:ok|okay|and|so|right)\W+)*(?:just|only|now|now on|now about|then)\s+(?!the\b|a\b|one\b)"
    r"(?!.*\b(?:some|any|it|its|his|her|him|them|their|those|these|my|our|your|you|me|us|both)\b)"
    r"(?P<said>[\w&+/-]+(?:\s+[\w&+/-]+){0,3}?)"
    r"(?:\s+(?:stuff|things|topics|ideas|ones|pls|please|then|instead))*\W*$"
)
# Another subject offered: "or maybe X?", "what about X", "how about something on X".
ALTERNATIVE = re.compile(
    r"(?:(?:or|hmm+|ok|okay|so|but|and)[,.]?\s+)*(?:maybe|perhaps|what about|how about)\s+"
    r"(?:(?:something|smth|sth|stuff|one|ones|topics?|ideas?)\s+)?(?:(?:on|about|around|abt)\s+)?"
)
# "anything with more of a tech angle?": the subject is what the angle is.
ANGLE = re.compile(
    r"(?:\b(?:an?|the|more)\s+|^(?:(?:ok|hmm|what about|how about|maybe)[,.]?\s+)?)"
    r"(?P<topic>[\w&+/-]+(?:\s+[\w&+/-]+)?)\s+(?:angle|slant|flavou?r|spin|lens|bent)\b"
)
# Asked about an item just named: "…, how do i open it", "…, why them", "…, what would that look like".
ASKED_OF_ITEM = re.compile(
    r"(?:how|why|what|who|when|where|which|would|could|can|is|does|did)\b(?!\s+(?:else|other|about|you|u)\b)"
)
# How to do what an item of the answer says: "how do i open the careers one", "how would you structure it".
HOW_ASKED = re.compile(r"\bhow (?:do|would|should|could|can|might|shall) (?:i|we|you)\b")
# "If there's anything on LinkedIn in there, take it out": whatever is about that, left out.
IF_ANY_CUT = re.compile(
    r"\bif (?:there'?s|there is|it has|you'?ve (?:got|put)) "
    r"(?:anything|something|stuff|a (?:part|bit|topic|item)) (?:on|about|re|to do with) "
    r"(?P<what>[^,.;]+?)(?: in (?:there|it|them|that))?[,.;]?\s+(?:(?:pls|please|just)\s+)?"
    r"(?:take|cut|drop|lose|remove|leave|bin|ditch|scrap|kill) (?:it|that|them)(?: out)?\b"
)
# After figures, pairings or notes, "how do i raise it with gareth" asks for advice, not more of the answer.
ADVICE_AFTER = ("program_health", "pairing", "rotation", "search_notes")
# "also how do i bring up X without nagging": a question of its own, not a change to the answer.
HOW_DO_I = re.compile(
    r"^(?:(?:also|and|but|so|ok|okay)[,.]?\s+)?how (?:do|can|should|would|could) (?:i|we)\b"
)
# A part of a program answer: "the second part", "your first point", "the last bit", "an example".
PICKED_N = re.compile(
    r"^(?:(?:i|we|he|she)\s+(?:like|love|prefer|want|pick|choose|will take|'ll take)\s+)(\d{1,2})\b"
    r"(?!\s*(?:min|minutes|topics|ideas|things|steps|of them))"
)
NUMBER_FIRST = re.compile(
    r"^(?:and\s+|what about\s+|ok\s+)?(\d{1,2})(?:[?.!]*$|\s*[-:–]\s+|\s+(?:is|sounds|looks|seems|feels)\s+"
    r"(?:good|great|best|nice|interesting|promising|right|perfect"
    r"|still|a bit|bit|too|kinda|not|boring|weak|off|wrong|meh|cringe|dull|the same|similar|basically)\b)"
)  # "3 is good. say more", "2 - how do i open that", "2 is still a tool thing"
# A change said first, whatever follows: "longer please, a paragraph I can paste", "3 bullets max"
SAID_FIRST = re.compile(
    r"^(longer|fuller|more detail|shorter|briefer|\d{1,2} bullets?(?: max| only| tops| at most)?)"
    r"(?:\s+(?:please|pls))?(?:[.!,;:-]|$)"
)
# An item left out by pointing: "the role-play one is out", "we've done copilot to death, bin that one"
IS_OUT = re.compile(
    r"\bthe ([\w&+/' -]+?) (?:one|idea|bit|step|item|suggestion) is out\b"
    r"|\b(?:bin|lose|cut|drop|ditch|scrap|kill|remove|skip) (?:that one|that|it)[.!]*$"
    r"|\b(?:take|leave|cross) (?:that one|that|it) (?:out|off)[.!]*$"
)
# "drop linkedin then", "skip the budget one pls": an item named by its subject, with no "the … bit" around it
DROP_NAMED = re.compile(
    r"^\W*(?:(?:ok|okay|so|then|actually|yeah|right|fine|hmm+|ah|oh|and|nah|no)\W+)*"
    r"(?:drop|skip|lose|ditch|scrap|bin|remove|axe|nix|kill|cut)\s+(?P<what>[a-z][\w&+/' -]{1,40}?)"
    r"(?:\s+(?:then|pls|please|too|as well|for now|this time))*\W*$"
)
# "cc marisol", "and copy her EA in", "loop in the coordinator": someone copied in on a draft
CC_IN = re.compile(
    r"\b(?:b?cc|copy in|loop in|copy|loop)\s+(?P<who>(?:her|his|their|my|the|our)\s+[a-z]+(?:\s+assistant)?"
    r"|(?!(?:it|this|that|them|these|those|him|her|me|us|and|to|into|paste)\b)[a-z]+)(?:\s+in)?\b"
    r"(?:\s+(?:too|as well|on it|on this|pls|please))*\W*$"
)
# "nvm put linkedin back in", "bring back the wrap-up": a part left out earlier, wanted again
BACK_IN = re.compile(
    r"\b(?:put|bring|add|have|want)\s+(?:the\s+|that\s+|his\s+|her\s+|my\s+)?"
    r"(?P<what>[a-z][\w&+/' -]{0,40}?)\s+(?:(?:bit|one|part|item|slot|thing)\s+)?back\b"
    r"(?!\s+(?:to|from|on|by|a|an|one|two|\d))"
    r"|\bbring\s+back\s+(?:the\s+)?(?P<again>[a-z][\w&+/' -]{0,40}?)(?:\s+(?:bit|one|part|item))?\W*$"
)
LESS_THEN_MORE = re.compile(
    r"\bless (?:about|on|of) [^,.;]+[,.;]?\s*(?:and |but |actually |,\s*)*"
    r"more (?:about|on|around|of) (?P<topic>[^,.;!?]+)"
)
# "Too apologetic.", "and less managerial", "hmm now its a bit bossy", "bit long for a lunch slot tbh":
# the answer judged by one quality (the judged word is group 2, its degree group 1)
VERDICT = re.compile(
    r"^(?:(?:and|but|hmm+|hm+|ok|okay|now|still|so|tbh|honestly|yeah|sorry|ugh|meh|nah)[,.]?\s+)*"
    r"(?:(?:it'?s|its|it is|this is|that'?s|thats|this|that|it|they'?re|these are|those are)\s+)?"
    r"(?:(?:now|still|just|all|a little)\s+)?"
    r"(?:(?:a bit|bit|way|much|far|a little|a tad|just)\s+(?=too\b))?"  # "bit too direct"
    r"(way too|too|a bit|bit|slightly|much|far|a little|a touch|less|more|kinda|kind of|a tad|quite|rather|"
    r"very|so|super|abit)\s+"
    r"([a-z]+(?:-[a-z]+)?)\b(?!\s+(?:about|on|of|than|to|in|with|ideas?|topics?|options?|time|detail|"
    r"things?|stuff|ones?|steps?|items?|points?|questions?)\b)"
)
# "say that simpler", "put it in plain words", "explain it more casually": the same answer, said otherwise
RESAID = re.compile(
    r"\b(?:say|put|word|write|phrase|explain|tell me)\s+(?:that|it|this|them)\s+"
    r"(?:again\s+)?(?:a bit\s+|bit\s+)?"
    r"(?:([a-z]+er)\b|in (?:\w+\s+){0,2}(?:words|terms|language|english)\b|"
    r"(?:more |less )?(?:simply|plainly|casually|formally|clearly|politely|gently|nicely|kindly|directly)\b)"
)
# One item replaced, said short: "2nd one on ai instead", "3rd one diff pls", "another one instead of that",
# "start w my ai tips thing instead" (an agenda's first part)
ONE_INSTEAD = re.compile(
    r"^(?:(?:hmm+|ok|and|so|pls|please)[,.]?\s+)*(?:(?:the\s+)?(?:\d(?:st|nd|rd|th)|first|second|third|fourth|fifth|last)"
    r"(?:\s+(?:one|item|topic|idea|part|block|step|bit))?\s+(?:(?:on|about|abt)\s+(?P<topic>[^,.;!?]+?)\s+instead\b"
    r"|diff(?:erent)?\b|(?:for\s+)?something (?:diff(?:erent)?|else)\b|sth else\b)"
    r"|(?P<another>another one instead(?: of (?:that|it|this|that one))?\b))"
)
# Cutting a rotation's proposals down: "drop the last one", "3 points max", "only two"
ROTATION_CUT = re.compile(r"^(?:ok\s+|and\s+|so\s+)?(?:drop|lose|skip|remove|cut|take out|bin)\b")
ROTATION_FIXED = re.compile(
    r"^(?:ok\s+|and\s+|so\s+|but\s+)?(?P<swap>swap|replace|change|switch)\b.*\b(?:pair|one|match)\b"
    r"|\bkeep\s+[a-z]+\s*(?:and|&|\+|/)\s*[a-z]+\s+(?:together|paired|as (?:they are|a pair))"
)
MAX_SAID = re.compile(r"\b(?:max|maximum|at most|only|just|no more than)\b")
# Only people named, after figures ("and priya and martin?", "what about noor"): the same for them.
ONLY_NAMES = re.compile(
    r"(?:and|ok and|what about|how about|(?:(?:and|ok) )?(?:the )?same (?:question |thing |q )?(?:for|with))"
    r"\s+[a-z]+(?:\s*(?:and|&|,|/|\+|-)\s*[a-z]+)?\s*[?.!]*"
)
WHAT_ABOUT = re.compile(r"(?:and |ok |so )?(?:what about|how about)\b")  # "what about the depot rollout?"
SLIDE = re.compile(r"\b(?:for|on|as|into) (?:a|the|one) (?:slide|deck|one-pager)\b")
RESHAPED = re.compile(
    r"\b(?:as|in|into)\s+(?:\S+\s+)?(?:sentences?|bullets?|bullet points|lines|paragraphs?)\b"
    r"|\b(?:one[- ]?liner|line|sentence|blurb) for (?:the|my|our|a|an) (?:\w+ )?"
    r"(?:e-?mail|message|newsletter|slides?|deck|intro|invite)\b"  # "a one liner for the welcome email"
)
DEGREE = r"(?:a bit|bit|slightly|much|way|even|far|a lot|a little|a touch)"  # "way less apologetic"
# "can this thing help me write to helen or is it just ideas", "can u help with anything besides
# topics": a question about what the assistant can do, whatever task it names
ITS_RANGE = re.compile(
    r"^(?:(?:so|ok|and|hmm|um)\W+)?(?:can|could|does|do|will) (?:this thing|this bot|this tool|this app|this|"
    r"the bot|the tool|the assistant|it|you)\b"
    r"(?:.{0,60}?\bor (?:is it|are you|does it|do you|can it|can you) (?:just|only)\b|"
    r"(?:(?!\b(?:me|my|we|our)\b).){0,40}?\b(?:anything|stuff) (?:besides|apart from|"
    r"other than|except|beyond)\b)",
    re.I,
)
# "the part abt talking to the coordinator first, why?", "go further on the recording one": a part
# of an answer without numbered items, named by its words
PART_NAMED = re.compile(
    r"\bthe (?:(?:part|bit|point|line|rule|thing|sentence) (?:about|abt|on|re|where|with|that says)\s+"
    r"(?P<about>[^,.?!;]+)|(?P<named>[\w&+/'-]+(?:\s+[\w&+/'-]+)?) (?:one|bit|part|point|rule|thing)\b)"
)
# "put the notifications follow up in the middle instead of the linkedin bit": a subject in place of a part
PUT_INSTEAD = (
    re.compile(
        r"\b(?:put|do|have|use|stick|slot|bring)\s+(?:in\s+)?(?P<new>[^,.;!?]+?)\s+"
        r"(?:in\s+(?:there\s+|the\s+\w+\s+)?)?(?:in place of|instead of|rather than)\s+(?P<old>[^,.;!?]+)"
    ),
    re.compile(  # "instead of the teams bit, do budget"
        r"^(?:\w+,?\s+)?(?:in place of|instead of|rather than)\s+(?P<old>[^,.;!?]+?),?\s+"
        r"(?:do|put|have|use|go with|let'?s do|let'?s have)\s+(?P<new>[^,.;!?]+)"
    ),
    re.compile(  # "something on AI in place of the last one", "one about pricing instead of #2"
        r"^(?:\w+[,.]?\s+)?(?:something|sth|one|a topic|an? (?:new |other )?(?:one|item|idea))\s+"
        r"(?:on|about|around|re)\s+(?P<new>[^,.;!?]+?)\s+(?:in place of|instead of|rather than)\s+"
        r"(?P<old>[^,.;!?]+)"
    ),
)


# Where a message turns from what was to what is wanted: the subject after it is the one asked about.
CONTRAST = re.compile(r"[,;.]\s*but\s+(?=(?:i|we)\b|this time|now|next)|[,;.]\s*this time\b", re.I)
# "the hour" is a session's length, but not after these ("send it within the hour", "on the hour").
ANY_HOUR = ("the hour", "our hour")
WITHIN = re.compile(r"\b(?:within|inside|on|per|by|after|before|top of|past)\s+$")


def item_title(item: str) -> str:
    """An item's title as listed, without whom it is for: "Hands-on practice (mentor)"."""
    return re.sub(r"\s*\((?:both|mentor|executive)\)$", "", item)


def _part_name(said: str) -> str:
    """A part's name as said, without its article and filler: "the linkedin bit" → "linkedin"."""
    words = said.split()
    while words and words[0] in ("the", "that", "this", "his", "her", "my", "our", "a"):
        words = words[1:]
    while len(words) > 1 and words[-1] in MOVE_FILLER:
        words = words[:-1]
    return " ".join(words) or said


# "actually the whole thing should be about key accounts", "make it all about the board pack"
WHOLE_ABOUT = re.compile(
    r"\b(?:the whole (?:thing|session|hour|agenda|lot|list)|all of (?:it|them)|it all|them all|everything|"
    r"make it all|make them all)\s+(?:should |could |can |must |would |needs to |has to )?(?:be\s+)?"
    r"(?:about|on|around|focused on|centred on|centered on)\s+(?P<topic>[^,.;!?]+)"
)
# "who do i even talk to about that", "does that apply to execs too": a rule question that goes on
# "whats the reasoning behind that", "for how long", "why not tho": after a rule answer, a short
# question that only makes sense with it (read with the question it follows, not on its own).
WHY_THAT = re.compile(
    r"(?:(?:ok|okay|so|and|but|hmm|right|sorry)[,.!]?\s+)*"
    r"(?:for how long|how long for|since when|(?:un)?till? when|from when|(?P<why>why|how come|"
    r"what(?:'?s| is| was) the (?:reason(?:ing)?|logic|thinking|rationale|point)(?: behind| of| for)?))\b"
)
_EDGE = r"(first|1st|opening|last|closing|final)"  # the part of an agenda that opens or closes it
# "what goes in the first five minutes?", "the last 10 mins": a part of the agenda, not its length
FIRST_MINUTES = re.compile(rf"\b(?:the|my|his|her|our|your) {_EDGE} $", re.I)
# "did he say anything else abt it", "has she written anything else": more of the notes, not other ones
ELSE_SAID = re.compile(
    r"\b(?:did|does|has|have) (?:he|she|they|we|i|\w+) (?:\w+ )?"
    r"(?:say|said|mention|write|written|note|add|put)\w* "
    r"(?:anything|something|much) else\b"
)
# "So thirty is the floor?", "wait so the cafe one is a yes or a no": a rule answer checked back
CHECKED = re.compile(
    r"(?:(?:wait|ok|okay|right|hmm|sorry)[,.!]?\s+)*so\b(?!\s+(?:much|many|far)\b)[^.!]*\?*$"
)
# "did he ever open the survey results", "what did we agree": what happened, which the notes say
PAST_DEED = re.compile(
    r"\b(?:did|has|had) (?:he|she|we|i|they)\b"
    r"|\bdid [a-z]+ (?:say|write|agree|mention|promise|ever|actually)\b"
)
# "what goes in the first five minutes?" after an agenda: its first part (its last for "the last 10 min")
EDGE_MINUTES = re.compile(rf"\bthe {_EDGE} (?:\d{{1,2}}|five|ten|fifteen|twenty)\s*-?\s*min", re.I)
# "And the time before that?", "the session before?": the last session asked about, one further back
BEFORE_THAT = re.compile(
    r"(?:(?:and|ok|so|what about|how about)[,.]?\s+)*(?:(?:the\s+)?(?:one|time|session|meeting|note)\s+"
    r"before(?:\s+(?:that|then|it))?|before (?:that|then))\s*[?.!]*$"
)
# "helen's already stretched", "rafael's swamped though": too busy for the match suggested
BUSY = re.compile(
    r"(?:'s|\bis|\bhas) (?:already |just |really |a bit )?"
    r"(?:stretched|swamped|maxed|at capacity|overloaded|too busy|got (?:her|his) hands full)\b"
)
# "and hers?", "what about his side": a question about the asker's actions, asked of the partner's
OTHER_SIDE = re.compile(
    r"(?:and|what about|how about|ok and)\s+"
    r"(?:(?P<who>hers|his|theirs|(?!(?:what|that|it|there|who|how|where)')[a-z]+'s)|"
    r"(?:on )?(?P<whose>his|her|their) (?:side|end|bit))\s*\??"
)
# "and for me?", "what about mine": the same notes question, of the asker
MY_SIDE = re.compile(
    r"(?:and|what about|how about|ok and|same)\s+(?:for\s+|on\s+)?(?:me|mine|myself|my side|my end)"
    r"(?: then)?\s*\??"
)


SEND_IT = re.compile(r"\bsend (?:it|this|that|them)\b")  # "can u send it to him": sent, but what?
# "new execs keep asking me how often they need to meet. what do i tell them": the question passed on
ASKED_OF_ME = re.compile(
    r"\bask(?:s|ed|ing)?\s+(?:me|us)\b\W*(?P<question>(?:how|what|when|where|whether|if|who|why|which|do|does|"
    r"can|is|are|should|will)\b[^.?!\"“”]{8,})"
)
ANSWER_FOR_THEM = re.compile(
    r"\b(?:what|how) (?:do|should|shall|would|could|can) (?:i|we) (?:tell|say|answer|respond|reply|put it)\b"
    r"|\bhow (?:would|should|do) (?:you|u|i|we) answer\b"
)


def reported_question(text: str) -> str | None:
    """The question someone put to the asker, when the asker wants to know how to answer it."""
    lower = text.lower()
    if not ANSWER_FOR_THEM.search(lower) or not (asked := ASKED_OF_ME.search(lower)):
        return None
    question = ANSWER_FOR_THEM.split(asked["question"])[0]  # not "…, what should i say"
    question = re.sub(r"^(?:whether|if)\s+", "", question.strip(" ,;'‘’"))
    return question[:1].upper() + question[1:] + "?"


def _as_mine(question: str, people: frozenset[str]) -> str:
    """A question about the partner asked of the asker: "what's still open for gareth" → "… for me"."""
    mine = re.sub(r"\b(for|to|with|from|by|of) (?:him|her|them)\b", r"\1 me", question)
    if people:
        mine = re.sub(r"\b(?:" + "|".join(map(re.escape, sorted(people))) + r")\b(?!')", "me", mine)
    return re.sub(r"\b(?:his|her|their)\b", "my", mine)


# "sorry one more - when did i …": another question, not one more item
ONE_MORE_QUESTION = re.compile(
    r"(?:(?:sorry|ok|okay|also|and|oh)\W+)*one more\b(?:\s+(?:q|qs|question|thing))?\s*[-–—:,]\s*\w"
    r"|(?:(?:ok|okay|also|and|oh)\W+)*sorry\W+one more\b|one more (?:q|qs|question|thing)\b"
)
# "survived the week from hell lol", "phew, long week": how the week went, not what to talk about
CHIT_CHAT = re.compile(
    r"\b(?:lol|haha+|phew|omg|ugh|survived|from hell|(?:long|mad|crazy|rough|busy) (?:week|day))\b", re.I
)
# "Skip anything about the survey", "leave out the bits on the rota": a notes answer without that subject
SKIP_ABOUT = re.compile(
    r"(?:(?:ok|and|but|pls|please|just)\W+)*(?:skip|leave out|drop|ignore|without|nothing|no|not)\s+"
    r"(?:anything|the (?:stuff|bits?|lines?|parts?)|stuff|bits?|lines?)\s+(?:about|on|re|from)\s+"
    r"(?P<part>[^.?!,;]+)"
)
# "just the date pls", "only the dates": when the notes said it, not what they said
DATES_ONLY = re.compile(
    r"(?:(?:ok|and|so)\W+)*(?:just|only) (?:the )?(?:dates?|days?|when)\b(?: (?:pls|please))?\W*$"
)
# "and who's close to it" after the stalled pairs
CLOSE_TO = re.compile(
    r"\b(?:close to (?:it|that|stall\w*|the limit)|getting close|nearly there|about to stall|(?:at|in) risk|"
    r"next to stall|on the edge|borderline|near(?:ly)? stall\w*)\b"
)
# "Be specific about the first session back", "more specific pls": the advice, for the moment named
MORE_SPECIFIC = re.compile(
    r"(?:(?:ok|okay|can you|could you|pls|please)\W+)*(?:be|get) (?:a bit |more )*specific\b|"
    r"(?:(?:ok|okay)\W+)*more specific(?:ally)?\b"
)
# "no wait capex was right, back to that", "no sorry 50 was right": an earlier value wanted back
WAS_RIGHT = re.compile(
    r"(?:^|[,.;!?]\s*|\b(?:no|wait|sorry|actually|ok)\s+)(?P<what>(?:[\w&+-]+\s){0,2}?[\w&+-]+)\s+"
    r"was (?:right|better|fine|correct|good)(?: after all)?\b"
)
# "can the last bit be 10 min on the expense tool", "can the bit in the middle be on pricing": that part, anew
PART_BE = re.compile(
    r"\b(?:can|could|should)\s+the\s+(?:(?P<which>first|1st|second|2nd|third|3rd|last|final|middle|opening|"
    r"closing)\s+(?:bit|part|slot|section|block|item)|(?:bit|part|slot|section) in the (?P<where>middle))"
    r"\s+be\s+"
    r"(?:\d{1,2}\s*(?:min(?:ute)?s?|m)\s+)?(?:about|on|around|re)\s+(?P<topic>[^,.;!?]+)"
)
# "is a 30 minute session allowed or is that too short": a rule asked about, whatever it mentions
ALLOWED_ASKED = re.compile(
    r"^(?:\w+[,.]?\s+){0,2}?(?:is|are|would|will)\b[^.?!]*\b(?:allowed|permitted)\b"
    r"|^(?:\w+[,.]?\s+){0,2}?(?:can|could|may)\s+(?:the|our|a|this|that|it|we)\b[^.?!]{0,30}\b(?:be\s+)?"
    r"(?:done|held|run|happen)\s+(?:on|over|via|by|in)\s+(?:ms\s+)?(?:teams|zoom|video|the phone|phone|"
    r"person)\b"
)  # "is a 30 minute session allowed", "can the 10th be done on Teams?"
# "what would that process look like", "how does that work", "what happens then": the rule's how, asked on
PROCESS_ASKED = re.compile(
    r"(?:(?:ok|okay|so|and|but|hmm|right|understood)[,.!]?\s+)*"
    r"(?:what(?:'s| is| would| does| will)?\s+(?:that|the|this)\s+(?:process|procedure|steps?)?\s*"
    r"(?:look like|be|involve)|how (?:would|does|do|will|could) (?:that|this|it) (?:work|happen|go)"
    r"|what(?:'s| is| would be) the (?:process|procedure|next step)"
    r"|what happens (?:then|next|after(?:wards)?)"
    r"|(?:does|would|will|is|can) (?:that|it|this|the rule) (?:still )?(?:hold|apply|count|stand|work) "
    r"(?:if|when))\b"
)
# "what was the minimum again", "sorry how long was it again": the rule's answer, recalled
RECALLED = re.compile(
    r"(?:(?:so|ok|okay|wait|sorry|and)[,.]?\s+)*(?:what|how long|how many|how often|who|when)\b[^.?!]{0,40}"
    r"\bagain\b"
)
ASKED_ABOUT_IT = re.compile(
    r"(?:(?:ok|okay|so|and|but|hmm|understood|right|got it|thanks|thank you)[,.!]?\s+)*"
    r"(?:who|where|when|how long|how many|how often|what happens|does|do we|is|are|"
    r"must|(?:can|could|would|will)(?!\s+(?:you|u|ya|it|that|this)\b))\b"
)
# "can the wrap up be shorter", "more time for the check-in", "shorten his bit": one part resized
_OWNED = r"(?:the|his|her|my|their)\s+"
RESIZED = re.compile(
    rf"(?:\b{_OWNED}(?P<part>[\w&'/ -]{{2,40}}?)\s+(?:could |can |should |needs to )?(?:be |go )?"
    r"(?:a (?:bit|little|lot) |much |way )?(?P<how>shorter|longer|quicker|tighter)\b"
    rf"|\b(?P<verb>shorten|trim|cut down|tighten|extend|lengthen)\s+{_OWNED}(?P<part2>[\w&'/ -]{{2,40}}?)"
    r"(?:\s+(?:a bit|a little|a lot|please|pls))*\s*(?:[,.;!?]|$)"
    rf"|\b(?P<amount>more|less)\s+time\s+(?:for|on)\s+(?:{_OWNED})?(?P<part3>[\w&'/ -]{{2,40}}?)"
    r"\s*(?:[,.;!?]|$))"
)
# Parts named by where they sit rather than by their titles: the first and the last.
OPENING_PART = re.compile(
    r"^(?:warm[ -]?up|ice[ -]?breaker|intro(?:duction)?|opening|start|kick[ -]?off|check[ -]?in)$"
)
CLOSING_PART = re.compile(r"^(?:wrap[ -]?up|close|closing|end|ending|sign[ -]?off|actions?|next steps)$")
# Who is to teach, when a request for topics says: "what should I teach him", "topics I could lead
# on" (the asker); "what could he teach me", "what can I learn from her" (the partner).
ASKER_TEACHES = re.compile(
    r"\b(?:i|me)\s+(?:\w+\s+){0,2}?(?:teach|show|lead on|lead|take (?:him|her|them) through|share with)\b"
    r"|\b(?:in|to|for|into|on) my "
    r"(?:half|part|bit|slot|turn|(?:\d+|ten|fifteen|twenty) (?:min(?:ute)?s?|mins))\b"
    r"|\bfrom my side\b|\bgive (?:\w+ )?back\b"
    r"|\b(?:(?:could|can|should|might) i|i (?:could|can|should|might))\s+"
    r"(?:bring|offer|share|cover)\b(?!\s+up\b)"
)
PARTNER_TEACHES = re.compile(
    r"\b(?:he|she|they|\w+)\s+(?:could|can|should|might|would)\s+(?:\w+\s+)?(?:teach|show)\s+me\b"
    r"|\b(?:learn|hear)\s+(?:\w+\s+){0,2}?from\s+(?:him|her|them|\w+)\b|\bfrom (?:his|her|their) side\b"
    r"|\bin (?:his|her|their) (?:half|part|bit|slot)\b"
    # "I would like to use part of it to understand how the graduates see…"; not "I want him to understand"
    r"|\b(?:i|me)\b[^.?!]{0,40}?(?<!\bhim )(?<!\bher )(?<!\bthem )\bto (?:better )?"
    r"(?:understand|learn (?:about|how|what|why)|hear how|get a (?:sense|feel) (?:of|for))\b"
)
# "and if he really cannot share, what other things could he teach me?": topics from the partner's side,
# a request of its own after advice or an answer.
TEACH_ME_ASKED = re.compile(
    r"\bwhat\s+(?:\w+\s+){0,2}?(?:(?:could|can|might|should|would)\s+(?:he|she|they)|"
    r"(?:he|she|they)\s+(?:could|can|might|should|would))\s+(?:\w+\s+)?teach\s+me\b"
)
# A message asked for with what it says: "write to Priya that …", "email him saying …".
WRITE_ASKED = re.compile(
    r"(?:(?:ok|okay|so|and|now|then|pls|please)\W+)*(?:(?:can|could) (?:you|u) )?"
    r"(?:write|draft|email|message|text)\s+"
    r"(?:to\s+)?(?:him|her|them|[a-z]+)\s+(?:for me\s+)?"
    r"(?:an? (?:quick |short )?(?:message|msg|note|line|email|text)\s+)?"
    r"(?:that|saying|to say)\b"
)  # "write to Priya that …", "can you email martin for me that im gonna be late"
# When the pair can meet, asked of their diaries or time zones: "when are we both free", "she's 6 hours
# behind me, what time should we meet". Not a message to write, nor the session already planned.
MEETING_TIMES = re.compile(
    r"\bwhen (?:are|r|can|could|would) we (?:both )?(?:be )?(?:free|available|meet)\b"
    r"|\b(?:what|which) (?:time|times|day|days|slot|slots|hours?)\b(?:\s+\w+){0,3}?\s+"
    r"(?:should|could|can|would|do|might) we (?:both )?(?:meet|do it|have (?:it|our session)|book)\b"
    r"|\b(?:what|which) (?:time|times|day|days|slot|slots)\b.{0,30}\b(?:works?|suits?) (?:for )?(?:us )?"
    r"both\b"
    r"|\b(?:overlap|overlapping|shared|common) (?:time|times|slots?|hours|availability)\b"
    r"|\b(?:when|what (?:day|days|time|times)) (?:would|could|might|will|does|do) (?:it |that )?suit "
    r"(?:us|both)\b"
    r"|\btime ?(?:zones?|difference)\b.{0,60}\b(?:when|what time|which time|best time)\b"
    r"|\b(?:when|what time|which time|best time)\b.{0,60}\btime ?(?:zones?|difference)\b"
    r"|\b(?:hours?|hrs?) (?:ahead|behind)\b.{0,60}\b(?:when|what time|which time|best time)\b"
)
# "she's 6 hours behind me", "I'm two hours ahead of him": how far apart the pair's clocks are now.
HOURS_APART = re.compile(
    r"(?P<me>\b(?:i'?m|i am|we'?re|we are)\s+(?:\w+\s+){0,2}?)?\b(?P<n>an?|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|\d{1,2})\s+(?:hours?|hrs?)\s+(?P<way>ahead|behind)\b"
)
# A request that opens by naming a message: "a nudge about the three-way check-in she wanted", "a quick
# reminder about the survey"; not "a note from last week", "a reminder of what we agreed".
MESSAGE_NAMED = re.compile(
    r"(?:(?:ok|okay|and|so|just|pls|please|then|maybe)\W+)*(?:an?|one|another)\s+"
    r"(?:(?:quick|short|gentle|friendly|little|brief|polite|soft|nice)\s+)?(?:nudge|reminder|note|message|msg|"
    r"email|e-mail|text)\b(?!\s+(?:of|from|in|on what)\b)"
)
# "who leads which part?", "who's doing what": an agenda's parts by who leads them
WHO_LEADS = re.compile(
    r"\bwho(?:'s| is)?\s+(?:leads?|leading|runs?|running|does|doing|takes?|taking|owns?)\s+"
    r"(?:which|what|each|the)\b(?!\s+(?:first|check|wrap|open|\w+ part))"
    r"|\bwhich (?:bits|parts|blocks|sections|items) (?:should|do|will|would) (?:i|we|you|he|she|they) "
    r"(?:lead|run)"
)
# A hello a message opens with ("morning! how's the program doing"), and how near the request after it
# must come to a task for that to be what is asked.
GREETED = re.compile(
    r"^\W*(?:hi+|hey+|hello|hiya|yo|good morning|morning|good afternoon|afternoon|good evening|evening|"
    r"howdy)(?:\s+(?:there|all|again))?\b[\s!.,:;-]*"
)
ASKED_AFTER_HELLO = 0.5
ASKS_NEXT = re.compile(
    r"(?:what|when|where|who|which|how|why|can|could|would|will|did|do|does|is|are|has|have|any|pls|please|"
    r"give|make|draft|write|show|tell|find|remind|now|also|add|put|include|mention|say|take|drop|cut|swap|move|"
    r"shorten|change)\b"
)
# "nice. ok and when's the data due": an acknowledgement, then the next question
ACKNOWLEDGED = re.compile(
    r"^\W*(?:(?:ah+|oh+)\W+)?(?:ok(?:ay)?\W+)?(?:nice|great|cool|perfect|brilliant|lovely|super|ace|sweet|"
    r"got it|noted|sounds good|ok(?:ay)?|good|thanks|thank you|ty|thx|cheers|fair(?: enough)?|makes sense|"
    r"understood|i see|right)[!.,;:]+\s*"
    r"(?:ok(?:ay)?[!.,]*\s+)?(?:and\s+|so\s+|now\s+)?"
)
# "lose one item", "drop one of them": one fewer, whichever fits least
LOSE_ONE = re.compile(
    r"\b(?:lose|drop|cut|remove|skip|ditch|bin|take out|get rid of)\s+(?:one|1|an?)\s+"
    r"(?:item|part|topic|idea|step|bit|thing|block|point|of them|of those|of these)\b"
)
# "add one so theres 4", "throw in another idea": one more item (or as many as said)
ADD_ONE = re.compile(
    r"^(?:(?:ok|and|also|pls|please|can you|could you|maybe|just)\s+)*(?:add|throw in|stick in)\s+"
    r"(?:one|another|1|an extra)(?:\s+(?:more|one|part|item|topic|idea|step|bit|thing))?\b"
    r"(?:.*?\b(?:so (?:there'?s|there are|there is|we have|it'?s)|to make it|making it)\s+(\w+))?"
)
# "put the open floor before the strategy part", "could the check in go first", "end with the
# actions": one agenda part put elsewhere
_WHERE = (
    r"(?P<where>first|last|to the (?:start|top|front|beginning|end|bottom)|at the (?:start|top|beginning|end|"
    r"bottom)|up front|before (?:the )?(?P<before>[^,.;!?]+?)|after (?:the )?(?P<after>[^,.;!?]+?))"
    r"\s*(?:instead|please|pls|then|now)?\s*(?:[,.;!?]|$)"
)
SIDE_WORDS = frozenset(
    "exec execs executive executives mentor mentors his her my mine yours their theirs".split()
)
# "don't mention the phone business", "take out the bit about thursday": a point a draft should not make
# "take the smiley out", "leave the sorry bit out": a part of a draft named, then "out".
UNSAY_OUT = re.compile(
    r"\b(?:take|leave|cut|strip|keep)\s+(?:the|that|this|those|my|his|her)\s+(?P<what>[^.?!;,]+?)\s+out\b"
)
# A first message that asks for something only the asker knows: "can u do the thing for rafael", "the
# usual, for next week", "reset it for kai", "same as last time but for noor".
VAGUE_ASK = re.compile(
    r"^(?:\w+[,!]?\s+)?(?:(?:can|could|pls|please)\s+(?:you|u)?\s*)?(?:do|run|send|make|get|reset|redo|rerun)\s+"
    r"(?:the|that|my|it|me the)\s*(?:thing|usual|same|it\b)|^(?:the\s+)?usual\b|"
    r"^(?:\w+\s+)?(?:reset|redo|rerun|repeat)\s+(?:it|that|this)\b|\bsame as (?:last time|before|usual)\b|"
    r"^\W*(?:(?:and|so|ok|okay)\W+)?(?:what|how) about \w+\W*$"  # "what about noor?" with nothing before
)
# "what wld the shorter format actually look like", "what does that look like in practice": a question.
LOOKS_LIKE = re.compile(
    r"^(?:\w+\s+)?(?:so\s+|and\s+|but\s+)?what\s+(?:would|wld|does|do|could|might|will|should)\s+.{0,60}?"
    r"\blook\s+like\b"
)
# "drop the apology line", "cut the sorry bit": a part of a draft named by what it says.
# "lose the apology, it's a bit much": one word of a drafted message's, named on its own.
UNSAY_WORD = re.compile(
    r"\b(?:leave out|take out|remove|drop|cut|lose|skip|delete|ditch|scrap|bin|get rid of)\s+the\s+"
    r"(?!(?:fluff|waffle|padding|filler|rest|extras?|niceties|pleasantries|chit-?chat)\b)"
    r"(?P<what>[a-z][\w'-]+)(?=\s*(?:$|[,.;!?-]|(?:it'?s|its|pls|please|thing|stuff)\b))"
)
UNSAY_NAMED = re.compile(
    r"\b(?:leave out|take out|remove|drop|cut|lose|skip|delete|ditch|scrap|bin|get rid of)\s+"
    r"(?:the|that|this|my|his|her)\s+(?P<what>[\w'-]+(?:\s+[\w'-]+)?)\s+(?:line|sentence|bit|part)\b"
)
# "something not tech?", "ideas that aren't about AI": other ones, not that subject.
NOT_SUBJECT = re.compile(
    r"\b(?:something|anything|sth|ones?|stuff|topics?|ideas?)\s+(?:that(?:'s| is| are)?\s+)?"
    r"(?:not|non-?|isn'?t|aren'?t|without|other than|away from)\s*(?:about\s+|on\s+)?(?!(?:\d|one|two|three|"
    r"four|five|six|seven|eight|nine|ten)\b)[a-z][\w&+-]*"
)
# "shorter no actually longer", "the 2nd one, sorry i mean the 3rd": a change said, then corrected
CORRECTED = re.compile(
    r"(?P<said>.+?)[,.]?\s+(?:no|nah|sorry|oops)[,.]?\s+"
    r"(?:actually|wait|i mean|make (?:it|that)|rather)[,.]?\s+(?P<meant>\S.*)$"
)
# "i can't make thursday can we do friday", dictated without a stop: a question after the sentence
RUN_ON_QUESTION = re.compile(r"(?<=\w)[,]?\s+(?=(?:can|could|shall|would|should|will) (?:we|you|i)\b)", re.I)
# "topics on the rotterdam shift pattern", "ok 3 topics for thurs": a request headed by what it asks for
TOPICS_HEADED = re.compile(
    r"^(?:(?:ok|okay|so|now|then|and|pls|please|right)\W+)*"
    r"(?:(?:\d|two|three|four|five|some|a few|more|new)\s+)?(?:topics|topic ideas|talking points)\s+"
    r"(?:on|about|for|around|re)\b"
)
# "go back to the rostering ones": the topics on an earlier subject again
BACK_TO_ONES = re.compile(r"\bback to (?:the|those) (?P<topic>[\w&' -]{2,40}?) (?:ones|topics|ideas)\b")
# "pilot feedback needs to be the main thing": the subject of the whole answer.
MAIN_THING = re.compile(
    r"^(?:ok\s+|so\s+|actually\s+)?(?P<topic>[\w&+/' -]+?)\s+(?:needs to|should|has to|must|could|can)\s+"
    r"be\s+the\s+(?:main thing|main focus|focus|theme|main topic|priority|centre|center)\b"
)
# "tbh how the merger decisions got made would be way more useful for me": the subject wanted instead.
MORE_USEFUL = re.compile(
    r"^(?:(?:tbh|honestly|actually|hmm|ok|okay|so|but)\W+)*(?P<topic>[\w&+/' -]{3,60}?)\s+would be\s+"
    r"(?:way |much |a lot |far |a bit |even )?more (?:useful|interesting|helpful|relevant|valuable)\b"
)
# A message that says a short thing and ends with thanks: "I'll ask her. thx".
ENDS_THANKING = re.compile(r"[.!,]\s*(?:thx|thanks|thank you|ty|cheers|ta)[.!]*$")
# How someone was, not a subject: "on his phone", "on her laptop the whole time"
ON_STATE_NOUNS = r"(?:phone|laptop|mobile|emails?|screen|inbox|way|plate|mind|radar|back|case)"
ON_STATE = re.compile(rf"on (?:my|his|her|our|their) {ON_STATE_NOUNS}")
# One item approved, then more asked about it: "2 is fine. flesh it out", "the first one sounds good, more?"
# (which item is for ``reference`` to say, by the lexicon's ordinals)
ITEM_LIKED = re.compile(
    r"(?:(?:ok|okay|yeah|yes|right)[,.]?\s+)?(?P<item>(?:the\s+)?\w+(?:\s+(?:one|idea|topic|step|option|point|"
    r"suggestion))?)\s+(?:is|sounds|looks|seems|'s)"
    r"\s+(?:fine|good|great|ok|okay|best|right|perfect|spot on|the one)\b[.,!;:-]*\s+(?P<rest>.+)$"
)
# A way into a draft offered as a statement: "the electric trucks arriving could be the hook"
ANGLE_SAID = re.compile(
    r"(?!(?:it|that|this|which|what)\b)[\w'&-]+(?:\s+[\w'&-]+){0,8}\s+(?:could|would|might|can)\s+be\s+"
    r"(?:the|a|a good|a nice|our|my)\s+(?:hook|angle|way in|opener|opening|starting point|excuse|reason)"
    r"\s*[.!]*$"
)
# One sentence of a draft taken out by its place: "lose the second sentence", "cut the last line".
SENTENCE_GONE = re.compile(
    r"\b(?:lose|drop|cut|remove|delete|take out|skip|get rid of|bin|ditch|scrap)\s+the\s+"
    r"(first|second|third|fourth|fifth|last|\d(?:st|nd|rd|th))\s+(?:sentence|line)\b"
)
# A draft's greeting in the sender's words: "start it with 'Hi Sam'", "address it to sam".
GREETING_SET = re.compile(
    r"\b(?:(?:start|open|begin)\s+(?:it|the\s+(?:message|email|note|draft|reply)|with)?\s*(?:with\s+)?"
    r"['\"“‘]?(?P<words>(?:hi|hello|hey|dear|good morning|morning|good afternoon)\b[^'\"”’.!,;]{0,40})"
    r"|(?:address|addressed)\s+(?:it\s+)?to\s+(?!(?:the|a|an|my|his|her|their|our|your)\b)(?P<name>[A-Za-z][\w-]*))",
    re.I,
)
UNSAY = re.compile(
    r"\b(?:(?:don'?t|do not|dont|no need to|never|not)\s+"
    r"(?:mention|say(?!\s+sorry\s+(?:twice|so\b|again|too\b))|bring up|talk about|include|go on about)"
    r"(?:\s+anything about)?|"  # not "dont say sorry twice": a tone
    r"(?:leave out|take out|remove|drop|cut|lose|skip|omit|strip out|get rid of)\s+(?:the\s+|any\s+)?"
    r"(?:bit|part|line|sentence|mention|stuff|references?)\s+(?:about|on|re|of|to))\s+(?:the\s+)?(?P<what>[^.?!;]+)"
)
# A part added to an agenda in the user's words: "add 10 mins on the hedging figures", "include time for me
# to go through the figures", "after his bit can we check how the quiet hours went".
_ADDED_WHERE = (
    r"(?:(?P<edge>at the (?:end|start|beginning|top|bottom)(?: of (?:the|it|our) ?(?:agenda|plan|session)?)?|"
    r"first|last|to (?:finish|start|open|close)|up front)|"
    r"(?:right\s+)?(?P<rel>after|before)\s+(?P<part>[^,.;!?]+?))"
)
ADDED = re.compile(
    r"^(?:(?:ok|okay|and|also|oh|pls|please|can you|could you|can u|could u|cd u|cd you|maybe|actually|"
    r"then|so)[,\s]+)*"
    r"(?:(?P<at>" + _ADDED_WHERE.replace("?P<", "?P<a_") + r"),?\s+)?"
    r"(?:(?P<we>(?:can|could|shall) we\s+(?:also\s+)?(?:check|go over|go through|talk about|talk through|"
    r"look at|cover|discuss|do|catch up on|hear about|get to))\s+|"
    r"(?P<add>add|include|put in|squeeze in|fit in|slot in|throw in|make time for|leave time for|"
    r"save time for|(?:put|have)(?=\s+(?:something|a bit|a part|a slot|a quick|a short|some time|a few|"
    r"an? (?:\d{1,2}|five|ten|fifteen|twenty)[- ]?min\w*|(?:\d{1,2}|five|ten|fifteen|twenty)\s*min\w*\s+"
    r"(?:for|on|about)\s+(?!(?:it|that|this|each|every|both)\b))\b)"  # "put 5 min for X at the end"
    r")\s+"
    r"(?:(?:a|an|some)\s+)?(?:quick\s+|short\s+)?"
    r"(?:(?:(?P<n>\d{1,2}|five|ten|fifteen|twenty)\s*(?:more\s+)?(?:min(?:ute)?s?|m)\b|bit|part|slot|section|"
    r"item|chat|check|few minutes|time|minute|moment|something)\s*)?"
    # "add 5 min at the end for X"
    r"(?:(?P<m_edge>at the (?:end|start|beginning|top|bottom)|first|last|up front)\s+)?"
    r"(?:(?:on|about|for|re|to (?:talk about|go over|go through|check|cover|discuss))\s+)?)"
    r"(?P<what>[^,.;!?]+?)(?:,?\s+"
    + _ADDED_WHERE
    + r")?(?:\s+(?:in|to) (?:it|that|this|there|the agenda|the plan))?"
    r"(?:\s+(?:as well|too|also|instead))?(?:\s+(?:lol|pls|please|thx|thanks|ta))?\s*[.!?]*$"
)
# The same said with the part first: "put the dashboard in", "stick a demo in there too".
PUT_IN = re.compile(
    r"^(?:(?:ok|okay|and|also|oh|actually|then|so)[,\s]+)*(?:put|stick|pop|bring|get)\s+"
    r"(?P<what>(?:the|a|an|my|his|her|our|some)\s+[^,.;!?]+?)\s+in(?:\s+(?:there|too|as well|please|pls))*"
    r"\s*(?:[.!]|$)"
)
# The same asked: "can the expense tool walkthrough fit in there too", "is there room for a demo?", "could
# we squeeze in the survey".
FITS_IN = re.compile(
    r"^(?:(?:ok|okay|and|also|so|actually|oh)[,\s]+)*(?:(?:can|could|would|will)\s+(?:the\s+|a\s+|my\s+|his\s+|"
    r"her\s+|our\s+)?(?P<what>[^,.;!?]+?)\s+(?:fit|go|squeeze|slot|get)\s+in(?:to it)?|"
    r"(?:is there (?:room|time|space) for|(?:can|could) (?:we|i|you|u) (?:also )?(?:fit|squeeze|slot) in)"
    r"\s+(?:the\s+|a\s+|my\s+|his\s+|her\s+|our\s+)?(?P<room>[^,.;!?]+?))"
    r"(?:\s+(?:there|here|anywhere|somewhere|as well|too|also))*\s*[?.!]*$"
)
# A notes question asked to get ready for the next session, which is what a brief is for: "before I meet
# Amara, what happened last time and what did I promise?", "I'm seeing Priya on Thursday … a run-down".
UPCOMING = re.compile(
    r"^before (?:the |our |my )?(?:\d{1,2}(?:st|nd|rd|th)\b|next (?:session|meeting|one)\b|"
    r"(?:mon|tues|wednes|thurs|fri)day\b)|"  # "Before the 8th: what is outstanding on my side?"
    r"\b(?:before (?:i|we) (?:meet|see|sit down)|(?:i'?m|im|we'?re) (?:seeing|meeting) (?!about\b)\w+ "
    r"(?:on|tomorrow|tmrw|today|later|this|next|first thing|in)\b|"
    r"(?:i|we) (?:have|'ve got|have got) (?:a|our) (?:session|meeting|catch-?up|1:1) with \w+ "
    r"(?:on|tomorrow|tmrw|today|later|this|next|in)\b|"
    r"before (?:monday|tuesday|wednesday|thursday|friday|tomorrow|tmrw|our (?:next )?(?:session|meeting))\b|"
    r"before (?:the )?\d{1,2}(?:st|nd|rd|th)\b|"  # "Before the 10th with Sofia: what do I owe her?"
    r"ahead of (?:my|our|the) "
    r"(?:session|meeting|catch-?up|1:1))"
    r".{0,200}\b(?:last time|covered|where we (?:are|left)|run-?\s?down|promised?|owe|i said i'?d|agreed|"
    r"outstanding|still open)\b"
)
# An item of the answer pointed at first: "Point two: …", "the 2nd option, …", "we already did the board
# one, the 2nd".
LEAD_ITEM = re.compile(
    r"(?:^(?:ok\W+|thank you\W+|thanks\W+|so\W+|and\W+)?(?:the\s+|your\s+)?"
    r"(?:(?:point|item|idea|option|suggestion|step|topic|part)\s+(?:one|two|three|four|five|\d)|"
    r"(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|#\d)(?:\s+(?:point|item|idea|option|suggestion|step|"
    r"topic|part|one))?)\s*[:,.-]|,\s+the\s+(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)(?:\s+one)?[.!]*$)"
)
# "and a separate note asking…", "and one to marisol", "same vibe but a quick thanks": another message
ANOTHER_MESSAGE = re.compile(
    r"\b(?:another|separate|new|second|one (?:to|for)|note|message|email|invite|invitation|thanks?|reply)\b"
)
# "do we need marisol to sign off…", "is it just between us": a yes-or-no question, not "could you…"
YES_NO = re.compile(
    r"(?:(?:so|and|but|ok|okay)\W+)?(?:do|does|did|is|are|was|were|have|has|should|must)\s+"
    r"(?:we|i|they|he|she|it|you|u)\b"
)
# "sketch the next cycle for me: kick-off, midpoint, close": the cycle's calendar, not who rotates
CYCLE_CALENDAR = re.compile(
    r"\b(?:sketch|calendar|timeline|time-?table|key dates|milestones|kick-?off|lay out|map out)\b"
)
# "starting mid jan", "kick off on 18 january", "from early feb": when a cycle starts
STARTS_ON = re.compile(
    rf"\b(?:(?P<part>early|mid|late|end of|start of|beginning of)[\s-]+|(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+"
    rf"(?:of\s+)?)?(?P<month>{MONTH})\b(?:\s+(?P<day_after>\d{{1,2}})(?:st|nd|rd|th)?\b)?"
)
# "push everything back 2 weeks", "bring it forward a week": the same calendar from another kickoff
SHIFTED = re.compile(
    r"\b(?:push|move|shift|bump|slide|delay|bring|pull)\w*\b.{0,40}?"
    r"\b(?P<n>\d+|a|an|one|two|three|four|six)\s+(?P<unit>weeks?|wks?|days?|months?)\b"
)
# "swap who leads" replaces nothing but is said as a swap; "put my part first" is another order.
SWAP_SAID = re.compile(r"\b(?:swap|switch|flip|reverse|trade)\w*")


def _reordered(lower: str) -> str:
    """The change an agenda's new order is: a swap when said as one, else other."""
    return "swap" if SWAP_SAID.search(lower) else "other"


# After pairing suggestions, a partner wanted from one department ("what about someone from finance instead").
FROM_DEPARTMENT = re.compile(
    r"\b(?:someone|somebody|anyone|anybody|an? (?:exec\w*|mentor|person|partner))\s+(?:from|in)\s+"
    r"(?:the\s+)?(?!(?:other|same|another|outside|their|his|her|my|our)\b)(?P<department>[a-z&]{2,})"
)
# Said before it, the department is kept out instead: "she can't be paired with anyone in finance".
NOT_SAID = re.compile(
    r"\b(?:can'?t|cannot|not|never|no|don'?t|won'?t|shouldn'?t|avoid|leave|exclude|except|without|nobody)\b"
)
# "helen's staying with kai tho", "keep noor with ingrid": a pair the matching keeps
KEPT_TOGETHER = re.compile(
    r"\b(?:stay(?:s|ing)?|stick(?:s|ing)?|carr(?:y|ies|ying) on|continu(?:e|es|ing)) (?:with|together)\b"
    r"|\bkeep(?:ing)? (?:\w+ (?:with|and) \w+|them together)\b(?! apart)"
)
# "add the pulse scores", "the self-ratings in as well": more figures after those shown
FIGURES_ADDED = re.compile(
    r"^\W*(?:(?:ok|okay|and|also|great|nice|thanks|pls|please|can you|could you|can u|could u)\W+)*"
    r"(?:add|include|put in|throw in|plus|with)\b|\b(?:as well|too)\W*$"
)
# "keep the pairs that are working as they are": every current pair kept, bar those split
KEPT_CURRENT = re.compile(
    r"\b(?:keep|leave)\s+(?:all\s+)?(?:the\s+)?(?:other\s+|rest of the\s+|existing\s+|current\s+)?"
    r"(?:pairs|pairings|matches)\b(?!\s+apart)"
)
SELF_CONTAINED = 6  # a follow-up question with this many words of its own is asked on its own
# "a closing bit where we each say one thing we learned": a part said by its place and what it is for
PART_FOR = re.compile(
    r"(?:an?\s+)?(?:(?P<edge>opening|closing|final|last|first)\s+)?(?:bit|part|slot|section|round|segment)\s+"
    r"(?:where|for|on|about|to|in which)\s+(?P<what>\S.*)"
)
# "what if he turns up without it again", "what happens to their notes if I delete the pair": supposed
SUPPOSED = re.compile(
    r"^(?:(?:ok|so|but|and)\W+)?(?:what if|if|even if)\b|\bwhat (?:happens|would happen|will happen)\b"
)
# "has he posted anything since sept?", "is he doing it": how a thing stands, which later notes tell
STATUS_ASKED = re.compile(
    r"\b(?:ever|yet|since|anything|any progress)\b|\b(?:has|have|is|are)\s+(?:he|she|they)\b"
    r"|\bwhat did (?:we|i|he|she|they) (?:decide|agree|say)\b|\bright\?\s*$"  # "…, what did we decide"
)
# "Give me a way to actually get it done before the 10th." after advice: advice on doing it, for that case
WAY_ASKED = re.compile(
    r"^(?:(?:ok|okay|so|right|fine|and|but)\W+)*(?:give me|gimme|i need|what'?s|is there|suggest|any)\s+"
    r"(?:a|one|some|an)\s+(?:(?:practical|concrete|simple|realistic|good|easy)\s+)?"
    r"(?:way|plan|trick|method|approach|system)s?\s+(?:to|for|of)\b"
)
# "and the linkedin one, has he posted yet?": an item named by its subject, then asked about
NAMED_LEAD = re.compile(
    r"^(?:(?:ok|so|and|oh|also|right)\W+)*the\s+(?P<subject>[\w&+/'-]+(?:\s+[\w&+/'-]+){0,2})\s+"
    r"(?:one|thing|bit|point|item|action|topic|idea|step|part)\s*[,:-]"
)
# "she's not big on the ai stuff rn", "hes kind of over the whole tools thing": other ideas, not that subject
NOT_INTO = re.compile(
    r"\b(?:not (?:big on|into|keen on|a fan of|fussed about)|(?:kind of |kinda |a bit )?over the whole|"
    r"(?:sick|tired) of (?:the|all)|had enough of|"
    r"old news|no longer (?:relevant|needed|an issue)|(?:is|are) moot)\b"  # "anything on that is old news"
)
# "Nothing on notifications, that's sorted now", "no more on the rota tool": that subject left out
NOTHING_ON = re.compile(
    r"^(?:(?:and|ok|so|but|also)\W+)?(?:nothing|no more|none) (?:on|about) (?:the\s+)?(?P<what>[^,.;!?]+?)"
    r"(?:\s+(?:pls|please|this time|for now|now))?\s*(?:[,.;!-]|$)"
)
# "3 more detail": more on the third item
MORE_ON_ITEM = re.compile(r"(?:(?:and|ok|so)\W+)?(\d)\s+(?:in\s+)?more (?:detail|details|depth|info)\b")
# "Separately: …", "unrelated, but…", "different question:": a new request, not a follow-up.
NEW_SUBJECT = re.compile(
    r"^(?:ok\W+|ah\W+|also\W+|and\W+)?(?:separately|unrelated|(?:a |one )?(?:different|new|other|another|"
    r"separate|unrelated) (?:question|thing|topic|matter|q)|side (?:q|question|note)|quick (?:q|question),|"
    r"on (?:another|a different|an unrelated) note|changing the subject|change of subject|while i have you)\b"
)
# "has anything changed since then", "anything new since that session": the notes after those shown.
SINCE_THEN = re.compile(
    r"\bsince(?: (?:then|that(?: session| note| one| meeting)?|(?:early |mid |late )?(?P<month>"
    + MONTH
    + r"))\b)|\b(?:anything|new|news|happened|updates?|changed)(?: \w+)? since\s*[?.!]*$"  # "anything since?"
)
# "Session with Sofia on 10 Dec. Quick rundown please": a session ahead and a recap asked for, a brief.
SESSION_AHEAD = re.compile(
    r"^(?:\w+\s+)?(?:session|meeting|catch-?up|1:1) with \w+ (?:on|tomorrow|tmrw|today|later|this|next|in)\b"
    r".{0,120}\b(?:run-?\s?down|recap|refresher|catch me up|brief me|fill me in)\b"
)
# Only the asker's own actions kept: "only mine pls", "leave kai's items off, I only need mine"
MINE = re.compile(
    r"\b(?:only|just)\s+(?:(?:need|want|show|give me)\s+)?"
    r"(?:mine|my (?:own )?(?:ones|actions|items|bits|stuff|tasks))\b"
    r"|\b(?:leave out|drop|skip|without|not) (?:the ones (?:that are )?)?"
    r"(?:his|hers|theirs|[a-z]+'s)(?: ones)?[.!]*$"  # "Leave out the ones that are Kai's."
)
RANKED = ("topics", "coach")  # answers whose items come best first ("which would you pick?")
ABOUT_ASKED = re.compile(r"\b(?:about|on|regarding|re)\b")  # a subject of its own: a new question
# An answer said to be wrong: "that's not right, we met last week", "no that's out of date"
_LEAD = r"^\W*(?:(?:no|nope|nah|hmm+|hm|um+|erm|actually|wait|sorry|but)\W+)*"
_IT_IS = r"(?:(?:that|this|it)(?:'?s| is| was)|you'?re|ur|you are)"
DISPUTED = re.compile(
    rf"{_LEAD}(?:{_IT_IS} (?:not|no longer) |(?:that|this|it) (?:isn'?t|wasn'?t) )"
    r"(?:quite |really |exactly |entirely |totally )?(?:right|true|correct|accurate|up to date)\b"
    rf"|{_LEAD}{_IT_IS} (?:quite |totally |completely |a bit |way |all )?"
    r"(?:wrong|incorrect|out of date|outdated|mistaken|off|inaccurate|too rosy|too optimistic)\b"
    rf"|{_LEAD}(?:that|this|it)(?: one)? should (?:be|say|read) [\w-]+(?: [\w-]+)?,? not [\w-]+"  # "1 not 0"
)
# Two items set against each other: "the 2nd or 3rd, which is better", "the difference between 1 and 4"
# "and can martin see everything in this recap": who may read what was shown
SEES_IT = re.compile(
    r"\W*(?:(?:and|but|so|also|btw|ok|okay|wait)\W+)*(?:can|could|does|do|will|would) (?P<who>\w+|my \w+) "
    r"(?:see|read|get to see|have access to|access)\b"
)
# "u have it as open", "you said it was done": the answer's own line, questioned
TOLD_AS = re.compile(r"\b(?:you|u) (?:have|had|got|put|listed|said|say|wrote|marked)\b")
# "you left out the rocky start in april": something the answer could have said
LEFT_OUT = re.compile(
    r"\W*(?:(?:but|and|hmm+|also|oh|wait)\W+)*(?:you|u) (?:left out|missed|skipped|forgot(?: about)?|"
    r"didn'?t (?:mention|include))\b"
)
ITEMS_COMPARED = re.compile(
    r"\b(?:better|best|pick|choose|prefer|go with|differen\w*|differ|diff|compare|compared|vs|versus|"
    r"or the|which|healthier|riskier|safer|stronger|weaker|easier|harder|cheaper|worse|more useful|"
    r"more urgent|more at risk)\b"
)
DIFFERENCE = re.compile(r"\b(?:differen\w*|differ|diff|compare|compared)\b")
WHO = frozenset("i me he she him we they".split())  # "can she go first": a side, for the order rule
MOVE_FILLER = frozenset("part bit piece slot section item one thing block segment".split())
MOVE = re.compile(
    r"(?:\b(?:move|put|have|do|bring|shift|stick|slot|schedule)\s+(?:the\s+)?(?P<part>[^,.;!?]+?)\s+"
    + _WHERE
    + r"|\b(?:could|can|should|would|shall)\s+(?:we\s+(?:do|have|put)\s+)?(?:the\s+)?(?P<part2>[^,.;!?]+?)\s+"
    r"(?:come|go|be|happen|sit)\s+"
    + _WHERE.replace("?P<", "?P<x_")
    + r"|\b(?P<edge>start|open|kick off|begin|end|finish|close|wrap up)\s+with\s+(?:the\s+)?"
    r"(?P<part3>[^,.;!?]+?)\s*(?:instead|please|pls|then|now)?\s*(?:[,.;!?]|$))"
)
# "he has something at 9 now and we start 8:30", "she's got a hard stop at 2.40": when the session
# must end (and start, when said), as clock times
CLOCK = r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?"
ENDS_AT = re.compile(
    r"\b(?:something|a meeting|another meeting|a call|a hard stop|hard stop|(?:has|have|needs?) to "
    r"(?:leave|go|be out|drop off)|must leave|leaves|leaving|out|gone|stop|finish|done|off)\b[^.?!]{0,25}?"
    rf"\b(?:at|by)\s+{CLOCK}\b|\b(?:until|till|til)\s+{CLOCK}\b"
)
STARTS_AT = re.compile(rf"\b(?:start|starts|starting|begin|begins|kick off)\s+(?:at\s+)?{CLOCK}\b")
# "write a quick thank you to martin for the intro to lena's team": what the thanks are for
THANKS_FOR = re.compile(
    r"\bthank(?:s| you)\b(?:\s+(?:note|message|msg|email|card))?(?:\s+to\s+\w+)?\s+(for\s+.+)", re.I
)
HALF = re.compile(  # not "he moved a call into the 2nd half of it": a part of the session, not its length
    r"(?<!forgotten )(?<!forgot )(?<!missed )(?<!first )(?<!second )(?<!1st )(?<!2nd )(?<!last )"
    r"\bhalf (?:of it|of that|as long|the time|that)\b"
)
# "The consent point. How formal does that need to be?": an item of the answer named, then asked about
ITEM_THEN_QUESTION = re.compile(
    r"^(?:and |so |ok |but |re:? |going back to |back to )?(?:the|your|ur|that)\s+(?:[\w&+/'-]+\s+){1,4}?"
    r"(?:point|bit|part|idea|step|one|suggestion|rule|section|tip|thing|plan|piece|option|route|approach)"
    r"(?:\s+(?:about|abt|on|re)\s+[^,.?!]+)?"
    r"(?:\s+(?:there|(?:you|u) (?:said|mentioned|suggested|gave|made|found|pulled up)"
    r"(?: (?:at the start|earlier|before))?|from (?:before|earlier)|earlier))?\s*[,.:;-]\s*(?=\S)"
)
YOU_SAID = re.compile(
    r"^(?:and |so |ok |but )?(?:you said|u said|you mentioned|what do you mean|what did you mean)\b"
)
# "can u quote the actual bit", "the exact wording": the passage itself; not "if I quote something from…"
QUOTE_ASKED = re.compile(
    r"\b(?:can|could|pls|please|just) (?:you |u )?quote\b|^\W*quote\b"
    r"|\bquote (?:the (?:actual|exact)|it|that)\b|\b(?:exact|actual) (?:wording|words|text)\b"
    r"|\bword for word\b|\bverbatim\b|\b(?:want|need|see|get) (?:the|its|their) (?:wording|words)\b"
)
# The verdict of a rule answer asked for: "so is that a yes or a no", "so the guidelines just dont cover it?"
# ("just yes or no" is the answer's one answering sentence, a shorter answer.)
VERDICT_ASKED = re.compile(
    r"\ba yes or a no\b|\bis (?:that|it) a (?:yes|no)\b|^(?:so|ok so)\W+(?:yes|no)\W*$"
    r"|^(?:so|ok so|wait so)\b.{0,30}\b(?:don'?t|dont|do not|doesn'?t|doesnt|never) (?:cover|say|mention)\b"
    r"|^(?:so|ok so|wait so)\b.{0,20}\bnot (?:in|covered by|covered in) the (?:guidelines|rules|handbook)\b"
)
# "a line each is too thin", "more depth": what was short, judged so
TOO_THIN = re.compile(
    r"\b(?:is|are|was|feels?|seems?) too (?:thin|short|brief|little|sparse|light)\b|\bmore depth\b"
)
# "Not the pricing one.", "not the profile one, we did that": that item, replaced
NOT_THE_ONE = re.compile(r"^\W*(?:(?:no|nah|hmm)\W+)?not the (?P<what>[\w &'-]{2,30}?) one\b")
# "she's nervous abt linkedin so maybe not that one either": the item on what was just named
NOT_THAT_ONE = re.compile(
    r"(?:,\s*|\s+)(?:so|then|and)?\s*(?:maybe|probably|definitely)?\s*not that one"
    r"(?:\s+(?:either|too|then|pls|please))?\W*$"
)
# "ok draft a one-liner to gareth": a message asked for, not a change of the answer just given
DRAFT_TO = re.compile(
    r"\b(?:draft|write)\s+(?:\w+\s+){0,3}?(?:note|message|msg|email|one-?liner|line|reply|text|check-?in|nudge|"
    r"reminder|invite|invitation)\s+"
    r"(?:to|for)\s+(?!(?:me|myself)\b)[a-z]+"
    r"|\b(?:lines?|sentences?|something|words|a message|a msg|a note|a text) (?:i|we) (?:can|could) "
    r"(?:send|text|forward|drop) (?:him|her|them)\b"  # "give me like 2 lines i can send her"
)
# "The fixed slot idea: I've tried it.": a step that has not worked, to be replaced
TRIED = re.compile(
    r"\b(?:tried (?:it|that|this)|(?:did|does|do|will|would)(?:n'?t| not) work|won'?t work|no good|"
    r"not an option|not possible|can'?t do (?:it|that))\b"
)
# "put that in a slack message instead": the same message, for a chat app
CHAT_MEDIUM = re.compile(
    r"\b(?:in|into|as) an? (?:slack|teams|whatsapp|text|sms|chat|dm)(?: message| msg)?\b"
)
# "how many times have we met", "how many sessions did we have": the pair's own, not a rule
OUR_COUNT = re.compile(r"\bhow many (?:times|sessions) (?:have|did) (?:we|i) (?:met|meet|had|have)\b")
# "is that one his to do or mine", "whose is that": the owner of the item just shown
WHOSE_IS = re.compile(
    r"^(?:(?:so|and|wait|ok|hang on)\W+)*(?:is|was) (?:that|this|it)(?: one)? (?:on |for )?"
    r"(?:his|hers|her|him|mine|me|them|theirs|yours)\b|\bwhose (?:is|was|job is) (?:that|this|it)\b"
)
# "what criteria are u using", "how did you pick them": how a matching was made
HOW_CHOSEN = re.compile(
    r"\bcriteria\b|\bhow (?:do|did|are) (?:you|u) (?:pick|choos|match|decid|rank)\w*|\bon what basis\b"
    r"|\bbased on what\b"
)
# "is that the only one?", "are those the only notes": whether there are more
ONLY_ONE = re.compile(
    r"^(?:(?:so|and|wait|ok)\W+)*(?:is|was) (?:that|this|it) (?:the )?only (?:one|note|thing|time|mention)\b"
    r"|^(?:(?:so|and|wait|ok)\W+)*(?:are|were) (?:those|these|they) the only\b|^any (?:others|more)\W*$"
)
# "so 30 is the floor? u said 30 to 60", "does that count? that's what u said right": the answer questioned
SAID_ASKED = re.compile(r"\b(?:you|u) (?:said|mentioned|suggested|told me)\b")
POINT_N = re.compile(r"^(?:point|rule|bit|part|#)\s*\d\b")  # "point 3 - is there more on that?"
ANSWER_PART = re.compile(
    r"\b(?:your|that|the)\s+\w+\s+(?:point|rule|bit|part|thing)\b|\b(?:an?|another) example\b"
    r"|^(?:\d(?:st|nd|rd|th)|first|second|third|fourth|fifth|last)\s+(?:point|rule|bit|part|thing|paragraph)\b"
)
# "swap the exec and mentor bits", "swap the two parts round": the agenda's two parts, not one of them.
BOTH_PARTS = re.compile(
    r"\b(?:swap|switch|flip|reverse)\b.*(?:\b(?:two|both) (?:parts|bits|halves|slots|sections)\b|"
    r"\bexec\w*\b.{0,20}\bmentor\b|\bmentor\b.{0,20}\bexec\w*|\border\b|\b(?:a)?round\b)"
)
# "take the completed actions out": a part of the answer left out.
TAKE_OUT = re.compile(  # "take the linkedin bit out", "leave LinkedIn out"
    r"\b(?:take|leave|cut|strip)\s+(?:(?:the|that|those|this|these|my|his|her)\s+)?"
    r"(?!(?:it|them|that|this|those|these|him|her|me|us)\b)(?P<part>[\w\s'-]{1,40}?)\s+out\b"
)
# "no icebreaker, he'll be short on time": an agenda's part not wanted
NO_PART = re.compile(
    r"(?:(?:ok|okay|hmm|and|actually|also|oh)[,.]?\s+)*no (?:more |need for (?:an? |the )?)?"
    r"(?P<part>[a-z][\w-]*(?: (?!pls|please|needed|thanks|this)[a-z][\w-]*)?)"
    r"(?=[,.;!]|\s+(?:pls|please|needed|thanks|this time)\b|$)"
)
# "lean into the reforecast", "so lean into that", "retention generally": the subject for the whole answer
LEAN_INTO = re.compile(
    r"\b(?:lean (?:more )?(?:into|in on|on)|play up|double down on|lean towards?)\s+(?P<topic>[^.?!,;]+)"
    r"|(?:^|[.!?]\s+)(?P<topic2>[a-z][\w&+-]*(?: [a-z][\w&+-]*){0,2}) (?:more )?(?:generally|in general|"
    r"more broadly|as a whole)\W*$"
)
# "give me that as a paragraph for the board", "one para for the report": running sentences, not a list
PARAGRAPH = re.compile(
    r"\b(?:as|in|into)\s+(?:a|one)\s+(?:short\s+|single\s+)?para(?:graph)?\b|^(?:ok\W+)?one para(?:graph)?\b|"
    r"\b(?:as|in) (?:prose|running text|full sentences)\b"
)
# "and with names", "put the names back": program health named again after an anonymous version
NAMES_BACK = re.compile(
    r"\b(?:with (?:the )?names|names? back|named|(?:who|which pairs?) (?:they are|it is))\b"
)
# "The graduates raised hybrid work again. I would prefer that.": the subject of the sentence before
PREFER_THAT = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:ok|so|then)[,\s]+)?(?:i(?:'d| would)\s+(?:much\s+|really\s+)?(?:prefer|rather)"
    r"(?:\s+(?:have|do|go with))?\s+that|(?:let'?s|can we|could we)\s+(?:do|go with|focus on)\s+that|"
    r"(?:do|go with)?\s*that instead)(?:\s+(?:one|instead|please|pls))*\W*$"
)
# An item named by what it says, then a break: "the bit about a shorter slot – would she go for that"
NAMING_HEAD = re.compile(
    r"^(?:(?:ok|and|so|hmm)\W+)?(?:the|that|your|ur)\s+(?:bit|one|idea|part|point|suggestion|thing|step)\s+"
    r"(?:about|on|with|re)\s+[^,;:–-]+?\s*[,;:–-]\s"
)
STAFF_SWAP_MARGIN = 0.3  # how far ahead a notes question may be and still be a staff member's figures
# Said of an open action after a brief: "I checked the hedging figures last week.", "The LinkedIn post: I
# published it yesterday.", "i already collected the driver feedback btw"
DONE_IT = re.compile(
    r"\b(?:i|we|i've|we've|i have|we have|she|he|she's|he's)\s+(?:already\s+|just\s+|finally\s+)?(?:did|done|"
    r"checked|published|posted|sent|collected|finished|booked|wrote|written|shared|prepared|completed|sorted|"
    r"emailed|read|gave|given|ran|run|presented|submitted|updated|fixed)\b|"
    r"\b(?:is|are|'s|was|were)\s+(?:already\s+|now\s+|all\s+)?(?:done|sorted|finished|complete|completed|"
    r"published|sent|booked)\b|:\s*done\b"
)
# "so 'remind him' isnt gonna cut it", "that won't fly": the answer falls short, other ideas
NOT_ENOUGH = re.compile(
    r"\b(?:is ?n'?t|isnt|not|won'?t|wont|doesn'?t|doesnt|does not|will not|ain'?t)\s+"
    r"(?:gonna |going to |really |quite |exactly )?(?:cut it|fly|wash|be enough|do it)\b(?!\s*\?)"
)
# "he's knee deep in the iberia integration so maybe stuff linked to that": the subject said before
LINKED_TO_THAT = re.compile(
    r"\b(?:stuff|something|things|ones?|topics?|ideas?|anything)\s+(?:linked to|tied to|related to|around|"
    r"about|on|connected to|to do with)\s+(?P<topic>that|this|it)\W*$"
)
# "expand 1", "more on #2", "tell me about 3": that item, not how many
EXPAND_NUMBER = re.compile(
    r"\b(?:expand|explain|elaborate|unpack|(?:more|tell me|talk) (?:on|about)|go into)\s+(?:on\s+)?"
    r"(?:#|no\.?\s*|number\s+|point\s+|item\s+)?$"
)
# "one" as a pronoun, not a number: "that one", "nice one", "the AI one", "the other one"
PRONOUN_ONE = re.compile(
    r"\b(?!(?:just|only|to|do|me|it|maybe|say|like|down|at|of|with|for|give)\s+$)[a-z']+\s+$"
)
NEGATED = re.compile(
    r"\b(?:won'?t|wont|not|don'?t|dont|never|can'?t)\s+(?:do|want|need|manage|read|handle)?\s*$", re.I
)
# A request's verb and its object: "we're doing the budget", "I'd like to cover the reforecast",
# "the theme is hybrid work", "where we look at power bi". Read after the prepositions ("about X").
VERB_FOCUS = re.compile(
    r"\b(?:(?:we're|we are|we'll be|we will be|i'm|i am)\s+(?:doing|covering|tackling|prepping)|"
    r"(?:(?:like|want|wants|need|needs|have|going|plan|planning|hoping)(?: (?:him|her|them|[a-z]+))? to|"
    r"wanna) (?:cover|discuss|tackle|"
    r"look at|go over|go through|work on|talk through|prep for|prepare for|get through|do|practi[sc]e|try|"
    r"run|walk through|demo|present|rehearse)|"
    r"(?:we|i|he|she|they) (?:look|looks|go|goes|work|works|dig|digs) (?:at|over|through|on|into)|"
    r"(?:he|she|they) (?:is|'s|are|'re) (?:after|interested in|keen on|curious about)|"
    r"(?:we're|we are|i'm|i am|he's|he is|she's|she is|they're) (?:looking at|going (?:through|over)|"
    r"working on|digging into|focusing on|getting into)|"
    r"so (?:he|she|they|i|we) (?:can|could) (?:learn|try|use|understand|get to grips with|see)|"
    r"(?:the\s+)?(?:theme|topic|subject|focus|main thing|main topic)"
    r"(?:\s+(?:is|will be|should be|being)|\s*[=:])|"
    r"(?:we'll|we will|we're going to|we are going to|let's|lets|we want to|we'd like to)\s+"
    r"(?:talk through|go through|go over|discuss|cover|review|tackle|look at)|discussing|"
    r"re:|teach (?:him|her|them|martin|helen)\s+(?:about\s+)?|show (?:him|her|them) (?:how to use\s+)?|"
    # "take Priya through X", "go thru capital allocation"
    r"(?:take|taking|walk|walking|talk|talking|run|running|go|going)\s+(?:\w+\s+)?(?:through|thru)|"
    r"show(?:ing)?\s+\w+\s+how|"  # "i'll show her how we use power bi"
    r"(?:thinking of|thinking about|planning on|keen on|fancy)\s+(?:doing|covering|running)|"
    r"\b(?:half|part|bit|slot|section)\s+(?:should be|could be|will be|is|on|about|=)"
    r"(?:\s+(?:on|about))?)\s*",
    re.I,
)
# "and if that doesn't work?", "what if he still cancels": the advice given did not settle it.
STILL_STUCK = re.compile(
    r"\b(?:doesn'?t|does not|didn'?t|did not|won'?t|isn'?t|not) (?:work|help|change|fix)|\bfails?\b|"
    r"\bno luck\b|\bstill\b|\bagain\b|\bkeeps? (?:on|doing)\b"
)
# A new question after an answer ("is it ok if...", "how do i raise it"), not "why is that?".
MORE_QUESTION = re.compile(
    r"^(?:\w+[,.]?\s+){0,2}?(?:is it|can i|can we|should i|do i|how do i|how can i|how would i|what if)\b"
)
# "just the headline numbers": the figures, shorter, not one of the answer's items.
# The whole message asks for the figures alone: "numbers only", "just the headline figures pls".
FIGURES_ALONE = re.compile(
    r"(?:just\s+)?(?:the\s+)?(?:headline\s+)?(?:numbers|figures|stats|totals)(?:\s+only)?"
    r"(?:\s+(?:pls|please))?[.!?]*$"
)
FIGURES_ONLY = re.compile(
    r"\b(?:headline|numbers?|figures?|summary|gist|stats|bottom line|short|averages?|totals?|overall)\b"
)
# "one more idea", "two more", "add another (one)": that many on top of the answer's items.
MORE_ITEMS = re.compile(
    r"\b(?:(?P<n>one|two|three|\d|a couple|a few)\s+more\b"
    r"(?!\s+(?:time|go|thing|question|min|line|sentence|word|detail|bullet)\w*\b)|"  # "a couple more lines"
    r"add\s+(?:(?P<m>one|two|three|\d)|another)\b(?!\s*(?:min|hour|h\b))(?!.*\bso\s+there)|another one\b)"
)
# "anything more about the first one", "any more on #2": that item, in more depth (not other ones).
MORE_ON = re.compile(r"\b(?:anything|something|any|a bit|a little)\s+more\s+(?:about|on|re|regarding|for)\b")
ITEMS_TOTAL = re.compile(r"\bso (?:there(?:'s| are| is|s)|we have|i have|it's|its)\s+(\d{1,2})\b")
# A length that is one part's ("his 15 min supplier bit", "five minutes at the end for actions"), not the
# session's, when the message also gives another.
PART_LENGTH = re.compile(
    r"(?<=his )|(?<=her )|(?<=my )|(?<=our )|"  # "50 mins, his 15 min first": whose part, then its length
    r"(?:[\w-]+\s+){0,2}?(?:min(?:ute)?s?|m|hours?|hrs?|h)\b\s*(?:\w+\s+){0,2}?"
    r"(?:bit|slot|part|block|section|segment|piece|chunk|check-?in|intro|wrap(?:-?up)?|break)s?\b|"
    r"(?:[\w-]+\s+){0,2}?(?:min(?:ute)?s?|m|hours?|hrs?|h)\b\s*(?:of\s+\w+\s+)?"
    r"(?:at the (?:end|start|beginning)|to (?:start|finish|close|open|wrap)|"
    r"for (?:actions|questions|q&a|intros))|"
    r"(?:[\w-]+\s+){0,2}?(?:min(?:ute)?s?|m)\b(?:\s+[\w&'-]+){0,5}?\s+(?:goes|go|comes|come|is|are) first",
    re.I,
)
# "put the budget part first", "move the AI demo to the start": an agenda's parts reordered (not
# "something got put in before": booked ahead of the session).
MOVED_FIRST = re.compile(
    r"\b(?:put|move|have|do|bring|switch)\s+(?:the\s+|his\s+|her\s+|my\s+)?(?!in\b)[\w&+/' -]{1,40}?\s+"
    r"(?:first|to the (?:start|top|front|beginning)|up front|earlier|before)\b"
)
# "add 10 mins", "15 more minutes", "take 10 off": a change of length, not a length.
MORE_MINUTES = re.compile(
    r"\b(?:add|another|extra|plus)\s+(\d{1,3})\s*(?:more\s+)?min|\b(\d{1,3})\s*(?:more|extra)\s+min"
)
LESS_MINUTES = re.compile(
    r"\b(?:take|knock|cut|lost|lose|losing)\s+(?:off\s+)?(\d{1,3})\s*min\w*(?:\s+off)?|"
    r"\b(\d{1,3})\s*(?:fewer|less)\s+min"
)
# A message sent before it was finished, the rest to follow: "can you", "can u write", "what do you",
# "i need" (not "can you help?", a question whole, nor "how are you").
CUT_OFF = re.compile(
    r"^\W*(?:(?:hey|hi|ok|okay|so|and|also|um|hmm|oh|sorry)\W+)*(?:"
    r"(?:can|could|would) (?:you|u|ya)(?: (?:please|pls|plz|just|quickly|also|maybe))?"
    r"(?: (?:write|draft|make|give|tell|send|show|find|check|look|suggest|remind|explain|put|pull))?"
    r"|(?:what|how|where|when|who|which|why) (?:do|does|did|can|should|would|could) (?:you|u|i|we)"
    r"|i (?:need|want|wanted|would like|'?d like)(?: (?:you )?to)?"
    r"|(?:give|tell|show|send|remind) me"
    r"|(?:please|pls|plz) (?:write|draft|make|give|send|show|find)"
    r")\W*$",
    re.I,
)
# The part of a long message that asks for something.
REQUEST = re.compile(
    r"\b(?:could|can|would) (?:you|u)\b|\b(?:give|suggest|need|want) (?:me|some|a few|ideas)\b|"
    r"\bwhat (?:should|could|shall|do) (?:we|i)\b|\bany (?:ideas|thoughts|suggestions)\b|\?",
    re.I,
)
# Thanks for something past, told with no request: "thx for the help before the session yesterday btw,
# it went really well" (not "thanks for the brief, now an agenda pls").
THANKED_FOR = re.compile(
    r"^(?:(?:ok|okay|oh|and|also|btw)[,.]?\s+)*(?:thanks|thank you|thank u|thankyou|thx|ty|cheers|ta)"
    r"(?:\s+(?:so much|a lot|again|loads))?\s+(?:for|4)\b"
    r"(?!.*\b(?:now|next|also|pls|please|can|could|what|how|when|where|which|who|why|but)\b)"
)
# A short remark that ends in thanks: "typical 😂 ty", "great stuff thanks" (not a request: REQUEST).
THANKS_LAST = re.compile(
    r"^\W*(?:(?:typical|haha|lol|legend|ace|sweet|great|perfect|lovely|nice|cool|brilliant|amazing|awesome|"
    r"ok|okay|good|stuff|that|works|helps|helped|no)\W+){0,3}"
    r"(?:ty|tysm|thx|thanks|thank you|thank u|cheers|ta)\W*$"
)
# A subject set aside: "(that) aren't the ai stuff", "other than pricing", "apart from the budget".
NOT_THIS = re.compile(
    r"\b(?:that |which )?(?:aren'?t|isn'?t|are not|is not|not|except|other than|apart from|besides)\s+"
    r"(?:the\s+|about\s+(?:the\s+)?)?[\w&+-]+(?:\s+(?:stuff|things|side|bit|one|topics?))?",
    re.I,
)
# "keep it to 30 min", "we've only got 20 minutes": the length of the session being planned.
SESSION_LENGTH = re.compile(
    r"\b(?:keep (?:it|things|us) (?:to|under|within)|limit (?:it )?to|we (?:only )?have|we've (?:only )?got|"
    r"we (?:only )?get|only got|in (?:just |only )?(?=\d+\s*min))",
    re.I,
)
# "which topics have we already done?": what the notes hold, not new topics ("ones we haven't done" are)
ALREADY_DONE = re.compile(
    r"\b(?:have|did) we (?:already |ever )?(?:done|covered|had|discussed|talked about|gone over)\b"
    r"|\b(?:done|covered|had|discussed) (?:so far|already|to date)\b"
)
# Said of an answer's items, "we covered all that back in may", "we did X to death", "it didn't stick"
# ask for other ones (a statement; "did we cover that?" is a question for the notes).
# What a session note says someone said or wrote: "what exactly did i write last time", "what did he promise"
WROTE_ASKED = re.compile(
    r"\bwhat (?:exactly |precisely |actually )?(?:did|have|had) (?:i|he|she|we|they|you) "
    r"(?:(?:say|said) (?:i|he|she|we|they)(?:'d| would| will|'ll) do|say|said|write|wrote|written|"
    r"agree|agreed|promise|promised|note|noted|commit|committed)"
    r"(?: to)?\b(?:\s+(?:last time|last session|then))?"
)
# "Make it clear this is about my workload, not about her.": a point the message says
MAKE_CLEAR = re.compile(
    r"\bmake (?:it |sure it'?s? )?(?:clear|explicit|obvious) (?:that |to (?:him|her|them) )?", re.I
)
# "between mentors and execs", "by role", "mentors vs executives": each side's figures
BY_ROLE = re.compile(
    r"\bby (?:role|side)\b|\b(?:mentors?|execs?|executives?)\s+(?:and|vs\.?|versus|compared (?:to|with)|or)"
    r"\s+(?:the\s+)?(?:mentors?|execs?|executives?)\b"
)
# "need an honest one liner for the exec committee", "in a sentence": the answer in running words, short
ONE_LINER = re.compile(r"\b(?:one|1|a)[- ]?liner\b|\bin (?:one|a|1) (?:line|sentence)\b|\bone sentence\b")
# After a number, things counted that are not an answer's items: "only one move last month"
NOT_ITEMS = r"\s+(?:moves?|cancell?ations?|times?|weeks?|months?|days?|posts?|hours?)\b"
# A topic named to be replaced: "swap the linkedin one", "lose the AI idea"
SWAP_NAMED = re.compile(
    r"\W*(?:(?:ok|okay|so|and|pls|please|can you|could you)\W+)*(?:swap|replace|change|drop|lose|"
    r"cut|ditch|bin|remove|scrap)\s+(?:out\s+)?the\s+(?P<what>(?!(?:first|second|third|fourth|fifth|last|final|middle|other|"
    r"next)\b)[\w&+-]+(?:\s+[\w&+-]+)?)\s+(?:one|idea|topic)\b(?!\s+(?:with|for|by|to)\b)"
)  # not "replace the budget idea with an AI one": what takes its place is said
# An item named by a word of its title: "in the reforecast part", "for the hands-on bit"
IN_THE_PART = re.compile(
    r"\b(?:in|for|during|at|of)\s+(?:the|that|my|his|her)\s+"
    r"(?!(?:first|second|third|fourth|last|final|middle|next|other|opening|closing)\b)[\w-]+(?:\s+[\w-]+)?\s+"
    r"(?:part|bit|section|block|slot)\b"
)
# A sentence about the asker before the question: "Good morning.", "I have the form in front of me."
PREAMBLE = re.compile(
    r"(?:good (?:morning|afternoon|evening)|hi|hello|hey|morning|i (?:have|am|had|was)|"
    r"(?:just )?(?:got )?back from|i'm|i've|i'd|i'll)\b",
    re.I,
)
# Whether something happened, asked of the pair: "has she sent the proposal for the shorter format?"
HAPPENED_ASKED = re.compile(
    r"(?:(?:and|so|ok|okay|but|also|wait)\W+)*(?:has|have|did|had)\s+(?:she|he|they|i|we|[a-z]+)\s+"
    r"(?:ever\s+|already\s+|actually\s+|yet\s+|even\s+|finally\s+)?"
    r"(?:sent|send|done|do|made|make|written|write|shared|share|posted|post|read|seen|see|booked|book|"
    r"started|start|finished|finish|taken|take|checked|check|tried|try|given|give|got|get)\b"
)
# An item judged not to fit: "the 3rd is too techy for her", "the first one feels way too direct for a VP".
TOO_MUCH = re.compile(
    r"\b(?:is|'s|feels|seems|sounds|looks|reads)\s+(?:way |a bit |a little |far |much |kinda |kind of |"
    r"rather |just |bit |a tad |slightly )*too\s+[a-z]+"
)
# "the EA point - …", "that budget one: …": an item named by a word of it, said first
NAMED_HEAD = re.compile(
    r"\W*(?:the|that|your|ur) [\w'&-]+(?: [\w'&-]+)? "
    r"(?:one|point|step|idea|item|part|bit|section|topic|tip)\b\s*[-–—:,]"
)
DONE_THAT = re.compile(
    r"\b(?:we|we've|we have|i|i've|i have|he|he's|she|she's|they|they've)\s+(?:have\s+|has\s+|had\s+)?"
    r"(?:already\s+|literally\s+|basically\s+|kind of\s+|kinda\s+|all\s+|both\s+)?"
    r"(?:covered|done|did|flagged|tried|seen|saw|heard|been through|gone through|went through|gone over|"
    r"went over|discussed|talked about|raised|sent|used|ran|run)\b|\bto death\b|"
    r"\b(?:we|i|he|she|they)\s+(?:already|both)\s+(?:have|has|had|got|do|does|did)\b|"
    r"\b(?:he|she|they|we|i)\s+(?:already\s+)?(?:knows?|knew|gets?|understands?)\s+(?:\w+\s+){0,4}?"
    r"(?:already|inside out|backwards|well enough|by heart)\b|"
    r"\b(?:he|she|they|we|i)\s+already\s+(?:knows?|knew|gets?|understands?)\b|"
    r"\b(?:didn'?t|did not|doesn'?t|does not|won'?t) (?:stick|work|land|help|fly)\b|"
    r"\b(?:i'?m|i am|we'?re|we are|he'?s|she'?s|they'?re)\s+(?:already\s+|well\s+)?past\b|"
    r"^(?:we |i |he |she )?already (?:have|got|know|use|using|did|done)\b|"
    r"\bbeyond (?:that|this|those|these)\b"
)
ASKED = re.compile(
    r"^(?:(?:so|and|but|ok|okay|hmm|um|wait|also|sorry)[,.]?\s+)?(?:did|do|does|have|has|had|when|what|which|how|was|were|is|are|where|who|why|can|could)\b"
    r"|\?\s*$|\b(?:what|when|how|who|which|where) (?:did|was|were|do|does|is|are|has|have)\b"
)
MIX_UP = re.compile(r"\b(?:switch|mix|shake|change)\s+(?:it|things|them|this|that)\s+up\b")
OTHER_SET = re.compile(
    r"\b(?:different|another|other|fresh|new)\s+(?:angle|ones?|ideas?|topics?|approach|take|version|set|direction)\b"
)
# "anything that isn't slack", "anything but AI pls", "less on the pilot": other ones, without that subject
EXCEPT = re.compile(
    r"^(?:(?:hmm+|ok|so|but)\W+)?"
    r"(?:(?:can|could) (?:they|these|it|those|you|u)(?: be| make them| make it)?\s+)?"
    r"(?:(?:a bit|a lot|much|way)\s+)?less\s+(?:on|about|abt)\s(?!.*\bmore\b)|"  # not "less on X, more on Y"
    r"\b(?:anything|something|ones?|stuff|topics?|ideas?)\s+(?:that\s+(?:isn'?t|is not|aren'?t|are not|"
    r"doesn'?t|does not)|but|other than|except|besides|apart from|not (?:about|on))\b"
    r"|^not\s+(?!sure|yet|really|now|bad|quite|exactly|convinced|keen|sold|great|ideal|that one|this one|"
    r"those|these|them|it\b|the\b|first|second|third|fourth|fifth|last|#?\d)"
    r"[\w&'-]+(?:\s+[\w&'-]+){0,2}\s*[,.;!]\s*"  # "Not Slack, I'm fine with Slack now.": a reason follows
    r"(?:i|i'm|im|we|we've|weve|he|she|they|it|it's|its|that|that's|thats|done|did|already|had|covered)\b"
)
# "only N now", "we only have 30": the session's new length (after an agenda)
HAVE_NOW = re.compile(
    r"(?:\b(?:only|just|now|we've|we|he|she|i|they)\s+(?:only\s+|just\s+|now\s+|usually\s+|really\s+)?"
    r"(?:have|has|got|get|gives?|allows?)\s+(?:me\s+|us\s+|him\s+|her\s+)?(?:only\s+|just\s+)?"
    r"|\b(?:only|just)\s+(?=\d{2,3}\s+(?:now|left|these days|in practice|really)\b))"  # "only 30 now"
    r"(\d{2,3})\b(?!\s*(?:topics?|ideas?|items?|parts?|people|pairs?|%|percent))"
)
# "even tho its booked for 45": the length on paper, not the one the session gets
ON_PAPER = re.compile(
    r"\b(?:booked|scheduled|blocked(?: out)?|planned|down|in the diary|meant to be|supposed to be)"
    r"\s+(?:for|as)\s+\d"
)
# "just the worst one", "only the top two" (after program health): how many
WORST = re.compile(
    r"^(?:the\s+)?(?:worst|most urgent|biggest|top|main|most important|most serious|riskiest)"
    r"(?:\s+(?P<n>one|two|three|\d))?(?:\s+ones?)?$"
)
# A question about what happened ("what did we cover in the 45 minutes?"), not a plan for a session.
ASKS_NOTES = re.compile(
    r"\b(?:what|when|did|whether|which|have we|has he|has she|how (?:long|often|many|much))\b|\?\s*$", re.I
)
# A coordinator asking whether pairs are stalled asks the figures, not the rule ("what counts as stalled?").
STAFF_STALLED = re.compile(
    r"\bany(?:one|body| pairs?)? (?:stalled|stalling)\b"
    r"|\b(?:do|does|are|is) (?:they|[a-z]+ (?:and|&|/) ?[a-z]+) (?:count(?:ed)? as |officially )?stalled\b",
    re.I,
)
# A coordinator reads what pairs write only when they ask for it; otherwise a pair's figures answer.
STAFF_READS = re.compile(
    r"\b(?:notes?|shared?|wrote|written|write|said|say|says|told|tell|mention\w*|flagged|see|read|agreed?|"
    r"promised?|decided?|passed)\b",
    re.I,
)
# …and asks for it when they name what a pair shared or wrote ("what has sofia shared with me about…").
STAFF_ASKS_NOTES = re.compile(  # not "which pairs haven't written up their last session": a figure
    r"(?<!n't )(?<!not )(?<!nt )\b(?:notes?|shared|wrote|written|flagged|passed on)\b", re.I
)
ONE_FOR = re.compile(
    r"^(?:and |also |now |ok |same |then )*(?:one|another|the same|a similar one)\b[^.?!]{0,20}\b(?:for|to)\b"
)
CUT_IT = re.compile(r"\b(?:cut|trim|chop)\s+(?:it|that|this)(?:\s+(?:down|back))?\s*(?:pls|please)?[.!]*$")
GIVE_PART = re.compile(r"\b(?:give|make|allow)\s+(?:\S+\s+){0,2}(?:part|bit|slot|half|section|item)\s*$")
HOW_MANY = re.compile(r"\bhow (?:many|much|often)\b|\b(?:count|number|share|percent\w*)\s+of\b", re.I)
PLANNED = ("topics", "search_notes", "agenda")  # what a message that gives a session's length may be
UNPLANNED = ("draft_message", "ask", "coach", "brief", "rotation", "pairing", "program_health")
# "i'm priya, i mentor martin", "my exec is helen": who is writing, not a subject
INTRODUCED = re.compile(
    r"\b(?:i (?:mentor|am mentoring|'m mentoring|am paired with|'m paired with)"
    r"|my (?:mentor|mentee|exec|executive|partner) is)\b",
    re.I,
)
# "sorry if this is a silly question but", "ok dumb q but", "this is probably obvious, but": an apology for
# the question, not part of it
SILLY_QUESTION = re.compile(
    r"^\W*(?:(?:ok|okay|so|um+|hmm+|hi|hey)\W+)*(?:sorry(?: if)?\W+)?(?:this is |this may be |this might be |"
    r"it'?s |prob(?:ably)? |maybe )?(?:a |an )?(?:silly|dumb|stupid|daft|basic|obvious|newbie|noob)"
    r"(?: q| qs| question| questions| one)?\W*(?:but|and|:|-|–|,)\s*",
    re.I,
)
# "teams, copilot, linkedin all done already", "we've already done loads on AI", "he's done linkedin to
# death", "he's had his fill of that": subjects set aside, not asked for
DONE_ALREADY = re.compile(
    r"[^.?!]*\b(?:(?:are|is|all|were|we've|we have)\s+)?(?:done|covered|been done) (?:already|before)\b"
    r"[^.?!]*"
    r"|[^.?!,;]*\b(?:(?:done|covered|talked about|discussed)"
    r" (?:loads|lots|a lot|plenty|heaps|so much|enough|tons)"
    r"|to death|(?:had|has) (?:his|her|their|my|our) fill)\b[^.?!,;]*"  # that clause only: "do X instead, …"
    r"|\b(?:he|she|they|we|i)\s+already\s+(?:does|do|uses|use|knows|know|has|have|runs|run)\b[^.?!,;]*",
    re.I,
)
# "ideas that aren't about tools?", "topics not on AI", "could they be less about AI": a subject set aside
NOT_ABOUT = re.compile(
    r"\b(?:that |which )?"
    r"(?:aren'?t|isn'?t|are not|is not|not|nothing|no more|less|not so much|not as much)\s+"
    r"(?:about|on|around)\s+"
    r"(?:the\s+)?[\w&+-]+(?:\s+(?:stuff|things|side|bit|ones?|topics?))?",
    re.I,
)
# "what haven't we done", "what can i teach him next? X and Y done already": topics still to do
NOT_YET = re.compile(
    r"\b(?:haven'?t|have not|not yet|yet|never|next|what (?:else|i can|can i|should i|could i))\b"
)
# "compared with last month", "what's changed since 2 weeks ago": the program then, beside now.
COMPARED = re.compile(
    r"\b(?:compar\w*|vs\.?|versus|since|chang\w*|trend\w*|difference|better|worse|improv\w*)\b"
)
SHORTEST_AGENDA = 30  # minutes (the agenda tool's least): a shorter length said is a part's
_UNITS = r"(?P<unit>days?|weeks?|fortnights?|months?|quarters?|years?)"
PERIOD = re.compile(
    rf"\b(?:(?P<n>\d{{1,2}}|an?|one|two|three|four|six) {_UNITS} (?P<ago>ago|back|before|earlier)"
    rf"|(?:the )?(?:last|past|previous) (?P<m>\d{{1,2}}|two|three|four|six) {_UNITS.replace('unit', 'units')}"
    r"|(?:last|previous|past|the past|a|one) (?P<last>week|fortnight|month|quarter|year))\b"
)
# "widen it to all of 2026", "the whole year", "year to date": back to the start of that year
WHOLE_YEAR = re.compile(
    r"\b(?:all of (?:(?P<year>20\d\d)|the year|this year)|the (?:whole|full|entire) year|this year|"
    r"(?:the )?year to date|ytd)\b"
)
# Which of the program's figures a coordinator asks for (program health's ``about``); attention by default.
FIGURES = {
    "time_zones": re.compile(  # "which pairs are in different time zones", "which remote pairs are slipping"
        r"\b(?:different|other|separate) (?:time ?zones?|cities|countries|offices|sites)\b"
        r"|\b(?:across|span\w*|cross(?:es|ing)?) (?:time ?zones|offices|sites|countries|cities)\b"
        r"|\bremote (?:pairs?|ones)\b|\btime ?zones?\b"
        r"|\b(?:which|what|who)\b.{0,40}\b(?:remotely|(?:by|over|on) (?:video|teams|zoom))\b"
    ),
    "feedback": re.compile(
        r"\b(?:pulse|feedback (?:scores?|ratings?|figures?)|usefulness|how useful|"
        r"session (?:scores?|ratings?)|satisf\w+|rate (?:the|their) sessions|scores? (?:by|per|each) month)\b"
    ),
    "ratings": re.compile(
        r"\b(?:self[- ]?ratings?|self[- ]?rated|rat(?:e|ing) themselves|objectives?|learning goals|"
        r"progress against)\b"
    ),
    "sessions": re.compile(
        r"\bhow many (?:pairs|sessions|people)\b.{0,40}\b(?:met|meet|meeting|held|happened|took place)\b"
        r"|\bsessions? (?:held|per month|by month|a month|each month)\b"
        r"|\bhow many sessions\b.{0,20}\b(?:last|this) month\b"
        r"|\b(?:monthly|month by month) (?:activity|sessions)\b"
        r"|\b(?:which|what) pairs? (?:has |have )?(?:met|had) (?:the )?(?:most|least|fewest)\b"
        r"|\b(?:most|fewest|least) sessions\b|\bsessions (?:by|per) pair since\b"
    ),
    "stalling": re.compile(
        r"\b(?:closest|nearest|close|near|about|likely|at risk of|in danger of|on the verge of) to stall"
        r"|\b(?:closest|nearest|close|near) to (?:being )?stalled|\bat risk of (?:stalling|being stalled)"
        r"|\b(?:closest|nearest|close|near|getting close) to the "
        r"(?:line|limit|cut-?off|threshold|six weeks)\b"
    ),
    "report": re.compile(  # "a year end summary for leadership", "the impact report"
        r"\b(?:impact report|(?:year[- ]?end|end[- ]of[- ](?:the[- ])?(?:year|cycle)|annual|yearly|cycle) "
        r"(?:summary|report|review|round[- ]?up|write[- ]?up)"
        r"|(?:summary|report|round[- ]?up|overview|write[- ]?up) for (?:the )?"
        r"(?:[\w-]+\s+){0,2}?(?:leadership|board|exec(?:utive)?s? team|sponsors?|"
        r"senior (?:team|leaders|leadership)|ceo|c-?suite|steering (?:group|committee)))\b"
    ),
}
# Figures for a group of people: with nobody named, the cycle's report ("figures for the integration steering
# group … anything I can share without naming anyone"); with names allowed, the overview.
FOR_AN_AUDIENCE = re.compile(
    r"\b(?:figures|numbers|stats) for (?:the )?(?:[\w-]+\s+){0,2}?(?:leadership|board|sponsors?|"
    r"exec(?:utive)?s? (?:team|committee)|senior (?:team|leaders|leadership)|steering (?:group|committee))\b"
)
SINCE_MONTH = re.compile(rf"\b(?:since|from)\s+(?:the start of |early |the beginning of )?({MONTH})\b")
MONTH_NAMED = re.compile(
    rf"\b(?:in|for|during|of|over)\s+({MONTH})\b|\b({MONTH})(?:'s)? (?:numbers|figures|stats)\b"
)
# "can u send martin the plan", "email it to her": an agenda sent to the partner, as a message
SEND_PLAN = re.compile(
    r"^(?:(?:ok|okay|great|cool|perfect|nice|excellent|lovely|brilliant|super|wonderful|good|fine|right|"
    r"thanks|thx|ty|and|now|so|pls|please|just|can (?:you|u)|could (?:you|u)|would you|will you)\W+)*"
    r"(?:(?:send|email|e-mail|share|forward|message|msg|text|slack|dm|pass)\b(?:\s+[\w']+){0,3}?\s+"
    r"(?:the |this |that |our |my )?(?:plan|agenda|it|this|that)\b"
    r"|(?:put|write|turn) (?:it|this|that|the plan|the agenda) (?:up )?(?:as|in|into) an? "
    r"(?:message|email|msg|note|text) (?:to|for)\b)"
)
# "send him those as questions", "put these in a message to her": the items just listed, sent on
SEND_THOSE = re.compile(
    r"^(?:(?:ok|okay|great|cool|perfect|nice|so|then|right|can (?:you|u)|could (?:you|u))\W+)*"
    r"(?:send|forward|pass|give)\s+(?:\w+\s+)?(?:those|these|them|the (?:topics|ideas|questions))\b"
    r"|\b(?:put|write|turn) (?:those|these|them) (?:up )?(?:as|in|into) an? (?:message|email|msg|note|text)\b"
)
# "would kai and gareth make sense as a pair?": two people asked about together
TOGETHER = re.compile(
    r"\b(?:make sense|work(?:s)?(?: well| out)?|be (?:a )?good (?:match|fit|pair\w*)|good (?:match|fit)|fit|"
    r"click|gel|get on|together|as a pair)\b|\b(?:how|what) about \w+ (?:with|\+) \w+"
)
# "can u break it down by pair": a program figure, pair by pair
BY_PAIR = re.compile(r"\b(?:by|per|for each|each|pair by) pair\b|\bbreak (?:it|that|them) down\b")
# "can u split it by month": session figures a line a month (read before BY_PAIR: "break it down by month")
BY_MONTH = re.compile(
    r"\b(?:(?:split|break)\s+(?:it|that|them|this)?\s*(?:down\s+|up\s+)?by month|month by month|"
    r"per month|each month|monthly breakdown)\b"
    r"|^\W*(?:(?:and|ok|okay|so|what about|how about)\W+)*(?:by|per) month\W*$"  # "and by month?"
)
PERIOD_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "quarter": 91, "year": 365}
# "who hasn't met in over a month?", "pairs that haven't had a session for 3 weeks": how long idle
NOT_MET_FOR = re.compile(
    r"\b(?:hasn.?t|has not|haven.?t|have not|not|no session|no sessions|not had a session)\b.{0,25}?"
    r"\b(?:in|for) (?:over |more than |longer than |the last |the past )?"
    r"(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight)?\s*(?P<unit>day|week|fortnight|month)s?\b"
    r"|\b(?:gone|been|went|go) (?:over |more than |longer than )?"  # "gone more than six weeks without one"
    r"(?P<n2>\d{1,3}|an?|one|two|three|four|five|six|seven|eight)\s*(?P<unit2>day|week|fortnight|month)s?"
    r" (?:without|with no) (?:a )?(?:session|meeting)"
)
ITEM_TASKS = ("topics", "agenda", "coach", "brief", "search_notes", "program_health", "pairing", "rotation")


class IntentSpec(BaseModel):
    """One intent: how people say it and who it is for."""

    examples: list[str] = Field(min_length=1)
    cues: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)


class FollowUps(BaseModel):
    """How people refer back to the previous answer or ask to change it."""

    reference_words: list[str]
    last_item: list[str]
    expand: list[str]
    sources: list[str] = Field(default_factory=list)  # "where does it say that?": the answer's passages
    wording: list[str]  # "give me the actual words i could use": the item's openers
    pick: list[str] = Field(default_factory=list)  # "which would you pick?": the first, ranked, item
    opinion: list[str] = Field(default_factory=list)  # "what would you suggest I tell her?" after a rule
    shown: dict[str, list[str]] = Field(default_factory=dict)  # "whose is that?" after a notes answer
    edits: dict[str, list[str]]
    edit_openers: list[str]
    pointers: list[str]  # words that point back at something said before ("do that again")
    dull: list[str] = Field(default_factory=list)  # "a bit corporate", "these feel stale": other ones
    # "the first suggestion feels a bit confrontational", "point three is not realistic": that one replaced
    turned_down: list[str] = Field(default_factory=list)
    stories: list[str] = Field(
        default_factory=list
    )  # "he cancelled again", "i think he promised…": not facts
    lengths: dict[str, list[str]] = Field(default_factory=dict)  # "bit long", "too thin": the length judged
    praise: list[str] = Field(
        default_factory=list
    )  # "very helpful, thank you": a judgement, nothing to change
    item_nouns: dict[str, list[str]] = Field(default_factory=dict)  # what each task's items are called
    examples: dict[str, list[str]] = Field(default_factory=dict)  # whole follow-up messages, per kind


class Lexicon(BaseModel):
    """Everything in ``knowledge/dialogue.yaml``."""

    shorthand: dict[str, str]
    numbers: dict[str, int]
    ordinals: dict[str, int]
    durations: dict[str, int]
    not_a_focus: list[str]
    focus_filler: list[str]
    not_a_subject: list[str]
    followups: FollowUps
    intents: dict[str, IntentSpec]
    replies: dict[str, Any]
    question_words: list[str]
    sections: dict[str, list[str]]
    anonymous: list[str]
    # "who else could gareth work with?", "any option for mina that isnt gareth": one person's partners
    other_partners: dict[str, list[str]]
    drafts: dict[str, dict[str, Any]]
    not_messages: list[str]  # "write a reference for noor": not a message
    one_line: list[str]  # "one line each": each item shortened, none dropped
    # "drop the warm up bit", "take out the icebreaker": an agenda's first or last part, by what it does
    parts_by_place: dict[Literal["first", "last"], list[str]] = Field(default_factory=dict)
    small_talk: list[dict[str, str]] = Field(default_factory=list)  # "it's my bday tmrw": said back kindly
    outline: list[str] = Field(default_factory=list)  # "a structure for my 15 minutes": one side's part
    review: list[str] = Field(default_factory=list)  # "a look back at what we've done": a review session
    briefly: list[str] = Field(
        default_factory=list
    )  # "remind me briefly where we left things": the short brief
    points: dict[str, Any] = Field(default_factory=dict)
    howto: list[dict[str, str]] = Field(default_factory=list)
    # "what's a prep brief?", "can you see our notes?": a word or a working of the assistant, explained
    explained: list[dict[str, str]] = Field(default_factory=list)
    chat_privacy: dict[str, str] = Field(
        default_factory=dict
    )  # who can read a conversation with the assistant, and the notes shown
    learn_from: list[str] = Field(default_factory=list)  # labelled conversations, under knowledge/


SUBJECT_PRONOUNS = frozenset({"i", "we", "he", "she", "they", "you"})  # "before i fill it in": a verb
COPULAS = frozenset("is are was were be been being seems seemed feels felt looks looked got gets".split())
# "anything older still open?", "fewer": a time or an amount, not a quality
TIME_OR_LENGTH = {"short", "long", "late", "early", "old", "numb", "few", "little", "many", "much"}


@lru_cache(maxsize=1 << 12)
def comparative(word: str) -> bool:
    """Whether a word compares a quality ("fresher", "punchier"), not a length or a time ("later")."""
    from lemminflect import getAllLemmas

    adjective = set(getAllLemmas(word).get("ADJ", ()))
    return word.endswith("er") and bool(adjective - {word}) and not adjective & TIME_OR_LENGTH


def month_number(name: str) -> int:
    """1 for "jan", "January"; 12 for "dec"."""
    return [m[:3] for m in MONTHS].index(name.lower()[:3]) + 1


def cycle_start(text: str, today: dt.date) -> dt.date | None:
    """The day a message says a cycle starts ("mid jan": the 15th of the next January), if it says one."""
    said = STARTS_ON.search(text.lower())
    if not said:
        return None
    month = month_number(said.group("month"))
    part = said.group("part") or ""
    day = int(
        said.group("day") or said.group("day_after") or {"mid": 15, "late": 22, "end of": 25}.get(part, 1)
    )
    year = today.year + (month < today.month or (month == today.month and day < today.day))
    try:
        return dt.date(year, month, day)
    except ValueError:  # "31 feb"
        return None


def singular(noun: str) -> str:
    """A noun's singular ("drivers" → "driver"), by lemminflect's dictionary."""
    from lemminflect import getLemma

    return next(iter(getLemma(noun, upos="NOUN")), noun)


@lru_cache(maxsize=4)
def load_lexicon(knowledge_dir: Path) -> Lexicon:
    """Read the dialogue knowledge."""
    data = read_yaml(knowledge_dir / "dialogue.yaml")
    data["durations"] = {str(k): v for k, v in data["durations"].items()}
    lexicon = Lexicon.model_validate(data)
    for name in lexicon.learn_from:
        _learn(lexicon, read_yaml(knowledge_dir / name))
    return lexicon


def _learn(lexicon: Lexicon, labelled: Any) -> None:
    """Add a labelled part's messages to the examples: requests to their intent, follow-ups to their kind.

    A part is a list of conversations (knowledge/eval/dialogue/README.md) or, like turns.yaml, single
    turns under ``followups`` (with their ``kind``), ``new_requests`` and ``intents``. The answer to a
    question asked back ("amara and rafael" after "which pair?") means what the question made it mean,
    so it teaches nothing on its own and is left out.
    """
    if isinstance(labelled, dict):
        turns = [
            *labelled.get("new_requests", []),
            *labelled.get("intents", []),
            *labelled.get("followups", []),
        ]
    else:
        turns = [
            turn
            for conversation in labelled
            for before, turn in zip([{}, *conversation["turns"]], conversation["turns"], strict=False)
            if before.get("intent") != "clarify"
        ]
    follow = lexicon.followups.examples
    for turn in turns:
        intent = turn.get("intent")
        kind = turn.get("kind") or {"expand": "expand", "edit": (turn.get("slots") or {}).get("change")}.get(
            intent
        )
        if intent in lexicon.intents:
            lexicon.intents[intent].examples.append(turn["say"])
        elif kind in follow:
            follow[kind].append(turn["say"])


@dataclass(frozen=True)
class State:
    """What the conversation's last answer was, for follow-ups."""

    task: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    items: tuple[str, ...] = ()  # titles of the answer's numbered items, in order
    ref: int | None = None  # the item the conversation last talked about
    role: str = ""  # who is asking: "my part" and "his part" of an agenda depend on it
    said: str = ""  # an answer without numbered items (a program answer, a draft): its text
    lengths: tuple[int, ...] = ()  # an agenda's parts' minutes, as its items


@dataclass
class Understanding:
    """An intent with its slots, or a question back when unsure."""

    intent: str
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    options: list[str] = field(default_factory=list)  # for ``clarify``: the likely intents
    text: str = ""  # the message with shorthand expanded
    points_back: bool = False  # for ``clarify``: the message points at something the conversation lacks


def named_people(text: str, people: frozenset[str]) -> list[str]:
    """The first names among ``people`` that a message names, in the order it names them, once each."""
    return list(dict.fromkeys(w for w in re.findall(r"[a-z]+", text.lower()) if w in people))


def named_beside(text: str, people: frozenset[str]) -> list[str]:
    """Names said beside a known person ("mina and leo", "leo, mina") that ``people`` lacks.

    A word counts when the dictionary does not know it ("mina"), so "leo and me" or "leo, thanks"
    names nobody new.
    """
    lower = text.lower()
    found = []
    for name in named_people(lower, people):
        for other in re.findall(
            rf"\b([a-z]+)\s*(?:,|&|\band\b)\s*{name}\b|\b{name}\s*(?:,|&|\band\b)\s*([a-z]+)\b", lower
        ):
            word = "".join(other)
            if word not in people and word not in STOPWORDS and len(word) > 2 and "?" in word_classes(word):
                found.append(word)
    return list(dict.fromkeys(found))


def as_said(words: str, text: str) -> str:
    """`words` as `text` wrote them ("AI", "Power BI"), for a reply; unchanged when it does not hold them."""
    said = re.search(rf"\b{re.escape(words)}\b", text, re.I)
    return said.group(0) if said and not said.group(0).islower() else words


_DAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# "move thursday to friday", "push it to next tuesday at 3", "can we do the 12th instead"
MOVED_TO = re.compile(
    r"\b(?:to|till|until|for|on|do|make it|say|propose|suggest|go for|try)\s+"
    rf"(?P<when>(?:next\s+|this\s+)?{_DAYS}"
    r"(?:\s+(?:morning|afternoon|evening|at\s+\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?))?"
    r"|tomorrow(?:\s+(?:morning|afternoon))?|next week|the week after|the\s+\d{1,2}(?:st|nd|rd|th)"
    r"|(?:early|mid|late|the start of|the end of)\s+"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
    r"|after (?:christmas|xmas|the holidays|new year)"
    r"|january|february|march|april|june|july|august|september|october|november|december)\b",
    re.I,
)


# A day said on its own, as a draft's new time: "10 dec 2pm", "Friday the 4th, not this Friday", "dec 10 at 3"
_AT = r"(?:\s*,?\s*(?:at\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)|\s+at\s+\d{1,2}(?:[:.]\d{2})?)"
_MON = r"(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
DATE_SAID = re.compile(
    rf"(?<!not )(?<!not this )\b(?P<when>(?:next\s+|this\s+)?{_DAYS}(?:\s+the\s+\d{{1,2}}(?:st|nd|rd|th))?"
    rf"(?:\s+(?:morning|afternoon|evening))?(?:{_AT})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MON}(?:{_AT})?|{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:{_AT})?"
    rf"|the\s+\d{{1,2}}(?:st|nd|rd|th)(?:{_AT})?)(?!\w)",
    re.I,
)


# The reason a draft should give: "give the pilot feedback as the reason", "say it's because of the audit"
REASON_SAID = re.compile(
    r"\b(?:give|add|put in|include|say|mention) (?:the|my|a) reason\s*[:,-]\s*(?P<said>[^;!?]+)"
    r"|\b(?:give|use|put|cite|blame)\s+(?P<thing>[^,.;!?]+?)\s+as (?:the|my|a) (?:reason|excuse)\b"
    r"|\bthe reason(?:'s| is| being| was)\s+(?P<named>[^,.;!?]+)"
    r"|\b(?:it'?s|its|it is)\s+because\s+(?P<cause>[^.;!?]+)",
    re.I,
)


def reason_said(text: str) -> str | None:
    """The reason a change to a draft asks it to give, as a sentence ("It's because of the audit.")."""
    if not (found := REASON_SAID.search(text)):
        return None
    if said := found.group("said"):  # "give the reason: I'd like to see it first": said as it is
        said = re.sub(r"\bi\b", "I", said.strip().rstrip("."))
        return f"{said[:1].upper()}{said[1:]}."
    if cause := found.group("cause"):
        return f"It's because {cause.strip()}."
    return f"It's because of {(found.group('thing') or found.group('named')).strip()}."


def moved_to(text: str, alone: bool = False) -> str | None:
    """The day a reschedule asks for, written for a message ("Friday", "next Tuesday at 3", "the 12th").

    ``alone``: a day said without "to" or "for" counts too ("stick the date in, 10 dec 2pm"), as it
    does in a change to a draft that already asks for a time.
    """
    found = MOVED_TO.search(text) or (DATE_SAID.search(text) if alone else None)
    if not found:
        return None
    when = re.sub(rf"\b{_DAYS}\b", lambda m: m.group(0).capitalize(), found.group("when").lower(), flags=re.I)
    when = re.sub(
        r"(?<!at)(?<=[a-z0-9])\s*,?\s+(?=\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)\b)", " at ", when
    )  # "10 dec 2pm"
    return (
        re.sub(  # "early jan": early January
            r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
            lambda m: MONTHS[month_number(m.group(1)) - 1].capitalize(),
            when,
        )
        .replace("xmas", "Christmas")
        .replace("christmas", "Christmas")
    )


_DAY_SAID = r"(mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?"
# "tues or wed morning", "thursday", "fri afternoon": the days an invitation proposes
DAYS_PROPOSED = re.compile(
    rf"\b{_DAY_SAID}\b(?:\s*(?:or|/)\s*{_DAY_SAID}\b)?(?:\s+(morning|afternoon|evening|lunchtime))?", re.I
)
_DAY_NAMES = {
    d[:3]: d for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}


def days_proposed(text: str) -> str | None:
    """The days an invitation proposes, written for a message ("Tuesday or Wednesday morning"), if any."""
    found = DAYS_PROPOSED.search(text)
    if not found:
        return None
    first, second, part = found.groups()
    days = " or ".join(_DAY_NAMES[d[:3].lower()].capitalize() for d in (first, second) if d)
    return f"{days} {part.lower()}" if part else days


def _clock(hour: str, minute: str | None, half: str | None) -> str:
    """A clock time as said ("2", "40", "pm") written "14:40"; without am or pm, as said ("02:40")."""
    h = int(hour) % 12 + (12 if half == "pm" else 0) if half else int(hour)
    return f"{h:02d}:{int(minute or 0):02d}"


def _alternatives(words: Iterable[str]) -> str:
    """A regular expression's alternatives for ``words``, the longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    """A pattern finding any of the phrases as whole words, any case, the longest first.

    A one-word phrase that opens a hyphenated word is not said ("a shorter-format proposal" asks for
    nothing shorter); a longer one is ("less sorry-sounding").
    """
    ordered = sorted(phrases, key=len, reverse=True)
    said = "|".join(re.escape(p) if " " in p else rf"{re.escape(p)}(?!-\w)" for p in ordered)
    return re.compile(r"(?<![\w])(?:" + said + r")(?![\w])", re.I)


class Understander:
    """Turns a message and the conversation state into an ``Understanding``."""

    def __init__(
        self,
        lexicon: Lexicon,
        embed: Callable[[list[str]], np.ndarray],
        embed_query: Callable[[str], np.ndarray] | None = None,
        embed_saved: Callable[[str, list[str]], np.ndarray] | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.embed = embed
        self.embed_query = embed_query or (lambda text: embed([text])[0])
        # The example messages, embedded once and saved for the next process (Guide.embed_saved).
        self.embed_saved = embed_saved or (lambda name, texts: embed(texts))
        follow = lexicon.followups
        self._expand = phrase_pattern(follow.expand)
        self._sources = phrase_pattern(follow.sources)
        self._wording = phrase_pattern(follow.wording)
        self._pick = phrase_pattern(follow.pick)
        self._opinion = phrase_pattern(follow.opinion)
        self._shown = {kind: phrase_pattern(words) for kind, words in follow.shown.items()}
        self._edits = {name: phrase_pattern(words) for name, words in follow.edits.items()}
        self._openers = phrase_pattern(follow.edit_openers)
        self._stories = phrase_pattern(follow.stories)
        self._turned_down = phrase_pattern(follow.turned_down)
        dull = "|".join(re.escape(word) for word in follow.dull)
        self._dull = re.compile(  # "meh, these are a bit corporate", "this feels very standard"
            r"\b(?:(?:a bit|abit|bit|kinda|kind of|quite|too|very|so|pretty|rather|really|super|a little|"
            r"a tad|way too|v)\s+|(?:feels?|looks?|seems?|sounds?|reads?|are|is|all)\s+"
            rf"(?:a bit\s+|kinda\s+|so\s+)?)(?:{dull})\b"
        )
        self._last_item = re.compile(  # "the last one", not "the last session's notes"
            phrase_pattern(follow.last_item).pattern
            + r"(?!\s*(?:'s\s+)?(?:session|time|week|month|meeting|call|cycle|catch-?up|chat|note|thing|"
            r"entry|record|update)s?\b)",
            re.I,
        )
        self._cues = {  # each intent's cues as one pattern: one search, not one per cue
            name: re.compile("|".join(f"(?:{c})" for c in spec.cues) or r"(?!)", re.I)
            for name, spec in lexicon.intents.items()
        }
        self._shorthand = Shorthand(lexicon.shorthand)
        number_words = "|".join(re.escape(w) for w in sorted(lexicon.numbers, key=len, reverse=True))
        self._num = rf"(?<![\d][.:])(\d{{1,3}}(?![.:]\d)|{number_words})"  # not the 45 of "a 2.45"
        self._leading_number = re.compile(LEADING_NUMBER + self._num + r"\s*(?:[,.;!?]|$)")
        self._ordinal_words = "|".join(re.escape(w) for w in lexicon.ordinals)
        self._item_pointed = re.compile(  # "the 2nd bit", "the third one": an item by its place
            rf"\bthe\s+({self._ordinal_words})\s+(?:{'|'.join(lexicon.followups.reference_words)})\b"
        )
        self._durations = phrase_pattern(list(lexicon.durations))
        self._not_focus = {w.lower() for w in lexicon.not_a_focus}
        self._pointers = frozenset(lexicon.followups.pointers)
        self._asked = frozenset(w.lower() for w in lexicon.question_words)
        self._subjectless = STOPWORDS | {w.lower() for w in lexicon.question_words} | self._not_focus
        self._filler = phrase_pattern(lexicon.focus_filler)
        self._not_subjects = frozenset(lexicon.not_a_subject)
        self._anonymous = phrase_pattern(lexicon.anonymous)

    @cached_property
    def _examples(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The examples' vectors, and for each intent the rows that are its examples."""
        labels = [name for name, spec in self.lexicon.intents.items() for _ in spec.examples]
        texts = [self.normalise(t) for spec in self.lexicon.intents.values() for t in spec.examples]
        rows = {name: np.flatnonzero(np.array(labels) == name) for name in self.lexicon.intents}
        return self.embed_saved("dialogue-examples", texts), rows

    def warm(self) -> None:
        """Fit both classifiers now (embedding their examples, or reading the saved vectors)."""
        _ = self._model, self._follow_model

    @cached_property
    def _example_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each intent's example rows side by side (padded), how many each has, and where the padding is."""
        _, rows = self._examples
        width = max(len(r) for r in rows.values())
        index = np.zeros((len(rows), width), dtype=np.intp)
        for i, r in enumerate(rows.values()):
            index[i, : len(r)] = r
        counts = np.array([len(r) for r in rows.values()])
        return index, counts, np.arange(width)[None, :] >= counts[:, None]

    @cached_property
    def _model(self) -> IntentModel:
        """The intent classifier, fitted on the examples."""
        _, rows = self._examples
        names = list(self.lexicon.intents)
        labels = np.concatenate([np.full(len(rows[n]), i) for i, n in enumerate(names)])
        return IntentModel(names).fit(self._example_features, labels)

    @cached_property
    def _example_features(self) -> np.ndarray:
        """The examples as the classifiers' input rows (both models learn from them)."""
        vectors, _ = self._examples
        texts = [self.normalise(t) for spec in self.lexicon.intents.values() for t in spec.examples]
        return features(vectors, texts)

    @cached_property
    def _follow_model(self) -> IntentModel:
        """Which kind of follow-up a message is, or "new".

        Fitted on the follow-up examples against every intent's examples (all of them new requests).
        """
        follow = self.lexicon.followups
        kinds: dict[str, list[str]] = {k: list(v) for k, v in follow.examples.items()}
        phrases = {"expand": follow.expand, **follow.edits, "count": follow.edits.get("fewer", [])}
        for kind, words in phrases.items():
            if kind in kinds:
                kinds[kind] += words
        texts = [self.normalise(t) for examples in kinds.values() for t in examples]
        x = np.vstack(
            [self._example_features, features(self.embed_saved("dialogue-follow-ups", texts), texts)]
        )
        labels = np.array(
            [0] * len(self._example_features) + [i for i, k in enumerate(kinds, 1) for _ in kinds[k]]
        )
        return IntentModel(["new", *kinds]).fit(x, labels)

    # Text ------------------------------------------------------------------------------

    def normalise(self, message: str) -> str:
        """The message with chat shorthand spelled out and spacing tidied."""
        text = "".join(  # emoji, and the selectors and joiners that compose them ("❤️")
            c
            for c in message.replace("’", "'")
            if unicodedata.category(c) != "So" and c not in "\ufe0f\u200d"
        )
        text = " ".join(text.replace("—", " – ").split())  # an em dash is a break, as an en dash is
        text = re.sub(r"\b(\d{1,2}(?:st|nd|rd|th)) 1\b", r"\1 one", text)  # "the 2nd 1"
        text = re.sub(  # "the top one, why them": the first
            r"(?<!just )(?<!only )\b(the )top"
            r"(?= (?:one|pair|item|idea|topic|step|tip|option|match|suggestion|point)\b)",
            r"\1first",
            text,
            flags=re.I,
        )
        text = self._shorthand(text)
        text = SILLY_QUESTION.sub("", text, count=1) or text  # "sorry if this is a dumb q but …"
        text = re.sub(rf"\bthe(?=(?:{self._ordinal_words})\b)", "the ", text, flags=re.I)  # "thethird one"
        text = re.sub(  # "the first of the new ones", "2 of the new ones is good": that item of the new list
            rf"\b(?:({self._ordinal_words})|(\d)(?=\s+of \w+ \w+ \w+ is\b))\s+of (?:the|these|those)"
            r" (?:new|latest|other|revised|fresh) (?:ones|ideas|topics|options|suggestions|lot)\b",
            lambda m: m.group(1) or m.group(2),
            text,
            flags=re.I,
        )
        return self._numbers_as_meant(text)

    def _numbers_as_meant(self, text: str) -> str:
        """Numbers corrected or misheard while dictating, as meant ("45 no 40": 40; "for instead of 3": 4)."""
        num = self._num.replace("])(", "])(?:", 1)  # the same numbers, captured by neither rewrite
        text = re.sub(  # "make it 45 no 40", "the top three actually two": the number said last
            rf"\b{num}(?:\s*(?:minutes?|mins?))?[,.]?\s+(?:no|nah|sorry|oops|actually|or rather|i mean|wait)"
            rf"(?:[,.]?\s+(?:actually|wait|i mean|sorry|make (?:it|that)))*[,.]?\s+(?={num}\b)",
            "",
            text,
            flags=re.I,
        )
        return re.sub(  # dictated: "can i have for instead of three", "just to": four, two
            rf"\b(?:(for)|to|too)\b(?=(?: (?!{num}\b)\w+)? (?:instead of|not|rather than) (?:the )?{num}\b)"
            r"|(?<=^(?:just|only) )(?:(for)|to|too)(?=\W*$)",
            lambda m: "four" if any(m.groups()) else "two",
            text,
            flags=re.I,
        )

    def _number(self, word: str) -> int:
        return int(word) if word.isdigit() else self.lexicon.numbers[word.lower()]

    # Slots -----------------------------------------------------------------------------

    def minutes(self, text: str) -> int | None:
        """A length in minutes ("20 mins", "half an hour", "an hour", "forty five minutes")."""
        text = alpha2digit(text, "en")  # compound number words as digits ("forty five" → 45)
        said = [  # (where, minutes): the last length said wins ("45 is too long, do 30 minutes")
            *(
                (m.start(), self._number(m.group(1)))
                for m in re.finditer(self._num + r"\s*-?\s*(?:minutes?|mins?|m)\b", text, re.I)
            ),
            *(
                (m.start(), int(m.group(1)) * 60)
                for m in re.finditer(r"\b(\d)\s*(?:hours?|hrs?|h)\b", text, re.I)
            ),
            *(
                (m.start(), self.lexicon.durations[m.group(0).lower()])
                for m in self._durations.finditer(text)
                if not (m.group(0).lower() in ANY_HOUR and WITHIN.search(text[: m.start()]))
                and not re.search(r"\d[.:]$", text[: m.start()])  # "i've got a 2.45": a time of day
            ),
        ]
        closing = re.search(
            rf"\b(?:do|make it|back to|to|realistically|more like|call it)\s+{self._num}"
            r"\s*(?:please|pls)?[.!?]*$",
            text,
            re.I,
        )
        if closing and self._number(closing.group(1)) >= (5 if said else 15):  # "..., do 30"
            said.append((closing.start(), self._number(closing.group(1))))  # "so realistically 30"
        for made in re.finditer(  # "make it 30", "squeeze it into 35", "stretch it back to 50"
            r"\b(?:make (?:it|the (?:whole thing|agenda|session|whole agenda|whole session))"
            r"|(?:squeeze|fit|cram|cut|trim|shrink|bring|get|compress|stretch|extend|push)\s+"
            r"(?:it|that|this|the (?:agenda|session|plan))\s+(?:back\s+|down\s+|up\s+)?(?:in)?to)"
            rf"\s+{self._num}\b"
            r"(?!\s*(?:topics|ideas|items|steps|points|parts|bullets|lines|%|st\b|nd\b|rd\b|th\b))",
            text,
            re.I,
        ):
            if self._number(made.group(1)) >= 10:  # "make it 30, he's got a clash at 9"
                said.append((made.start(), self._number(made.group(1))))
        for planned in re.finditer(  # "she'll prob be late so plan for 30"
            rf"\b(?:plan|aim|budget|allow)\s+for\s+{self._num}\b"
            rf"(?!\s*(?:people|pairs|topics|ideas|items|%|st\b|nd\b|rd\b|th\b|{MONTH}\b))",
            text,
        ):
            if self._number(planned.group(1)) >= 10:
                said.append((planned.start(), self._number(planned.group(1))))
        for full in re.finditer(
            rf"\b(?:the full|the whole|all|a full)\s+{self._num}\b(?!\s*(?:topics|ideas|of))", text
        ):
            if self._number(full.group(1)) >= 10:  # "the first 15 min… lay out the full 50 around that"
                return self._number(full.group(1))
        for capped in re.finditer(
            rf"\b{self._num}\s+(?:tops|max|maximum|at most|at the most|or less|overall|in total|total|all in|"
            r"is all|is the most|is as much as|at best)"
            r"\b",
            text,
        ):
            if self._number(capped.group(1)) >= 5:  # "45 is too long, 30 tops"
                said.append((capped.start(), self._number(capped.group(1))))
        said = [(at, n) for at, n in said if not REPLACED.search(text[:at])]
        if len(said) > 1:  # "make it 40, she's always 5 min late": the 40
            said = [(at, n) for at, n in said if not LATE.match(text.lower(), at)] or said
        whole = [  # not "make it 30, the first 10 mins for check in": a part's minutes
            (at, n)
            for at, n in said
            if not PART_LENGTH.match(text, at) and not FIRST_MINUTES.search(text[:at])
        ]
        if len(said) > 1 and whole != said:  # "50 mins, his 15 min bit first": the 50
            said = whole or [max(said, key=lambda s: s[1])]
        return max(said)[1] if said else None

    def count(self, text: str) -> int | None:
        """How many items are asked for ("3 topics", "just two")."""
        text = re.sub(r"\b[\w]+-(?:way|person|to-one|on-one)\b", " ", text)  # "a three-way", "one-to-one"
        found = re.search(
            r"\b(?:best|top|first(?!\s+one\b)|down to)\s+(?:the\s+)?(?:best\s+|top\s+)?"
            + self._num
            + r"\b(?!\s*min)",
            text,
            re.I,
        )
        found = found or re.search(
            self._num + r"\s+(?:more\s+|other\s+|new\s+|different\s+|quick\s+|good\s+)?"
            r"(?:session\s+|discussion\s+|conversation\s+)?"
            r"(?:topics?|ideas?|topic ideas|suggestions?|things|options|steps|tips|questions?|qs|bullets|"
            r"points|items|lines|conversation starters|pieces of advice)\b",
            text,
            re.I,
        )
        if not found:
            found = re.search(
                r"\b(?:just|(?<!the )only|top|give me|pick|choose|"
                r"cut (?:it |them |that |this )?(?:down )?to|"
                r"keep it to|at most|max(?:imum)?|no more than|up to|go for)\s+"
                r"(?:the\s+)?" + self._num + r"\b(?!" + NOT_ITEMS + ")",  # not "only one move last month"
                text,
                re.I,
            ) or re.search(r"\b" + self._num + r"\s*(?:,\s*)?(?:no more|max|tops|at most)\b", text, re.I)
            found = found or re.search(r"(?:^|[,;:]\s*)(\d{1,2})\s*[,;]", text)  # "topics pls, 3, on AI"
            found = found or re.search(  # "too many, 2 is all that fits"
                r"(?:^|[,.?!;]\s*)"
                + self._num
                + r"\s+(?:is|are|would be|will be)\s+(?:all|plenty|enough|loads)\b",
                text,
                re.I,
            )
            found = found or re.search(  # "a list of 10", "fewer items - 2"
                r"(?:\ba list of|\b(?:items?|topics?|ideas?|steps?|points?)\s*[-:–])\s*" + self._num + r"\b",
                text,
                re.I,
            )
            found = found or re.search(
                r"[?!.,]\s*(\d{1,2})\s*(?:pls|please)\b", text
            )  # "ideas??? 3 pls, ..."
            found = found or re.search(
                r"(?:^|[,.?!]\s*)(?:maybe\s+|say\s+|like\s+|about\s+)?"
                + self._num
                + r"\s*(?:pls|please|of them|only|is enough|will do|if possible|would be (?:better|good))?"
                r"\s*[.!?]*$",
                text,
                re.I,
            )
        if not found or NEGATED.search(text[: found.start(1)]):
            return None  # "I won't do five things": not the number wanted
        n = self._number(found.group(1))
        return n if 0 < n <= 20 else None

    def reference(self, text: str, state: State) -> int | None:
        """Which item of the previous answer the message points at (1-based)."""
        lower = text.lower()
        if re.search(r"\bthe middle\b", lower):  # "#1 and #3 are fine, lose the middle one"
            said = sorted({int(n) for n in re.findall(r"(?:#|\bno\.?\s*|\b)(\d)(?:st|nd|rd|th)?\b", lower)})
            if len(said) == 2 and said[1] - said[0] == 2:
                return said[0] + 1
            if len(state.items) % 2 and len(state.items) > 2 and not self._item_pointed.search(lower):
                return (len(state.items) + 1) // 2  # "first and last are good, drop the middle one"
        for pointed in self._item_pointed.finditer(lower):  # "a good first question for the second one"
            if not re.match(r"\s+(?:for|of|in|on) (?:the|this|that)\b", lower[pointed.end() :]):
                return self.lexicon.ordinals[pointed.group(1)]
        words = "|".join(self.lexicon.followups.reference_words)
        found = re.search(
            rf"(?<!\ba )\b({self._ordinal_words})\b(?!\s+(?:\d|two|three|four|five|few|couple|times?|"
            r"session|meeting|note|entry|update|record|call|catch-?up)\b)(?!(?<=last)\s+thing\b)"
            r"(?!(?<=first)\s+(?:line|sentence|words?)\b)"  # "a good first line for the 2nd": an opener
            rf"(?:\s+(?:{words}))?",
            lower,
        )  # not "the first 5 mins", not "a first one back", not "the first time we did it"
        dated = found and re.search(  # "a plan for the 8th": a date, not the eighth item
            rf"(?<!more )(?<!expand )(?<!elaborate )\b(?:for|on|by|until|till|before|after|from|next|this)\s+"
            rf"(?:the\s+)?{re.escape(found.group(1))}(?:\s*$|\s*[,.;!?]|\s+(?:of|at|w|with|when|if|so|and|"
            r"then|as|session|meeting|please|pls)\b)",
            lower,
        )
        if (
            found
            and not (dated and re.fullmatch(r"\d+(?:st|nd|rd|th)", found.group(1)))
            and (
                found.group(0) != found.group(1)
                or len(lower.split()) <= 6
                or "the " + found.group(1) in lower
                or found.start() == 0  # "2nd sounds good, how would I open it"
            )
        ):
            return self.lexicon.ordinals[found.group(1)]
        small = "|".join(w for w, n in self.lexicon.numbers.items() if n <= 10 and " " not in w)
        found = (
            re.search(
                rf"(?:#|\bno\.?\s*|\bno to\s+|\bnumber\s+|\boption\s+|\b(?:{words})\s+)(\d{{1,2}}|{small})\b",
                lower,
            )
            or PICKED_N.search(lower)  # "i like 3. give me an opening line"
            or NUMBER_FIRST.search(lower)  # "3 is good. say more", "2 - how do i open that"
        )
        if found:
            return self._number(found.group(1))
        found = re.search(
            r"\b(?:about|on|explain|expand on|more on)\s+(\d{1,2})\b(?!\s*(?:min|minutes|topics|ideas))",
            lower,
        )
        if found:
            return int(found.group(1))
        if state.items and self._last_item.search(lower):
            return len(state.items)
        if len(state.items) == 2 and state.ref in (1, 2) and OTHER_ONE.search(lower):
            return 3 - state.ref  # "the other one then", after more on one of two
        if state.items and len(state.items) % 2 and re.search(r"\bmiddle\b", lower):
            return (len(state.items) + 1) // 2  # "the middle one"
        found = re.search(
            r"\b(?:swap|replace|change|switch|drop|lose|bin|cut)\s+(\d)\b(?!\s*(?:min|minutes|h\b))", lower
        )
        if found and state.items:
            return int(found.group(1))  # "swap 1 for something on copilot"
        return self._side_item(lower, state) or self._named_item(lower, state)

    def _move(self, lower: str, state: State) -> dict[str, str] | None:
        """An agenda part the message puts elsewhere, by its title: {"part": …, "to": "start"}."""
        said = MOVE.search(lower)
        if not said:
            return None
        found = {k.removeprefix("x_"): v for k, v in said.groupdict().items() if v}
        named = (found.get("part") or found.get("part2") or found.get("part3") or "").strip()
        part = self._part_title(named, state)
        words = [w for w in named.split() if w not in MOVE_FILLER and w not in STOPWORDS]
        if part is None and not (
            0 < len(words) <= 3 and not set(words) & (self._pointers | SIDE_WORDS | WHO)
        ):
            return None  # "can the exec go first": a side, for the order rule
        part = part or named  # a part the agenda lacks ("the open floor"): the tool says so
        if edge := found.get("edge"):
            return {"part": part, "to": "start" if edge in ("start", "open", "kick off", "begin") else "end"}
        if other := found.get("before") or found.get("after"):
            place = self._part_title(other, state)
            key = "before" if found.get("before") else "after"
            return {"part": part, key: place} if place and place != part else None
        to = "end" if re.search(r"\b(?:last|end|bottom)\b", found["where"]) else "start"
        if any(i in (f"{part} (mentor)", f"{part} (executive)") for i in state.items):
            return None  # "can the exec go first", "my part last": beside the other side's part (the order)
        return {"part": part, "to": to}

    def _added_part(self, lower: str, state: State) -> dict[str, Any] | None:
        """A part the message adds to an agenda, in its words, with its length and place when said.

        "Can we talk about the budget?" places nothing, so it is not one; "after his bit can we check
        how the quiet hours went" is.
        """
        said = ADDED.match(lower)
        if not said and (fits := FITS_IN.match(lower)):  # "could we fit in the survey too": add it
            said = ADDED.match("add " + (fits.group("what") or fits.group("room")))
        if not said and (put := PUT_IN.match(lower)) and not re.search(r"\bback$", put.group("what")):
            said = ADDED.match("add " + put.group("what"))  # "Put the dashboard in. I want to show her…"
        if not said or ADD_ONE.match(lower):
            return None
        found = {k: v for k, v in said.groupdict().items() if v}
        mine = re.match(r"(?:for\s+)?me to\b", found["what"])  # "time for me to go through the figures"
        what = re.sub(r"^(?:(?:for\s+)?(?:me|us|him|her|them) to|that we)\s+", "", found["what"]).strip()
        edge = found.get("a_edge") or found.get("m_edge") or found.get("edge")
        placed = edge or found.get("a_rel") or found.get("rel")
        named = set(re.findall(r"[a-z&']+", what)) - STOPWORDS - {"more", "min", "mins", "minute", "minutes"}
        named -= set(self.lexicon.focus_filler)  # "add 10 min actually": a length, no part named
        if (
            not named
            or (found.get("we") and not placed)
            or re.match(r"(?:more|a lot more|a bit more|extra)\b", what)  # "add more detail": longer
            or self._durations.search(what)  # "add a quarter of an hour to that": a length, not a part
        ):
            return None
        what = re.sub(r"\s+(?:to|in|into|on) (?:the|this|our|that) (?:agenda|plan|session)\b", "", what)
        if kind := PART_FOR.match(what):  # "a closing bit where we each say one thing we learned": that, last
            what = kind.group("what")
            if kind.group("edge") and not edge:
                edge = kind.group("edge")
        what = re.sub(r"(?<=\w)\s+(?:bit|part|slot|section|item)$", "", what)  # "a next-steps bit"
        if self._part_title(what, state):
            return None  # "put 10 min on the check-in": a part it has, resized
        added: dict[str, Any] = {"title": what}
        if n := found.get("n"):
            added["minutes"] = self._number(n)
        if mine and state.role in ("mentor", "executive"):
            added["lead"] = state.role
        rel, part = (
            (found.get("a_rel"), found.get("a_part"))
            if found.get("a_rel")
            else (found.get("rel"), found.get("part"))
        )
        if edge:
            added["to"] = "end" if re.search(r"end|bottom|last|final|finish|clos", edge) else "start"
        elif rel and part and (title := self._part_title(part, state)):
            added[rel] = title
        return added

    def _part_title(self, said: str, state: State) -> str | None:
        """The title of the agenda part ``said`` names ("his bit", "the check in"), without its lead."""
        n = self._side_item(said, state) or self._part_title_item(said, state)
        return item_title(state.items[n - 1]) if n else None

    def _part_title_item(self, said: str, state: State) -> int | None:
        """The item whose title has every word of ``said``: "the open floor" is not "open actions".

        "The main bit" is the longest part (the first of the longest).
        """
        words = [w for w in re.split(r"[\s/-]+", said.strip()) if w not in MOVE_FILLER and w not in STOPWORDS]
        if words in (["main"], ["big"], ["meaty"]) and state.lengths:
            return state.lengths.index(max(state.lengths)) + 1
        n = self.best_title(words, state.items) if words else None
        title = re.findall(r"[\w&+]+", state.items[n - 1].lower()) if n else []
        return n if n and all(any(t.startswith(w[:5]) for t in title) for w in words) else None

    @staticmethod
    def session_end(lower: str) -> dict[str, str]:
        """When a message says the session must end, and starts if it says so: {"until": "09:00"}.

        Times are as said ("2.40" is 02:40); the chat sets them against the session's start.
        """
        ends = ENDS_AT.search(lower)
        if not ends:
            return {}
        said = ends.groups()[:3] if ends.group(1) else ends.groups()[3:]
        found = {"until": _clock(*said)}
        if starts := STARTS_AT.search(lower):
            found["from"] = _clock(*starts.groups())
        return found

    @staticmethod
    def whose(said: str, role: str) -> str | None:
        """Whose part "my", "his", "the exec's" or "helen's" is, said by someone in ``role``."""
        whose = said.removeprefix("the ").removesuffix("'s")
        other = {"mentor": "executive", "executive": "mentor"}.get(role)
        if whose.startswith("exec"):
            return "executive"
        return {"my": role if other else None, "mentor": "mentor"}.get(whose, other)

    def _side_item(self, lower: str, state: State) -> int | None:
        """An agenda's part named by whose it is: "his part" (said by the mentor), "my bit"."""
        said = SIDE_PART.search(lower)
        if state.task != "agenda" or not said:
            return None
        side = self.whose(said.group(1), state.role)
        if not side:
            return None
        led = [n for n, title in enumerate(state.items, 1) if f"{side}-led" in title.lower()]
        led = led or [n for n, title in enumerate(state.items, 1) if title.lower().endswith(f"({side})")]
        return led[0] if len(led) == 1 else None

    def _done(self, lower: str, state: State) -> int | None:
        """The open action (an item "Owner: action") a statement that something is done names, if one."""
        actions = [(n, item) for n, item in enumerate(state.items, 1) if re.match(r"[A-Z][\w'-]*: ", item)]
        words = [w for w in re.findall(r"[a-z&+'-]+", DONE_IT.sub(" ", lower)) if w not in self._asked]
        n = self.best_title(words, tuple(item.split(": ", 1)[1] for _, item in actions))
        return actions[n - 1][0] if n else None

    def _named_item(self, lower: str, state: State) -> int | None:
        """An item named by words of its title ("the AI one", "the linkedin topic", "the pricing thing")."""
        words = self._item_words(lower, state)
        if words is None and state.items and (end := TITLE_SAID.search(lower)):
            words = re.split(r"[\s/-]+", end.group(1))  # "how do i open the check-in": a title said whole
            n = self.best_title(words, state.items)
            title = set(re.findall(r"[\w&+]+", state.items[n - 1].lower())) if n else set()
            return n if n and all(any(t.startswith(w[:5]) for t in title) for w in words) else None
        if not words or not state.items:
            return None
        if (
            (asked := str(state.args.get("focus") or "").lower())
            and self.best_title(words, state.items) is None
            and self.best_title(words, (asked,)) is not None
        ):  # "the ESG one" after "swap 2 for ESG": the item brought in, whatever its title says; "the
            # Power BI one" after topics asked on it: the first, ranked for it
            return state.ref or 1
        return self.best_title(words, state.items)

    @staticmethod
    def _item_words(lower: str, state: State) -> list[str] | None:
        """The words an item is named by ("the budget one": ["budget"]), None when none is named so."""
        found = re.search(
            r"\bthe\s+([\w&+/'-]+(?:\s+[\w&+/'-]+){0,2})\s+(?:one|topic|idea|item|step|bit|part|point|pair|"
            r"thing|suggestion|question|action|task|slot)s?\b",
            lower,
        )
        if found and found.group(0).endswith(("slot", "slots")) and state.task != "brief":
            found = None  # "the fixed slot" in a brief's actions; "the ai tips slot" is a session's part
        found = found or re.search(
            r"\bthe (?:one|point|bit|part|item|step|idea|topic|question|thing|suggestion) "
            r"(?:with|about|on|where|that)\s+(?:the\s+)?([\w&+/'-]+(?:\s+[\w&+/'-]+){0,2})",
            lower,
        )
        if not found:
            return None
        return [
            w
            for w in re.split(r"[\s/]+", found.group(1))
            if w
            not in ("first", "other", "last", "same", "whole", "main", "next", "new", "this", "that", "one")
        ]

    @staticmethod
    def _item_asked(lower: str, state: State) -> int | None:
        """The one item of a brief a question is about by its words, three or more and more than any other.

        "which two budget lines…?" asks of "pick two budget lines for Priya to shadow".
        """
        asked = {w[:5] for w in re.findall(r"[a-z][\w'-]+", lower) if len(w) > 3 and w not in STOPWORDS}
        shared = sorted(
            (
                (len(asked & {w[:5] for w in re.findall(r"[a-z][\w'-]+", item.lower()) if len(w) > 3}), n)
                for n, item in enumerate(state.items, 1)
            ),
            reverse=True,
        )
        if not shared or shared[0][0] < 3 or (len(shared) > 1 and shared[1][0] == shared[0][0]):
            return None
        return shared[0][1]

    @staticmethod
    def best_title(words: list[str], titles: tuple[str, ...]) -> int | None:
        """The title sharing most of ``words`` (by their first letters: plurals and typos pass)."""
        if not words or not titles:
            return None
        hits = []
        for n, title in enumerate(titles, 1):
            title_words = re.findall(r"[\w&+]+", title.lower())
            shared = sum(
                any(t.startswith(w[:5]) or w.startswith(t[:5]) for t in title_words if len(t) > 3)
                if len(w) > 3
                else w in title_words  # "the AI one"; not "in" for "instead"
                for w in words
                if len(w) > 1 and w not in STOPWORDS
            )
            hits.append((shared, n))
        best = max(shared for shared, _ in hits)
        return None if best == 0 else min(n for shared, n in hits if shared == best)

    def asks_wording(self, text: str) -> bool:
        """Whether a message asks for the words to say ("an opening line", "what do i say")."""
        return bool(self._wording.search(text.lower()))

    def listed_subjects(self, text: str) -> list[str]:
        """The two or three subjects a request lists ("…, pilot feedback + new year plans"), as said."""
        found = SUBJECT_LIST.search(text.lower())
        if not found:
            return []
        pieces = [
            SUBJECT_FILLER.sub("", p.strip()) for p in re.split(r"\s*(?:\+|&|,|\band\b)\s*", found["list"])
        ]
        if not 2 <= len(pieces) <= 3 or any(
            not p
            or len(p.split()) > 4
            or re.search(r"\d|\b(?:min|mins|minutes|hours?|pls|please|it|we|i|you|he|she|they)\b", p)
            or p.split()[0] in ("keep", "make", "do", "have", "let", "go", "be", "is", "just", "not", "no")
            or set(p.split()) <= self._not_subjects | self._not_focus
            for p in pieces
        ):
            return []
        return pieces

    def focus(self, original: str, people: frozenset[str] = frozenset()) -> str | None:
        """The subject a message asks about ("AI", "customer", "P&L"), never a time, a person or a filler.

        In a long message the request is read first: "... so today was a mess ... anyway, what could
        we cover? i want to keep the budget side going" is about the budget, not about the mess.
        """
        if LOOKING_BACK.search(original):  # "something reflective", "looking back on what we did this yr"
            return "looking back"
        original = NOT_ABOUT.sub(" ", DONE_ALREADY.sub(" ", original))  # subjects set aside: not these
        original = re.sub(  # "something budget-y", "anything tech-ish": about the budget, tech
            r"\b(?:(something|anything|sth|stuff|ones?)\s+)?([a-z]{2,})-(?:y|ey|ish)\b",
            lambda m: f"{m.group(1)} about {m.group(2)}" if m.group(1) else m.group(2),
            original,
            flags=re.I,
        )
        sentences = re.split(r"(?<=[.!?])\s+|\s+(?=anyway\b|but anyway\b)", original)
        if len(original.split()) > 30 and len(sentences) > 2:
            asks = [i for i, t in enumerate(sentences) if REQUEST.search(t)]
            wanted = NOT_THIS.sub(" ", " ".join(sentences[asks[-1] :])) if asks else ""
            if wanted and (found := self._focus(wanted, people)):  # "things that aren't the ai stuff"
                return found
        if (turn := CONTRAST.search(original)) and (after := self._focus(original[turn.end() :], people)):
            return after  # "she has been teaching me about tiktok, but I want to give back on negotiation"
        found = self._focus(original, people)
        if found and (alone := re.match(r"(?:with|w)\s+(\w+)$", found)) and alone.group(1) in people:
            return None  # "stuff to talk abt w helen": who with, not what about
        if found and (named := re.match(r"(.+?)\s+(?:with|w)\s+(\w+)$", found)) and named.group(2) in people:
            return named.group(1)  # "my 20 min slot on copilot with gareth": copilot
        return found if found is None or re.search(r"\w", found) else None  # not "'" from "like 'X'"

    def _focus(self, original: str, people: frozenset[str]) -> str | None:
        original = MEDIUM.sub(r"\1", original)  # "30 min on teams": where it happens, not what about
        original = MEDIUM_SAID.sub(r"\g<keep>", original)
        original = FROM_PLACE.sub("", original)  # "from the leeds depot": where from, not what about
        offered = re.search(  # "ideas for when we restart? maybe tiktok, he asked…", "…, key accounts maybe"
            r"(?:^|[.?!,;]\s*|\bso\s+)(?:(?:maybe|perhaps|possibly|ideally|preferably)\s+([\w&+-]+(?:\s[\w&+-]+)?)|"
            r"(?!(?:something|anything|stuff)\b)([\w&+-]+(?:\s[\w&+-]+)?)\s+(?:maybe|perhaps|possibly|ideally))"
            r"\s*(?:[,.;!?]|$)",  # not "something light maybe": a kind of topic, not a subject
            original,
            re.I,
        )
        if (
            offered
            and (candidate := self._clean_focus(offered.group(1) or offered.group(2)))
            and candidate not in people
            and (offered.group(1) or self._subject_words(candidate, people))  # not "not sure maybe"
        ):
            return candidate
        minded = re.search(  # "winter range data is on my mind": the data
            r"(?:^|[.?!,;]\s*)([\w&+' -]{2,40}?)\s+(?:is|are|'s|has been|have been)\s+"
            r"(?:really\s+|very much\s+)?on (?:my|his|her|our|their) (?:mind|radar|plate)\b",
            original,
            re.I,
        )
        if minded and (candidate := self._clean_focus(minded.group(1))) and candidate not in people:
            return candidate
        placed = PLACED.search(original) or ONLY_ONES.search(original)  # "put LinkedIn on Thursday's agenda"
        if placed and (candidate := self._clean_focus(placed.group(1))) and candidate not in people:
            return candidate
        for prep in re.finditer(
            r"(?<!')\b(?:about|around|regarding|re|on the theme of|focus(?:ed|ing)? on|related to|to do with|"
            r"(?<=something )(?:with|w)(?=\s+the\b)|"  # "something w the merger if poss"
            r"(?:land|landed|settle|settled|decide|decided|agree|agreed) on (?:for|with|re)|"  # on for X
            r"on(?!\s+board" + ON_BOARD_END + r"|\s+(?:my|his|her|our|their)\s+" + ON_STATE_NOUNS + r"\b)|"
            r"covering|build(?:s|ing)? on|tied to|linked to|where are we (?:with|on)|"
            r"main thing(?: is| being| should be)?|start(?:ing)? with|mainly|mostly|cent(?:red|ered) on|"
            r"keep (?:it|them|things) to|"
            r"(?:more )?interested in|touch(?:es|ing)? on|"
            r"more like|dig(?:ging)? into|dive into|get(?:ting)? into|deep dive on|learn(?:ing)? about|"
            r"understand|explore|exploring|"
            r"help(?:s|ing)?\s+(?:(?:her|his|their|your)|[a-z]+'s)(?=\s+[a-z]))\s+",
            original,
            re.I,
        ):
            candidate = self._clean_focus(original[prep.end() :])
            if candidate and candidate not in people:
                return candidate
        for verb in VERB_FOCUS.finditer(original):  # "we're doing the budget", "I'd like to cover X"
            candidate = self._clean_focus(original[verb.end() :])
            first = candidate.split()[0] if candidate else ""
            if first in self._not_focus and candidate and len(candidate.split()) >= 3:  # "the new rota app"
                candidate = candidate.split(" ", 1)[1]
                first = candidate.split()[0]
            if (
                candidate
                and candidate not in people
                and not first[0].isdigit()  # "want to do a 30 min session"
                and first not in self._not_focus  # "we're doing fine"
                and (
                    word_classes(first) & {"NOUN", "ADJ", "PROPN"}
                    or (first.endswith("ing") and " " in candidate)  # "our pricing model"
                )
            ):
                return candidate
        match: re.Match[str] | None = (
            re.search(  # "the same but for the electric trucks"
                r"\bsame(?: thing| \w+)?,?\s+(?:but\s+)?(?:for|on|about)\s+(?:the\s+)?"
                r"([\w&+-]+(?:\s[\w&+-]+){0,2}?)"
                r"(?:\s*[,.?!]|\s+(?:not|instead|please|pls)\b|$)",
                original,
                re.I,
            )
            or re.search(  # "can u do linkedin instead", "go with esg instead"
                r"\b(?:do|try|use|pick|go with|switch to|make (?:it|them) about|about|for|on)\s+(?:the\s+)?"
                r"([\w&+-]+(?:\s[\w&+-]+){0,2}?)\s+(?:instead|rather than|in place of)\b",
                original,
                re.I,
            )
            or re.search(  # "the pricing thing", "his 15 min supplier negotiation bit"
                r"\b(?:the|his|her|my|their|our|[a-z]+'s)\s+(?:\d+\s*(?:min(?:ute)?s?|m)?\s+)?"
                r"([\w&+-]+(?:\s[\w&+-]+)?)\s+(?:thing|piece|bit|stuff|question|issue|business|slot)\b",
                original,
                re.I,
            )
            or re.search(
                r"^(?:and|what about|also)\s+(?:the\s+)?([\w&+-]+(?:\s[\w&+-]+)?)\s*(?:[?.!,]|$)",
                original,
                re.I,
            )
            or re.search(r"\b([\w&+]+)-wise\b", original, re.I)  # "strategy-wise"
            or re.search(
                r"(?:^|,\s*)([\w&+-]+(?:\s[\w&+-]+)?)\s+focus\s*(?:[,.;!?]|$)", original, re.I
            )  # "retention focus"
            or re.search(  # "a plan for the AI pilot review", "an agenda for the electric vans conversation"
                r"\b(?:agenda|plan|session|topics?|ideas?|angles?)\s+for\s+(?:the|our|a|my|his|her)\s+"
                r"(?!(?:first|second|third|next|last|final|new|usual|regular|monthly|weekly|fortnightly|short|"
                r"long|quick|proper|big|small|half|part|bit|side|slot|share|turn)\b)"
                r"([\w&+-]+(?:\s[\w&+-]+){0,3}?)\s+(?:review|conversation|discussion|chat|session|talk|catch-?up|"
                r"slot|part|bit|half|piece)\b",
                original,
                re.I,
            )
            or re.search(  # "agenda: ESG reporting, 45 mins"
                r"^(?:agenda|plan|topics?|ideas?)\s*[:–-]\s*([\w&+-]+(?:\s[\w&+-]+){0,3}?)\s*(?:[,.;!?]|$)",
                original,
                re.I,
            )
            or re.search(  # "Ideas for my 15 minutes. Key accounts, probably."
                r"(?:^|[.!?:]\s+)(?!(?:something|anything|nothing|not|no|sure|idk)\b)"
                r"([a-z][\w&+-]*(?:\s[\w&+-]+){0,3}?),?\s+(?:probably|perhaps|i think|i guess)[.!?]*$",
                original,
                re.I,
            )
            or re.search(  # "she needs to get the winter range data sorted"
                r"\b(?:need|needs|has|have|got) to (?:get|have)\s+(?:the\s+|her\s+|his\s+|their\s+|our\s+)?"
                r"([\w&+-]+(?:\s[\w&+-]+){0,3}?)\s+(?:sorted|done|ready|finished|fixed|signed off|nailed)\b",
                original,
                re.I,
            )
            or re.search(  # "with the capex discussion as the centrepiece"
                r"\b(?:the\s+)?([\w&+-]+(?:\s[\w&+-]+){0,2}?)\s+as\s+(?:the|our|a)\s+"
                r"(?:centrepiece|centerpiece|main (?:thing|topic|part|event|focus)|focus|theme|core)\b",
                original,
                re.I,
            )
            or re.search(  # "from the budget side", "keep the budget side going"
                r"\bthe ([\w&+-]+(?:\s[\w&+-]+)?) side\b", original, re.I
            )
            or re.search(  # "..., commercial strategy stuff" / "..., the customer side pls"
                r",\s*(?:the\s+|some\s+)?([\w&+-]+(?:\s[\w&+-]+){0,2}?)\s+(?:stuff|side|things|angle|related)\b",
                original,
                re.I,
            )
        )
        if match:
            candidate = self._clean_focus(match.group(1))
            if candidate and candidate not in people:
                return candidate
        if stuff := re.search(r"\b([\w&+-]+(?:\s[\w&+-]+)?)\s+(?:stuff|related stuff)\b", original, re.I):
            words = [w for w in stuff.group(1).split() if w.lower() not in self._asked]  # "did linkedin"
            candidate = self._clean_focus(" ".join(words)) if words else None
            if candidate and candidate not in people:
                return candidate
        match = re.search(
            r"\b(?:\d+|some|a few|few|couple of|any|more|an?)\s+"
            r"([\w&+-]+(?:\s[\w&+-]+)?)\s+(?:topics?|ideas?|conversation starters)\b",
            original,
            re.I,
        ) or re.search(r"^([a-z][\w&+-]*)\s+(?:topics?|ideas?)\b", original, re.I)  # "ai topic ideas?"
        if match:
            candidate = self._clean_focus(match.group(1))
            if (
                candidate
                and candidate not in people
                and candidate not in self._not_focus
                and "NOUN" in word_classes(candidate.split()[-1])  # "Suggest topics for 17 December."
            ):
                return candidate
        return None

    def _subject_words(self, text: str, people: frozenset[str]) -> list[str]:
        """The message's words that can be nouns (or are gerunds), less question words, names and times."""
        return [
            bare
            for word in re.findall(r"[\w&+'-]+", text.lower())
            if (bare := word.strip("'-").removesuffix("'s"))
            and re.match(r"[a-z]", bare)
            and bare not in self._subjectless
            and not re.search(r"'(?:d|ll|ve|re|m|t)$", bare)  # "he'd", "didn't"
            and bare not in people
            and bare.removesuffix("s") not in people  # "gareths off from the 18th"
            and not re.fullmatch(WEEKDAY + "|" + MONTH, bare)
            and bare not in self.lexicon.numbers  # "shadow two lines": a count, not what it is about
            and ("NOUN" in word_classes(bare) or bare.endswith("ing"))
        ]

    def context_subject(self, text: str, people: frozenset[str] = frozenset()) -> str | None:
        """The subject a request leaves to a sentence of its own.

        "ingrid reports the winter range data to the board in march. topics for that?" is about the
        winter range data: the longest run of nouns in the message's other sentences (the last of
        equals; a sentence that sets something aside, "not budgets", says what it is not about).
        """
        said = ACKNOWLEDGED.sub("", text, count=1)  # "ah ok fair. can you plan the 45 min then"
        said = DONE_ALREADY.sub(" ", said)  # "teams, copilot, linkedin all done already": not these
        said = re.sub(r"\([^()]*\)", " ", said)  # "i mentor martin (the COO…)": an aside
        said = MEDIUM_SAID.sub(r"\g<keep>", said)  # "he can do the 8th on teams.": how, not what about
        said = FROM_PLACE.sub("", said)  # "from the leeds depot": where from
        sentences = [s for s in re.split(r"(?<=[.!?])\s+|\.{2,}\s*|\s+[-–]\s+", said) if s.strip()]
        if len(sentences) < 2:
            return None
        runs: list[list[str]] = []
        for sentence in sentences:
            if (
                REQUEST.search(sentence)
                or self._cues["topics"].search(sentence)
                or self._cues["agenda"].search(sentence)
                or SETS_ASIDE.search(sentence)
                or self._cues["greeting"].search(sentence)  # "hiii.", "hey!"
                or CHIT_CHAT.search(sentence)  # "survived the week from hell lol."
                or INTRODUCED.search(sentence)  # "i'm priya, i mentor martin.": who, not what about
            ):
                continue
            nouns = {  # not "prepped": a word the dictionary lacks that reads as a past form
                w
                for w in self._subject_words(ON_BOARD.sub(" ", sentence), people)
                if w not in self._not_subjects and not (w.endswith("ed") and "?" in word_classes(w))
            }
            runs.append([])
            before = placed = ""
            for word in re.findall(r"[\w&+'-]+", sentence.lower()):
                bare = word.strip("'-").removesuffix("'s")
                verb = bare.endswith("ing") or (before == "to" and "VERB" in word_classes(bare))
                verb = verb or (before in COPULAS and "ADJ" in word_classes(bare))  # "kai's been brilliant"
                verb = verb or (  # "Noor leads the first half", "before i fill it in"
                    (before in people or before in SUBJECT_PRONOUNS) and "VERB" in word_classes(bare)
                )
                if bare in nouns and (runs[-1] or not verb):  # not "collecting" feedback, "to report" data
                    if not runs[-1] and placed in ("at the", "during the"):
                        continue  # "raised hybrid work again at the town hall": where, not what
                    if not runs[-1] and before in ("from", "in") and "?" in word_classes(bare):
                        continue  # "he can do the 8th from madrid": where he is, not what about
                    if not runs[-1] and ON_STATE.fullmatch(f"{placed} {bare}".strip()):
                        continue  # "he was on his phone the whole time": how he was, not what about
                    runs[-1].append(word)
                elif runs[-1]:
                    runs.append([])
                placed, before = f"{before} {bare}", bare
        found = [run for run in runs if run]
        if not found:
            return None
        best = max(len(run) for run in found)
        return self._clean_focus(" ".join([run for run in found if len(run) == best][-1][-4:]))

    def note_subject(
        self, text: str, people: frozenset[str] = frozenset(), asked: bool = False
    ) -> str | None:
        """What a question about the notes asks after when no phrase names it.

        Its words that can be nouns: "did gareth ever look at the hybrid survey i sent him" asks after
        "hybrid survey"; "what do I owe her", nothing.
        """
        text = ACKNOWLEDGED.sub("", text, count=1) or text  # "perfect. oh also did he ever tell me why…"
        text = REMARK_AFTER.sub("", text)  # "what did we agree? its been ages": the question
        sentences = re.split(r"(?<=[.!?])\s+", text.strip()) if asked else []
        if len(sentences) > 1 and (  # a question asked: not "I have the check-in form in front of me.
            wanted := [s for s in sentences if s.endswith("?") or REQUEST.search(s) or not PREAMBLE.match(s)]
        ):  # Could you remind me…?"; but "And LinkedIn. When did that last come up?"
            text = " ".join(wanted)
        words = [
            w for w in self._subject_words(ON_BOARD.sub(" ", text), people) if w not in self._not_subjects
        ]
        return self._clean_focus(" ".join(words[-4:])) if words else None  # not "back" in "back in april"

    def _clean_focus(self, raw: str) -> str | None:
        lead = (
            r"^(?:the|our|my|his|her|their|some|a|an|more|of|stuff|things|how|why|what|when|whether|if|where|"
            r"something|anything|around|about|on|regarding|concerning|going through|going over|"
            r"looking at|using|"
            r"talking about|talking through|working on|covering|discussing|reviewing|rehearsing|"
            r"practi[sc]ing|(?:(?:quick|brief|short|proper|closer)\s+)?(?:look|chat|peek|glance)\s+(?:at|about|on)|"
            r"(?:want|wanna|need|hope|like) (?:to )?[a-z]+"
            r"(?: through| over| at| on| for| about)?)"
        )
        lead += r"\s+"
        text = " ".join(raw.split())
        if owned := OWN_WAY.match(text):  # "how his team runs meetings": running meetings
            verb = owned.group("verb").lower()
            text = f"{gerund(verb) or verb} {text[owned.end() :]}"
        previous = None
        while previous != text:
            previous = text
            text = re.sub(lead, "", text, flags=re.I)
        if re.fullmatch(r"(?:or|to)\s+\d+", text):
            return None  # "could u turn that into 2 or 3 topics"
        if re.match(r"(?:from|on|for)\s+(?:my|his|her|their|your|our|[a-z]+'s)\s+(?:side|end)\b", text, re.I):
            return None  # "what's noor working on from her side": whose, not what
        if (shown := re.match(r"(?:that|this|those|these)\s+([a-z][\w-]*)\s+\w", text, re.I)) and (
            word_classes(shown[1].lower()) & {"NOUN", "ADJ"}
        ):  # "that expense tool he keeps mentioning": the expense tool
            text = text[shown.start(1) :]
        # "how we price key accounts" is about key accounts
        doing = re.match(  # "how she'll present the winter range data": the data
            r"(?:we|i|you|they|he|she|people)(?:'ll|'d|\s+will|\s+would|\s+can|\s+could|\s+should)?\s+"
            r"(?!(?:are|is|was|were|do|did|have|has)\b)[\w'-]+\s+(?:(?:out|up|off|down|through|back)\s+)?",
            text,
            re.I,
        )
        if doing and re.match(r"(?:with|around|about)\s+\w", text[doing.end() :], re.I):
            if doing_it := gerund(text[: doing.end()].split()[-1].lower()):  # "how we negotiate with X"
                text = f"{doing_it} {text[doing.end() :]}"  # negotiating with key suppliers
        elif doing and word_classes(text[doing.end() :].split()[0].lower()) & {"NOUN", "ADJ"}:
            text = text[doing.end() :]
        text = re.split(r"\s[+&]\s", text, maxsplit=1)[0]  # "the electric lorries + the range worries"
        text = re.split(
            r"[?.!,;:]|(?<![-'])\b(?:at|in|for|during|before|after|next|this|last|tomorrow|today|please|pls|"
            r"back(?=\s+(?:in|then|when|at|on|before|last)\b)|"  # "gareth back in sept": when, not what
            r"instead|then|and|so|that|which|because|since|while|whilst|we|i|you|he|she|they|to|went|go|goes|got|"
            r"would|could|might|"
            r"(?<!hybrid )(?<!remote )(?<!flexible )(?<!shift )(?<!office )(?<!home )(?<!async )works?|"
            r"(?:with|w)(?=\s+(?:him|her|them|me|us|my|his|our|their|the (?:exec|mentor|team|board))\b)|"
            r"is|are|was|were|did|does|do|has|have|had|must|should|will|shall|can|how|why|when|what|maybe|"
            r"if poss(?:ible)?|" + WEEKDAY + r")\b",
            text,
            maxsplit=1,
            flags=re.I,
        )[0]
        text = re.sub(  # "the rostering feedback on the 10th", "supplier negotiations first"
            rf"\s+(?:on\s+(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?|{self._ordinal_words}|{WEEKDAY})\b|"
            # "the hybrid thing from the summer": when it came up, not what about
            rf"from\s+(?:the\s+|back in\s+|last\s+|earlier in\s+(?:the\s+)?)?"
            rf"(?:summer|spring|autumn|fall|winter|year|term|quarter|{MONTH}|before|earlier)\b|"
            r"(?:first|too|again|later|now|as well|better|properly|exactly|precisely)\s*$).*$",  # "X better"
            "",
            text,
            flags=re.I,
        )
        previous = None
        while previous != text:
            previous = text
            text = re.sub(lead, "", text.strip(), flags=re.I)
            text = self._filler.sub("", text).strip()
        text = re.sub(  # "her using AI on anything": AI
            r"\s+(?:on|for|with|in|about)\s+(?:anything|something|everything|stuff)$", "", text, flags=re.I
        )
        text = re.sub(
            r"(?:\s+(?:on|in|at|for|of|with|to|about|from|by))+$", "", " ".join(text.split()), flags=re.I
        ).strip(" +&/-")
        text = re.sub(r"^(?:the|a|an|some|our|my)$", "", text, flags=re.I)
        text = re.sub(r"(?<=\w)\s+(?:one|ones|idea|ideas)$", "", text, flags=re.I)  # "an AI one": AI
        text = re.sub(  # "the hybrid work conversation": hybrid work
            r"(?<=\w)\s+(?:conversation|discussion|chat|talk|topic|question|issue|piece)s?$",
            "",
            text,
            flags=re.I,
        )
        text = re.sub(r"^([\w&+-]+)'s$", r"\1", text)  # "the board's (questions)": the board
        if (
            not text
            or text.lower() in self._not_focus
            or re.fullmatch(r"[\d\s]+", text)
            or text.lower() in self.lexicon.numbers
            or re.match(r"\d{1,2}(?:st|nd|rd|th)\b", text, re.I)  # "on the 8th" is a date
            or re.match(
                rf"(?:{self._ordinal_words})\b(?!\s+\w+\s+of\b)", text, re.I
            )  # not "first month of X"
            or re.fullmatch(rf"(?:\d{{1,2}}\w*\s+{MONTH}|{MONTH}\s+\d{{1,2}}\w*)(?:\s.*)?", text, re.I)
        ):
            return None
        if re.match(
            r"(?:it|that|this|them|those|these|him|her|me|us)\b(?!\s+(?:security|strategy|team|department))",
            text,
        ):  # "did he say anything else abt it or just that", "they're all about him lol": a pointer
            return None
        text = re.sub(r"^\d+[\s-]*(?:min(?:ute)?s?|hours?|hrs?)\s+", "", text, flags=re.I)  # "30 minute X"
        if text.lower() in self._not_focus or word_classes(text.lower()) == {"ADV"}:  # "about anyway"
            return None
        if re.fullmatch(
            r"(?:(?:\d+|a few|few|five|ten|fifteen|twenty|thirty|forty|an?|one|two|three)\s*)?"
            r"(?:minutes?|mins?|hours?|topics?|ideas?|sessions?|meetings?)",
            text,
            re.I,
        ):  # "I have about five minutes": a length, not a subject
            return None
        leaving = re.fullmatch(  # "why young drivers leave" is about keeping them; "parental leave" is not
            r"(.+?)\s+(?:keep\s+)?"
            r"(?:leave|leaving|quit|quitting|resign|resigning|stay|staying|move on|walk)\b.*",
            text,
            re.I,
        )
        if leaving:  # who leaves is a plural ("drivers", "people")
            *rest, who = leaving.group(1).lower().split()
            one = singular(who)
            if one != who or who in ("people", "staff", "folks"):
                return " ".join([*rest, "people" if who == "people" else one, "retention"])
        return text.lower()

    # Intents ---------------------------------------------------------------------------

    def scores(self, text: str, role: str) -> dict[str, float]:
        """Each intent's score: mean similarity of its closest examples, plus cue evidence."""
        vectors, _ = self._examples
        query = np.asarray(self.embed_query(text), dtype=np.float32)
        similarities = vectors @ query
        learned = self._model.scores(features(query[None, :], [text]))[0]
        index, counts, padding = self._example_rows
        ranked = -np.sort(
            -np.where(padding, -np.inf, similarities[index]), axis=1
        )  # each intent's, best first
        k = np.minimum(TOP_K, counts)
        top = np.where(np.arange(TOP_K)[None, :] < k[:, None], ranked[:, :TOP_K], 0).astype(np.float32)
        nearest = (top.sum(axis=1) / k.astype(np.float32)).astype(np.float32) * 0.5 + ranked[:, 0] * 0.5
        result: dict[str, float] = {}
        for i, (name, spec) in enumerate(self.lexicon.intents.items()):
            score = NEAREST_WEIGHT * float(nearest[i]) + MODEL_WEIGHT * float(learned[i])
            if self._cues[name].search(text):
                score += CUE_BONUS
            if spec.roles and role not in spec.roles:
                score -= 0.1
            result[name] = score
        return result

    def _named_people(self, lower: str, state: State, people: frozenset[str]) -> int | None:
        """The one item of a coordinator's list that names the people the message names."""
        named = set(re.findall(r"[a-z]+", lower)) & people
        if not named:
            return None
        hits = [
            n for n, item in enumerate(state.items, 1) if named <= set(re.findall(r"[a-z]+", item.lower()))
        ]
        if len(hits) > 1 and re.search(r"\b(?:new|next|proposed)\b", lower):  # "kai's new match": proposed
            hits = [n for n in hits if state.items[n - 1].startswith("Proposed")]
        return hits[0] if len(hits) == 1 else None

    def _dropped(self, what: str, state: State, text: str) -> Understanding:
        """An edit dropping what was said: the item about it, or the subject as said when none is."""
        named = self._named_item(f"the {what} one", state)
        part = state.items[named - 1] if named else what
        return Understanding(
            "edit", {"change": "drop", "part": part, **({"ref": named} if named else {})}, text=text
        )

    def follow_up(
        self, text: str, state: State, people: frozenset[str] = frozenset()
    ) -> Understanding | None:
        """A reference to, or a change of, the previous answer; None for a new request."""
        if state.task not in FOLLOW_UP_TASKS:
            return None
        text = MADE_ONLY.sub("", text)  # "make the brief just the open actions": just the open actions
        spoken = text.lower().strip()
        if ENDS_THANKING.search(spoken) and "?" not in spoken and len(spoken.split()) <= 6:
            return None  # "I'll ask her. thx": thanks, not more of the answer
        if NEW_SUBJECT.match(spoken):  # "Separately: I'd like Thursday to be more two-way…": a new request
            return None
        if (  # "shorter no actually longer", "drop the 2nd, sorry i mean the 3rd": what is said last
            (fixed := CORRECTED.match(spoken))
            and len(fixed.group("said").split()) <= 4
            and (second := self.follow_up(text[fixed.start("meant") :], state, people)) is not None
        ):
            first = self.follow_up(text[: fixed.end("said")], state, people)
            if (  # "drop the first no wait the last one": that change, of the item named last
                first is not None
                and first.intent == "edit"
                and second.intent == "expand"
                and "ref" in first.slots
                and "ref" in second.slots
            ):
                kept = {k: v for k, v in first.slots.items() if k != "part"}  # the part was the first named
                return Understanding("edit", {**kept, "ref": second.slots["ref"]}, text=text)
            return second
        if (
            (seen := SEES_IT.match(spoken))
            and (seen["who"] in people or seen["who"] in ("he", "she", "they", "my mentor", "my exec"))
            and state.task in NOTES_ANSWERS
            and state.role in ("mentor", "executive")
        ):  # "and can martin see everything in this recap or is some of it just mine": who reads notes
            return Understanding("ask", {}, text=self.lexicon.chat_privacy.get("notes", text))
        if state.task == "ask" and WHAT_TO_WRITE.match(spoken):  # "so what do i put in the note for a call
            return Understanding("ask", {}, text=text)  # like that, just the date?": a question of its own
        if (
            state.task == "rotation"
            and state.args.get("start")
            and (moved := self._calendar_edit(spoken, state))
        ):
            return moved  # "push everything back 2 weeks", "drop the survey"
        if state.task == "agenda" and (
            part_asked := WHICH_PART.match(spoken)
        ):  # "Which part is the hedging case?"
            return Understanding("expand", {"ref": 1, "which": part_asked.group("what")}, text=text)
        if state.task in DRAFTS and CHAT_MEDIUM.search(spoken) and not self._edits["lighter"].search(spoken):
            return Understanding("edit", {"change": "shorter"}, text=text)  # "put that in a slack message"
        if (
            state.task == "brief"
            and spoken.endswith("?")
            and not re.search(
                r"\b(?:did|do|have|has|was|were)\s+(?:we|i|you|he|she|they|[a-z]+ and i)\b", spoken
            )
            and not self._cues["coach"].search(spoken)
            and self.reference(text, state) is None
            and (brief_item := self._item_asked(spoken, state))
        ):
            return Understanding(
                "expand", {"ref": brief_item, "asked": True}, text=text
            )  # "which two budget lines…?"
        if (
            state.task == "brief"
            and DONE_IT.search(spoken)
            and not any(ASKED.search(c) for c in CLAUSE_BREAK.split(spoken))  # "has she done anything"
            and not self._cues["draft_message"].search(spoken)  # "Draft a message to Noor saying it's done"
            and (at := self._done(spoken, state))
        ):
            return Understanding(  # "I checked the hedging figures last week.": that action, done
                "edit", {"change": "drop", "part": state.items[at - 1], "ref": at, "done": True}, text=text
            )
        if state.task in ("topics", "coach", "agenda", "pairing", *DRAFTS) and NOT_ENOUGH.search(spoken):
            return Understanding("edit", {"change": "other"}, text=text)  # "'remind him' isnt gonna cut it"
        if state.task not in DRAFTS and DRAFT_TO.search(spoken):
            return None  # "ok draft a one-liner to gareth": a new request
        if state.task in ("coach", "ask", "search_notes") and self._cues["agenda"].search(spoken):
            return None  # "a shorter format could work. what would a twenty-minute session look like?"
        if (
            state.task in ("topics", "coach")
            and (that_one := NOT_THAT_ONE.search(spoken))
            and (
                subject := self.focus(spoken[: that_one.start()], people)
                or self.note_subject(spoken[: that_one.start()], people)
            )
        ):  # "she's nervous abt linkedin so maybe not that one either"
            named = self._named_item(f"the {subject} one", state)
            return Understanding(
                "edit", {"change": "swap", "ref": named} if named else {"change": "other"}, text=text
            )
        if state.task in ("topics", "coach", "agenda") and (said_not := NOT_THE_ONE.match(spoken)):
            # "Not the pricing one. I'm not comfortable discussing…": that item, another in its place;
            # other ones when no item is called so (not ones on what is turned down)
            named = self._named_item(f"the {said_not.group('what')} one", state)
            return Understanding(
                "edit", {"change": "swap", "ref": named} if named else {"change": "other"}, text=text
            )
        if (
            state.task in ("topics", "coach", "agenda")
            and (
                self._turned_down.search(spoken)
                or (  # "the 3rd feels like something we did", not "something different for the second half"
                    DONE_THAT.search(spoken)
                    and (
                        re.search(rf"\b(?:{self._ordinal_words}|last)\b(?! half)", spoken)
                        or NAMED_HEAD.match(spoken)  # "the EA point - we've already done that"
                    )
                    and "different" not in spoken
                )
            )
            and not re.search(r"[?]|\b(?:how|what|why|when|who|where|which|instead|else)\b", spoken)
            # "swap the second for something on the tool he hates", "he hates X so the pricing one is out"
            and not self._edits["swap"].search(spoken)
            and not self._edits["drop"].search(spoken)
            and not re.search(r"\b(?:is|are|'s) out\b", spoken)
            and (
                (on_one := (at := self.reference(spoken, state)) is not None and 0 < at <= len(state.items))
                or NAMED_HEAD.match(spoken)
            )
        ):  # "he wont go for the 2nd one, he hates surveys", "the 3rd feels like something we did in
            # october"; "the EA point - done that", with no item shown about it: other ones
            return Understanding(
                "edit", {"change": "swap", "ref": at} if on_one else {"change": "other"}, text=text
            )
        if (more := MORE_ON_ITEM.match(spoken)) and 0 < int(more.group(1)) <= len(state.items):
            return Understanding("expand", {"ref": int(more.group(1))}, text=text)  # not three more of them
        head = re.split(r"\s*[,;:–]\s+|\s+-\s+|[.!]\s+", spoken, maxsplit=1)[0]
        if (
            head != spoken
            and state.task in ("topics", "agenda", "brief")
            and self._edits["drop"].match(head)
            and (reason_cut := self.follow_up(head, state, people)) is not None
            and reason_cut.slots.get("change") == "drop"
        ):  # "cut the notifications check-in, we spent 50 min on that last time": the reason is not a change
            return reason_cut
        if state.task in ("topics", "agenda") and (nothing := NOTHING_ON.match(spoken)):
            return self._dropped(
                nothing.group("what"), state, text
            )  # "Nothing on notifications, that's sorted"
        if state.task == "brief" and state.items and WHOSE_IS.search(spoken):
            pointed_at = self.reference(spoken, state) or state.ref or 1  # "the 2nd open action, whose is it"
            return Understanding("expand", {"ref": pointed_at}, text=text)  # "is that one his or mine"
        if state.task in ("pairing", "rotation") and HOW_CHOSEN.search(spoken):
            picked = self.reference(spoken, state) or state.ref or 1
            return Understanding("expand", {"ref": picked}, text=text)  # "what criteria are u using"
        if state.task == "program_health" and re.match(
            r"^(?:and |so |ok )?how (?:many|much|often)(?: times)?"
            r"(?: (?:this|that|in the|over the) (?:year|cycle)| so far| in total| altogether| then| now)?"
            r"\W*$",
            spoken,
        ):  # "how many times this year?" after a pair's figures: those figures
            return Understanding("expand", {"ref": state.ref or 1, "summary": True}, text=text)
        if (
            state.task == "program_health"
            and (state.ref or state.args.get("names") or len(state.items) == 1)  # or the one pair listed
            and re.search(r"\b(?:they|them|their|she|he|her|his)\b", spoken)
            and re.match(
                r"^(?:(?:and|so|ok|but)\W+)?(?:when|how|what|which|who|did|do|does|have|has|is|are)\b", spoken
            )
            and not named_people(spoken, people)
            and not RULE_ASKED.search(spoken)
        ):  # "when did they last actually meet" after one pair's figures: that pair's figures
            return Understanding(
                "expand",
                {
                    "ref": state.ref or 1,
                    **({} if state.ref or not state.args.get("names") else {"summary": True}),
                },
                text=text,
            )
        if (
            state.task == "program_health"
            and state.args.get("about") == "stalling"
            and CLOSE_TO.search(spoken)
            and not named_people(spoken, people)  # "is kai/helen at risk?": that pair
        ):  # "and who's close to it" after the stalled pairs: every pair by the days it has left
            return Understanding("program_health", {"about": "stalling"}, text=text)
        if state.task == "coach" and MORE_SPECIFIC.match(
            spoken
        ):  # "Be specific about the first session back"
            return Understanding("expand", {"asked": True, "context": state.args.get("text")}, text=text)
        if (
            state.task == "search_notes"
            and (side := OTHER_SIDE.fullmatch(spoken))
            and re.search(r"\b(?:my|mine|me|i)\b", mine := str(state.args.get("text", "")).lower())
        ):  # "and hers?" after "what's still open on my side": the same question, of the partner
            whose = side.group("who") or side.group("whose")
            whose = {"hers": "her", "theirs": "their"}.get(whose, whose)
            return Understanding("search_notes", {}, text=re.sub(r"\b(?:my|mine|me|i)\b", whose, mine))
        if (
            state.task == "search_notes"
            and MY_SIDE.fullmatch(spoken)
            and (mine := _as_mine(before := str(state.args.get("text", "")).lower(), people)) != before
        ):  # "and for me?" after "what's still open for gareth": the same question, of the asker
            return Understanding("search_notes", {}, text=mine)
        if state.task == "search_notes" and (
            skip := SKIP_ABOUT.match(spoken)
        ):  # "skip anything about the survey"
            return Understanding("edit", {"change": "drop", "part": skip.group("part").strip()}, text=text)
        if state.task == "search_notes" and DATES_ONLY.match(spoken):  # "just the date pls"
            return Understanding("edit", {"change": "shorter", "dates": True}, text=text)
        if (
            state.task == "rotation"
            and not spoken.startswith("why")
            and (fixed := ROTATION_FIXED.search(spoken))
        ):
            # "swap the 2nd pair for something else", "keep priya and martin together": the plan is one whole
            ref = self.reference(spoken, state) if fixed.group("swap") else None
            swapped = {"change": "swap", "ref": ref} if ref else {"change": "other"}
            return Understanding("edit", {**swapped, "unsupported": True}, text=text)
        if state.task == "search_notes" and BEFORE_THAT.match(spoken):  # "And the one before that?"
            back = int(state.args.get("back", 0)) + 1
            return Understanding(
                "expand", {"asked": True, "back": back, "context": state.args.get("text")}, text=text
            )
        if (
            state.task == "ask"
            and VERDICT_ASKED.search(spoken)
            and not self._cues["draft_message"].search(spoken)  # "…don't say. can u draft a reply"
        ):  # "so is that a yes or a no"
            return Understanding("expand", {"ref": 1, "verdict": True}, text=text)
        if (
            state.task == "program_health"
            and state.args.get("about") in ("feedback", "report")  # the pulse, alone or in the report
            and (
                month_gone := re.search(
                    rf"\b({MONTH})\b.{{0,30}}\b(?:missing|not there|not shown|left out|gone|absent)\b"
                    rf"|\bno (?:figures?|scores?|numbers?|data|pulse) (?:for|in) ({MONTH})\b"
                    rf"|\bwhere(?:'s| is| did) ({MONTH})\b|\bwhat about ({MONTH})\b"
                    rf"|^\W*(?:and|how about|what of)\s+({MONTH})\W*$",  # "and sept"
                    spoken,
                )
            )
        ):  # "Why is September missing?" after the pulse by month: that month, and why it is left out
            month = month_number(next(g for g in month_gone.groups() if g))
            return Understanding("expand", {"ref": 1, "left_out": month}, text=text)
        if state.task == "program_health" and state.items and (do_about := DO_ABOUT.search(spoken)):
            said_of = do_about.group("what") or do_about.group("how")
            words = re.findall(r"[a-z]+", said_of.replace("-", " "))
            if at := self.best_title([w for w in words if w not in ("one", "pair")], state.items):
                return Understanding("coach", {"situation": plain(state.items[at - 1])}, text=text)
        if (
            state.task == "program_health"
            and state.said
            and (
                STEP_IN.search(spoken)
                or (self._wording.search(spoken) and self.reference(text, state) is None)
            )
        ):
            # "should I step in there or leave them to it?" after a pair's figures: the coordinator's steps
            return Understanding("coach", {"situation": state.said}, text=text)
        if (
            state.task in ("program_health", "search_notes")
            and (on_show := state.said or " ".join(state.items))
            and SUGGEST_DO.search(spoken)
            and self.reference(text, state) is None  # not "the 2nd one, what do you suggest i do": that item
        ):  # "ok so what would you suggest i do" after a pair's figures or notes: advice on what they show
            return Understanding("coach", {"situation": on_show}, text=text)
        if (
            state.task == "program_health"
            and QUOTABLE.search(spoken)
            and (
                "?" in spoken
                or re.match(r"(?:(?:ok|so|and|but)\W+)?(?:can|could|may|should|is|am|would|do)\b", spoken)
            )
        ):  # "can i quote that to leadership"
            return Understanding("expand", {"ref": 1, "quotable": True}, text=text)
        if state.task == "coach" and WAY_ASKED.match(spoken) and self.reference(text, state) is None:
            return Understanding("coach", {"situation": state.args.get("text", "")}, text=text)
        if (
            state.task == "ask"
            and self._opinion.search(spoken)
            and re.search(r"\b(?:i|we)\s+(?:should\s+)?(?:do|try|change)\b", spoken)
        ):  # "What would you suggest I do about it before the review?": advice on the situation asked about
            return Understanding("coach", {"situation": state.args.get("text", "")}, text=text)
        if state.task == "ask" and self._opinion.search(spoken) and "?" in spoken:  # "what would you suggest"
            elsewhere = re.search(
                r"\bother (?:programmes|programs|companies|organi[sz]ations|firms)\b|\belsewhere\b"
                r"|\b(?:normal|usual|typical|common|standard|best|good) practice\b|\bnormal\b",
                spoken,
            )
            return Understanding(
                "expand", {"ref": 1, "opinion": "elsewhere" if elsewhere else "own"}, text=text
            )
        if state.task in ("program_health", "pairing", "rotation") and re.fullmatch(
            r"(?:(?:ok|so|and)\W+)*(?:just|only) (?:the )?names(?: pls| please)?\W*|names only\W*", spoken
        ):  # "just names": the same, one line each
            return Understanding("edit", {"change": "shorter"}, text=text)
        if (
            state.task == "ask"
            and re.match(r"(?:\d+|is it|is that|does it|do they|from)\b", spoken)
            and " or " in spoken
            and set(self._subject_words(spoken, people)) & set(re.findall(r"[a-z]+", state.said.lower()))
        ):  # "6 weeks from the last held session or the last planned one?": more of that answer
            return Understanding("expand", {"ref": 1}, text=text)
        if (
            state.task in ("coach", "topics", "agenda")
            and re.match(r"(?:(?:so|and|but|ok)\W+)?why\b", spoken)
            and len(spoken.split()) <= 10
            and (named := self.best_title(self._subject_words(spoken, people), state.items))
        ):  # "Why an early morning slot in particular?" after advice that suggests one: that step
            return Understanding("expand", {"ref": named}, text=text)
        if state.task == "search_notes" and re.search(
            r"\b(?:which (?:of (?:those|these|them) |ones? )?(?:are|is)"
            r"|(?:is|are) any(?: of (?:that|those|these|it))?) (?:mine|on me|for me)\b",
            spoken,
        ):  # "which of those are on me", "is any of that on me": the asker's open actions, searched
            return Understanding("search_notes", {"focus": state.args.get("focus")}, text=text)
        if (
            state.task == "topics"
            and (to_swap := SWAP_NAMED.match(spoken))
            and self.reference(to_swap.group(0), state) is None
        ):  # "Swap the LinkedIn one." when none of them is about LinkedIn: said so, nothing swapped
            change = "swap" if re.match(r"\W*(?:\w+\W+)*?(?:swap|replace|change)\b", spoken) else "drop"
            return Understanding(
                "edit", {"change": change, "missing": as_said(to_swap["what"], text)}, text=text
            )
        if (
            state.task in ("brief", "agenda", "topics")
            and (wrote := WROTE_ASKED.search(spoken))
            and not ITEM_THEN_QUESTION.match(spoken)  # "the second action, what exactly did I promise": that
            and self.reference(spoken, state) is None  # item, expanded
            and not re.search(r"\bexpand\b", spoken)
        ):
            about = self.note_subject(spoken[: wrote.start()] + " " + spoken[wrote.end() :], people)
            return Understanding(  # "What exactly did I say I'd do about the hedging case?" after a brief
                "search_notes", {"focus": about}, text=text
            )
        if state.task == "search_notes" and ONLY_ONE.search(spoken):  # "is that the only one?": any more
            return Understanding("edit", {"change": "count", "count": len(state.items) + 3}, text=text)
        if (
            state.items
            and (item_q := re.match(r"([^,.:;!?–-]+)[,.:;–-]\s*(.+)", spoken))
            and len(item_q.group(1).split()) <= 4
            and re.search(rf"\b(?:{self._ordinal_words}|last|\d)\b|#\s*\d", item_q.group(1))  # by its place
            and ASKED_OF_ITEM.match(item_q.group(2))
            and (at := self.reference(item_q.group(1), state)) is not None
            and 0 < at <= len(state.items)
        ):  # "ok 2nd one, how do i make it about his stuff", "the top one, why them": asked about that item
            return Understanding("expand", {"ref": at, **self._wording_asked(spoken, state)}, text=text)
        if (
            state.items
            and HOW_ASKED.search(spoken)
            and not re.search(r"\b(?:swap|replace|instead|drop|remove|cut|change|shorter|longer)\b", spoken)
            and (at := self.reference(spoken, state)) is not None
            and 0 < at <= len(state.items)
        ):  # "how do i open the careers one without it turning into me ranting": that item, how
            return Understanding("expand", {"ref": at, **self._wording_asked(spoken, state)}, text=text)
        if (
            re.match(r"(?:(?:so|and|ok|okay|but)[,.]?\s+)?(?:what|how)\b", spoken)
            and (own_part := self._side_item(spoken, state)) is not None
        ):  # "what should I actually cover in my 15" after the agenda: that part
            return Understanding("expand", {"ref": own_part}, text=text)
        if state.task in ("topics", "agenda", "brief") and (cut := IF_ANY_CUT.search(spoken)):
            return self._dropped(
                cut.group("what"), state, text
            )  # "if there's anything on X in there, cut it"
        if (
            state.items
            and (liked := ITEM_LIKED.match(spoken))
            and re.search(
                r"\b(?:flesh|expand|detail|develop|elaborate|go (?:deeper|further)|explain|build"
                r"|more (?:on|about|detail))"
                r"|(?<!\d )(?<!two )(?<!three )(?<!few )\bmore\W*$",
                liked["rest"],
            )
            and (at := self.reference(liked["item"], state)) is not None
            and 0 < at <= len(state.items)
        ):  # "2 is fine. flesh it out": that one, in more detail
            return Understanding("expand", {"ref": at}, text=text)
        headed = re.split(r"[.,:;!?]\s*", spoken, maxsplit=1)[0]
        if (
            len(headed.split()) <= 3
            and any(self._cues[name].search(headed) for name in NAMED_TASKS if name != state.task)
            and not self._other(headed, state.task)  # "Other ideas please. I'm busy": other advice
            and not self._edits["shorter"].search(headed)  # "keep it brief": not a prep brief
            and not (state.items and re.match(rf"(?:the\s+)?(?:{self._ordinal_words})\b", headed))
        ):  # "Agenda. 45 min, I lead the first half." after a brief: another task, headed by its name
            return None
        if re.fullmatch(
            r"(?:just\s+|very\s+|more\s+)?(?:briefly|in brief|in short)(?:\s+(?:pls|please))?[.!]*", spoken
        ):
            return Understanding("edit", {"change": "shorter"}, text=text)  # "Briefly."
        if (
            state.task in ("topics", "agenda")
            and (every := ALL_ON.match(spoken))
            and (topic := self.focus("about " + every["topic"], people))
        ):  # "Both on electrification, please.": the whole answer re-aimed
            return Understanding("edit", {"change": "focus", "focus": topic}, text=text)
        if (
            state.task in ("topics", "agenda")
            and (main := MAIN_THING.match(spoken) or MORE_USEFUL.match(spoken))
            and (topic := self.focus("about " + main.group("topic"), people))
        ):  # "pilot feedback needs to be the main thing"
            return Understanding("edit", {"change": "focus", "focus": topic}, text=text)
        if (
            state.task == "topics"
            and (earlier := BACK_TO_ONES.search(spoken))
            and (topic := self.focus("about " + earlier.group("topic"), people))
        ):  # "no wait, go back to the rostering ones": the earlier subject again
            return Understanding("edit", {"change": "focus", "focus": topic}, text=text)
        if state.task in ("topics", "agenda") and NOT_SUBJECT.search(spoken):
            return Understanding("edit", {"change": "other"}, text=text)  # "something not tech?": other ones
        if state.task in ("topics", "agenda", "coach") and (
            (
                re.search(
                    r"\b(?:what|anything|something) else\b(?:\s+(?:could|can|would|might)\s+(?:go|fit|work))?"
                    r"(?:\s+(?:there|in its place|instead))?(?:\s+for (?:that|this) one)?[?!. ]*$",
                    spoken,
                )
                and (DONE_THAT.search(spoken) or re.search(r"\b(?:too|not|already)\b", spoken))
            )
            or (
                DONE_THAT.search(spoken)
                and LEAD_ITEM.search(spoken)
                and not re.search(r"[?]|\b(?:how|what|why|when|who|where|which)\b", spoken)
            )
        ):  # "The fixed slot idea - we have tried that. What else?": other ones, or that one replaced
            ordinal = re.search(rf"\b(?:{self._ordinal_words})\b|#\d", spoken)  # "the 2nd": that one replaced
            pointed = self.reference(text, state) if ordinal and state.task != "agenda" else None
            return Understanding(
                "edit", {"change": "swap", "ref": pointed} if pointed else {"change": "other"}, text=text
            )
        if (
            state.items
            and (lead := LEAD_ITEM.match(spoken))
            and ("?" in spoken or ASKED.match(spoken[lead.end() :].strip()))  # "the 1st point, what wd i say"
            and (pointed := self.reference(lead.group(0), state)) is not None
        ):
            return Understanding("expand", {"ref": pointed}, text=text)  # "Point two: what does … look like?"
        if (
            state.items
            and state.task != "brief"  # "the budget lines thing - which two?": the brief's item, as before
            and (lead := NAMED_LEAD.match(spoken))
            and ("?" in spoken or ASKED.match(spoken[lead.end() :].strip()))
            and (pointed := self._named_item(lead.group(0), state)) is not None
        ):
            if (
                state.task == "search_notes"
                and STATUS_ASKED.search(spoken[lead.end() :])
                and (subject := self.focus("about " + lead.group("subject"), people))
            ):
                return Understanding("search_notes", {"focus": subject}, text=text)  # "the linkedin one, has
            return Understanding("expand", {"ref": pointed}, text=text)  # he posted yet?": the notes on it
        if (
            state.task in ("coach", "topics", "agenda")
            and NOT_INTO.search(spoken)
            and "?" not in spoken
            and not self._edits["drop"].search(spoken)  # "scrap the offsite one, thats old news now"
        ):
            return Understanding("edit", {"change": "other"}, text=text)  # "she's not big on the ai stuff rn"
        if (
            state.task in ("search_notes", "brief")
            and (since := SINCE_THEN.search(spoken))
            and (  # "anything since october", not "I've gone quiet since September and…"
                not since.group("month")
                or len(spoken.split()) <= 6
                or re.search(
                    r"\b(?:anything|what'?s|what has|what have|has anything|any)\b.{0,30}\bsince\b", spoken
                )
            )
        ):
            dated = {} if since.group("month") else {"since": "then"}  # "anything since october" says when
            if subject := self.note_subject(SINCE_THEN.sub(" ", spoken), people):
                dated["focus"] = subject  # "since then, how has the shift pattern work progressed?"
            return Understanding("search_notes", dated, text=text)  # "has anything changed since then"
        if state.task == "ask" and SUGGEST_DO.search(
            spoken
        ):  # "ok so what would you recommend i actually do": more of that answer, for them
            return Understanding("expand", {"ref": 1}, text=text)
        if (
            state.items
            and state.task not in DRAFTS
            and (looks := LOOKS_LIKE.match(spoken))
            and self.minutes(text) is None  # "what would a 30-minute format look like": an agenda
            and not re.search(  # "what does the next cycle look like": that request, anew
                r"\b(?:agenda|cycle|rotation|pairings?|matches|brief|topics|figures|numbers|program)\b",
                looks.group(0),
            )
        ):
            asked = self.reference(text, state) or self._named_item(spoken, state) or state.ref or 1
            return Understanding(
                "expand", {"ref": asked}, text=text
            )  # "what wld the shorter format look like"
        if state.task in DRAFTS and (cut := SENTENCE_GONE.search(spoken)):  # "lose the second sentence"
            place = -1 if cut.group(1) == "last" else self.lexicon.ordinals.get(cut.group(1), 0)
            return Understanding(
                "edit",
                {"change": "drop", "sentence": place, **({"ref": place} if place > 0 else {})},
                text=text,
            )
        if state.task in DRAFTS and (greet := GREETING_SET.search(text)):  # "start it with 'Hi Sam'"
            opening = (greet.group("words") or f"Hi {greet.group('name').capitalize()}").strip()
            return Understanding(
                "edit", {"change": "other", "greeting": opening[:1].upper() + opening[1:]}, text=text
            )
        if state.task in DRAFTS and (
            unsay := UNSAY.search(spoken)
            or UNSAY_OUT.search(spoken)
            or UNSAY_NAMED.search(spoken)
            or UNSAY_WORD.search(spoken)
        ):  # "don't mention the 30 min", "take the smiley out", "drop the apology line"
            change = "shorter" if self._edits["shorter"].search(spoken) else "drop"  # "too long, and dont…"
            return Understanding("edit", {"change": change, "unsay": unsay.group("what").strip()}, text=text)
        if state.args.get("kind") == "reschedule" and (when := moved_to(text)):
            return Understanding(
                "edit", {"change": "other", "when": when}, text=text
            )  # "say early jan instead"
        if state.task in DRAFTS and (
            copied := CC_IN.search(spoken)
        ):  # "actually send it to gareth and cc marisol"
            return Understanding("edit", {"change": "other", "cc": copied.group("who")}, text=text)
        if state.task in DRAFTS and re.match(
            r"^\W*(?:(?:and|ok|it'?s|its)\W+)*(?:about|re|regarding|for) (?:the |our |their )?"
            r"(?:\d{1,2}(?:st|nd|rd|th)?|next (?:session|meeting|one)|(?:mon|tues|wednes|thurs|fri)day)\W*$",
            spoken,
        ):  # "about the 10th" after a reminder: what it is already about, said again
            return Understanding("edit", {"change": "other"}, text=text)
        if state.task in DRAFTS and (made := MADE_ABOUT.search(spoken)):  # "Make it about the pilot instead."
            wording, what = self.lexicon.points["wording"], made.group("what")
            said = (
                wording["thank"].format(f"for {what}")
                if state.args.get("kind") == "thank"
                else wording["about"].format(what)
            )
            return Understanding("edit", {"change": "other", "says": [said], "instead": True}, text=text)
        if state.task in DRAFTS and (reason := reason_said(text)):
            # "give the pilot feedback as the reason"
            return Understanding("edit", {"change": "other", "says": [reason]}, text=text)
        if (
            state.task in DRAFTS
            and (
                fine := re.search(
                    r"\b(?:is|would be|'d be|are|works)\s+(?:totally |completely |perfectly |absolutely |"
                    r"more than |still |also )?(?:fine|ok|okay|enough|plenty|great|good)\b",
                    spoken,
                )
            )
            and (proposed := self.minutes(" ".join(spoken[: fine.start()].split()[-3:])))
        ):  # "add that 30 min is totally fine": the length the message proposes, said to be fine (not
            # "put in 30 min every 2 wks and that teams is fine")
            return Understanding("edit", {"change": "minutes", "minutes": proposed}, text=text)
        if state.task in DRAFTS and (says := self.points(text, people, opening=False)):
            to_say: dict[str, Any] = {"change": "other", "says": says}  # "mention …"
            if (
                (put_in := self.minutes(text)) is not None
                and state.task == "draft_message"
                and "{{ minutes }}" in str(self.lexicon.drafts.get(state.args.get("kind", "invite"), ""))
            ):  # "put in 30 min every 2 wks": the length a message that proposes one proposes
                to_say["minutes"] = put_in
            return Understanding("edit", to_say, text=text)
        if (
            state.args.get("kind") in ("reschedule", "invite")
            and (when := moved_to(text, alone=True) or days_proposed(text))
            and not any(self._cues[name].search(text) for name in NAMED_TASKS if name != state.task)
        ):  # "stick the date in, 10 dec 2pm"; not "the ideas for the 10th": topics asked
            return Understanding("edit", {"change": "other", "when": when}, text=text)
        lower = text.lower()
        if (
            state.task == "draft_message"
            and state.args.get("kind", "invite") in ("invite", "agenda")
            and LENGTH_SET.match(lower)
            and (minutes := self.minutes(text)) is not None
        ):  # "no wait make it 30 min once a month": the invitation's length
            return Understanding("edit", {"change": "minutes", "minutes": minutes}, text=text)
        if (
            state.task == "check_in"
            and LENGTH_SET.match(lower)
            and (minutes := self.minutes(text)) is not None
        ):  # "make it 30 min not an hour", "30 minutes, not 45" after a coordinator's invite: its length
            return Understanding(
                "edit", {"change": "other", "says": [f"{minutes} minutes is all we need."]}, text=text
            )
        if (
            state.task in ("agenda", "topics")
            and (SEND_PLAN.search(lower) or SEND_THOSE.search(lower))
            and (named_people(text, people) or re.search(r"\b(?:him|her|them)\b", lower))
        ):  # "can u send martin the plan", "send him those as questions": that answer, as a message
            return Understanding("draft_message", {"plan": True}, text=text)
        if state.task in ("topics", "agenda", "coach") and state.items and (one := ONE_INSTEAD.search(lower)):
            # "2nd one on ai instead", "3rd one diff pls", "another one instead of that": that item replaced
            ref = state.ref if one.group("another") else self.reference(lower, state)
            topic = self.focus("about " + one.group("topic")) if one.group("topic") else None
            if ref or one.group("another"):
                swap = {
                    "change": "swap",
                    **({"ref": ref} if ref else {}),
                    **({"focus": topic} if topic else {}),
                }
                return Understanding("edit", swap, text=text)
        if state.task == "search_notes" and state.items and len(lower.split()) <= 14:
            shown, spot = next(
                ((kind, match) for kind, pattern in self._shown.items() if (match := pattern.search(lower))),
                (None, None),
            )
            if (
                shown
                and spot
                and (
                    ANAPHOR.search(lower)
                    or shown in ("oldest", "words")
                    or lower.startswith(("whose", "which"))
                )
                and not self.note_subject(
                    lower[: spot.start()], people
                )  # not "and the board pack, when was that?"
            ):
                # "whose is the second one?", "which session was that?"
                ref = self.reference(lower, state) or 1
                if shown == "words":  # "what did she agree to, word for word": that note, in full
                    return Understanding("expand", {"ref": ref}, text=text)
                return Understanding("expand", {"ref": ref, "shown": shown}, text=text)
        if (
            len(state.items) > 1
            and ITEMS_COMPARED.search(lower)
            and (both := self._two_items(lower, state, people))
        ):  # "is the 2nd or 3rd better if he's sceptical", "what's the difference between the last two"
            choice = {"pick": True} if state.task in RANKED and not DIFFERENCE.search(lower) else {}
            return Understanding("expand", {"ref": both[0], "refs": both, **choice}, text=text)
        if (
            state.task in RANKED
            and len(state.items) > 1
            and self._pick.search(lower)
            and not re.search(
                r"\b(?:drop|cut|remove|lose|skip|ditch|bin|scrap|leave out|get rid of)\b", lower
            )
            and not re.search(r"\b(?:\d+|one|two|three|a) (?:lines?|sentences?|words)\b|\bbriefly\b", lower)
        ):  # not "which would you cut?", nor "what would you do, in 2 lines" (shorter)
            return Understanding("expand", {"ref": 1, "pick": True}, text=text)  # "which would you pick?"
        if state.task == "check_in" and ONE_FOR.match(lower) and (names := named_people(lower, people)):
            return Understanding("draft_message", {"names": names[:2]}, text=text)  # "and one for X and Y"
        if (
            state.task == "program_health"
            and re.search(r"\b(?:not that|the other|i meant|wrong pair|mixed (?:them|it|those) up)\b", lower)
            and len(names := named_people(lower, people)) == 2
            and set(names) != set(state.args.get("names") or ())
        ):  # "sorry, not that pair, the other one. noor and ingrid": that pair's figures
            return Understanding("program_health", {"names": names}, text=text)
        if (
            state.task == "program_health"
            and ONLY_NAMES.fullmatch(lower)
            and (names := named_people(lower, people))
            and self._named_people(lower, state, people) is None
        ):
            return Understanding("program_health", {"names": names[:2]}, text=text)  # "and priya and martin?"
        if state.task == "rotation" and state.args.get("names"):  # after one pair's rotation
            if ONLY_NAMES.fullmatch(lower) and len(names := named_people(lower, people)) == 2:
                return Understanding("rotation", {"names": names}, text=text)  # "and noor and ingrid?"
            if KEEP_GOING.search(lower):  # "martin's already told me he wants to keep going"
                return Understanding("edit", {"change": "other", "renew": True}, text=text)
            if re.search(r"\b(?:they|them|each|both)\b.*\bnew (?:partner|match|pairing)s?\b", lower):
                return Understanding("rotation", {"names": state.args["names"]}, text=text)  # who they'd get
        if (
            state.task in ("topics", "agenda")
            and state.items
            and (one := ONE_POINTED.search(lower))
            and not (one.group(1) is None and re.match(r"\s+(?:about|on|with|where)\b", lower[one.end() :]))
            and re.search(
                r"\b(?:make|turn|change|switch|have)\b.*\b(?:about|on|into)\s"
                r"|^(?!.*\bwhat\b).*\b(?:can|could|should|shall)\b.*\bbe (?:more )?(?:about|on)\s",
                lower,
            )
            and (topic := self.focus(lower))
        ):  # "make the new one about AI", "can the last one be about jan plans": that item only
            which = one.group(1) or ""
            ref = state.ref if which == "new" else None if which == "other" else self.reference(lower, state)
            return Understanding(
                "edit", {"change": "swap", "focus": topic, **({"ref": ref} if ref else {})}, text=text
            )
        if (
            state.task == "program_health"
            and (how := HOW_MANY.match(lower))
            and ANAPHOR.search(lower[how.end() :])
        ):  # "how many cancellations is that", not "how many pairs met in november"
            words = [
                w for w in re.findall(r"[a-z]+", lower[how.end() :]) if len(w) > 3 and w not in STOPWORDS
            ]
            if (figure := self.best_title(words, state.items)) is not None:
                return Understanding("expand", {"ref": figure}, text=text)
        if (
            state.task == "agenda" and WHO_LEADS.search(lower) and not lower.startswith("swap")
        ):  # "who leads…?"
            return Understanding("expand", {"ref": 1, "leads": True}, text=text)
        if state.task == "agenda" and (
            added := self._added_part(lower, state)
        ):  # "add 10 min on X after his bit"
            return Understanding("edit", {"change": "other", "add": added}, text=text)
        if (
            state.task == "agenda" and not lower.startswith("why") and (move := self._move(lower, state))
        ):  # "put the open floor last"; "Forty minutes, and start with the hedging case": both
            timing = (
                {"change": "minutes", "minutes": said_length}
                if (said_length := self.minutes(text) or 0) >= SHORTEST_AGENDA
                else {}
            )
            return Understanding("edit", {"change": "other", **timing, "move": move}, text=text)
        if state.task in ("topics", "agenda") and (right := WAS_RIGHT.search(lower)):
            words = [
                w for w in right.group("what").split() if w not in ("no", "wait", "sorry", "actually", "ok")
            ]
            if words and words[-1].isdigit() and state.task == "agenda" and int(words[-1]) >= 10:
                return Understanding(
                    "edit", {"change": "minutes", "minutes": int(words[-1])}, text=text
                )  # "no sorry 50 was right, the room's only booked till 3": that length
            if (
                words
                and not words[-1].isdigit()
                and not set(words)
                & {"one", "ones", "first", "old", "previous", "original", "that", "it", "this"}
                and (topic := self.focus("about " + " ".join(words), people))
            ):
                return Understanding(
                    "edit", {"change": "focus", "focus": topic}, text=text
                )  # "capex was right"
        if (
            state.task == "agenda" and (until := self.session_end(lower)) and not self.minutes(text)
        ):  # "he has something at 9 now"; "free till 9, make it an hr" says its length
            return Understanding("edit", {"change": "minutes", **until}, text=text)
        if state.task == "agenda" and (leads := LEADS_HALF.search(lower)):  # "I lead the second half"
            who = {"i": "my", "he": "his", "she": "her"}.get(leads.group("who"), leads.group("who"))
            end = "start" if leads.group("which") in ("first", "opening") else "end"
            whose_part = self.whose(who, state.role)
            return Understanding(
                "edit",
                {
                    "change": _reordered(lower),
                    "order": True,
                    **({"side": whose_part, "to": end} if whose_part else {}),
                },
                text=text,
            )
        if (
            state.task == "agenda"
            and (late := LATE.search(lower))
            and (length := state.args.get("minutes"))
            and not re.search(r"\b\d{2,3}\b", LATE.sub(" ", text))  # "… so realistically 30": said
        ):  # "she always turns up 10 min late btw": the time that is left
            lost = self._number(next(g for g in late.groups() if g))
            return Understanding("edit", {"change": "minutes", "minutes": length - lost}, text=text)
        if state.task in ("topics", "agenda", "coach", "search_notes") and (more := ADD_ONE.match(lower)):
            total = more.group(1) or ""
            total_said = self._number(total) if total.isdigit() or total in self.lexicon.numbers else None
            return Understanding(
                "edit", {"change": "count", "count": total_said or len(state.items) + 1}, text=text
            )
        if state.task in (*COUNTED, "agenda") and len(state.items) > 1 and LOSE_ONE.search(lower):
            return Understanding("edit", {"change": "count", "count": len(state.items) - 1}, text=text)
        if (
            state.task == "ask"
            and (in_answer := PART_NAMED.search(lower))
            and self._in_answer(in_answer, state.said)
        ):
            return Understanding("expand", {"ref": 1}, text=text)  # "the part abt the coordinator, why?"
        if (
            state.task == "program_health"
            and state.args.get("names")
            and re.search(
                r"\b(?:than|to|with|vs\.?|versus|against) (?:the )?(?:others|other pairs|rest)\b", lower
            )
        ):  # "worse than the others?" after one pair's figures: every pair's
            return Understanding("program_health", {}, text=text)
        if state.task == "ask" and (in_answer := PART_NAMED.search(lower)) and in_answer.group("about"):
            question = f"{state.args.get('text', '')} {in_answer.group('about')}".strip()
            return Understanding("ask", {}, text=question)  # "the bit about telling managers, more detail"
        if (
            state.task == "agenda"
        ):  # "the bit where i show stuff", "and hers the X": a part named by whose it is
            lower = WHERE_SIDE.sub(lambda m: f"{OWNER[m.group(2)]} {m.group(1)} where {m.group(2)}", lower)
            lower = WHOSE_ALONE.sub(lambda m: f"{OWNER[m.group(1)]} part should be ", lower)
        if OTHER_ONE.search(lower) and not self._subject_words(text, people):
            return None  # "and the other thing?": which one is asked
        ref = self.reference(text, state) if state.task in ITEM_TASKS else None
        if ref is not None and state.items and ref > len(state.items) + 5:
            ref = None
        if (
            state.task == "agenda"
            and state.items
            and (edge := EDGE_MINUTES.search(lower))
            and re.match(r"(?:\w+[,.]?\s+){0,2}?(?:what|how|who|which)\b", lower)
        ):  # "what goes in the first five minutes?": the part that opens it, or closes it
            return Understanding(
                "expand",
                {"ref": 1 if edge.group(1) in ("first", "1st", "opening") else len(state.items)},
                text=text,
            )
        minutes = self.minutes(text)
        if (
            state.task == "agenda"
            and minutes == state.args.get("minutes")
            and (THEME.search(lower) or re.search(r"\bbe\s+(?:all\s+|just\s+|only\s+)?(?:about|on)\b", lower))
        ):
            minutes = None  # "let the whole half hour be about AI" after a 30-minute agenda: a subject
        count = self.count(text)
        if state.items and minutes is None and (more := MORE_ITEMS.search(lower)):
            n = more.group("n") or more.group("m")  # "one more idea", "add another": on top of those shown
            count = len(state.items) + (self._number(n) if n else 1)
        elif state.items and (total := ITEMS_TOTAL.search(lower)):
            count = self._number(total.group(1))  # "add one so there are 4"
        if count is None and state.task in COUNTED and (lead := self._leading_number.match(lower)):
            count = self._number(lead.group(1))  # "actually half a dozen, I'll have the full hour"
        if count is not None and re.search(rf"\b(?:first|top)\s+(?!one\b){self._num}\b", lower):
            ref = None  # "just the first 2": a count, not the first item
        short = len(lower.split()) <= 9
        if state.task == "agenda" and (
            said := SAY_IN_PART.match(lower)
        ):  # "what do i say in the first 5 min"
            return Understanding(
                "expand", {"ref": 1 if said.group("at") else len(state.items) or 1}, text=text
            )
        if NOTES_QUESTION.match(lower) and not re.search(rf"\b(?:{self._ordinal_words})\b", lower):
            return None  # "what did she say about the winter range thing": a question for the notes
        if state.task != "ask" and (GUIDELINES_ASKED.search(lower) or IS_IT_ALLOWED.search(lower)):
            return None  # "what do the guidelines say about matching people from one department"
        last = re.split(r"(?<=[.!?])\s+", lower.strip())[-1]
        if (
            state.task in ("brief", "agenda", "program_health", "pairing", "search_notes")
            and HOW_DO_I.match(last)
            and not ANAPHOR.search(last)
            and not re.search(r"\b(?:the|that|this)\s+(?:\w+\s+)?(?:one|bit|part|item|point|slot)\b", last)
            and not {w for t in state.items for w in re.findall(r"[a-z]{4,}", t.lower())}
            & set(re.findall(r"[a-z]+", last))
        ):  # "I suspect I talk too much in these sessions. How do I stop?": advice asked anew
            return None
        alone = re.fullmatch(rf"{self._num}[.!]*", lower)
        if alone and state.task == "agenda" and (n := self._number(alone.group(1))) > len(state.items):
            return Understanding("edit", {"change": "minutes", "minutes": n}, text=text)  # "Twenty."
        if (
            state.task in ("topics", "agenda")
            and (instead := SUBJECT_INSTEAD.search(lower))
            and (topic := self.focus("about " + instead.group(1), people))
        ):  # "We've done that. Capital allocation instead."
            if (
                state.task == "topics"
                and re.search(rf"\b(?:{self._ordinal_words})\b|#\d", lower)
                and (replaced := self.reference(lower, state))
            ):  # "The second one is too HR. Something on the reforecast instead.": that one replaced
                return Understanding("edit", {"change": "swap", "ref": replaced, "focus": topic}, text=text)
            return Understanding("edit", {"change": "focus", "focus": topic}, text=text)
        if state.task == "agenda" and (instead := INSTEAD_OF.search(lower)):  # "he's now saying 30 not 45"
            return Understanding("edit", {"change": "minutes", "minutes": int(instead.group(1))}, text=text)
        if (
            state.task == "agenda"
            and len(state.items) > 1
            and (be := PART_BE.search(lower))
            and (topic := self.focus("about " + be.group("topic"), people))
        ):  # "can the last bit be 10 min on the expense tool", "can the bit in the middle be on pricing"
            which = be.group("which") or be.group("where")
            at = {"last": len(state.items), "final": len(state.items), "closing": len(state.items)}.get(which)
            at = at or (
                (len(state.items) + 1) // 2 if which == "middle" else self.reference(which, state) or 1
            )
            return Understanding("edit", {"change": "swap", "ref": at, "focus": topic}, text=text)
        if state.task == "agenda" and (
            timed := self.part_minutes(lower, state) or self.part_resized(lower, state)
        ):
            return Understanding("edit", {"change": "minutes", **timed}, text=text)
        if (
            state.task == "topics"
            and state.items
            and PLAN_NOUN.search(lower)
            and not self._cues["draft_message"].search(text)  # "draft a note to her saying that's the plan"
        ):
            if ref is None and state.ref is None and state.args.get("focus") and ANAPHOR.search(lower):
                kept = {"focus": state.args["focus"], "minutes": minutes}
                return Understanding("agenda", {k: v for k, v in kept.items() if v is not None}, text=text)
            if (
                ref is None
                and (unlisted := self._item_words(lower, state))
                and (topic := self.focus("about " + " ".join(unlisted), people))
            ):  # "the budget one. can u build a 45 min agenda around it", no topic being on the budget
                kept = {"focus": topic, "minutes": minutes}
                return Understanding("agenda", {k: v for k, v in kept.items() if v is not None}, text=text)
            if ref is None and re.search(r"\b(?:that|this|it)\b", lower):
                ref = state.ref or 1
            if ref is None and (count or re.search(r"\b(?:these|those|them|both|all|the list)\b", lower)):
                parts = AGENDA_PARTS.search(lower)  # "can u do those as a 3 part agenda"
                kept = {
                    "focus": state.args.get("focus"),
                    "minutes": minutes,
                    "count": self._number(parts.group(1)) if parts else None,
                }  # "turn the first two into an agenda"
                return Understanding("agenda", {k: v for k, v in kept.items() if v is not None}, text=text)
            if ref is not None and 1 <= ref <= len(state.items):
                slots: dict[str, Any] = {"focus": state.items[ref - 1].lower(), "minutes": minutes}
                return Understanding("agenda", {k: v for k, v in slots.items() if v is not None}, text=text)
        if (
            state.task in ("topics", "coach")
            and (twice := SAME_AS.match(lower))
            and (at := self.reference(twice["one"], state))
            and self.reference(twice["other"], state)
            and 0 < at <= len(state.items)
        ):  # "the 3rd is basically the 1st again": that one replaced
            return Understanding("edit", {"change": "swap", "ref": at}, text=text)
        if (
            state.task in ("topics", "agenda", "coach")
            and (to_be := ITEM_TO_BE.search(lower))
            and (
                (at := self.reference(head := lower[to_be.start() : to_be.start("what")], state)) is not None
                or re.search(r"\b(?:bit|part|block|slot|section|one|item|topic)\b", head)
            )  # not "could that be a message i send beforehand"
            and (
                (topic := self.focus("about " + re.sub(ABOUT_LEAD, "", to_be["what"]), people))
                or (at and re.search(r"\bless (?:about|on)\b", head))  # "less about X, more about…"
            )
        ):  # "can the middle bit be the expense tool walkthrough": that item replaced by one on it
            on = {"focus": topic} if topic else {}
            return Understanding("edit", {"change": "swap", **on, **({"ref": at} if at else {})}, text=text)
        if state.task == "ask" and QUOTE_ASKED.search(lower):  # "can u quote the actual bit"
            return Understanding("expand", {"ref": 1, "sources": True, "quote": True}, text=text)
        if (
            state.task in NOTES_ANSWERS
            and (missed := LEFT_OUT.match(lower))
            and (clause := re.split(r"[,;.?!]", lower[missed.end() :])[0])
            and (lacked := self.note_subject(clause, people) or self.focus("about " + clause, people))
        ):  # "u left out the rocky start in april": what the notes say of it
            return Understanding("expand", {"asked": True, "focus": lacked}, text=text)
        if state.task in ("ask", "search_notes", "brief", "program_health") and DISPUTED.match(lower):
            return Understanding(  # "that's not right, we met last week": what it rests on, and how to fix it
                "edit", {"change": "other", "ref": 1, "sources": True, "disputed": True}, text=text
            )
        if (
            state.task in ("ask", "topics", "coach", "agenda", "pairing")
            or (
                state.task in (*NOTES_ANSWERS, "program_health")
                and len(lower.split()) <= 14
                and not ABOUT_ASKED.search(lower)
            )
        ) and self._sources.search(lower):  # not "what do the guidelines say about X? i want to quote it"
            return Understanding("expand", {"ref": ref or state.ref or 1, "sources": True}, text=text)
        if state.task == "program_health" and (
            shaped := {
                k: True
                for k, said in (
                    ("anonymous", self._anonymous.search(text)),
                    ("paragraph", PARAGRAPH.search(lower)),
                )
                if said
            }
        ):  # "no names pls", "give me that as a paragraph for the board"
            brief = shaped.get("paragraph") and re.search(r"\b(?:one|single) para", lower)
            return Understanding("edit", {"change": "shorter" if brief else "other", **shaped}, text=text)
        if state.task == "program_health" and state.args.get("anonymous") and NAMES_BACK.search(lower):
            return Understanding(
                "edit", {"change": "other", "anonymous": False}, text=text
            )  # "and with names"
        if state.args.get("by_role") and re.search(r"\b(?:overall|combined|all together|everyone)\b", lower):
            return Understanding(
                "edit", {"change": "other", "by_role": False}, text=text
            )  # "just the overall"
        if state.task == "program_health" and BY_MONTH.search(lower):  # "can u split it by month"
            return Understanding("edit", {"change": "other", "by_month": True}, text=text)
        if (
            state.task == "program_health"
            and state.args.get("about", "attention") in ("sessions", "feedback", "attention")
            and BY_PAIR.search(lower)
            and not self._edits["longer"].search(lower)  # "longer pls, a line of commentary per pair"
        ):
            return Understanding(
                "edit", {"change": "other", "by_pair": True}, text=text
            )  # "break it down by pair"
        if (
            state.task == "program_health"
            and (added_figures := self.figures(lower))
            and added_figures.get("about")
            not in (state.args.get("about", "attention"), "attention", "report", None)
            and FIGURES_ADDED.search(lower)
        ):  # "add the pulse scores", "can you put the self-ratings in as well": those too, after these
            return Understanding("edit", {"change": "other", "also": added_figures["about"]}, text=text)
        if (
            state.task == "program_health"
            and (figures := self.figures(lower))
            and figures != {"about": state.args.get("about")}  # other figures, or the same ones narrowed,
            and not (  # not "the one with nothing booked - when did they last meet": that pair
                figures.get("about") == state.args.get("about")
                and re.match(r"\W*(?:and )?the (?:one|pair)\b", lower)
            )
            and not (self._edits["drop"].search(lower) or TAKE_OUT.search(lower))  # "leave out the pulse"
        ):  # "same thing but for the self-ratings": those figures instead
            return Understanding("program_health", figures, text=text)
        if (
            state.task == "program_health"
            and state.args.get("about") == "sessions"
            and state.args.get("month")
            and not state.args.get("by_pair")
            and WHICH_PAIRS.match(lower)
        ):  # "and the one that hasn't?" after a month's sessions: pair by pair, those without one named
            return Understanding(
                "program_health",
                {"about": "sessions", "month": state.args["month"], "by_pair": True},
                text=text,
            )
        if (
            state.task == "program_health"
            and state.args.get("about") == "sessions"
            and len(lower.split()) <= 6
            and not re.match(r"\W*(?:why|how|what|is|are|does|did|where)\b", lower)  # "why's september blank"
            and (other_month := re.search(rf"\b({MONTH})\b", lower))
        ):  # "fair enough. october then" after November's sessions: October's, the same way; "vs october?":
            month = month_number(other_month.group(1))  # the months side by side, from that one
            compared = re.search(r"\b(?:vs\.?|versus|compared (?:with|to)|against)\s", lower)
            if compared and month < (state.args.get("month") or 13):
                return Understanding("edit", {"change": "other", "since": month}, text=text)
            return Understanding("edit", {"change": "other", "month": month}, text=text)
        if (
            state.task == "program_health"
            and state.args.get("about") == "upcoming"
            and len(lower.split()) <= 8
            and (ahead := self._ahead(lower))
        ):  # "and next month?" after the sessions coming up this week
            return Understanding("program_health", {"about": "upcoming", "within_days": ahead}, text=text)
        if (
            state.task == "program_health"
            and (days := self.compared_days(lower, asked_before=True))
            and not (re.search(r"\bhow many\b", lower) and named_people(lower, people))
        ):  # not "how many sessions has kai-helen had cancelled this year": that pair's figures
            return Understanding("edit", {"change": "compare", "compare_days": days}, text=text)
        continues = re.match(
            r"(?:(?:ok|okay|so|but|hmm)[,.]?\s+)?(?:but\s+)?"
            r"(?:and|also|what about|how about|what if|if|even if|but if)\b",
            lower,
        )
        iffy = re.match(
            r"(?:(?:ok|okay|so|but|hmm)[,.]?\s+)?(?:but\s+|and\s+)?(?:what if|if|even if|but if)\b", lower
        )
        if state.task == "agenda" and iffy and ref is not None and 0 < ref <= len(state.items):
            return Understanding(
                "expand", {"ref": ref}, text=text
            )  # "what if he's unprepared, backup for slot 1?"
        if state.task == "coach" and not iffy:
            continues = None  # "and 3 topics on X" after advice is a new request; "and if that fails?" is not
        asks_other = any(  # "and a prep brief then" after a notes answer is a new request
            self._cues[name].search(text) for name in NAMED_TASKS if name != state.task
        ) or (state.task == "ask" and bool(self._cues["coach"].search(text)))  # "what if he keeps cancelling"
        if (
            state.task not in DRAFTS
            and self._cues["draft_message"].search(text)
            and not RESHAPED.search(lower)  # "write it up as two sentences for the report": this answer
        ):
            return (
                None  # "write a nudge to gareth about his 15 min": a message to draft, whatever came before
            )
        if (
            state.task in ("search_notes", "ask", "coach")
            and continues
            and not asks_other
            and not (ref and self._expand.search(lower))
            and not (state.task == "ask" and state.role in STAFF_ROLES and self.figures(lower))
            and not (state.task == "ask" and PAST_DEED.search(lower))  # "and did he ever open the survey"
            and not (
                state.task == "search_notes" and DROP_ITEM.search(lower)
            )  # "and leave out the first one"
        ):  # not "and usefulness scores for oct and nov?" after a rule question: the program's figures
            slots = {"focus": self.focus(text, people)} if state.task != "coach" else {}
            if state.task == "search_notes" and not slots["focus"]:  # "and which depot is it at?"
                slots["focus"] = self.note_subject(text, people) or (
                    state.args.get("focus")
                    if (ANAPHOR.search(lower) or lower.startswith("and "))
                    and not re.search(r"\babout\b", lower)
                    else None
                )  # "and did I follow up?": on what the last question was about, unless it says its own
            if state.task == "search_notes" and ANAPHOR.search(lower) and state.args.get("focus"):
                slots["about"] = state.args[
                    "focus"
                ]  # "and how long was I to trial it?": it is the last subject
            if state.task == "coach" or (  # "if I leave her name out?" is read with what it continues;
                len(tokenize(text)) < SELF_CONTAINED  # "and do execs keep access to shared notes once the
            ):  # pair has ended" says its own subject
                slots["context"] = state.args.get("text")
            if state.task == "coach" and STILL_STUCK.search(lower):
                slots["next"] = True  # "and if that doesn't work?": the same challenge's other steps
            if state.task == "coach":  # "what if he says no?": more on the advice, for that moment
                return Understanding("expand", {**slots, "asked": True}, text=text)
            return Understanding(state.task, slots, text=text)
        if (
            state.task == "ask"
            and not asks_other
            and ASKED_ABOUT_IT.match(lower)
            and (
                re.search(r"\b(?:that|it|this|then)\b", lower)
                or (
                    re.match(r"(?:(?:ok|okay|understood|right|got it|thanks)[,.!]?\s+)*and\b", lower)
                    and len(lower.split()) <= 8
                )
            )
        ):  # "who do i even talk to about that", "Understood. And who should I inform?": the question goes on
            return Understanding("ask", {"context": state.args.get("text")}, text=text)
        if state.task == "ask" and not asks_other and (PROCESS_ASKED.match(lower) or RECALLED.match(lower)):
            return Understanding(
                "ask", {"context": state.args.get("text")}, text=text
            )  # "how would that work"
        if (
            state.task == "ask"
            and not asks_other
            and ref is None
            and (why := WHY_THAT.match(lower))
            and len(lower.split()) <= 8
        ):
            if why.group("why"):  # "whats the reasoning behind that": more of the passages, their reasons
                return Understanding("expand", {"ref": 1}, text=text)
            return Understanding("ask", {"context": state.args.get("text")}, text=text)  # "for how long"
        pointed_part = ANSWER_PART.search(lower)  # "the second part", "your first point", "an example"
        if state.task == "ask" and CHOICE_ASKED.search(lower):  # "so what's the cut off, 6 wks or longer"
            return Understanding("ask", {"context": state.args.get("text")}, text=text)
        if (
            state.task == "ask"
            and not asks_other
            and not re.match(r"(?:(?:so|and|but|ok|then)\W+)?(?:can|could|may) (?:we|i)\b", lower)  # "so can
            and (  # we extend": a question of its own
                self._edits["longer"].search(lower)
                or (
                    self._expand.search(lower)
                    and (ANAPHOR.search(lower) or pointed_part)
                    and (short or pointed_part)
                    and not MORE_QUESTION.match(lower)
                )
            )
        ):
            part_n = self.reference(text, state) if pointed_part or POINT_N.match(lower) else None
            if (pointed_part or part_n) and not (self._edits["longer"].search(lower) and not part_n):
                return Understanding("expand", {"ref": part_n or 1}, text=text)  # that part, in detail
            return Understanding("edit", {"change": "longer"}, text=text)  # "can u explain that more fully"
        if (
            state.task == "ask"
            and not asks_other
            and ref is None
            and CHECKED.match(lower)
            and len(lower.split()) <= 14
            and not PAST_DEED.search(lower)
            and not SAID_ASKED.search(lower)  # "wait so 30 is the floor? u said 30 to 60": what it said
            and not self._edits["shorter"].search(lower)  # "so basically yes or no": the answer, shorter
        ):  # "So thirty is the floor?", "so who sees it exactly": the answer checked, read with its question
            return Understanding("ask", {"context": state.args.get("text")}, text=text)
        if state.task not in ("topics", "agenda") and ref is None and TOPICS_ASKED.search(lower):
            return None  # "and for thursday, three topics where she leads" after advice: topics asked anew
        if (
            state.task in ("coach", "ask")
            and ASKS_ADVICE.match(re.split(r"(?<=[.!?])\s+", lower)[-1])  # "we don't have one. what would…"
            and ref is None
        ):
            return Understanding(state.task, {"context": state.args.get("text")}, text=text)
        if (
            ref is not None
            and state.task in ("topics", "agenda", "coach", "brief")
            and minutes is None
            and (to := SWAP_TO.search(lower))
            and (topic := self.focus("about " + to.group("topic"), people))
        ):  # "change 2 to hybrid work", "2nd -> copilot", "the linkedin one has to go, put X there"
            return Understanding("edit", {"change": "swap", "ref": ref, "focus": topic}, text=text)
        if (
            state.task == "topics"
            and ref is None
            and (one := ONE_ON.search(lower))
            and (topic := self.focus("about " + one.group("topic"), people))
        ):  # "mix it up, one on her board stuff", "can one be about the network plan": one of them
            return Understanding("edit", {"change": "swap", "focus": topic}, text=text)
        if (
            state.task == "agenda"
            and minutes is None
            and re.search(r"\b(?:slot|part|bit|item|block|section|segment)\b", lower)
            and (to := SWAP_TO.search(lower))
            and (topic := self.focus("about " + to.group("topic"), people))
        ):  # "change the linkedin slot to retention": an agenda part given another subject
            side = SIDE_PART.search(lower)
            part = self.whose(side.group(1), state.role) if side else None
            return Understanding(
                "edit", {"change": "swap", "focus": topic, **({"part": part} if part else {})}, text=text
            )
        if (
            state.task in ("topics", "agenda", "search_notes", "program_health")
            and (aimed := AIMED.search(lower))
            and (topic := self.focus("about " + aimed.group("topic"), people))
        ):  # "put it around the Power BI dashboards", "focus that on cancellations", "swap it to linkedin"
            return Understanding("edit", {"change": "focus", "focus": topic}, text=text)
        if (
            state.task in ("topics", "agenda", "search_notes")
            and (again := SAME_FOR.match(lower) or (state.task == "topics" and DO_INSTEAD.match(lower)))
            and not re.search(rf"\b(?:{self._ordinal_words})\b", again.group("topic"))
            and (topic := self.focus("about " + again.group("topic"), people))
        ):  # "same but for the rotterdam memo", "actually do variance commentary"
            return Understanding("edit", {"change": "focus", "focus": topic}, text=text)
        if state.task == "topics" and ONLY_ONES.match(lower) and (topic := self.focus(lower, people)):
            return Understanding(
                "edit", {"change": "focus", "focus": topic}, text=text
            )  # "only reforecast ones"
        if (
            ref is not None
            and state.task in ITEM_TASKS
            and DROP_REF.search(lower)
            and not SUPPOSED.search(lower)  # "what happens to their notes if I delete the pair"
        ):
            part = (
                state.items[ref - 1] if 0 < ref <= len(state.items) else ""
            )  # "cross off #1, not doing that"
            return Understanding("edit", {"change": "drop", "ref": ref, "part": part}, text=text)
        if (
            ref is None
            and minutes is None  # "make the whole thing 20 min, he won't give me more"
            and WHOLE.search(re.split(r"(?<=[.!?])\s+", lower)[0])  # not "…? the board overrides everything"
            and (self._expand.search(lower) or self._edits["longer"].search(lower))
            and not HOW_DO_I.match(lower)  # "how do i stop him talking over me, he did it the whole call"
        ):
            return Understanding("edit", {"change": "longer"}, text=text)  # "expand on all of it"
        if NARROW.search(lower) and count is None and self._edits["shorter"].search(lower):
            return Understanding("edit", {"change": "shorter"}, text=text)  # "just the short answer pls"
        if (
            state.task == "search_notes"
            and NARROW.search(lower)
            and count is None
            and not YES_NO.match(lower)  # "do we need marisol to sign off or is it just between us"
            and (topic := self.focus(text, people) or self.note_subject(text, people))
        ):  # "only the bits about the budget": the same search, on that
            return Understanding("edit", {"change": "focus", "focus": topic}, text=text)
        if ref is not None and re.match(  # "the third, in one line": that item, briefly
            r"(?:and\s+|ok\s+)?(?:the\s+)?[\w#]+(?:\s+(?:one|item|topic|step|point|idea))?,?\s+"
            r"in\s+(?:one|a|1|two|2|a few)\s+(?:lines?|sentences?|words)\b",
            lower,
        ):
            return Understanding("expand", {"ref": ref}, text=text)
        if state.task in ("topics", "agenda", "coach") and EXCEPT.search(lower):
            return Understanding("edit", {"change": "other"}, text=text)  # "anything that isn't slack"
        if (
            state.task == "agenda"
            and (minutes is None or ON_PAPER.search(lower))
            and (now := HAVE_NOW.search(lower))
            and 10 <= (n := int(now.group(1))) <= 120
        ):  # "he just moved it, we only have 30 now"
            return Understanding("edit", {"change": "minutes", "minutes": n}, text=text)
        if (
            state.task != "agenda"
            and count is None  # "only 2 ideas, we'll spend half the time on my thing": two, not shorter
            and (halved := HALF.search(lower))
            and (state.task not in DRAFTS or halved.group(0) == "half as long")
        ):
            return Understanding("edit", {"change": "shorter"}, text=text)  # "half as long" after advice
        if (
            state.task == "agenda" and HALF.search(lower) and not self._edits["drop"].search(lower)
        ):  # "realistically I'm only free for half of it"
            half = int(state.args.get("minutes", 45)) // 2
            return Understanding("edit", {"change": "minutes", "minutes": half}, text=text)
        if state.task in ("ask", "coach", "brief", "search_notes") and (
            said := ITEM_THEN_QUESTION.match(lower)
            or YOU_SAID.match(lower)
            or (SAID_ASKED.search(lower) if "?" in lower or re.search(r"\bright\W*$", lower) else None)
        ):  # "the consent point. how formal does that need to be?", "you said we both have to agree..."
            named = self._named_item(said.group(0), state) if said.re is ITEM_THEN_QUESTION else None
            at = named or ref or self.reference(said.group(0), state)
            if state.task == "coach" and said.re is ITEM_THEN_QUESTION and TRIED.search(lower[said.end() :]):
                return Understanding("edit", {"change": "swap", "ref": at or state.ref or 1}, text=text)
            lacked = (
                self.note_subject(said.group(0), people)
                if at is None and state.task in ("search_notes", "brief") and said.re is ITEM_THEN_QUESTION
                else None
            )  # not "the october one": a note shown
            if not lacked:
                return Understanding("expand", {"ref": at or state.ref or 1}, text=text)
            if state.task == "brief":  # "the winter range thing, when is that due": in the notes behind it
                return Understanding("expand", {"asked": True, "focus": lacked}, text=text)
            # "and the fuel card thing, what was his trick": a subject the notes shown lack, searched for
        if (said := SAID_FIRST.match(lower)) and state.task not in ("draft_message", "check_in"):
            kind = "longer" if said.group(1) in ("longer", "fuller", "more detail") else "shorter"
            length = re.fullmatch(r"\s*(\d{2,3})\s*(?:min\w*|m)?[.!]*", lower[said.end() :])
            fits = int(length.group(1)) if length else self.minutes(lower[said.end() :])
            if state.task == "agenda" and fits and 10 <= fits <= 120:  # "shorter, 40", "shorter, 20 is all"
                return Understanding("edit", {"change": "minutes", "minutes": fits}, text=text)
            bullets = re.match(r"(\d{1,2}) bullets?", said.group(1))  # "3 bullets max"
            n = int(bullets.group(1)) if bullets else count  # "shorter, 3 bullets max"
            slots = {"change": kind, **({"count": n} if n else {})}
            return Understanding("edit", slots, text=text)  # "longer please, a paragraph I can paste in"
        if state.items and (
            out := IS_OUT.search(lower)
        ):  # "the ask-him-in-the-room one is out", "bin that one"
            words = re.findall(r"[a-z]+", (out.group(1) or lower[: out.start()]).replace("-", " "))
            gone = ref or self.best_title([w for w in words if len(w) > 3], state.items) or state.ref
            if gone and 0 < gone <= len(state.items):
                return Understanding(
                    "edit", {"change": "drop", "ref": gone, "part": state.items[gone - 1]}, text=text
                )
            part_named = (
                re.split(r"\bthe\s+", out.group(1))[-1] if out.group(1) else None
            )  # the last "the X one"
            part_named = part_named or self.note_subject(
                re.split(r"[,;.]", lower[: out.start()].strip(" ,;."))[-1]
            )
            if part_named:  # "he hates role play, lose that": no such part, and the reply says so
                return Understanding(
                    "edit", {"change": "drop", "part": part_named.replace("-", " ")}, text=text
                )
        if state.task in ("topics", "agenda") and (put_back := BACK_IN.search(lower)):
            wanted = put_back.group("what") or put_back.group("again")
            restore = "" if wanted in ("it", "that", "them", "those", "this") else wanted
            if state.args.get("drop") or state.args.get("leave_out") or self.focus("about " + restore):
                return Understanding("edit", {"change": "other", "restore": restore}, text=text)
        if (
            state.task in ("topics", "agenda")
            and (by_name := DROP_NAMED.match(lower))
            and self.reference(text, state) is None  # "drop the first one": by its place
            and (which := self.best_title(re.findall(r"[a-z&+]+", by_name.group("what")), state.items))
        ):
            return Understanding(
                "edit", {"change": "drop", "ref": which, "part": state.items[which - 1]}, text=text
            )
        if state.task == "topics" and LOOKING_BACK.search(lower):  # "smth more like looking back on the year"
            return Understanding("edit", {"change": "focus", "focus": "looking back"}, text=text)
        if state.task in ("topics", "agenda", "search_notes") and (away := LESS_THEN_MORE.search(lower)):
            topic = self.focus("about " + away.group("topic"), people)  # "less about apps, more about X"
            if topic:
                return Understanding("edit", {"change": "focus", "focus": topic}, text=text)
        if ref is not None and MORE_ON.search(lower) and count is None:
            return Understanding("expand", {"ref": ref}, text=text)
        # not "tell me more about the shorter sessions option": what follows names an item
        named_after = MORE_ABOUT.match(lower)
        unnamed = NAMING_HEAD.sub("", lower, count=1)  # "the bit about a shorter slot – would she…": no edit
        explicit = not named_after and any(
            self._edits[c].search(unnamed) for c in ("swap", "shorter", "fewer")
        )
        explicit = explicit or self._other(lower, state.task)
        explicit = explicit or bool(
            DROP_ITEM.search(lower)
            or TAKE_OUT.search(lower)  # "take the linkedin bit out, i've pushed that enough"
            or (state.task == "agenda" and self._edits["drop"].search(lower))
        )
        explicit = explicit or (
            state.task == "agenda" and bool(LEADS_FIRST.search(lower) or MOVED_FIRST.search(lower))
        )
        explicit = explicit or (
            state.task == "agenda"
            and bool(INTO_PART.search(lower) or MAIN_PART.search(lower) or SIDE_PART.search(lower))
            and not (  # "say more about his part", "and my bit?": that part explained
                ref
                and not INTO_PART.search(lower)
                and (self._expand.search(lower) or not SIDE_PART.split(lower)[-1].strip(" ?.!"))
            )
        )
        modifies = (  # "can you add an icebreaker"; not "put that into 45 minutes", "make it about X"
            bool(MODIFY.match(lower))
            and not asks_other
            and minutes is None
            and count is None
            and not (re.search(r"\b(?:about|on|around)\s", lower) and self.focus(text, people))
        )
        explicit = explicit or modifies
        if (
            state.task == "pairing"
            and (department := FROM_DEPARTMENT.search(lower))
            and not NOT_SAID.search(lower[: department.start()])  # not "she can't be paired with anyone in X"
        ):
            return Understanding("edit", {"change": "focus", "focus": department["department"]}, text=text)
        if (
            state.task == "pairing"
            and KEPT_TOGETHER.search(lower)
            and len(two := named_people(lower, people)) == 2
        ):  # "helen's staying with kai tho": that pair kept, the rest matched around it
            return Understanding("edit", {"change": "other", "kept": two}, text=text)
        if (
            state.task == "pairing"
            and (subject := state.args.get("options"))
            and (why_not := re.match(r"\W*(?:(?:but|and|so|ok)\W+)?why not\s+([a-z]+)\b", lower))
            and why_not.group(1) in people
            and why_not.group(1) != subject
        ):  # "why not martin, he's been great w priya" after amara's options: how the two would fit
            return Understanding("pairing", {"together": [subject, why_not.group(1)]}, text=text)
        if state.task == "pairing" and KEPT_CURRENT.search(lower) and not named_people(lower, people):
            return Understanding("edit", {"change": "other", "kept_current": True}, text=text)
        if state.task == "pairing" and self._keeps_apart(lower):
            return Understanding("edit", {"change": "other", **self._apart(lower, people)}, text=text)
        if (
            state.task == "pairing"
            and (state.args.get("who") or (ref is not None and DROP_OR_SWAP.search(lower)))
            and state.items
            and (
                self._other(lower, "pairing")
                or (ref is not None and DROP_OR_SWAP.search(lower))
                or (
                    BESIDES.search(lower) and count is None and not named_people(lower, people)
                )  # "besides her"
            )
        ):  # "anyone else?", "any other option for him? dana's diary is impossible": not the one suggested
            chosen = state.items[(ref or 1) - 1] if 0 < (ref or 1) <= len(state.items) else state.items[0]
            pair = re.findall(r"\*\*(\w+)", chosen.lower())[:2]
            if len(pair) == 2 and not set(named_people(lower, people)) - set(pair):
                return Understanding("edit", {"change": "other", "apart": pair}, text=text)
        leave_out = state.task == "pairing" and re.search(  # "…, leave her out": that person, not a pair
            r"\b(?:leave|keep|take) (?:him|her) out\b|\b(?:skip|exclude) (?:him|her)\b", lower
        )
        if (
            state.task == "pairing"
            and (BESIDES.search(lower) or (BUSY.search(lower) and not leave_out))
            and (not_them := named_people(lower, people))
        ):
            matched = next((i for i in state.items if not_them[0] in i.lower()), "")
            other = [w for w in re.findall(r"\*\*(\w+)", matched.lower()) if w != not_them[0]]
            if other:  # "any options besides dana?", "helen's stretched" after Kai with her: those two apart
                return Understanding("edit", {"change": "other", "apart": [other[0], not_them[0]]}, text=text)
        if (
            state.task == "pairing" and leave_out and len(left := named_people(lower, people)) == 1
        ):  # "sofia's got her hands full already, leave her out": the person named, not their match
            return Understanding("edit", {"change": "drop", "part": left[0]}, text=text)
        if ref is None and state.task in ("program_health", "pairing", "rotation"):
            ref = self._named_people(lower, state, people)
        if (
            state.task == "program_health"
            and ref
            and re.match(
                r"\W*(?:(?:ok|okay|so|and|now|then|but|same (?:table|list|thing|figures|numbers)|again)\W+)*"
                r"(?:without|drop|minus|leave out|take out|remove|exclude)\b",
                lower,
            )
        ):  # "same table without amara and rafael": that pair's line left out
            return Understanding(
                "edit", {"change": "drop", "ref": ref, "part": state.items[ref - 1]}, text=text
            )
        if (
            ref is None and state.items and (one := ONE_WITH.search(lower))
        ):  # "the one without a planned session"
            words = [w for w in re.findall(r"[a-z]+", one.group(1)) if len(w) > 3 and w not in STOPWORDS]
            if (found := self.best_title(words, state.items)) is not None:
                return Understanding("expand", {"ref": found}, text=text)
        if state.task == "program_health" and FIGURES_ALONE.match(lower):
            return Understanding("edit", {"change": "shorter"}, text=text)  # "numbers only"
        if state.task in ("brief", "search_notes") and MINE.search(
            lower
        ):  # "only mine pls", "i only need mine"
            return Understanding("edit", {"change": "drop", "keep": "my actions"}, text=text)
        if (
            state.task in ("brief", "search_notes", "program_health")
            and (only := ONLY.search(lower) or (state.task != "program_health" and ONLY_AFTER.search(lower)))
            and count is None
        ):
            wanted = only.groupdict().get("what") or lower[only.end() :].strip(" .!?")
            if state.task == "program_health" and (worst := WORST.match(wanted)):
                return Understanding(
                    "edit", {"change": "count", "count": self._number(worst.group("n") or "1")}, text=text
                )
            if state.task == "program_health" and FIGURES_ONLY.search(wanted):
                return Understanding("edit", {"change": "shorter"}, text=text)  # "just the headline numbers"
            return Understanding("edit", {"change": "drop", "keep": wanted}, text=text)
        asks = (
            bool(self._expand.search(lower))
            or (
                unnamed != lower
                and bool(re.match(r"(?:would|will|could|can|should|is|does|do|how|what|why)\b", unnamed))
            )  # "the bit about a shorter slot – would she go for that": asked about that item
            or (
                bool(re.match(r"(?:(?:wait|ok|so|and|sorry)\W+)*(?:what|how|why|which|who)\b", lower))
                and bool(self._item_pointed.search(lower))
            )  # "wait what's the middle part of the plan again, the 2nd bit"
        )
        in_part = IN_THE_PART.search(lower) if ASKED.search(lower) else None
        asks = asks or (  # "What should I actually show her in the reforecast part?": asked about that part
            in_part is not None and self._named_item(in_part.group(0), state) is not None
        )
        pointing = LEADING_REF.match(lower) if state.items and not explicit else None
        pointed = pointing is not None and (
            bool(
                re.search(rf"\b(?:{self._ordinal_words}|last)\b", pointing.group(0))
            )  # "the first one, how long…"
            or not (  # "what about the depot rollout? the ev charging thing"
                bool(re.search(r"\bthe\s+(?!one\b)\w", pointing.group(0)))
                and self._named_item(lower, state) is None
            )
        )
        named = bool(
            state.items
            and not explicit
            and (item := NAMED_ITEM.search(lower))
            and not re.match(r"the\s+(?:whole|entire|same)\s+\w+$", item.group(0))  # "the whole thing"
            and (
                self._named_item(lower, state) is not None
                # a note found is not named by a subject it lacks: "did I send the board pack thing" searches
                or not (WHAT_ABOUT.match(lower) or state.task == "search_notes")
            )
        )
        if state.ref is None and len(state.items) > 1 and re.fullmatch(r"(?:that|this|the) one[.!?]*", lower):
            return Understanding("clarify", {"items": len(state.items)}, text=text)  # which one?
        guessed: dict[str, str] = {}
        if ref is None and count is None and minutes is None and (pointed or (named and (asks or short))):
            ref = state.ref or 1  # "the AI one, ..." names an item whose title has other words
            if named and not pointed and (item := NAMED_ITEM.search(lower)):
                guessed = {"named": item.group(0)}  # the answer checks the item is about it
        if (
            state.task == "ask"
            and not state.items
            and asks
            and ref is None
            and not explicit
            and re.search(r"\b(?:more|explain|expand|elaborate|detail|properly)\b", lower)
            and not ADVICE_ASKED.search(lower)
        ):  # "could you say more about that point?", not "how do i raise it with him?"
            return Understanding("expand", {"ref": 1}, text=text)
        advice = state.task in ADVICE_AFTER and HOW_DO_I.match(lower)  # "how do i raise it with him"
        if (
            ref is not None
            and (asks or short or pointed)
            and not explicit
            and not (THEME.search(lower) or INSTEAD.search(lower) or ITEM_TO_BE.search(lower))
            # "the first one… could it be X instead", "can the middle bit be the expense tool walkthrough"
            and not TAKE_OUT.match(lower)  # "take out the last one, he'll say it's for marketing"
            and not advice
        ):  # "how do i raise the one-way thing with gareth" after the figures: advice, not more figures
            if self._edits["drop"].search(lower) and not asks and ref <= len(state.items):
                named_part = state.items[ref - 1]  # "the linkedin item. i know. leave it off."
                return Understanding("edit", {"change": "drop", "ref": ref, "part": named_part}, text=text)
            if (
                state.task in ("topics", "coach")
                and (DONE_THAT.search(lower) or TOO_MUCH.search(lower))
                and not asks
                and "?" not in lower
            ):
                return Understanding(
                    "edit", {"change": "swap", "ref": ref}, text=text
                )  # "we already did #3", "the 3rd is too techy for her"
            return Understanding(
                "expand", {"ref": ref, **self._wording_asked(lower, state), **guessed}, text=text
            )
        edit = (
            None
            if ASKS_ADVICE.match(lower)
            or HOW_DO_I.match(lower)
            or self._wording.match(lower)
            or WAYS_TO.search(lower)
            or (state.task in NOTES_ANSWERS and IDEAS_ASKED.search(lower))  # "suggest a few things to post"
            or (state.task != "topics" and TOPICS_OPENED.match(lower))
            or ((needed := NEEDED_NOW.search(lower)) and not state.task.startswith(needed.group(1)))
            else self._edit(lower, state, minutes, count, people)
        )  # "what would I actually say to the rep, one sentence": the words, not a shorter answer
        if ref is None and state.task == "topics" and state.ref and SWAP_THAT.search(lower):
            return Understanding("edit", {"change": "swap", "ref": state.ref}, text=text)  # after more on it
        if (
            edit is not None and state.task == "topics" and ref is not None and ASKED_IF_DONE.match(lower)
        ):  # "has she already covered the 3rd one w me?": asked, about that one
            return Understanding("expand", {"ref": ref}, text=text)
        if (
            edit is not None
            and edit.get("change") == "count"
            and state.task == "topics"
            and INSTEAD.search(lower)
            and (subject := self.focus(lower, people))
        ):  # "give me 2 on the new expense tool instead": that many, on that
            edit.update(change="focus", focus=subject)
        if edit is not None:
            if count is not None and state.task != "agenda":
                edit.setdefault("count", count)
                if (
                    edit.get("change") in ("shorter", "longer", "fewer")
                    and state.task in COUNTED
                    and not re.search(r"\b(?:lines?|bullets?|sentences?|words|paragraphs?)\b", lower)
                ):
                    edit["change"] = "count"  # "too long, give me the top 2": how many, said
            if edit.get("change") == "focus" and pointed and ref is not None and state.task == "topics":
                edit["change"] = "swap"  # "the first one… could it be about the reforecast instead": that one
            if (
                edit.get("change") == "drop"
                and state.task == "topics"
                and (instead := INSTEAD.search(lower))
                and (subject := self.focus(lower[max(0, instead.start() - 60) :], people))
            ):  # "bin the first, give me something about AI instead": that one replaced
                edit.update(change="swap", focus=subject)
            if (
                edit.get("change") in ("drop", "swap")
                and ref is not None
                and (state.task != "agenda" or (edit["change"] == "swap" and not edit.get("order")))
            ):
                edit["ref"] = ref  # "switch out the 1st item": that part's topic replaced
            if edit.get("change") == "fewer" and state.task == "agenda":
                edit["change"] = "shorter"
            if (
                edit.get("change") == "swap"
                and not edit.get("focus")
                and (subject := str(state.args.get("focus") or "").lower())
                and subject in lower
            ):
                edit["unfocus"] = True  # "replace the Power BI one, I can manage that": not on it again
            return Understanding("edit", edit, text=text)
        if (
            state.task == "rotation"
            and "?" not in lower
            and ((dropped := ROTATION_CUT.search(lower)) or (count is not None and MAX_SAID.search(lower)))
        ):
            # "drop the last one, no budget for that", "3 points max": a change a rotation can't take, said so
            kind = "count" if count is not None and not dropped else "drop"
            number = {"count": count} if kind == "count" else {}
            return Understanding("edit", {"change": kind, "unsupported": True, **number}, text=text)
        about_it = short or ABOUT_IT.match(lower)
        wording = bool(self._wording_asked(lower, state))
        if (
            state.items
            and not advice
            and (
                (
                    about_it
                    and (
                        wording
                        or (
                            self._expand.search(lower)
                            and re.search(r"\b(that|this|it|him|her|them|that one)\b", lower)
                        )
                    )
                )
                or (
                    wording and not re.search(r"\b(?:if|when|unless)\b", lower)
                )  # not a what-if: a new moment
            )
        ):  # "how do i open it", "give me the actual words i could use", "what would you say at the start"
            return Understanding(
                "expand",
                {
                    # "opening line for the 3rd?": words for an item, not a date
                    "ref": self.reference(lower.replace("for the ", "the "), state) or state.ref or 1,
                    **({"wording": True} if wording else {}),
                },
                text=text,
            )
        if modifies:  # a change no rule knows ("put the questions first"): said honestly, not guessed
            return Understanding("edit", {"change": "other", "unsupported": True}, text=text)
        if (
            state.task in ("topics", "agenda", "coach", "program_health", "pairing")
            and DONE_THAT.search(lower)
            and (not ASKED.search(lower) or re.search(r"\b(?:what|anything|something) else\b", lower))
        ):  # "meh we covered all that already", "the EA idea we already have. what else?": other ones
            return Understanding("edit", {"change": "other"}, text=text)
        if (
            state.task in ("coach", "topics", "agenda")
            and re.search(r"\b(?:tho|though)\b", lower)
            and "?" not in lower
            and not re.search(r"\b(?:how|what|why|when|who|where|which)\b|\d", lower)
            and not re.match(r"(?:\w+\W+)?(?:is|are|can|could|do|does|should|would|will|am)\b", lower)
            and len(lower.split()) <= 14
        ):  # "hes the COO tho, i cant just cut in": a pushback on the answer, other ideas
            return Understanding("edit", {"change": "other"}, text=text)
        return None

    def _calendar_edit(self, lower: str, state: State) -> Understanding | None:
        """A cycle's calendar moved to another kickoff, or a step of it left out."""
        start = dt.date.fromisoformat(str(state.args["start"])[:10])
        if shifted := SHIFTED.search(lower):
            n = 1 if shifted.group("n") in ("a", "an") else self._number(shifted.group("n"))
            unit = shifted.group("unit")
            days = n * (1 if unit.startswith("day") else 28 if unit.startswith("month") else 7)
            days = -days if re.search(r"\b(?:forward|earlier|sooner)\b", lower) else days
            return Understanding(
                "edit", {"change": "other", "start": (start + dt.timedelta(days=days)).isoformat()}
            )
        if re.search(r"\b(?:start|starting|kick ?off|kicks off|begin)\b", lower) and (
            day := cycle_start(lower, clock.today())
        ):  # "make it start on 1 feb"
            return Understanding("edit", {"change": "other", "start": day.isoformat()})
        titles = tuple(i.split("**")[1] if i.startswith("**") else i for i in state.items)
        if (dropped := self._edits["drop"].search(lower)) is None and re.search(
            r"\?|\b(?:what|how|when|who|why|more|explain)\b", lower
        ):
            # "the midpoint review, what shd it include": that step
            named = self.best_title(re.findall(r"[a-z-]+", lower), titles)
            return Understanding("expand", {"ref": named}) if named else None
        if dropped:
            what = re.split(
                r"[,;.!?]|\s+(?:because|as|since|we're|we are|for now)\b", lower[dropped.end() :]
            )[0]
            what = re.sub(
                r"^\s*(?:the|that|those|our|both)\s+|\s+(?:one|bit|step|part|thing)s?\s*$", "", what
            )
            words = re.findall(r"[a-z-]+", what)
            if words and self.best_title(words, titles):
                return Understanding("edit", {"change": "drop", "skip": " ".join(words)})
        return None

    def _said_in_one_sentence(self, text: str, state: State, people: frozenset[str]) -> Understanding | None:
        """A number of items or minutes asked for in a message's first sentence, the others giving why.

        "Could it be five, actually? Kai likes to have a choice." asks for five. None when a later
        sentence asks something ("We need to restart. How do I do that?") or reads as a follow-up too.
        """
        first, *rest = re.split(r"(?<=[.!?])\s+", text.strip())
        if not state.task or not rest or any("?" in s or self.follow_up(s, state, people) for s in rest):
            return None
        found = self.follow_up(first, state, people)
        if found is None or found.slots.get("change") not in ("count", "minutes"):
            return None
        found.text = text
        return found

    def _said_in_one_clause(self, text: str, state: State, people: frozenset[str]) -> Understanding | None:
        """An edit said in one clause of a message whose other clauses give the reason.

        "she likes blunt, all the hope-youre-well stuff can go" and "tbh he'll be wiped after budget
        season, all of these feel a bit heavy" change the answer; the reason around the edit is no new
        request. None when no clause, or more than one, reads as an edit, or another clause asks something.
        """
        if (
            state.task not in FOLLOW_UP_TASKS
            or "?" in text
            or ENDS_THANKING.search(text.lower())
            or self._cues["thanks"].search(text)
        ):  # "Very well, thanks.": thanks, whatever "very well" alone might be
            return None
        clauses = [c for c in CLAUSE_BREAK.split(text.strip()) if c]
        if len(clauses) < 2 or any(
            REQUEST.search(c) or any(self._cues[name].search(c) for name in NAMED_TASKS) for c in clauses
        ):  # "ok write the proposal msg to him, 3-4 lines max": a new message, its length said after
            return None
        ruled = [self.follow_up(c, state, people) for c in clauses]
        edits = [f for f in ruled if f is not None]  # "wait no go back to 3, the one u cut was the best": the
        if (  # edit a rule reads beside a clause only guessed at; not "the first 5 mins, what do i say"
            len(edits) != 1 or edits[0].intent != "edit" or any(ASKED.search(c.lower()) for c in clauses)
        ):
            edits = [
                f
                for f in (r or self.guess_follow_up(c, state, people) for r, c in zip(ruled, clauses))
                if f is not None
            ]
        if len(edits) != 1 or edits[0].intent != "edit":
            return None
        edits[0].text = text
        return edits[0]

    def _stated_fact(self, text: str, state: State, people: frozenset[str]) -> Understanding | None:
        """A statement right after an answer, to be taken into account: other ones.

        "she responds to data not feelings" after advice, "Kai is a designer, not an accountant." after
        topics, "no emojis she doesnt do emojis" after a message: nothing is asked, no task is named and
        no trouble is told ("he cancelled again" is a story for advice) and no session half-remembered
        ("i think he promised me the deck" is for the notes), so the answer is redone: on the subject the
        statement names, if it names one ("she wants most of it on the winter range data").
        """
        lower = text.lower()
        clauses = CLAUSE_BREAK.split(lower.strip())
        if (
            state.task not in STATED_FOR
            or len(re.findall(r"[a-z']+", lower)) < 3
            or "?" in lower
            or not (STATEMENT.search(lower) or named_people(lower, people))
            or ASKED_AGAIN.match(lower)
            or any(ASKED.search(c) or self._bidden(c) for c in clauses)
            or REQUEST.search(text)
            or self._stories.search(lower)
            or any(cue.search(text) for cue in self._cues.values())
        ):
            return None
        if state.items and TAG_QUESTION.search(lower) and (pointed := NAMED_ITEM.search(lower)):
            named = self._named_item(lower, state)  # "the contract one he can do on the train right": more on
            said = {} if named else {"named": pointed.group(0)}  # it, or said that none is about it
            return Understanding("expand", {"ref": named or state.ref or 1, **said}, text=text)
        if state.task in ("topics", "agenda") and (subject := self.focus(text, people)):  # "she wants X"
            return Understanding("edit", {"change": "focus", "focus": subject}, text=text)
        return Understanding("edit", {"change": "other", "stated": True}, confidence=0.5, text=text)

    def _bidden(self, clause: str) -> bool:
        """Whether a clause asks or bids something rather than stating it.

        "oh and are we meant to…", "didnt we agree…", "ok draft something…", "and a short msg to him",
        "40 min plan where…".
        """
        words = re.findall(r"[a-z0-9']+", clause)
        said = words[next((i for i, w in enumerate(words) if w not in LEAD_INS), len(words)) :]
        if not said:
            return False
        first = said[0]
        return (
            first in QUESTION_OPENERS
            or bool(NOT_ASKED.match(" ".join(said)))
            or first in ("a", "an")
            or first.isdigit()
            or first in self.lexicon.numbers
            or base_verb(first)
        )

    def _wording_asked(self, lower: str, state: State) -> dict[str, bool]:
        """``{"wording": True}`` when a message about advice or topics asks for the words to say."""
        return {"wording": True} if state.task in ("coach", "topics") and self._wording.search(lower) else {}

    def guess_follow_up(
        self, text: str, state: State, people: frozenset[str], last_resort: bool = False
    ) -> Understanding | None:
        """A follow-up the phrase rules missed ("meh, not feeling these" → other topics).

        Taken only when the follow-up model is clearly sure and the slots its kind needs can be read;
        as the ``last_resort`` before a question back, when it is ahead at all ("one sentence pls").
        """
        if state.task not in FOLLOW_UP_TASKS or any(
            self._cues[n].search(text) for n in ("thanks", "greeting")
        ):
            return None  # "diolch" is thanks said whole, whatever the model makes of a word it never saw
        query = np.asarray(self.embed_query(text), dtype=np.float32)
        scores = self._follow_model.scores(features(query[None, :], [text]))[0]
        best = int(scores.argmax())
        if best == 0 or scores[best] - scores[0] < (LAST_RESORT_AHEAD if last_resort else FOLLOW_AHEAD):
            return None
        kind = self._follow_model.labels[best]
        if kind in (LAST_RESORT_NOT if last_resort else GUESS_NOT):
            return None
        ref = self.reference(text, state) if state.items else None
        if ref is not None and not 0 < ref <= len(state.items):
            return None
        task = state.task
        slots: dict[str, Any] = {"change": kind}
        if kind == "expand":
            if (
                not state.items
                or (ADVICE_ASKED.search(text.lower()) and state.task not in ("topics", "agenda", "coach"))
                or (state.task not in DRAFTS and self._cues["draft_message"].search(text))
            ):  # "ugh. ok how do i raise that" after notes: advice, not more of them; "what wd the message
                return None  # say" after advice: the message
            return Understanding("expand", {"ref": ref or state.ref or 1}, confidence=0.5, text=text)
        if kind == "minutes":
            slots["minutes"] = self.minutes(text)
            if task != "agenda" or slots["minutes"] is None:
                return None
        elif kind == "count":
            slots["count"] = self.count(text)
            if task not in COUNTED or slots["count"] is None:
                return None
        elif kind == "focus":
            slots["focus"] = self.focus(text, people)
            if task not in ("topics", "agenda", "search_notes") or not slots["focus"]:
                return None
        elif kind == "other" and task not in ("topics", "coach", "pairing", "agenda"):
            return None
        return Understanding("edit", slots, confidence=0.5, text=text)

    def _asked_again(self, text: str, slots: dict[str, Any], state: State) -> Understanding | None:
        """The previous answer's task asked for again: that answer changed ("make the agenda about AI").

        What changed is what the message says differently: a subject, a number of items, a length, or
        (saying none of these) other ones. None when the message names no change at all.
        """
        lower = text.lower()
        focus, count, minutes = slots.get("focus"), self.count(text), self.minutes(text)
        if focus and focus != state.args.get("focus"):
            return Understanding("edit", {"change": "focus", "focus": focus}, text=text)
        if state.task == "agenda" and minutes and minutes != state.args.get("minutes"):
            return Understanding("edit", {"change": "minutes", "minutes": minutes}, text=text)
        if count and count != state.args.get("count"):
            return Understanding("edit", {"change": "count", "count": count}, text=text)
        for change in ("shorter", "longer", "other"):
            if self._edits[change].search(lower):
                return Understanding("edit", {"change": change}, text=text)
        if AGAIN.search(lower):
            return Understanding("edit", {"change": "other"}, text=text)
        return None

    def part_minutes(self, lower: str, state: State) -> dict[str, Any] | None:
        """One part of an agenda given a length ("give the budget bit 20 mins", "second part 15 mins pls").

        The part is named by its title's words or its place, and the length is shorter than the session.
        """
        said = re.search(rf"\b{self._num}\b\s*-?\s*(?P<unit>min(?:ute)?s?\b|m\b)?", lower)
        if (
            not said
            or not state.items
            or (
                (DROP_REF.search(lower) or self._edits["drop"].search(lower))
                and not re.search(r"\bto\s*$", lower[: said.start()])  # "cut the AI demo to 10" keeps it
            )
            or re.search(  # "what do I say in the first 5 mins", "and the first 5 mins, what do i say"
                r"(?:^|[,.;:!?-]\s*)(?:(?:and|so|ok)\s+)?(?:what|how|why|who|when|where)\b", lower
            )
            or self._cues["draft_message"].search(lower)  # "a nudge reminding him of the 15 min slot"
        ):
            return None
        minutes = self._number(said.group(1))
        if (
            not said.group("unit")
            and not GIVE_PART.search(lower[: said.start()])  # "give his part 20"
            and (  # "cut the AI demo to 10", not "swap item 2 for X"
                minutes >= SHORTEST_AGENDA or not re.search(r"\bto\s*$", lower[: said.start()])
            )
        ):
            return None
        rest = f"{lower[: said.start()]} {lower[said.end() :]}"
        ref = self._named_item(rest, state) or self.reference(rest, state)
        if ref is None:  # "make the check-in 5 minutes": a word of one title (not "only" for "on")
            words = {w[:5] for w in re.findall(r"[a-z][\w&'-]{3,}", rest) if w not in STOPWORDS | self._asked}
            hits = [
                n
                for n, title in enumerate(state.items, 1)
                if words & {t[:5] for t in re.findall(r"[a-z][\w&'-]{3,}", title.lower())}
            ]
            ref = hits[0] if len(hits) == 1 else None
        if minutes >= int(state.args.get("minutes", 45)):
            return None
        if ref is None or not 0 < ref <= len(state.items):
            named = re.search(
                r"\bthe\s+([\w&'/-]+(?:\s+[\w&'/-]+){0,2}?\s+(?:bit|part|slot|block|section|segment|item|piece))"
                r"\s+(?:to\s+|only\s+|just\s+)*$",
                rest,
            )
            if minutes < SHORTEST_AGENDA and named:  # no session is that short: a part this agenda lacks
                return {"minutes": minutes, "part": named.group(1)}
            return None
        part = item_title(state.items[ref - 1])  # its lead, as listed
        return {"minutes": minutes, "ref": ref, "part": part}

    def howto(self, text: str) -> str | None:
        """The answer to a staff member's "how do I add a user?", when the message asks one."""
        # "where do I…", not "pairs where only the mentor teaches"; "and rotate the tokens?" after one
        asking = (
            r"\b(?:how|can i|can we|is there a way|need to|want to|is the|are the)\b"
            r"|\b(?:can|could) (?:you|u) (?:please |pls |just )?(?:rotate|reset|renew|regenerate|revoke|add"
            r"|create|remove|disable|restore|back ?up|import)\b"  # "can you rotate it", asked of it
            r"|\bwhere (?:do|can|is|are|should|would)\b|^(?:and|also|plus|then)\b"
            # told, or asked for the command: "reset helens token", "whats the backup cmd"
            r"|^(?:pls |please )?(?:rotate|reset|renew|regenerate|revoke|restore|back ?up)\b"
            r"|\bwhat(?:'s| is) the\b.{0,30}\bcommand\b"
            # a problem reported is a how-to asked: "ingrid cant log in, says invalid token"
            r"|\b(?:can'?t|cannot|unable to) (?:log|sign) ?in\b"
            r"|\b(?:invalid|expired|stopped working|not working)\b"
        )
        for clause in re.split(r"[.?!;]\s|\s[—–-]\s", text.lower()):  # "before I load the cohort — how long…"
            if re.search(asking, clause) and (
                found := next((h["answer"] for h in self.lexicon.howto if re.search(h["cue"], clause)), None)
            ):
                return found
        return None

    @staticmethod
    def teacher(lower: str) -> str | None:
        """Who a request for topics wants to teach: "asker", "partner", or None when it doesn't say."""
        if PARTNER_TEACHES.search(lower):
            return "partner"
        return "asker" if ASKER_TEACHES.search(lower) else None

    def part_resized(self, lower: str, state: State) -> dict[str, Any] | None:
        """One part of an agenda made shorter or longer without a length said ("can the wrap up be shorter").

        Shorter halves it and longer adds half again (five minutes at least), or a quarter when said
        "a bit"; the part is named by its title's words, by whose it is, or by where it sits ("the wrap
        up" is the last).
        """
        said = RESIZED.search(lower)
        if not said or len(state.lengths) != len(state.items):
            return None
        named = (said.group("part") or said.group("part2") or said.group("part3") or "").strip()
        words = " ".join(w for w in named.split() if w not in MOVE_FILLER)
        n = self._side_item(said.group(0), state) or (self._part_title_item(named, state) if words else None)
        if n is None and OPENING_PART.match(words):
            n = 1
        elif n is None and CLOSING_PART.match(words):
            n = len(state.items)
        if n is None:
            return None
        longer = said.group("how") == "longer" or said.group("verb") in ("extend", "lengthen")
        longer = longer or said.group("amount") == "more"
        now = state.lengths[n - 1]
        step = max(2, now // 4) if re.search(r"\b(?:a (?:bit|little|touch)|slightly|bit)\b", lower) else None
        minutes = now + (step or max(5, now // 2)) if longer else max(2, now - (step or (now + 1) // 2))
        if minutes == now or minutes >= int(state.args.get("minutes", 45)):
            return None
        part = item_title(state.items[n - 1])
        return {"minutes": minutes, "ref": n, "part": part}

    def compared_days(self, lower: str, asked_before: bool = False) -> int | None:
        """How many days back a message compares the program with ("since last month": 30), if it does.

        After a program overview "and a month ago?" compares too; a new message needs a word of change.
        """
        if (year := WHOLE_YEAR.search(lower)) and (asked_before or COMPARED.search(lower)):
            today = clock.today()
            return max(7, min(366, (today - dt.date(int(year.group("year") or today.year), 1, 1)).days))
        period = PERIOD.search(lower)
        month = re.search(rf"\b(?:with|to|since|vs\.?|versus|against|from|in)\s+({MONTH})\b", lower)
        if period is None and month and COMPARED.search(lower):  # "how does that compare with September?"
            today = clock.today()
            number = month_number(month.group(1))
            start = dt.date(today.year - (number >= today.month), number, 1)
            return max(7, min(366, (today - start).days))
        if period is None or not (COMPARED.search(lower) or (asked_before and period.group("ago"))):
            return None
        unit = (period.group("unit") or period.group("units") or period.group("last")).rstrip("s")
        n = period.group("n") or period.group("m")
        return max(7, min(366, (self._number(n) if n and n not in ("a", "an") else 1) * PERIOD_DAYS[unit]))

    def _ahead(self, lower: str) -> int | None:
        """How many days ahead a question on sessions planned looks ("this week", "the next 10 days")."""
        said = AHEAD.search(lower)
        if said is None:
            return None
        today = clock.today()
        if said.group("span") == "week":  # to the end of this week or the next
            return (6 if said.group("this") == "this" else 13) - today.weekday() or 7  # to its Sunday
        if said.group("span") == "month":  # to the last day of this month or the next
            ahead = 1 if said.group("this") == "this" else 2
            month = today.month - 1 + ahead
            first = dt.date(today.year + month // 12, month % 12 + 1, 1)  # the month after that one's first
            return min(92, (first - today).days - 1)
        if said.group("span") == "fortnight":
            return 14
        n = said.group("n")
        number = 3 if n == "few" else 2 if n == "couple of" else self._number(n)
        return max(1, min(92, number * PERIOD_DAYS[said.group("unit").rstrip("s")]))

    def figures(self, lower: str) -> dict[str, Any]:
        """Which figures a program question asks for ("about") and the month it names, when it does."""
        about = next((name for name, said in FIGURES.items() if said.search(lower)), None)
        if (report := FIGURES["report"].search(lower)) and not re.search(
            r"\b(?:for|in|into|to) (?:the|my|our|an?|this) (?:\w+ ){0,3}$", lower[: report.start()]
        ):  # "a year end summary for leadership - pairs, sessions, pulse"; not "pulse figures for the report"
            about = "report"
        if (
            about in (None, "sessions", "feedback")
            and FOR_AN_AUDIENCE.search(lower)
            and self._anonymous.search(lower)
        ):
            about = (
                "report"  # "figures for the steering group … without naming anyone": the cycle's aggregates
            )
        if about == "feedback" and re.search(r"\b(?:active|stalled|how many pairs)\b", lower):
            about = None  # "how many pairs are active, how many stalled, and average usefulness": overview
        month = MONTH_NAMED.search(lower)
        if month and (about is None or FIGURES["sessions"].search(lower)) and month.group(2):
            about = "sessions"  # "november numbers pls: sessions held, cancelled, avg pulse": the month's
        elif (
            month
            and about is None
            and re.search(r"\b(?:who|which pairs?)\b.{0,30}\b(?:session|met|meet)", lower)
        ):
            # "who hasn't had a session yet in November?": each pair's sessions that month
            return {"about": "sessions", "month": month_number(month.group(1)), "by_pair": True}
        elif (
            about is None
            and re.search(r"\bthis month\b", lower)
            and re.search(r"\b(?:not|no|hasn'?t|haven'?t|yet to)\b", lower)
            and re.search(
                r"\b(?:who|which pairs?|any(?:one|body| pairs?)?)\b.{0,30}\b(?:session|met|meet)", lower
            )
        ):  # "anyone not met this month": each pair's sessions so far this month
            return {"about": "sessions", "month": clock.today().month, "by_pair": True}
        elif about == "feedback" and FIGURES["sessions"].search(lower):
            about = "sessions"  # a month's sessions come with its pulse
        if (idle := NOT_MET_FOR.search(lower)) and about in (None, "stalling"):
            n, unit = idle.group("n") or idle.group("n2"), idle.group("unit") or idle.group("unit2")
            about = "stalling"  # "who hasn't met in over a month?": the pairs idle that long
            days = (self._number(n) if n and n not in ("a", "an") else 1) * PERIOD_DAYS[unit]
            return {"about": about, "idle_days": max(1, min(366, days))}
        if NONE_PLANNED.search(lower) and about in (None, "stalling", "sessions"):
            return {"about": "stalling", "unplanned": True}  # "any pairs with no session planned"
        if PLANNED_AHEAD.search(lower) and about in (None, "sessions"):  # "who's meeting in the next 2 weeks"
            ahead = self._ahead(lower)
            return {"about": "upcoming", **({"within_days": ahead} if ahead else {})}
        found: dict[str, Any] = {"about": about} if about else {}
        if about == "feedback" and BY_ROLE.search(lower):  # "how do the pulse scores compare between mentors
            found["by_role"] = True  # and execs"
        if month and about == "sessions":
            found["month"] = month_number(month.group(1) or month.group(2))
        elif about == "sessions" and (which := re.search(r"\b(last|this) month\b", lower)):
            today = clock.today()  # "how many sessions last month?": that month, by its number
            found["month"] = today.month if which.group(1) == "this" else (today.month - 2) % 12 + 1
        if BY_PAIR.search(lower) and about == "sessions":
            found["by_pair"] = True
        if about == "sessions" and (since := SINCE_MONTH.search(lower)):  # each pair since then, most first
            found = {"about": about, "since": month_number(since.group(1))}
        if about == "sessions" and "month" not in found and FIGURES["feedback"].search(lower):
            found["also"] = ["feedback"]  # "sessions this quarter and the average usefulness": both
        return found

    def _keeps_apart(self, lower: str) -> bool:
        """Whether a message about pairings sets a constraint ("keep them apart", "not amara with rafael")."""
        return bool(self._edits["constraint"].search(lower) or NOT_WITH.search(lower))

    @staticmethod
    def _apart(lower: str, people: frozenset[str]) -> dict[str, list[str]]:
        """Two people a pairing must keep apart, when a constraint names two ("not leo with helen")."""
        named = named_people(lower, people)
        return {"apart": named[:2]} if len(named) >= 2 else {}

    def _two_items(self, lower: str, state: State, people: frozenset[str]) -> list[int] | None:
        """The two items a comparison names ("the 2nd or 3rd", "the last two", "priya or noor"), in order."""
        count = len(state.items)
        if (named := named_people(lower, people)) and not re.search(r"\d|#", lower):
            first = {n: next((i for i, t in enumerate(state.items, 1) if n in t.lower()), 0) for n in named}
            both = sorted(set(first.values()) - {0})
            return both if len(both) == 2 else None
        if re.search(r"\b(?:last|bottom) (?:two|2)\b", lower):
            return [count - 1, count]
        if re.search(r"\b(?:first|top) (?:two|2)\b", lower):
            return [1, 2]
        said = re.findall(rf"(?:#|\bno\.?\s*|\b)({self._ordinal_words}|\d)\b", lower)
        found = [self.lexicon.ordinals.get(s) or (int(s) if s.isdigit() else 0) for s in said]
        both = sorted({n for n in found if 0 < n <= count})
        return both if len(both) == 2 else None

    def _longer_first(self, lower: str) -> bool:
        """Whether a message asks for longer before it says "shorter" of something else."""
        short, long = self._edits["shorter"].search(lower), self._edits["longer"].search(lower)
        return bool(short and long and long.start() < short.start())

    def _other(self, lower: str, task: str | None) -> bool:
        """Whether the message asks for other ones ("what else could I try", not "what else did he say")."""
        if task in ("search_notes", "brief") and (
            ELSE_SAID.search(lower)
            or re.search(
                r"\b(?:open|outstanding|pending|overdue|owe|on (?:his|her|my|their) (?:side|plate|list))"
                r"\b",
                lower,
            )
        ):  # "did he say anything else abt it", "anything else still open on his side?": asked again
            return False
        return bool(
            self._edits["other"].search(lower)
            or ((what := WHAT_ELSE.search(lower)) and (task == "coach" or not what.group("asks")))
            or OTHER_KIND.search(lower)
            or NOT_KEEN.search(lower)
            or self._retoned(lower)
            or ((than := BY_COMPARISON.search(lower)) and comparative(than.group(1) or than.group(2)))
            or (task == "coach" and bool(re.search(r"\b(?:plan b|a backup plan|a fallback)\b", lower)))
            or (
                task in ("topics", "coach", "agenda")
                and bool(JUDGED.search(lower) or ALL_THE_SAME.search(lower))
            )
            or (task in DRAFTS and bool(SOUNDS.search(lower)))
            or self._dull.search(lower)
        )

    def _verdict(self, lower: str) -> str | None:
        """The change a short judgement of the answer asks for, or None when the message is not one.

        "too apologetic": other wording; "bit long for a lunch slot": shorter; "too thin": longer;
        "too packed": crowded (an agenda with a part fewer, anything else shorter).
        """
        judged = VERDICT.match(lower)
        if not judged or len(lower.split()) > 12 or ASKED.search(re.split(r"(?<=[.!?])\s+", lower)[0]):
            return None
        degree, word = judged.groups()
        if word in self.lexicon.followups.praise and degree in ("very", "so", "super", "quite"):
            return None  # "very helpful, thank you"
        rest = lower[judged.end() :]
        # "bit much for 20 minutes. trim it": the length it has to fit, not a new one
        rest = re.sub(
            rf"^\s+for\s+(?:a\s+|the\s+|our\s+|just\s+)?{self._num}[\s-]*(?:min(?:ute)?s?|hours?)\b",
            " ",
            rest,
        )
        said = re.split(r"(?<=[.!?])\s", rest, maxsplit=1)[
            0
        ]  # its own sentence: "Too upbeat. Be honest about…"
        if (
            word.endswith("er")
            or re.search(r"\b(?:about|instead|rather)\b", said)
            or re.search(
                r"\b(?:instead|rather|(?:something|anything|sth|more|ones?|stuff) (?:about|on))\b", rest
            )
            or re.search(rf"\b{self._num}\b", rest)
        ):
            return None  # "bit shorter", "less finance-y, more about X", "too much, chop it to three"
        if word == "much" and re.match(r"\s+(?!for\b|tbh\b|honestly\b)[a-z]", rest):
            return None  # "too much effort for her": not the answer's length
        lengths = self.lexicon.followups.lengths
        for kind, words in lengths.items():
            if word in words:
                if degree == "more":  # "more detailed" asks for the opposite of "too detailed"
                    return {"longer": "shorter"}.get(kind, "longer")
                return kind  # "too long", "less wordy": shorter; "too thin", "less vague": longer
        kinds = word_classes(word)
        if word in ("many", "few", "like", "than") or not (
            "ADJ" in kinds or (word.endswith(("ish", "y")) and "?" in kinds)
        ):
            return None
        return "other"

    @staticmethod
    def _retoned(lower: str) -> bool:
        """Whether the message asks for the answer in another tone: "less sorry-sounding", "... softer"."""
        sentences = re.split(r"(?<=[.!?])\s+", lower.strip())
        first_clause = re.split(r"[,;:]\s*", sentences[0])[0]  # "softer, she's a VP"
        for said_alone in {
            sentences[0],
            first_clause,
            sentences[-1],
        }:  # "lighter still?? he's wiped", "lol. softer"
            if single := re.fullmatch(
                rf"(?:{DEGREE} )?([a-z]+er)(?: still| again| even| please| pls| than that)*[.!?]*", said_alone
            ):
                return single.group(1) != "better" and comparative(single.group(1))  # "better. thank u"
        tone = re.search(
            rf"(?:^|\bbut )(?:{DEGREE} )?(less|more) ([a-z]+)(?:-sounding|-y)?\b"
            r"(?!\s+(?:about|on|of|than|for|to|in|with)\b)",
            lower,
        )
        said = tone.group(2) if tone else ""
        kinds = word_classes(said)
        return said not in ("like", "than", "detailed", "in-depth") and (
            "ADJ" in kinds  # "good but way less apologetic"
            or (
                said.endswith("y") and "?" in kinds
            )  # "less naggy", "less salesy": words the dictionary lacks
            or (tone is not None and tone.group(1) == "less" and said.endswith("ing") and "VERB" in kinds)
        )  # "less gushing", not "more reasoning"

    def _points_nowhere(self, text: str, state: State, people: frozenset[str]) -> bool:
        """Whether the message points back at something ("do that again", "and for him?") it cannot mean.

        Nothing earlier can be meant when the conversation has no answer to act on, and "the other one"
        cannot be told apart from the rest of an answer; a message with a subject or a name of its own
        is understood by that instead.
        """
        lower = re.sub(  # "me or him": a choice between two people, not someone said before; "in that
            # last one": the last session; "this week": a time
            r"\b(?:me|us|i) or (?:him|her|them)\b|\b(?:him|her|them) or (?:me|us|i)\b"
            r"|\b(?:in|at|from|during) (?:that|the) (?:last|previous) one\b"
            r"|\b(?:this|that) (?:week|weekend|month|morning|afternoon|evening|year|quarter|cycle)\b"
            r"|\bthe (?:last|first|latest|only) thing\b"  # "the last thing she wrote about…": in the notes
            r"|^\W*(?:a |one )?quick (?:one|q)\b"  # "Quick one: who hasn't had a session yet?": a question
            r"|\bbefore (?:the |our |my )?(?:\d{1,2}(?:st|nd|rd|th)|next \w+|\w+day)\b",  # "before the 8th"
            "",
            text.lower(),
        )
        words = set(re.findall(r"[a-z]+", lower))
        if (
            not state.task
            and not words & people
            and (
                re.search(r"\bthe same(?=\s*(?:$|[?.!,]|for\b|again\b|thing\b|as (?:before|last)\b))", lower)
                or (re.search(r"\bor not[?!.]*$", lower) and not self._subject_words(text, people))
            )
        ):
            return True  # "can you do the same for the other pair", "so can i or not" as a first message
        if not re.search(r"\b(?:do|try|say|run|that|it|this|one|same|them|those) again\b", lower):
            words.discard("again")  # "what do i do if he cancels again" points at nothing said before
        if not words & self._pointers or words & people:
            return False
        if state.task in FOLLOW_UP_TASKS and not OTHER_ONE.search(lower):
            return False
        return not self._subject_words(text, people)

    def _in_answer(self, part: re.Match[str], answer: str) -> bool:
        """Whether the answer has the part a message names.

        "The part about X" shares a word of X with it, "the X one" every word of X ("the second
        part" is a place, not a name).
        """
        said = part.group("about") or part.group("named")
        words = [w for w in re.findall(r"[a-z]+", said) if len(w) > 3 and w not in STOPWORDS]
        if part.group("named") and set(said.split()) & set(self.lexicon.ordinals):
            return False
        prefixes = {w[:5] for w in re.findall(r"[a-z]+", answer.lower()) if len(w) > 3}
        found = [w[:5] in prefixes for w in words]
        return bool(words) and (any(found) if part.group("about") else all(found))

    @cached_property
    def _point_verbs(self) -> dict[str, dict[str, str]]:
        """For each form a point opens with ("mention", "mentions"; "mentioning"), its verb's kind."""
        from lemminflect import getInflection

        forms: dict[str, dict[str, str]] = {"base": {}, "ing": {}}
        for verb, kind in self.lexicon.points.get("verbs", {}).items():
            for tag, group in (("VB", "base"), ("VBZ", "base"), ("VBG", "ing")):
                forms[group] |= {form: kind for form in getInflection(verb, tag) or (verb,)}
        return forms

    def points(self, text: str, people: frozenset[str], opening: bool) -> list[str]:
        """What a message to draft should say, in the sender's words, each put as one sentence.

        A follow-up to a draft opens with the verb ("mention we could do 30 min", "and ask her if
        thursday works"); a request carries it after the message asked for ("a note to Noor asking
        whether two drivers would agree to be quoted"). The partner is still "he" or "she" here.
        """
        forms = self._point_verbs
        if not forms["base"]:
            return []
        text = MAKE_CLEAR.sub("say ", text)  # "make it clear this is about my workload": said
        kinds = forms["base"] | forms["ing"]
        base, ing = (_alternatives(forms[group]) for group in ("base", "ing"))
        lower = text.lower()
        if (
            opening
            and ":" not in text  # "Draft a message to Sofia: I'll do X, and ask whether Y": dictated
            and (then := re.search(rf"[,;]\s*(?:and\s+|also\s+|pls\s+|please\s+)?(?=(?:{base})\b)", lower))
        ):
            # "a thank u msg to martin for this year, mention the town hall captions thing": two points
            return self.points(text[: then.start()], people, True) + self.points(
                text[then.end() :], people, False
            )
        if opening and (told := WRITE_ASKED.match(lower)):  # "write to Priya that the two lines are X"
            point = self._point("that " + text[told.end() :], "say", people)
            return [point[:1].upper() + point[1:]] if point else []
        if opening and (thanks := THANKS_FOR.search(text)):  # "a thank you to martin for the intro"
            return [point] if (point := self._point(thanks.group(1), "thank", people)) else []
        if not opening and ANGLE_SAID.match(lower):  # "the electric trucks arriving could be the hook": said
            angle = text.strip(" .!")
            return [f"{angle[:1].upper()}{angle[1:]}."]
        joined = re.match(r"\W*(?:(?:and|also|plus|oh|oh and)\s+)+(?=that\s)", lower)
        if (
            not opening
            and joined
            and re.search(r"\b(?:is|are|will|would|can|could|works?|suits?)\b|'(?:s|re|ll)\b", lower)
        ):  # "and that video is fine if that's easier": one more thing said
            return [point] if (point := self._point(text[joined.end() :], "add", people)) else []
        if opening:  # "… asking whether", "… to say that": the first point after the request
            found = re.search(rf"\b(?:to\s+({base})|({ing})|(?:that|which)\s+({base}))\b", lower)
        else:
            found = re.match(
                rf"\W*(?:(?:{_alternatives(self.lexicon.points['before'])})\b[\s,]*)*({base})\b", lower
            )
        if not found or re.search(r"\b(?:stop|don'?t|dont|do not|never|no more)\s*$", lower[: found.start()]):
            return []  # "stop saying sorry so much": not a point to make
        verb = next(g for g in found.groups() if g)
        said, kind = [], kinds[verb]
        pieces = re.split(  # "put in 30 min every 2 wks and that teams is fine": two points
            rf"(?:,\s*|\s+)(?:and|but)\s+(?:also\s+)?(?=(?:{base}|{ing}|that)\b)", text[found.end() :]
        )
        for n, piece in enumerate(pieces):
            if n and piece.lower().startswith("that "):  # "… and that teams is fine": said
                kind = "add"
            elif n:  # "…, and ask her if thursday works": its own verb
                verb, _, piece = piece.partition(" ")
                kind = kinds.get(verb.lower(), kind)
            if sentence := self._point(piece, kind, people):
                said.append(sentence)
        return said

    def _dictated(self, text: str, people: frozenset[str]) -> list[str]:
        """What a message should say when the request gives it after a colon, as the sender would.

        "Draft a message to Sofia: I'll do the supplier piece on the 10th, and ask whether 15 minutes is
        still right" says the first and asks the second.
        """
        head, colon, said = text.partition(":")
        if not colon or len(head.split()) > 8 or len(said.split()) < 3:
            return []
        base = _alternatives(self._point_verbs["base"])
        first, *rest = re.split(rf",?\s+and\s+(?=(?:{base})\b)", said.strip(), flags=re.I)
        first = re.sub(self.lexicon.points["length"], "", first, flags=re.I).strip(" .,;")
        points = [first[:1].upper() + first[1:] + "."] if len(first.split()) >= 2 else []
        for piece in rest:
            points += self.points(piece, people, opening=False)
        return points

    def _point(self, piece: str, kind: str, people: frozenset[str]) -> str | None:
        """One point as the sender would write it ("Could you let me know whether …?"), or None."""
        spec, kinds = self.lexicon.points, self._point_verbs["base"] | self._point_verbs["ing"]
        piece = re.split(r"(?<=[.!?])\s", piece.strip(), maxsplit=1)[0]
        piece = re.sub(spec["length"], "", piece, flags=re.I).strip(" .!?,;:-")  # "…, keep it to 2 lines"
        manner = _alternatives(spec.get("manner", []))
        piece = re.sub(rf"\s+(?:{manner})$", "", piece, flags=re.I) if manner else piece  # "… gently"
        if re.match(r"(?:to\s+)?(?:me|us)\b", piece, re.I):
            return None  # "remind me what I wrote", "tell me": asked of the assistant
        objects, fillers = _alternatives(["him", "her", "them", *people]), _alternatives(spec["fillers"])
        verbs = _alternatives(spec["verbs_of_a_sentence"])  # "mention gareth said he'd lead": his sentence
        leading = rf"^(?:(?:to\s+)?(?:{objects})\b(?!\s+(?:{verbs})\b)|{fillers})\b(?!')"  # not "helen's EA…"
        dropped: list[str] = []
        while True:  # "let him know that …", "add a line offering …"
            found = re.match(leading + r"\s*", piece, flags=re.I)
            verb, _, rest = piece.partition(" ")
            if found:
                dropped.append(found.group(0).strip().lower())
                piece = piece[found.end() :]
            elif verb.lower() in kinds:
                kind, piece = kinds[verb.lower()], rest
            else:
                break
        offered = re.match(  # "add two dates, 2 or 4 December": those, offered
            r"(?:(?:a|one|two|three|some|a couple of)\s+)?(?:dates?|days?|times?|slots?|options?)\W+"
            r"(\S.*)$",
            piece,
            re.I,
        )
        if kind == "offer" and offered and offered.group(1).split()[0].lower() in spec["sentence_openers"]:
            said = offered.group(1).rstrip(" .")  # "offering times, I'm in the leeds office tue to thu"
            return f"Could we find a time that suits you? {said[:1].upper()}{said[1:]}."
        if kind == "add" and offered:
            kind, piece = "offer", offered.group(1)
        if kind == "add":  # "add that …", "fold the shorter format idea in", not "add the date"
            piece = re.sub(r"(?:\s+in)?(?:\s+(?:too|as well|there|also))?$", "", piece, flags=re.I)
            named = re.match(
                r"(?:the|that|my|our|his|her)\b.*\b(?:thing|idea|bit|point|suggestion|offer)$", piece, re.I
            )
            if self.minutes(piece) and not set(dropped) & set(spec["added_by"]):
                kind = "offer"  # "put in 30 min every 2 wks": a length proposed
            elif not (set(dropped) & set(spec["added_by"]) or named):
                return None
            else:
                kind = "say"
        words = piece.split()
        if (
            len(words) < spec["min_words"]
            or all(w.lower().strip(",.!?") in spec["empty"] for w in words)
            or (words[0].lower() in ("it", "this", "that", "them") and len(words) <= 3)
        ):
            return None  # "say sorry", "mention it", "say it shorter"
        first, wording = words[0].lower(), spec["wording"]
        if first == "to" and kind in ("ask", "offer"):  # "ask him to send it", "offer to book the room"
            return str(wording[f"{kind}_to"]).format(" ".join(words[1:]))
        if first == "for" and kind == "ask":  # "asking for a slot": what is asked for
            return str(wording["ask_for"]).format(" ".join(words[1:]))
        if kind == "thank" and first != "for":
            return None  # "thank him": the kind of message says it
        # "we could do 30 min", "the slides are ready": a sentence of its own, not a thing to mention
        sentence = (
            first in spec["sentence_openers"]
            or bool(set(w.lower() for w in words[1:6]) & set(spec["verbs_of_a_sentence"]))
            or ("that" in dropped and kind == "say")  # "add that any day that week works for me"
        )
        if kind == "remind":  # "remind her of the survey", "remind him to book", "… we're starting at 9"
            piece = (
                re.sub(r"^of\b", "about", piece)
                if first in ("about", "of", "to", "that")
                else f"that {piece}"
                if sentence
                else f"about {piece}"
            )
        if kind == "say" and first == "about":
            kind = "say_about"  # "tell him about the new slot"
        elif kind == "say" and not sentence:
            kind = "say_thing"  # "mention the budget review"
        piece = re.sub(  # the people they name, as names are written: "lena's team" → "Lena's team"
            rf"\b({_alternatives(people)})\b", lambda m: m.group(1).title(), piece, flags=re.I
        )
        if kind == "say" and (asked := RUN_ON_QUESTION.search(piece)):  # "i cant make thursday can we do
            question = piece[asked.start() :].strip()  # friday": a sentence, then the question it asks
            said = str(wording[kind]).format(piece[: asked.start()].rstrip(" ,"))
            return f"{said} {question[:1].upper()}{question[1:]}?"
        return str(wording[kind]).format(piece)

    def _edit(
        self, lower: str, state: State, minutes: int | None, count: int | None, people: frozenset[str]
    ) -> dict[str, Any] | None:
        task = state.task
        if ONE_MORE_QUESTION.match(lower):  # "sorry one more - when did i shadow the network review"
            return None
        if HAPPENED_ASKED.match(lower):  # "Has she sent the proposal for the shorter format?": the notes
            return None
        if task not in DRAFTS and WRITE_ASKED.match(lower):  # "write to Priya that the two lines are X": a
            return None  # message of its own, not the answer in two lines
        if CHOICE_ASKED.search(lower) or ALLOWED_ASKED.search(lower):  # "is it 6 wks or longer", "is
            return None  # a 30 minute session allowed": a question about a value or a rule, not an edit
        if re.match(
            r"why\b(?! not\b)", lower
        ):  # "why have you put the check-in first?": asks, changes nothing
            return None
        if (
            task in ("program_health", "pairing", "search_notes")
            and count is not None
            and count < max(len(state.items), 2)
            and re.search(r"\b(?:bullets?|bullet points|points|things|items)\b", lower)
        ):  # "can u turn all that into 3 bullets": the first three, each in a line
            return {"change": "count", "count": count, "short": True}
        if (
            task in DRAFTS
            and self._edits["warmer"].search(lower)
            and not self._edits["longer"].search(lower)  # "too blunt, pad it out a bit": longer
        ):  # "make it warmer, she's been patient"
            return {"change": "other", "tone": True, "warmer": True}
        if (
            task in DRAFTS
            and self._edits["lighter"].search(lower)
            and not self._edits["longer"].search(lower)
        ):
            says = self.points(lower, people, opening=True)  # "… it just needs to say I'll be there"
            plain = re.sub(r"\btone (?:it |this |that )?down\b", "", lower)  # "tone it down further": tone
            change = (
                "shorter" if self._edits["shorter"].search(plain) else "other"
            )  # the plain one is shorter
            return {"change": change, "tone": True, "lighter": True, **({"says": says} if says else {})}
        if task == "ask" and re.search(
            r"\b(?:simpler|more simply|plainer|in plain (?:english|words))\b", lower
        ):
            return {"change": "shorter"}  # "say that last bit again but simpler": the rule's own sentence
        if (judged := self._verdict(lower)) and not (
            task == "agenda" and minutes is not None and minutes != state.args.get("minutes")
        ):  # "too long for 30 min" after a 45-minute agenda: 30 minutes (below); after a 30-minute one: full
            if judged == "crowded" and task == "agenda" and len(state.items) > 2:
                return {"change": "count", "count": len(state.items) - 1}  # "too packed": a part fewer
            return {"change": "shorter" if judged == "crowded" else judged}
        if (resaid := RESAID.search(lower)) and (not resaid.group(1) or comparative(resaid.group(1))):
            if re.search(r"\bin (?:fewer|less|few|short|shorter|plain) (?:words|sentences|lines)\b", lower):
                return {"change": "shorter"}  # "say that in fewer words"
            return {"change": "other"}  # "shorter", "longer" are lengths, not comparatives

        retoned = self._edits["tone"].search(lower) or (task in DRAFTS and SOUNDS.search(lower))
        if retoned and not any(  # "redo them less formal", not "warmer and longer"
            p.search(lower) for p in (self._edits["longer"], self._expand, SAID_SHORTER)
        ):  # "shorter and less formal, it's for slack": shorter
            return {"change": "other", "tone": True}
        if task in DRAFTS:  # "keep it to five lines", "shorter pls", "a bit fuller"
            lines = re.search(rf"\b(?:{self._num}|a few)\s+(?:lines?|sentences?|words|paragraphs?)\b", lower)
            fewer = self._edits["fewer"].search(lower) and not self._edits["drop"].search(lower)
            if self._longer_first(lower):  # "a bit longer, explain why shorter sessions would help"
                return {"change": "longer"}
            if self._edits["shorter"].search(lower) or fewer or lines:  # not "lose the apology, a bit much"
                return {"change": "shorter"}
            if self._edits["longer"].search(lower):
                return {"change": "longer"}
            if (
                DROP_ITEM.search(lower)
                or (self._edits["drop"].search(lower) and not ASKED.search(lower))
                or re.search(r"\b(?:delete|remove|cut|drop|lose) (?:it|them)\b", lower)
            ):
                return {"change": "drop"}  # "remove the sorry part", "no emoji, delete it"
            if self._edits["swap"].search(lower) or re.search(r"\b(?:instead of|change the)\b", lower):
                return {"change": "swap"}  # "replace the apology w a thank you"
            if re.match(
                r"(?:(?:can|could) (?:you|u) |pls |please )?(?:also )?(?:mention|include|add|put in)\b", lower
            ):
                return {"change": "other"}  # "can you mention thursday": its wording changed
            return {"change": "other"} if self._other(lower, task) else None
        opener = (
            bool(self._openers.search(lower) or self._leading_number.match(lower)) or len(lower.split()) <= 6
        )
        sized = len(lower.split()) <= 8 or re.match(
            r"(?:(?:ok|okay|actually|and|also|so|then),? )*(?:(?:can|could) (?:you|u) |pls |please )?"
            r"(?:make|change) it\b",
            lower,
        )  # "also make it 2 not 3, he's only got a short slot"
        closing = re.search(
            rf"\b(?:to|do|make it|back to|at|say|for|be)\s+{self._num}\s*(?:please|pls|instead)?"
            r"(?:[.!?]*$|[,;:-]\s|\s+(?:he|she|they|we|i|it's|as|because|since|cos|coz|bc|so|just)\s)",  # why
            lower,
        )
        numbers = [
            m
            for m in re.finditer(rf"\b{self._num}\b", lower)
            if (sized or closing)
            and not REPLACED.search(lower[: m.start()])
            and not NEGATED.search(lower[: m.start()])
            and not re.search(
                r"\b(?<!make )(?:those|these|the|both|them)\s+$", lower[: m.start()]
            )  # "why those two?", not "make them three"
            and not EXPAND_NUMBER.search(lower[: m.start()])  # "expand 1": that item
            and not re.search(
                r"\b(?:my|his|her|your|our|their)\s+$", lower[: m.start()]
            )  # "in my 15": a part
            and not FIRST_MINUTES.search(lower[: m.start()])  # "what goes in the first five minutes?"
            and not (m.group(1) == "one" and PRONOUN_ONE.search(lower[: m.start()]))  # "that one", "nice one"
            and not lower[m.end() :].startswith("-")  # "a three-way", "one-to-one"
            and not re.match(NOT_ITEMS, lower[m.end() :])  # "only one move last month": how many moves
        ]
        bare = numbers[-1] if numbers else None  # "45 is too long, do 30": the last one said
        if bare and minutes is None and count is None:
            n = self._number(bare.group(1))
            if task == "agenda" and n >= 5:
                minutes = n
            elif (task in COUNTED and n <= 10) or (
                task == "agenda" and re.search(rf"\bto\s+{re.escape(bare.group(1))}\b", lower)
            ):  # "chop it to three": an agenda's parts
                count = n
        if task == "agenda" and (
            timed := re.search(
                rf"\b(?:drop|lose|skip|cut|remove|scrap|ditch|bin|forget|get rid of|take out|without)\s+"
                rf"(?:the|that|this)\s+{self._num}\s*-?\s*(?:min(?:ute)?s?|m)\b[\s-]*",
                lower,
            )
        ):  # "drop the five minute actions bit": a part named by its length
            return {"change": "drop", "part": lower[timed.end() :].strip(" ?.!")}
        if task in ("topics", "agenda", "brief") and (
            lean := LEAN_INTO.search(lower) or LINKED_TO_THAT.search(lower)
        ):
            said = lean.group("topic") or lean.groupdict().get("topic2") or ""  # "lean into the reforecast"
            if re.match(r"(?:that|it|this|those)\b", said):  # "she wants X, so lean into that": X
                before = re.sub(  # "he's deep in the reforecast rn, so": the reforecast
                    r"(?:\s+(?:right now|now|at the moment|atm|these days|lately|this week))?[\s,;.]*"
                    r"(?:so|and|then)?(?:\s+(?:maybe|perhaps|ideally))?[\s,;.]*$",
                    "",
                    lower[: lean.start()],
                )
                ending = re.search(
                    r"\b(?:the|an?|her|his|my|our|their)\s+((?:[\w&+-]+\s+){0,2}[\w&+-]+)$", before
                )
                said = ending.group(1) if ending else before
            if topic := self.focus("about " + said):
                return {"change": "focus", "focus": topic}
        if (
            task in ("topics", "agenda")
            and (prefer := PREFER_THAT.search(lower))
            and (topic := self.focus(lower[: prefer.start()], people) or self.context_subject(lower, people))
        ):
            return {"change": "focus", "focus": topic}  # "X came up again at the town hall. I'd prefer that."
        if (
            task in ("topics", "agenda")
            and (angle := ANGLE.search(lower))
            and (topic := self.focus("about " + angle.group("topic")))
        ):
            return {"change": "focus", "focus": topic}  # "more of a tech angle"
        if (
            task in ("topics", "agenda")
            and (whole := WHOLE_ABOUT.search(lower))
            and (
                topic := self.focus("about " + whole.group("topic"))
                or (  # "open with my AI tips slot …, can the whole thing be about that instead": that slot
                    self.focus(lower[: whole.start()])
                    if re.match(r"(?:that|it|this|those|them)\b", whole.group("topic"))
                    else None
                )
            )
        ):  # "actually the whole thing should be about key accounts, he'll cope"
            return {"change": "focus", "focus": topic}
        if (
            task in ("topics", "agenda")
            and (put := next((m for p in PUT_INSTEAD if (m := p.search(lower))), None))
            and (topic := self.focus("about " + put.group("new")))
            and topic not in ("one", "something")
        ):  # "put the notifications follow up in the middle instead of the linkedin bit"
            was = str(state.args.get("focus") or "").lower()
            if was and (was in put.group("old") or put.group("old").strip() in was):
                return {"change": "focus", "focus": topic}  # "can we do pricing rather than key accounts"
            old = (
                self._side_item(put.group("old"), state)
                or self._part_title_item(put.group("old"), state)
                or (self.reference(put.group("old"), state) if task == "topics" else None)
            )
            lead = re.search(r"\((mentor|executive)\)$", state.items[old - 1]) if old else None
            if task == "agenda" and not old:  # "instead of the linkedin bit" with no such part: said
                return {"change": "swap", "focus": topic, "missing": _part_name(put.group("old"))}
            if task == "agenda":  # the part it replaces, when it is a led part: that side's
                return {"change": "swap", "focus": topic, **({"part": lead.group(1)} if lead else {})}
            return (
                {"change": "swap", "focus": topic, "ref": old} if old else {"change": "focus", "focus": topic}
            )
        if task == "agenda" and (into := INTO_PART.search(lower) or MAIN_PART.search(lower)):
            topic = self.focus("about " + into.group("topic"))
            if topic:
                side = into.groupdict().get("side")
                part = self.whose(side, state.role) if side else None
                return {"change": "swap", "focus": topic, **({"side": side, "part": part} if part else {})}
        if task == "agenda" and (side := SIDE_PART.search(lower)):
            rest, before = lower[side.end() :], lower[: side.start()]
            opened = re.search(r"\b(?:start|open|begin|kick off|end|finish|close) (?:it )?with\s+$", before)
            # "put his half first", "start with his half": that side's part, at that end
            if (where := re.match(ORDER, rest) or opened) is not None:
                to = "end" if re.search(r"last|later|end|finish|close", where.group()) else "start"
                whose = self.whose(side.group(1), state.role)
                return {
                    "change": _reordered(lower),
                    "order": True,
                    **({"side": whose, "to": to} if whose else {}),
                }
            topic = self.focus(
                "about "
                + re.sub(
                    r"^[\s—–:-]*(?:(?:should|could|can|would)\s+)?(?:(?:that|it|this)\s+)?(?:be\s+)?"
                    r"(?:about|on|abt|for|with|to cover)?\s*",
                    "",
                    re.sub(
                        r"^\s+where\s+\w+\s+[^—–,:-]*[—–,:-]?", "", rest
                    ),  # "my bit where i show stuff — …"
                )
            )
            if topic:
                part = self.whose(side.group(1), state.role)
                return {
                    "change": "swap",
                    "focus": topic,
                    "side": side.group(1),
                    **({"part": part} if part else {}),
                }
        if (
            task == "agenda"
            and minutes is not None
            and (added := re.search(r"\badd(?:ing)?\b(?! up)", lower))
        ):
            step = re.match(rf"\s+{self._num}\b", lower[added.end() :])  # "add 15, she might have 45": the 15
            more = self._number(step.group(1)) if step else minutes
            return {"change": "minutes", "minutes": int(state.args.get("minutes", 45)) + more}
        if (
            (task in COUNTED or (task == "agenda" and count is not None and count <= 6 and minutes is None))
            and count is not None
            and re.search(r"\b(?:down to|(?:cut|chop|trim|bring|get) (?:\w+\s+){0,3}?to)\s", lower)
        ):
            return {"change": "count", "count": count}  # "cut the list down to 2", not a part left out
        if (
            task == "agenda"
            and TOO_MUCH_FOR.match(lower)
            and minutes in (None, state.args.get("minutes", 45))
            and len(state.items) > 3
        ):  # "too much for 45 honestly": the same length with fewer parts
            return {"change": "count", "count": max(3, len(state.items) - 2)}
        if (
            task == "agenda"
            and (listed := N_ITEMS.search(lower))
            and minutes in (None, self._number(listed.group(1)))
        ):  # "5 bullet points max", not 5 minutes
            return {"change": "count", "count": self._number(listed.group(1))}
        if task == "agenda" and (step := MORE_MINUTES.search(lower) or LESS_MINUTES.search(lower)):
            n = int(step.group(1) or step.group(2))
            sign = 1 if step.re is MORE_MINUTES else -1
            return {"change": "minutes", "minutes": int(state.args.get("minutes", 45)) + sign * n}
        if task == "agenda" and (
            LEADS_FIRST.search(lower) or MOVED_FIRST.search(lower) or BOTH_PARTS.search(lower)
        ):  # the two parts' order; "can the exec go first" says whose part goes where
            who = re.search(
                r"\b(exec\w*|mentor|i|me|he|she)\s+(?:go|goes|lead|leads|start|starts)\s+first", lower
            )
            owned = re.search(r"\b(?:put|move|have|do|bring)\s+(his|her|my)\b", lower)  # "put her X first"
            said = who[1] if who else owned[1] if owned else ""
            side = said and self.whose(
                {"i": "my", "me": "my", "he": "his", "she": "her"}.get(said, said), state.role
            )
            return {
                "change": _reordered(lower),
                "order": True,
                **({"side": side, "to": "start"} if side else {}),
            }
        if (
            task == "agenda"
            and count is not None
            and re.search(r"\b(?:items?|points?|parts?|blocks?)\b", lower)
        ):
            return {"change": "count", "count": count}  # "three items max"
        if task == "agenda" and (parts := AGENDA_PARTS.search(lower)):
            return {"change": "count", "count": self._number(parts.group(1))}  # "three agenda items max"
        if (
            task == "agenda"
            and minutes is not None
            and (opener or "agenda" not in lower)
            and not self._wording.search(lower)  # "the first 5 mins, what do i say to open": asked
        ):
            return {"change": "minutes", "minutes": minutes}
        if task in ("topics", "agenda", "coach", "brief", "program_health", "pairing", "search_notes") and (
            taken := TAKE_OUT.search(lower)
        ):
            return {"change": "drop", "part": taken.group("part")}
        if (
            task == "agenda"
            and (no := NO_PART.match(lower))
            and state.items
            and (
                (gone := self._part_title_item(no.group("part"), state))
                or OPENING_PART.match(no.group("part"))
            )
        ):  # "no icebreaker, he'll be short on time", "no wrap-up needed": that part dropped
            opens = re.search(r"check[ -]?in|welcome|intro|warm", state.items[0].lower())
            if gone := gone or (1 if opens else None):
                return {"change": "drop", "part": state.items[gone - 1], "ref": gone}

        if task in ("topics", "coach", "brief", "agenda", "program_health", "pairing") and DROP_ITEM.search(
            lower
        ):
            ref = self.reference(lower, state)
            if ref is not None and 0 < ref <= len(state.items):  # "drop #1", "lose the second one"
                return {"change": "drop", "part": state.items[ref - 1], "ref": ref}
        if re.search(r"\banother one\b.*\b(?:less|more|not so|without)\s+\w+", lower):
            return {"change": "other"}  # "another one, less scripted": a different one, not one more
        if task in COUNTED and count is not None and MORE_ITEMS.search(lower):
            return {"change": "count", "count": count}  # "add two more ideas"
        if (
            task in ("topics", "coach", "agenda")
            and (other := OTHER_NTH.search(lower))
            and (ref := self.reference(other.group(0), state))
        ):  # "a different second point", "another 3rd one": that item replaced
            return {"change": "swap", "ref": ref}
        if task in ("topics", "coach") and REPLACE_IT.search(lower):  # "Not convinced. Replace it."
            pointed = self.reference(lower, state) or state.ref  # "The first one won't work. Replace it."
            return {"change": "swap", "ref": pointed} if pointed else {"change": "other"}
        if re.search(r"\b(?:cut|trim|pare|slim)\s+(?:the|it|this|that|them)\s+(?:\w+\s+)?down\b", lower):
            return {"change": "shorter"}  # "cut the brief down further": shorter, nothing taken out
        if self._edits["longer"].search(lower) and TOO_THIN.search(lower):
            return {"change": "longer"}  # "more depth on both? a line each is too thin"
        unreasoned = DONE_ALREADY.sub(" ", lower)  # "he already does it with copilot": why, not what instead
        for change in ("drop", "swap", "shorter", "longer", "other", "fewer", "constraint"):
            if change == "shorter" and self._longer_first(lower):
                change = "longer"  # "a bit longer, explain why shorter sessions would help": said first
            if self._other(lower, task) if change == "other" else self._edits[change].search(lower):
                if (
                    change == "fewer"
                    and not count
                    and task == "agenda"
                    and len(state.items) > 2
                    and re.search(r"\b(?:items|parts|points|sections|blocks|bits)\b", lower)
                ):
                    count = len(state.items) - 1  # "fewer items": one part fewer, the same length
                if change == "fewer":
                    return {"change": "count", "count": count} if count else {"change": "shorter"}
                if change == "drop" and SUPPOSED.search(lower):
                    continue  # "what if he turns up without it again": a what-if, nothing taken out
                if change == "drop" and task == "agenda":
                    ref = self.reference(lower, state)
                    if ref is not None and 0 < ref <= len(state.items):  # "drop the second item"
                        return {"change": "drop", "part": state.items[ref - 1], "ref": ref}
                    said = self._edits["drop"].split(lower, maxsplit=1)[-1]
                    part = re.split(r"[,;]", said)[0].strip(" ?.!")  # "cut X, we overrun"
                    if (
                        re.search(
                            r"\b(?:drop|cut|remove|lose|skip|ditch|bin|scrap)\s+(?:it|that|this)\b", lower
                        )
                        and re.fullmatch(r"(?:(?:it|that|this|one|part|bit|then|too|out)\b\s*)*", part)
                        and state.ref
                        and 0 < state.ref <= len(state.items)
                    ):  # "drop it then", after asking about the third block: that block
                        return {"change": "drop", "part": state.items[state.ref - 1], "ref": state.ref}
                    opening = OPENING_PART.match(re.sub(r"\s+(?:at|in) the (?:start|beginning)$", "", part))
                    if (  # "we dont need an icebreaker at the start": the check-in that opens it
                        opening
                        and state.items
                        and self._part_title_item(part, state) is None
                        and re.search(r"check[ -]?in|welcome|intro|warm", state.items[0].lower())
                    ):
                        return {"change": "drop", "part": state.items[0], "ref": 1}
                    return {"change": "drop", "part": part}
                if (
                    change == "drop"
                    and task in ("coach", "topics", "brief", "program_health", "pairing", "search_notes")
                    and DROP_ITEM.search(lower)
                ):
                    part = self._edits["drop"].split(lower, maxsplit=1)[-1].strip(" ?.!")
                    part = re.sub(
                        r"^(?:the\s+)?one\s+(?:about|on|with|re|for)\s+", "", part
                    )  # "the one about X"
                    return {"change": "drop", "part": re.split(r"[,;]", part)[0].strip()}
                if change == "drop" and CUT_IT.search(lower):
                    continue  # "she hates long emails. cut it": shorter
                if change == "swap" and MIX_UP.search(lower):
                    continue  # "switch it up?": other ones
                if (
                    change in ("shorter", "longer", "fewer")
                    and OTHER_SET.search(lower)
                    and not re.search(r"\bof (?:the |those |these )?(?:new|other|different) ones?\b", lower)
                ):  # "too much of me in that. different angle please": other ones; not "… of the new ones"
                    continue
                if (
                    change == "swap"
                    and task in ("topics", "agenda")
                    and THEME.search(lower)
                    and self.reference(lower, state) is None
                ):
                    continue  # "switch the topic to onboarding": refocused (below)
                if change == "swap" and task == "topics" and self.reference(lower, state) is not None:
                    # "swap the slack one for something else": replaced; "... for sth on capex": by that
                    new = re.search(
                        r"\b(?:for|with|w|put|do|(?:one|something|sth) (?:on|about))\s+([^.!?;]+)", unreasoned
                    )
                    topic = self.focus("about " + new.group(1)) if new else None
                    return {"change": "swap", "focus": topic} if topic else {"change": "swap"}
                if (
                    change == "swap"
                    and task == "topics"
                    and (new := re.search(r"\b(?:for|with|w|put)\s+([^.!?;]+)", unreasoned))
                ):
                    topic = self.focus("about " + new.group(1))  # "replace the budget idea with an AI one"
                    whole = re.search(  # not "swap one of them for X": one of them
                        r"(?<!one of )\b(?:them|those|these|all|the lot|the list)\b",
                        unreasoned[: new.start()],
                    )
                    if topic and topic not in ("one", "something", "something else"):
                        return {
                            "change": "focus" if whole else "swap",
                            "focus": topic,
                        }  # "replace them with X"
                if (
                    change in ("other", "swap")
                    and (task in ("topics", "coach") or (task == "agenda" and change == "other"))
                    and not (task == "agenda" and re.search(r"\b(?:first|second|1st|2nd) half\b", lower))
                    and (ref := self.reference(lower, state))
                ):  # "something different for number 1", "2nd block is boring, sth else": that item replaced
                    return {"change": "swap", **({"ref": ref} if task == "agenda" else {})}
                if change == "drop" and task == "rotation" and DROP_ITEM.search(lower):
                    return {"change": "drop", "unsupported": True}  # the next cycle's plan is one whole
                if change in ("drop", "swap") and task != "agenda":
                    continue
                if change == "swap" and (new := re.search(r"\b(?:for|with)\s+([^.!?;]+)", lower)):
                    topic = self.focus("about " + new.group(1))
                    if not topic and self._other(new.group(1), task) and self.reference(lower, state) is None:
                        return {"change": "other"}  # "swap them for something else"
                    return {"change": "swap", "focus": topic} if topic else {"change": "swap"}
                if (
                    change == "other"
                    and task in ("topics", "agenda")
                    and (rather := VERB_FOCUS.search(lower))
                    and not self._dull.search(lower)  # "the middle part is dull": a judgement, not a subject
                    and (topic := self.focus(lower[rather.start() :]))
                ):
                    return {"change": "focus", "focus": topic}  # "something else. i'd rather prepare for X"
                if (
                    change == "other"
                    and task in ("topics", "agenda")
                    and (
                        on := re.search(
                            r"(?<!less )(?<!fewer )(?<!not )\b(?:on|about|around|abt)\s+"
                            r"(?!(?:these|those|them|that|this|it)\b)(?P<topic>[^.,;!?]+)",
                            re.split(r"(?<=[.!?])\s+", lower.strip())[
                                -1
                            ],  # not "too much to put on an svp. X?"
                        )
                    )
                    and (topic := self.focus("about " + on.group("topic")))
                ):
                    return {"change": "focus", "focus": topic}  # "these feel samey, anything on budgets?"
                if (
                    change == "other"
                    and task in ("topics", "agenda")
                    and (THEME.search(lower) or THEMED.search(lower))
                ):
                    continue  # "redo the agenda with X as the theme": refocused (below)
                if change == "other" and task not in (
                    "topics",
                    "coach",
                    "pairing",
                    "agenda",
                    *DRAFTS,
                ):
                    rest = self._edits["other"].sub(" ", lower)
                    complaint = NOT_KEEN.search(lower) or self._dull.search(lower)  # "the less rosy version"
                    if (
                        not complaint
                        and not (task == "brief" and RESTYLED.search(lower))  # "frame the prep differently"
                        and not SLIDE.search(lower)  # "can i have that as something for a slide to the exec"
                        and [w for w in self._subject_words(rest, people) if "'" not in w]
                    ):
                        continue  # "what else does it say about mentors?": a question of its own
                if change == "constraint":
                    if task != "pairing":
                        continue
                    return {"change": "other"}
                if change in ("shorter", "longer") and task == "agenda" and minutes is not None:
                    continue
                if change == "shorter" and task in ("coach", "topics") and self._wording.search(lower):
                    continue  # "a couple of lines I could actually say": the words for it
                return {"change": change}
        if re.match(
            r"(?:(?:ok|okay|so)\W+)?(?:just\s+)?(?:one|1|a single)\s+"
            r"(?:(?:line|sentence)(?:\s+(?:version|summary|answer|pls|please|only))*[.!?]*$|para(?:graph)?\b)",
            lower,
        ):  # "one line", "ok, one para for the report"
            return {"change": "shorter"}
        if re.search(
            r"\b(?:in|into|to|as)\s+(?:\S+\s+)?(?:bullets?|bullet points|sentences|lines)\b", lower
        ) or (
            task == "brief"
            and re.search(rf"\bmake (?:it|this|that|the whole thing|all of it)\s+{self._num}\s+", lower)
        ):  # "can u make the whole thing 3 bullets": the short brief
            return {"change": "shorter", **({"count": count} if count else {})}  # "squash it into 3 bullets"
        bullets = re.search(r"\b(?:in|into|to)\s+\S+\s+(?:points|items)\b|\ba list of\s+\S+", lower)
        nouns = "|".join(self.lexicon.followups.item_nouns.get(task or "", ()))
        # "like 2 max, we never get more than 45 mins"; not "topics for thurs on that, 2 max": asked anew
        asked_anew = TOPICS_ASKED.search(lower) or re.search(
            r"\b(?:topics|ideas|agenda)\s+(?:for|on|about)\b", lower
        )
        named = (
            nouns
            and re.search(rf"\b{self._num}\s+(?:\w+\s+)?(?:{nouns})\b", lower)
            and not self.focus(lower)  # "2 ideas around the pilot": asked anew
            and not (asked_anew and task != "topics")  # "three ideas for our next session on it" after advice
        )
        capped = (
            re.search(rf"\b{self._num}\s+(?:max|maximum|tops|at most)\b", lower)
            or re.search(
                rf"[,.;]\s*(?:just |so )?(?:give me|gimme)\s+(?:just |only )?{self._num}[.!]*$", lower
            )
        ) and not asked_anew  # "3 is a lot for 45 min, give me 2"
        if (
            task in COUNTED and count is not None and (opener or bullets or named or capped)
        ):  # "one thing I can try"
            return {"change": "count", "count": count}
        if (
            task in ("topics", "agenda")
            and (ANY_ON.match(lower) or VERB_FOCUS.search(lower) or re.search(r"\binterested in\b", lower))
            and (topic := self.focus(lower))
        ):
            return {"change": "focus", "focus": topic}  # "any on leadership?", "we want to cover esg"
        if (
            task in ("topics", "agenda")
            and (
                instead := re.match(
                    r"(?:no|not|nah)\s+(?:[\w&'-]+\s+){0,2}?[\w&'-]+\s*[,;]\s*(?P<topic>[^,;.!?]+)", lower
                )
            )
            and not any(
                self._edits[c].search(instead.group("topic")) for c in ("drop", "swap", "shorter", "longer")
            )
            and (topic := self.focus("about " + instead.group("topic")))
        ):
            return {"change": "focus", "focus": topic}  # "not budgets, the reorg"
        if task in ("topics", "agenda") and (alternative := ALTERNATIVE.match(lower)):
            said = re.split(r"[?.!,;]", lower[alternative.end() :])[0]
            if topic := self.focus("about " + said):  # "or maybe inclusive meetings? ...": that instead
                return {"change": "focus", "focus": topic}
        if (
            count is None
            and (only := SUBJECT_ONLY.match(lower))
            and (
                task in ("topics", "agenda")
                or (task == "program_health" and state.args.get("about") == "ratings")
            )  # "just digital tools" after the self-ratings by objective: that one's line
            and "NOUN" in word_classes(only["said"].split()[-1])  # ending in a noun: "digital tools"
            and self.focus("about " + only["said"])
        ):
            return {
                "change": "focus",
                "focus": only["said"],
            }  # "just digital tools", "now culture and inclusion"
        if task in COUNTED and count is not None and re.search(rf"\bmore like\s+{self._num}\b", lower):
            return {"change": "count", "count": count}  # "more like 2 ideas tbh"
        if task in ("topics", "agenda") and re.search(
            r"\b(instead|rather|same but|same thing but|more (?:about|on)|more like|focus on|again but|redo|"
            r"all over|over again|"
            r"replace (?:them|it|those)|something on|"
            r"make (?:it|them|those|these|the list) (?:about|on|more about))\b",
            lower,
        ):
            focus = self.focus(lower)
            if focus and (
                (one := ONE_ITEM.search(lower)) or (state.items and ORDINAL_ITEM.search(lower))
            ):  # "the other one could be about AI instead", "not the third. something on X instead": that one
                ref = None if one and "other" in one.group(0) else self.reference(lower, state)
                return {"change": "swap", "focus": focus, **({"ref": ref} if ref else {})}
            if focus:
                return {"change": "focus", "focus": focus}
            if re.search(r"\b(?:feel|feels|be|sound|look)\s+more like\b", lower):
                return {"change": "other"}  # "can it feel more like a reset": another kind of session
        if task in ("topics", "agenda", "brief") and (theme := THEME.search(lower)):
            focus = self.focus("about " + theme.group("topic"))
            if focus:  # "focus it on power bi", "change the focus to key accounts"
                return {"change": "focus", "focus": focus}
        if task in ("topics", "agenda") and (themed := THEMED.search(lower)):
            words = themed.group("topic").split()
            while words and (words[0] in STOPWORDS or words[0] in self._pointers or words[0] in self._asked):
                words.pop(0)  # "make them budget related": budget
            if words:  # "board presentations as the theme"
                return {"change": "focus", "focus": " ".join(words)}
        return None

    def understand(
        self, message: str, state: State, role: str, people: frozenset[str] = frozenset()
    ) -> Understanding:
        """What the message asks for, given the previous answer, who is asking and the names they know."""
        return self._on_notes_shown(self._read(message, state, role, people), state, people)

    def _on_notes_shown(self, found: Understanding, state: State, people: frozenset[str]) -> Understanding:
        """A question on the notes about what the last notes answer or brief showed: more on that answer.

        "and has he actually done it?" and "so it's still open?" ask after what was just shown, by a word
        that points back and with no subject of their own: answered from the notes as a follow-up of that
        answer, with the search's own slots. "what else do I owe her" and "and the fixed slot, did I sort
        that out?" are new searches.
        """
        lower = found.text.lower()
        guessed = (  # "Which of those are on me?": more on the answer, guessed with no item named
            found.intent == "expand"
            and found.confidence <= 0.5
            and not found.slots.get("asked")
            and self.reference(found.text, state) is None
        )
        if (
            (found.intent != "search_notes" and not guessed)
            or state.task not in NOTES_ANSWERS
            or found.slots.get("names")
            or not (ASKED.search(lower) or "?" in lower)
            or not SHOWN_BACK.search(lower)
            or (
                ANOTHER_SEARCH.search(lower) and not ELSE_SAID.search(lower)
            )  # not "did he say anything else"
            or (
                self.note_subject(found.text, people) and not TOLD_AS.search(lower)
            )  # not "the hedging case, has she checked the numbers? u have it as open": on the answer's line
        ):
            return found
        slots = {**found.slots, "asked": True, "task": state.task}
        return Understanding("expand", slots, found.confidence, text=found.text)

    def _read(
        self, message: str, state: State, role: str, people: frozenset[str] = frozenset()
    ) -> Understanding:
        """What the message asks for, before a question on notes just shown is taken as more on them."""
        text = names_as_meant(self.normalise(message), people)
        if CUT_OFF.match(text):  # "can u write": the rest is coming
            return Understanding("clarify", {"cut": True}, 1.0, text=text)
        if any(re.search(act["cue"], text.lower()) for act in self.lexicon.replies["cannot_act"]) and (
            state.task or not SEND_IT.search(text.lower())
        ):  # "can u send it to him" first: what is "it"?
            if WRITE_ASKED.match(text.lower()):  # "can you email martin for me that im late": drafted
                says = self.points(text, people, True)
                return Understanding("draft_message", {"unsent": True, "says": says}, 1.0, text=text)
            return Understanding("capabilities", {}, 1.0, text=text)  # "can you book a call with him"
        if (
            role in ("mentor", "executive")
            and MEETING_TIMES.search(text.lower())
            and not self._cues["draft_message"].search(text)
        ):  # "dana is 6 hours behind me, what time should we meet"
            apart = HOURS_APART.search(text.lower())  # "she's an hour ahead": the partner's time now
            if apart is None:
                return Understanding("meeting_times", {}, 1.0, text=text)
            hours = 1 if apart["n"] in ("a", "an") else self._number(apart["n"])
            ahead = hours * (1 if apart["way"] == "ahead" else -1) * (-1 if apart["me"] else 1)
            return Understanding("meeting_times", {"ahead": ahead}, 1.0, text=text)
        if state.task not in ("topics", "agenda") and TEACH_ME_ASKED.search(text.lower()):
            return Understanding(
                "topics", {"focus": self.focus(text, people), "teacher": "partner"}, text=text
            )
        follow = (
            self.follow_up(text, state, people)
            or self._said_in_one_sentence(text, state, people)
            or self._said_in_one_clause(text, state, people)
        )
        if follow is None:
            follow = self.guess_follow_up(text, state, people)
        if follow is not None:
            follow.slots["task"] = AS_ASKED.get(state.task or "", state.task)
            return follow
        if ITS_RANGE.search(text):  # "can this thing help me write or is it just ideas"
            return Understanding("capabilities", {}, 1.0, text=text)
        if (private := self.lexicon.chat_privacy) and re.search(private["cue"], text.lower()):
            return Understanding("ask", {"howto": private["answer"]}, 1.0, text=text)  # "would he see this?"
        if said := next(
            (e["answer"] for e in self.lexicon.explained if re.search(e["cue"], text.lower())), None
        ):
            return Understanding("capabilities", {"howto": said}, 1.0, text=text)  # "what's a prep brief?"
        if role in ("coordinator", "admin") and (howto := self.howto(text)):  # "how do i add a user"
            return Understanding("capabilities", {"howto": howto}, 1.0, text=text)
        for talk in self.lexicon.small_talk:  # "lol sorry for the 6am msg, cant sleep": said back kindly
            if re.search(talk["cue"], text.lower()) and not REQUEST.search(text):
                return Understanding("greeting", {"say": talk["say"]}, 1.0, text=text)
        for name in ("thanks", "greeting"):  # their cues read the whole message: "dhanyavaad 🙏", "daalụ"
            if self._cues[name].search(text):
                return Understanding(name, {}, 1.0, text=text)
        if (THANKED_FOR.search(text.lower()) or THANKS_LAST.match(text.lower())) and not REQUEST.search(text):
            return Understanding("thanks", {}, 1.0, text=text)  # "thx for the help btw", "typical 😂 ty"
        scores = self.scores(text, role)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        (best, top), (second, runner_up) = ranked[0], ranked[1]
        if best == "greeting" and re.match(r"\W*(?:why|what|how|which|when|where|who)\b", text.lower()):
            (best, top), (second, runner_up) = ranked[1], ranked[2]  # "Why an early morning slot?": asked
        if best in ("search_notes", "ask") and MESSAGE_NAMED.match(text.lower()):  # "a nudge about X"
            (best, top), (second, runner_up) = ("draft_message", top), (best, scores["draft_message"])
        if best not in ("thanks", "greeting", "capabilities") and (
            stated := self._stated_fact(text, state, people)
        ):
            stated.slots["task"] = AS_ASKED.get(state.task or "", state.task)
            return stated
        if (
            (
                role in STAFF_ROLES
                and best == "search_notes"
                and second == "program_health"
                and top - runner_up < STAFF_SWAP_MARGIN  # not when the notes are clearly asked about
                and not STAFF_READS.search(text)
            )
            or (
                role in STAFF_ROLES
                and best == "program_health"
                and second == "search_notes"
                and STAFF_ASKS_NOTES.search(text)
                and not HOW_MANY.search(text)
            )
            or (
                (best == "agenda" or (role in STAFF_ROLES and best == "program_health"))
                and second == "draft_message"
                and self._cues["draft_message"].search(text)
                and not self._cues[best].search(text)
            )
        ):  # "how are kai and helen?" is their figures; "what has sofia shared with me" their notes;
            # "write to noor and ingrid to say well done on how the pair has gone", "draft the proposal
            # to him then. 20 min every 2 weeks": a message
            (best, top), (second, runner_up) = (second, runner_up), (best, top)
            if (  # "what's on my plate this week?" first: no pair's notes to search, so the program's figures
                best == "program_health"
                and second == "search_notes"
                and not state.task  # after an answer, a follow-up of it may be meant
                and not named_people(text, people)
            ):
                top = max(top, SURE)
        if (
            role in STAFF_ROLES
            and best == "search_notes"
            and (asked := re.match(r"[^?]+\?\s+(?=\S)", text))
            and "?" not in text[asked.end() :]
            and not re.search(r"\b(?:something|anything|stuff)\b", text[asked.end() :].lower())  # asked after
            and max((alone := self.scores(asked.group(0), role)), key=alone.__getitem__) == "program_health"
        ):  # "is kai & helen's pair ok now? helen flagged the cancellations back in may": the question asked
            best, top = "program_health", max(top, SURE)
        if state.task == "ask" and (
            (role not in STAFF_ROLES and best == "program_health")
            or (
                best == "search_notes"
                and not self._cues["search_notes"].search(text)
                and "?" not in text
                and re.match(
                    r"(?:it'?s|that'?s|this is|they'?re|those are)\s+(?:the|a|an|my|our)\b", text.lower()
                )
            )
        ):  # "we've had one session in oct and none so far in nov", "its the one where i vented lol" after
            # a rule: the rule, for their case
            return Understanding("ask", {"context": state.args.get("text")}, SURE, text=text)
        if (
            role in STAFF_ROLES
            and best == "ask"
            and (
                STAFF_STALLED.search(text)
                or (
                    self.figures(text.lower()).get("about") == "feedback"
                    and re.search(r"\b(?:by|per|each) month\b|\bbreak\w*\b.{0,25}\bdown\b", text.lower())
                )
            )
        ):  # "anyone stalled by the 6 week rule?", "can you break the usefulness down by month?": figures
            best, top = "program_health", max(top, SURE)
        if best != "topics" and TOPICS_HEADED.match(text.lower()):  # "topics on the rotterdam shift pattern":
            (best, top), (second, runner_up) = (
                ("topics", max(scores["topics"], SURE)),
                (best, top),
            )  # asked so
        if (
            best == "search_notes"
            and role not in STAFF_ROLES
            and (UPCOMING.search(text.lower()) or SESSION_AHEAD.search(text.lower()))
            and not re.search(r"\b(?:say|said|says|mention\w*|talk\w*|write|wrote)\s+about\b", text.lower())
        ):
            # "I'm seeing Priya on Thursday … a run-down of last time and what I said I'd do": a brief
            (best, top), (second, runner_up) = ("brief", max(scores["brief"], SURE)), (best, top)
        if (
            (best in PLANNED or (second in PLANNED and best not in UNPLANNED))
            and not (
                best == "topics" and self._cues["topics"].search(text)
            )  # "topics for our 30 min session"
            and not self._cues["draft_message"].search(text)  # "write her a message proposing 30 minutes"
            and (m := self.minutes(text)) is not None
            and m >= SHORTEST_AGENDA
            and not ASKS_NOTES.search(text)
        ):  # "30 minutes on the 8th. I'd like Kai to take me through X": a session of that length, planned
            best, top = "agenda", max(top, SURE)
        slots: dict[str, Any] = {}
        if best in ("topics", "agenda", "search_notes"):
            slots["focus"] = self.focus(text, people)
            pointing = ANAPHOR.search(text.lower()) and state.task in ("topics", "agenda", "search_notes")
            subject = None
            if slots["focus"] is None and best == "search_notes":  # "the expense tool walkthrough, did…"
                subject = self.note_subject(text, people, asked=True)  # not "due" in "when's that due again"
                slots["focus"] = subject if subject and (not pointing or " " in subject) else None
            if (
                slots["focus"] is None
                and state.task in ("topics", "agenda", "search_notes")
                and (
                    ANAPHOR.search(text.lower())
                    or (  # "Now an agenda for 45 minutes" after topics on it
                        state.task == "topics"
                        and re.match(r"(?:(?:ok|okay|right|great|good)\W+)?(?:and )?now\b", text.lower())
                    )
                    or (  # "still not done right?", "and what's next?" after the notes on it: its subject
                        state.task == "search_notes"
                        and len(text.split())
                        <= (6 if best == "search_notes" else 4 if best == "topics" else 0)
                        and not self._subject_words(text, people)
                    )
                )
            ):
                slots["focus"] = state.args.get("focus")  # "then a 30 min agenda", "what did he do about it"
            elif (
                slots["focus"] is None
                and best == "search_notes"
                and state.task in ("ask", "coach")
                and re.search(r"\b(?:about|on|re) (?:it|that|this)\b", text.lower())
                and (rule := re.sub(r"\s+(?:with|w)\s+[A-Z][a-z]+\b", "", str(state.args.get("text") or "")))
            ):  # "What did Sofia note about it?" after a rule question on the check-in with Marisol: on that
                slots["focus"] = self.focus(rule, people) or self.note_subject(rule, people)
            elif (
                slots["focus"] is None
                and best in ("topics", "agenda")
                and state.task in ("coach", "ask")
                and re.search(
                    r"\b(?:work|fit|weave|build|bring) (?:it|that|this) in\b"
                    r"|\b(?:about|on|around) (?:it|that)\b",
                    text.lower(),
                )
            ):  # "gimme 3 topic ideas that work it in" after advice on the LinkedIn post: on that
                slots["focus"] = self.context_subject(str(state.args.get("text") or ""), people)
            elif slots["focus"] is None and best != "search_notes":
                slots["focus"] = self.context_subject(text, people)  # "… the hub consolidation. ideas?"
            if slots["focus"] is None and best == "search_notes":
                slots["focus"] = subject  # nothing earlier to point back to
            if (
                best == "search_notes"
                and slots["focus"]
                and FOLLOW_THROUGH.search(text.lower())
                and (whole := self.note_subject(text, people))
                and whole.endswith(f" {slots['focus']}")
            ):  # "did he ever write that linkedin post about the grad scheme": the post, on that subject
                slots["focus"] = whole
        if best in ("topics", "coach", "search_notes") and (n := self.count(text)) is not None:
            slots["count"] = n
        elif best == "topics" and re.search(r"\b(?:the|a|one) next (?:step|thing|move)\b(?!s)", text.lower()):
            slots["count"] = 1  # "what should be the next step on AI?": one idea
        if best in ("topics", "agenda") and (teacher := self.teacher(text.lower())):
            slots["teacher"] = teacher  # "what should I teach him next?": the asker's side
        if (
            best == "agenda"
            and slots.get("focus")
            and (own := OWN_PART.search(text.lower()))
            and (side := self.whose(own.group(1), role))
        ):
            slots["part"] = side  # "his 15 on supplier negotiations", "her half should be X"
        if (
            best == "agenda"
            and (own := SIDE_LENGTH.search(text.lower()))
            and (side := self.whose(own.group("who"), role)) in ("mentor", "executive")
        ):  # "agenda for dec 10, 50 min, his 15 mins first pls"
            where = own.group("where") or ""
            slots["side_part"] = {
                "side": side,
                "minutes": int(own.group("n")),
                "first": where in ("first", "at the start"),
                "last": where in ("last", "at the end"),
            }
        if best == "agenda" and (parts := AGENDA_PARTS.search(text.lower())):
            slots["count"] = self._number(parts.group(1))  # "agenda pls, 3 parts max"
        if best == "program_health" and self._anonymous.search(text):
            slots["anonymous"] = True
        if best == "program_health" and ONE_LINER.search(text.lower()):  # "an honest one liner for the board"
            slots |= {"short": True, "paragraph": True}
        if best == "program_health":
            slots |= self.figures(text.lower())  # "what do the pulse scores say month by month"
            if (
                state.task == "program_health"
                and "about" not in slots
                and state.args.get("about")
                and re.match(r"(?:(?:ok|so|and|then)\W+)*(?:just|only)\b", text.lower())
            ):  # "ok then just the november average" after the pulse figures: those figures
                slots["about"] = state.args["about"]
        if best == "program_health" and (days := self.compared_days(text.lower())):
            slots["compare_days"] = days  # "how have the pairs changed since last month?"
        if (
            best == "rotation"
            and CYCLE_CALENDAR.search(text.lower())
            and not re.search(r"\b(?:who|which)\b", text.lower())  # "which pairs continue…": the rotation
            and len(named_people(text, people)) < 2
        ):  # "sketch the next cycle for me: kick-off, midpoint, close. starting mid jan"
            today = clock.today()
            first_of_next = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
            slots["start"] = (cycle_start(text, today) or first_of_next).isoformat()
        if (
            {best, second} == {"pairing", "rotation"}
            and (last := [c for c in re.split(r"[,.;:?!]\s+", text.strip(" ?!.")) if c][-1:])
            and self._cues["pairing"].search(last[0])
            and re.search(r"\b(?:who|which|where)\b", last[0])  # not "carry on or rematch?"
            and not self._cues["rotation"].search(last[0])
        ):  # "for next cycle, if sofia and gareth dont renew, who could each of them go with": matches
            best = "pairing"
        if (
            best in ("pairing", "rotation")
            and TOGETHER.search(text.lower())
            and not re.search(
                r"\b(?:keep|stay|rematch|re-match|carry on|continue|split|break up)\b", text.lower()
            )
            and len(two := named_people(text, people)) == 2
        ):  # "would kai + gareth make sense as a pair for cycle 2?": how those two would fit
            best, slots["together"] = "pairing", two
        if best == "pairing" and self._keeps_apart(text.lower()):
            slots |= self._apart(text.lower(), people)  # "suggest pairings, but keep leo and helen apart"
        if best == "topics" and SESSION_LENGTH.search(text) and self.minutes(text):
            best = "agenda"  # "what should we cover? keep it to 30 min": a plan for a length of time
            slots.pop("count", None)
        if best == "topics" and ALREADY_DONE.search(lower := text.lower()) and not NOT_YET.search(lower):
            best = "search_notes"
            slots = {"focus": self.focus(text, people)}
        if best == "ask" and OUR_COUNT.search(text.lower()):  # "how many times have we met": our own sessions
            best, slots = "search_notes", {}
        if (
            state.task == "search_notes"
            and best == "ask"
            and not RULE_ASKED.search(lower := text.lower())
            and re.search(r"\b(?:it|that|this|they|those)\b", lower)
            and "?" in text + "?" * (len(lower.split()) <= 6)
            and not self._subject_words(text, people)
        ):  # "so when's it up" after the notes on a trial: what the notes said of it, not a rule
            best, slots = "search_notes", {"focus": state.args.get("focus")}
        if role not in self.lexicon.intents[best].roles and (
            best == "rotation" or (best in ("program_health", "pairing") and RULE_ASKED.search(text.lower()))
        ):  # a participant's "when does the next cycle start?", "when does a pair count as stalled"
            best = "ask"
        if best in ("agenda", "draft_message") and (m := self.minutes(text)) is not None:
            slots["minutes"] = m
        elif best == "agenda" and (now := HAVE_NOW.search(text.lower())) and 10 <= int(now.group(1)) <= 120:
            slots["minutes"] = int(now.group(1))  # "plan the 10th so his part comes first. we have 50"
        if best == state.task and best in RERUN_TASKS and (again := self._asked_again(text, slots, state)):
            again.slots["task"] = state.task
            return again
        if (
            state.task in DRAFTS
            and best == "draft_message"
            and not self._cues["draft_message"].search(text)
            and not named_people(text, people)
            and not ANOTHER_MESSAGE.search(text.lower())  # "and a separate note asking if…", "invite email"
        ):  # "british spelling pls, its going to the uk depots": the message just drafted, changed
            return Understanding(
                "edit", {"change": "other", "task": AS_ASKED.get(state.task, state.task)}, text=text
            )
        if best == "draft_message" and (
            says := self.points(text, people, opening=True) or self._dictated(text, people)
        ):
            slots["says"] = says  # "a note to Noor asking whether two drivers would agree to be quoted"
        if (
            best == "program_health"
            and role in STAFF_ROLES
            and len(named_people(text, people)) == 2
            and (on := PAIR_ON_SUBJECT.search(text.lower()))
            and not self.figures(text.lower())  # not "how are kai and helen doing on cancellations"
            and not re.search(r"\b(?:cancel\w*|reschedul\w*|sessions?|pace|cadence)\b", on.group("what"))
            and (topic := self.focus("about " + on.group("what"), people))
        ):  # "what have noor and ingrid been doing on inclusive meetings": what they share on it
            return Understanding("search_notes", {"focus": topic}, top, text=text)
        cued = bool(self._cues[best].search(text))
        if cued and best in ("greeting", "thanks"):  # their cues read the whole message: "dhanyavaad"
            return Understanding(best, slots, top, text=text)
        said = GREETED.sub("", text.lower(), count=1)
        if (
            best == "greeting"
            and said != text.lower()
            and len(said.split()) >= 3
            and second not in ("thanks", "capabilities")
            and runner_up >= ASKED_AFTER_HELLO
        ):  # "morning! how's the program doing": a hello, then what is asked
            return self.understand(said, state, role, people)
        acknowledged = ACKNOWLEDGED.match(text.lower())
        if (
            best == "thanks"
            and acknowledged
            and len(text[acknowledged.end() :].split()) >= 3
            and ASKS_NEXT.match(text[acknowledged.end() :].lower())
        ):
            return self.understand(text[acknowledged.end() :], state, role, people)  # "nice. ok and when's…"
        small_talk = best in ("greeting", "thanks", "capabilities") and top - runner_up >= SMALL_TALK_AHEAD
        if (
            best == "greeting"
            and not cued
            and re.search(r"\b(?:one|that|this|it)\b", text.lower())
            and not re.match(
                r"\W*(?:hi+|hey+|hello|hiya|yo|morning|good|evening|afternoon|howdy|hallo)\b", text.lower()
            )
        ):  # "the kai one"
            return Understanding("clarify", slots, top, [second], text, points_back=not state.task)
        needs_subject = not small_talk and not (cued and best not in ("ask", "coach"))
        pointing = self._points_nowhere(text, state, people)  # "is that allowed?" as a first message
        if not state.task and VAGUE_ASK.search(text.lower()):  # "can u do the thing for rafael", "the usual"
            needs_subject = pointing = True
        vague = len(re.findall(r"\w+", text)) <= 3 and not cued and not people & set(text.lower().split())
        if (
            (needs_subject and pointing)
            or top < FLOOR
            or (top - runner_up < MARGIN and top < SURE)
            or (vague and top < SURE + 0.1)
        ):
            if (
                state.task
                and not ADVICE_ASKED.search(text.lower())  # "ugh. ok how do i raise that": a new question
                and (guess := self.guess_follow_up(text, state, people, last_resort=True))
            ):
                guess.slots["task"] = AS_ASKED.get(state.task, state.task)
                return guess  # right after an answer, a follow-up of it is likelier than either request
            if pointing and len(state.items) > 1:  # "and the other thing": which of the answer's items
                return Understanding("clarify", {"items": len(state.items)}, top, text=text)
            return Understanding(
                "clarify", slots, top, [best, second], text, points_back=pointing and not state.task
            )
        return Understanding(best, slots, top, text=text)
