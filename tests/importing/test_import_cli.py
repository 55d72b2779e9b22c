"""``writer import``: one line per input, --json, --dry-run, --into, errors on stderr."""

from __future__ import annotations

import json
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


def test_import_prints_one_line_per_input(capsys, lib, helpers):
    code, out, err = run(
        capsys,
        "import",
        str(helpers.fixtures / "txt_ffn_multichapter.txt"),
        str(helpers.fixtures / "archive_oneshot.html"),
        "--library",
        str(lib),
    )
    assert code == 0, err
    assert out.splitlines() == [
        f"created {lib / 'the-ferrymans-daughter'} (2 chapters)",
        f"created {lib / 'paper-boats'} (1 chapter)",
    ]
    code, out, _err = run(
        capsys, "--library", str(lib), "import", str(helpers.fixtures / "archive_oneshot.html")
    )
    assert out.strip() == f"unchanged {lib / 'paper-boats'} (already imported)"


def test_import_json_lists_source_project_action_metadata(capsys, lib, helpers):
    source = helpers.fixtures / "txt_header_colon.txt"
    code, out, _err = run(capsys, "import", str(source), "--library", str(lib), "--json")
    assert code == 0
    (entry,) = json.loads(out)
    assert set(entry) >= {"source", "project", "action", "metadata", "chapters", "warnings"}
    assert entry["source"] == str(source)
    assert entry["action"] == "created"
    assert entry["metadata"]["rating"] == "Mature"
    assert entry["metadata"]["word_count"] == 1850
    assert Project.load(Path(entry["project"])).meta.title == "Salt and Cinders"


def test_dry_run_shows_metadata_and_writes_nothing(capsys, lib, helpers):
    source = helpers.fixtures / "txt_spoiler_in_note.txt"
    code, out, _err = run(capsys, "import", str(source), "--library", str(lib), "--dry-run")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"would create {lib / 'txt-spoiler-in-note'} (1 chapter)"
    assert "  spoilers:        The Hollow Crown; Book 3" in lines
    assert not lib.exists()


def test_errors_go_to_stderr_and_exit_1_while_other_inputs_import(capsys, lib, helpers, tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"%PDF-1.4 binary")
    code, out, err = run(
        capsys, "import", str(bad), str(helpers.fixtures / "txt_byline.txt"), "--library", str(lib)
    )
    assert code == 1
    assert err.strip() == "writer: broken.txt is not a text file (it is a PDF document)"
    assert out.strip() == f"created {lib / 'the-salt-road'} (1 chapter)"


def test_into_appends_to_an_existing_project(capsys, lib, helpers):
    run(capsys, "new", "Collected Shorts", "--library", str(lib))
    source = helpers.fixtures / "txt_chapter_roman.txt"
    code, out, err = run(
        capsys, "import", str(source), "--into", "Collected Shorts", "--library", str(lib)
    )
    assert code == 0, err
    assert out.strip() == f"appended 3 chapters to {lib / 'collected-shorts'}"


def test_warnings_are_printed_on_stderr(capsys, lib, helpers):
    source = helpers.fixtures / "txt_disclaimer_source.txt"
    code, _out, err = run(capsys, "import", str(source), "--library", str(lib))
    assert code == 0
    assert "writer: warning: txt_disclaimer_source.txt: fandom 'Starfall Academy'" in err


def test_import_needs_a_path(capsys):
    with pytest.raises(SystemExit):
        main(["import"])


def test_reimport_offers_update_and_update_flag_applies_it(tmp_path, capsys):
    from writer.cli import main

    library = tmp_path / "lib"
    source = tmp_path / "again.txt"
    source.write_text("Title: Again\n\nThe first telling.\n", encoding="utf-8")
    assert main(["import", str(source), "--library", str(library)]) == 0
    capsys.readouterr()
    source.write_text("Title: Again\n\nThe second telling.\n", encoding="utf-8")
    assert main(["import", str(source), "--library", str(library)]) == 0
    out = capsys.readouterr().out
    assert "already imported as" in out and "--update" in out
    assert len([p for p in library.iterdir() if not p.name.startswith(".")]) == 1
    assert main(["import", str(source), "--update", "--library", str(library)]) == 0
    assert capsys.readouterr().out.startswith("updated ")
