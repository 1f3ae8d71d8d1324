"""The pairing's shared space on the demo, as its two members use it in Chromium: the agreement changes and both
sign again, a goal is set in each direction and one revised, a meeting is moved and then held with a private note
and a shared one, the partner sees only the shared note, the calendar feed (parsed with the `icalendar` library)
shows the moved meeting with a higher SEQUENCE, the cancelled one as CANCELLED and every time as the pages show it,
across a daylight-saving change; the coordinator sees signed and held counts but none of the pair's words."""
import datetime
import re
import urllib.request
from zoneinfo import ZoneInfo

import icalendar
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import demo_logins, click, fill, main_text, screenshot, sign_in, visit

PROGRAMME = "Leadership lab"
PRIVATE = "Private: I talked too much; ask more next time."
SHARED = "Shared: thank you, the shortcuts already save me time."


def open_space(browser, server):
    visit(browser, server.url + "/")
    links = [a for a in browser.find_elements(By.CSS_SELECTOR, "main a[href^='/pairings/']")
             if re.fullmatch(r"/pairings/[0-9A-Fa-f-]{36}", a.get_attribute("href").replace(server.url, ""))]
    assert links, "the home page links to the pairing's space"
    click(browser, By.CSS_SELECTOR, f"main a[href='{links[0].get_attribute('href').replace(server.url, '')}']")
    assert PROGRAMME in main_text(browser)
    return browser.current_url


def phone_check(browser, name):
    """At 390 px the page fits without sideways scrolling; axe runs on it too."""
    size = browser.get_window_size()
    browser.set_window_size(390, 900)
    wide = browser.execute_script("return document.documentElement.scrollWidth > document.documentElement.clientWidth")
    screenshot(browser, name + "-390")
    browser.set_window_size(size["width"], size["height"])
    assert not wide, f"{name} scrolls sideways at 390 px"


def test_both_members_work_in_their_space_and_the_feed_follows(server_factory, browser):
    server = server_factory("--demo")
    password, coordinator, (junior_email, junior_name), (senior_email, senior_name) = demo_logins(server)

    # The junior opens the pairing's space from home: the partner's card, the next meeting.
    sign_in(browser, server, junior_email, password)
    space = open_space(browser, server)
    text = main_text(browser)
    assert senior_name in text and "Your next step" in text
    phone_check(browser, "space")

    # The agreement changes (a new version), and the junior signs it.
    click(browser, By.LINK_TEXT, "Read the agreement")
    browser.find_element(By.XPATH, "//summary[normalize-space()='Edit the text']").click()
    fill(browser, "place", "The small room on floor 3, or a video call when one of us travels.")
    click(browser, By.XPATH, "//button[normalize-space()='Save the change']")
    assert "Version 2" in main_text(browser) or "version 2" in main_text(browser)
    click(browser, By.XPATH, "//button[normalize-space()='Sign version 2']")
    assert senior_name in browser.find_element(By.ID, "agreement-state").text
    phone_check(browser, "agreement")

    # A goal where the junior learns.
    visit(browser, space)
    click(browser, By.LINK_TEXT, "Set a goal")
    browser.find_element(By.ID, "learner-mentor").click()
    fill(browser, "title", "Understand how a board paper is written")
    fill(browser, "measure", "I draft one and the senior would send it.")
    click(browser, By.XPATH, "//button[normalize-space()='Set the goal']")
    assert "Understand how a board paper is written" in main_text(browser)

    # The next planned meeting: moved to yesterday at 10:00 (the junior's time), then held, with two notes.
    visit(browser, space)
    upcoming = browser.find_element(By.XPATH, "//h3[normalize-space()='Coming up']/following-sibling::ul[1]//a")
    meeting_path = upcoming.get_attribute("href")
    meeting_id = meeting_path.rstrip("/").split("/")[-1].lower()
    click(browser, By.XPATH, f"//a[@href='{meeting_path.replace(server.url, '')}']")
    zone = browser.find_element(By.CSS_SELECTOR, "label[for='time'] .hint").get_attribute("textContent").strip().strip("()")
    yesterday = (datetime.datetime.now(ZoneInfo(zone)) - datetime.timedelta(days=1)).date()
    browser.find_element(By.XPATH, "//summary[normalize-space()='Move it to another time']").click()
    browser.execute_script("document.getElementById('date').value = arguments[0]", yesterday.isoformat())
    browser.execute_script("document.getElementById('time').value = '10:00'")
    fill(browser, "reschedule-reason", "We met earlier, by chance in the canteen.")
    click(browser, By.XPATH, "//button[normalize-space()='Move the meeting']")
    assert "We met earlier" in main_text(browser)
    click(browser, By.XPATH, "//button[normalize-space()='We held it']")
    assert browser.find_element(By.ID, "meeting-status").text.lower() == "held"
    fill(browser, "note-text", PRIVATE)
    click(browser, By.XPATH, "//form[contains(@class,'note-form')]//button")
    fill(browser, "note-text", SHARED)
    browser.find_element(By.ID, "note-shared").click()
    click(browser, By.XPATH, "//form[contains(@class,'note-form')]//button")
    assert PRIVATE in main_text(browser) and SHARED in main_text(browser)
    phone_check(browser, "meeting")

    # The junior's calendar feed, subscribed to by address: parsed with the icalendar library.
    visit(browser, server.url + "/account")
    click(browser, By.XPATH, "//button[normalize-space()='Make a calendar address']")
    address = browser.find_element(By.ID, "calendar-address").get_attribute("value")
    feed_url = server.url + "/calendar/" + address.rsplit("/calendar/", 1)[1]

    # The senior: signs version 2, sees only the shared note, revises the demo's goal with a reason.
    sign_in(browser, server, senior_email, password)
    visit(browser, space)
    click(browser, By.LINK_TEXT, "Read and sign the agreement")
    click(browser, By.XPATH, "//button[normalize-space()='Sign version 2']")
    assert "Signed by everyone" in browser.find_element(By.ID, "agreement-state").text
    visit(browser, meeting_path)
    text = main_text(browser)
    assert SHARED in text and PRIVATE not in text
    visit(browser, space)
    click(browser, By.LINK_TEXT, "Use our analytics dashboard without help")
    fill(browser, "progress", "90")
    fill(browser, "why", "Built the sales view alone on Monday.")
    click(browser, By.XPATH, "//button[normalize-space()='Save the change']")
    assert "Built the sales view alone on Monday." in main_text(browser)
    assert "Progress 67% → 90%" in main_text(browser)
    phone_check(browser, "goal")

    # The feed: every meeting once, the moved one at its new time with a higher sequence, the demo's cancelled one.
    with urllib.request.urlopen(feed_url) as response:
        assert response.headers["Content-Type"].startswith("text/calendar")
        body = response.read()
    assert b"\r\n" in body and all(len(line) <= 75 for line in body.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar.get("METHOD")) == "PUBLISH"
    events = {str(e.get("UID")): e for e in calendar.walk("VEVENT")}
    moved = events[f"{meeting_id}@upward"]
    assert int(moved.get("SEQUENCE")) >= 1
    start = moved.decoded("DTSTART")
    assert start.tzinfo is not None
    assert start.astimezone(ZoneInfo(zone)).replace(tzinfo=None) == datetime.datetime.combine(yesterday, datetime.time(10, 0))
    assert any(str(e.get("STATUS")) == "CANCELLED" and int(e.get("SEQUENCE")) >= 1 for e in events.values())

    # Every meeting of the space, as the page lists it in the member's own zone, is at the feed's time — across the
    # daylight-saving change the programme's months span, when they span one.
    sign_in(browser, server, junior_email, password)
    visit(browser, space)
    offsets, moments = set(), []
    for item in browser.find_elements(By.CSS_SELECTOR, "#meetings li.item"):
        link = item.find_element(By.CSS_SELECTOR, "a[href*='/meetings/']")
        uid = link.get_attribute("href").rstrip("/").split("/")[-1].lower() + "@upward"
        shown = item.find_element(By.TAG_NAME, "time")
        when = events[uid].decoded("DTSTART")
        assert when == datetime.datetime.fromisoformat(shown.get_attribute("datetime").replace("Z", "+00:00"))
        local = when.astimezone(ZoneInfo(zone))
        assert shown.text == local.strftime("%a %-d %b %Y, %H:%M"), (shown.text, local)
        offsets.add(local.utcoffset())
        moments.append(when)
    # The demo's dates follow today's, so whether its months span a change depends on the day the test runs: when the
    # first and last meetings fall on either side of one, both offsets are shown (the Swift tests fix a clock that does).
    first, last = min(moments), max(moments)
    if first.astimezone(ZoneInfo(zone)).utcoffset() != last.astimezone(ZoneInfo(zone)).utcoffset():
        assert len(offsets) == 2, f"the meetings in {zone} straddle its daylight-saving change"

    # The coordinator: signed and held counts for the pair, none of its words.
    sign_in(browser, server, coordinator, password)
    visit(browser, server.url + "/programmes")
    click(browser, By.LINK_TEXT, PROGRAMME)
    click(browser, By.LINK_TEXT, "Pairings")
    text = main_text(browser)
    row = browser.find_element(By.XPATH, f"//table[@id='pairings']//tr[td[contains(., '{junior_name}')]]")
    agreement = row.find_element(By.CSS_SELECTOR, "td[data-label='Agreement']").text
    assert "2" in agreement and "signed" in agreement.lower(), agreement
    held = re.search(r"(\d+) of (\d+)", row.find_element(By.CSS_SELECTOR, "td[data-label='Meetings held of due']").text)
    assert held and int(held.group(1)) == 3, row.text
    for words in (PRIVATE, SHARED, "board paper", "floor 3", "sales view", "canteen"):
        assert words not in text
    phone_check(browser, "pairings-overview")
    # And the space itself is not the coordinator's to open.
    visit(browser, space)
    assert PRIVATE not in main_text(browser) and SHARED not in main_text(browser)
    assert "no pairing" in main_text(browser).lower()
