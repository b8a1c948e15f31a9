"""Headless Chromium on a page file: print it to PDF, take a screenshot, or read back its DOM.

The pages need no browser; this is for printing them without a person at a browser, and for tests.
`CADRE_LEDGER_BROWSER` names the executable when it is not on the PATH as chromium or chrome.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

BROWSER_ENV = "CADRE_LEDGER_BROWSER"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
# Quiet and offline: no first-run pages, no updates, no sync, no network of its own.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio")
TIMEOUT = 90.0


class BrowserError(RuntimeError):
    """The browser could not be found or did not produce what was asked."""


def find_browser() -> str | None:
    """The Chromium executable: CADRE_LEDGER_BROWSER, else the first of CANDIDATES on the PATH, else None."""
    named = os.environ.get(BROWSER_ENV, "").strip()
    if named:
        return shutil.which(named) or (named if os.access(named, os.X_OK) else None)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(page: Path, *args: str, browser: str | None = None) -> subprocess.CompletedProcess[str]:
    executable = browser or find_browser()
    if executable is None:
        raise BrowserError(f"no Chromium found: install chromium, or set {BROWSER_ENV} to its path")
    with tempfile.TemporaryDirectory(prefix="cadre-ledger-browser-") as profile:
        command = [executable, *FLAGS, f"--user-data-dir={profile}", *args, Path(page).resolve().as_uri()]
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise BrowserError(f"{executable} did not finish within {TIMEOUT:.0f} s") from None


def _made(path: Path, done: subprocess.CompletedProcess[str]) -> Path:
    if not path.exists() or path.stat().st_size == 0:
        raise BrowserError(f"the browser wrote no {path.name} (exit {done.returncode}): {done.stderr[-500:]}")
    return path


def print_to_pdf(page: Path, pdf: Path, browser: str | None = None) -> Path:
    """Print `page` to `pdf` the way a person's "Save as PDF" does, without the browser's own header."""
    pdf = Path(pdf)
    pdf.unlink(missing_ok=True)
    done = _run(page, "--no-pdf-header-footer", f"--print-to-pdf={pdf.resolve()}", browser=browser)
    return _made(pdf, done)


def screenshot(page: Path, png: Path, width: int = 860, height: int = 1220, scale: float = 1.0,
               browser: str | None = None) -> Path:
    """A PNG of the top `width` × `height` CSS pixels of `page` on screen, at `scale` device pixels each."""
    png = Path(png)
    png.unlink(missing_ok=True)
    done = _run(page, f"--screenshot={png.resolve()}", f"--window-size={width},{height}",
                f"--force-device-scale-factor={scale}", browser=browser)
    return _made(png, done)


def dump_dom(page: Path, browser: str | None = None) -> str:
    """The page's DOM as the browser built it, serialised as HTML."""
    done = _run(page, "--dump-dom", browser=browser)
    if "<html" not in done.stdout:
        raise BrowserError(f"the browser dumped no DOM (exit {done.returncode}): {done.stderr[-500:]}")
    return done.stdout
