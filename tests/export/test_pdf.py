"""PDF export: read the text back with poppler's pdftotext, page by page."""

from __future__ import annotations

import os
import pickle
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from writer.core.errors import WriterError
from writer.export import pdf_export
from writer.export.base import ExportOptions
from writer.export.formats import get_format
from writer.render.assembled import AssembledWork

# In-process tests share pytest-qt's application, as the window's exports do; the
# subprocess test covers the exporter making its own application for the CLI.
pytestmark = pytest.mark.usefixtures("qapp")

# The reader's path through the PDF, in order (whitespace is compared collapsed).
READING_ORDER = [
    "Harbour Lights",
    "by Wren Aldous",
    "Rating:",
    "Teen And Up Audiences",
    "A keeper waits out a storm.",
    "I don’t own Saltmarsh Station.",
    "Spoiler warning",
    "Spoilers for Season 2. Set after the finale.",
    "Written for a winter exchange.",
    "Part One",
    "Chapter 1: Low Tide",
    "Mara arrives.",
    "The harbour was empty when Mara came down the hill, and the bell was silent.",
    "“You’re late,” said Tobin — not unkindly… He held out a map.",
    "Keep the lamp lit.",
    "Whatever comes.",
    "She counted the boats:",
    "The tide-tables were wrong.",
    "The lamp burned until morning.",
    "They had been wrong since the storm.",
    "First chapter end note.",
    "Chapter 2: Flood",
    "Water rose over the quay. Still she waited.",
    "Thank you for reading.",
]


def require_tool(name: str) -> str:
    """The tool's path; skipped without it locally, a failure on CI."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required on CI but is missing")
    pytest.skip(f"{name} is not installed")


def pdftotext(pdf: Path, page: int | None = None) -> str:
    """The PDF's text in layout mode; one page when ``page`` is given."""
    command = [require_tool("pdftotext"), "-layout"]
    if page is not None:
        command += ["-f", str(page), "-l", str(page)]
    result = subprocess.run([*command, str(pdf), "-"], capture_output=True, text=True, check=True)
    return result.stdout


def page_count(pdf: Path) -> int:
    info = pdfinfo(pdf)
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match, info
    return int(match.group(1))


def pdfinfo(pdf: Path) -> str:
    command = [require_tool("pdfinfo"), str(pdf)]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def collapsed(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def pdf(work: AssembledWork, tmp_path: Path) -> Path:
    target = tmp_path / "out" / "Harbour Lights.pdf"
    assert pdf_export.export(work, target, ExportOptions()) == [target]
    return target


def test_pdf_holds_the_whole_work_in_order(pdf: Path) -> None:
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = collapsed(pdftotext(pdf))
    position = 0
    for expected in READING_ORDER:
        found = text.find(expected, position)
        assert found >= 0, f"{expected!r} missing or out of order in {text!r}"
        position = found + len(expected)
    for banned in ("SECRET NOTE TEXT", "TRASHED TEXT", "alert(", "<script"):
        assert banned not in text


def test_every_page_is_numbered_at_the_bottom(pdf: Path) -> None:
    pages = page_count(pdf)
    assert pages >= 3
    for number in range(1, pages + 1):
        lines = [line.strip() for line in pdftotext(pdf, number).splitlines() if line.strip()]
        assert lines and lines[-1] == str(number), lines


def test_no_page_numbers_when_turned_off(work: AssembledWork, tmp_path: Path) -> None:
    target = tmp_path / "plain.pdf"
    pdf_export.export(work, target, ExportOptions(page_numbers=False))
    lines = [line.strip() for line in pdftotext(target, 1).splitlines() if line.strip()]
    assert lines[-1] != "1"


def test_chapters_start_on_a_new_page(pdf: Path) -> None:
    pages = [collapsed(pdftotext(pdf, n)) for n in range(1, page_count(pdf) + 1)]
    first = next(i for i, text in enumerate(pages) if "Chapter 1: Low Tide" in text)
    second = next(i for i, text in enumerate(pages) if "Chapter 2: Flood" in text)
    assert "Written for a winter exchange." not in pages[first]
    assert "Harbour Lights" in pages[0] and "Chapter 1: Low Tide" not in pages[0]
    assert second > first
    assert "The lamp burned until morning." not in pages[second]
    assert "The lamp burned until morning." in pages[second - 1]
    assert pages[second].startswith("Chapter 2: Flood")


@pytest.mark.parametrize(("size", "points"), [("A4", "595 x 842"), ("Letter", "612 x 792")])
def test_page_size(work: AssembledWork, tmp_path: Path, size: str, points: str) -> None:
    target = tmp_path / f"{size}.pdf"
    pdf_export.export(work, target, ExportOptions(page_size=size))  # type: ignore[arg-type]
    match = re.search(r"^Page size:\s+(.*)$", pdfinfo(target), re.MULTILINE)
    assert match and match.group(1).startswith(points), match


def test_document_info_names_the_work(pdf: Path) -> None:
    info = pdfinfo(pdf)
    assert re.search(r"^Title:\s+Harbour Lights$", info, re.MULTILINE)


def test_progress_reaches_the_last_page(work: AssembledWork, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    pdf_export.export(work, tmp_path / "p.pdf", ExportOptions(), lambda d, t: calls.append((d, t)))
    assert calls and calls[-1][0] == calls[-1][1] >= 3


def test_registered_as_the_pdf_format() -> None:
    assert get_format("pdf").exporter() is pdf_export.export


def test_failed_export_leaves_the_old_file(
    work: AssembledWork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "book.pdf"
    target.write_bytes(b"the previous export")

    def broken(*_args: object) -> int:
        raise RuntimeError("painting failed")

    # Painting runs while the half-written PDF sits beside the target.
    monkeypatch.setattr(pdf_export, "_paint", broken)
    with pytest.raises(RuntimeError):
        pdf_export.export(work, target, ExportOptions())
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in folder.iterdir()] == ["book.pdf"]


def test_export_works_without_an_application_or_display(
    work: AssembledWork, tmp_path: Path
) -> None:
    """What the CLI does: no QApplication exists, no display, no Qt platform chosen."""
    pickled = tmp_path / "work.pickle"
    pickled.write_bytes(pickle.dumps(work))
    target = tmp_path / "cli.pdf"
    script = textwrap.dedent(
        f"""
        import pickle, sys
        from pathlib import Path
        from PySide6.QtGui import QGuiApplication
        from writer.export.base import ExportOptions
        from writer.export.pdf_export import export
        assert QGuiApplication.instance() is None
        work = pickle.loads(Path({str(pickled)!r}).read_bytes())
        export(work, Path({str(target)!r}), ExportOptions())
        print("exported", type(QGuiApplication.instance()).__name__)
        """
    )
    env = {k: v for k, v in os.environ.items()}
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "exported" in result.stdout
    assert "Chapter 2: Flood" in pdftotext(target)


def test_margins_that_leave_no_page_are_refused(work: AssembledWork, tmp_path: Path) -> None:
    target = tmp_path / "none.pdf"
    with pytest.raises(WriterError):
        pdf_export.export(work, target, ExportOptions(margin_mm=200))
    assert list(tmp_path.glob("*.pdf*")) == [] and not list(tmp_path.glob(".none.pdf.*"))


# Run as its own process: the crash this guards against happens at interpreter exit.
LONG_BOOK_SCRIPT = """
import sys
from pathlib import Path
from writer.core.metadata import WorkMeta
from writer.export.base import ExportOptions
from writer.export.pdf_export import export
from writer.render.assembled import AssembledChapter, AssembledWork, AssembleOptions

body = " ".join("the sea was grey and cold under a long sky while gulls turned".split() * 12)
chapters = []
for n in range(1, 41):
    text = "\\n\\n".join(f"P{n}x{k} {body} END{n}x{k}." for k in range(30))
    chapters.append(AssembledChapter(str(n), n, "", f"Chapter {n}", "", "", "", "", text))
work = AssembledWork(WorkMeta(title="Long"), AssembleOptions(), chapters, 1, 40)
export(work, Path(sys.argv[1]), ExportOptions())
"""


def test_a_long_book_is_complete_and_the_process_exits_cleanly(tmp_path: Path) -> None:
    """Hundreds of pages at 300 dpi: nothing truncated, and no crash at exit (PySide6 6.12
    on Python 3.11 loses a reference to None per void call; see pdf_export)."""
    target = tmp_path / "long.pdf"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run(
        [sys.executable, "-c", LONG_BOOK_SCRIPT, str(target)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert page_count(target) > 250
    words = set(pdftotext(target).split())
    missing = [
        f"{n}x{k}"
        for n in range(1, 41)
        for k in range(30)
        if f"P{n}x{k}" not in words or f"END{n}x{k}." not in words
    ]
    assert missing == []
