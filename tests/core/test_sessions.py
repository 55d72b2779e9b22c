"""Writing sessions: word changes per save, the session log on disk, and the statistics."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "export"))
from conftest import CHAPTER_ONE, build_story  # noqa: E402

from writer.core.project import Project  # noqa: E402
from writer.core.sessions import (  # noqa: E402
    HEADER,
    SEQUENCE_DIFF_LIMIT,
    SESSIONS_FILE,
    Session,
    SessionRecorder,
    append_sessions,
    goal_fraction,
    percent_of,
    read_sessions,
    stats,
    word_diff,
    words_of,
)
from writer.core.wordcount import count_words  # noqa: E402


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A local, aware time in March 2025."""
    return datetime(2025, month, day, hour, minute).astimezone()


class Clock:
    """An injectable clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def story(tmp_path: Path) -> Project:
    return build_story(tmp_path / "harbour-lights")


def first_chapter(project: Project) -> str:
    return next(n.id for n in project.tree.walk() if n.kind == "chapter")


# ---------------------------------------------------------------- word changes


def diff(old: str, new: str) -> tuple[int, int]:
    return word_diff(words_of(old), words_of(new))


def test_insert_delete_and_replace_are_counted_by_words():
    base = "The harbour was empty when Mara came down the hill."
    assert diff(base, base) == (0, 0)
    assert diff(base, base.replace("empty", "empty and cold")) == (2, 0)
    assert diff(base, base.replace(" when Mara came down the hill", "")) == (0, 6)
    assert diff(base, base.replace("Mara", "Tobin")) == (1, 1)
    assert diff("", base) == (10, 0)
    assert diff(base, "") == (0, 10)
    # Markup and punctuation are not words; the words around them did not change.
    assert diff(base, base.replace("empty", "*empty*")) == (0, 0)


def test_edits_in_several_places_and_moves():
    words = [f"w{i}" for i in range(100)]
    changed = words[:]
    changed[10] = "x"
    changed.insert(50, "y")
    del changed[90]
    assert word_diff(words, changed) == (2, 2)
    moved = words[20:30] + words[:20] + words[30:]  # a paragraph moved up
    added, removed = word_diff(words, moved)
    assert added == removed and 0 < added <= 20


def test_net_always_equals_the_change_of_the_word_count():
    text = CHAPTER_ONE
    for new in (
        text + "\nAnd then the storm came.",
        text.replace("harbour", "port"),
        text.replace("boats", "many small boats"),
        text[: len(text) // 2],
        "",
    ):
        added, removed = diff(text, new)
        assert added - removed == count_words(new) - count_words(text)


def test_words_are_the_words_the_count_counts():
    for text in (CHAPTER_ONE, "well-known don't 1,000 now—then 東京", "[link](http://x.y) ok"):
        assert len(words_of(text)) == count_words(text)


def test_large_rewrites_fall_back_to_a_multiset_difference():
    old = [f"w{i % 700}" for i in range(SEQUENCE_DIFF_LIMIT + 500)]
    new = ["z", *old[1:-1], "q"]  # changed at both ends: the whole list is the "middle"
    new = [w if i % 97 else "changed" for i, w in enumerate(new)]
    added, removed = word_diff(old, new)
    assert added - removed == len(new) - len(old)
    assert added >= 2 and removed >= 2


def test_a_ten_thousand_word_chapter_is_exact_for_one_edit_and_for_scattered_inserts():
    paragraphs = [f"{CHAPTER_ONE} Paragraph {i} ends here." for i in range(180)]
    chapter = "\n\n".join(paragraphs)
    assert count_words(chapter) > 10_000
    middle = chapter.index("Paragraph 55 ")
    edited = chapter[:middle] + "Suddenly " + chapter[middle:]
    assert diff(chapter, edited) == (1, 0)
    # Inserts at the start, middle and end leave a middle too large for a sequence diff:
    # the multiset count is still exact for insertions.
    scattered = "Alpha " + edited.replace("Paragraph 60 ", "Paragraph 60 beta ") + " gamma"
    assert diff(chapter, scattered) == (4, 0)


# ---------------------------------------------------------------- recording


def test_a_session_counts_saves_of_several_documents(story):
    clock = Clock(at(1, 10))
    recorder = SessionRecorder(story, clock=clock)
    one, two = [n.id for n in story.tree.walk() if n.kind == "chapter"]
    recorder.remember(one, story.read_text(one))
    recorder.remember(two, story.read_text(two))
    clock.advance(minutes=5)
    assert recorder.saved(one, story.read_text(one) + "\nThree more words.").added == 3
    clock.advance(minutes=5)
    delta = recorder.saved(two, story.read_text(two).replace("Water rose", "Water"))
    assert (delta.added, delta.removed, delta.net) == (0, 1, -1)
    current = recorder.current
    assert current is not None
    assert (current.added, current.removed, current.documents) == (3, 1, 2)
    written = recorder.close()
    assert written == current
    assert written.start == at(1, 10, 5) and written.end == at(1, 10, 10)
    assert recorder.current is None


def test_note_activity_starts_the_clock_before_the_first_save(story):
    clock = Clock(at(1, 9))
    recorder = SessionRecorder(story, clock=clock)
    recorder.note_activity()
    clock.advance(minutes=20)
    recorder.note_save("ch-x", "a b", "a b c d")
    session = recorder.close()
    assert session.start == at(1, 9) and session.end == at(1, 9, 20) and session.minutes == 20


def test_first_save_of_an_unknown_document_is_not_counted(story):
    recorder = SessionRecorder(story, clock=lambda: at(1, 10))
    assert recorder.saved("ch-new", "some text here").net == 0
    assert recorder.saved("ch-new", "some text here and more").added == 2


def test_nothing_changed_writes_nothing(story):
    recorder = SessionRecorder(story, clock=lambda: at(1, 10))
    recorder.note_save("ch-a", "same words", "same words")
    assert recorder.close() is None
    assert not (story.path / SESSIONS_FILE).exists()


def test_an_idle_gap_splits_sessions(story):
    clock = Clock(at(2, 10))
    recorder = SessionRecorder(story, clock=clock, idle_gap=timedelta(minutes=30))
    recorder.note_save("ch-a", "", "one two three")
    clock.advance(minutes=29)
    recorder.note_save("ch-a", "one two three", "one two three four")  # same session
    clock.advance(minutes=31)
    recorder.note_save("ch-a", "one two three four", "one two")  # new session
    first, *_ = recorder.written
    assert (first.added, first.removed, first.start, first.end) == (4, 0, at(2, 10), at(2, 10, 29))
    assert recorder.check_idle(clock.now + timedelta(minutes=10)) is None
    second = recorder.check_idle(clock.now + timedelta(minutes=31))
    assert second is not None and (second.added, second.removed) == (0, 2)
    assert [s.net for s in read_sessions(story)] == [4, -2]


def test_sessions_are_split_at_local_midnight(story):
    clock = Clock(at(3, 23, 50))
    recorder = SessionRecorder(story, clock=clock)
    recorder.note_save("ch-a", "", "before midnight")
    clock.advance(minutes=20)
    recorder.note_save("ch-a", "before midnight", "before midnight after it")
    recorder.close()
    days = [(s.day(), s.net) for s in read_sessions(story)]
    assert days == [(date(2025, 3, 3), 2), (date(2025, 3, 4), 2)]


# ---------------------------------------------------------------- the log on disk


def test_the_log_round_trips_as_plain_tab_separated_text(story):
    sessions = [
        Session(at(1, 10), at(1, 10, 45), 412, 35, 2),
        Session(at(2, 21), at(2, 22), 0, 12, 1),
    ]
    append_sessions(story, sessions[:1])
    append_sessions(story, sessions[1:])
    text = (story.path / SESSIONS_FILE).read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    lines = text.splitlines()
    assert len(lines) == 3 and lines[1].split("\t")[2:] == ["412", "35", "377", "2"]
    assert read_sessions(story) == sessions
    assert read_sessions(story.path) == sessions  # a folder works too
    assert read_sessions(story.path / "missing") == []


def test_a_cut_off_last_line_is_skipped_and_kept_as_a_comment(story):
    good = Session(at(1, 10), at(1, 11), 100, 10, 1)
    append_sessions(story, [good, Session(at(1, 12), at(1, 13), 200, 20, 12)])
    file = story.path / SESSIONS_FILE
    file.write_bytes(file.read_bytes()[:-2])  # "...\t180\t1" without "2\n"
    assert read_sessions(story) == [good]  # the unterminated line is never trusted
    later = Session(at(2, 10), at(2, 11), 5, 0, 1)
    append_sessions(story, [later])
    assert read_sessions(story) == [good, later]
    assert "# cut off: " in file.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "damage",
    [
        "garbage line\n",
        "2025-03-01T10:00:00+00:00\t2025-03-01T11:00:00+00:00\t10\t5\t99\t1\n",  # net wrong
        "2025-03-01T10:00:00+00:00\tnot a time\t10\t5\t5\t1\n",
        "2025-03-01T10:00:00+00:00\t2025-03-01T11:00:00+00:00\t10\t5\n",  # fields missing
        "\x00\xff\xfe binary\n",
        "",
    ],
)
def test_damaged_lines_are_skipped_never_fatal(story, damage):
    good = Session(at(1, 10), at(1, 11), 7, 2, 1)
    append_sessions(story, [good])
    file = story.path / SESSIONS_FILE
    file.write_bytes(file.read_bytes() + damage.encode("latin-1"))
    assert read_sessions(story) == [good]
    append_sessions(story, [Session(at(2, 10), at(2, 11), 1, 0, 1)])
    assert len(read_sessions(story)) == 2
    assert damage.encode("latin-1") in file.read_bytes()  # kept as it was


def test_an_empty_or_header_only_log_has_no_sessions(story):
    file = story.path / SESSIONS_FILE
    file.write_text("", encoding="utf-8")
    assert read_sessions(story) == []
    file.write_text(HEADER, encoding="utf-8")
    assert read_sessions(story) == []


def test_a_symlinked_log_is_refused(story, tmp_path):
    outside = tmp_path / "elsewhere.tsv"
    outside.write_text(HEADER, encoding="utf-8")
    (story.path / SESSIONS_FILE).symlink_to(outside)
    from writer.core.errors import WriterError

    with pytest.raises(WriterError, match="symbolic link"):
        read_sessions(story)
    with pytest.raises(WriterError, match="symbolic link"):
        append_sessions(story, [Session(at(1, 1), at(1, 2), 1, 0, 1)])
    assert outside.read_text(encoding="utf-8") == HEADER


def test_times_keep_their_offset_and_naive_times_are_local(story):
    utc = Session(
        datetime(2025, 3, 1, 23, 30, tzinfo=UTC), datetime(2025, 3, 1, 23, 45, tzinfo=UTC)
    )
    line = utc.to_line()
    assert line.startswith("2025-03-01T23:30:00+00:00\t")
    assert Session.from_line(line) == utc
    naive = Session.from_line("2025-03-01T10:00:00\t2025-03-01T10:30:00\t3\t1\t2\t1\n")
    assert naive is not None and naive.start == datetime(2025, 3, 1, 10).astimezone()


# ---------------------------------------------------------------- statistics


def test_statistics_match_the_edits_made(story):
    one = first_chapter(story)
    clock = Clock(at(4, 9))
    recorder = SessionRecorder(story, clock=clock)
    text = story.read_text(one)
    recorder.remember(one, text)

    # Day 4: two sessions (+5, then -2).
    text2 = text + "\nThe gulls rose with morning."  # +5
    story.write_text(one, text2)
    recorder.saved(one, text2)
    clock.advance(hours=2)
    text3 = text2.replace("The gulls rose", "Gulls")  # -2 ("The", "gulls", "rose" -> "Gulls")
    story.write_text(one, text3)
    recorder.saved(one, text3)
    # Day 5: one session of +3.
    clock.now = at(5, 20)
    text4 = text3 + " Then came rain."
    story.write_text(one, text4)
    recorder.saved(one, text4)
    recorder.close()

    numbers = stats(story, now=at(5, 23))
    assert numbers.per_day == {date(2025, 3, 4): 5 - 2, date(2025, 3, 5): 3}
    assert [(s.added, s.removed) for s in numbers.sessions] == [(5, 0), (1, 3), (3, 0)]
    assert numbers.words_today == 3
    assert numbers.streak == 2
    assert numbers.added - numbers.removed == count_words(text4) - count_words(text)
    week = numbers.days(7)
    assert [d.day for d in week][-1] == date(2025, 3, 5) and len(week) == 7
    assert [d.net for d in week] == [0, 0, 0, 0, 0, 3, 3]
    assert [d.sessions for d in week][-2:] == [2, 1]
    assert numbers.total_words == story.total_words()


def test_pending_sessions_count_and_days_start_today(story):
    pending = Session(at(6, 10), at(6, 10, 30), 40, 0, 1)
    numbers = stats(story, now=at(6, 11), pending=[pending])
    assert numbers.words_today == 40 and numbers.sessions == [pending]
    assert numbers.streak == 1
    assert stats(story, now=at(7, 8), pending=[pending]).streak == 1  # today still young
    assert stats(story, now=at(8, 8), pending=[pending]).streak == 0
    assert stats(story, now=at(6, 11)).words_today == 0


def test_days_are_local_days(story):
    late = Session(
        datetime(2025, 3, 1, 23, 30, tzinfo=UTC), datetime(2025, 3, 1, 23, 50, tzinfo=UTC), 9
    )
    append_sessions(story, [late])
    tokyo = timezone(timedelta(hours=9))
    now = datetime(2025, 3, 2, 12, tzinfo=tokyo)
    assert stats(story, now=now, tz=tokyo).per_day == {date(2025, 3, 2): 9}
    assert stats(story, now=now, tz=UTC).per_day == {date(2025, 3, 1): 9}


def test_goals_and_sessions_survive_a_restart(story):
    one = first_chapter(story)
    story.set_field("word_goal", ["50000"])
    story.set_doc_field(one, "word_goal", ["2000"])
    story.save()
    recorder = SessionRecorder(story, clock=lambda: at(9, 10))
    recorder.note_save(one, "a", "a b c")
    recorder.close()
    story.close()

    again = Project.load(story.path)
    assert again.meta.word_goal == 50000
    assert again.tree.find(one).meta.word_goal == 2000
    numbers = stats(again, now=at(9, 12))
    assert numbers.goal == 50000
    assert numbers.percent == percent_of(again.total_words(), 50000)
    assert numbers.words_today == 2
    (doc,) = numbers.documents
    assert (doc.id, doc.goal, doc.words) == (one, 2000, again.node_words(again.tree.find(one)))
    data = numbers.to_json(days=3, sessions=5)
    assert data["goal"] == 50000 and data["words_today"] == 2
    assert data["documents"][0]["goal"] == 2000
    assert [d["date"] for d in data["days"]] == ["2025-03-07", "2025-03-08", "2025-03-09"]


def test_progress_helpers():
    assert percent_of(500, 2000) == 25.0
    assert percent_of(2500, 2000) == 125.0
    assert percent_of(10, None) is None and percent_of(10, 0) is None
    assert goal_fraction(2500, 2000) == 1.0 and goal_fraction(0, 10) == 0.0
    assert goal_fraction(1, None) is None
