"""A hub admin for tests: created in the hub, signed in through the login page or HTTP Basic."""
import base64
import re

from hub.accounts import admins
from tests.support.pages import PageClient

ADMIN_EMAIL = "admin@contoso.example"
ADMIN_PASSWORD = "correct horse battery"


def add_admin(hub, email=ADMIN_EMAIL, password=ADMIN_PASSWORD):
    return admins.create_admin(hub, email, password)


def admin_basic(email=ADMIN_EMAIL, password=ADMIN_PASSWORD) -> dict:
    token = base64.b64encode(f"{email}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


class AdminPages(PageClient):
    """A browser session of a hub admin: page forms with CSRF, API calls with the header."""

    def sign_in(self, email=ADMIN_EMAIL, password=ADMIN_PASSWORD, **options):
        return self.post("/admin/login", {"email": email, "password": password}, **options)

    def api_post(self, path, body=None, *, csrf=True):
        headers = {"X-CSRF-Token": self.token()} if csrf else {}
        return self.http.post(path, json=body if body is not None else {}, headers=headers)


def enrollment_code(page_text: str) -> str:
    return re.search(r'id="enrollment-code">([A-Z0-9-]+)<', page_text).group(1)
