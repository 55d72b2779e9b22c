"""Export as plain text: the Markdown export with every bit of markup removed."""

from __future__ import annotations

from pathlib import Path

from writer.export.base import ExportOptions, Progress, write_output
from writer.export.markdown_export import work_to_markdown
from writer.render.assembled import AssembledWork
from writer.render.plaintext import markdown_to_plain


def export(
    work: AssembledWork, target: Path, options: ExportOptions, progress: Progress | None = None
) -> list[Path]:
    """Write the work as UTF-8 plain text."""
    text = markdown_to_plain(work_to_markdown(work, progress)).rstrip("\n") + "\n"
    return [write_output(target, text.encode("utf-8"))]
