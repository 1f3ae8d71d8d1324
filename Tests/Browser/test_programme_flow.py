"""A round of reverse mentoring from design to a waiting list: a coordinator designs a `reverse` programme and
opens enrolment; a junior finds it, saves a draft, fixes what is missing and submits; a second junior is
waitlisted; the first withdraws and the second is promoted; the balance view shows the counts."""
import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import click, fill, main_text, press_enter, screenshot, sign_in, visit

NAME = "Data fluency for leaders"


def day(offset):
    return (datetime.date.today() + datetime.timedelta(days=offset)).isoformat()


def open_programme(browser, server):
    visit(browser, server.url + "/programmes")
    click(browser, By.LINK_TEXT, NAME)
    assert browser.find_element(By.TAG_NAME, "h1").text == NAME


def test_design_enrol_waitlist_withdraw_promote(server_factory, browser):
    server = server_factory("--demo")
    password = server.output_matching(r"password: (\S+)\)").group(1)
    coordinator = server.output_matching(r"coordinator\s+(\S+@demo\.upward\.example)").group(1)
    first = server.output_matching(r"participant\s+(\S+)\s+— ([^,]+), a junior who can mentor upward")
    second = server.output_matching(r"participant\s+(\S+)\s+— ([^,]+), another junior")
    assert first and second, "\n".join(server.lines)
    first_email, first_name = first.group(1), first.group(2)
    second_email, second_name = second.group(1), second.group(2)

    # The coordinator designs a reverse programme from the defaults, with one pair's capacity.
    sign_in(browser, server, coordinator, password)
    click(browser, By.LINK_TEXT, "Programmes")
    click(browser, By.LINK_TEXT, "Design a programme")
    assert browser.find_element(By.ID, "sessionMinutes").get_attribute("value") == "60"   # the format's defaults
    assert browser.find_element(By.ID, "cadenceWeeks").get_attribute("value") == "4"
    fill(browser, "name", NAME)
    fill(browser, "capacity", "1")
    fill(browser, "cadenceWeeks", "15")
    for field, value in [("enrolmentOpens", day(-1)), ("enrolmentCloses", day(14)), ("startsOn", day(21)), ("endsOn", day(180))]:
        # A date picker's keystrokes depend on the locale; set the value the picker would.
        browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, field), value)
    click(browser, By.CSS_SELECTOR, "form.design button[type=submit]")
    assert "Pairs meet every 1 to 12 weeks; 15 is outside that." in main_text(browser)
    assert browser.find_element(By.ID, "name").get_attribute("value") == NAME   # nothing typed is lost
    fill(browser, "cadenceWeeks", "4")
    click(browser, By.CSS_SELECTOR, "form.design button[type=submit]")
    assert "is saved as a draft" in main_text(browser)
    click(browser, By.XPATH, "//button[normalize-space()='Open enrolment']")
    assert "is now enrolling" in main_text(browser)
    screenshot(browser, "10-programme-enrolling")

    # The first junior finds it, saves a draft, and submits once the missing answers are in.
    sign_in(browser, server, first_email, password)
    click(browser, By.LINK_TEXT, "Programmes")
    click(browser, By.LINK_TEXT, NAME)
    assert "You can apply as this." in main_text(browser)
    assert "You cannot: Mentees are level 4 and above" in main_text(browser)
    click(browser, By.LINK_TEXT, "Apply")
    assert browser.find_element(By.ID, "role-mentor").is_selected()
    fill(browser, "offeredName0", "AI tools")
    Select(browser.find_element(By.ID, "offeredLevel0")).select_by_visible_text("4")
    fill(browser, "goals", "Show a leader how we use AI day to day.")
    click(browser, By.XPATH, "//button[normalize-space()='Save draft']")
    assert "Your draft is saved" in main_text(browser)
    assert "Draft (not submitted)" in main_text(browser)
    click(browser, By.LINK_TEXT, "Edit your application")
    assert browser.find_element(By.ID, "offeredName0").get_attribute("value") == "AI tools"
    click(browser, By.XPATH, "//button[normalize-space()='Submit application']")
    text = main_text(browser)
    assert "Say why you are applying" in text and "Confirm you can give the time" in text
    fill(browser, "motivation", "I want leaders to see what the tools can do.")
    browser.find_element(By.ID, "comm_video").click()
    browser.find_element(By.ID, "commitment").click()
    screenshot(browser, "11-application-form")
    click(browser, By.XPATH, "//button[normalize-space()='Submit application']")
    assert "Your application is submitted" in main_text(browser)
    assert "Submitted, awaiting selection" in main_text(browser)

    # The second junior applies too.
    sign_in(browser, server, second_email, password)
    open_programme(browser, server)
    click(browser, By.LINK_TEXT, "Apply")
    fill(browser, "offeredName0", "Social media")
    fill(browser, "goals", "Help a leader understand our channels.")
    fill(browser, "motivation", "I love teaching.")
    browser.find_element(By.ID, "comm_chat").click()
    browser.find_element(By.ID, "commitment").click()
    click(browser, By.XPATH, "//button[normalize-space()='Submit application']")
    assert "Your application is submitted" in main_text(browser)

    # The coordinator closes enrolment, selects the first and waitlists the second.
    sign_in(browser, server, coordinator, password)
    open_programme(browser, server)
    click(browser, By.XPATH, "//button[normalize-space()='Close enrolment']")
    assert "is now selecting" in main_text(browser)
    click(browser, By.LINK_TEXT, "Selection")
    click(browser, By.CSS_SELECTOR, f'button[aria-label="Select {first_name}"]')
    assert f"{first_name} is selected." in main_text(browser)
    click(browser, By.CSS_SELECTOR, f'button[aria-label="Select {second_name}"]')
    assert "All 1 places for reverse mentor are taken" in main_text(browser)
    click(browser, By.CSS_SELECTOR, f'button[aria-label="Waitlist {second_name}"]')
    assert f"{second_name} is waitlisted." in main_text(browser)
    screenshot(browser, "12-selection")

    # The second junior sees the waiting list; the first withdraws; the second is promoted.
    sign_in(browser, server, second_email, password)
    open_programme(browser, server)
    assert "On the waiting list" in main_text(browser)
    sign_in(browser, server, first_email, password)
    open_programme(browser, server)
    assert "Selected" in browser.find_element(By.CSS_SELECTOR, ".yours").text
    click(browser, By.XPATH, "//button[normalize-space()='Withdraw']")
    assert f"You have withdrawn from “{NAME}”." in main_text(browser)
    assert "Withdrawn" in browser.find_element(By.CSS_SELECTOR, ".yours").text
    sign_in(browser, server, second_email, password)
    open_programme(browser, server)
    assert "Selected" in browser.find_element(By.CSS_SELECTOR, ".yours").text

    # The balance shows one reverse mentor (the withdrawn one no longer counts) and no mentees yet.
    sign_in(browser, server, coordinator, password)
    open_programme(browser, server)
    click(browser, By.LINK_TEXT, "Balance")
    assert browser.find_element(By.ID, "mentor-count").text == "1"
    assert browser.find_element(By.ID, "mentee-count").text == "0"
    roles = browser.find_element(By.CSS_SELECTOR, "table.sides tbody").text
    assert "Reverse mentor 1 1 0 1" in roles
    assert "Social media" in browser.find_element(By.CSS_SELECTOR, "table.skills").text
    screenshot(browser, "13-balance")
    # Selection records who decided what: the promotion names the withdrawal.
    click(browser, By.LINK_TEXT, NAME)
    click(browser, By.LINK_TEXT, "Selection")
    row = browser.find_element(By.XPATH, f"//tr[td/strong[normalize-space()='{second_name}']]")
    assert "Selected" in row.text
    row.find_element(By.XPATH, ".//summary[normalize-space()='History']").click()
    assert f"selected by Upward (waiting list)" in row.text
    assert f"Promoted when {first_name} withdrew" in row.text
