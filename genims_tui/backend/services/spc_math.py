"""Statistical process control, as pure functions (no database, no I/O).

- Control limits from data: X-bar/R charts from rational subgroups (constants A2, D3, D4, d2 by
  subgroup size) and individuals charts (I-MR: moving ranges of two, d2 = 1.128).
- Run rules: the eight Nelson rules and the four Western Electric rules. Each point is flagged
  with every rule it completes (the last point of the pattern; a continuing pattern keeps
  flagging each new point).
- Capability: Cp, Cpk from the within-subgroup sigma (R-bar/d2 or MR-bar/d2); Pp, Ppk from the
  overall sample standard deviation.

Rule codes are short so that a point breaking several still fits spc_data_points.violation_type
(VARCHAR(50)): N1..N8 for Nelson, WE1..WE4 for Western Electric.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

# Subgroup size -> (A2, D3, D4, d2): the standard table of control chart constants.
CONSTANTS: dict[int, tuple[float, float, float, float]] = {
    2: (1.880, 0.0, 3.267, 1.128),
    3: (1.023, 0.0, 2.574, 1.693),
    4: (0.729, 0.0, 2.282, 2.059),
    5: (0.577, 0.0, 2.114, 2.326),
    6: (0.483, 0.0, 2.004, 2.534),
    7: (0.419, 0.076, 1.924, 2.704),
    8: (0.373, 0.136, 1.864, 2.847),
    9: (0.337, 0.184, 1.816, 2.970),
    10: (0.308, 0.223, 1.777, 3.078),
}

NELSON_RULES: dict[str, str] = {
    "N1": "1 point more than 3 sigma from the center line",
    "N2": "9 points in a row on the same side of the center line",
    "N3": "6 points in a row steadily increasing or decreasing",
    "N4": "14 points in a row alternating up and down",
    "N5": "2 of 3 points in a row more than 2 sigma from the center line, same side",
    "N6": "4 of 5 points in a row more than 1 sigma from the center line, same side",
    "N7": "15 points in a row within 1 sigma of the center line",
    "N8": "8 points in a row more than 1 sigma from the center line, on both sides",
}
WESTERN_ELECTRIC_RULES: dict[str, str] = {
    "WE1": "1 point beyond the 3 sigma limits",
    "WE2": "2 of 3 points in a row beyond 2 sigma, same side",
    "WE3": "4 of 5 points in a row beyond 1 sigma, same side",
    "WE4": "8 points in a row on the same side of the center line",
}
RULE_SETS = ("nelson", "western_electric", "both")


class SpcError(ValueError):
    """The data cannot give control limits (too few points, a subgroup size without constants)."""


@dataclass(frozen=True)
class Limits:
    chart_type: str  # 'xbar_r' or 'i_mr'
    center_line: float
    ucl: float
    lcl: float
    sigma: float  # sigma of the plotted statistic (for the zones of the run rules)
    sigma_within: float  # process sigma within subgroups (for Cp, Cpk)
    range_center: float  # R-bar or MR-bar
    range_ucl: float
    range_lcl: float
    subgroup_size: int


@dataclass(frozen=True)
class Capability:
    cp: float | None
    cpk: float | None
    pp: float | None
    ppk: float | None


@dataclass
class RuleResult:
    flags: list[list[str]] = field(default_factory=list)  # per point, the rules it broke

    @property
    def out_of_control(self) -> list[bool]:
        return [bool(f) for f in self.flags]

    @property
    def rules_broken(self) -> set[str]:
        return {r for f in self.flags for r in f}


# -- limits ---------------------------------------------------------------------------------------


def xbar_r_limits(subgroups: Sequence[Sequence[float]]) -> Limits:
    """X-bar/R limits from subgroups of one size (2..10)."""
    if len(subgroups) < 2:
        raise SpcError("An X-bar/R chart needs at least 2 subgroups.")
    sizes = {len(s) for s in subgroups}
    if len(sizes) != 1:
        raise SpcError(f"Subgroups must all have one size; got sizes {sorted(sizes)}.")
    n = sizes.pop()
    means = [statistics.fmean(s) for s in subgroups]
    ranges = [max(s) - min(s) for s in subgroups]
    return xbar_r_limits_from_stats(means, ranges, n)


def xbar_r_limits_from_stats(means: Sequence[float], ranges: Sequence[float], n: int) -> Limits:
    """X-bar/R limits from subgroup means and ranges (as spc_data_points stores them)."""
    if n not in CONSTANTS:
        raise SpcError(f"No control chart constants for subgroups of {n}; use 2 to 10.")
    if len(means) < 2 or len(means) != len(ranges):
        raise SpcError("An X-bar/R chart needs at least 2 subgroups, each with a mean and a range.")
    a2, d3, d4, d2 = CONSTANTS[n]
    xbarbar = statistics.fmean(means)
    rbar = statistics.fmean(ranges)
    return Limits("xbar_r", xbarbar, xbarbar + a2 * rbar, xbarbar - a2 * rbar, a2 * rbar / 3, rbar / d2,
                  rbar, d4 * rbar, d3 * rbar, n)


def individuals_limits(values: Sequence[float]) -> Limits:
    """I-MR limits: center = mean, sigma = MR-bar / d2 (d2 = 1.128 for moving ranges of 2)."""
    if len(values) < 2:
        raise SpcError("An individuals chart needs at least 2 points.")
    _, d3, d4, d2 = CONSTANTS[2]
    mean = statistics.fmean(values)
    mrbar = statistics.fmean(moving_ranges(values))
    sigma = mrbar / d2
    return Limits("i_mr", mean, mean + 3 * sigma, mean - 3 * sigma, sigma, sigma, mrbar, d4 * mrbar, d3 * mrbar, 1)


def moving_ranges(values: Sequence[float]) -> list[float]:
    return [abs(b - a) for a, b in zip(values, values[1:])]


# -- capability -----------------------------------------------------------------------------------


def capability(values: Sequence[float], lsl: float | None, usl: float | None, sigma_within: float,
               sigma_overall: float | None = None) -> Capability:
    """Cp/Cpk (within sigma) and Pp/Ppk (overall sample standard deviation of `values`, unless
    `sigma_overall` is given). One-sided specifications give only the k indices."""
    mean = statistics.fmean(values)
    if sigma_overall is None:
        sigma_overall = statistics.stdev(values) if len(values) > 1 else 0.0

    def indices(sigma: float) -> tuple[float | None, float | None]:
        if not sigma or sigma <= 0 or not math.isfinite(sigma):
            return None, None
        p = (usl - lsl) / (6 * sigma) if usl is not None and lsl is not None else None
        sides = [x for x in ((usl - mean) if usl is not None else None, (mean - lsl) if lsl is not None else None)
                 if x is not None]
        k = min(sides) / (3 * sigma) if sides else None
        return p, k

    cp, cpk = indices(sigma_within)
    pp, ppk = indices(sigma_overall)
    return Capability(cp, cpk, pp, ppk)


def overall_sigma_from_subgroups(means: Sequence[float], sigma_within: float, n: int) -> float:
    """Overall sigma when only subgroup means are stored: var(total) = var(means) + sigma_w^2 (1 - 1/n)."""
    var_means = statistics.variance(means) if len(means) > 1 else 0.0
    return math.sqrt(max(0.0, var_means + sigma_within**2 * (1 - 1 / n)))


# -- run rules ------------------------------------------------------------------------------------


def check_rules(values: Sequence[float], center: float, sigma: float, rule_set: str = "nelson") -> RuleResult:
    """The rules each point breaks, for `values` plotted around `center` with `sigma` the
    standard deviation of the plotted statistic (zones at 1, 2 and 3 sigma)."""
    if rule_set not in RULE_SETS:
        raise SpcError(f"Unknown rule set {rule_set!r}; use one of {', '.join(RULE_SETS)}.")
    n = len(values)
    flags: list[list[str]] = [[] for _ in range(n)]
    if n == 0:
        return RuleResult(flags)
    if not sigma or sigma <= 0 or not math.isfinite(sigma):
        return RuleResult(flags)  # no spread: no zones to test against
    z = [(v - center) / sigma for v in values]
    side = [1 if d > 0 else (-1 if d < 0 else 0) for d in z]

    def same_side_run(i: int, length: int) -> bool:
        if i + 1 < length:
            return False
        s = side[i]
        return s != 0 and all(side[j] == s for j in range(i - length + 1, i + 1))

    def k_of_m(i: int, k: int, m: int, beyond: float) -> bool:
        """k of the last m points (ending at i) beyond `beyond` sigma on one side; point i among them."""
        if i + 1 < m:
            return False
        window = range(i - m + 1, i + 1)
        for s in (1, -1):
            if z[i] * s > beyond and sum(1 for j in window if z[j] * s > beyond) >= k:
                return True
        return False

    def trend(i: int, length: int) -> bool:
        if i + 1 < length:
            return False
        diffs = [values[j] - values[j - 1] for j in range(i - length + 2, i + 1)]
        return all(d > 0 for d in diffs) or all(d < 0 for d in diffs)

    def alternating(i: int, length: int) -> bool:
        if i + 1 < length:
            return False
        diffs = [values[j] - values[j - 1] for j in range(i - length + 2, i + 1)]
        return all(d != 0 for d in diffs) and all((a > 0) != (b > 0) for a, b in zip(diffs, diffs[1:]))

    def within_one(i: int, length: int) -> bool:
        return i + 1 >= length and all(abs(z[j]) < 1 for j in range(i - length + 1, i + 1))

    def outside_one_both_sides(i: int, length: int) -> bool:
        if i + 1 < length:
            return False
        window = range(i - length + 1, i + 1)
        return all(abs(z[j]) > 1 for j in window) and {side[j] for j in window} == {1, -1}

    nelson = rule_set in ("nelson", "both")
    we = rule_set in ("western_electric", "both")
    for i in range(n):
        beyond3 = abs(z[i]) > 3
        two_of_three = k_of_m(i, 2, 3, 2)
        four_of_five = k_of_m(i, 4, 5, 1)
        if nelson:
            if beyond3:
                flags[i].append("N1")
            if same_side_run(i, 9):
                flags[i].append("N2")
            if trend(i, 6):
                flags[i].append("N3")
            if alternating(i, 14):
                flags[i].append("N4")
            if two_of_three:
                flags[i].append("N5")
            if four_of_five:
                flags[i].append("N6")
            if within_one(i, 15):
                flags[i].append("N7")
            if outside_one_both_sides(i, 8):
                flags[i].append("N8")
        if we:
            if beyond3:
                flags[i].append("WE1")
            if two_of_three:
                flags[i].append("WE2")
            if four_of_five:
                flags[i].append("WE3")
            if same_side_run(i, 8):
                flags[i].append("WE4")
    return RuleResult(flags)


def describe(rule: str) -> str:
    return NELSON_RULES.get(rule) or WESTERN_ELECTRIC_RULES.get(rule) or rule
