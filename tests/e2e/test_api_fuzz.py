"""Schemathesis against a running hub: whatever a client sends, the hub never answers 5xx,
answers only statuses its OpenAPI document declares, and bodies that match the document."""
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.generation import GenerationMode

from hub.accounts import admins
from hub.bootstrap import HubConfig, bootstrap
from tests.support.hub_api import CONFERENCE, SEAT_TYPES
from tests.support.processes import start_hub

pytestmark = pytest.mark.slow

ADMIN = ("fuzz-admin@contoso.example", "a long enough fuzzing password")
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance]
# Guessing an access code with random ones locks the address out for a while (429): this
# runs last so the other operations are tried with working credentials first.
GUESSED = "/api/conferences/locate"
EXAMPLES = 400   # well under a minute on a busy two-core machine


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    seeded = bootstrap(HubConfig(data_dir=str(root / "hub")))
    admins.create_admin(seeded, *ADMIN)
    seeded.close()
    service = start_hub(root / "hub", root / "hub.log")
    owner = _published_conference(service.url)
    yield service.url, owner
    service.stop()


def _published_conference(url):
    r = requests.post(f"{url}/api/conferences", json=CONFERENCE, timeout=10)
    assert r.status_code == 201, r.text
    owner = (CONFERENCE["owner_email"], r.json()["access_code"])
    for seat_type in SEAT_TYPES:
        requests.post(f"{url}/api/conferences/{CONFERENCE['slug']}/seat-types",
                      json=seat_type, auth=owner, timeout=10).raise_for_status()
    requests.post(f"{url}/api/conferences/{CONFERENCE['slug']}/publish", auth=owner,
                  timeout=10).raise_for_status()
    return owner


def _schema(url, part: str):
    schema = schemathesis.openapi.from_url(f"{url}/api/openapi.json")
    if part == "registration":
        return schema.include(tag="registration")
    schema = schema.exclude(tag="registration")
    return schema.include(path_regex=GUESSED) if part == "guessed" \
        else schema.exclude(path_regex=GUESSED)


def _credentials(case, owner):
    """The admin's Basic credentials on the admin API, the owner's elsewhere."""
    return ADMIN if case.path.startswith("/api/admin") else owner


def _fuzz(url, owner, part: str, examples: int = EXAMPLES):
    schema = _schema(url, part)
    strategy = schema.as_strategy(GenerationMode.POSITIVE, path_parameters={
        "slug": CONFERENCE["slug"]}) | schema.as_strategy(GenerationMode.NEGATIVE)
    session = requests.Session()

    @settings(max_examples=examples, deadline=None,
              database=None, suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        session.auth = _credentials(case, owner)
        response = case.call(base_url=url, session=session, timeout=10)
        case.validate_response(response, checks=CHECKS)

    run()


def test_management_and_admin_answer_every_generated_request_as_documented(hub):
    url, owner = hub
    _fuzz(url, owner, "management and admin")
    _fuzz(url, owner, "guessed", EXAMPLES // 4)


def test_registration_answers_every_generated_request_as_documented(hub):
    url, owner = hub
    _fuzz(url, owner, "registration")
