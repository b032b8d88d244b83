"""Every catalog table and column exists after init, on SQLite and PostgreSQL in both layouts."""

from genims_tui.backend.catalog import totals
from genims_tui.backend.check import check_conformance


def test_init_then_check_conforms(any_dbs):
    any_dbs.create()
    report = check_conformance(any_dbs)
    assert (report.tables_checked, report.columns_checked) == (257, 5124) == totals()
    assert report.problems == []
    # A second init creates nothing.
    assert sum(r["tables_created"] for r in any_dbs.create()) == 0
