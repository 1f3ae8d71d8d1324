"""Browser tests: the real `upward` binary, real Chromium, a person's flow clicked and typed.

Each test gets a server on a fresh database: SQLite in a temporary folder, and PostgreSQL too
when UPWARD_PG_URL names a server (a new database per test, dropped afterwards).
"""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests" / "UpwardTests" / "Fixtures"
BINARY = os.environ.get("UPWARD_BINARY", str(ROOT / ".build" / "debug" / "upward"))
PG_URL = os.environ.get("UPWARD_PG_URL")
SCREENSHOTS = os.environ.get("UPWARD_SCREENSHOTS")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`upward serve` in a subprocess; its output is collected line by line."""

    def __init__(self, args, env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lines = []
        self.process = subprocess.Popen(
            [BINARY, "serve", "--port", str(self.port), *args],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
            if self.process.poll() is not None:
                break
        raise RuntimeError("upward serve did not start:\n" + "\n".join(self.lines))

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def output_matching(self, pattern):
        for line in self.lines:
            match = re.search(pattern, line)
            if match:
                return match
        return None

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def demo_logins(server):
    """The demo's password, its coordinator, and the junior and senior who share the running pair: (email, name)."""
    password = server.output_matching(r"password: (\S+)\)").group(1)
    coordinator = server.output_matching(r"coordinator\s+(\S+@demo\.upward\.example)").group(1)
    junior = server.output_matching(r"participant\s+(\S+)\s+— ([^,]+), a junior in a running pairing")
    senior = server.output_matching(r"participant\s+(\S+)\s+— ([^,]+), a senior in a running pairing")
    return password, coordinator, (junior.group(1), junior.group(2)), (senior.group(1), senior.group(2))


def with_database(url, name):
    """The same server URL with another database name."""
    from urllib.parse import urlsplit, urlunsplit
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def databases():
    kinds = ["sqlite"]
    if PG_URL:
        kinds.append("postgres")
    return kinds


@pytest.fixture(params=databases())
def server_factory(request):
    """Starts servers on one fresh database for this test."""
    folder = tempfile.mkdtemp(prefix="upward-browser-")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["LOG_LEVEL"] = "warning"
    created = None
    if request.param == "sqlite":
        args = ["--database", os.path.join(folder, "upward.sqlite")]
    else:
        name = "upward_browser_" + uuid.uuid4().hex[:12]
        subprocess.run(["psql", PG_URL, "-q", "-c", f"CREATE DATABASE {name}"], check=True)
        created = name
        env["DATABASE_URL"] = with_database(PG_URL, name)
        args = []
    servers = []

    def start(*extra, environment=None):
        """`environment` adds variables for this server only (mail settings, a moved clock)."""
        server = Server([*args, *extra], {**env, **(environment or {})})
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
    if created:
        subprocess.run(["psql", PG_URL, "-q", "-c", f"DROP DATABASE IF EXISTS {created} WITH (FORCE)"], check=False)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def save_screenshot(driver, name):
    """Saves a PNG to look at when UPWARD_SCREENSHOTS names a folder."""
    if SCREENSHOTS:
        os.makedirs(SCREENSHOTS, exist_ok=True)
        driver.save_screenshot(os.path.join(SCREENSHOTS, name + ".png"))


def check_page(driver, name):
    """Fails when axe-core finds any accessibility violation on the page the browser shows (every rule, none
    excluded), listing each rule with its impact, help text and the elements that break it."""
    axe = Axe(driver)
    axe.inject()
    violations = axe.run()["violations"]
    if not violations:
        return
    lines = [f"{name} ({driver.current_url}): {len(violations)} accessibility rule(s) broken"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"][:8]:
            target = " >> ".join(t if isinstance(t, str) else " ".join(t) for t in node["target"])
            checks = node["any"] + node["all"] + node["none"]
            lines.append(f"    {target}" + (f": {checks[0]['message']}" if checks else ""))
        if len(violation["nodes"]) > 8:
            lines.append(f"    … and {len(violation['nodes']) - 8} more")
    pytest.fail("\n".join(lines), pytrace=False)


def screenshot(driver, name):
    """A page the flow stops to look at: saved as a PNG when UPWARD_SCREENSHOTS names a folder, and checked
    with axe-core."""
    save_screenshot(driver, name)
    check_page(driver, name)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, print what the browser showed: the address and the page's main text."""
    outcome = yield
    report = outcome.get_result()
    driver = item.funcargs.get("browser") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and driver is not None:
        try:
            main = driver.execute_script("return (document.querySelector('main') || document.body).innerText")
            report.sections.append(("browser", f"at {driver.current_url}\n{main[:3000]}"))
            save_screenshot(driver, "failure-" + item.name)
        except Exception as error:  # the browser may be gone
            report.sections.append(("browser", f"could not read the page: {error}"))


# A person's actions in the browser, shared by every flow.

def navigates(driver, action):
    """Does `action` (a click, an Enter), waits until the next page has replaced this one and checks that page
    with axe-core, so every page a flow reaches is checked."""
    page = driver.find_element(By.TAG_NAME, "html")
    action()

    def replaced(_):
        # Selenium's staleness_of expects StaleElementReferenceException; chromedriver sometimes reports a
        # node of the old document as "does not belong to the document" instead. Both mean it is gone.
        try:
            page.is_enabled()
            return False
        except WebDriverException:
            return True

    WebDriverWait(driver, 15).until(replaced)
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
    check_page(driver, "after a click or Enter")


def visit(driver, url):
    """Opens `url` as a typed address and checks the page with axe-core, as `navigates` does for every click."""
    driver.get(url)
    check_page(driver, "opened by address")


def click(driver, by, what):
    element = driver.find_element(by, what)
    navigates(driver, element.click)


def press_enter(driver, field_id):
    element = driver.find_element(By.ID, field_id)
    navigates(driver, lambda: element.send_keys(Keys.ENTER))


def fill(driver, field_id, text):
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


def sign_in(browser, server, email, password):
    browser.delete_all_cookies()
    visit(browser, server.url + "/sign-in")
    fill(browser, "email", email)
    fill(browser, "password", password)
    press_enter(browser, "password")
    assert browser.find_element(By.CSS_SELECTOR, ".signout .who"), "not signed in"


def main_text(browser):
    return browser.find_element(By.TAG_NAME, "main").text
