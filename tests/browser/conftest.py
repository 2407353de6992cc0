"""Browser fixtures: the app served on a local port, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "browser"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium (never a browser a tool downloads), headless."""
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-output/browser/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def accessibility():
    """Run axe-core (from npm) in a page; returns its serious and critical violations."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` in the checkout")
    source = AXE.read_text(encoding="utf-8")

    def check(page) -> list[dict]:
        # Evaluated through the browser's debugging protocol, so the page's CSP (which rightly
        # refuses inline scripts) stays as it is.
        page.evaluate(source)
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})"
        )
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return check
