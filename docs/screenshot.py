"""Screenshot an HTML page of SAC-KG's graph in headless chromium: python docs/screenshot.py PAGE.html OUT.png"""

import sys

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def main(page_path: str, png: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"file://{page_path}")
        page.wait_for_function("window.sackg && window.sackg.stable", timeout=120000)
        page.wait_for_timeout(300)
        page.screenshot(path=png)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
