"""A 405 says which methods the address takes (Allow), on every route family of the hub."""
import pytest

from tests.support.clock import FakeClock
from tests.support.hub_api import make_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("hub"), FakeClock())
    yield app.test_client()
    app.extensions["contoso_hub"].close()


@pytest.mark.parametrize("method, path, allowed, json_error", [
    ("delete", "/api/conferences", {"GET", "POST"}, True),
    ("put", "/api/admin/conferences", {"GET"}, True),
    ("post", "/api/conferences/any/manage", {"GET"}, True),
    ("get", "/sync/v1/push", {"POST"}, True),
    ("put", "/sync/v1/time", {"GET"}, True),
    ("delete", "/manage/new", {"GET", "POST"}, False),
    ("put", "/admin/login", {"GET", "POST"}, False),
    ("delete", "/", {"GET"}, False),
])
def test_a_wrong_method_is_405_with_allow(client, method, path, allowed, json_error):
    r = getattr(client, method)(path)
    assert r.status_code == 405
    assert allowed <= {m.strip() for m in r.headers["Allow"].split(",")}
    assert r.is_json == json_error
    if json_error:
        assert r.get_json()["error"]["code"] == "method_not_allowed"
