"""The work's language: a box of common languages that also takes any BCP-47 code.

The archive requires a valid language, so what is typed reaches the model only once it
names one; until then a warning under the box says what is wrong and which language is
still stored. Once typing is done the box shows the stored code in its usual form.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QVBoxLayout, QWidget

from writer.core import vocabulary as vocab
from writer.core.errors import WriterError
from writer.gui.metadata_editors import Loading, combo
from writer.gui.metadata_widgets import warning_label

# Common BCP-47 codes offered by the language box; any other valid code may be typed.
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("es", "Spanish"),
    ("fr", "French"),
    ("de", "German"),
    ("it", "Italian"),
    ("pt", "Portuguese"),
    ("pt-BR", "Portuguese (Brazil)"),
    ("nl", "Dutch"),
    ("pl", "Polish"),
    ("ru", "Russian"),
    ("uk", "Ukrainian"),
    ("cs", "Czech"),
    ("hu", "Hungarian"),
    ("ro", "Romanian"),
    ("el", "Greek"),
    ("tr", "Turkish"),
    ("sv", "Swedish"),
    ("da", "Danish"),
    ("nb", "Norwegian (Bokmål)"),
    ("fi", "Finnish"),
    ("ca", "Catalan"),
    ("he", "Hebrew"),
    ("ar", "Arabic"),
    ("zh", "Chinese"),
    ("zh-Hans", "Chinese (Simplified)"),
    ("zh-Hant", "Chinese (Traditional)"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("vi", "Vietnamese"),
    ("th", "Thai"),
    ("id", "Indonesian"),
    ("tl", "Filipino"),
)
_SEPARATOR = " — "


class LanguageBox(QWidget):
    """The editable language box (``language``) with its warning (``language_warning``).

    ``stored`` gives the model's language (None without a work) and ``choose`` takes a
    valid code the user typed or picked. ``scope`` is the widget within which the
    warning counts as showing: a closed section hides it.
    """

    def __init__(
        self,
        stored: Callable[[], str | None],
        choose: Callable[[str], None],
        scope: QWidget,
    ) -> None:
        super().__init__()
        self._stored = stored
        self._choose = choose
        self._scope = scope
        self._loading = Loading()
        choices = [(code, f"{code}{_SEPARATOR}{name}") for code, name in LANGUAGES]
        self.combo = combo("language", "Language", choices)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setToolTip("A BCP-47 code such as en, fr or pt-BR, or a language name")
        self.combo.editTextChanged.connect(self._on_edited)
        self.combo.lineEdit().editingFinished.connect(self._on_finished)
        self.warning = warning_label("language_warning")
        self.warning.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.combo)
        layout.addWidget(self.warning)

    def load(self, code: str, force: bool) -> None:
        """Show ``code``; without ``force`` text being typed (invalid so far) is left alone."""
        if force:
            self._show(code)
            self.warning.hide()
        elif self._shown() not in (code, None):
            self._show(code)  # changed elsewhere

    def _show(self, code: str) -> None:
        with self._loading():
            index = self.combo.findData(code)
            if index >= 0:
                self.combo.setCurrentIndex(index)
                self.combo.setEditText(self.combo.itemText(index))
            else:
                self.combo.setCurrentIndex(-1)
                self.combo.setEditText(code)

    def _code(self, text: str) -> str:
        """The code for what the box shows; raises ``WriterError`` if invalid."""
        index = self.combo.findText(text.strip(), Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return self.combo.itemData(index)
        if _SEPARATOR in text:
            text = text.split(_SEPARATOR, 1)[0]
        return vocab.canonical_language(text)

    def _shown(self) -> str | None:
        """The code the box shows, or None while it holds invalid text."""
        try:
            return self._code(self.combo.currentText())
        except WriterError:
            return None

    def _on_edited(self, text: str) -> None:
        stored = self._stored()
        if self._loading or stored is None:
            return
        try:
            code = self._code(text)
        except WriterError as error:
            message = "the archive requires a language" if not text.strip() else str(error)
            self.warning.setText(f"⚠ {message}; still {stored}")
            self.warning.show()
            return
        self.warning.hide()
        self._choose(code)

    def _on_finished(self) -> None:
        """Show the stored code in its usual form once typing is done."""
        stored = self._stored()
        if stored is None or self.warning.isVisibleTo(self._scope):
            return
        self._show(stored)
