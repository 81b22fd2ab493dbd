"""The `/demo` page in a real browser: headless Chromium (Debian's package, which `make test` installs)
driven by Playwright, against the API served by uvicorn on the suite's Neo4j. It types as a person does,
key by key, and reads what the page shows."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.helpers import message

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
#: What the page looked like at the end of the walk-through (docs/demo.png is one of these).
SCREENSHOT = Path(__file__).resolve().parents[2] / "reports" / "demo.png"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 820})
    yield context.new_page()
    context.close()


def _connect(page: Page, url: str, key: str, user_id: str) -> None:
    page.goto(f"{url}/demo/")
    page.fill("#key", key)
    page.fill("#user", user_id)
    page.fill("#companion", "lucy")
    page.click("button[type=submit]")


def test_typing_prepares_the_context_and_enter_answers_it_warm_with_facts_and_their_history(
    live_api: str, page: Page, client: TestClient, auth: dict[str, str], user_id: str
) -> None:
    said = ["I live in Seattle.", "My dog Buster had a vet visit today, he has a sore paw.", "I moved to Tokyo!"]
    for number, text in enumerate(said):
        assert client.post("/v1/messages", json=message(user_id, f"m{number}", text)).status_code == 200
    _connect(page, live_api, auth["Authorization"].removeprefix("Bearer "), user_id)
    expect(page.locator("#socket")).to_have_attribute("data-state", "open")
    expect(page.locator("#fact-list")).to_contain_text("lives in: Tokyo")

    page.locator("#message").press_sequentially("how is Buster doing after the vet?", delay=40)
    expect(page.locator("#typing")).to_contain_text("Context ready in", timeout=10_000)
    page.locator("#message").press("Enter")

    expect(page.locator("#timing")).to_contain_text("Warm from the type-ahead cache")
    first = page.locator("#memories tbody tr").first
    expect(first).to_contain_text("Buster had a vet visit")
    expect(first.locator("td.parts")).to_contain_text("semantic")
    # The text the model is given, as the context call answers it.
    expect(page.locator("#context-text")).to_contain_text("What you remember that matters now:")
    expect(page.locator("#context-text")).to_contain_text("Buster had a vet visit")
    expect(page.locator("#turns li").last).to_contain_text("stored")

    page.get_by_role("button", name="lives in: Tokyo").click()
    expect(page.locator("#history")).to_contain_text("lives in: Seattle until")
    expect(page.locator("#history")).to_contain_text("then Tokyo (current)")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_a_send_without_a_pause_is_answered_cold(
    live_api: str, page: Page, client: TestClient, auth: dict[str, str], user_id: str
) -> None:
    assert client.post("/v1/messages", json=message(user_id, "m1", "I adopted a cat named Miso.")).status_code == 200
    _connect(page, live_api, auth["Authorization"].removeprefix("Bearer "), user_id)
    expect(page.locator("#socket")).to_have_attribute("data-state", "open")
    page.locator("#message").fill("what is my cat called?")
    page.locator("#message").press("Enter")
    expect(page.locator("#timing")).to_contain_text("Cold: computed on send")
    expect(page.locator("#memories tbody")).to_contain_text("Miso")
    # Durable before the test ends: the user's deletion afterwards must not race the write.
    expect(page.locator("#turns li").last).to_contain_text("stored")


def test_an_unknown_key_is_refused_on_the_page(live_api: str, page: Page, user_id: str) -> None:
    _connect(page, live_api, "cm_0000000000000000_" + "x" * 43, user_id)
    expect(page.locator("#socket")).to_have_attribute("data-state", "error")
    expect(page.locator("#socket")).to_contain_text("unauthorized")
    expect(page.locator("#message")).to_be_disabled()


def test_at_a_phones_width_the_chat_takes_the_screen(
    live_api: str, browser: Browser, client: TestClient, auth: dict[str, str], user_id: str
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812})
    phone = context.new_page()
    try:
        _connect(phone, live_api, auth["Authorization"].removeprefix("Bearer "), user_id)
        expect(phone.locator("#socket")).to_have_attribute("data-state", "open")
        box = phone.locator("#message").bounding_box()
        assert box is not None
        assert box["width"] >= 300, box
        overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, overflow
        # The companion the page speaks as exists (made with a default persona when it was new).
        assert client.get("/v1/companions/lucy").status_code == 200
    finally:
        context.close()
