"""Complementary (secondary) suppression: a cell that is hidden for privacy must not be
recoverable from the cells that are shown.

A wijk's figure is made of its buurten (and Hengelo's of its wijken, or of all buurten): when
the total and every part but one are shown, the hidden part is the total minus the others. So
whenever a group has exactly one hidden part (and the total is shown), the next-smallest shown
part is hidden too; when no other part is shown, the total is. This repeats until no group
gives a hidden cell away (hiding a wijk can expose a buurt-level or gemeente-level group).

Pure: frames in, frames out. Only cells with status ``suppressed`` (hidden for privacy) are
protected; a value that is simply missing (not published, not derivable) needs no protection
and gives none (a derived total holds only the parts that have a value, so it is counted as
absent).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SUPPRESSED = "suppressed"
NOTE = "aanvullend onderdrukt: anders terug te rekenen uit een totaal min de andere delen"
NOTE_EN = (
    "complementary suppression: could otherwise be worked back from a total minus the other parts"
)
MAX_ROUNDS = 50  # each round hides at least one more cell; a bound against surprises


def groups(parents: dict[str, str]) -> list[tuple[str, list[str]]]:
    """``(total, parts)`` pairs of the area hierarchy ``parents`` (child code -> parent
    code): every parent with its children, and each grandparent with all its grandchildren
    (Hengelo minus every other buurt gives one buurt away too).

    >>> groups({"B1": "W1", "B2": "W1", "W1": "G"})
    [('W1', ['B1', 'B2']), ('G', ['W1']), ('G', ['B1', 'B2'])]
    """
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    result = [(parent, sorted(kids)) for parent, kids in children.items()]
    for parent, kids in list(children.items()):
        grand = sorted(g for kid in kids for g in children.get(kid, []))
        if grand:
            result.append((parent, grand))
    return result


def _giveaway(values: dict, status: dict, total: str, parts: list[str]) -> str | None:
    """The cell to hide in one group (the next-smallest shown part, else the total) when
    exactly one part is hidden under a shown total; else ``None``."""
    if total not in values or status[total] == SUPPRESSED:
        return None
    present = [p for p in parts if p in values]
    if sum(status[p] == SUPPRESSED for p in present) != 1:
        return None
    shown = [p for p in present if status[p] != SUPPRESSED and pd.notna(values[p])]
    code = min(shown, key=lambda p: (abs(values[p]), p)) if shown else total
    return code if pd.notna(values[code]) else None


def _one_round(values: dict, status: dict, pairs: list) -> list[str]:
    """Codes to hide so that no group has exactly one hidden part under a shown total."""
    hide: list[str] = []
    for total, parts in pairs:
        code = _giveaway(values, status, total, parts)
        if code is not None:
            status[code] = SUPPRESSED
            hide.append(code)
    return hide


def protect_cells(values: dict, status: dict, pairs: list) -> set[str]:
    """The codes to hide besides those already ``suppressed`` in ``status`` (code -> status)
    so that none can be worked back, given ``values`` (code -> value) of one indicator and
    period.

    >>> pairs = [("W", ["B1", "B2", "B3"])]
    >>> sorted(protect_cells({"W": 30, "B1": 3, "B2": 7, "B3": 20},
    ...                      {"W": "derived", "B1": "suppressed", "B2": "published",
    ...                       "B3": "published"}, pairs))
    ['B2']
    """
    status = dict(status)
    extra: set[str] = set()
    for _ in range(MAX_ROUNDS):
        hide = _one_round(values, status, pairs)
        if not hide:
            break
        extra.update(hide)
    return extra


def complementary_suppression(obs: pd.DataFrame, parents: dict[str, str]) -> pd.DataFrame:
    """``obs`` (the public observations, with primary suppression done) with the cells that
    would give a suppressed one away hidden too: value missing, status ``suppressed``, note
    saying why. Groups are per indicator and period; ``parents`` maps each area code to the
    code of the area it belongs to (buurt -> wijk, wijk -> gemeente)."""
    if obs.empty or not (obs["status"] == SUPPRESSED).any() or not parents:
        return obs
    pairs = groups(parents)
    out = obs.copy()
    for _, block in out[out["status"].notna()].groupby(["indicator_id", "period"], sort=False):
        if not (block["status"] == SUPPRESSED).any():
            continue
        codes = dict(zip(block["area_code"], block.index, strict=False))
        extra = protect_cells(
            dict(zip(block["area_code"], block["value"], strict=False)),
            dict(zip(block["area_code"], block["status"], strict=False)),
            pairs,
        )
        rows = [codes[c] for c in extra]
        out.loc[rows, ["value", "status", "note"]] = [np.nan, SUPPRESSED, NOTE]
    return out
