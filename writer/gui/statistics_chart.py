"""A bar chart drawn with QPainter (QtCharts is not in the Essentials wheel).

Bars go up for positive values and down for negative ones from a zero line, with a
labelled value axis on "nice" steps (1, 2, 5 x 10^n), labels under the bars (thinned
when they would overlap), the value above a bar when it fits, an optional dashed
reference line, and a tooltip per bar. Every colour comes from the palette, so light and
dark themes both work.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar ("" for none)
    value: int
    tooltip: str = ""
    marked: bool = False  # drawn with an outline (today, the open session)


def nice_step(span: float, ticks: int = 5) -> int:
    """A round step (1, 2, 5 x 10^n, at least 1) giving about ``ticks`` intervals."""
    if span <= 0:
        return 1
    raw = span / max(ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return max(1, int(factor * magnitude))
    return max(1, int(10 * magnitude))


def axis_range(values: list[int], reference: float | None = None) -> tuple[int, int, int]:
    """``(low, high, step)`` covering the values, zero and the reference line."""
    points = [0, *values, *([reference] if reference is not None else [])]
    low, high = min(points), max(points)
    if low == high == 0:
        high = 10
    step = nice_step(high - low)
    return (
        int(math.floor(low / step) * step),
        int(math.ceil(high / step) * step),
        step,
    )


class BarChart(QWidget):
    """Bars for a list of values; :meth:`set_bars` replaces them."""

    def __init__(self, empty_text: str = "Nothing recorded yet", parent=None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.reference: tuple[str, float] | None = None
        self.empty_text = empty_text
        self.unit = "net words"
        self.legend = ("more words", "fewer words")
        self.setMinimumSize(420, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self._slots: list[QRectF] = []

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(640, 260)

    def set_bars(self, bars: list[Bar], reference: tuple[str, float] | None = None) -> None:
        """Show ``bars``; ``reference`` is a labelled dashed line (an average, a target)."""
        self.bars = list(bars)
        self.reference = reference
        self.update()

    # -------------------------------------------------------------- geometry

    def _layout(self) -> tuple[QRectF, int, int, int, QFontMetrics]:
        metrics = QFontMetrics(self.font())
        low, high, step = axis_range(
            [b.value for b in self.bars], self.reference[1] if self.reference else None
        )
        labels = [f"{v:,}" for v in range(low, high + 1, step)]
        left = max(metrics.horizontalAdvance(t) for t in labels) + 12
        top = metrics.height() * 2 + 4  # the axis title and legend, then half a label
        bottom = metrics.height() + 10
        plot = QRectF(left, top, self.width() - left - 16, self.height() - top - bottom)
        return plot, low, high, step, metrics

    @staticmethod
    def _y(plot: QRectF, low: int, high: int, value: float) -> float:
        return plot.bottom() - (value - low) / (high - low) * plot.height()

    # -------------------------------------------------------------- painting

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        plot, low, high, step, metrics = self._layout()
        line_height = metrics.height()
        text = palette.color(QPalette.ColorRole.Text)
        grid = palette.color(QPalette.ColorRole.Mid)
        faint = QColor(grid)
        faint.setAlpha(90)
        up = palette.color(QPalette.ColorRole.Highlight)
        down = palette.color(QPalette.ColorRole.Mid)

        # The axis title on the left and the legend on the right, above the plot.
        painter.setPen(text)
        painter.drawText(QRectF(4, 2, plot.width(), line_height), self.unit)
        right = self.width() - 10
        for colour, name in reversed(((up, self.legend[0]), (down, self.legend[1]))):
            advance = metrics.horizontalAdvance(name)
            painter.drawText(
                QRectF(right - advance, 2, advance, line_height),
                Qt.AlignmentFlag.AlignLeft,
                name,
            )
            swatch = line_height * 0.6
            painter.fillRect(
                QRectF(right - advance - swatch - 4, 2 + line_height * 0.2, swatch, swatch), colour
            )
            right -= advance + swatch + 16

        # Value axis: grid lines and labels.
        for value in range(low, high + 1, step):
            y = round(self._y(plot, low, high, value))
            painter.setPen(QPen(grid if value == 0 else faint, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            painter.drawText(
                QRectF(0, y - line_height / 2, plot.left() - 6, line_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{value:,}",
            )

        self._slots = []
        if not any(b.value for b in self.bars):
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.empty_text)
        if not self.bars:
            painter.end()
            return

        slot = plot.width() / len(self.bars)
        width = max(1.0, min(slot * 0.72, 48.0))
        zero = self._y(plot, low, high, 0)
        outline = palette.color(QPalette.ColorRole.Text)
        # Values over the bars only when every one fits: a few numbers here and there
        # read as if those bars mattered more.
        values_fit = all(
            metrics.horizontalAdvance(f"{b.value:,}") + 2 <= slot for b in self.bars if b.value
        )
        label_end = -1e9  # right edge of the last label drawn under the bars
        stride = 0
        if all(b.label for b in self.bars):
            widest = max(metrics.horizontalAdvance(b.label) for b in self.bars)
            stride = max(1, math.ceil((widest + 8) / slot))
        for i, bar in enumerate(self.bars):
            x = plot.left() + i * slot
            self._slots.append(QRectF(x, plot.top(), slot, plot.height() + line_height + 8))
            y = self._y(plot, low, high, bar.value)
            rect = QRectF(x + (slot - width) / 2, min(y, zero), width, abs(zero - y))
            if bar.value:
                painter.fillRect(rect, up if bar.value > 0 else down)
            if bar.marked:
                painter.setPen(QPen(outline, 1, Qt.PenStyle.DotLine))
                painter.drawRect(rect.adjusted(-2, -2, 2, 0) if bar.value else rect)
            if bar.value and values_fit:
                painter.setPen(text)
                above = rect.top() - line_height - 1 if bar.value > 0 else rect.bottom() + 1
                painter.drawText(
                    QRectF(x, above, slot, line_height),
                    Qt.AlignmentFlag.AlignCenter,
                    f"{bar.value:,}",
                )
            if bar.label:
                advance = metrics.horizontalAdvance(bar.label)
                left = x + slot / 2 - advance / 2
                fits = left >= plot.left() - 2 and left + advance <= self.width()
                if stride:  # every bar labelled: even steps, ending at the last bar
                    fits = fits and (len(self.bars) - 1 - i) % stride == 0
                if fits and left >= label_end + 8:
                    painter.setPen(text)
                    painter.drawText(
                        QRectF(left, plot.bottom() + 4, advance + 1, line_height),
                        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                        bar.label,
                    )
                    label_end = left + advance

        if self.reference is not None:
            name, value = self.reference
            y = round(self._y(plot, low, high, value))
            painter.setPen(QPen(text, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            painter.drawText(
                QRectF(plot.left() + 4, y - line_height - 1, plot.width() - 8, line_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                f"{name} {value:,.0f}",
            )
        painter.end()

    # -------------------------------------------------------------- tooltips

    def bar_at(self, x: float, y: float) -> int | None:
        """The index of the bar whose column holds the point, if any."""
        for i, rect in enumerate(self._slots):
            if rect.contains(QPointF(x, y)):
                return i
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()
            index = self.bar_at(pos.x(), pos.y())
            if index is not None and self.bars[index].tooltip:
                QToolTip.showText(event.globalPos(), self.bars[index].tooltip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)
