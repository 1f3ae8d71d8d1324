"""A pair that needs help, on the demo, in Chromium: the junior answers a low check-in with 'we need help' and a word
for the coordinator; the coordinator sees one more person asking for help on their home and the alert on the
programme-health board (at desktop width and at 390 px) naming whose answer raised it, suggests a re-think, and reads
the junior's word on the pair's summary only (the board shows signals and counts); the senior is offered the re-think, never sees the junior's answers, and plans it in
one click; fifteen days later (a second server on the same database, its clock moved on with UPWARD_CLOCK_OFFSET_DAYS)
the senior marks it held and the coordinator resolves the alert with a note."""
import os
import re

from selenium.webdriver.common.by import By

from conftest import demo_logins, PG_URL, Server, click, main_text, screenshot, sign_in, visit, with_database

PROGRAMME = "Leadership lab"
COMMENT = "We keep missing each other, please help"
SCORES = "Relationship 2 of 5 · I can say what I think 2 of 5 · Progress 1 of 5"
NOTE = "Called both; they held the re-think and meet again next week."
GOALS = ("Use our analytics dashboard without help", "Understand how the annual budget is decided")
NEED_HELP = "“We need help”"
LATER_DAYS = 15


def sign_out(browser):
    click(browser, By.CSS_SELECTOR, ".signout button")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Sign in to Upward"


def flash(browser):
    return browser.find_element(By.CSS_SELECTOR, ".flash").text


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url).split("#")[0]


def open_space(browser, server):
    visit(browser, server.url + "/")
    links = [a for a in browser.find_elements(By.CSS_SELECTOR, "main a[href^='/pairings/']")
             if re.fullmatch(r"/pairings/[0-9A-Fa-f-]{36}", path_of(a.get_attribute("href")))]
    assert links, "the home page links to the pairing's space"
    click(browser, By.CSS_SELECTOR, f"main a[href='{path_of(links[0].get_attribute('href'))}']")
    assert PROGRAMME in main_text(browser)
    return path_of(browser.current_url)


def open_check_in(browser, space):
    """From the space's 'Check-in' section to the check-in page, which says who reads the answers."""
    section = browser.find_element(By.CSS_SELECTOR, "section.check-in-due")
    assert section.find_element(By.TAG_NAME, "h2").text.startswith("Check-in"), section.text
    click(browser, By.XPATH, "//section[contains(@class,'check-in-due')]//a[normalize-space()='Answer the check-in']")
    assert path_of(browser.current_url) == space + "/check-ins", browser.current_url
    privacy = browser.find_element(By.CSS_SELECTOR, ".privacy-note").text
    assert "Your partner never sees your answers" in privacy and "coordinator reads them" in privacy, privacy


def programme_card(browser, server):
    """The programme's card on the coordinator's home, and how many in it ask for help (or say it is no fit)."""
    visit(browser, server.url + "/")
    card = browser.find_element(By.XPATH, f"//li[contains(@class,'card')][.//h3/a[normalize-space()='{PROGRAMME}']]")
    asking = re.search(r"(\d+) asking for help", card.text)
    return card, int(asking.group(1)) if asking else 0


def open_board(browser, server):
    """From the coordinator's home, by the programme card's 'Programme health', to the board."""
    programme_card(browser, server)
    click(browser, By.XPATH, f"//li[contains(@class,'card')][.//h3/a[normalize-space()='{PROGRAMME}']]"
                             "//a[normalize-space()='Programme health']")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Programme health"
    assert re.fullmatch(r"/programmes/[^/?]+/health", path_of(browser.current_url).split("?")[0]), browser.current_url


def help_alert_xpath(pair):
    """The board's open 'We need help' alert naming the pair (the pair is a link in the alert's title)."""
    return (f"//section[@id='alerts']//li[contains(@class,'alert')][p[contains(@class,'item-title')]"
            f"[contains(., '{NEED_HELP}')][a[normalize-space()='{pair}']]]")


def present(browser, by, what):
    """Whether the page shows an element now, without waiting the implicit five seconds for one that is not there."""
    browser.implicitly_wait(0)
    try:
        return bool(browser.find_elements(by, what))
    finally:
        browser.implicitly_wait(5)


def show(browser, by, what):
    """Scrolls the part of the page a screenshot is about to the top of the window."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", browser.find_element(by, what))


def phone_check(browser, name, at=None):
    """At 390 px the page fits without sideways scrolling; axe runs on it too. `at` (by, what) is shown."""
    size = browser.get_window_size()
    browser.set_window_size(390, 900)
    if at:
        show(browser, *at)
    width = browser.execute_script("return document.documentElement.scrollWidth")
    screenshot(browser, name + "-390")
    browser.set_window_size(size["width"], size["height"])
    assert width <= 390, f"{name} scrolls sideways at 390 px: the page is {width} px wide"


def later_server(server, days, environment=None):
    """A second `upward serve` on the first one's database (not loaded again), its clock `days` ahead;
    `environment` adds variables (mail settings)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(environment or {})
    env["LOG_LEVEL"] = "warning"
    env["UPWARD_CLOCK_OFFSET_DAYS"] = str(days)
    args = [a for a in server.process.args[4:] if a != "--demo"]  # [binary, serve, --port, N, *the fixture's args]
    postgres = server.output_matching(r"Database: PostgreSQL at \S+/(upward_browser_[0-9a-f]+)")
    if postgres:
        env["DATABASE_URL"] = with_database(PG_URL, postgres.group(1))
    else:
        assert "--database" in args, "\n".join(server.lines)
    later = Server(args, env)
    assert later.output_matching(rf"Clock: {days} days from the real time"), "\n".join(later.lines)
    assert not later.output_matching(r"Demo organisation loaded"), "\n".join(later.lines)
    return later


def test_a_pair_asks_for_help_and_the_coordinator_follows_it_up(server_factory, browser):
    server = server_factory("--demo")
    password, coordinator, (junior_email, junior_name), (senior_email, senior_name) = demo_logins(server)
    pair = f"{junior_name} & {senior_name}"

    # Before: how many in the programme ask for help, on the coordinator's home.
    sign_in(browser, server, coordinator, password)
    _, asking_before = programme_card(browser, server)

    # The junior: the overdue fit check first (a good fit, so far), then a low check-in asking for help, with a word.
    sign_in(browser, server, junior_email, password)
    space = open_space(browser, server)
    open_check_in(browser, space)
    if present(browser, By.CSS_SELECTOR, "input[name='fit']"):
        assert "Fit check" in browser.find_element(By.ID, "form-h").text
        browser.find_element(By.CSS_SELECTOR, "label[for='fit-goodFit']").click()
        click(browser, By.XPATH, "//button[normalize-space()='Send my check-in']")
        assert flash(browser) == "Thank you for checking in. Your partner does not see your answers.", flash(browser)
        open_check_in(browser, space)
    assert browser.find_element(By.ID, "form-h").text.startswith("Check-in of")
    show(browser, By.TAG_NAME, "h1")
    screenshot(browser, "health-check-in")
    for scale, value in (("relationship", 2), ("safety", 2), ("progress", 1)):
        browser.find_element(By.CSS_SELECTOR, f"input[name='{scale}'][value='{value}']").click()
    browser.find_element(By.ID, "needsHelp").click()
    browser.find_element(By.ID, "comment").send_keys(COMMENT)
    click(browser, By.XPATH, "//button[normalize-space()='Send my check-in']")
    assert path_of(browser.current_url) == space, browser.current_url
    message = flash(browser)
    assert message.startswith("Thank you") and "partner does not see your answers" in message, message
    # The junior's own answers list them: what the partner must never see.
    visit(browser, server.url + space + "/check-ins")
    mine = main_text(browser)
    assert SCORES in mine and f"You asked your coordinator for help: “{COMMENT}”" in mine, mine
    sign_out(browser)

    # The coordinator: one more asking for help on the home; on the board the alert, never the junior's words.
    sign_in(browser, server, coordinator, password)
    card, asking = programme_card(browser, server)
    assert asking == asking_before + 1, card.text
    open_board(browser, server)
    board = path_of(browser.current_url)
    alert = browser.find_element(By.XPATH, help_alert_xpath(pair))
    assert "asked for help" in alert.text, alert.text
    assert "Message Sami Haddad" in alert.text and "by Sami Haddad's answer" in alert.text, alert.text
    assert COMMENT not in browser.page_source and "missing each other" not in browser.page_source
    show(browser, By.ID, "alerts-h")
    screenshot(browser, "health-board-desktop")
    phone_check(browser, "health-board", at=(By.XPATH, help_alert_xpath(pair)))
    click(browser, By.XPATH, help_alert_xpath(pair) + "//button[normalize-space()='Suggest a re-think']")
    assert flash(browser).startswith("Suggested"), flash(browser)
    assert path_of(browser.current_url).split("?")[0] == board, browser.current_url
    # The pair's summary: signals, counts, the alert, and the junior's answer for the coordinator to read (the form
    # told him so), with a message to him alone.
    click(browser, By.XPATH, help_alert_xpath(pair) + f"//a[normalize-space()='{pair}']")
    summary = path_of(browser.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text == pair
    assert NEED_HELP in main_text(browser) and "You suggested a re-think" in main_text(browser)
    assert f"“{COMMENT}”" in main_text(browser) and "Asked for help" in main_text(browser)
    sign_out(browser)

    # The senior: the coordinator suggests a re-think; nothing of the junior's answer shows, in the space or the
    # check-ins (only the senior's own answers there).
    sign_in(browser, server, senior_email, password)
    assert open_space(browser, server) == space
    rethink = browser.find_element(By.CSS_SELECTOR, "section.rethink")
    assert rethink.find_element(By.TAG_NAME, "h2").text == "A re-think session?"
    assert "Your coordinator suggests a re-think session" in rethink.text, rethink.text
    for page in (space, space + "/check-ins"):
        if path_of(browser.current_url) != page:
            visit(browser, server.url + page)
        source = browser.page_source
        for words in (COMMENT, "missing each other", SCORES, "Progress 1 of 5", "asked your coordinator for help",
                      "asked for help", NEED_HELP):
            assert words not in source, f"{page} shows the partner's answer: {words!r}"
    assert "Your earlier answers" in main_text(browser)
    visit(browser, server.url + space)
    click(browser, By.XPATH, "//section[contains(@class,'rethink')]//button[normalize-space()='Plan a re-think session']")
    assert flash(browser).startswith("Re-think session planned for"), flash(browser)
    meeting = path_of(browser.current_url)
    assert re.fullmatch(re.escape(space) + r"/meetings/[0-9A-Fa-f-]{36}", meeting), meeting
    agenda = browser.find_element(By.XPATH, "//section[@aria-labelledby='agenda-h']").text
    assert "A re-think session" in agenda, agenda
    revisit = agenda.split("Goals to revisit", 1)
    assert len(revisit) == 2 and any(goal in revisit[1] for goal in GOALS), agenda
    assert browser.find_element(By.ID, "meeting-status").text.lower() == "planned"
    assert "What happened?" not in main_text(browser), "a meeting still to come cannot be held yet"
    phone_check(browser, "health-rethink-meeting", at=(By.ID, "agenda-h"))

    # Fifteen days later, on a second server on the same database: the senior marks the re-think held.
    later = later_server(server, LATER_DAYS)
    try:
        sign_in(browser, later, senior_email, password)
        visit(browser, later.url + meeting)
        assert "A re-think session" in main_text(browser)
        click(browser, By.XPATH, "//button[normalize-space()='We held it']")
        assert path_of(browser.current_url) == meeting, browser.current_url
        assert browser.find_element(By.ID, "meeting-status").text.lower() == "held"
        sign_out(browser)

        # The coordinator resolves the alert with a note: it leaves the open alerts, and the home counts one fewer.
        sign_in(browser, later, coordinator, password)
        open_board(browser, later)
        alert = browser.find_element(By.XPATH, help_alert_xpath(pair))
        alert.find_element(By.CSS_SELECTOR, "form.alert-handle input[name='note']").send_keys(NOTE)
        click(browser, By.XPATH, help_alert_xpath(pair) + "//button[normalize-space()='Resolve']")
        assert flash(browser) == "Alert resolved.", flash(browser)
        assert not present(browser, By.XPATH, help_alert_xpath(pair)), browser.find_element(By.ID, "alerts").text
        visit(browser, later.url + summary)
        resolved = browser.find_element(
            By.XPATH, f"//section[@aria-labelledby='alerts-h']//li[.//strong[normalize-space()='{NEED_HELP}']]").text
        assert "resolved" in resolved.lower() and NOTE in resolved, resolved
        card, asking = programme_card(browser, later)
        assert asking == asking_before, card.text
    finally:
        later.stop()
