"""``writer gui --screenshot``: a PNG of the whole window, offscreen, then exit 0."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtGui import QImage


def test_cli_screenshot_writes_png(story_library, tmp_path):
    target = tmp_path / "shot.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)  # --screenshot must go offscreen by itself
    done = subprocess.run(
        [
            sys.executable, "-m", "writer", "gui", "Harbour Lights",
            "--library", str(story_library.path),
            "--screenshot", str(target), "--size", "900x600",
        ],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    image = QImage(str(target))
    assert (image.width(), image.height()) == (900, 600)


def test_bad_size_is_one_line(tmp_path, capsys):
    from writer.cli import main

    (tmp_path / "lib").mkdir()
    code = main(
        ["gui", "--library", str(tmp_path / "lib"), "--screenshot", "x.png", "--size", "big"]
    )
    assert code == 1
    assert capsys.readouterr().err == "writer: size 'big' is not WIDTHxHEIGHT, e.g. 1400x900\n"


def test_no_display_is_one_line(tmp_path, capsys, monkeypatch):
    from writer.cli import main

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "lib").mkdir()
    assert main(["gui", "--library", str(tmp_path / "lib")]) == 1
    assert capsys.readouterr().err.startswith("writer: no display found")


def test_gui_uses_the_library_chosen_in_preferences(story_library, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from writer.gui.settings import settings_path

    settings_path().parent.mkdir(parents=True, exist_ok=True)
    store = QSettings(str(settings_path()), QSettings.Format.IniFormat)
    store.setValue("library_folder", str(story_library.path))
    store.sync()
    target = tmp_path / "chosen.png"
    done = subprocess.run(
        [sys.executable, "-m", "writer", "gui", "Harbour Lights", "--screenshot", str(target)],
        capture_output=True, text=True, timeout=120, check=False,
        env={k: v for k, v in os.environ.items() if k != "WRITER_LIBRARY"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert target.exists()
