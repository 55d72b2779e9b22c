"""Writing sessions and the statistics built on them (no Qt).

A project keeps a log of its writing sessions in ``sessions.tsv`` beside ``project.json``:
a plain tab-separated file a spreadsheet opens, one header line, then one line per
session::

    start                      end                        added  removed  net  documents
    2025-03-01T10:02:11+01:00  2025-03-01T10:47:30+01:00  412    35       377  2

Times are ISO 8601 with the writer's UTC offset; "per day" means the local calendar day of
the session's start (sessions are split at local midnight, so a session lies in one day).
``net`` is ``added - removed`` and doubles as a check: a line whose numbers disagree, that
has the wrong number of fields, or that does not parse is skipped, never fatal. Lines that
are not sessions (comments, damaged lines) are kept verbatim when the log is written again.

The log is written with :func:`writer.core.atomic.atomic_write_bytes` (old bytes plus the
new lines, then rename) when a session ends, so a crash never leaves half a line. If the
file was cut short by something else, its unterminated last line is kept as a ``#``
comment rather than glued to the next session.

Word changes are counted on the words the archives count (the same tokens as
:func:`writer.core.wordcount.count_words`), so for every save ``added - removed`` equals
the change of the document's word count. See :func:`word_diff` for the method.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from writer.core.atomic import atomic_write_bytes, encode_utf8
from writer.core.errors import ProjectError, ProjectFormatError
from writer.core.wordcount import words

if TYPE_CHECKING:
    from writer.core.project import Project

SESSIONS_FILE = "sessions.tsv"
COLUMNS = ("start", "end", "added", "removed", "net", "documents")
HEADER = "\t".join(COLUMNS) + "\n"
IDLE_GAP = timedelta(minutes=30)
# Above this many differing words on either side, a save is counted as a multiset
# difference instead of a sequence diff (measured: a 3,000 x 3,000 word diff takes about
# 25 ms, 10,000 x 10,000 about 250 ms on this kind of machine).
SEQUENCE_DIFF_LIMIT = 3000

Clock = Callable[[], datetime]


def local_now() -> datetime:
    """The current time, aware, in the local time zone."""
    return datetime.now().astimezone()


def _aware(moment: datetime) -> datetime:
    """A naive time is taken as local time."""
    return moment if moment.tzinfo is not None else moment.astimezone()


def local_day(moment: datetime, tz: tzinfo | None = None) -> date:
    """The calendar day of ``moment`` in ``tz`` (default: the local time zone)."""
    return _aware(moment).astimezone(tz).date()


# ---------------------------------------------------------------- word changes


def words_of(text: str) -> list[str]:
    """The words of a Markdown document, as :func:`count_words` counts them."""
    return words(text)


def word_diff(old: list[str], new: list[str]) -> tuple[int, int]:
    """Words ``(added, removed)`` between two word lists; ``added - removed`` is always
    ``len(new) - len(old)``.

    The common beginning and end are cut off first (linear), which leaves only the edited
    middle: a save usually holds one edit in one place, so this is most of the work. A
    middle of up to :data:`SEQUENCE_DIFF_LIMIT` words a side is diffed as a sequence
    (``difflib``, no junk heuristic), so "replace *cat* by *dog*" is +1 -1 and moving text
    counts as removed and added. A larger middle (a paste over the whole chapter, a
    replace-all) is counted as a multiset difference, which is linear: it is exact for
    insertions and deletions and only under-counts words deleted in one place and typed
    again elsewhere in the same save.
    """
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    a, b = old[start:end_old], new[start:end_new]
    if not a or not b:
        return len(b), len(a)
    if len(a) <= SEQUENCE_DIFF_LIMIT and len(b) <= SEQUENCE_DIFF_LIMIT:
        added = removed = 0
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                removed += i2 - i1
                added += j2 - j1
        return added, removed
    before, after = Counter(a), Counter(b)
    return sum((after - before).values()), sum((before - after).values())


@dataclass(frozen=True)
class WordDelta:
    """What one save changed."""

    added: int = 0
    removed: int = 0

    @property
    def net(self) -> int:
        return self.added - self.removed


# ---------------------------------------------------------------- sessions and the log


@dataclass(frozen=True)
class Session:
    """One stretch of writing: when, and how many words came and went."""

    start: datetime
    end: datetime
    added: int = 0
    removed: int = 0
    documents: int = 0

    @property
    def net(self) -> int:
        return self.added - self.removed

    @property
    def minutes(self) -> int:
        return max(0, round((self.end - self.start).total_seconds() / 60))

    def day(self, tz: tzinfo | None = None) -> date:
        return local_day(self.start, tz)

    def to_line(self) -> str:
        fields = (
            _aware(self.start).isoformat(timespec="seconds"),
            _aware(self.end).isoformat(timespec="seconds"),
            str(self.added),
            str(self.removed),
            str(self.net),
            str(self.documents),
        )
        return "\t".join(fields) + "\n"

    @classmethod
    def from_line(cls, line: str) -> Session | None:
        """A session from one line of the log, or None when the line is not a whole,
        consistent session."""
        fields = line.rstrip("\r\n").split("\t")
        if len(fields) != len(COLUMNS):
            return None
        try:
            start = _aware(datetime.fromisoformat(fields[0]))
            end = _aware(datetime.fromisoformat(fields[1]))
            added, removed, net, documents = (int(f) for f in fields[2:])
        except ValueError:
            return None
        if min(added, removed, documents) < 0 or net != added - removed or end < start:
            return None
        return cls(start, end, added, removed, documents)

    def to_json(self) -> dict[str, Any]:
        return {
            "start": _aware(self.start).isoformat(timespec="seconds"),
            "end": _aware(self.end).isoformat(timespec="seconds"),
            "minutes": self.minutes,
            "added": self.added,
            "removed": self.removed,
            "net": self.net,
            "documents": self.documents,
        }


def sessions_path(folder: Path | str) -> Path:
    return Path(folder) / SESSIONS_FILE


def _folder(project: Project | Path | str) -> Path:
    return Path(getattr(project, "path", project))


def _read_raw(file: Path) -> bytes:
    if file.is_symlink():
        raise ProjectFormatError(file, "is a symbolic link; the log must live in the project")
    try:
        return file.read_bytes()
    except FileNotFoundError:
        return b""
    except OSError as error:
        raise ProjectError(file, f"cannot be read ({error.strerror})") from None


def read_sessions(project: Project | Path | str) -> list[Session]:
    """Every session of the log, oldest first; damaged lines (and a missing file) are
    skipped, never an error. A last line without its newline was cut short: skipped."""
    raw = _read_raw(sessions_path(_folder(project)))
    text = raw.decode("utf-8", errors="replace")
    lines = text.split("\n")
    # The piece after the last "\n" is empty for a whole file, or a cut-off line.
    sessions = [s for s in map(Session.from_line, lines[:-1]) if s is not None]
    sessions.sort(key=lambda s: s.start)
    return sessions


def append_sessions(project: Project | Path | str, sessions: Iterable[Session]) -> None:
    """Add sessions to the log: its bytes as they are plus the new lines, written
    atomically. A cut-off last line is kept as a comment."""
    new = list(sessions)
    if not new:
        return
    file = sessions_path(_folder(project))
    raw = _read_raw(file)
    if not raw:
        raw = HEADER.encode("utf-8")
    elif not raw.endswith(b"\n"):
        head, _sep, tail = raw.rpartition(b"\n")
        raw = (head + b"\n" if _sep else b"") + b"# cut off: " + tail + b"\n"
    data = raw + b"".join(encode_utf8(s.to_line()) for s in new)
    atomic_write_bytes(file, data)


# ---------------------------------------------------------------- recording


@dataclass
class _Open:
    """The session being recorded."""

    start: datetime
    last_activity: datetime
    last_save: datetime | None = None
    added: int = 0
    removed: int = 0
    documents: set[str] = field(default_factory=set)

    def session(self) -> Session:
        end = self.last_save or self.start
        return Session(
            self.start, max(end, self.start), self.added, self.removed, len(self.documents)
        )


class SessionRecorder:
    """Turns a project's saves into sessions and writes them to its log.

    ``note_save(doc_id, old, new)`` counts one save; :meth:`saved` does the same with the
    text remembered from the previous save (seed it with :meth:`remember` before the first
    save, from the file on disk). A session ends after ``idle_gap`` without activity, at
    local midnight, or on :meth:`close`; it is written only if it changed some words.
    ``clock`` returns aware datetimes and is injectable for tests.
    """

    def __init__(
        self,
        project: Project | Path | str,
        clock: Clock = local_now,
        idle_gap: timedelta = IDLE_GAP,
    ) -> None:
        self.folder = _folder(project)
        self.clock = clock
        self.idle_gap = idle_gap
        self._current: _Open | None = None
        self._texts: dict[str, tuple[str, list[str]]] = {}
        self._unwritten: list[Session] = []
        self.written: list[Session] = []

    # -------------------------------------------------------------- remembered texts

    def remember(self, doc_id: str, text: str) -> None:
        """The text of ``doc_id`` as it is on disk now (the base of its next save)."""
        self._texts[doc_id] = (text, words_of(text))

    def knows(self, doc_id: str) -> bool:
        return doc_id in self._texts

    def forget(self, doc_id: str) -> None:
        self._texts.pop(doc_id, None)

    def known_documents(self) -> list[str]:
        return list(self._texts)

    def _words(self, doc_id: str, text: str) -> list[str]:
        known = self._texts.get(doc_id)
        if known is not None and known[0] == text:
            return known[1]
        return words_of(text)

    # -------------------------------------------------------------- activity

    def _now(self, now: datetime | None) -> datetime:
        return _aware(now if now is not None else self.clock())

    def note_activity(self, now: datetime | None = None) -> None:
        """The author is at work (typing, before any save): starts the session's clock."""
        self._roll(self._now(now))
        self.flush()

    def _roll(self, now: datetime) -> _Open:
        """The open session for activity at ``now``: a new one after an idle gap or when
        the local day changed."""
        current = self._current
        if current is not None and (
            now - current.last_activity > self.idle_gap
            or local_day(now) != local_day(current.start)
        ):
            self._end()
            current = None
        if current is None:
            current = self._current = _Open(start=now, last_activity=now)
        current.last_activity = max(current.last_activity, now)
        return current

    def note_save(
        self, doc_id: str, old_text: str, new_text: str, now: datetime | None = None
    ) -> WordDelta:
        """Count one save of ``doc_id`` that turned ``old_text`` into ``new_text``."""
        moment = self._now(now)
        new_words = words_of(new_text)
        added, removed = word_diff(self._words(doc_id, old_text), new_words)
        self._texts[doc_id] = (new_text, new_words)
        current = self._roll(moment)
        current.last_save = moment
        if added or removed:
            current.added += added
            current.removed += removed
            current.documents.add(doc_id)
        self.flush()  # a session ended by this save (idle gap, midnight) goes to the log
        return WordDelta(added, removed)

    def saved(self, doc_id: str, new_text: str, now: datetime | None = None) -> WordDelta:
        """Count a save against the remembered text; a document never seen before has no
        base, so its first save is only remembered (counted as no change)."""
        known = self._texts.get(doc_id)
        if known is None:
            self.remember(doc_id, new_text)
            return WordDelta()
        return self.note_save(doc_id, known[0], new_text, now)

    # -------------------------------------------------------------- ending sessions

    @property
    def current(self) -> Session | None:
        """The session being recorded (not yet in the log), if it changed any words."""
        if self._current is None or not (self._current.added or self._current.removed):
            return None
        return self._current.session()

    def pending(self) -> list[Session]:
        """Sessions not in the log yet: ended ones a write failed for, then the open one."""
        current = self.current
        return [*self._unwritten, *([current] if current else [])]

    def _end(self) -> None:
        """Close the open session; it waits in ``_unwritten`` for :meth:`flush`."""
        current, self._current = self._current, None
        if current is not None and (current.added or current.removed):
            self._unwritten.append(current.session())

    def flush(self) -> None:
        """Write ended sessions to the log (kept in memory, raised, if that fails)."""
        if not self._unwritten:
            return
        append_sessions(self.folder, self._unwritten)
        self.written.extend(self._unwritten)
        self._unwritten = []

    def check_idle(self, now: datetime | None = None) -> Session | None:
        """End the session if the author has been idle for ``idle_gap`` (or the day
        changed); returns the session written, if any."""
        current = self._current
        if current is None:
            return None
        moment = self._now(now)
        if moment - current.last_activity > self.idle_gap or local_day(moment) != local_day(
            current.start
        ):
            return self.close()
        return None

    def close(self) -> Session | None:
        """End the open session and write it if it changed anything; returns it."""
        before = len(self.written)
        self._end()
        self.flush()
        return self.written[-1] if len(self.written) > before else None


# ---------------------------------------------------------------- statistics


@dataclass(frozen=True)
class DayTotals:
    day: date
    added: int = 0
    removed: int = 0
    sessions: int = 0

    @property
    def net(self) -> int:
        return self.added - self.removed

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "net": self.net,
            "added": self.added,
            "removed": self.removed,
            "sessions": self.sessions,
        }


@dataclass(frozen=True)
class DocumentGoal:
    """A document with a word goal, and how far it is."""

    id: str
    title: str
    kind: str
    words: int
    goal: int

    @property
    def percent(self) -> float:
        return percent_of(self.words, self.goal) or 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "words": self.words,
            "goal": self.goal,
            "percent": self.percent,
        }


def percent_of(words: int, goal: int | None) -> float | None:
    """Progress towards a goal in percent, one decimal (may pass 100); None without goal."""
    if not goal or goal <= 0:
        return None
    return round(words * 100 / goal, 1)


def goal_fraction(words: int, goal: int | None) -> float | None:
    """Progress between 0 and 1 for a bar; None without a goal."""
    if not goal or goal <= 0:
        return None
    return max(0.0, min(1.0, words / goal))


@dataclass
class ProjectStats:
    """The numbers of the statistics view and of ``writer stats``."""

    title: str
    path: Path
    total_words: int
    goal: int | None
    percent: float | None
    today: date
    words_today: int
    streak: int
    per_day: dict[date, int]  # net words per local day, days with sessions only
    sessions: list[Session]
    documents: list[DocumentGoal]
    day_totals: dict[date, DayTotals] = field(default_factory=dict)

    @property
    def remaining(self) -> int | None:
        return None if not self.goal else max(0, self.goal - self.total_words)

    @property
    def added(self) -> int:
        return sum(s.added for s in self.sessions)

    @property
    def removed(self) -> int:
        return sum(s.removed for s in self.sessions)

    def days(self, count: int) -> list[DayTotals]:
        """The last ``count`` days up to today, oldest first, days without writing
        included; ``count`` 0 means from the first session on."""
        if count <= 0:
            first = min(self.day_totals, default=self.today)
            count = (self.today - first).days + 1
        return [
            self.day_totals.get(day, DayTotals(day))
            for day in (self.today - timedelta(days=n) for n in range(count - 1, -1, -1))
        ]

    def recent_sessions(self, count: int) -> list[Session]:
        """The last ``count`` sessions, oldest first (0: all)."""
        return self.sessions[-count:] if count > 0 else list(self.sessions)

    def to_json(self, days: int = 14, sessions: int = 10) -> dict[str, Any]:
        return {
            "project": self.title,
            "path": str(self.path),
            "words": self.total_words,
            "goal": self.goal,
            "percent": self.percent,
            "remaining": self.remaining,
            "today": self.today.isoformat(),
            "words_today": self.words_today,
            "streak": self.streak,
            "sessions_total": len(self.sessions),
            "added": self.added,
            "removed": self.removed,
            "days": [d.to_json() for d in self.days(days)],
            "sessions": [s.to_json() for s in self.recent_sessions(sessions)],
            "documents": [d.to_json() for d in self.documents],
        }


def _streak(totals: dict[date, DayTotals], today: date) -> int:
    """Days in a row with words added, ending today, or yesterday while today is young."""
    day = today if today in totals and totals[today].added > 0 else today - timedelta(days=1)
    streak = 0
    while day in totals and totals[day].added > 0:
        streak += 1
        day -= timedelta(days=1)
    return streak


def document_goals(project: Project) -> list[DocumentGoal]:
    """Every document of the manuscript (not the trash) that has a word goal."""
    return [
        DocumentGoal(node.id, node.title, node.kind, project.node_words(node), node.meta.word_goal)
        for node in project.tree.walk()
        if node.meta.word_goal
    ]


def stats(
    project: Project,
    now: datetime | None = None,
    pending: Iterable[Session] = (),
    tz: tzinfo | None = None,
) -> ProjectStats:
    """The statistics of a project from its log, plus ``pending`` sessions not written
    yet (the window passes its open session). Days are local days (or ``tz``)."""
    sessions = sorted([*read_sessions(project), *pending], key=lambda s: s.start)
    moment = _aware(now) if now is not None else local_now()
    today = local_day(moment, tz)
    totals: dict[date, DayTotals] = {}
    for session in sessions:
        day = session.day(tz)
        old = totals.get(day, DayTotals(day))
        totals[day] = DayTotals(
            day, old.added + session.added, old.removed + session.removed, old.sessions + 1
        )
    total = project.total_words()
    goal = project.meta.word_goal or None
    return ProjectStats(
        title=project.title,
        path=project.path,
        total_words=total,
        goal=goal,
        percent=percent_of(total, goal),
        today=today,
        words_today=totals[today].net if today in totals else 0,
        streak=_streak(totals, today),
        per_day={day: t.net for day, t in sorted(totals.items())},
        sessions=sessions,
        documents=document_goals(project),
        day_totals=dict(sorted(totals.items())),
    )
