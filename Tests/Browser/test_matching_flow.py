"""Matching on the demo organisation, from the coordinator's run to two people who both said yes: run, inspect an
explanation, pair by hand (a pin), re-run keeping it, publish; one participant accepts, the partner declines;
re-match; both accept; the pairing is active."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import click, main_text, screenshot, sign_in, visit

PROGRAMME = "Culture exchange"


def open_matching(browser, server):
    visit(browser, server.url + "/programmes")
    click(browser, By.LINK_TEXT, PROGRAMME)
    click(browser, By.LINK_TEXT, "Matching")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Matching"


def my_match(browser, server, email, password):
    sign_in(browser, server, email, password)
    visit(browser, server.url + "/programmes")
    click(browser, By.LINK_TEXT, PROGRAMME)
    click(browser, By.LINK_TEXT, "Your match")


def test_run_pin_rerun_publish_consent_rematch(server_factory, browser):
    server = server_factory("--demo")
    password = server.output_matching(r"password: (\S+)\)").group(1)
    coordinator = server.output_matching(r"coordinator\s+(\S+@demo\.upward\.example)").group(1)
    junior = server.output_matching(r"participant\s+(\S+)\s+— ([^,]+), a junior who can mentor upward")
    senior = server.output_matching(r"participant\s+(\S+)\s+— ([^,]+), a senior leader who can learn")
    other = server.output_matching(r"participant\s+(\S+)\s+— ([^,]+), another junior")
    junior_email, junior_name = junior.group(1), junior.group(2)
    senior_email, senior_name = senior.group(1), senior.group(2)
    other_email, other_name = other.group(1), other.group(2)

    # The coordinator sees the demo's finished run and inspects an explanation.
    sign_in(browser, server, coordinator, password)
    open_matching(browser, server)
    assert "Skill coverage" in main_text(browser)          # criteria with their weights
    click(browser, By.LINK_TEXT, "Run 1")
    assert "Nothing reaches participants until you publish." in main_text(browser)
    row = browser.find_element(By.XPATH, "//table[contains(@class,'proposals')]//tr[td]")
    row.find_element(By.XPATH, ".//summary").click()
    assert "To " in row.text and "Strongest:" in row.text

    # Pin a pair that does not involve the demo sign-ins: it stays in every re-run.
    others = f"not(td[1][normalize-space()='{senior_name}']) and not(td[2][normalize-space()='{junior_name}']) and not(td[2][normalize-space()='{other_name}'])"
    kept = browser.find_element(By.XPATH, f"//table[contains(@class,'proposals')]//tr[td and {others}]")
    kept_mentee, kept_mentor = kept.find_element(By.XPATH, "td[1]").text, kept.find_element(By.XPATH, "td[2]").text
    click(browser, By.CSS_SELECTOR, f'button[aria-label="Pin {kept_mentee} and {kept_mentor}"]')
    assert "Pin changed" in main_text(browser)
    assert browser.find_element(By.CSS_SELECTOR, f'button[aria-label="Unpin {kept_mentee} and {kept_mentor}"]')

    # Pair the senior with the first junior by hand (kept as a pin), then re-run keeping both.
    Select(browser.find_element(By.ID, "pair-mentee")).select_by_visible_text(senior_name)
    Select(browser.find_element(By.ID, "pair-mentor")).select_by_visible_text(junior_name)
    click(browser, By.XPATH, "//button[normalize-space()='Pair them']")
    assert "Paired by hand" in main_text(browser)
    pair = browser.find_element(By.XPATH, f"//tr[td[1][normalize-space()='{senior_name}'] and td[2][normalize-space()='{junior_name}']]")
    assert "pinned" in pair.text and "by hand" in pair.text
    click(browser, By.XPATH, "//button[normalize-space()='Re-run keeping pins']")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Run 2"
    pair = browser.find_element(By.XPATH, f"//tr[td[1][normalize-space()='{senior_name}'] and td[2][normalize-space()='{junior_name}']]")
    assert "pinned" in pair.text
    still = browser.find_element(By.XPATH, f"//tr[td[1][normalize-space()='{kept_mentee}'] and td[2][normalize-space()='{kept_mentor}']]")
    assert "pinned" in still.text
    screenshot(browser, "20-run-2")
    click(browser, By.XPATH, "//button[normalize-space()='Publish to participants']")
    assert "cannot be changed" in main_text(browser)  # an irreversible step asks first, without JavaScript
    click(browser, By.XPATH, "//button[normalize-space()='Publish the proposals']")
    assert "Published" in main_text(browser)
    assert "waiting for answers" in browser.find_element(By.ID, "consent-counts").text
    runs = browser.find_element(By.CSS_SELECTOR, "table.runs").text
    assert "Run 2" in runs and "Run 1" in runs

    # The senior accepts; the junior declines, with a private reason.
    my_match(browser, server, senior_email, password)
    assert junior_name in main_text(browser)
    assert browser.find_element(By.CSS_SELECTOR, ".why").text
    click(browser, By.XPATH, "//button[normalize-space()='Accept']")
    assert "You accepted" in main_text(browser)
    my_match(browser, server, junior_email, password)
    assert senior_name in main_text(browser)
    browser.find_element(By.ID, "reason").send_keys("We sit in the same project team")
    click(browser, By.XPATH, "//button[normalize-space()='Decline']")
    assert "your partner never sees it" in main_text(browser)
    click(browser, By.XPATH, "//button[normalize-space()='Decline the match']")
    assert "You declined" in main_text(browser)
    assert browser.find_element(By.ID, "match-status").text == "Declined"

    # The coordinator sees the decline and its reason, and re-matches: accepted pairs stay, the declined pair never returns.
    sign_in(browser, server, coordinator, password)
    open_matching(browser, server)
    consent = browser.find_element(By.CSS_SELECTOR, "table.pairings").text
    assert "We sit in the same project team" in consent
    click(browser, By.XPATH, "//button[normalize-space()='Run matching']")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Run 3"
    new = browser.find_element(By.XPATH, f"//tr[td[1][normalize-space()='{senior_name}']]")
    assert other_name in new.text and junior_name not in new.text
    assert "published" in browser.find_element(By.XPATH, "//table[contains(@class,'proposals')]").text   # live pairs kept
    click(browser, By.XPATH, "//button[normalize-space()='Publish to participants']")
    assert "cannot be changed" in main_text(browser)  # an irreversible step asks first, without JavaScript
    click(browser, By.XPATH, "//button[normalize-space()='Publish the proposals']")
    assert "Published" in main_text(browser)

    # Both accept: the pairing is active.
    my_match(browser, server, senior_email, password)
    assert other_name in main_text(browser)
    click(browser, By.XPATH, "//button[normalize-space()='Accept']")
    my_match(browser, server, other_email, password)
    click(browser, By.XPATH, "//button[normalize-space()='Accept']")
    assert browser.find_element(By.ID, "match-status").text == "Active"
    screenshot(browser, "21-match-active")
    my_match(browser, server, senior_email, password)
    assert browser.find_element(By.ID, "match-status").text == "Active"
