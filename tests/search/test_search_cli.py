"""``writer search`` and ``writer index``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from writer.cli import main
from writer.core.project import Project
from writer.search import index_dir_for
from writer.search.store import WRITELOCK

BELL = "the-ninth-bell"
SCENE = "3f0410dade58"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_json(sample_library: Path, capsys) -> None:
    code, out, err = run(capsys, "search", "bell", "--library", str(sample_library), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) >= {"hits", "total", "facets", "elapsed_ms"}
    assert data["total"] == 8 and data["facets"]["project"] == {BELL: 8}
    assert isinstance(data["elapsed_ms"], float) and data["elapsed_ms"] > 0
    first = next(hit for hit in data["hits"] if hit["document"] == SCENE)
    assert first["title"] == "The Ninth Bell"
    assert first["tree_path"] == ["Part One", "The Crack", "The Ninth Bell"]
    text = Project.load(sample_library / BELL).read_text(SCENE)
    assert text[first["offset"] : first["offset"] + first["length"]] == "Bell"
    assert "<mark>Bell</mark>" in first["snippet"]
    assert Path(first["path"]).is_file() and first["spoilers"] == []


def test_search_text_output_groups_by_project(sample_library: Path, capsys) -> None:
    code, out, _ = run(capsys, "--library", str(sample_library), "search", "tide OR bell")
    assert code == 0
    lines = out.splitlines()
    headers = [line for line in lines if line and not line.startswith(" ")]
    assert headers[0].startswith("The Ninth Bell [the-ninth-bell]")
    assert any(
        "What the Tide Keeps [what-the-tide-keeps]  (spoilers for Season 2)" in h for h in headers
    )
    assert "Part One › The Crack › The Ninth Bell" in out and "[Bell]" in out
    assert re.fullmatch(r"13 of 13 hits \(\d+\.\d ms\)", lines[-1])


def test_search_words_split_by_the_shell(sample_library: Path, capsys) -> None:
    argv = ["search", "fandom:Saltmarsh Station (TV)", "--library", str(sample_library), "--json"]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert [h["project"] for h in json.loads(out)["hits"]] == ["what-the-tide-keeps"]


def test_search_limit_and_metadata_rows(sample_library: Path, capsys) -> None:
    code, out, _ = run(
        capsys, "search", "rating:teen", "--limit", "1", "--library", str(sample_library), "--json"
    )
    data = json.loads(out)
    assert code == 0 and len(data["hits"]) == 1 and data["total"] == 2
    assert data["hits"][0]["document"] is None


@pytest.mark.parametrize(
    "query", ['"unclosed', "fandon:x", "rating:zz", "(bell", "modified:[soon to later]"]
)
def test_malformed_query_is_one_line(sample_library: Path, capsys, query: str) -> None:
    code, out, err = run(capsys, "search", query, "--library", str(sample_library))
    assert code == 1 and out == ""
    assert err.startswith("writer: ") and err.count("\n") == 1


def test_missing_library(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "search", "bell", "--library", str(tmp_path / "nowhere"))
    assert code == 1 and "does not exist" in err


def test_index_and_rebuild(sample_library: Path, capsys) -> None:
    code, out, _ = run(capsys, "index", "--library", str(sample_library))
    assert code == 0 and out.startswith("Indexed 15 documents of 3 works")
    code, out, _ = run(capsys, "index", "--library", str(sample_library))
    assert code == 0 and "Index up to date: 0 added, 0 updated, 0 removed, 18 unchanged." in out
    (sample_library / BELL / "docs" / f"{SCENE}.md").write_text("Zeppelins.\n", "utf-8")
    code, out, _ = run(capsys, "index", "--library", str(sample_library))
    assert "1 updated" in out
    code, out, err = run(capsys, "index", "--rebuild", "--library", str(sample_library))
    assert code == 0, err
    assert out.startswith("Indexed 15 documents of 3 works")
    assert str(index_dir_for(sample_library)) in out


def test_search_on_a_locked_index_waits_then_reads_the_last_commit(
    sample_library: Path, capsys
) -> None:
    assert run(capsys, "index", "--library", str(sample_library))[0] == 0
    lock_file = index_dir_for(sample_library) / WRITELOCK
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from whoosh.util.filelock import FileLock; "
            f"l = FileLock({str(lock_file)!r}); assert l.acquire(); "
            "print('held', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        (sample_library / BELL / "docs" / f"{SCENE}.md").write_text("Zeppelins.\n", "utf-8")
        code, out, err = run(capsys, "search", "trapdoor", "--library", str(sample_library))
        assert code == 0
        assert "last saved state" in err
        assert "1 of 1 hits" in out  # The committed state still has the old text.
        assert lock_file.parent.is_dir()
    finally:
        holder.stdin.close()
        holder.wait(timeout=20)
    code, out, err = run(capsys, "search", "zeppelins", "--library", str(sample_library))
    assert code == 0 and err == "" and "1 of 1 hits" in out
