"""SPC: limits from data with the standard constants, each Nelson and Western Electric rule broken
alone by a sequence built for it, capability indices on a known dataset, and the chart service."""

from __future__ import annotations

import math
import statistics
from decimal import Decimal

import pytest
from sqlalchemy import select

from genims_tui.backend.errors import DomainError
from genims_tui.backend.models.quality import SpcControlCharts, SpcDataPoints
from genims_tui.backend.services import spc, spc_math

from . import quality_data as qd
from .quality_data import estate  # noqa: F401 -- the module-scoped estate fixture (SQLite and PostgreSQL)

# A quiet base: none of the 12 rules fires on it (checked below), so a pattern spliced into it is
# the only thing that can.
BASE = [0.5, -0.4, 1.3, 0.2, -1.2, -0.3, 0.6, 0.9, -0.7]


def seq(*middle: float) -> list[float]:
    return BASE + list(middle) + BASE


NELSON_CASES = {
    "N1": seq(3.5),
    "N2": seq(0.3, 0.6, 0.2, 0.5, 0.4, 0.7, 0.3, 0.5, 0.6, -1.3),
    "N3": seq(-0.8, -0.5, -0.2, 0.1, 0.4, 0.7, -0.4),
    "N4": seq(1.2, -0.5, 0.8, -1.1, 0.9, -0.3, 1.4, -0.6, 0.7, -1.2, 0.5, -0.8, 1.1, -0.4, -0.9),
    "N5": seq(2.5, 0.1, 2.4, -0.5),
    "N6": seq(1.5, 1.4, 0.2, 1.6, 1.3, -0.5),
    "N7": seq(0.5, -0.4, 0.3, 0.2, -0.6, -0.3, 0.6, 0.1, -0.7, 0.4, -0.2, 0.3, 0.5, -0.5, -0.1, 1.5),
    "N8": seq(1.5, -1.5, -1.6, 1.4, 1.6, -1.4, 1.7, -1.5, 0.2),
}
WE_CASES = {
    "WE1": seq(-3.4),
    "WE2": seq(-2.2, -0.3, -2.6, 0.4),
    "WE3": seq(-1.2, -1.5, -1.1, 0.3, -1.3, 0.6),
    "WE4": seq(0.3, 0.6, 0.2, 0.5, 0.4, 0.7, 0.3, 0.5, -1.3),
}


@pytest.mark.parametrize("rule_set", ["nelson", "western_electric", "both"])
def test_the_base_breaks_no_rule(rule_set):
    assert spc_math.check_rules(BASE * 6, 0.0, 1.0, rule_set).rules_broken == set()


@pytest.mark.parametrize("rule", sorted(NELSON_CASES))
def test_each_nelson_rule_alone(rule):
    result = spc_math.check_rules(NELSON_CASES[rule], 0.0, 1.0, "nelson")
    assert result.rules_broken == {rule}
    flagged = [i for i, f in enumerate(result.flags) if f]
    assert flagged and all(result.flags[i] == [rule] for i in flagged)
    assert all(i >= len(BASE) for i in flagged)  # flagged inside the spliced pattern, never in the base


@pytest.mark.parametrize("rule", sorted(WE_CASES))
def test_each_western_electric_rule_alone(rule):
    result = spc_math.check_rules(WE_CASES[rule], 0.0, 1.0, "western_electric")
    assert result.rules_broken == {rule}


def test_pattern_lengths_are_exact():
    # 8 on one side is WE4 but not yet Nelson 2 (which needs 9); 5 rising is not yet Nelson 3
    assert spc_math.check_rules(WE_CASES["WE4"], 0, 1, "nelson").rules_broken == set()
    assert spc_math.check_rules(seq(-0.8, -0.5, -0.2, 0.1, 0.4, -0.4), 0, 1, "nelson").rules_broken == set()
    # the point completing the pattern is the one flagged
    n2 = spc_math.check_rules(NELSON_CASES["N2"], 0, 1, "nelson")
    assert [i for i, f in enumerate(n2.flags) if f] == [len(BASE) + 8]
    both = spc_math.check_rules(NELSON_CASES["N1"], 0, 1, "both")
    assert both.flags[len(BASE)] == ["N1", "WE1"]


def test_xbar_r_limits_use_the_standard_constants():
    subgroups = [[10.0, 10.2, 9.9, 10.1, 10.3], [9.8, 10.0, 10.1, 9.9, 10.2], [10.1, 10.4, 10.0, 10.2, 9.9]]
    lim = spc_math.xbar_r_limits(subgroups)
    xbarbar = statistics.fmean(statistics.fmean(s) for s in subgroups)
    rbar = statistics.fmean(max(s) - min(s) for s in subgroups)
    assert math.isclose(lim.center_line, xbarbar)
    assert math.isclose(lim.ucl, xbarbar + 0.577 * rbar) and math.isclose(lim.lcl, xbarbar - 0.577 * rbar)
    assert math.isclose(lim.range_ucl, 2.114 * rbar) and lim.range_lcl == 0.0
    assert math.isclose(lim.sigma_within, rbar / 2.326)
    seven = spc_math.xbar_r_limits_from_stats([1.0, 2.0], [1.0, 1.0], 7)
    assert math.isclose(seven.range_lcl, 0.076) and math.isclose(seven.range_ucl, 1.924)
    with pytest.raises(spc_math.SpcError):
        spc_math.xbar_r_limits_from_stats([1.0, 2.0], [1.0, 1.0], 11)


# A known dataset: mean 11.375, MR-bar 10/7, sigma within = MR-bar / 1.128, sample sd sqrt(1.125).
KNOWN = [10, 12, 11, 13, 12, 11, 10, 12]


def test_individuals_limits_and_capability_on_a_known_dataset():
    lim = spc_math.individuals_limits(KNOWN)
    mrbar = 10 / 7
    sigma_w = mrbar / 1.128
    assert math.isclose(lim.center_line, 11.375)
    assert math.isclose(lim.ucl, 11.375 + 3 * sigma_w) and math.isclose(lim.range_ucl, 3.267 * mrbar)
    cap = spc_math.capability(KNOWN, 6.0, 16.0, lim.sigma_within)
    assert cap.cp == pytest.approx(1.31600, abs=1e-4)
    assert cap.cpk == pytest.approx(1.21730, abs=1e-4)
    assert cap.pp == pytest.approx(1.57135, abs=1e-4)
    assert cap.ppk == pytest.approx(1.45350, abs=1e-4)
    one_sided = spc_math.capability(KNOWN, None, 16.0, lim.sigma_within)
    assert one_sided.cp is None and one_sided.cpk == pytest.approx(4.625 / (3 * sigma_w))


def test_recompute_chart_updates_limits_indices_status_and_flags(estate):
    values = [float(v) for v in KNOWN] * 3
    qd.chart(estate, "SPC-0001", values, lsl="6", usl="16")
    ctx = qd.ctx_for(estate, "quality_inspector")
    result = spc.recompute_chart(ctx, "SPC-0001")
    assert result["chart_status"] == "in_control" and result["violations"] == []
    chart = qd.row(estate, SpcControlCharts, "SPC-0001")
    assert chart["center_line"] == Decimal("11.375000") and chart["chart_status"] == "in_control"
    assert chart["cp"] is not None and chart["cpk"] < chart["cp"] and chart["last_calculation_date"] == qd.NOW

    # limits from a baseline, then a point far outside them
    qd.chart(estate, "SPC-0002", BASE + [3.5] + BASE)
    result = spc.recompute_chart(ctx, "SPC-0002", baseline=len(BASE))
    assert result["chart_status"] == "out_of_control" and result["rules_broken"] == ["N1"]
    with estate.connect(qd.QMS) as conn:
        flagged = conn.execute(select(SpcDataPoints.data_point_id, SpcDataPoints.violation_type)
                               .where(SpcDataPoints.chart_id == "SPC-0002", SpcDataPoints.out_of_control.is_(True))).all()
    assert flagged == [(f"SPC-0002-P{len(BASE):03d}", "N1")]
    assert qd.row(estate, SpcControlCharts, "SPC-0002")["chart_status"] == "out_of_control"
    # a rerun changes no point
    assert spc.recompute_chart(ctx, "SPC-0002", baseline=len(BASE))["points_changed"] == 0


def test_xbar_chart_and_refusals(estate):
    means = [10.0, 10.1, 9.9, 10.05, 9.95, 10.0, 10.02, 9.98]
    qd.chart(estate, "SPC-0003", means, chart_type="xbar_r", ranges=[0.3] * 8, subgroup_size=5, lsl="9", usl="11")
    result = spc.recompute_chart(qd.ctx_for(estate), "SPC-0003", rule_set="both")
    rbar = 0.3
    assert float(result["upper_control_limit"]) == pytest.approx(statistics.fmean(means) + 0.577 * rbar, abs=1e-6)
    assert float(result["cp"]) == pytest.approx(2 / (6 * rbar / 2.326), abs=1e-3)
    qd.chart(estate, "SPC-0004", [1.0])
    before = qd.snapshot(estate)
    with pytest.raises(DomainError, match="at least 2"):
        spc.recompute_chart(qd.ctx_for(estate), "SPC-0004")
    with pytest.raises(DomainError, match="rule set"):
        spc.recompute_chart(qd.ctx_for(estate), "SPC-0003", rule_set="nelsen")
    assert qd.snapshot(estate) == before


def test_monitor_raises_one_ncr_for_a_chart_with_three_recent_violations(estate):
    from genims_tui.backend.models.quality import NcrHeaders

    # limits from every point: three far points among many quiet ones break N1 three times
    qd.chart(estate, "SPC-0005", BASE * 4 + [9.0, 0.1, 9.5, -0.2, 9.2])
    ctx = qd.ctx_for(estate)
    first = spc.monitor_charts(ctx)
    assert "SPC-0005" in first["out_of_control"]
    with estate.connect(qd.QMS) as conn:
        ncrs = conn.execute(select(NcrHeaders.ncr_id, NcrHeaders.ncr_status, NcrHeaders.quantity_defective)
                            .where(NcrHeaders.source_type == "spc", NcrHeaders.source_document_id == "SPC-0005")).all()
    assert len(ncrs) == 1 and ncrs[0][1] == "open" and ncrs[0][0] in first["ncrs"]
    again = spc.monitor_charts(ctx)
    assert again["ncrs"] == [] and "SPC-0005" in again["out_of_control"]
