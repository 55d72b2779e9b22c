"""Spell check in the editor: wavy underlines, suggestions, and "add to dictionary".

Three pieces:

* :class:`SpellingLayer`, a :class:`~writer.gui.highlighter.HighlightLayer` that underlines
  the misspelled words of a paragraph (merged over the Markdown formats, so a misspelled
  word in ``**bold**`` stays bold);
* :class:`SpellCheckController`, which owns the :class:`~writer.core.spelling.SpellChecker`
  of the current project (its language, its names, its dictionary), puts a layer on each
  document the editor shows and builds the context-menu actions;
* :func:`install`, which wires a controller into the main window.

Why it never makes typing lag: Qt's highlighter re-runs only the paragraphs an edit
touched, and the layer's work per paragraph is a regular expression plus one cached
dictionary lookup per word.  The expensive case is a whole-document pass (attaching the
layer, a new language, a word added to a dictionary): there the layer checks only the
paragraphs on screen and one screen above and below, and marks each paragraph it checked
(``QTextBlockUserData``) with the dictionary's generation.  When the view scrolls or
resizes, the controller re-highlights just the paragraphs that come into view unchecked
or checked against an older generation.  Paragraphs longer than :data:`MAX_BLOCK_CHARS`
are never checked.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QGuiApplication,
    QPalette,
    QTextBlock,
    QTextBlockUserData,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit

from writer.core.spelling import (
    STATE_BITS,
    WORD_RE,
    SpellChecker,
    SpellingUnavailable,
    line_state,
    mask_line,
    name_words,
    project_dictionary_path,
    scan_line,
)
from writer.gui.editor import MarkdownEditor, highlighter_for
from writer.gui.highlighter import (
    HighlightLayer,
    MarkdownHighlighter,
    SetFormat,
    Utf16Offsets,
    mix_colors,
)

__all__ = [
    "MAX_BLOCK_CHARS",
    "SpellCheckController",
    "SpellingLayer",
    "build_context_menu",
    "install",
    "spelling_colour",
]

#: Paragraphs longer than this (in characters) are not checked: one such paragraph is a
#: pasted blob, and checking it on every keystroke would be felt.
MAX_BLOCK_CHARS = 20_000
#: Paragraphs checked beyond the visible ones, at least, on each side.
MIN_MARGIN_BLOCKS = 20
#: Pause after scrolling or resizing before newly visible paragraphs are checked.
REFRESH_MS = 60
#: Suggestions shown in the context menu.
MENU_SUGGESTIONS = 6

PROJECT_ACTION_TEXT = "Add to project dictionary"
PERSONAL_ACTION_TEXT = "Add to personal dictionary"


def spelling_colour(palette: QPalette) -> QColor:
    """A red that reads on the palette's base: darker on light themes, lighter on dark."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    red = QColor("#ff6b6b") if base.lightnessF() < 0.5 else QColor("#d0312d")
    return mix_colors(red, text, 0.15)


class _SpellMark(QTextBlockUserData):
    """Set on a paragraph the layer checked: against which dictionary generation."""

    def __init__(self, generation: int) -> None:
        super().__init__()
        self.generation = generation


class SpellingLayer(HighlightLayer):
    """Underlines the misspelled words of each paragraph (SpellCheckUnderline).

    ``highlighter`` lets the layer know which paragraph it is looking at; with
    ``is_visible`` (paragraph number -> bool) it checks only the paragraphs for which that
    says yes and leaves the others for a later :meth:`SpellCheckController.refresh`.
    Without them every paragraph is checked.  The layer keeps two bits of state so that
    fenced code and HTML comments spanning paragraphs are not checked.
    """

    state_bits = STATE_BITS

    def __init__(
        self,
        checker: SpellChecker | None,
        highlighter: MarkdownHighlighter | None = None,
        is_visible: Callable[[int], bool] | None = None,
    ) -> None:
        self.checker = checker
        self.highlighter = highlighter
        self.is_visible = is_visible
        #: Paragraphs marked with another generation are checked again when shown.
        self.generation = 0
        self.format = QTextCharFormat()
        self.refresh_palette(QGuiApplication.palette())

    def refresh_palette(self, palette: QPalette) -> None:
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        fmt.setUnderlineColor(spelling_colour(palette))
        self.format = fmt

    def highlight(self, text: str, state: int, set_format: SetFormat) -> int | None:
        checker = self.checker
        block = self.highlighter.currentBlock() if self.highlighter is not None else None
        if checker is None or len(text) > MAX_BLOCK_CHARS:
            if block is not None:
                _mark(block, self.generation)  # nothing to do here until it changes
            return line_state(text, state)
        visible = self.is_visible
        if block is not None and visible is not None and not visible(block.blockNumber()):
            _mark(block, -1)
            return line_state(text, state)
        masked, state = mask_line(text, state)
        if masked is not None:
            fmt = self.format
            check = checker.check
            for match in WORD_RE.finditer(masked):
                if not check(match.group()):
                    start, end = match.span()
                    set_format(start, end - start, fmt)
        if block is not None:
            _mark(block, self.generation)
        return state

    def is_current(self, block: QTextBlock) -> bool:
        """Whether ``block`` was checked against the current generation."""
        data = block.userData()
        return isinstance(data, _SpellMark) and data.generation == self.generation


def _mark(block: QTextBlock, generation: int) -> None:
    """Record on ``block`` the generation it was checked against (-1: not checked).

    An unchecked paragraph without a mark gets none: a long document then carries marks
    only on the paragraphs that were shown.  Another feature's user data is left alone.
    """
    data = block.userData()
    if isinstance(data, _SpellMark):
        data.generation = generation
    elif data is None and generation >= 0:
        block.setUserData(_SpellMark(generation))


def _is_spelling_underline(fmt: QTextCharFormat) -> bool:
    return fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline


class SpellCheckController(QObject):
    """Spell check for one editor and the documents it shows.

    Give it the editor (:meth:`set_editor`) and the current project (:meth:`set_project`,
    or :meth:`set_language` without a project).  When a dictionary is found the document
    shown in the editor gets a :class:`SpellingLayer`; when none is, no layer is attached,
    :attr:`message` says why and :attr:`message_changed` carries it.

    Signals: ``message_changed(str)`` when the reason spell check is off changes ("" when
    it runs); ``notice(str)`` for one-off news for a status bar (a dictionary that could
    not be saved); ``active_changed(bool)``.
    """

    message_changed = Signal(str)
    notice = Signal(str)
    active_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, personal_path: Any = None) -> None:
        super().__init__(parent)
        self._personal_path = personal_path
        self._enabled = True
        self._checker: SpellChecker | None = None
        self._message = ""
        self._config: tuple[str, str] | None = None  # (language, project folder)
        self._names: set[str] = set()
        self._generation = 0
        self._layers: dict[int, tuple[QTextDocument, SpellingLayer]] = {}
        self._editor: QPlainTextEdit | None = None
        self._shown: QTextDocument | None = None
        self._range = (0, -1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh)
        #: The View menu's "Spell check" action, once :func:`install` made it.
        self.toggle_action: QAction | None = None

    # ------------------------------------------------------------ state

    @property
    def checker(self) -> SpellChecker | None:
        """The checker in use, or ``None`` when no dictionary was found."""
        return self._checker

    @property
    def message(self) -> str:
        """Why spell check is off ("" when it runs or was switched off by the author)."""
        return self._message

    def is_enabled(self) -> bool:
        """Whether the author wants spell check (the View menu's check mark)."""
        return self._enabled

    def is_active(self) -> bool:
        """Whether words are being checked: wanted, and a dictionary is there."""
        return self._enabled and self._checker is not None

    def set_enabled(self, on: bool) -> None:
        """Switch spell check on or off; off removes every underline."""
        if on == self._enabled:
            return
        was = self.is_active()
        self._enabled = on
        self._after_change(was)

    # ------------------------------------------------------------ configuration

    def set_language(
        self,
        language: str,
        *,
        names: Any = (),
        project_dictionary: Any = None,
    ) -> bool:
        """Check ``language`` (BCP-47) with these names and project dictionary file.

        Returns whether a dictionary was found; when not, spell check is off and
        :attr:`message` says what to install.  Never raises for a missing dictionary.
        """
        was = self.is_active()
        self._config = (language, str(project_dictionary or ""))
        self._names = set(names)
        try:
            self._checker = SpellChecker.for_language(
                language,
                personal_path=self._personal_path,
                project_dictionary=project_dictionary,
                names=self._names,
            )
            message = ""
        except SpellingUnavailable as error:
            self._checker = None
            message = str(error)
        if message != self._message:
            self._message = message
            self.message_changed.emit(message)
        self._after_change(was)
        return self._checker is not None

    def set_project(self, project: Any) -> None:
        """Follow a :class:`~writer.core.project.Project`: its language, names and
        dictionary.  ``None`` keeps the current settings.  Cheap when only names changed."""
        if project is None:
            return
        language = project.meta.language or "en"
        dictionary = project_dictionary_path(project.path)
        names = name_words(project.meta)
        if self._config == (language, str(dictionary)):
            self.set_names(names)
            return
        self.set_language(language, names=names, project_dictionary=dictionary)

    def set_names(self, names: Any) -> None:
        """Accept exactly these names (e.g. after the metadata changed)."""
        self._names = set(names)
        if self._checker is not None and self._checker.set_names(self._names):
            self._invalidate()

    # ------------------------------------------------------------ documents

    def layer_for(self, document: QTextDocument) -> SpellingLayer | None:
        """The spelling layer on ``document``, if it has one."""
        entry = self._layers.get(id(document))
        return entry[1] if entry is not None else None

    def attach(self, document: QTextDocument) -> SpellingLayer | None:
        """Put a spelling layer on ``document`` (made by ``create_document``) if spell
        check is active; the document's highlighter then re-runs once."""
        if not self.is_active():
            return None
        existing = self.layer_for(document)
        if existing is not None:
            return existing
        highlighter = highlighter_for(document)
        if highlighter is None:
            return None
        key = id(document)
        layer = SpellingLayer(self._checker, highlighter, partial(self._is_visible, document))
        layer.generation = self._generation
        self._layers[key] = (document, layer)
        document.destroyed.connect(partial(self._forget, key))
        if document is self._shown:
            self._update_range()
        highlighter.add_layer(layer)
        return layer

    def _forget(self, key: int, *_args: object) -> None:
        self._layers.pop(key, None)

    def detach(self, document: QTextDocument) -> None:
        """Remove the spelling layer from ``document`` (its underlines go)."""
        entry = self._layers.pop(id(document), None)
        if entry is None:
            return
        highlighter = entry[1].highlighter
        if highlighter is not None:
            highlighter.remove_layer(entry[1])

    def detach_all(self) -> None:
        for document, _layer in list(self._layers.values()):
            self.detach(document)

    # ------------------------------------------------------------ the editor

    def set_editor(self, editor: QPlainTextEdit) -> None:
        """Check the documents ``editor`` shows, as much of them as is on screen."""
        self._editor = editor
        self._shown = editor.document()
        editor.verticalScrollBar().valueChanged.connect(self.schedule_refresh)
        editor.blockCountChanged.connect(self.schedule_refresh)
        editor.viewport().installEventFilter(self)
        if isinstance(editor, MarkdownEditor):
            editor.document_changed.connect(self._on_document_changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.schedule_refresh()
        return False

    def _on_document_changed(self, document: QTextDocument) -> None:
        # Deferred: the window may change project (and language) in the same event.
        self._shown = document
        self._timer.start(0)

    def schedule_refresh(self, *_args: object) -> None:
        """Check newly visible paragraphs after a short pause (scrolling, resizing)."""
        if self.is_active():
            self._timer.start(REFRESH_MS)

    def refresh(self) -> None:
        """Attach the layer to the shown document if needed, then check the paragraphs on
        screen (and a margin) that are unchecked or were checked against older words."""
        self._timer.stop()
        editor = self._editor
        if editor is None or not self.is_active():
            return
        document = editor.document()
        self._shown = document
        layer = self.layer_for(document)
        if layer is None:
            self.attach(document)
            return
        self._update_range()
        highlighter = layer.highlighter
        if highlighter is None:
            return
        first, last = self._range
        number = max(first, 0)
        block = document.findBlockByNumber(number)
        while block.isValid() and number <= last:
            if not layer.is_current(block):
                highlighter.rehighlightBlock(block)
            block = block.next()
            number += 1

    def _update_range(self) -> None:
        editor = self._editor
        if editor is None:
            return
        if not isinstance(editor, MarkdownEditor):
            self._range = (0, editor.document().blockCount())  # no view geometry: all
            return
        first, last = editor.visible_block_range()
        margin = max(last - first + 1, MIN_MARGIN_BLOCKS)
        self._range = (first - margin, last + margin)

    def _is_visible(self, document: QTextDocument, number: int) -> bool:
        if self._editor is None:
            return True
        if document is not self._shown:
            return False
        return self._range[0] <= number <= self._range[1]

    def _after_change(self, was_active: bool) -> None:
        """The checker or the switch changed: re-check what is on screen, or clean up."""
        if not self.is_active():
            self._timer.stop()
            self.detach_all()
        else:
            self._invalidate()
        if was_active != self.is_active():
            self.active_changed.emit(self.is_active())

    def _invalidate(self) -> None:
        """The words accepted changed: every checked paragraph is out of date; those on
        screen are checked again now, the others when they come into view."""
        self._generation += 1
        for _document, layer in self._layers.values():
            layer.checker = self._checker
            layer.generation = self._generation
        self.refresh()

    # ------------------------------------------------------------ words

    def misspelling_at(self, document: QTextDocument, position: int) -> tuple[int, int, str] | None:
        """The underlined word at Qt ``position`` of ``document``: ``(start, end, word)``
        in Qt positions of the document, or ``None``."""
        checker = self._checker
        if checker is None or not self.is_active():
            return None
        block = document.findBlock(position)
        if not block.isValid():
            return None
        text = block.text()
        offsets = Utf16Offsets(text)
        here = offsets.to_py(position - block.position())
        for start, end, word in scan_line(text)[0]:
            if start <= here <= end:
                if checker.check(word):
                    return None
                qt_start = offsets.to_qt(start)
                if not self._underlined(block, qt_start):
                    return None
                base = block.position()
                return base + qt_start, base + offsets.to_qt(end), word
            if start > here:
                break
        return None

    @staticmethod
    def _underlined(block: QTextBlock, column: int) -> bool:
        layout = block.layout()
        if layout is None:
            return False
        for rng in layout.formats():
            if rng.start <= column < rng.start + rng.length and _is_spelling_underline(rng.format):
                return True
        return False

    def add_to_project_dictionary(self, word: str) -> None:
        """Accept ``word`` in this work (saved in the project's dictionary file)."""
        self._add(word, project=True)

    def add_to_personal_dictionary(self, word: str) -> None:
        """Accept ``word`` in every work (saved in the personal dictionary)."""
        self._add(word, project=False)

    def _add(self, word: str, project: bool) -> None:
        checker = self._checker
        if checker is None:
            return
        try:
            if project:
                checker.add_to_project(word)
            else:
                checker.add_to_personal(word)
        except OSError as error:
            which = "project" if project else "personal"
            self.notice.emit(f"Could not save the {which} dictionary: {error}")
        self._invalidate()

    def context_menu_actions(
        self, editor: QPlainTextEdit, position: QPoint | int, parent: QObject | None = None
    ) -> list[QAction]:
        """Actions for the word under ``position`` (a point in the editor's viewport, as
        ``customContextMenuRequested`` gives, or a Qt position in the document): its
        suggestions, then "Add to project dictionary" and "Add to personal dictionary".
        Empty when that word is not underlined.  The actions belong to ``parent`` (the
        editor by default): pass the menu so they go with it."""
        if isinstance(position, QPoint):
            position = editor.cursorForPosition(position).position()
        document = editor.document()
        found = self.misspelling_at(document, position)
        checker = self._checker
        if found is None or checker is None:
            return []
        owner = parent if parent is not None else editor
        start, end, word = found
        actions: list[QAction] = []
        suggestions = checker.suggest(word, MENU_SUGGESTIONS)
        for suggestion in suggestions:
            action = QAction(suggestion, owner)
            font = action.font()
            font.setBold(True)
            action.setFont(font)
            action.setEnabled(not editor.isReadOnly())
            action.triggered.connect(partial(_replace, document, start, end, word, suggestion))
            actions.append(action)
        if not suggestions:
            empty = QAction("No suggestions", owner)
            empty.setEnabled(False)
            actions.append(empty)
        separator = QAction(owner)
        separator.setSeparator(True)
        actions.append(separator)
        to_project = QAction(PROJECT_ACTION_TEXT, owner)
        to_project.setToolTip(f"Accept “{word}” in this work")
        to_project.setEnabled(checker.project.path is not None)
        to_project.triggered.connect(lambda *_a, w=word: self.add_to_project_dictionary(w))
        actions.append(to_project)
        to_personal = QAction(PERSONAL_ACTION_TEXT, owner)
        to_personal.setToolTip(f"Accept “{word}” in every work")
        to_personal.triggered.connect(lambda *_a, w=word: self.add_to_personal_dictionary(w))
        actions.append(to_personal)
        return actions


def _replace(
    document: QTextDocument, start: int, end: int, word: str, replacement: str, *_args: object
) -> None:
    """Replace the word at ``start..end`` with ``replacement`` as one undo step, unless
    the text moved meanwhile."""
    cursor = QTextCursor(document)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    if cursor.selectedText() != word:
        return
    cursor.insertText(replacement)


def build_context_menu(
    controller: SpellCheckController, editor: QPlainTextEdit, point: QPoint
) -> QMenu:
    """The editor's standard context menu with the spelling actions for the word at
    ``point`` (viewport coordinates) on top."""
    menu = editor.createStandardContextMenu()
    actions = controller.context_menu_actions(editor, point, parent=menu)
    if actions:
        existing = menu.actions()
        first = existing[0] if existing else None
        menu.insertActions(first, actions)
        if first is not None:
            menu.insertSeparator(first)
    return menu


def _view_menu(window: Any) -> QMenu | None:
    for action in window.menuBar().actions():
        menu = action.menu()
        if menu is not None and action.text().replace("&", "").strip().lower() == "view":
            return menu
    return None


SETTINGS_KEY = "spell_check/enabled"


def install(window: Any) -> SpellCheckController:
    """Give ``window`` spell check and return its controller.

    Uses exactly these attributes of the window:

    * ``window.editor`` (a :class:`MarkdownEditor`): the controller follows the document
      it shows (``document_changed``), its scroll bar and viewport size; its context menu
      policy becomes ``CustomContextMenu`` and ``customContextMenuRequested`` shows the
      standard menu with the spelling actions on top;
    * ``window.library_panel.current_changed(project, node)``: a change of project
      switches language, names and project dictionary;
    * ``window.project`` (optional, may be ``None``): the project shown at install time;
    * ``window.metadata.edited(project)`` (optional): names or language edited in the
      metadata panel take effect at once;
    * ``window.menuBar()``: a checkable "Spell check" action is appended to the menu
      titled "View" (none is added if there is no such menu); its state is kept in the
      window settings (``writer.gui.window_state.window_settings``);
    * ``window.statusBar()``: shows why spell check is off (no dictionary for the
      language) and dictionary save errors.

    The controller is a child of the window and is also stored as
    ``window.spellcheck``.
    """
    existing = getattr(window, "spellcheck", None)
    if isinstance(existing, SpellCheckController):
        return existing  # Installed once per window; a second call changes nothing.
    from writer.gui.window_state import window_settings  # noqa: PLC0415 - GUI-only helper

    controller = SpellCheckController(window)
    window.spellcheck = controller
    settings = window_settings()
    enabled = str(settings.value(SETTINGS_KEY, "true")).lower() not in ("false", "0")
    controller.set_enabled(enabled)

    editor = window.editor
    controller.set_editor(editor)

    def show_menu(point: QPoint) -> None:
        menu = build_context_menu(controller, editor, point)
        menu.exec(editor.viewport().mapToGlobal(point))
        menu.deleteLater()

    editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    editor.customContextMenuRequested.connect(show_menu)

    status = window.statusBar()

    def tell(message: str) -> None:
        if message and status is not None:
            status.showMessage(message, 15_000)

    controller.message_changed.connect(tell)
    controller.notice.connect(tell)

    view = _view_menu(window)
    action = QAction("S&pell check", window)
    action.setCheckable(True)
    action.setChecked(enabled)
    action.setStatusTip("Underline misspelled words in the editor")

    def toggled(on: bool) -> None:
        window_settings().setValue(SETTINGS_KEY, "true" if on else "false")
        controller.set_enabled(on)
        if on:
            tell(controller.message)

    action.toggled.connect(toggled)
    controller.message_changed.connect(
        lambda message: action.setToolTip(message or "Underline misspelled words")
    )
    if view is not None:
        view.addSeparator()
        view.addAction(action)
    controller.toggle_action = action

    def project_changed(project: Any, _node: Any = None) -> None:
        controller.set_project(project)

    window.library_panel.current_changed.connect(project_changed)
    metadata = getattr(window, "metadata", None)
    edited = getattr(metadata, "edited", None)
    if edited is not None:
        edited.connect(
            lambda project: (
                controller.set_project(project)
                if project is getattr(window, "project", None)
                else None
            )
        )
    controller.set_project(getattr(window, "project", None))
    if controller.message:
        tell(controller.message)
    controller.refresh()
    return controller
