"""The English variant of the table of all public figures (``/data/cijfers-en.csv``): the
same rows and values as ``/data/cijfers.csv``, with English headers and words."""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import STRINGS, t
from indicators.complementary import NOTE, NOTE_EN
from indicators.formatting import UNIT_LABEL

HEADERS_EN = {
    "area_code": "area code",
    "area_name": "area",
    "level": "level",
    "indicator_id": "indicator id",
    "indicator": "indicator",
    "unit": "unit",
    "period": "period",
    "value": "value",
    "status": "status",
    "coverage_buurten": "coverage (neighbourhoods)",
    "source": "source",
    "licence": "licence",
    "note": "note",
}
LEVELS_EN = {"buurt": "neighbourhood", "wijk": "district", "gemeente": "municipality"}


def english_note(note: str, coverage: str) -> str:
    """A note in English: the coverage note of a derived value from its coverage ('4/7'),
    the note of a complementary suppression; other notes as stored.

    >>> english_note("Afgeleid uit 4 van 7 buurten (99% van de inwoners)", "4/7")
    'Derived from 4 of 7 neighbourhoods'
    """
    if note.startswith("Afgeleid uit") and "/" in coverage:
        n, total = coverage.split("/", 1)
        return t("derived_note", "en", n=n, total=total)
    return NOTE_EN if note == NOTE else note


def english_figures(frame: pd.DataFrame, ctx) -> pd.DataFrame:
    """``frame`` (:func:`dashboard.downloads.public_figures`) in English, values written as
    :func:`dashboard.downloads.value_text` writes them."""
    from dashboard.downloads import value_text
    from dashboard.pages.over_data import attribution, licence

    out = frame.copy()
    out["indicator"] = out["indicator_id"].map(ctx.data.indicators["label_en"])
    out["unit"] = out["unit"].map(lambda u: UNIT_LABEL.get(u, {}).get("en", u))
    out["level"] = out["level"].map(lambda lv: LEVELS_EN.get(lv, lv))
    out["status"] = out["status"].map(lambda s: STRINGS.get(f"status_{s}", {}).get("en", s))
    out["value"] = out["value"].map(value_text)
    out["source"] = out["source"].map(lambda a: attribution(str(a), "en"))
    out["licence"] = out["licence"].map(lambda lic: licence(str(lic), "en"))
    out["note"] = [
        english_note(str(n), str(c))
        for n, c in zip(out["note"], out["coverage_buurten"], strict=True)
    ]
    return out.rename(columns=HEADERS_EN)
