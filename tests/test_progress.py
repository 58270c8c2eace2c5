"""A long build shows a progress bar on a terminal, and nothing extra when its output is not one."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from carekg.api import _EXAMPLE_TEXTS

from .conftest import ROOT


def _corpus(folder, documents: int = 30):
    folder.mkdir()
    texts = list(_EXAMPLE_TEXTS.values())
    for number in range(documents):
        (folder / f"{number:03}.txt").write_text(texts[number % len(texts)], encoding="utf-8")
    return folder


def _command(corpus, out) -> list[str]:
    return [sys.executable, "-m", "carekg", "build", str(corpus), "-o", str(out), "--no-validate"]


def test_a_build_on_a_terminal_shows_a_progress_bar(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    main, terminal = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    build = subprocess.Popen(_command(corpus, tmp_path / "out"), cwd=ROOT, env=env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal)
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closed: the build is done
            break
        if not chunk:
            break
        seen += chunk
    os.close(main)
    assert build.wait(120) == 0
    text = seen.decode("utf-8", errors="replace")
    assert "Extracting" in text and "30/30" in text, text
    assert "Writing the store…" in text  # the later stages too, each on the same line


def test_a_build_whose_output_is_not_a_terminal_prints_no_progress(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    done = subprocess.run(_command(corpus, tmp_path / "out"), cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert "Extracting" not in done.stderr + done.stdout
    assert "\r" not in done.stderr + done.stdout
