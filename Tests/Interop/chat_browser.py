"""Two headless Chromium pages open the chat page of the `ringwire` binary (started by ChatTests.swift),
join the same room, and a message typed in one appears in the other. Selenium drives Debian's
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


@scenario
def two_pages_talk(port):
    """Alice's message appears on Bob's page; Bob sees Alice in the member list."""
    alice, bob = browser(), browser()
    try:
        open_and_join(alice, port, "alice")
        open_and_join(bob, port, "bob")
        WebDriverWait(alice, 10).until(expected_conditions.text_to_be_present_in_element((By.ID, "members"), "bob"))
        text = alice.find_element(By.ID, "text")
        text.send_keys("hello from alice")
        alice.find_element(By.ID, "send").click()
        WebDriverWait(bob, 10).until(expected_conditions.text_to_be_present_in_element((By.ID, "log"), "hello from alice"))
        check("alice" in bob.find_element(By.ID, "members").text, "bob's page lists alice")
    finally:
        alice.quit()
        bob.quit()


if __name__ == "__main__":
    run(SCENARIOS)
