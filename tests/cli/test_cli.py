"""Every CLI command and its error paths, through ``main()`` and a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from writer.cli import main
from writer.core.project import Project


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    return tmp_path / "lib"


def new_project(capsys, lib: Path, title: str, *extra: str) -> Path:
    code, out, err = run(capsys, "new", title, "--library", str(lib), *extra)
    assert code == 0, err
    return Path(out.strip())


def test_new_prints_folder_and_applies_options(capsys, lib):
    folder = new_project(
        capsys, lib, "The Salt Road", "--fandom", "Original Work", "--rating", "teen"
    )
    assert folder == lib / "the-salt-road"
    project = Project.load(folder)
    assert project.meta.title == "The Salt Road"
    assert project.meta.fandoms == ["Original Work"]
    assert project.meta.rating == "Teen And Up Audiences"
    assert not (folder / ".writer.lock").exists()


def test_new_with_bad_rating_fails_with_one_line(capsys, lib):
    code, out, err = run(capsys, "new", "X", "--library", str(lib), "--rating", "ZZ")
    assert code == 1
    assert err.startswith("writer: unknown rating 'ZZ'")
    assert err.count("\n") == 1


def test_library_option_before_and_after_subcommand(capsys, lib):
    new_project(capsys, lib, "First")
    code_before, out_before, _ = run(capsys, "--library", str(lib), "list", "--json")
    code_after, out_after, _ = run(capsys, "list", "--json", "--library", str(lib))
    assert code_before == code_after == 0
    assert json.loads(out_before) == json.loads(out_after)
    assert [row["title"] for row in json.loads(out_after)] == ["First"]


def test_library_from_environment(capsys, lib, monkeypatch):
    new_project(capsys, lib, "From Env")
    monkeypatch.setenv("WRITER_LIBRARY", str(lib))
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert "From Env" in out


def test_list_json_fields(capsys, lib):
    folder = new_project(capsys, lib, "Counted", "--fandom", "A Show")
    project = Project.load(folder)
    project.write_text(project.tree.roots[0].id, "Three small words.")
    project.close()
    code, out, _ = run(capsys, "list", "--json", "--library", str(lib))
    (row,) = json.loads(out)
    assert row["words"] == 3
    assert row["fandoms"] == ["A Show"]
    assert set(row) >= {"title", "fandoms", "status", "posting", "words", "modified", "path"}


def test_list_reports_broken_project_and_continues(capsys, lib):
    new_project(capsys, lib, "Good")
    bad = lib / "bad"
    bad.mkdir()
    (bad / "project.json").write_text("{ not json", encoding="utf-8")
    code, out, err = run(capsys, "list", "--library", str(lib))
    assert code == 0
    assert "Good" in out
    assert "bad/project.json" in err and "not valid JSON" in err
    assert (bad / "project.json").read_text(encoding="utf-8") == "{ not json"


def test_list_missing_library(capsys, tmp_path):
    code, _, err = run(capsys, "list", "--library", str(tmp_path / "nowhere"))
    assert code == 1
    assert "does not exist" in err


def test_info_json_has_every_work_key_and_tree(capsys, lib):
    from writer.core.metadata import WORK_FIELDS

    folder = new_project(capsys, lib, "Tree Work")
    project = Project.load(folder)
    chapter = project.tree.roots[0]
    project.add_node("scene", "Opening", chapter.id, text="One two three four.")
    project.close()
    for ref in (str(folder), "tree-work", "tree work", "Tree Work"):
        code, out, err = run(capsys, "info", ref, "--json", "--library", str(lib))
        assert code == 0, err
        info = json.loads(out)
        assert set(WORK_FIELDS) <= set(info)
        assert info["words"] == 4
        assert info["path"] == str(folder)
        (node,) = info["tree"]
        assert {"id", "kind", "title", "words", "children"} <= set(node)
        assert node["children"][0]["title"] == "Opening"
        assert node["children"][0]["words"] == 4


def test_info_text_shows_tree_and_warnings(capsys, lib):
    new_project(capsys, lib, "Plain")
    code, out, err = run(capsys, "info", "Plain", "--library", str(lib))
    assert code == 0
    assert "title:" in out and "Plain" in out
    assert "chapter" in out and "Chapter 1" in out
    assert "rating is required" in err


def test_info_unknown_project(capsys, lib):
    new_project(capsys, lib, "Only")
    code, _, err = run(capsys, "info", "Missing", "--library", str(lib))
    assert code == 1
    assert err == f"writer: no project 'Missing' in the library {lib}\n"


def test_set_replace_add_remove_clear(capsys, lib):
    folder = new_project(capsys, lib, "Tags")
    base = ["--library", str(lib)]
    assert run(capsys, "set", "Tags", "tags", "Angst", "Fluff", *base)[0] == 0
    assert run(capsys, "set", "Tags", "tag", "Hurt/Comfort", "--add", *base)[0] == 0
    assert Project.load(folder).meta.tags == ["Angst", "Fluff", "Hurt/Comfort"]
    code, out, _ = run(capsys, "set", "Tags", "tags", "fluff", "--remove", *base)
    assert code == 0 and out == "tags: Angst; Hurt/Comfort\n"
    assert run(capsys, "set", "Tags", "tags", "--clear", *base)[0] == 0
    assert Project.load(folder).meta.tags == []


def test_set_aliases_series_and_text(capsys, lib):
    folder = new_project(capsys, lib, "Aliases")
    base = ["--library", str(lib)]
    run(capsys, "set", "Aliases", "rating", "K+", *base)
    run(capsys, "set", "Aliases", "warning", "mcd", *base)
    run(capsys, "set", "Aliases", "series", "Tide Tales#2", *base)
    run(capsys, "set", "Aliases", "summary", "A", "short", "summary.", *base)
    run(capsys, "set", "Aliases", "goal", "50,000", *base)
    meta = Project.load(folder).meta
    assert meta.rating == "General Audiences"
    assert meta.warnings == ["Major Character Death"]
    assert (meta.series[0].name, meta.series[0].part) == ("Tide Tales", 2)
    assert meta.summary == "A short summary."
    assert meta.word_goal == 50000


def test_set_document_field(capsys, lib):
    folder = new_project(capsys, lib, "Docs")
    chapter_id = Project.load(folder).tree.roots[0].id
    code, _, err = run(
        capsys,
        "set",
        "Docs",
        "summary",
        "They",
        "meet.",
        "--doc",
        chapter_id,
        "--library",
        str(lib),
    )
    assert code == 0, err
    assert Project.load(folder).tree.find(chapter_id).meta.summary == "They meet."


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["set", "Errs", "nonsense", "x"], "unknown field 'nonsense'"),
        (["set", "Errs", "rating", "Q"], "unknown rating 'Q'"),
        (["set", "Errs", "word_goal", "many"], "word_goal must be a whole number"),
        (["set", "Errs", "rating", "teen", "--add"], "holds a single value"),
        (["set", "Errs", "tags"], "give a value for tags"),
        (["set", "Errs", "created", "yesterday"], "kept by the app"),
        (["set", "Errs", "title", "x", "--doc", "nope"], "no document with id 'nope'"),
    ],
)
def test_set_errors_are_one_line(capsys, lib, argv, message):
    folder = new_project(capsys, lib, "Errs")
    before = (folder / "project.json").read_bytes()
    code, _, err = run(capsys, *argv, "--library", str(lib))
    assert code == 1
    assert message in err
    assert err.startswith("writer: ") and err.count("\n") == 1
    assert (folder / "project.json").read_bytes() == before


def test_newer_format_project_is_reported_not_overwritten(capsys, lib):
    folder = new_project(capsys, lib, "Future")
    data = json.loads((folder / "project.json").read_text(encoding="utf-8"))
    data["format_version"] = 99
    text = json.dumps(data)
    (folder / "project.json").write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "set", str(folder), "rating", "teen", "--library", str(lib))
    assert code == 1
    assert "newer writer (format 99)" in err
    assert (folder / "project.json").read_text(encoding="utf-8") == text


def test_console_script_runs_without_traceback(tmp_path):
    """``python -m writer`` in a real process: errors are one line, exit code non-zero."""
    env = {**os.environ, "WRITER_HOME": str(tmp_path / "home")}
    ok = subprocess.run(
        [sys.executable, "-m", "writer", "new", "Proc", "--library", str(tmp_path / "l")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "writer", "info", "Nope", "--library", str(tmp_path / "l")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert bad.stderr.strip().startswith("writer: no project 'Nope'")


def test_version(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.startswith("writer ")


def write_lock(folder: Path, host: str, pid: int) -> None:
    lock = {"pid": pid, "host": host, "time": "2026-01-01T00:00:00Z"}
    (folder / ".writer.lock").write_text(json.dumps(lock), encoding="utf-8")


def test_unlock_stale_other_host_and_live(capsys, lib):
    import socket

    folder = new_project(capsys, lib, "Locked")
    base = ["--library", str(lib)]
    code, out, _ = run(capsys, "unlock", "Locked", *base)
    assert code == 0 and out == "locked is not locked\n"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    write_lock(folder, socket.gethostname(), dead.pid)
    code, out, _ = run(capsys, "unlock", "Locked", *base)
    assert code == 0 and out.startswith("removed the lock of locked")
    write_lock(folder, "far-away-laptop", 77)
    code, _, err = run(capsys, "unlock", "Locked", *base)
    assert code == 1 and "another computer" in err and "--force" in err
    assert (folder / ".writer.lock").exists()
    code, _, _ = run(capsys, "unlock", "Locked", "--force", *base)
    assert code == 0 and not (folder / ".writer.lock").exists()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        write_lock(folder, socket.gethostname(), alive.pid)
        code, _, err = run(capsys, "unlock", "Locked", "--force", *base)
        assert code == 1 and "another copy of writer" in err
        assert (folder / ".writer.lock").exists()
    finally:
        alive.kill()
        alive.wait()
