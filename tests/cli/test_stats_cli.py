"""``writer stats``: the numbers of the session log and the goals, as text and JSON."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "export"))
from conftest import build_story  # noqa: E402

from writer.cli import main  # noqa: E402
from writer.core.project import Project  # noqa: E402
from writer.core.sessions import SESSIONS_FILE, SessionRecorder  # noqa: E402


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute)).astimezone()


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    build_story(tmp_path / "lib" / "harbour-lights")
    return tmp_path / "lib"


@pytest.fixture
def written(lib: Path) -> dict[str, int]:
    """Edits made through a recorder: yesterday +7 -1 in one session, today +4 in two."""
    project = Project.load(lib / "harbour-lights")
    chapter = next(n for n in project.tree.walk() if n.kind == "chapter")
    project.set_field("word_goal", ["1000"])
    project.set_doc_field(chapter.id, "word_goal", ["200"])
    project.save()
    today = date.today()
    moments = iter([local(today - timedelta(days=1), 9), local(today, 6), local(today, 7)])
    recorder = SessionRecorder(project, clock=lambda: next(moments))
    text = project.read_text(chapter.id)
    recorder.remember(chapter.id, text)
    new = (
        text.replace("The tide-tables", "The old tide-tables").replace("empty", "bare")
        + "\nRain fell on the quay."
    )
    recorder.saved(chapter.id, new)  # yesterday: +1 +1 -1 +5
    recorder.close()
    newer = new + " Gulls cried."
    recorder.saved(chapter.id, newer)  # today 06:00: +2
    recorder.close()
    newest = newer + " Night came."
    recorder.saved(chapter.id, newest)  # today 07:00: +2
    recorder.close()
    project.write_text(chapter.id, newest)
    project.close()
    again = Project.load(lib / "harbour-lights")
    # The goal of a chapter covers its scenes, as the tree's Words column does.
    return {"chapter_words": again.node_words(again.tree.find(chapter.id))}


def test_stats_text_shows_goal_today_days_sessions_and_document_goals(capsys, lib, written):
    code, out, err = run(capsys, "stats", "harbour-lights", "--library", str(lib))
    assert code == 0, err
    project = Project.load(lib / "harbour-lights")
    total = project.total_words()
    lines = out.splitlines()
    assert lines[0] == "Harbour Lights"
    assert f"Words:    {total:,} of 1,000 ({total / 10:.1f}%, {1000 - total:,} to go)" in out
    assert "Today:    +4 words in 2 session(s)" in out
    assert "Streak:   2 day(s)" in out
    assert "Sessions: 3, +11 -1 words in all" in out
    today, yesterday = date.today(), date.today() - timedelta(days=1)
    day_rows = [
        line for line in lines if line[:4].isdigit() and line[4] == "-" and "min" not in line
    ]
    assert len(day_rows) == 14
    assert day_rows[-1].startswith(today.isoformat()) and day_rows[-1].split()[2:] == [
        "+4",
        "4",
        "0",
        "2",
    ]
    assert day_rows[-2].startswith(yesterday.isoformat())
    assert day_rows[-2].split()[2:] == ["+6", "7", "1", "1"]
    assert "Recent sessions:" in out and out.count(" min  ") == 3
    assert "Document goals:" in out
    assert f"{written['chapter_words']:,} of 200" in out


def test_stats_json_has_the_same_numbers(capsys, lib, written):
    code, out, _ = run(
        capsys, "--library", str(lib), "stats", "Harbour Lights", "--json", "--days", "3"
    )
    assert code == 0
    data = json.loads(out)
    project = Project.load(lib / "harbour-lights")
    assert data["project"] == "Harbour Lights"
    assert data["words"] == project.total_words()
    assert data["goal"] == 1000
    assert data["percent"] == round(project.total_words() / 10, 1)
    assert data["remaining"] == 1000 - project.total_words()
    assert data["today"] == date.today().isoformat()
    assert data["words_today"] == 4 and data["streak"] == 2
    assert (data["sessions_total"], data["added"], data["removed"]) == (3, 11, 1)
    assert [d["net"] for d in data["days"]] == [0, 6, 4]
    assert [d["sessions"] for d in data["days"]] == [0, 1, 2]
    assert [s["net"] for s in data["sessions"]] == [6, 2, 2]
    assert set(data["sessions"][0]) == {
        "start",
        "end",
        "minutes",
        "added",
        "removed",
        "net",
        "documents",
    }
    (doc,) = data["documents"]
    assert doc["goal"] == 200 and doc["words"] == written["chapter_words"]
    assert doc["percent"] == round(written["chapter_words"] / 2, 1)


def test_stats_of_a_project_without_sessions_or_goal(capsys, lib):
    code, out, _ = run(capsys, "stats", "harbour-lights", "--library", str(lib))
    assert code == 0
    assert "(no goal set)" in out
    assert "Today:    0 words in 0 session(s)" in out
    assert "Recent sessions:" not in out and "Document goals:" not in out
    code, out, _ = run(capsys, "stats", "harbour-lights", "--json", "--library", str(lib))
    data = json.loads(out)
    assert data["goal"] is None and data["percent"] is None and data["sessions"] == []
    assert len(data["days"]) == 14 and all(d["net"] == 0 for d in data["days"])


def test_stats_survives_a_damaged_log_and_limits_output(capsys, lib, written):
    log = lib / "harbour-lights" / SESSIONS_FILE
    log.write_bytes(log.read_bytes()[:-3])  # the last session was cut off
    code, out, err = run(
        capsys, "stats", "harbour-lights", "--json", "--sessions", "1", "--library", str(lib)
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["sessions_total"] == 2 and data["words_today"] == 2
    assert len(data["sessions"]) == 1


def test_stats_errors_are_one_line(capsys, lib):
    code, _, err = run(capsys, "stats", "no-such-project", "--library", str(lib))
    assert code == 1 and err.startswith("writer: ") and err.count("\n") == 1
    code, _, err = run(capsys, "stats", "harbour-lights", "--days", "-1", "--library", str(lib))
    assert code == 1 and "--days" in err


def test_stats_help_documents_the_json_keys(capsys):
    with pytest.raises(SystemExit):
        main(["stats", "--help"])
    out = capsys.readouterr().out
    for key in ("words_today", "streak", "days", "sessions", "documents", "percent"):
        assert key in out
