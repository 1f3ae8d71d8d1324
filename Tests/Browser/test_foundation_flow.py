"""A coordinator's first day: create the first admin, sign in, import the directory, search it, sign out."""
import json
import urllib.request

from openapi_spec_validator import validate
from selenium.webdriver.common.by import By

from conftest import FIXTURES, click, fill, press_enter, screenshot, visit

PASSWORD = "a long admin password"


def test_first_admin_imports_searches_and_signs_out(server_factory, browser):
    server = server_factory()
    link = server.output_matching(r"(http://\S+/setup/\S+)")
    assert link, "serve prints the first-admin link on an empty database:\n" + "\n".join(server.lines)

    # First-admin setup with the one-time link.
    visit(browser, link.group(1))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Create the first admin"
    fill(browser, "name", "Ada Lovelace")
    fill(browser, "email", "ada@example.org")
    fill(browser, "password", PASSWORD)
    fill(browser, "confirmation", PASSWORD)
    click(browser, By.CSS_SELECTOR, "form.stack button[type=submit]")
    assert "You are the first admin" in browser.find_element(By.CLASS_NAME, "flash").text

    # Sign out, then sign in with the keyboard.
    click(browser, By.CSS_SELECTOR, ".signout button")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Sign in to Upward"
    fill(browser, "email", "ada@example.org")
    fill(browser, "password", "not the password")
    press_enter(browser, "password")
    assert "do not match an active account" in browser.find_element(By.ID, "signin-error").text
    fill(browser, "password", PASSWORD)
    press_enter(browser, "password")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Hello, Ada"
    screenshot(browser, "01-admin-home")

    # Import a file with errors: every problem is listed and nothing is imported.
    click(browser, By.LINK_TEXT, "Import")
    browser.find_element(By.ID, "file").send_keys(str(FIXTURES / "people-errors.csv"))
    click(browser, By.CSS_SELECTOR, "button[value=apply]")
    problems = browser.find_element(By.ID, "problems").text
    assert "9 problems in people-errors.csv: nothing was imported" in problems
    table = browser.find_element(By.CSS_SELECTOR, "table.issues").text
    assert "'senior' is not a whole number" in table
    assert "unknown manager 'E999'" in table
    screenshot(browser, "02-import-errors")
    click(browser, By.LINK_TEXT, "Directory")
    assert browser.find_element(By.ID, "result-count").text == "0 people found."

    # Fix it: import the corrected file.
    click(browser, By.LINK_TEXT, "Import")
    browser.find_element(By.ID, "file").send_keys(str(FIXTURES / "people.csv"))
    click(browser, By.CSS_SELECTOR, "button[value=apply]")
    result = browser.find_element(By.ID, "result").text
    assert result == "Imported people.csv"
    counts = browser.find_element(By.CSS_SELECTOR, "ul.counts").text
    assert "10 new" in counts and "10 invited" in counts
    screenshot(browser, "03-import-done")

    # Search the directory, filter, open a person and follow the reporting line.
    click(browser, By.LINK_TEXT, "Directory")
    assert browser.find_element(By.ID, "result-count").text == "10 people found."
    fill(browser, "q", "engineer")
    press_enter(browser, "q")
    assert browser.find_element(By.ID, "result-count").text == "4 people found."
    fill(browser, "q", "noor")
    click(browser, By.CSS_SELECTOR, ".filters button")
    assert browser.find_element(By.ID, "result-count").text == "1 person found."
    screenshot(browser, "04-directory-search")
    click(browser, By.LINK_TEXT, "Noor Khan")
    chain = browser.find_element(By.CSS_SELECTOR, "ol.chain").text
    assert chain.index("Grace Okafor") < chain.index("Hugo Schmidt") < chain.index("Priya Patel")
    screenshot(browser, "05-person")
    click(browser, By.LINK_TEXT, "Priya Patel")
    assert "Direct reports (2)" in browser.find_element(By.ID, "down").text

    # The invitations wait in the outbox.
    click(browser, By.LINK_TEXT, "Outbox")
    assert "noor.khan@example.org" in browser.find_element(By.TAG_NAME, "main").text
    # The background jobs: counts by status, and none failed; at phone width too.
    click(browser, By.LINK_TEXT, "Jobs")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Background jobs"
    assert "None: every job that ran succeeded." in browser.find_element(By.TAG_NAME, "main").text
    size = browser.get_window_size()
    browser.set_window_size(390, 844)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    screenshot(browser, "04b-jobs-phone")
    browser.set_window_size(size["width"], size["height"])

    # Sign out: the pages are closed again.
    click(browser, By.CSS_SELECTOR, ".signout button")
    visit(browser, server.url + "/directory")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Sign in to Upward"


def test_demo_serves_its_logins_and_the_api_document(server_factory, browser):
    server = server_factory("--demo")
    assert server.output_matching(r"Demo organisation loaded: \d{3} people in \d+ departments")
    login = server.output_matching(r"coordinator\s+(\S+@demo\.upward\.example)")
    password = server.output_matching(r"password: (\S+)\)")
    assert login and password, "\n".join(server.lines)

    visit(browser, server.url + "/sign-in")
    fill(browser, "email", login.group(1))
    fill(browser, "password", password.group(1))
    press_enter(browser, "password")
    assert "people in" in browser.find_element(By.TAG_NAME, "main").text
    click(browser, By.LINK_TEXT, "Directory")
    assert browser.find_element(By.ID, "result-count").text.endswith("people found.")
    # Narrow phone screen: the table turns into cards and nothing spills sideways.
    browser.set_window_size(390, 844)
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 400, f"the directory is {width}px wide on a 390px phone"
    screenshot(browser, "06-directory-phone")

    with urllib.request.urlopen(server.url + "/openapi.json") as response:
        document = json.load(response)
    validate(document)
    assert "/api/v1/people" in document["paths"]
