"""Drives the verification page in the system's headless Chromium through Playwright, as a person would.

    browser_page.py click URL SCREENSHOT [NEW_PASSWORD]
        opens the page, waits for its button, (on an undo page, types NEW_PASSWORD into the optional new password
        field,) clicks it, waits for the answer and prints the final state and title (data-state, .title)
"""
import sys

from playwright.sync_api import sync_playwright

command, url, screenshot = sys.argv[1:4]
new_password = sys.argv[4] if len(sys.argv) > 4 else ""
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
    page = browser.new_page(viewport={"width": 390, "height": 700})
    page.goto(url)
    result = page.locator("#result")
    if command == "click":
        page.locator("#confirm").wait_for(state="visible", timeout=15000)
        if new_password:
            page.locator("#new-password").fill(new_password)
        page.locator("#confirm").click()
        page.wait_for_selector('#result:not([data-state="confirm"])', timeout=15000)
    else:
        sys.exit(f"unknown command {command}")
    page.screenshot(path=screenshot)
    print(result.get_attribute("data-state"), result.locator(".title").inner_text())
    browser.close()
