"""What a careful coordinator and a hostile link meet in the browser: a sign-in link that points elsewhere lands on
Upward's home page; irreversible actions ask first (without JavaScript) and Cancel changes nothing; a file that
would mark most of the directory as leavers is stopped with a loud warning until it is confirmed."""
import os
import tempfile

from selenium.webdriver.common.by import By

from conftest import click, fill, main_text, press_enter, screenshot, visit


def demo_login(server, role):
    password = server.output_matching(r"password: (\S+)\)").group(1)
    email = server.output_matching(rf"{role}\s+(\S+@demo\.upward\.example)").group(1)
    return email, password


def test_hostile_links_confirmations_and_a_mass_leaver_file(server_factory, browser):
    server = server_factory("--demo")
    email, password = demo_login(server, "coordinator")

    # A sign-in link whose `next` smuggles another site lands on Upward's own home page.
    browser.delete_all_cookies()
    visit(browser, server.url + "/sign-in?next=/%09/evil.example")
    fill(browser, "email", email)
    fill(browser, "password", password)
    press_enter(browser, "password")
    assert browser.current_url.rstrip("/") == server.url
    assert browser.find_element(By.CSS_SELECTOR, ".signout .who")

    # Closing a running programme asks first; Cancel leaves it running.
    visit(browser, server.url + "/programmes")
    click(browser, By.LINK_TEXT, "Leadership lab")
    click(browser, By.XPATH, "//button[normalize-space()='Close the programme']")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Close “Leadership lab”?"
    browser.set_window_size(390, 844)
    screenshot(browser, "trust-confirm-close-390")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    browser.set_window_size(1280, 900)
    click(browser, By.LINK_TEXT, "Cancel")
    assert "running" in main_text(browser).lower()
    click(browser, By.XPATH, "//button[normalize-space()='Close the programme']")
    click(browser, By.XPATH, "//button[normalize-space()='Close the programme']")
    assert "is now closed" in main_text(browser)

    # A one-row file would mark the whole demo directory as leavers: the preview shouts, the import waits for a tick.
    folder = tempfile.mkdtemp(prefix="upward-trust-")
    path = os.path.join(folder, "one-row.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("employee_id,name,email,department,level\nX1,Only Person,only.person@example.org,Engineering,3\n")
    visit(browser, server.url + "/directory/import")
    browser.find_element(By.ID, "file").send_keys(path)
    click(browser, By.XPATH, "//button[normalize-space()='Preview changes']")
    warning = browser.find_element(By.CSS_SELECTOR, ".warning-loud").text
    assert "Stop: 311 leavers" in warning and "311 of the 311 current staff" in warning
    screenshot(browser, "trust-mass-leavers")
    browser.find_element(By.ID, "file").send_keys(path)
    click(browser, By.XPATH, "//button[normalize-space()='Import']")
    assert "Nothing was imported" in main_text(browser)
    visit(browser, server.url + "/directory")
    assert "311" in main_text(browser)  # nobody left
    visit(browser, server.url + "/directory/import")
    browser.find_element(By.ID, "file").send_keys(path)
    click(browser, By.XPATH, "//button[normalize-space()='Preview changes']")
    browser.find_element(By.ID, "file").send_keys(path)
    browser.find_element(By.ID, "confirmLeavers").click()
    click(browser, By.XPATH, "//button[normalize-space()='Import']")
    assert "Imported one-row.csv" in main_text(browser)
