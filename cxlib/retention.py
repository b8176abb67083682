"""What acting is worth: the money in a retention campaign, and where the value at risk sits.

The churn model (:mod:`cxlib.churn`) says *who* may leave; this module says whether calling them pays.

- :func:`customer_value`: what keeping each customer is worth (monthly revenue x expected remaining months,
  or a value column you already have).
- :func:`expected_profit`, :func:`profit_curve`, :func:`best_threshold`: the campaign's profit when every
  customer whose churn probability is at or above a threshold gets a retention offer, with the two baselines
  "call nobody" and "call everyone".
- :func:`profit_scorer` (with :func:`campaign_profit`): the same profit as a scikit-learn scorer, so that
  ``TunedThresholdClassifierCV`` chooses the threshold by cross-validation (:func:`cxlib.churn.tune_threshold`);
  :func:`threshold_policy` and :func:`compare_policies` then judge that threshold on held-out customers.
- :func:`emp`: the expected maximum profit per customer, to compare churn models by money instead of AUC.
- :func:`value_at_risk`: the Pareto view: how much of the value, and of the expected loss, sits with the top
  20 % of customers by value.
- :func:`describe_economics`: a Markdown paragraph written from those numbers.

The campaign economics
----------------------
The definitions are those of Verbraken, Verbeke and Baesens (2013), "A Novel Profit Maximizing Metric for
Measuring Classification Performance of Customer Churn Prediction Models", IEEE TKDE 25(5), 961-973 (after
Neslin et al. 2006), with a per-customer value in place of one average CLV, as in scikit-learn's example
"Post-tuning the decision threshold for cost-sensitive learning" (whose business metric uses each
transaction's own amount). Customers are not contacted unless chosen; for a contacted customer with value
``v``, offer cost ``d`` (``offer_cost``), contact cost ``f`` (``contact_cost``) and acceptance rate ``gamma``:

- a would-be churner takes the offer with probability ``gamma`` and stays: gain ``v - d - f``; otherwise they
  leave anyway and only the contact was spent: ``-f``. On average ``gamma * (v - d) - f``
  (Verbraken's benefit ``CLV * (gamma * (1 - delta) - phi)`` with ``delta = d / CLV``, ``phi = f / CLV``);
- a customer who would have stayed takes the offer too (a giveaway): ``-(d + f)``
  (Verbraken's cost ``CLV * (delta + phi)``).

Not contacting anyone is the reference (profit 0): a churner not contacted is lost either way. With the
churn indicator ``c`` (1 = churner) the profit of contacting one customer is therefore
``c * (gamma * (v - d) - f) - (1 - c) * (d + f) = gamma * c * v - [f + d * (gamma * c + 1 - c)]``:
the value kept minus what the offers and contacts cost. Two views of ``c``:

- **expected** (a scoring run, outcomes unknown): ``c`` is the model's churn probability, so the profit is
  as good as the probabilities are calibrated;
- **realised** (a back-test on customers whose outcome is known): ``c`` is the observed 0/1 outcome;
  acceptance stays an expectation (``gamma``), as in Verbraken et al.

A customer is contacted when ``probability >= threshold`` (scikit-learn's ``FixedThresholdClassifier`` rule).
The offer cost, acceptance rate and value are assumptions until a campaign with a control group measures them.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from cxlib.errors import CxDataError, CxParameterError

__all__ = ["customer_value", "expected_profit", "profit_curve", "best_threshold", "threshold_policy",
           "compare_policies", "campaign_profit", "profit_scorer", "emp", "value_at_risk",
           "describe_economics", "ACQUISITION_COST_MULTIPLE", "DEFAULT_OFFER_COST", "DEFAULT_ACCEPTANCE_RATE",
           "DEFAULT_CONTACT_COST", "DEFAULT_EXPECTED_MONTHS", "LOYAL_CORE_SHARE"]

# --- defaults: assumptions, each to be replaced by your own figures ---------------------------------------------

# Winning a new customer costs this many times more than keeping one. DOMAIN.md 2.6 (source 000: acquiring new
# buyers "is much more costly than keeping existing ones") gives no ratio and asks for a labelled assumption.
# 5 is the figure most quoted, the low end of "anywhere from five to 25 times" (A. Gallo, "The Value of Keeping
# the Right Customers", Harvard Business Review, 2014). ASSUMPTION: use your acquisition cost / retention cost.
ACQUISITION_COST_MULTIPLE = 5.0

# Cost of the retention incentive a customer takes (d), in the currency of the customer values. Verbraken et al.
# (2013) use d = 10 against a CLV of 200, i.e. 5 % of a customer's value. ASSUMPTION: use your offer's real cost.
DEFAULT_OFFER_COST = 10.0

# Share of contacted would-be churners who take the offer and stay (gamma). Verbraken et al. (2013) draw it from
# Beta(6, 14), whose mean is 0.30 (also the fixed default of the empulse package's MPC). ASSUMPTION: measure it
# with a control group in your first campaign.
DEFAULT_ACCEPTANCE_RATE = 0.30

# Cost of reaching a customer at all (f: the call, the letter), paid whether or not they take the offer.
# Verbraken et al. use f = 1; 0 here so that, unless you say otherwise, the offer is the campaign's only cost.
DEFAULT_CONTACT_COST = 0.0

# Months a kept customer is expected to stay on. ASSUMPTION: 24 is a round two years; 1 / monthly churn rate
# (or the median of a retention curve, cxlib.survival) is a data-driven alternative.
DEFAULT_EXPECTED_MONTHS = 24

# The loyal core by Pareto's law, "the 20 %" (DOMAIN.md 2.6 and section 3 claim 6, source 000).
LOYAL_CORE_SHARE = 0.20

_TOLERANCE = 1e-9   # profits this close count as tied


# --- validation -------------------------------------------------------------------------------------------------

def _is_real(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _positions(mask: np.ndarray, limit: int = 5) -> str:
    where = (np.flatnonzero(mask) + 1).tolist()
    shown = ", ".join(map(str, where[:limit]))
    return shown + (f" (and {len(where) - limit} more)" if len(where) > limit else "")


def _floats(x: object, name: str, where: str) -> np.ndarray:
    """A 1-D float array from a list, array or Series (blanks become NaN); anything else is a parameter error."""
    if x is None or isinstance(x, (str, bytes, pd.DataFrame, Mapping)) or np.ndim(x) != 1:
        raise CxParameterError(name, where, "a 1-D list, array or Series of numbers",
                               type(x).__name__ if np.ndim(x) != 0 or x is None else x)
    s = x if isinstance(x, pd.Series) else pd.Series(list(x) if not isinstance(x, np.ndarray) else x)
    if not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)):
        num = pd.to_numeric(s, errors="coerce")
        bad = (s.notna() & num.isna()).to_numpy()
        if bad.any():
            raise CxParameterError(name, where, "numbers", s[bad].iloc[0],
                                   hint=f"Non-numeric values at positions {_positions(bad)}.")
        s = num
    return s.astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def _probabilities(probability: object, where: str) -> np.ndarray:
    p = _floats(probability, "probability", where)
    if len(p) == 0:
        raise CxParameterError("probability", where, "at least one churn probability", "0 values")
    bad = ~((p >= 0) & (p <= 1))   # NaN fails both comparisons
    if bad.any():
        raise CxParameterError("probability", where, "churn probabilities between 0 and 1", float(p[bad][0]),
                               hint=f"{int(bad.sum())} value(s) are blank or outside 0-1 at positions "
                                    f"{_positions(bad)}; pass churn_risk()['churn_probability'].")
    return p


def _values(value: object, n: int, where: str) -> np.ndarray:
    if _is_real(value):
        v = np.full(n, float(value))
    else:
        v = _floats(value, "value", where)
        if len(v) != n:
            raise CxParameterError("value", where, f"one number or {n} values (one per probability)",
                                   f"{len(v)} values", hint="Pair each customer's value with their probability, "
                                   "e.g. merge on customer_id first (churn_risk sorts by risk).")
    bad = ~np.isfinite(v)
    if bad.any():
        raise CxParameterError("value", where, "finite customer values (no blanks)", float(v[bad][0]),
                               hint=f"Blank or infinite at positions {_positions(bad)}; customer_value() fills "
                                    "blanks with the median.")
    return v


def _outcomes(y_true: object, n: int, where: str) -> np.ndarray:
    y = _floats(y_true, "y_true", where)
    if len(y) != n:
        raise CxParameterError("y_true", where, f"{n} outcomes (one per probability)", f"{len(y)} values")
    bad = ~np.isin(y, (0.0, 1.0))
    if bad.any():
        raise CxParameterError("y_true", where, "0/1 or True/False churn outcomes (1 = churned)",
                               float(y[bad][0]), hint=f"Other values at positions {_positions(bad)}.")
    return y


def _cost(x: object, name: str, where: str) -> float:
    if not (_is_real(x) and math.isfinite(x) and x >= 0):
        raise CxParameterError(name, where, "a number >= 0 (a cost, in the currency of the values)", x)
    return float(x)


def _rate(acceptance_rate: object, where: str) -> float:
    if not (_is_real(acceptance_rate) and 0 < acceptance_rate <= 1):
        raise CxParameterError("acceptance_rate", where, "a share in (0, 1] (churners contacted who stay)",
                               acceptance_rate)
    return float(acceptance_rate)


def _economics(churn: np.ndarray, value: np.ndarray, offer_cost: float, acceptance_rate: float,
               contact_cost: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per contacted customer: customers kept, money spent and profit (``churn`` is a 0/1 outcome or probability)."""
    kept = acceptance_rate * churn
    cost = contact_cost + offer_cost * (kept + 1 - churn)   # a kept churner and every non-churner take the offer
    return kept, cost, kept * value - cost


def _cumulative(order: np.ndarray, *columns: np.ndarray) -> list[np.ndarray]:
    """Running totals over customers in ``order``, with a leading 0 (contacting nobody)."""
    return [np.concatenate([[0.0], np.cumsum(c[order])]) for c in columns]


# --- customer value ---------------------------------------------------------------------------------------------

def customer_value(customers: pd.DataFrame, monthly_revenue: str = "monthly_revenue",
                   expected_months: float = DEFAULT_EXPECTED_MONTHS, value_column: str | None = None) -> pd.Series:
    """What keeping each customer is worth: monthly revenue x expected remaining months, or a given value column.

    Parameters
    ----------
    customers : one row per customer (not changed).
    monthly_revenue : column of monthly revenue per customer (numbers, or numbers stored as text).
    expected_months : months a kept customer is expected to stay on (default 24, an assumption; see
        ``DEFAULT_EXPECTED_MONTHS``). Ignored when ``value_column`` is given.
    value_column : a column that already holds each customer's value (e.g. a CLV from finance); used as is.

    Returns
    -------
    Series ``customer_value`` in the currency of the revenue, aligned with ``customers`` (same index).
    Blank cells are filled with the median of the others; ``attrs`` holds ``blanks_filled`` (count),
    ``fill_value``, ``column``, ``expected_months`` (None for a value column) and ``notes`` (for the
    data-quality table).

    Raises
    ------
    CxDataError : the column is missing, blank in every row, or has text that is not a number or negative values.

    Examples
    --------
    >>> customers = pd.DataFrame({"monthly_revenue": ["50.00", " ", "70", "30"]})
    >>> value = customer_value(customers, expected_months=12)
    >>> value.tolist(), value.attrs["blanks_filled"], value.attrs["fill_value"]
    ([600.0, 600.0, 840.0, 360.0], 1, 600.0)
    """
    where = "retention.customer_value"
    if not isinstance(customers, pd.DataFrame):
        raise CxParameterError("customers", where, "a pandas DataFrame", type(customers).__name__)
    column = value_column if value_column is not None else monthly_revenue
    months = None if value_column is not None else expected_months
    if months is not None and not (_is_real(months) and math.isfinite(months) and months > 0):
        raise CxParameterError("expected_months", where, "a number of months > 0", expected_months)
    source = str(customers.attrs.get("source", "customers"))
    theirs = customers.attrs.get("column_map", {}).get(column)
    if column not in customers.columns:
        raise CxDataError(source, column, "is missing", reason="missing_column", their_column=theirs,
                          hint="name your revenue column with monthly_revenue=..., or give value_column=...")
    raw = customers[column]
    text = raw.astype("string").str.strip()
    blank = (raw.isna() | (text == "").fillna(True)).to_numpy()
    number = pd.to_numeric(raw if pd.api.types.is_numeric_dtype(raw) else text.replace("", pd.NA), errors="coerce")
    number = number.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    unreadable = ~blank & ~np.isfinite(number)
    if unreadable.any():
        raise CxDataError(source, column, "has values that are not numbers", reason="wrong_value",
                          rows=(np.flatnonzero(unreadable) + 1).tolist(), examples=raw[unreadable].head(5).tolist(),
                          their_column=theirs, hint="remove currency signs and thousands separators, or map another "
                                                    "column")
    negative = ~blank & (number < 0)
    if negative.any():
        raise CxDataError(source, column, "has negative values", reason="out_of_range",
                          rows=(np.flatnonzero(negative) + 1).tolist(), examples=number[negative][:5].tolist(),
                          their_column=theirs, hint="a customer's revenue or value is 0 or more; check refunds")
    if blank.all():
        raise CxDataError(source, column, "is blank in every row", reason="no_values", their_column=theirs,
                          hint="map the column that holds each customer's revenue")
    fill = float(np.median(number[~blank]))
    scale = float(months) if months is not None else 1.0
    out = pd.Series(np.where(blank, fill, number) * scale, index=customers.index, name="customer_value")
    notes = [f"{column}: {int(blank.sum())} blank value(s) filled with the median ({fill:,.2f})"] if blank.any() else []
    out.attrs = {"blanks_filled": int(blank.sum()), "fill_value": fill * scale, "column": column,
                 "expected_months": months, "notes": notes}
    return out


# --- campaign profit --------------------------------------------------------------------------------------------

def expected_profit(y_true: Sequence[int] | np.ndarray | pd.Series | None, probability: Sequence[float] | np.ndarray,
                    value: float | Sequence[float] | np.ndarray, offer_cost: float = DEFAULT_OFFER_COST,
                    acceptance_rate: float = DEFAULT_ACCEPTANCE_RATE, threshold: float = 0.5, *,
                    contact_cost: float = DEFAULT_CONTACT_COST) -> float:
    """Profit of offering retention to every customer whose churn probability is at or above ``threshold``.

    See the module docstring for the economics (Verbraken et al. 2013).

    Parameters
    ----------
    y_true : observed churn (1/True = left) for a back-test, giving the *realised* profit; ``None`` for a
        scoring run, giving the *expected* profit with the probabilities as each customer's churn chance.
    probability : each customer's churn probability, 0-1 (paired with ``value`` and ``y_true`` by position).
    value : what keeping each customer is worth (one number for all, or one per customer; see
        :func:`customer_value`).
    offer_cost : cost of the incentive to a customer who takes it (>= 0). acceptance_rate : share in (0, 1]
        of contacted churners who take it and stay. contact_cost : cost of each contact (>= 0).
    threshold : contact customers with ``probability >= threshold`` (0 = everyone; above 1 = nobody).

    Returns
    -------
    float : total profit over all customers, in the currency of ``value``; 0 when nobody is contacted.

    Examples
    --------
    >>> p, y, value = [0.9, 0.6, 0.3, 0.1], [1, 0, 1, 0], [100, 200, 50, 100]
    >>> expected_profit(None, p, value, offer_cost=10, acceptance_rate=0.5, threshold=0.5)  # 39.5 + 53
    92.5
    >>> expected_profit(y, p, value, offer_cost=10, acceptance_rate=0.5, threshold=0.5)     # 45 - 10
    35.0
    """
    where = "retention.expected_profit"
    p = _probabilities(probability, where)
    v = _values(value, len(p), where)
    d, f = _cost(offer_cost, "offer_cost", where), _cost(contact_cost, "contact_cost", where)
    gamma = _rate(acceptance_rate, where)
    if not (_is_real(threshold) and threshold >= 0):
        raise CxParameterError("threshold", where, "a number >= 0 (a churn probability; above 1 = nobody)",
                               threshold)
    churn = p if y_true is None else _outcomes(y_true, len(p), where)
    contacted = p >= threshold
    _, _, profit = _economics(churn[contacted], v[contacted], d, gamma, f)
    return float(profit.sum())


_CURVE_COLUMNS = ["policy", "threshold", "contacted", "contacted_share", "expected_kept", "expected_cost",
                  "expected_profit"]
_REALISED_COLUMNS = ["realised_kept", "realised_cost", "realised_profit"]


def profit_curve(probability: Sequence[float] | np.ndarray | pd.Series, value: float | Sequence[float] | np.ndarray,
                 offer_cost: float = DEFAULT_OFFER_COST, acceptance_rate: float = DEFAULT_ACCEPTANCE_RATE,
                 y_true: Sequence[int] | np.ndarray | pd.Series | None = None,
                 thresholds: Sequence[float] | np.ndarray | None = None, *,
                 contact_cost: float = DEFAULT_CONTACT_COST) -> pd.DataFrame:
    """The campaign's profit at every threshold, with the "call nobody" and "call everyone" baselines.

    Parameters are those of :func:`expected_profit`. ``thresholds``: probabilities in [0, 1] to evaluate
    (default: every distinct probability, so each possible contact list appears once).

    Returns
    -------
    DataFrame, one row per policy, first "call nobody" (``threshold`` = inf), then the thresholds from high
    to low, last "call everyone" (``threshold`` = 0):

    - ``policy``: "call nobody", "threshold" or "call everyone";
    - ``threshold``: customers with ``probability >= threshold`` are contacted;
    - ``contacted`` (count) and ``contacted_share`` (0-1);
    - ``expected_kept`` (churners expected to stay thanks to the offer), ``expected_cost`` (offers and
      contacts) and ``expected_profit`` (value kept minus cost), with the probabilities as churn chances:
      the forward-looking view of a scoring run;
    - with ``y_true``: ``realised_kept``, ``realised_cost``, ``realised_profit`` on the observed outcomes,
      the back-test view.

    Money is in the currency of ``value``. ``attrs`` holds ``n``, ``offer_cost``, ``acceptance_rate``,
    ``contact_cost`` and ``total_value``.

    Examples
    --------
    >>> p, y, value = [0.9, 0.6, 0.3, 0.1], [1, 0, 1, 0], [100, 200, 50, 100]
    >>> curve = profit_curve(p, value, offer_cost=10, acceptance_rate=0.5, y_true=y)
    >>> curve[["policy", "threshold", "contacted", "expected_profit", "realised_profit"]]
              policy  threshold  contacted  expected_profit  realised_profit
    0    call nobody        inf          0              0.0              0.0
    1      threshold        0.9          1             39.5             45.0
    2      threshold        0.6          2             92.5             35.0
    3      threshold        0.3          3             91.5             55.0
    4      threshold        0.1          4             87.0             45.0
    5  call everyone        0.0          4             87.0             45.0
    """
    where = "retention.profit_curve"
    p = _probabilities(probability, where)
    n = len(p)
    v = _values(value, n, where)
    d, f = _cost(offer_cost, "offer_cost", where), _cost(contact_cost, "contact_cost", where)
    gamma = _rate(acceptance_rate, where)
    y = None if y_true is None else _outcomes(y_true, n, where)
    if thresholds is None:
        grid = np.unique(p)[::-1]
    else:
        grid = _floats(thresholds, "thresholds", where)
        if not ((grid >= 0) & (grid <= 1)).all():
            raise CxParameterError("thresholds", where, "probabilities between 0 and 1", list(grid[:5]))
        grid = np.unique(grid[grid > 0])[::-1]   # 0 is the "call everyone" row
    order = np.argsort(-p, kind="stable")
    descending = -p[order]
    cut = np.concatenate([[0], np.searchsorted(descending, -grid, side="right"), [n]])   # contacted per row
    frame = pd.DataFrame({"policy": ["call nobody"] + ["threshold"] * len(grid) + ["call everyone"],
                          "threshold": np.concatenate([[np.inf], grid, [0.0]]),
                          "contacted": cut.astype(int), "contacted_share": cut / n})
    views = [("expected", p)] + ([("realised", y)] if y is not None else [])
    for name, churn in views:
        kept, cost, profit = _cumulative(order, *_economics(churn, v, d, gamma, f))
        frame[f"{name}_kept"], frame[f"{name}_cost"], frame[f"{name}_profit"] = kept[cut], cost[cut], profit[cut]
    frame.attrs = {"n": n, "offer_cost": d, "acceptance_rate": gamma, "contact_cost": f,
                   "total_value": float(v.sum()), "every_probability": thresholds is None}
    return frame


def best_threshold(curve: pd.DataFrame, profit: str | None = None) -> dict:
    """The most profitable row of a :func:`profit_curve`, compared with calling nobody and calling everyone.

    Parameters
    ----------
    curve : from :func:`profit_curve`.
    profit : the column to maximise, ``"expected_profit"`` or ``"realised_profit"``; default the realised
        profit when the curve has it (a back-test), else the expected one. Ties go to the fewest contacts.

    Returns
    -------
    dict : ``policy``, ``threshold``, ``contacted``, ``contacted_share``, ``customers`` (all),
    ``profit``, ``kept`` and ``cost`` (from the chosen view), ``vs_call_nobody`` (profit - 0),
    ``call_everyone_profit``, ``vs_call_everyone`` (profit - call-everyone profit) and ``view``
    ("expected" or "realised"). Money in the currency of the values. A realised best threshold is chosen on
    the same customers it is scored on: an optimistic figure; check it on later customers.

    Examples
    --------
    >>> p, value = [0.9, 0.6, 0.3, 0.1], [100, 200, 50, 100]
    >>> best = best_threshold(profit_curve(p, value, offer_cost=10, acceptance_rate=0.5))
    >>> best["threshold"], best["contacted"], best["profit"], best["vs_call_everyone"]
    (0.6, 2, 92.5, 5.5)
    """
    where = "retention.best_threshold"
    profit, view = _check_curve(curve, profit, where)
    values = curve[profit].to_numpy(dtype=float)
    top = values.max()
    tied = values >= top - _TOLERANCE * max(1.0, abs(top))
    # among equal profits: the fewest contacts, and a baseline's name when a threshold contacts nobody or everyone
    ranked = curve[tied].assign(_named=(curve.loc[tied, "policy"] == "threshold").astype(int))
    row = ranked.sort_values(["contacted", "_named"], kind="stable").iloc[0]
    return _policy(curve, row, profit, view)


def _check_curve(curve: pd.DataFrame, profit: str | None, where: str) -> tuple[str, str]:
    """The profit column to read (default: realised when present) and its view, or a parameter error."""
    if not (isinstance(curve, pd.DataFrame) and set(_CURVE_COLUMNS) <= set(curve.columns)
            and {"call nobody", "call everyone"} <= set(curve["policy"])):
        raise CxParameterError("curve", where, "a frame from retention.profit_curve", type(curve).__name__)
    if profit is None:
        profit = "realised_profit" if "realised_profit" in curve.columns else "expected_profit"
    if profit not in ("expected_profit", "realised_profit") or profit not in curve.columns:
        allowed = [c for c in ("expected_profit", "realised_profit") if c in curve.columns]
        raise CxParameterError("profit", where, f"one of {', '.join(allowed)}", profit)
    return profit, profit.split("_")[0]


def _policy(curve: pd.DataFrame, row: pd.Series, profit: str, view: str) -> dict:
    everyone = float(curve.loc[curve["policy"] == "call everyone", profit].iloc[0])
    n = int(curve.loc[curve["policy"] == "call everyone", "contacted"].iloc[0])
    return {"policy": str(row["policy"]), "threshold": float(row["threshold"]), "contacted": int(row["contacted"]),
            "contacted_share": float(row["contacted_share"]), "customers": n, "profit": float(row[profit]),
            "kept": float(row[f"{view}_kept"]), "cost": float(row[f"{view}_cost"]),
            "vs_call_nobody": float(row[profit]), "call_everyone_profit": everyone,
            "vs_call_everyone": float(row[profit]) - everyone, "view": view}


def threshold_policy(curve: pd.DataFrame, threshold: float, profit: str | None = None) -> dict:
    """The campaign at a threshold chosen elsewhere (e.g. by :func:`cxlib.churn.tune_threshold`), read off a curve.

    Use it to judge a threshold on customers it was not chosen on: build the ``curve`` on held-out customers
    with their outcomes (``profit_curve(..., y_true=...)``) and read the realised profit at ``threshold``.

    Parameters
    ----------
    curve : from :func:`profit_curve` with its default thresholds (every distinct probability), so that any
        threshold contacts exactly the customers of one row.
    threshold : contact customers with ``probability >= threshold``.
    profit : as in :func:`best_threshold`.

    Returns
    -------
    dict with the keys of :func:`best_threshold`; ``policy`` is always "threshold" and ``threshold`` the one
    given (``contacted`` may be 0 or everyone).

    Examples
    --------
    >>> p, y, value = [0.9, 0.6, 0.3, 0.1], [1, 0, 1, 0], [100, 200, 50, 100]
    >>> curve = profit_curve(p, value, offer_cost=10, acceptance_rate=0.5, y_true=y)
    >>> at = threshold_policy(curve, 0.25)   # contacts the three customers at 0.3 or more
    >>> at["contacted"], at["profit"], at["vs_call_everyone"], at["view"]
    (3, 55.0, 10.0, 'realised')
    """
    where = "retention.threshold_policy"
    profit, view = _check_curve(curve, profit, where)
    if not (_is_real(threshold) and math.isfinite(threshold) and 0 <= threshold):
        raise CxParameterError("threshold", where, "a churn probability >= 0", threshold)
    if not curve.attrs.get("every_probability", False):
        raise CxParameterError("curve", where, "a profit_curve built on every distinct probability (thresholds=None)",
                               "a curve on chosen thresholds")
    rows = curve[(curve["policy"] == "threshold") & (curve["threshold"] >= threshold)]
    row = (rows.iloc[-1] if len(rows) else curve[curve["policy"] == "call nobody"].iloc[0]).copy()
    row["policy"], row["threshold"] = "threshold", float(threshold)
    return _policy(curve, row, profit, view)


def compare_policies(curve: pd.DataFrame, threshold: float, profit: str | None = None,
                     label: str = "chosen threshold") -> pd.DataFrame:
    """The campaign at ``threshold`` next to calling nobody, calling everyone and the best threshold in hindsight.

    "Best in hindsight" is the most profitable threshold on the very customers of the curve: a ceiling no
    threshold chosen beforehand can be expected to reach (per customer it is :func:`emp`).

    Returns
    -------
    DataFrame, rows ``label``, "call nobody", "call everyone", "best in hindsight"; columns ``policy``,
    ``threshold``, ``contacted``, ``contacted_share`` (0-1), ``profit`` (total, currency of the values) and
    ``profit_per_customer``. ``attrs["view"]`` says whether the profit is realised or expected.

    Examples
    --------
    >>> p, y, value = [0.9, 0.6, 0.3, 0.1], [1, 0, 1, 0], [100, 200, 50, 100]
    >>> curve = profit_curve(p, value, offer_cost=10, acceptance_rate=0.5, y_true=y)
    >>> compare_policies(curve, 0.5)[["policy", "contacted", "profit", "profit_per_customer"]]
                  policy  contacted  profit  profit_per_customer
    0   chosen threshold          2    35.0                 8.75
    1        call nobody          0     0.0                 0.00
    2      call everyone          4    45.0                11.25
    3  best in hindsight          3    55.0                13.75
    """
    where = "retention.compare_policies"
    profit, view = _check_curve(curve, profit, where)
    chosen = threshold_policy(curve, threshold, profit)
    best = best_threshold(curve, profit)
    nobody = curve[curve["policy"] == "call nobody"].iloc[0]
    everyone = curve[curve["policy"] == "call everyone"].iloc[0]
    rows = [(label, chosen["threshold"], chosen["contacted"], chosen["contacted_share"], chosen["profit"]),
            ("call nobody", np.inf, int(nobody["contacted"]), float(nobody["contacted_share"]), float(nobody[profit])),
            ("call everyone", 0.0, int(everyone["contacted"]), 1.0, float(everyone[profit])),
            ("best in hindsight", best["threshold"], best["contacted"], best["contacted_share"], best["profit"])]
    out = pd.DataFrame(rows, columns=["policy", "threshold", "contacted", "contacted_share", "profit"])
    out["profit_per_customer"] = out["profit"] / max(chosen["customers"], 1)
    out.attrs = {"view": view, "customers": chosen["customers"]}
    return out


# --- a scikit-learn scorer, for TunedThresholdClassifierCV -------------------------------------------------------

def campaign_profit(y_true: Sequence[int] | np.ndarray, contacted: Sequence[int] | np.ndarray,
                    value: float | Sequence[float] | np.ndarray, offer_cost: float = DEFAULT_OFFER_COST,
                    acceptance_rate: float = DEFAULT_ACCEPTANCE_RATE, *,
                    contact_cost: float = DEFAULT_CONTACT_COST) -> float:
    """Realised profit per customer of contacting the customers flagged 1 in ``contacted`` (a back-test).

    scikit-learn's ``score_func(y_true, y_pred, **kwargs)`` shape, so that :func:`profit_scorer` can hand it
    to ``TunedThresholdClassifierCV``; the economics are those of :func:`expected_profit` with ``y_true``.

    Examples
    --------
    >>> campaign_profit([1, 0, 1, 0], [1, 1, 0, 0], [100, 200, 50, 100], offer_cost=10, acceptance_rate=0.5)
    8.75
    """
    where = "retention.campaign_profit"
    y = np.asarray(y_true, dtype=float)
    pick = np.asarray(contacted, dtype=float) == 1
    v = np.full(len(y), float(value)) if _is_real(value) else np.asarray(value, dtype=float)
    if y.ndim != 1 or pick.shape != y.shape or v.shape != y.shape or len(y) == 0:
        raise CxParameterError("y_true", where, "equal-length 1-D outcomes, contact flags and values",
                               f"{len(y)}, {pick.size} and {v.size} values")
    if not np.isin(y, (0.0, 1.0)).all():
        raise CxParameterError("y_true", where, "0/1 churn outcomes (1 = churned)", float(y[~np.isin(y, (0, 1))][0]))
    _, _, profit = _economics(y[pick], v[pick], _cost(offer_cost, "offer_cost", where),
                              _rate(acceptance_rate, where), _cost(contact_cost, "contact_cost", where))
    return float(profit.sum() / len(y))


def profit_scorer(offer_cost: float = DEFAULT_OFFER_COST, acceptance_rate: float = DEFAULT_ACCEPTANCE_RATE, *,
                  contact_cost: float = DEFAULT_CONTACT_COST, value: float | None = None):
    """A scikit-learn scorer of the realised campaign profit per customer (:func:`campaign_profit`).

    Made for ``TunedThresholdClassifierCV``, which then picks the churn-probability threshold that earns
    most on held-out folds, as in scikit-learn's example "Post-tuning the decision threshold for
    cost-sensitive learning".

    Parameters
    ----------
    offer_cost, acceptance_rate, contact_cost : the campaign's economics (see the module docstring).
    value : ``None`` (default): each customer's own value, passed to ``fit(X, y, value=...)`` by scikit-learn's
        metadata routing (the scorer requests ``value``; fit inside
        ``sklearn.config_context(enable_metadata_routing=True)``). A number: one average value for everyone.

    Examples
    --------
    >>> import sklearn
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import TunedThresholdClassifierCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(400, 1))
    >>> y = (rng.random(400) < 1 / (1 + np.exp(-2 * X[:, 0]))).astype(int)
    >>> value = rng.uniform(50, 500, 400)
    >>> with sklearn.config_context(enable_metadata_routing=True):
    ...     tuned = TunedThresholdClassifierCV(LogisticRegression(), scoring=profit_scorer(10, 0.3), cv=5,
    ...                                        thresholds=np.linspace(0, 1, 101)).fit(X, y, value=value)
    >>> bool(0 < tuned.best_threshold_ < 0.5)   # offers are cheap against the values: call below 50 % risk
    True
    """
    import sklearn
    from sklearn.metrics import make_scorer

    where = "retention.profit_scorer"
    economics = {"offer_cost": _cost(offer_cost, "offer_cost", where), "acceptance_rate": _rate(acceptance_rate, where),
                 "contact_cost": _cost(contact_cost, "contact_cost", where)}
    if value is not None:
        if not (_is_real(value) and math.isfinite(value) and value >= 0):
            raise CxParameterError("value", where, "None (each customer's own) or one number >= 0", value)
        return make_scorer(campaign_profit, response_method="predict", value=float(value), **economics)
    with sklearn.config_context(enable_metadata_routing=True):
        return make_scorer(campaign_profit, response_method="predict", **economics).set_score_request(value=True)


def emp(y_true: Sequence[int] | np.ndarray | pd.Series, probability: Sequence[float] | np.ndarray | pd.Series,
        value: float | Sequence[float] | np.ndarray, offer_cost: float = DEFAULT_OFFER_COST,
        acceptance_rate: float = DEFAULT_ACCEPTANCE_RATE, *, contact_cost: float = DEFAULT_CONTACT_COST) -> float:
    """Expected maximum profit per customer of a churn model: its money worth, to compare models.

    The maximum over thresholds (contacting nobody included) of the realised campaign profit, divided by the
    number of customers. With a fixed acceptance rate this is Verbraken et al.'s (2013) maximum-profit measure
    (MPC); their EMP integrates it over a Beta-distributed acceptance rate, which is left out here. Only the
    ranking of the probabilities matters; one ``value`` for all gives their single-CLV measure exactly.

    Parameters are those of :func:`expected_profit`; ``y_true`` is required (observed outcomes, 1 = churned).

    Returns
    -------
    float : profit per customer (>= 0), in the currency of ``value``. Higher is better; 0 means no
    campaign that this model could guide pays.

    Examples
    --------
    >>> y, p, value = [1, 0, 1, 0], [0.9, 0.6, 0.3, 0.1], [100, 200, 50, 100]
    >>> emp(y, p, value, offer_cost=10, acceptance_rate=0.5)   # best: the top 3, 55 over 4 customers
    13.75
    """
    where = "retention.emp"
    if y_true is None:
        raise CxParameterError("y_true", where, "the observed churn outcomes (0/1)", None,
                               hint="Without outcomes use profit_curve() for the expected profit.")
    p = _probabilities(probability, where)
    y = _outcomes(y_true, len(p), where)
    v = _values(value, len(p), where)
    d, f = _cost(offer_cost, "offer_cost", where), _cost(contact_cost, "contact_cost", where)
    gamma = _rate(acceptance_rate, where)
    order = np.argsort(-p, kind="stable")
    ranked = p[order]
    # tied probabilities are contacted together: only the ends of runs of equal probability are thresholds
    ends = np.concatenate([[0], np.flatnonzero(ranked[:-1] != ranked[1:]) + 1, [len(p)]])
    (profit,) = _cumulative(order, _economics(y, v, d, gamma, f)[2])
    return float(profit[ends].max() / len(p))


# --- the Pareto view --------------------------------------------------------------------------------------------

def _column_or_array(customers: pd.DataFrame | None, x: object, name: str, where: str) -> object:
    if isinstance(x, str):
        if not isinstance(customers, pd.DataFrame):
            raise CxParameterError(name, where, "an array when customers is not a DataFrame", x)
        if x not in customers.columns:
            raise CxDataError(str(customers.attrs.get("source", "customers")), x, "is missing",
                              reason="missing_column", hint=f"name the column with {name}=..., or pass the values")
        return customers[x]
    return x


def _share_label(share: float) -> str:
    return f"{round(100 * share, 6):g} %"


def value_at_risk(customers: pd.DataFrame | None, probability: str | Sequence[float] | np.ndarray = "churn_probability",
                  value: str | Sequence[float] | np.ndarray = "customer_value",
                  top_share: float = LOYAL_CORE_SHARE) -> pd.DataFrame:
    """Pareto view of churn: how much value, and expected loss, sits with the top customers by value.

    Parameters
    ----------
    customers : a frame holding the two columns named by ``probability`` and ``value``, or ``None`` when both
        are given as arrays (paired by position).
    probability : churn probabilities 0-1 (column name or values). value : each customer's value, >= 0.
    top_share : the share of customers, by value, in the top group (default 0.2, Pareto's loyal fifth,
        DOMAIN.md 2.6). The group has ``ceil(top_share * n)`` customers; ties in value keep the input order.

    Returns
    -------
    DataFrame with two rows, ``group`` "top 20 % by value" and "other 80 %", and ``customers``, ``value``
    (total), ``value_share`` (0-1), ``expected_loss`` (sum of probability x value: the value expected to
    walk out), ``expected_loss_share`` (0-1; NaN when nothing is at risk) and ``mean_churn_probability``.
    ``attrs`` holds ``n``, ``top_share``, ``value_cutoff`` (the smallest value in the top group),
    ``total_value`` and ``total_expected_loss``.

    Examples
    --------
    >>> risk = pd.DataFrame({"churn_probability": [0.1, 0.5, 0.2, 0.4, 0.3],
    ...                      "customer_value": [500, 100, 200, 100, 100]})
    >>> var = value_at_risk(risk)
    >>> var[["group", "customers", "value_share", "expected_loss"]]
                   group  customers  value_share  expected_loss
    0  top 20 % by value          1          0.5           50.0
    1         other 80 %          4          0.5          160.0
    >>> var["expected_loss_share"].round(3).tolist(), var["mean_churn_probability"].round(2).tolist()
    ([0.238, 0.762], [0.1, 0.35])
    """
    where = "retention.value_at_risk"
    if customers is not None and not isinstance(customers, pd.DataFrame):
        raise CxParameterError("customers", where, "a pandas DataFrame or None", type(customers).__name__)
    if not (_is_real(top_share) and 0 < top_share < 1):
        raise CxParameterError("top_share", where, "a share strictly between 0 and 1", top_share)
    p = _probabilities(_column_or_array(customers, probability, "probability", where), where)
    raw_value = _column_or_array(customers, value, "value", where)
    if _is_real(raw_value):
        raise CxParameterError("value", where, "one value per customer (a column name or an array)", raw_value)
    v = _values(raw_value, len(p), where)
    if (v < 0).any():
        raise CxParameterError("value", where, "customer values >= 0", float(v[v < 0][0]),
                               hint=f"Negative at positions {_positions(v < 0)}.")
    if v.sum() <= 0:
        raise CxParameterError("value", where, "values with a total above 0", float(v.sum()))
    n = len(p)
    k = min(n, max(1, math.ceil(top_share * n - _TOLERANCE)))
    order = np.argsort(-v, kind="stable")
    top = np.zeros(n, dtype=bool)
    top[order[:k]] = True
    loss = p * v
    total_loss = float(loss.sum())
    rows = []
    groups = ((f"top {_share_label(top_share)} by value", top), (f"other {_share_label(1 - top_share)}", ~top))
    for label, mask in groups:
        group_loss = float(loss[mask].sum())
        rows.append({"group": label, "customers": int(mask.sum()), "value": float(v[mask].sum()),
                     "value_share": float(v[mask].sum() / v.sum()), "expected_loss": group_loss,
                     "expected_loss_share": group_loss / total_loss if total_loss > 0 else np.nan,
                     "mean_churn_probability": float(p[mask].mean()) if mask.any() else np.nan})
    out = pd.DataFrame(rows)
    out.attrs = {"n": n, "top_share": float(top_share), "value_cutoff": float(v[order[k - 1]]),
                 "total_value": float(v.sum()), "total_expected_loss": total_loss}
    return out


# --- in words ---------------------------------------------------------------------------------------------------

def _money(x: float) -> str:
    return "0" if abs(x) < 0.5 else f"{x:,.0f}"


def _count(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 10 or float(x).is_integer() else f"{x:.1f}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def _customers(x: float) -> str:
    return f"{_count(x)} customer{'' if _count(x) == '1' else 's'}"


_BEST_KEYS = {"policy", "threshold", "contacted", "contacted_share", "customers", "profit", "kept", "cost",
              "call_everyone_profit", "view"}
_VAR_COLUMNS = {"group", "customers", "value", "value_share", "expected_loss", "expected_loss_share",
                "mean_churn_probability"}


def describe_economics(best: Mapping, var: pd.DataFrame | None = None,
                       acquisition_multiple: float = ACQUISITION_COST_MULTIPLE, basis: str | None = None) -> str:
    """A Markdown paragraph written from the numbers: whom to call, what keeping costs, where the value is.

    Parameters
    ----------
    best : from :func:`best_threshold`. var : from :func:`value_at_risk` (optional).
    acquisition_multiple : how many times more winning a new customer costs than keeping one (default
        ``ACQUISITION_COST_MULTIPLE`` = 5, an assumption: DOMAIN.md 2.6 says "much more costly", no ratio).
    basis : where the figures come from, in words, in place of the default "from the model's probabilities"
        or "on the known outcomes, a back-test" (e.g. "on 1,250 held-out customers").

    Examples
    --------
    >>> p, value = [0.9, 0.6, 0.3, 0.1], [100, 200, 50, 100]
    >>> best = best_threshold(profit_curve(p, value, offer_cost=10, acceptance_rate=0.5))
    >>> print(describe_economics(best))  # doctest: +NORMALIZE_WHITESPACE
    **Who to call.** Calling the 2 customers (50 % of 4) with a churn probability of 0.60 or more saves an
    expected 92 net of offer costs (from the model's probabilities), against 87 for calling everyone and 0 for
    calling nobody. **What keeping costs.** That campaign spends 12 on offers and contacts to keep 0.8 customers
    who would otherwise leave: 17 per customer kept. Winning a new customer costs about 5 times more (an
    assumption: DOMAIN.md 2.6 gives no ratio), so replacing them would cost about 62.
    """
    where = "retention.describe_economics"
    if not (isinstance(best, Mapping) and _BEST_KEYS <= set(best)):
        raise CxParameterError("best", where, "a dict from retention.best_threshold", type(best).__name__)
    if not (_is_real(acquisition_multiple) and math.isfinite(acquisition_multiple) and acquisition_multiple > 0):
        raise CxParameterError("acquisition_multiple", where, "a number > 0 (acquisition cost / retention cost)",
                               acquisition_multiple)
    realised = best["view"] == "realised"
    saves = "would have saved" if realised else "saves an expected"
    if basis is None:
        basis = "on the known outcomes, a back-test" if realised else "from the model's probabilities"
    n, everyone = int(best["customers"]), float(best["call_everyone_profit"])
    if best["policy"] == "threshold" and best["contacted"] == 0:
        text = (f"**Who to call.** Nobody: no customer has a churn probability of {best['threshold']:.2f} or more "
                f"({basis}); calling everyone would come to {_money(everyone)}.")
    elif best["policy"] == "call nobody":
        text = (f"**Who to call.** No campaign pays at these costs ({basis}): no threshold earns more than "
                f"calling nobody (0), and calling everyone comes to {_money(everyone)}. Lower the offer cost, or "
                "choose customers by value as well as risk.")
    else:
        who = (f"Calling all {n:,} customers" if best["policy"] == "call everyone" else
               f"Calling the {_customers(best['contacted'])} ({_pct(best['contacted_share'])} of {n:,}) with "
               f"a churn probability of {best['threshold']:.2f} or more")
        versus = ("" if best["policy"] == "call everyone" else f"{_money(everyone)} for calling everyone and ")
        text = (f"**Who to call.** {who} {saves} {_money(best['profit'])} net of offer costs ({basis}), against "
                f"{versus}0 for calling nobody.")
        behind = everyone - float(best["profit"])
        if best["policy"] == "threshold" and behind > 0.5:   # a threshold chosen elsewhere can trail a baseline
            text += (f" Calling everyone would have {'earned' if realised else 'been expected to earn'} "
                     f"{_money(behind)} more: at these costs almost every customer is worth an offer.")
        elif best["policy"] == "threshold" and float(best["profit"]) < -0.5:
            text += " The campaign loses money here: calling nobody would have been better."
        kept, cost = float(best["kept"]), float(best["cost"])
        if kept > 0 and cost > 0:
            m = float(acquisition_multiple)
            text += (f" **What keeping costs.** That campaign spends {_money(cost)} on offers and contacts to keep "
                     f"{_customers(kept)} who would otherwise leave: {_money(cost / kept)} per customer kept. "
                     f"Winning a new customer costs about {m:g} times more (an assumption: DOMAIN.md 2.6 gives no "
                     f"ratio), so replacing them would cost about {_money(m * cost)}.")
    if var is not None:
        if not (isinstance(var, pd.DataFrame) and _VAR_COLUMNS <= set(var.columns) and len(var) == 2):
            raise CxParameterError("var", where, "a frame from retention.value_at_risk", type(var).__name__)
        top, rest = var.iloc[0], var.iloc[1]
        group = str(top["group"])
        if group.startswith("top ") and group.endswith(" by value"):
            group = f"top {group[4:-len(' by value')]} of customers by value"
        text += (f" **Where the value is.** The {group} ({_customers(top['customers'])}) hold "
                 f"{_pct(top['value_share'])} of the value")
        if pd.notna(top["expected_loss_share"]):
            text += (f" and {_pct(top['expected_loss_share'])} of the value expected to leave (mean churn "
                     f"probability {top['mean_churn_probability']:.2f}, against "
                     f"{rest['mean_churn_probability']:.2f} for the {rest['group']})")
        text += "."
        if rest["customers"] > 0 and rest["value"] > 0:
            ratio = (top["value"] / top["customers"]) / (rest["value"] / rest["customers"])
            text += f" On average, losing one of them costs {ratio:.1f} times as much as losing one of the others."
    return text
