"""Postcode search for the map: the PC4 index from the bundled CBS buurt attributes, the PC6
table that ``wijkveiligheid fetch --table postcode`` keeps next to the store, and the search
results shown under the map's search box. The lookup rules are in :mod:`indicators.postcode`."""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
from functools import lru_cache
from pathlib import Path

import pandas as pd
from dash import html

from dashboard import ids, settings
from dashboard.i18n import t
from geodata.gemeente import GEMEENTE
from indicators import postcode

ATTRIBUTES = (
    Path(postcode.__file__).parent
    / "sources"
    / "cbs"
    / "cbs_wijkenbuurtenkaart_2021_buurt_hengelo_attributes_wide.csv"
)
PC6_FILE = "postcode-pc6.csv"
# CBS "Buurt, wijk en gemeente <jaar> voor postcode huisnummer" (addresses on 1 August).
# The buurt codes must match the bundled 2021 boundaries, hence 2021 by default.
CBS_PC6_URLS = {
    2019: "https://www.cbs.nl/-/media/_excel/2019/42/2019-cbs-pc6huisnr20190801_buurt.zip",
    2020: "https://www.cbs.nl/-/media/_excel/2020/39/2020-cbs-pc6huisnr20200801-buurt.zip",
    2021: "https://www.cbs.nl/-/media/_excel/2021/36/2021-cbs-pc6huisnr20200801_buurt.zip",
    2022: "https://www.cbs.nl/-/media/_excel/2022/37/2022-cbs-pc6huisnr20210801_buurt.zip",
    2023: "https://download.cbs.nl/maatwerk/2023-cbs-pc6huisnr20230801_buurt.zip",
}
MEMBER = re.compile(r"pc6hnr\d{8}_gwb[^/]*\.csv$", re.IGNORECASE)


def pc6_path(store: Path | None = None) -> Path:
    """Where the fetched PC6 table lives: next to the (embedded) store of this process."""
    if store is None:
        from dashboard.data import current_store

        store = getattr(current_store(), "path", None) or settings.store_path()
    return Path(store).with_name(PC6_FILE)


@lru_cache(maxsize=1)
def pc4_index() -> dict[str, list[str]]:
    """PC4 -> buurten from the bundled CBS buurt attributes (most frequent postcode)."""
    return postcode.pc4_index(pd.read_csv(ATTRIBUTES, dtype={"meest_voor": str}))


def load_pc6(path: Path | None = None) -> pd.DataFrame | None:
    """The fetched PC6 table, or None when it was never fetched."""
    path = path or pc6_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    return _read_pc6(str(path), stamp)


@lru_cache(maxsize=2)
def _read_pc6(path: str, _stamp) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"pc6": str, "buurtcode": str})


def postcode_results(ctx, query: str | None, lang: str):
    """Search results for a postcode (None when ``query`` is not a postcode): buttons with the
    same ids as the name search, so choosing one selects and zooms as a name does."""
    answer = postcode.lookup(query, pc4_index(), load_pc6())
    if answer is None:
        return None
    names = ctx.areas["buurt"].set_index("code")
    known = [c for c in answer.buurten if c in names.index]
    shown = answer.postcode.pc6 or answer.postcode.pc4
    intro = t(f"postcode_{answer.kind}", lang, postcode=shown, pc4=answer.postcode.pc4)
    if not known:
        return html.P(t("postcode_none", lang, postcode=shown), className="small-note")
    items = [
        html.Li(
            html.Button(
                [
                    html.Strong(names.loc[code, "name"]),
                    " – ",
                    t("search_buurt_in", lang, wijk=names.loc[code, "wijknaam"]),
                    f" ({t('postcode_addresses', lang, n=answer.addresses[code])})"
                    if code in answer.addresses
                    else "",
                ],
                id={"type": ids.MAP_SEARCH_RESULT, "code": code},
                className="link-button",
                type="button",
                n_clicks=0,
            )
        )
        for code in known
    ]
    return [
        html.P(intro, className="small-note postcode-note"),
        html.Ul(items, className="search-results"),
    ]


# --- fetch ---------------------------------------------------------------------------------


class PostcodeFetchError(Exception):
    """The CBS address table could not be fetched or read (message in Dutch, for the user)."""


def download(url: str, target: Path, timeout: float) -> None:
    """Stream ``url`` to ``target`` (the real file is tens of megabytes)."""
    request = urllib.request.Request(url, headers={"User-Agent": "wijkveiligheid-hengelo"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            with target.open("wb") as out:
                shutil.copyfileobj(response, out, length=1 << 20)
    except urllib.error.HTTPError as exc:
        raise PostcodeFetchError(
            f"CBS antwoordde met HTTP {exc.code} ({exc.reason}) voor {url}"
        ) from exc
    except TimeoutError as exc:
        raise PostcodeFetchError(f"CBS antwoordde niet binnen {timeout:g} seconden.") from exc
    except urllib.error.URLError as exc:
        raise PostcodeFetchError(f"CBS is niet bereikbaar: {exc.reason}") from exc


def read_address_table(path: Path, gemeente: str = GEMEENTE.code, year: int | None = None):
    """The PC6 table of one municipality from the CBS zip (or its CSV), read in chunks."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                members = [n for n in archive.namelist() if MEMBER.search(n)]
                if not members:
                    raise PostcodeFetchError(
                        "Het zip-bestand bevat geen pc6hnr…_gwb.csv; gevonden: "
                        + ", ".join(archive.namelist()[:8])
                    )
                with archive.open(members[0]) as raw:
                    return _read_chunks(io.TextIOWrapper(raw, "utf-8-sig"), gemeente, year)
        with path.open(encoding="utf-8-sig") as text:
            return _read_chunks(text, gemeente, year)
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, pd.errors.ParserError) as exc:
        raise PostcodeFetchError(f"Het CBS-bestand is niet te lezen: {exc}") from exc


def _read_chunks(text, gemeente: str, year: int | None) -> pd.DataFrame:
    parts = [
        postcode.pc6_table(chunk, gemeente)
        for chunk in pd.read_csv(text, sep=";", dtype=str, chunksize=500_000)
    ]
    table = pd.concat(parts).groupby(["pc6", "buurtcode"], as_index=False)["adressen"].sum()
    if year is not None:
        table["jaar"] = year
    return table


def cmd_fetch_postcode(args, store) -> int:
    """``wijkveiligheid fetch --table postcode``: fetch, reduce to Hengelo, check the buurt
    codes against the store's boundaries, write ``postcode-pc6.csv`` next to the store."""
    from dashboard.data import get_context, use_store

    year = int(args.year or 2021)
    url = args.url or CBS_PC6_URLS.get(year)
    if not url:
        known = ", ".join(str(y) for y in CBS_PC6_URLS)
        print(f"Geen adres bekend voor {year} (wel: {known}); geef --url.", file=sys.stderr)
        return 2
    use_store(store)
    with tempfile.TemporaryDirectory() as tmp:
        zipped = Path(tmp) / "pc6.zip"
        try:
            download(url, zipped, args.timeout)
            table = read_address_table(zipped, year=year)
        except PostcodeFetchError as exc:
            print(f"Ophalen mislukt, er is niets veranderd: {exc}", file=sys.stderr)
            return 1
    codes = set(get_context().areas["buurt"]["code"])
    unknown = table[~table["buurtcode"].isin(codes)]
    table = table[table["buurtcode"].isin(codes)]
    if table.empty:
        print("Geen enkele postcode van Hengelo gevonden; er is niets veranderd.", file=sys.stderr)
        return 1
    print(
        f"{table['pc6'].nunique()} postcodes in {table['buurtcode'].nunique()} buurten "
        f"({int(table['adressen'].sum())} adressen, CBS {year})."
    )
    if len(unknown):
        print(
            f"Let op: {unknown['pc6'].nunique()} postcodes liggen in buurtcodes die niet in de "
            f"kaart van 2021 staan ({', '.join(sorted(set(unknown['buurtcode']))[:5])}); "
            "die zijn weggelaten."
        )
    if args.dry_run:
        print("Proefdraai: niets opgeslagen.")
        return 0
    target = pc6_path(getattr(store, "path", None))
    partial = target.with_suffix(".csv.tmp")
    table.to_csv(partial, index=False)
    os.replace(partial, target)
    print(f"Opgeslagen: {target}")
    return 0
