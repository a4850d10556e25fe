"""The G32 benchmark hierarchy: kernvariabele > hoofdthema > aspect, as pure frame functions."""

from __future__ import annotations

import pandas as pd

MEAN = 100
SCALE = (10, 150)
SAFETY = "veiligheid"


def kernvariabelen(g32: pd.DataFrame) -> pd.DataFrame:
    return g32[g32["level"] == "kernvariabele"].reset_index(drop=True)


def children(g32: pd.DataFrame, parent: str) -> pd.DataFrame:
    return g32[g32["parent_id"] == parent].reset_index(drop=True)


def descendants(g32: pd.DataFrame, parent: str) -> pd.DataFrame:
    """All items below ``parent`` (depth first, in file order).

    >>> g32 = pd.DataFrame({"id": ["a", "a.1", "b", "a.1.x", "a.2"],
    ...                     "parent_id": [None, "a", None, "a.1", "a"]})
    >>> list(descendants(g32, "a")["id"])
    ['a.1', 'a.1.x', 'a.2']
    """
    kids: dict = {}
    for position, up in enumerate(g32["parent_id"]):
        kids.setdefault(up, []).append(position)
    ids, order, stack = list(g32["id"]), [], list(reversed(kids.get(parent, [])))
    while stack:
        position = stack.pop()
        order.append(position)
        stack.extend(reversed(kids.get(ids[position], [])))
    return g32.iloc[order].reset_index(drop=True)


def kernvariabele_of(g32: pd.DataFrame, item: str, parents: dict | None = None) -> str:
    parents = (
        parents if parents is not None else dict(zip(g32["id"], g32["parent_id"], strict=True))
    )
    while isinstance(parents.get(item), str):
        item = parents[item]
    return item


def spider_items(g32: pd.DataFrame, item: str, minimum: int = 3) -> pd.DataFrame:
    """The axes of the spider of ``item``: its children, or (when fewer than ``minimum`` of them
    carry a score) every scored descendant. Items without a score are returned too, with their
    status, so that they can be shown as missing rather than dropped."""
    kids = children(g32, item)
    if (kids["status"] == "score").sum() >= minimum:
        return kids
    below = descendants(g32, item)
    parents = set(g32["parent_id"].dropna())
    return below[~below["id"].isin(parents)].reset_index(drop=True)


def ranked_aspects(
    g32: pd.DataFrame,
    n: int = 5,
    safety: bool | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` highest scored leaves above the benchmark mean and the ``n`` lowest below it
    (aspects, and hoofdthema's without aspects): a score above 100 is never listed as 'least
    safe'. ``safety`` True/False limits them to (or excludes) the kernvariabele Veiligheid,
    where the reading of a low score differs."""
    has_children = set(g32["parent_id"].dropna())
    leaves = g32[(g32["status"] == "score") & ~g32["id"].isin(has_children)]
    if safety is not None:
        parents = dict(zip(g32["id"], g32["parent_id"], strict=True))
        in_safety = leaves["id"].map(lambda i: kernvariabele_of(g32, i, parents) == SAFETY)
        leaves = leaves[in_safety == safety]
    ordered = leaves.sort_values(["score", "id"], ascending=[False, True])
    above, below = ordered[ordered["score"] > MEAN], ordered[ordered["score"] < MEAN]
    return above.head(n).reset_index(drop=True), below.tail(n)[::-1].reset_index(drop=True)


def without_score(g32: pd.DataFrame) -> pd.DataFrame:
    """Items for which the report gives no score: too little information, or only a figure."""
    return g32[g32["status"].isin(["insufficient_info", "figure_only"])].reset_index(drop=True)


def objective_subjective(g32: pd.DataFrame) -> pd.DataFrame:
    """Safety themes with an objective and a subjective score side by side."""
    rows = g32[
        g32["dimension"].isin(["objectief", "subjectief"])
        & (g32["status"] == "score")
        & g32["id"].str.startswith("veiligheid.thema.")
    ].copy()
    rows["theme"] = rows["id"].str.replace(r"\.(obj|subj)$", "", regex=True)
    pivot = rows.pivot_table(index="theme", columns="dimension", values="score", aggfunc="first")
    names = rows.drop_duplicates("theme").set_index("theme")[["name_nl", "name_en"]]
    both = pivot.dropna().join(names)
    both["gap"] = both["subjectief"] - both["objectief"]
    return both.reset_index()


def is_safety(g32: pd.DataFrame, item: str) -> bool:
    """Only for the kernvariabele Veiligheid does below 100 mean worse (less safe)."""
    return kernvariabele_of(g32, item) == SAFETY
