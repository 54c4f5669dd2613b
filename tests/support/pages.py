"""Drive the hub's web pages through the Flask test client, the way a browser posts forms."""
import html
import re
import secrets

from tests.support.hub_api import HubClient


class PageClient:
    """A browser session: one cookie jar, the session's CSRF token added to every form."""

    def __init__(self, app):
        self.app = app
        self.hub = app.extensions["contoso_hub"]
        self.http = app.test_client()
        self.api = HubClient(app, self.http)   # the same browser: its session holds its orders

    def pump(self):
        return self.hub.run_until_idle()

    def token(self) -> str:
        with self.http.session_transaction() as session:
            return session.setdefault("csrf_token", secrets.token_urlsafe(16))

    def get(self, path, **options):
        return self.http.get(path, **options)

    def post(self, path, data=None, *, csrf=True, **options):
        form = dict(data or {})
        if csrf:
            form["csrf_token"] = self.token()
        return self.http.post(path, data=form, **options)

    def follow(self, response):
        """GET the page a redirect points to."""
        assert response.status_code in (302, 303), (response.status_code, text(response)[:500])
        return self.get(response.headers["Location"])


def text(response) -> str:
    return response.get_data(as_text=True)


def visible(response) -> str:
    """The page's words without tags, entities decoded, blanks collapsed."""
    words = re.sub(r"<[^>]+>", " ", text(response))
    return re.sub(r"\s+", " ", html.unescape(words))


def field_error(response, field: str, prefix: str = "f") -> str | None:
    """The message shown under one form field, or None."""
    match = re.search(rf'id="{re.escape(prefix)}-{re.escape(field)}-error">([^<]*)<', text(response))
    return html.unescape(match.group(1)) if match else None


def form_error(response) -> str | None:
    match = re.search(r'class="alert alert-error" role="alert">([^<]*)<', text(response))
    return html.unescape(match.group(1)) if match else None


def order_id_of(location: str) -> str:
    return re.search(r"/orders/([^/]+)", location).group(1)


def form_values(response, form_id: str) -> dict[str, str]:
    """What a browser would send of a form as the page shows it: its inputs' names and values
    (hidden ones included), the CSRF token left for PageClient.post to add."""
    page = text(response)
    start = page.index(f'id="{form_id}"')
    form = page[start:page.index("</form>", start)]
    values = {}
    for tag in re.findall(r"<input\b[^>]*>", form):
        name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and name.group(1) != "csrf_token":
            values[html.unescape(name.group(1))] = html.unescape(value.group(1)) if value else ""
    return values
