"""The main journeys by keyboard alone (Tab, Shift+Tab, Enter, Space and typing), with the focus
visible at every stop: a visitor finds the pledge register and the events, signs in and registers
for an event; a representative starts a pledge and saves it; a form sent with mistakes opens on its
error summary, whose links lead to the fields."""

import pytest

from .support import force_sign_in, screenshot, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute("name") || "",
    type: el.getAttribute("type") || "",
    href: el.getAttribute("href") || "",
    text: (el.innerText || el.value || "").replace(/\\s+/g, " ").trim(),
    inNav: !!el.closest("nav"),
    summary: el.hasAttribute("data-error-summary"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== "none",
    visible: box.width > 0 && box.height > 0,
  };
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def assert_focus_visible(state: dict) -> None:
    assert state["visible"], f"focus is on something not shown: {state}"
    assert state["outline"] or state["shadow"], f"no visible focus indicator on {state}"


def tab_to(page, wanted, *, backwards=False, limit=150) -> dict:
    """Press Tab (or Shift+Tab) until `wanted(focused element)`; every stop on the way must show
    where the focus is."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        state = focused(page)
        if state is None:
            continue
        assert_focus_visible(state)
        if wanted(state):
            return state
    raise AssertionError("the keyboard never reached the element")


def press_and_wait(page, key: str = "Enter") -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def link(text: str, *, nav: bool | None = None):
    return lambda s: s["tag"] == "a" and s["text"] == text and (nav is None or s["inNav"] == nav)


def button(text: str):
    return lambda s: s["tag"] == "button" and s["text"] == text


def test_skip_link_comes_first_and_moves_focus_into_the_page(page, live_server):
    page.goto(url(live_server, "/events/"))
    page.keyboard.press("Tab")
    state = focused(page)
    assert state["text"] == "Skip to main content" and state["href"] == "#main-content"
    assert_focus_visible(state)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    # The next Tab goes on from the content, past the header and navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')")


def test_visitor_reaches_register_and_events_then_signs_in_and_registers(
    browser, live_server, user
):
    from crm.models import Person
    from forums.models import Registration
    from tests.forums.factories import EventFactory

    Person.objects.get_or_create(user=user, defaults={"email": user.email})
    event = EventFactory(title="AI literacy workshop")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en")
    page = context.new_page()
    page.goto(url(live_server, "/"))

    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    tab_to(page, link("Register of AI Pact pledges"))
    press_and_wait(page)
    assert page.url == url(live_server, "/pact/")
    screenshot(page, "keyboard-register", full_page=False)

    tab_to(page, link("Events", nav=True))
    press_and_wait(page)
    assert page.url == url(live_server, "/events/")

    tab_to(page, link(event.title))
    press_and_wait(page)
    assert page.url == url(live_server, f"/events/{event.pk}/")

    tab_to(page, link("Sign in to register"))
    press_and_wait(page)
    assert "/accounts/login/" in page.url
    tab_to(page, lambda s: s["name"] == "login")
    page.keyboard.type(user.email)
    tab_to(page, lambda s: s["name"] == "password")
    page.keyboard.type("correct-horse-battery")
    press_and_wait(page)  # Enter in a field sends its form
    assert page.url == url(live_server, f"/events/{event.pk}/")

    page.keyboard.press("Tab")
    tab_to(page, lambda s: s["name"] == "on_participant_list")
    page.keyboard.press("Space")
    assert page.locator("#id_on_participant_list").is_checked()
    state = tab_to(page, button("Register"))
    screenshot(page, "keyboard-event-register", full_page=False)
    assert state["tag"] == "button"
    press_and_wait(page)
    registration = Registration.objects.get(event=event, person__user=user)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.on_participant_list
    context.close()


def test_representative_starts_a_pledge_and_saves_it_by_keyboard(
    browser, live_server, client, representative
):
    from pact.catalogue import catalogue_load
    from pact.models import Commitment, Pledge

    catalogue_load(Commitment)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en")
    force_sign_in(context, live_server, client, representative)
    page = context.new_page()
    page.goto(url(live_server, "/"))

    tab_to(page, link("My pledges", nav=True))
    press_and_wait(page)
    tab_to(page, lambda s: s["name"] == "ai_role")
    page.keyboard.press("ArrowDown")  # a closed select changes its choice with the arrows
    assert page.locator("#id_ai_role").input_value()
    tab_to(page, button("Start the pledge"))
    press_and_wait(page)
    pledge = Pledge.objects.get(organisation__affiliations__person__user=representative)
    assert page.url == url(live_server, f"/pact/pledges/{pledge.pk}/edit/")

    planned = tab_to(page, lambda s: s["tag"] == "textarea" and "planned_actions" in s["name"])
    page.keyboard.type("Train every team that buys AI systems.")
    screenshot(page, "keyboard-pledge-form", full_page=False)
    tab_to(page, button("Save the draft"))
    press_and_wait(page)

    pledge.refresh_from_db()
    assert pledge.status == "draft"
    saved = [c.planned_actions for c in pledge.commitments.all()]
    assert "Train every team that buys AI systems." in saved, (planned, saved)
    context.close()


def test_error_summary_takes_focus_and_its_links_lead_to_the_fields(page, live_server):
    page.goto(url(live_server, "/accounts/signup/"))
    tab_to(page, lambda s: s["name"] == "email")
    page.keyboard.type("not-an-address")
    press_and_wait(page)

    state = focused(page)
    assert state and state["summary"], state
    assert_focus_visible(state)
    screenshot(page, "keyboard-error-summary", full_page=False)
    first = tab_to(page, lambda s: s["tag"] == "a" and s["href"].startswith("#"))
    page.keyboard.press("Enter")
    target = focused(page)
    assert "#" + target["id"] == first["href"], (first, target)
    assert page.locator(f"#{target['id']}").get_attribute("aria-invalid") == "true"
    assert_focus_visible(target)
