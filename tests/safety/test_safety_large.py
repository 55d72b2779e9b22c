"""A large work: 300,000 words in 60 chapters opens, edits, saves, reloads and exports.

The text is generated here from a built-in word list with a fixed seed (no corpus needed),
written through the core API as the app writes it, then opened in the real window
(offscreen). Timings of the same steps are in ``bench/large_work_bench.py``.
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest

from writer.core.library import Library
from writer.core.project import Project
from writer.core.wordcount import count_words
from writer.export.base import ExportOptions
from writer.export.formats import get_format
from writer.gui.editor import document_text
from writer.gui.main_window import MainWindow
from writer.render.assembled import assemble

CHAPTERS = 60
WORDS_PER_CHAPTER = 5_000
LAST_SENTENCE = "The last lamp in Harrow went out at dawn and the sea was quiet."
EDIT = " An edit typed into the window of a very long book."
EDITED_CHAPTER = 30  # 1-based

_WORD_LIST = (
    "the a and of to in was he she it that his her they with for on at by from as but not "
    "all had were said one would there their what so up out if about who them been into "
    "could time only little more very before after over down old long great night light "
    "house harbour keeper lantern tide water stone stair window door road hill field "
    "letter morning evening winter summer river bridge ship sail storm wind rain fire "
    "voice hand face eyes heart word name brother sister mother father friend stranger "
    "captain village town market garden wall tower bell shadow silence answer question "
    "walked turned looked waited listened remembered carried climbed opened closed spoke "
    "whispered laughed wondered watched followed reached found lost kept gave took told "
    "quiet cold bright dark slow careful sudden strange gentle heavy narrow distant "
    "again still never always almost perhaps once behind beneath across toward against"
)
WORDS = _WORD_LIST.split()


def _sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def chapter_text(number: int, rng: random.Random) -> str:
    """Exactly ``WORDS_PER_CHAPTER`` words in paragraphs; the last chapter ends with
    ``LAST_SENTENCE``."""
    budget = WORDS_PER_CHAPTER
    closing = LAST_SENTENCE if number == CHAPTERS else ""
    budget -= count_words(closing)
    paragraphs: list[str] = []
    while budget > 0:
        sentences = []
        for _ in range(rng.randint(3, 7)):
            if budget <= 0:
                break
            length = min(budget, rng.randint(6, 18))
            sentences.append(_sentence(rng, length))
            budget -= length
        paragraphs.append(" ".join(sentences))
    if closing:
        paragraphs[-1] += " " + closing
    return "\n\n".join(paragraphs) + "\n"


def build_large_work(folder: Path, seed: int = 300) -> dict[str, str]:
    """The 300,000-word project; returns each chapter's id and text."""
    rng = random.Random(seed)
    project = Project.create(folder, "The Very Long Watch", first_chapter=False)
    project.set_field("author", ["Marion Lowell"])
    project.set_field("language", ["en"])
    texts: dict[str, str] = {}
    for number in range(1, CHAPTERS + 1):
        text = chapter_text(number, rng)
        node = project.add_node("chapter", f"Chapter {number}", text=text)
        texts[node.id] = text
    project.close()
    return texts


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """A modal dialog would wait forever offscreen; fail loudly instead."""
    from PySide6.QtWidgets import QMessageBox

    def refuse(*args, **_kwargs):
        raise AssertionError(f"unexpected dialog: {args[2:3]}")

    for name in ("warning", "question", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, refuse)
    monkeypatch.setattr(QMessageBox, "exec", refuse)


@pytest.mark.slow
def test_a_300000_word_work_opens_edits_saves_and_exports(qtbot, tmp_path):
    library_path = tmp_path / "lib"
    texts = build_large_work(library_path / "the-very-long-watch")
    ids = list(texts)
    assert sum(count_words(t) for t in texts.values()) == CHAPTERS * WORDS_PER_CHAPTER

    loaded = Project.load(library_path / "the-very-long-watch")
    assert loaded.total_words() == CHAPTERS * WORDS_PER_CHAPTER
    assert [n.id for n in loaded.tree.roots] == ids

    # Open it in the window and type at the end of a chapter in the middle.
    window = MainWindow(Library(library_path))
    qtbot.addWidget(window)
    try:
        window.resize(1200, 800)
        window.open_project(None)
        window.show()
        qtbot.waitExposed(window)
        assert window.current is not None and window.current.node_id == ids[0]
        assert document_text(window.current.document) == texts[ids[0]]
        project = window.project
        assert project is not None
        target = ids[EDITED_CHAPTER - 1]
        window.library_panel.select(project, target)
        assert window.current is not None and window.current.node_id == target
        window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
        window.editor.moveCursor(window.editor.textCursor().MoveOperation.Left)  # before "\n"
        qtbot.keyClicks(window.editor, EDIT)
        edited = texts[target].rstrip("\n") + EDIT + "\n"
        assert document_text(window.current.document) == edited
        assert window.save_everything()
        assert not window.documents.any_unsaved()
    finally:
        # A shown window opens the search index 2 s later in a thread; closing sooner
        # must not leave that timer to fire (its thread would outlive the window).
        window.search_start.stop()
        window.documents.autosave.stop()
        window.close()
        window.preview_controller.shutdown()
        window.search.stop()

    # Reload from disk: the edit is there, every other chapter is byte for byte the same.
    reloaded = Project.load(library_path / "the-very-long-watch")
    for doc_id, text in texts.items():
        assert reloaded.read_text(doc_id) == (edited if doc_id == target else text)
    assert reloaded.total_words() == CHAPTERS * WORDS_PER_CHAPTER + count_words(EDIT)

    # Export: the whole book, up to the last chapter's last sentence.
    work = assemble(reloaded)
    assert len(work.chapters) == CHAPTERS
    out = tmp_path / "out"
    (md_file,) = get_format("md").exporter()(work, out / "book.md", ExportOptions())
    markdown = md_file.read_text(encoding="utf-8")
    assert LAST_SENTENCE in markdown and EDIT.strip() in markdown
    assert markdown.rstrip().endswith(LAST_SENTENCE)
    (epub_file,) = get_format("epub").exporter()(work, out / "book.epub", ExportOptions())
    with zipfile.ZipFile(epub_file) as book:
        assert book.testzip() is None
        pages = [
            book.read(name).decode("utf-8")
            for name in book.namelist()
            if name.endswith((".xhtml", ".html"))
        ]
    assert sum(LAST_SENTENCE in page for page in pages) == 1
    assert sum(EDIT.strip() in page for page in pages) == 1
    assert sum("Chapter 60" in page for page in pages) >= 1
