"""SPC charts: recompute a chart's control limits, capability and run-rule flags from its data.

The arithmetic is in `spc_math` (pure functions); this service reads spc_data_points, writes
spc_control_charts (limits, center line, Cp/Cpk/Pp/Ppk, chart_status 'in_control' or
'out_of_control', calculation time) and each point's out_of_control / violation_type (the rule
codes it broke, e.g. "N1,N5").
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from ..errors import DomainError
from ..models.quality import NcrHeaders, SpcControlCharts, SpcDataPoints
from . import spc_math
from ._quality_common import QMS, fetch_one
from .base import ServiceContext

LIMIT_Q = Decimal("0.000001")
INDEX_Q = Decimal("0.001")
INDEX_MAX = Decimal("99.999")


def _dec(value: float | None, q: Decimal, cap: Decimal | None = None) -> Decimal | None:
    if value is None or not math.isfinite(value):
        return None
    d = Decimal(repr(value)).quantize(q)
    if cap is not None:
        d = max(-cap, min(cap, d))
    return d


def _f(value) -> float | None:
    return None if value is None else float(value)


def analyse(chart: dict[str, Any], points: list[dict[str, Any]], rule_set: str = "nelson",
            baseline: int | None = None) -> dict[str, Any]:
    """Limits, capability and flags of a chart's points (pure: rows in, numbers out)."""
    if len(points) < 2:
        raise DomainError(f"Chart {chart['chart_id']} has {len(points)} data point(s); control limits need at least 2.")
    values = [float(p["measurement_value"]) for p in points]
    base = slice(0, baseline) if baseline else slice(None)
    ctype = (chart.get("chart_type") or "i_mr").lower()
    try:
        if ctype in ("xbar_r", "xbar-r", "x_bar_r", "xbar"):
            n = int(chart.get("subgroup_size") or 5)
            ranges = [float(p["range_value"] or 0) for p in points]
            limits = spc_math.xbar_r_limits_from_stats(values[base], ranges[base], n)
            overall = spc_math.overall_sigma_from_subgroups(values, limits.sigma_within, n)
        else:
            limits = spc_math.individuals_limits(values[base])
            overall = None
    except spc_math.SpcError as exc:
        raise DomainError(f"Chart {chart['chart_id']}: {exc}") from None
    cap = spc_math.capability(values, _f(chart.get("lower_spec_limit")), _f(chart.get("upper_spec_limit")),
                              limits.sigma_within, overall)
    result = spc_math.check_rules(values, limits.center_line, limits.sigma, rule_set)
    return {"limits": limits, "capability": cap, "flags": result.flags}


def recompute_chart(ctx: ServiceContext, chart_id: str, rule_set: str = "nelson", baseline: int | None = None) -> dict[str, Any]:
    """Recompute one chart from its data points (limits from the first `baseline` points, or all)."""
    ctx.require(QMS, "write", "Recomputing an SPC chart")
    if rule_set not in spc_math.RULE_SETS:
        raise DomainError(f"Unknown rule set {rule_set!r}; use one of {', '.join(spc_math.RULE_SETS)}.")
    if baseline is not None and baseline < 2:
        raise DomainError("The baseline needs at least 2 points.")
    with ctx.read(QMS) as conn:
        chart = fetch_one(conn, SpcControlCharts, chart_id, "SPC chart")
        points = [dict(r._mapping) for r in conn.execute(
            select(SpcDataPoints.__table__).where(SpcDataPoints.chart_id == chart_id)
            .order_by(SpcDataPoints.measurement_timestamp, SpcDataPoints.subgroup_number, SpcDataPoints.data_point_id))]
    analysis = analyse(chart, points, rule_set, baseline)
    limits, cap, flags = analysis["limits"], analysis["capability"], analysis["flags"]
    status = "out_of_control" if any(flags) else "in_control"
    now = ctx.now()
    chart_values = dict(
        upper_control_limit=_dec(limits.ucl, LIMIT_Q), center_line=_dec(limits.center_line, LIMIT_Q),
        lower_control_limit=_dec(limits.lcl, LIMIT_Q), cp=_dec(cap.cp, INDEX_Q, INDEX_MAX), cpk=_dec(cap.cpk, INDEX_Q, INDEX_MAX),
        pp=_dec(cap.pp, INDEX_Q, INDEX_MAX), ppk=_dec(cap.ppk, INDEX_Q, INDEX_MAX), chart_status=status,
        last_data_point_date=max((p["measurement_timestamp"] for p in points if p["measurement_timestamp"]), default=None),
        last_calculation_date=now, updated_at=now,
    )
    changed_points = []
    with ctx.transaction(QMS) as conn:
        for p, f in zip(points, flags):
            vt = ",".join(f) or None
            ooc = bool(f)
            if bool(p["out_of_control"]) != ooc or (p["violation_type"] or None) != vt:
                conn.execute(update(SpcDataPoints.__table__).where(SpcDataPoints.data_point_id == p["data_point_id"])
                             .values(out_of_control=ooc, violation_type=vt))
                changed_points.append(p["data_point_id"])
        conn.execute(update(SpcControlCharts.__table__).where(SpcControlCharts.chart_id == chart_id).values(**chart_values))
        keys = ("chart_status", "upper_control_limit", "center_line", "lower_control_limit", "cp", "cpk", "pp", "ppk")
        ctx.audit("spc.recompute", QMS, "spc_chart", chart_id, before={k: chart.get(k) for k in keys},
                  after={k: chart_values[k] for k in keys}, detail=f"{len(changed_points)} point flag(s) changed; rules {rule_set}")
    violations = [
        {"data_point_id": p["data_point_id"], "subgroup_number": p["subgroup_number"],
         "measurement_timestamp": p["measurement_timestamp"], "measurement_value": p["measurement_value"], "rules": f}
        for p, f in zip(points, flags) if f
    ]
    return {
        "chart_id": chart_id, "chart_type": chart.get("chart_type"), "rule_set": rule_set, "points": len(points),
        "chart_status": status, "previous_status": chart.get("chart_status"),
        **{k: chart_values[k] for k in ("upper_control_limit", "center_line", "lower_control_limit", "cp", "cpk", "pp", "ppk")},
        "range_center": _dec(limits.range_center, LIMIT_Q), "range_ucl": _dec(limits.range_ucl, LIMIT_Q),
        "violations": violations, "rules_broken": sorted({r for f in flags for r in f}),
        "points_changed": len(changed_points),
        "rule_descriptions": {r: spc_math.describe(r) for r in sorted({r for f in flags for r in f})},
    }


def monitor_charts(ctx: ServiceContext, rule_set: str = "nelson", ncr_after: int = 3,
                   window: dt.timedelta = dt.timedelta(hours=24)) -> dict[str, Any]:
    """The QMS daemon's rule: recompute every active chart; a chart with `ncr_after` or more
    out-of-control points in the last `window` gets an NCR (source_type 'spc', source document
    the chart), unless one is still open for it."""
    ctx.require(QMS, "write", "Monitoring SPC charts")
    from .ncr import create_ncr

    with ctx.read(QMS) as conn:
        ids = conn.execute(select(SpcControlCharts.chart_id).where(
            (SpcControlCharts.chart_status.is_(None)) | (SpcControlCharts.chart_status.notin_(("retired", "inactive"))))
            .order_by(SpcControlCharts.chart_id)).scalars().all()
    out: dict[str, Any] = {"checked": 0, "out_of_control": [], "skipped": [], "ncrs": []}
    since = ctx.now() - window
    for cid in ids:
        try:
            res = recompute_chart(ctx, cid, rule_set)
        except DomainError:
            out["skipped"].append(cid)
            continue
        out["checked"] += 1
        if res["chart_status"] != "out_of_control":
            continue
        out["out_of_control"].append(cid)
        recent = [v for v in res["violations"] if v["measurement_timestamp"] and v["measurement_timestamp"] >= since]
        if len(recent) < ncr_after:
            continue
        with ctx.read(QMS) as conn:
            open_ncr = conn.execute(select(NcrHeaders.ncr_id).where(
                NcrHeaders.source_type == "spc", NcrHeaders.source_document_id == cid,
                NcrHeaders.ncr_status.notin_(("closed", "cancelled")))).first()
        if open_ncr:
            continue
        rules = ", ".join(sorted({r for v in recent for r in v["rules"]}))
        ncr = create_ncr(ctx, defect_description=f"SPC chart {cid} out of control: {len(recent)} points in "
                                                 f"{window.total_seconds() / 3600:g} h break {rules}",
                         quantity_defective=len(recent), defect_type="process_out_of_control", defect_severity="major",
                         source_type="spc", source_document_id=cid, detection_location="in_process")
        out["ncrs"].append(ncr["ncr_id"])
    return out
