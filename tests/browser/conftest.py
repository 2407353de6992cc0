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


# What a phone needs of its controls (WCAG 2.5.8's 24 px targets; 16 px text, below which
# phone browsers zoom in on focus; boxes to tick have no text). Links inside running text are
# exempt, as WCAG allows.
SMALL_CONTROLS = """() => {
  const visible = (el) => {
    const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const targets = [...document.querySelectorAll(
    'button, input:not([type=hidden]), select, textarea, summary, .button, nav a')].filter(visible);
  const small = targets.filter((el) => {
    const r = el.getBoundingClientRect(); return r.width < 24 || r.height < 24; });
  const fields = [...document.querySelectorAll(
    'input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea')]
    .filter(visible);
  const tiny = fields.filter((el) => parseFloat(getComputedStyle(el).fontSize) < 16);
  const name = (el) => el.outerHTML.slice(0, 120);
  return {small: small.map(name), tiny: tiny.map(name)};
}"""


@pytest.fixture
def phone_controls():
    """The controls of a page too small to tap (under 24 px) or to read without zooming in
    (text under 16 px): {"small": [...], "tiny": [...]}, each element's opening HTML."""
    return lambda page: page.evaluate(SMALL_CONTROLS)
