"""The live dashboard: checked in / expected, per node and over time, seats, nodes online,
open conflicts; its poll brings new check-ins without counting as activity."""
import datetime as dt

import pytest

from hub.venue.dashboard import timeline
from hub.http.pages.dashboard_chart import check_in_chart
from tests.support.admin import AdminPages, add_admin
from tests.support.conflict_venue import sync_all, tickets, two_doors
from tests.support.pages import visible

DASHBOARD = "/admin/conferences/cqrs2026/dashboard/"
UTC = dt.timezone.utc


@pytest.fixture
def venue(hub, tmp_path):
    a, b = two_doors(hub, tmp_path)
    add_admin(hub.hub)
    admin = AdminPages(hub.app)
    admin.sign_in()
    yield hub, admin, a, b
    a.close()
    b.close()


def live(admin):
    r = admin.get(DASHBOARD + "live")
    assert r.status_code == 200
    return r.get_json()


def test_the_dashboard_counts_each_seat_once_at_the_door_that_admitted_it_first(venue):
    hub, admin, a, b = venue
    t = tickets(hub)
    a.desk.scan(t["Att0 Endee"].code)
    b.desk.scan(t["Att0 Endee"].code)       # offline from A: a duplicate
    a.desk.scan(t["Att1 Endee"].code)
    sync_all(hub, a, b)
    figures = admin.get("/api/admin/conferences/cqrs2026/dashboard").get_json()
    assert (figures["checked_in"], figures["expected"]) == (2, 3)
    per_node = {n["name"]: n["checked_in"] for n in figures["per_node"]}
    assert per_node == {"Door A": 2, "Door B": 0}
    assert sum(figures["timeline"]["counts"]) == 2 and figures["timeline"]["bucket_minutes"] == 5
    assert figures["nodes_online"] == 2 and figures["nodes_total"] == 2
    assert figures["open_conflicts"] == {"double_check_in": 1}
    [ga] = [s for s in figures["seat_types"] if s["name"] == "General admission"]
    assert (ga["sold_online"], ga["sold_on_site"], ga["allocated"], ga["remaining"]) == (6, 0, 0, 94)


def test_the_page_shows_the_figures_and_a_server_drawn_chart(venue):
    hub, admin, a, b = venue
    a.desk.scan(tickets(hub)["Att0 Endee"].code)
    sync_all(hub, a)
    r = admin.get(DASHBOARD)
    page = visible(r)
    assert "Checked in 1 / 3" in page and "Nodes online 2 / 2" in page
    assert '<svg class="chart"' in r.get_data(as_text=True)
    assert "admin-dashboard.js" in r.get_data(as_text=True)


def test_the_poll_brings_new_check_ins(venue):
    hub, admin, a, b = venue
    assert live(admin)["figures"]["checked_in"] == 0
    b.desk.scan(tickets(hub)["Att2 Endee"].code)
    sync_all(hub, b)
    body = live(admin)
    assert body["figures"]["checked_in"] == 1 and 'id="checked-in">1<' in body["html"]


def test_the_poll_is_not_activity_so_an_unattended_dashboard_signs_out(venue, clock):
    hub, admin, a, b = venue
    clock.offset = 20 * 60
    assert live(admin)
    clock.offset = 35 * 60
    r = admin.get(DASHBOARD + "live")
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthorized"


def test_a_revoked_node_is_not_counted_online(venue):
    hub, admin, a, b = venue
    admin.api_post(f"/api/admin/conferences/cqrs2026/nodes/{b.node_id}/revoke")
    figures = live(admin)["figures"]
    assert (figures["nodes_online"], figures["nodes_total"]) == (1, 1)


def test_a_node_that_never_enrolled_is_no_door_that_could_be_online(venue):
    hub, admin, a, b = venue
    from hub.venue import nodes
    nodes.create_node(hub.hub, hub.conference, "Door C")      # created, never enrolled
    figures = live(admin)["figures"]
    assert (figures["nodes_online"], figures["nodes_total"]) == (2, 2)
    [door_c] = [n for n in figures["per_node"] if n["name"] == "Door C"]
    assert door_c["state"] == "waiting_for_enrollment" and not door_c["online"]
    assert "Nodes online 2 / 2" in visible(admin.get(DASHBOARD))
    assert "Door C Not enrolled yet" in visible(admin.get(DASHBOARD))
    assert "CQRS Summit" in (home := visible(admin.get("/admin/"))) and "2 / 2" in home


def test_the_timeline_buckets_entries_by_five_minutes_for_at_most_eight_hours():
    now = dt.datetime(2026, 12, 8, 9, 7, 30, tzinfo=UTC)
    entries = {"s1": (dt.datetime(2026, 12, 8, 8, 51, tzinfo=UTC), "a"),
               "s2": (dt.datetime(2026, 12, 8, 8, 54, 59, tzinfo=UTC), "a"),
               "s3": (dt.datetime(2026, 12, 8, 9, 5, tzinfo=UTC), "b")}
    line = timeline(entries, now)
    assert line["start"] == "2026-12-08T08:05:00+00:00" and line["counts"][-4:] == [2, 0, 0, 1]
    assert sum(line["counts"]) == 3 and len(line["counts"]) == 13   # at least the last hour
    early = {"s0": (now - dt.timedelta(hours=20), "a")}
    assert len(timeline(early, now)["counts"]) == 8 * 12 + 1
    assert timeline({}, now)["counts"] == [0] * 13


def test_the_chart_labels_each_bar():
    svg = str(check_in_chart({"start": "2026-12-08T08:50:00+00:00", "bucket_minutes": 5,
                              "counts": [2, 0, 1]}))
    assert svg.count("<rect") == 3 and "08:50: 2 check-ins" in svg and "09:00" in svg
    assert 'aria-label="Check-ins per 5 minutes since 08:50 UTC: 3 in all"' in svg
