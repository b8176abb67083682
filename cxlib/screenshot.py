"""PNG screenshot of a report in headless Chromium, for the README.

Usage::

    python -m cxlib.screenshot reports/00_data_health.html docs/report.png [--height 2000] [--width 1280]

Uses Playwright (``pip install -e '.[dev]'``) with the system's Chromium (``chromium`` on ``PATH``, or
``--browser /path/to/chrome``); it never downloads a browser. The page is opened from ``file://`` with
every non-local request blocked, so the picture shows what an offline reader sees.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["CHROMIUM_ARGS", "find_chromium", "take_screenshot", "main"]

#: Flags for a quiet, offline headless Chromium (also used by the browser tests).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome executable on ``PATH``, or ``None``.

    Examples
    --------
    >>> find_chromium() is None or Path(find_chromium()).exists()
    True
    """
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def take_screenshot(html_path: str | Path, png_path: str | Path, *, width: int = 1280, max_height: int = 2000,
                    browser: str | None = None, settle_ms: int = 500) -> Path:
    """Open ``html_path`` in headless Chromium and save a PNG of the page (at most ``max_height`` px tall).

    Returns the PNG path. Raises ``FileNotFoundError`` for a missing report or browser.

    Examples
    --------
    >>> take_screenshot("reports/00_data_health.html", "docs/report.png")  # doctest: +SKIP
    PosixPath('docs/report.png')
    """
    from playwright.sync_api import sync_playwright

    src = Path(html_path).resolve()
    if not src.is_file():
        raise FileNotFoundError(f"report not found: {html_path}")
    exe = browser or find_chromium()
    if not exe:
        raise FileNotFoundError("no chromium on PATH; install it (e.g. apt-get install chromium) or pass --browser")
    out = Path(png_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            page = b.new_page(viewport={"width": width, "height": min(max_height, 1000)})
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(LOCAL_SCHEMES)
                       else route.abort())
            page.goto(src.as_uri(), wait_until="load")
            page.wait_for_timeout(settle_ms)  # plotly draws after load
            full = page.evaluate("document.documentElement.scrollHeight")
            height = max(1, min(int(full), max_height))
            page.screenshot(path=str(out), clip={"x": 0, "y": 0, "width": width, "height": height}, full_page=True)
        finally:
            b.close()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m cxlib.screenshot", description="PNG screenshot of an HTML report.")
    p.add_argument("html", help="report HTML, e.g. reports/00_data_health.html")
    p.add_argument("png", help="output PNG, e.g. docs/report.png")
    p.add_argument("--width", type=int, default=1280, help="viewport width in px (default 1280)")
    p.add_argument("--height", type=int, default=2000, help="keep at most this many px from the top (default 2000)")
    p.add_argument("--browser", default=None, help="Chromium executable (default: chromium on PATH)")
    args = p.parse_args(argv)
    try:
        out = take_screenshot(args.html, args.png, width=args.width, max_height=args.height, browser=args.browser)
    except (FileNotFoundError, ImportError) as exc:
        print(f"screenshot: error: {exc}", file=sys.stderr)
        return 2
    print(f"screenshot: wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
