"""Two headless Chromium pages open the chat page of the `ringwire` binary (started by ChatTests.swift),
join the same room, and a message typed in one appears in the other; each page keeps its member list
from the welcome and the presence events (which carry only the change). Selenium drives Debian's
chromium through Debian's chromium-driver (no driver download).
"""

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from interop import check, check_equal, run, scenario_registry

SCENARIOS, scenario = scenario_registry()


def browser():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--no-proxy-server", "--window-size=1000,700"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def open_and_join(driver, port, name):
    driver.set_page_load_timeout(10)
    driver.get(f"http://127.0.0.1:{port}/")
    wait = WebDriverWait(driver, 10)
    wait.until(expected_conditions.text_to_be_present_in_element((By.ID, "status"), "connected"))
    driver.find_element(By.ID, "name").send_keys(name)
    room = driver.find_element(By.ID, "room")
    room.clear()
    room.send_keys("browsers")
    driver.find_element(By.CSS_SELECTOR, "#join button").click()
    wait.until(expected_conditions.element_to_be_clickable((By.ID, "send")))


def members(driver):
    return sorted(item.text for item in driver.find_elements(By.CSS_SELECTOR, "#members li"))


@scenario
def two_pages_talk(port):
    """Alice's message appears on Bob's page; each page lists both (Bob's from his welcome, Alice's
    from Bob's presence event); when Bob's page goes away, Alice's list drops him."""
    alice, bob = browser(), browser()
    try:
        open_and_join(alice, port, "alice")
        open_and_join(bob, port, "bob")
        WebDriverWait(alice, 10).until(lambda driver: members(driver) == ["alice", "bob"])
        check_equal(members(bob), ["alice", "bob"], "bob's page lists both from its welcome")
        check_equal(alice.find_element(By.ID, "room-title").text, "browsers (2)", "alice's room title counts both")
        text = alice.find_element(By.ID, "text")
        text.send_keys("hello from alice")
        alice.find_element(By.ID, "send").click()
        WebDriverWait(bob, 10).until(expected_conditions.text_to_be_present_in_element((By.ID, "log"), "hello from alice"))
        bob.quit()
        bob = None
        WebDriverWait(alice, 10).until(lambda driver: members(driver) == ["alice"])
        check("bob left." in alice.find_element(By.ID, "log").text, "alice's log says bob left")
    finally:
        alice.quit()
        if bob:
            bob.quit()


if __name__ == "__main__":
    run(SCENARIOS)
