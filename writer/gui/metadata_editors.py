"""The metadata panel's editors: how each is made, wired to a slot, and loaded.

Every editor of the panel is made here, so that the work and the document fields behave
alike: object and accessible names set the same way, and a change reaching its slot as
a plain value (text, list, chosen value, or None for an empty count). Loaders leave an
editor alone when it already shows the model's value, so the cursor and the undo history
of the field being typed in survive a refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from writer.gui.list_field import CheckList, ListField
from writer.gui.metadata_values import WORD_GOAL_MAX, link_key, normalise_link
from writer.gui.metadata_widgets import Combo, Spin
from writer.gui.text_field import TextField

Apply = Callable[[str, object], None]


class Loading:
    """Whether values are being put into editors, whose change signals are then no edits."""

    def __init__(self) -> None:
        self.active = False

    def __bool__(self) -> bool:
        return self.active

    @contextmanager
    def __call__(self) -> Iterator[None]:
        self.active = True
        try:
            yield
        finally:
            self.active = False


def setter(
    apply: Apply, name: str, clean: Callable[[str], str] | None = None
) -> Callable[[object], None]:
    """A slot that hands an editor's value to ``apply`` as field ``name``, cleaned if text."""

    def slot(value: object) -> None:
        apply(name, clean(value) if clean and isinstance(value, str) else value)

    return slot


def line(name: str, label: str, on_change: Callable[[str], None]) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(label)
    edit.textChanged.connect(on_change)
    return edit


def combo(
    name: str,
    label: str,
    choices: list[tuple[str, str]],
    on_change: Callable[[object], None] | None = None,
) -> Combo:
    """A box of ``(value, text)`` choices; ``on_change`` gets the chosen value."""
    box = Combo()
    box.setObjectName(name)
    box.setAccessibleName(label)
    for value, text in choices:
        box.addItem(text, value)
    box.setProperty("choices", box.count())
    if on_change is not None:
        box.currentIndexChanged.connect(lambda: on_change(box.currentData()))
    return box


def spin(
    name: str,
    label: str,
    maximum: int,
    special: str,
    on_change: Callable[[int | None], None],
    step: int = 1,
) -> Spin:
    """A count from 0 to ``maximum``; 0 shows as ``special`` and reaches ``on_change`` as None."""
    box = Spin()
    box.setObjectName(name)
    box.setAccessibleName(label)
    box.setRange(0, maximum)
    box.setSingleStep(step)
    box.setSpecialValueText(special)
    box.setGroupSeparatorShown(True)
    box.valueChanged.connect(lambda value: on_change(value or None))
    return box


def word_goal_spin(
    name: str, label: str, step: int, on_change: Callable[[int | None], None]
) -> Spin:
    """A word goal for the work or a document: none (0) up to ``WORD_GOAL_MAX`` words."""
    box = spin(name, label, WORD_GOAL_MAX, "none", on_change, step=step)
    box.setSuffix(" words")
    return box


def check_list(
    choices: Iterable[str],
    name: str,
    label: str,
    on_change: Callable[[list[str]], None],
    flow: bool = False,
) -> CheckList:
    field = CheckList(choices, name, flow=flow)
    field.setAccessibleName(label)
    field.changed.connect(lambda: on_change(field.values()))
    return field


def list_field(
    name: str,
    placeholder: str,
    on_change: Callable[[list[str]], None],
    **options,
) -> ListField:
    field = ListField(name, placeholder, **options)
    field.setAccessibleName(name.replace("_", " "))
    field.changed.connect(lambda: on_change(field.values()))
    return field


def links_field(name: str, on_change: Callable[[list[str]], None]) -> ListField:
    """Where a work or a chapter is posted: one ``site=address`` a line, no duplicates."""
    return list_field(
        name,
        "site=https://…, press Enter",
        on_change,
        separator=None,
        normalise=normalise_link,
        key=link_key,
    )


def text_field(
    label: str,
    name: str,
    on_change: Callable[[str], None],
    limit: int | None = None,
    lines: int = 4,
    note: str = "",
    button: QWidget | None = None,
) -> TextField:
    field = TextField(label, name, limit, lines, note)
    field.setObjectName(f"{name}_field")
    if button is not None:
        field.add_header_widget(button)
    field.changed.connect(lambda: on_change(field.text()))
    return field


# ------------------------------------------------------------------ loading


# ------------------------------------------------------------------ loading


def put_line(edit: QLineEdit, text: str, force: bool) -> None:
    if force or edit.text().strip() != text:
        edit.setText(text)


def put_text(field: TextField, text: str, force: bool) -> None:
    if force or field.text() != text:
        field.set_text(text)


def put_list(field: ListField, values: list[str], force: bool) -> None:
    if force or field.values() != values:
        field.set_values(values)


def select(box: QComboBox, value: str) -> None:
    """Choose ``value``; a value the list lacks (hand-edited file) is shown, not lost."""
    while box.count() > int(box.property("choices") or box.count()):
        box.removeItem(box.count() - 1)  # an unknown value of an earlier load
    index = box.findData(value)
    if index < 0:
        box.addItem(f"{value} (unknown)", value)
        index = box.count() - 1
    box.setCurrentIndex(index)
