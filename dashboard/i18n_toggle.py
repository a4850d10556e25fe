"""Texts of the count/rate switch on the wijk and compare pages (``?maat=``, issue 18 A3)
and of the small defects fixed with it; merged into :data:`dashboard.i18n.STRINGS`."""

from __future__ import annotations

TOGGLE_STRINGS: dict[str, dict[str, str]] = {
    "toggle_legend": {"nl": "Toon aantallen als", "en": "Show counts as"},
    "toggle_aantal": {"nl": "Aantal", "en": "Count"},
    "toggle_per1000": {"nl": "Per 1.000 inwoners", "en": "Per 1,000 inhabitants"},
    "toggle_note_aantal": {
        "nl": "Aantallen zoals gepubliceerd (afgerond op 5, kleine aantallen onderdrukt). "
        "Per 1.000 inwoners deelt elk aantal door de inwoners van hetzelfde jaar "
        "(inwoners: {sources}).",
        "en": "Counts as published (rounded to 5, small numbers suppressed). Per 1,000 "
        "inhabitants divides each count by the inhabitants of the same year "
        "(inhabitants: {sources}).",
    },
    "toggle_note_per1000": {
        "nl": "Aantallen per 1.000 inwoners van hetzelfde jaar (inwoners: {sources}), "
        "berekend uit de gepubliceerde aantallen; zonder inwoners of bij een onderdrukt "
        "aantal staat er —.",
        "en": "Counts per 1,000 inhabitants of the same year (inhabitants: {sources}), "
        "made from the published counts; without inhabitants or for a suppressed count "
        "it shows —.",
    },
    "toggle_unknown": {
        "nl": "'{value}' kan hier niet (maat: aantal of per1000); de pagina toont aantallen.",
        "en": "'{value}' is not possible here (measure: aantal or per1000); the page shows counts.",
    },
    "toggle_no_rate": {
        "nl": "Op deze pagina staat geen aantal dat per 1.000 inwoners kan; de pagina toont "
        "de aantallen.",
        "en": "Nothing on this page can be shown per 1,000 inhabitants; the page shows the counts.",
    },
    "toggle_reason_suppressed": {
        "nl": "onderdrukt: te klein aantal",
        "en": "suppressed: number too small",
    },
    "toggle_reason_complementary": {
        "nl": "onderdrukt: anders terug te rekenen",
        "en": "suppressed: could otherwise be worked back",
    },
    "toggle_reason_no_base": {
        "nl": "geen inwoners uit {year} in de bron",
        "en": "no inhabitants of {year} in the source",
    },
    "toggle_reason_zero": {
        "nl": "geen inwoners in {year}",
        "en": "no inhabitants in {year}",
    },
    "toggle_inhabitants_source": {"nl": "inwoners: {sources}", "en": "inhabitants: {sources}"},
    "toggle_compare_link": {
        "nl": "Vergelijk {name} met andere gebieden",
        "en": "Compare {name} with other areas",
    },
}
