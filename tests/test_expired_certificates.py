"""Expired certificates stand out (issue 15, item 7): the list marks 만료됨 in colour, its filter
tells expired ones from those about to expire, and the dashboard shows the expired ones (not
renewed) beside those expiring within 60 days."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt

from boeun_desk.overview import EXPIRED_DAYS, expiry_status, needs_attention
from boeun_desk.ui.dashboard import Dashboard

TODAY = date.today()


def day(days: int) -> date:
    return TODAY + timedelta(days=days)


def test_expiry_status_counts_the_expiry_day_as_valid():
    assert expiry_status(day(-1), TODAY) == "expired"
    assert expiry_status(day(0), TODAY) == "soon" and expiry_status(day(60), TODAY) == "soon"
    assert expiry_status(day(61), TODAY) == "valid" and expiry_status(None, TODAY) == ""


def test_needs_attention_keeps_expired_ones_not_renewed_within_a_year():
    def cert(name: str, firm: str, kind: str, days: int):
        return SimpleNamespace(name=name, firm_id=firm, kind=kind, expires_on=day(days))

    certs = [cert("renewed", "a", "HACCP", -20), cert("renewal", "a", "HACCP", 700),
             cert("lapsed", "b", "HACCP", -20), cert("soon", "b", "GAP", 12), cert("later", "c", "GAP", 90),
             cert("long ago", "d", "KS", -EXPIRED_DAYS - 1), cert("a year", "e", "KS", -EXPIRED_DAYS),
             SimpleNamespace(name="no expiry", firm_id="f", kind="벤처", expires_on=None)]
    assert [c.name for c in needs_attention(certs, TODAY)] == ["a year", "lapsed", "soon"]


def test_the_database_picks_the_same_certificates_as_the_rule(demo):
    """The dashboard's list is read in the database (queries.certifications_needing_attention); it
    must pick exactly what needs_attention picks from every certificate: around both limits,
    renewed and not, several of a kind, deleted certificates and a firm in the 휴지통."""
    import random

    rng = random.Random(18)
    firms = demo.firms.list()[:12]
    offsets = (-EXPIRED_DAYS - 1, -EXPIRED_DAYS, -EXPIRED_DAYS + 1, -400, -30, -1, 0, 1, 59, 60, 61, 500)
    made = []
    for n in range(160):
        firm = rng.choice(firms)
        expires = day(rng.choice(offsets)) if n % 17 else None
        made.append(demo.certifications.create({
            "firm_id": firm.id, "kind": rng.choice(("HACCP", "GAP", "KS")), "number": f"R-{n}",
            "issuer": "시험기관", "issued_on": day(-1000).isoformat(),
            "expires_on": expires.isoformat() if expires else ""}).id)
    for n, offset in enumerate(offsets):  # alone of its kind: each limit decides by itself
        made.append(demo.certifications.create({
            "firm_id": firms[1 + n % 11].id, "kind": f"단독 {n}", "number": f"A-{n}", "issuer": "시험기관",
            "issued_on": day(-1000).isoformat(), "expires_on": day(offset).isoformat()}).id)
    for record_id in made[:160:9]:
        demo.certifications.delete(record_id)  # a deleted one neither shows nor counts as a renewal
    demo.firms.delete(firms[0].id)
    expected = needs_attention(demo.queries.certifications(today=TODAY), TODAY)
    picked = demo.queries.certifications_needing_attention(today=TODAY)
    assert len(expected) > 20
    assert [(c.id, c.expires_on) for c in expected] == [(c.certification_id, c.expires_on) for c in picked] or (
        sorted(c.id for c in expected) == sorted(c.certification_id for c in picked)
        and [c.expires_on for c in expected] == [c.expires_on for c in picked])  # ties in any order


@pytest.fixture
def certificates(context):
    """One expired 20 days ago, one expiring in 12 days, one valid for long, for three firms."""
    firms = context.services.firms.list()[:3]
    made = {}
    for firm, (label, days) in zip(firms, (("expired", -20), ("soon", 12), ("valid", 400)), strict=True):
        made[label] = context.services.certifications.create({
            "firm_id": firm.id, "kind": f"시험 인증 {label}", "number": f"T-{label}", "issuer": "시험기관",
            "issued_on": day(days - 365).isoformat(), "expires_on": day(days).isoformat()}).id
    return made


def test_the_list_marks_expired_in_colour_and_soon_with_days_left(window, certificates):
    screen = window.screen("certifications")
    model = screen.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    date, status = headers.index("만료일"), headers.index("만료 상태")
    assert status == date + 1  # beside the date

    def cell(record_id: str, at: int, role=Qt.ItemDataRole.DisplayRole):
        return model.index(model.row_of(record_id), at).data(role)

    assert [cell(certificates[k], status) for k in ("expired", "soon", "valid")] == ["만료됨", "D-12", ""]
    assert cell(certificates["expired"], date) == day(-20).isoformat()  # the date itself, whole
    red = cell(certificates["expired"], 0, Qt.ItemDataRole.ForegroundRole)  # the whole row, the firm too
    assert red is not None and red.name() == "#b3261e"
    assert cell(certificates["soon"], status, Qt.ItemDataRole.ForegroundRole) is not None  # amber
    assert cell(certificates["soon"], 0, Qt.ItemDataRole.ForegroundRole) is None
    assert cell(certificates["valid"], status, Qt.ItemDataRole.ForegroundRole) is None
    model.sort(status, Qt.SortOrder.AscendingOrder)  # sorting by it sorts by the expiry date
    dates = [model.row_at(row).expires_on for row in range(model.rowCount())]
    assert dates == sorted(dates)


def test_the_filter_tells_expired_from_about_to_expire(window, certificates):
    screen = window.screen("certifications")
    expiry = screen.filters["_expiring"]
    shown = {}
    for label in ("만료됨", "30일 이내 만료 예정", "만료 전체"):
        expiry.setCurrentIndex(expiry.findText(label))
        shown[label] = set(screen.model.ids())
    assert certificates["expired"] in shown["만료됨"] and certificates["soon"] not in shown["만료됨"]
    assert certificates["soon"] in shown["30일 이내 만료 예정"]
    assert certificates["expired"] not in shown["30일 이내 만료 예정"]
    assert certificates["valid"] in shown["만료 전체"] and certificates["valid"] not in shown["만료됨"]
    expired = {row.id for row in screen.context.services.queries.expired_certifications()}
    assert shown["만료됨"] == expired and all(
        row.expires_on < TODAY for row in screen.context.services.queries.expired_certifications())


def test_the_dashboard_shows_expired_ones_beside_those_expiring(context, qtbot, certificates):
    dashboard = Dashboard(context)
    qtbot.addWidget(dashboard)
    rows = {row[-1]: row for row in dashboard.expiring.rows}
    assert certificates["expired"] in rows and certificates["soon"] in rows
    assert certificates["valid"] not in rows
    assert rows[certificates["expired"]][3] == "만료됨 (20일 지남)" and rows[certificates["soon"]][3] == "D-12"
    ids = [row[-1] for row in dashboard.expiring.rows]
    assert ids.index(certificates["expired"]) < ids.index(certificates["soon"])  # in expiry order
    red = dashboard.expiring.index(ids.index(certificates["expired"]), 0).data(Qt.ItemDataRole.ForegroundRole)
    assert red is not None and red.name() == "#b3261e"
    assert dashboard.expiring_box.title() == "만료됐거나 60일 이내 만료되는 인증"
    # Renewed (a certificate of the same kind for the same firm that expires later): off the dashboard.
    expired = context.services.certifications.get(certificates["expired"])
    context.create("certifications", {"firm_id": expired.firm_id, "kind": expired.kind, "number": "T-renewed",
                                      "issued_on": day(-20).isoformat(), "expires_on": day(3 * 365).isoformat()})
    assert certificates["expired"] not in {row[-1] for row in dashboard.expiring.rows}


def test_widths_saved_for_other_columns_are_not_put_on_these(context, qtbot):
    from PySide6.QtCore import QByteArray

    from boeun_desk.ui.list_screen import ListScreen
    from boeun_desk.ui.specs import SPECS
    from boeun_desk.ui.table_model import Lookups

    lookups = Lookups(context)
    first = ListScreen(context, SPECS["certifications"], lookups)
    qtbot.addWidget(first)
    width = first.view.columnWidth(first.model.columnCount() - 2)  # 만료 상태
    # Widths saved by the earlier version (seven columns, no signature): not applied.
    old = ListScreen(context, SPECS["firms"], lookups)
    qtbot.addWidget(old)
    old.view.setColumnWidth(0, 333)
    context.settings.setValue("columns/certifications", old.view.horizontalHeader().saveState())
    context.settings.remove("column-sets/columns/certifications")
    assert isinstance(context.settings.value("columns/certifications"), QByteArray)
    second = ListScreen(context, SPECS["certifications"], lookups)
    qtbot.addWidget(second)
    assert second.view.columnWidth(0) != 333 and second.view.columnWidth(6) == width
    second.view.setColumnWidth(0, 250)  # saved with its signature: given back
    third = ListScreen(context, SPECS["certifications"], lookups)
    qtbot.addWidget(third)
    assert third.view.columnWidth(0) == 250
    context.settings.remove("column-sets/columns/firms")  # a list saved before signatures: still given back
    firms = ListScreen(context, SPECS["firms"], lookups)
    qtbot.addWidget(firms)
    assert firms.view.columnWidth(0) == 333


def test_the_dashboards_date_and_days_columns_show_their_whole_text(context, qtbot, certificates):
    """The columns after the stretching one are sized from their longest text (not every row, for
    the start): never narrower than Qt's measure of all rows, so no date or "만료됨 (...)" is cut."""
    from PySide6.QtWidgets import QTableView

    dashboard = Dashboard(context)
    qtbot.addWidget(dashboard)
    dashboard.resize(1200, 700)
    dashboard.show()
    qtbot.waitExposed(dashboard)
    views = {view.model(): view for view in dashboard.findChildren(QTableView)}
    expiring = views[dashboard.expiring]
    assert any(row[3].startswith("만료됨") for row in dashboard.expiring.rows)
    for view, columns in ((expiring, (2, 3)), (views[dashboard.overdue], (2,))):
        header = view.horizontalHeader()
        header.setResizeContentsPrecision(-1)  # Qt's measure over every row, for the comparison
        for column in columns:
            assert header.sectionSize(column) >= max(view.sizeHintForColumn(column), header.sectionSizeHint(column))
    # New rows (a longer days-left text) are measured again.
    dashboard.expiring.set_rows([("기업", "인증", TODAY, "만료됨 (365일 지남)", "x")])
    assert expiring.horizontalHeader().sectionSize(3) >= expiring.sizeHintForColumn(3)
