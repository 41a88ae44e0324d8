"""Drives the operator's console in the system's headless Chromium through Playwright, as staff would, and checks
what it shows against the history scripts/console-test made. Exits non-zero, naming the check, on the first miss.

    console_browser.py --console URL --other-console URL --api URL --relay DIR --shots DIR --dead-job ID
                       --lift ADDRESS --carol-token JWT
"""
import argparse
import json
import os
import sys
import time
import urllib.request

from playwright.sync_api import sync_playwright

args = argparse.ArgumentParser()
for name in ("console", "other-console", "api", "relay", "shots", "dead-job", "lift", "carol-token"):
    args.add_argument("--" + name, required=True)
args = args.parse_args()


def check(condition, what):
    if not condition:
        sys.exit("console_browser: " + what)
    print("ok:", what)


def figure(page, name):
    return page.locator(f'[data-figure="{name}"]').first.inner_text().strip()


def sign_in(page, base, username, password="password123"):
    page.goto(base + "/console/sign-in")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', password)
    with page.expect_navigation():
        page.click("form[action='/console/sign-in'] button")


def relay_count():
    return len([name for name in os.listdir(args.relay) if name.endswith(".eml")])


def put_email(token, address):
    request = urllib.request.Request(args.api + "/email/", method="PUT", data=json.dumps({"email": address}).encode(),
                                     headers={"Authorization": "JWT " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
    phone = {"width": 390, "height": 844}
    chinese = {"viewport": phone, "locale": "zh-CN"}

    # Someone who is not staff: the right password, and still no console.
    visitor = browser.new_context(**chinese)
    page = visitor.new_page()
    sign_in(page, args.console, "visitor")
    check(page.url.endswith("/console/sign-in") and "不是工作人员" in page.content(),
          f"a non-staff account is refused (at {page.url}: {page.locator('main').inner_text()[:300]})")
    page.goto(args.console + "/console/")
    check(page.url.endswith("/console/sign-in"), "without a staff session the overview sends to the sign-in page")
    page.screenshot(path=f"{args.shots}/refused-not-staff.png", full_page=True)
    visitor.close()

    staff = browser.new_context(**chinese)
    page = staff.new_page()
    sign_in(page, args.console, "opsstaff", "wrong-password")
    check("用户名或密码错误" in page.content(), "a wrong password is refused")
    sign_in(page, args.console, "opsstaff")
    check(page.url.endswith("/console/"), "staff sign in and land on the overview")
    cookies = {cookie["name"]: cookie for cookie in staff.cookies()}
    session = cookies.get("meiduo_console")
    check(session is not None and session["httpOnly"] and session["sameSite"] == "Strict"
          and session["path"] == "/console" and 8 * 3600 - 60 < session["expires"] - time.time() <= 8 * 3600,
          "the session cookie is HttpOnly, SameSite=Strict, held to /console, for 8 hours")

    # The overview against the history made: alice's mail sent, opened (twice, one link) and confirmed by the
    # button; bob's and carol's refused (bounced) and dead.
    expected = {"jobs-dead": "2", "jobs-available": "0", "funnel-sent": "1", "funnel-opened": "1", "funnel-confirmed": "1",
                "confirmed-button": "1", "day-sent": "1", "day-bounced": "2", "day-verified": "1", "bounce-rate": "66.67%",
                "complaint-rate": "0.00%"}
    for name, value in expected.items():
        check(figure(page, name) == value, f"overview {name} = {value} (shows {figure(page, name)})")
    check(int(figure(page, "jobs-completed")) >= 1, "overview counts the completed job")
    check(page.locator("svg.chart").count() == 4, "four charts drawn as inline SVG")
    bars = page.locator('svg.chart rect title').all_text_contents()
    check(any(text.endswith("bounced: 2") for text in bars), "the hourly chart has a bar of 2 bounced mails")
    check(page.locator("script").count() == 0, "no script on the page")
    csp = page.request.get(args.console + "/console/").headers.get("content-security-policy", "")
    check("default-src 'none'" in csp and "script-src" not in csp, "a strict Content-Security-Policy")
    page.screenshot(path=f"{args.shots}/overview-zh.png", full_page=True)

    english = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-US",
                                  extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})
    english.add_cookies([session])
    page_en = english.new_page()
    page_en.goto(args.console + "/console/")
    check("Verification funnel" in page_en.content() and figure(page_en, "bounce-rate") == "66.67%", "the overview in English")
    page_en.screenshot(path=f"{args.shots}/overview-en.png", full_page=True)
    english.close()

    # An address's timeline, with the raw material.
    page.fill('nav input[name="email"]', "bob@example.com")
    with page.expect_navigation():
        page.click("nav form[action='/console/address'] button")
    check(page.locator('tr[data-state="bounced"]').count() == 1 and "550" in page.content(), "bob's timeline shows the 550 refusal")
    check(page.locator('[data-figure="suppressed"]').count() == 1, "bob's address shows as suppressed")
    page.screenshot(path=f"{args.shots}/address-bob.png", full_page=True)
    page.goto(args.console + "/console/address?email=alice%40example.com")
    states = [row.get_attribute("data-state") for row in page.locator("tr[data-state]").all()]
    check(states[-2:] == ["sent", "verified"] and "confirmed by button" in page.content(), f"alice's timeline ends sent, verified ({states})")

    # Retry the dead job from its page: it reaches the relay.
    before = relay_count()
    page.goto(args.console + "/console/dead")
    check(page.locator("tr[data-job]").count() == 2, "the dead jobs page lists both")
    check("550 5.1.1" in page.locator(f'tr[data-job="{args.dead_job}"]').inner_text(), "a dead job shows why it died")
    page.screenshot(path=f"{args.shots}/dead-jobs.png", full_page=True)
    with page.expect_navigation():
        page.click(f'tr[data-job="{args.dead_job}"] button')
    notice = page.locator(".notice").inner_text() if page.locator(".notice").count() else page.url
    check(f"#{args.dead_job}" in notice, f"the retry is confirmed on the page ({notice})")
    check(page.locator("tr[data-job]").count() == 1, "one dead job is left")
    for _ in range(150):
        if relay_count() > before:
            break
        time.sleep(0.2)
    check(relay_count() == before + 1, "the retried job's mail reached the relay")

    # Lift a suppression from its page: PUT /email/ takes the address again.
    check(put_email(args.carol_token, args.lift) == 422, "before the lift PUT /email/ answers 422")
    page.goto(args.console + "/console/suppressions")
    check(page.locator(f'tr[data-address="{args.lift}"]').count() == 1, "the suppressions page lists the address")
    check(page.locator('tr[data-address="bob@example.com"]').count() == 0, "the retry lifted the suppression its refusal caused")
    page.screenshot(path=f"{args.shots}/suppressions.png", full_page=True)
    with page.expect_navigation():
        page.click(f'tr[data-address="{args.lift}"] button')
    check(page.locator(f'tr[data-address="{args.lift}"]').count() == 0, "the lifted address is gone from the list")
    check(put_email(args.carol_token, args.lift) == 200, "after the lift PUT /email/ answers 200")

    # A form posted without its CSRF token, from inside the staff session.
    answer = page.request.post(args.console + "/console/dead/retry", form={"job": "all"})
    check(answer.status == 403, f"a form without its CSRF token is refused with 403 (got {answer.status})")
    answer = page.request.post(args.console + "/console/dead/retry", form={"job": "all", "csrf": "0" * 64})
    check(answer.status == 403, "a form with a wrong CSRF token is refused with 403")
    page.goto(args.console + "/console/dead")
    check(page.locator("tr[data-job]").count() == 1, "the refused forms retried nothing")

    # A cookie another SECRET_KEY signed (the other server's, for the same staff account) is refused here.
    other = browser.new_context(**chinese)
    other_page = other.new_page()
    sign_in(other_page, args.other_console, "opsstaff")
    check(other_page.url.endswith("/console/"), "staff sign in on the server with the other key")
    foreign = next(cookie for cookie in other.cookies() if cookie["name"] == "meiduo_console")
    other.close()
    stranger = browser.new_context(**chinese)
    stranger.add_cookies([{**foreign, "domain": "127.0.0.1"}])
    stranger_page = stranger.new_page()
    stranger_page.goto(args.console + "/console/")
    check(stranger_page.url.endswith("/console/sign-in"), "a cookie signed with another SECRET_KEY is refused")
    stranger.close()

    # Signing out ends the session in this browser, and on the server: a copy of the cookie taken before is refused.
    page.goto(args.console + "/console/")
    copied = [c for c in staff.cookies() if c["name"] == "meiduo_console"]
    check(len(copied) == 1, "the session cookie is there before signing out")
    thief = browser.new_context(**chinese)
    thief.add_cookies(copied)
    thief_page = thief.new_page()
    thief_page.goto(args.console + "/console/")
    check(thief_page.url.endswith("/console/"), "a copy of the cookie opens the console while the session lasts")
    with page.expect_navigation():
        page.click("form[action='/console/sign-out'] button")
    page.goto(args.console + "/console/")
    check(page.url.endswith("/console/sign-in"), "after signing out the overview sends to the sign-in page")
    thief_page.goto(args.console + "/console/")
    check(thief_page.url.endswith("/console/sign-in"), "a copy of the signed-out session's cookie is refused")
    thief.close()
    browser.close()
