import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_logs_in_and_sees_the_dashboard(page, live_server, site_structure, django_user_model):
    django_user_model.objects.create_user(
        username="mei", password="a long passphrase", is_staff=True, is_superuser=True
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "mei")
    page.fill("input[name=password]", "a long passphrase")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator("#worker-status-section").is_visible()
    assert page.get_by_role("heading", name="Background workers").is_visible()
    assert page.console_errors == []


@pytest.mark.parametrize(("code", "direction"), [("zh-hans", "ltr"), ("en", "ltr")])
def test_public_home_page_declares_its_language(page, live_server, site_structure, code, direction):
    page.goto(f"{live_server.url}/{code}/")
    html = page.locator("html")
    assert html.get_attribute("lang") == code
    assert html.get_attribute("dir") == direction
    assert page.console_errors == []
