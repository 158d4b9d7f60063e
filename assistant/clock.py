"""What day it is for the program: the real date, or the date ``ASSISTANT_TODAY`` sets.

Every "today" and "now" the program reasons with comes from here: cadence and stalls, days
since the last session, which reminders are due, whether a session's day has come, a cycle's
phase, the day a pairing starts. A program can so be shown as of one day whatever the real
date is: the demo runs on its own date (``today`` in knowledge/demo/program.yaml; ``make run``
sets it), so its pairs keep the cadence their notes describe. Timestamps of what happens (audit
entries, sign-ins, token expiry, when a reminder was mailed, an invitation's DTSTAMP) stay on
the real clock.
"""

from __future__ import annotations

import datetime as dt

from assistant.settings import get_settings


def today() -> dt.date:
    """The program's date: ``ASSISTANT_TODAY`` when set, else the real (local) date."""
    return get_settings().today or dt.date.today()


def now() -> dt.datetime:
    """The program's moment, in UTC: the real time of day on the program's date."""
    real = dt.datetime.now(dt.UTC)
    day = get_settings().today
    return real if day is None else dt.datetime.combine(day, real.timetz())
