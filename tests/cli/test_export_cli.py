"""``writer export``: formats, output paths, options, chapter subsets and errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "export"))
from conftest import build_story  # noqa: E402

from writer.cli import main  # noqa: E402


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    build_story(tmp_path / "lib" / "harbour-lights")
    return tmp_path / "lib"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_markdown_to_named_file(capsys, lib, tmp_path):
    target = tmp_path / "out" / "story.md"
    code, out, err = run(
        capsys, "export", "Harbour Lights", "-f", "md", "-o", str(target), "--library", str(lib)
    )
    assert code == 0, err
    assert out.strip() == str(target)
    assert "## Chapter 1: Low Tide" in target.read_text(encoding="utf-8")


def test_default_output_is_slug_in_current_folder(capsys, lib, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "--library", str(lib), "export", "harbour-lights", "-f", "txt")
    assert code == 0
    assert Path(out.strip()) == tmp_path / "harbour-lights.txt"


def test_archive_export_writes_folder_and_reports_checks(capsys, lib, tmp_path):
    target = tmp_path / "posting"
    run(capsys, "set", "harbour-lights", "rating", "--clear", "--library", str(lib))
    code, out, err = run(
        capsys, "export", "harbour-lights", "-f", "ao3", "-o", str(target), "--library", str(lib)
    )
    assert code == 0
    assert {Path(line).name for line in out.split()} == {"work.html", "fields.txt"}
    assert "warning: rating is required by the archive" in err


def test_chapter_subset_and_heading_options(capsys, lib, tmp_path):
    from writer.core.project import Project

    project = Project.load(lib / "harbour-lights")
    second = project.tree.roots[0].children[1].id
    target = tmp_path / "ch2.md"
    code, _, err = run(
        capsys, "export", "harbour-lights", "-f", "md", "-o", str(target),
        "--chapters", second, "--headings", "titles", "--no-disclaimer", "--library", str(lib),
    )  # fmt: skip
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert "## Flood" in text and "Low Tide" not in text and "Disclaimer" not in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "harbour-lights", "-f", "md", "--chapters", "nope"], "no chapter with id"),
        (["export", "Nothing", "-f", "md"], "no project 'Nothing'"),
    ],
)
def test_export_errors_are_one_line(capsys, lib, argv, message):
    code, _, err = run(capsys, *argv, "--library", str(lib))
    assert code == 1
    assert message in err and err.count("\n") == 1


def test_unknown_format_is_refused(capsys, lib):
    with pytest.raises(SystemExit) as stop:
        main(["export", "harbour-lights", "-f", "rtf", "--library", str(lib)])
    assert stop.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_archive_target_that_is_a_file(capsys, lib, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("keep", encoding="utf-8")
    code, _, err = run(
        capsys, "export", "harbour-lights", "-f", "ao3", "-o", str(target), "--library", str(lib)
    )
    assert code == 1 and "writes into a folder" in err
    assert target.read_text(encoding="utf-8") == "keep"
