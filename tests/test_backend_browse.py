"""The data browser's read side on SQLite and PostgreSQL (both layouts): paging never overlaps and
says correctly whether there is more, the filter grammar, sorting, permissions, table names, records
with their references, referrers with bounded counts, and a bounded page of a 100k-row table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import insert, text

from genims_tui.backend import browse
from genims_tui.backend.access import SYSTEM_USER, role_user
from genims_tui.backend.browse import PageQuery
from genims_tui.backend.errors import DomainError, NotFound, PermissionDenied
from genims_tui.backend.models import BASES

ERP = "genims_erp_db"
OPS = "genims_operations_db"
MATERIALS = 120
TYPES = ("raw_material", "component", "finished_good")


def erp_table(name):
    return BASES[ERP].metadata.tables[name]


def fill_materials(dbs) -> None:
    dbs.create([ERP])
    with dbs.begin(ERP) as conn:
        conn.execute(insert(erp_table("suppliers")), [{"supplier_id": "SUP-000001", "supplier_name": "Acme 100% Steel"}])
        conn.execute(insert(erp_table("materials")), [
            {"material_id": f"MAT-{i:06d}", "material_name": f"Part {i} {'Widget' if i % 10 == 0 else 'Bolt'}",
             "material_type": TYPES[i % 3], "standard_cost": Decimal(i) / 4, "lead_time_days": i % 7,
             "default_supplier_id": "SUP-000001" if i % 2 else None}
            for i in range(1, MATERIALS + 1)])
        conn.execute(insert(erp_table("purchase_orders")), [{"purchase_order_id": "PO-000001", "supplier_id": "SUP-000001"}])
        conn.execute(insert(erp_table("purchase_order_lines")), [
            {"po_line_id": f"POL-{i:06d}", "purchase_order_id": "PO-000001", "line_number": i * 10,
             "material_id": "MAT-000007"} for i in range(1, 4)])


def page(dbs, pq: PageQuery, user=SYSTEM_USER, table="materials"):
    return browse.page_table(dbs, user, "erp", table, pq)


def test_pages_never_overlap_and_has_more_is_right(any_dbs):
    fill_materials(any_dbs)
    for sort in (None, "material_type"):  # the key breaks ties, so a non-unique sort pages stably too
        seen: list[str] = []
        pq = PageQuery(limit=50, sort_column=sort)
        shapes = []
        while True:
            p = page(any_dbs, pq)
            shapes.append((p.offset, len(p.rows), p.has_more))
            seen += p.keys
            if not p.has_more:
                break
            pq = pq.next()
        assert shapes == [(0, 50, True), (50, 50, True), (100, 20, False)]
        assert len(seen) == len(set(seen)) == MATERIALS
    exact = page(any_dbs, PageQuery(limit=40, offset=80))
    assert len(exact.rows) == 40 and not exact.has_more  # the last full page knows it is the last
    assert page(any_dbs, PageQuery(offset=500)).rows == []


def test_filter_grammar(any_dbs):
    fill_materials(any_dbs)

    def keys(filter_text):
        return page(any_dbs, PageQuery(limit=500, filter_text=filter_text)).keys

    assert keys("widget") == [f"MAT-{i:06d}" for i in range(10, MATERIALS + 1, 10)]  # any text column, any case
    assert keys("material_type=component") == [f"MAT-{i:06d}" for i in range(1, MATERIALS + 1) if i % 3 == 1]
    assert keys("material_name~t_1") == []  # `_` is a literal, not a wildcard
    assert keys("standard_cost>29.5") == [f"MAT-{i:06d}" for i in range(119, MATERIALS + 1)]
    assert keys("standard_cost<=0.5 material_type=raw_material") == []  # terms are ANDed (1, 2 are not raw)
    assert keys("lead_time_days=0 widget") == ["MAT-000070"]
    assert keys("material_id=MAT-000042") == ["MAT-000042"]
    with pytest.raises(DomainError, match="There is no column 'colour'") as caught:
        keys("colour=red")
    assert "material_name" in caught.value.hint
    with pytest.raises(DomainError, match="not a valid value for standard_cost"):
        keys("standard_cost>cheap")
    with pytest.raises(DomainError, match="at most"):
        keys("x" * 201)


def test_sort_ascending_and_descending(any_dbs):
    fill_materials(any_dbs)
    up = page(any_dbs, PageQuery(limit=5, sort_column="standard_cost"))
    down = page(any_dbs, PageQuery(limit=5, sort_column="standard_cost", descending=True))
    assert up.keys == [f"MAT-{i:06d}" for i in range(1, 6)]
    assert down.keys == [f"MAT-{i:06d}" for i in range(MATERIALS, MATERIALS - 5, -1)]
    with pytest.raises(DomainError, match="no column 'price' to sort by"):
        page(any_dbs, PageQuery(sort_column="price"))


def test_a_role_without_read_is_refused(any_dbs):
    fill_materials(any_dbs)
    supervisor = role_user("shift_supervisor")  # no ERP access at all
    with pytest.raises(PermissionDenied, match="needs read access to genims_erp_db"):
        page(any_dbs, PageQuery(), user=supervisor)
    with pytest.raises(PermissionDenied):
        browse.get_record(any_dbs, supervisor, "erp", "materials", "MAT-000001")
    with pytest.raises(PermissionDenied):
        browse.bounded_counts(any_dbs, supervisor, "erp", ["materials"])
    assert not any(name.startswith("erp.") for name in browse.table_names(supervisor))
    assert "master.factories" in browse.table_names(supervisor)
    assert len(browse.table_names(SYSTEM_USER)) == 257


def test_table_names_parse_and_refuse_unknown_ones():
    assert browse.parse_table_name("erp.purchase_orders") == (ERP, "purchase_orders")
    assert browse.parse_table_name("genims_quality_db.ncr_headers") == ("genims_quality_db", "ncr_headers")
    assert browse.parse_table_name("purchase_order_lines") == (ERP, "purchase_order_lines")  # only one home
    with pytest.raises(NotFound, match="Say which database") as caught:
        browse.parse_table_name("employees")  # master and hr both have one
    assert "master.employees" in caught.value.hint
    with pytest.raises(NotFound, match="There is no table 'nope'"):
        browse.parse_table_name("erp.nope")
    with pytest.raises(NotFound, match="no logical database"):
        browse.parse_table_name("bogus.materials")


def test_a_record_marks_its_references_and_counts_its_referrers(any_dbs):
    fill_materials(any_dbs)
    record = browse.get_record(any_dbs, SYSTEM_USER, "erp", "purchase_order_lines", "POL-000002")
    assert record.field("material_id").value == "MAT-000007"
    assert record.field("material_id").target == (ERP, "materials")
    assert record.field("plant_id").target == ("genims_master_db", "factories")  # across databases
    assert record.field("line_number").target is None and record.field("po_line_id").primary_key
    with pytest.raises(NotFound, match="There is no materials row MAT-999999"):
        browse.get_record(any_dbs, SYSTEM_USER, "erp", "materials", "MAT-999999")

    counted = {(r.dotted, r.column): r.count for r in
               browse.count_referrers(any_dbs, SYSTEM_USER, "erp", "materials", "MAT-000007", cap=2)}
    assert counted[("erp.purchase_order_lines", "material_id")] == 2  # 3 lines, counted up to the cap
    assert counted[("erp.goods_receipts", "material_id")] == 0
    # referrers in databases that were never created are listed uncounted, not an error
    assert counted[("wms.receiving_tasks", "material_id")] is None
    planner = role_user("maintenance_tech")  # no ERP read: the ERP referrers are listed, not counted
    assert all(r.count is None for r in browse.count_referrers(any_dbs, planner, "erp", "materials", "MAT-000007"))


def fill_sensor_data(dbs, rows: int) -> None:
    """`rows` readings in one INSERT ... SELECT (a generated series), fast on both engines."""
    dbs.create([OPS])
    with dbs.begin(OPS) as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :rows) "
                "INSERT INTO sensor_data (sensor_data_id, sensor_id, machine_id, timestamp, measurement_value, status) "
                "SELECT i, 'SEN-' || printf('%06d', i % 500), 'MCH-000001', "
                "datetime('2026-01-01', '+' || (i * 10) || ' seconds'), (i % 1000) / 10.0, 'normal' FROM n"),
                {"rows": rows})
        else:
            conn.execute(text(
                "INSERT INTO sensor_data (sensor_data_id, sensor_id, machine_id, timestamp, measurement_value, status) "
                "SELECT i, 'SEN-' || lpad((i % 500)::text, 6, '0'), 'MCH-000001', "
                "timestamp '2026-01-01' + i * interval '10 seconds', (i % 1000) / 10.0, 'normal' "
                "FROM generate_series(1, :rows) AS i"), {"rows": rows})


def test_a_page_of_a_100k_row_table_is_bounded(any_dbs):
    fill_sensor_data(any_dbs, 100_000)
    first = browse.page_table(any_dbs, SYSTEM_USER, "operations", "sensor_data", PageQuery())
    assert len(first.rows) == 50 and first.has_more and first.keys[0] == "1"
    deep = browse.page_table(any_dbs, SYSTEM_USER, "operations", "sensor_data", PageQuery(offset=99_990))
    assert len(deep.rows) == 10 and not deep.has_more and deep.keys[-1] == "100000"
    # deep pages in key order: a key-only seek, then the next page by keyset from the last key
    def keys(pq):
        return [int(k) for k in browse.page_table(any_dbs, SYSTEM_USER, "operations", "sensor_data", pq).keys]

    deep_pq = PageQuery(offset=60_000)
    assert keys(deep_pq) == list(range(60_001, 60_051))
    assert keys(deep_pq.next()) == list(range(60_051, 60_101))
    assert keys(deep_pq.next().previous()) == list(range(60_001, 60_051))
    backwards = PageQuery(offset=10_000, sort_column="sensor_data_id", descending=True)
    assert keys(backwards) == list(range(90_000, 89_950, -1))
    assert keys(backwards.next()) == list(range(89_950, 89_900, -1))
    narrowed = PageQuery(offset=5_000, limit=100, filter_text="sensor_id=SEN-000007")  # 200 rows match
    assert keys(narrowed) == []
    assert keys(PageQuery(offset=100, filter_text="sensor_id=SEN-000007")) == [7 + 500 * i for i in range(100, 150)]
    filtered = browse.page_table(any_dbs, SYSTEM_USER, "operations", "sensor_data",
                                 PageQuery(filter_text="sensor_id=SEN-000007", limit=500))
    assert len(filtered.rows) == 200 and not filtered.has_more
    assert browse.bounded_counts(any_dbs, SYSTEM_USER, "operations", ["sensor_data"], cap=10_000) == {
        "sensor_data": (10_000, True)}
    reading = browse.get_record(any_dbs, SYSTEM_USER, "operations", "sensor_data", "4242")
    assert reading.field("timestamp").value == dt.datetime(2026, 1, 1) + dt.timedelta(seconds=42_420)
    assert reading.field("sensor_id").target == ("genims_master_db", "sensors")


def test_an_ncr_points_at_its_source_document_by_type(sqlite_dbs):
    sqlite_dbs.create(["genims_quality_db"])
    ncrs = BASES["genims_quality_db"].metadata.tables["ncr_headers"]
    with sqlite_dbs.begin("genims_quality_db") as conn:
        conn.execute(insert(ncrs), [
            {"ncr_id": "NCR-1", "source_type": "mes_inspection", "source_document_id": "QI-0000001"},
            {"ncr_id": "NCR-2", "source_type": "incoming_inspection", "source_document_id": "GR-000001"},
            {"ncr_id": "NCR-3", "source_type": "manual", "source_document_id": "NOTE-7"}])

    def target(key):
        return browse.get_record(sqlite_dbs, SYSTEM_USER, "quality", "ncr_headers", key).field("source_document_id").target

    assert target("NCR-1") == ("genims_manufacturing_db", "quality_inspections")
    assert target("NCR-2") == (ERP, "goods_receipts")
    assert target("NCR-3") is None  # a source the browser cannot place stays plain text
