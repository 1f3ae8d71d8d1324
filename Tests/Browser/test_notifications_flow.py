"""What Upward sends, as people choose it, against a real SMTP server (aiosmtpd): the junior of the demo's running
pair chooses a daily digest for meeting changes on their preferences page and moves a meeting; the senior gets the
change at once with a calendar invitation (read by the icalendar library, the same UID and SEQUENCE as the junior's
feed), the junior finds it under the bell; the senior stops those mails from the message's one-click address (the
page opened by a person, and a mail application's RFC 8058 POST); a day later the junior's digest holds the change."""
import datetime
import json
import urllib.request
from zoneinfo import ZoneInfo

import icalendar
from selenium.webdriver.common.by import By

from conftest import click, demo_logins, fill, main_text, sign_in, visit
from test_api_contract import api_token
from test_health_flow import flash, later_server, open_space, path_of, phone_check, sign_out
from test_mail_delivery import SENDER, Recorder, check_invitation, smtp, wait_for  # noqa: F401 (smtp is a fixture)


def received_by(recorder, address, subject_start):
    return [r["message"] for r in recorder.received if r["to"] == [address] and r["message"]["Subject"].startswith(subject_start)]


def api(server, token, path, data=None, method=None):
    request = urllib.request.Request(server.url + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def test_preferences_the_bell_one_click_unsubscribe_and_the_digest(server_factory, browser, smtp):
    recorder = Recorder()
    controller = smtp(recorder)
    mail = {"UPWARD_SMTP_URL": f"smtp://127.0.0.1:{controller.port}?starttls=off", "UPWARD_MAIL_FROM": SENDER}
    server = server_factory("--demo", environment=mail)
    password, _, (junior_email, _), (senior_email, senior_name) = demo_logins(server)

    # The junior chooses a daily digest for meeting changes, from their account page.
    sign_in(browser, server, junior_email, password)
    visit(browser, server.url + "/account")
    click(browser, By.LINK_TEXT, "Choose what Upward sends you")
    assert browser.find_element(By.TAG_NAME, "h1").text == "What Upward sends you"
    assert browser.find_element(By.ID, "meeting-change-email").is_selected()
    browser.find_element(By.CSS_SELECTOR, "label[for='meeting-change-daily']").click()
    click(browser, By.XPATH, "//button[normalize-space()='Save my choices']")
    assert flash(browser) == "Your choices are saved."
    assert browser.find_element(By.ID, "meeting-change-daily").is_selected()
    assert "Password reset" in main_text(browser), "the page says what always goes by email"
    phone_check(browser, "notification-preferences", at=(By.TAG_NAME, "h1"))

    # They move the next meeting to tomorrow at 10:00, their time.
    space = open_space(browser, server)
    upcoming = browser.find_element(By.XPATH, "//h3[normalize-space()='Coming up']/following-sibling::ul[1]//a")
    meeting_path = path_of(upcoming.get_attribute("href"))
    meeting_id = meeting_path.rstrip("/").split("/")[-1].lower()
    click(browser, By.XPATH, f"//a[@href='{meeting_path}']")
    zone = browser.find_element(By.CSS_SELECTOR, "label[for='time'] .hint").get_attribute("textContent").strip().strip("()")
    tomorrow = (datetime.datetime.now(ZoneInfo(zone)) + datetime.timedelta(days=1)).date()
    browser.find_element(By.XPATH, "//summary[normalize-space()='Move it to another time']").click()
    browser.execute_script("document.getElementById('date').value = arguments[0]", tomorrow.isoformat())
    browser.execute_script("document.getElementById('time').value = '10:00'")
    fill(browser, "reschedule-reason", "A clash with a board meeting.")
    click(browser, By.XPATH, "//button[normalize-space()='Move the meeting']")
    assert "A clash with a board meeting." in main_text(browser)

    # Under the junior's bell; no mail to them for it, as they chose.
    bell = browser.find_element(By.CSS_SELECTOR, "a.bell")
    assert "unread" in bell.get_attribute("aria-label") and "none" not in bell.get_attribute("aria-label")
    click(browser, By.CSS_SELECTOR, "a.bell")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Notifications"
    assert "Meeting moved to" in main_text(browser)
    phone_check(browser, "notifications", at=(By.TAG_NAME, "h1"))
    click(browser, By.XPATH, "//button[normalize-space()='Mark all read']")
    assert flash(browser) == "All notifications are marked read."
    assert "none unread" in browser.find_element(By.CSS_SELECTOR, "a.bell").get_attribute("aria-label")

    # The senior gets it at once, with the calendar's update; the junior does not.
    wait_for(lambda: received_by(recorder, senior_email, "Meeting moved to"), what="the senior's meeting mail")
    assert not received_by(recorder, junior_email, "Meeting moved to")
    message = received_by(recorder, senior_email, "Meeting moved to")[0]
    method, uid, sequence = check_invitation(message)
    assert method == "REQUEST" and uid == f"{meeting_id}@upward" and sequence >= 1

    # The junior's calendar feed holds the same event with the same sequence.
    visit(browser, server.url + "/account")
    click(browser, By.XPATH, "//button[normalize-space()='Make a calendar address']")
    address = browser.find_element(By.ID, "calendar-address").get_attribute("value")
    with urllib.request.urlopen(server.url + "/calendar/" + address.rsplit("/calendar/", 1)[1], timeout=30) as response:
        feed = icalendar.Calendar.from_ical(response.read())
    event = next(e for e in feed.walk("VEVENT") if str(e["UID"]) == uid)
    assert int(event["SEQUENCE"]) == sequence
    sign_out(browser)

    # The senior opens the message's unsubscribe address: it asks first (opening it changes nothing) …
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(server.url + "/unsubscribe/"), unsubscribe
    senior_token = api_token(server, senior_email, password, "unsubscribe test")

    def delivery_of(kind):
        return next(p["delivery"] for p in api(server, senior_token, "/api/v1/notification-preferences") if p["kind"] == kind)

    visit(browser, unsubscribe)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Stop these emails?"
    assert delivery_of("meeting.change") == "email"
    phone_check(browser, "unsubscribe", at=(By.TAG_NAME, "h1"))
    click(browser, By.XPATH, "//button[normalize-space()='Unsubscribe']")
    assert browser.find_element(By.TAG_NAME, "h1").text == "You are unsubscribed"
    assert delivery_of("meeting.change") == "in-app"
    # … and a mail application's one-click POST (RFC 8058) does the same for another kind, without a session.
    other = next(m for m in (r["message"] for r in recorder.received if r["to"] == [senior_email])
                 if m["List-Unsubscribe"] and "/meeting.change" not in m["List-Unsubscribe"])
    kind = other["List-Unsubscribe"].strip("<>").rsplit("/", 1)[1]
    request = urllib.request.Request(other["List-Unsubscribe"].strip("<>"), data=b"List-Unsubscribe=One-Click",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"}, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
    assert delivery_of(kind) == "in-app"

    # A day later: the junior's daily digest holds the change; nobody gets an empty one.
    server.stop()
    later = later_server(server, 1, environment=mail)
    wait_for(lambda: received_by(recorder, junior_email, "Your Upward daily digest"), what="the junior's digest")
    digest = received_by(recorder, junior_email, "Your Upward daily digest")[0]
    text = digest.get_body(("plain",)).get_content()
    assert "Meeting moved to" in text and later.url + "/notifications" in text
    assert digest["List-Unsubscribe"].strip("<>").endswith("/digest.daily")
    assert not received_by(recorder, senior_email, "Your Upward daily digest")
