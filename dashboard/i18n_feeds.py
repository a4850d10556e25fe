"""Strings of the Atom feeds of changes (issue 18 A2), merged into
:data:`dashboard.i18n.STRINGS` (kept apart so that the shared string table changes by one
line). Every key has both languages (tests/test_docs.py)."""

FEED_STRINGS: dict[str, dict[str, str]] = {
    "feed_follow": {"nl": "Volg veranderingen (Atom)", "en": "Follow changes (Atom)"},
    "feed_follow_note": {
        "nl": "een feed voor een feedlezer of e-mailprogramma: een bericht bij elke "
        "verandering die meer is dan toeval.",
        "en": "a feed for a feed reader or mail program: an item for every change that is "
        "more than chance.",
    },
    "feed_data_note": {
        "nl": "elke verandering die meer is dan toeval (95% en 99,8%), tussen opeenvolgende "
        "perioden, met cijfers, bron en link: voor heel {gemeente} (/veranderingen.atom) en "
        "per wijk (/wijk/<code of naam>/veranderingen.atom, met haar buurten).",
        "en": "every change that is more than chance (95% and 99.8%), between consecutive "
        "periods, with figures, source and link: for all of {gemeente} (/veranderingen.atom) "
        "and per district (/wijk/<code or name>/veranderingen.atom, with its neighbourhoods).",
    },
    "feed_title": {
        "nl": "Veranderingen in {name} – Wijkveiligheid {gemeente}",
        "en": "Changes in {name} – Neighbourhood Safety {gemeente}",
    },
    "feed_title_gemeente": {
        "nl": "Veranderingen in {gemeente}, wijken en buurten – Wijkveiligheid {gemeente}",
        "en": "Changes in {gemeente}, its districts and neighbourhoods – Neighbourhood Safety "
        "{gemeente}",
    },
    "feed_subtitle": {
        "nl": "Elke verandering die meer is dan toeval (getoetst bij 95% en 99,8%) tussen twee "
        "opeenvolgende perioden, alleen openbare cijfers.",
        "en": "Every change that is more than chance (tested at 95% and 99.8%) between two "
        "consecutive periods, public figures only.",
    },
    "feed_none_beyond": {
        "nl": "Geen verandering die meer is dan toeval. Getoetst tussen opeenvolgende perioden "
        "(95% en 99,8%): {count}, alle binnen toeval.",
        "en": "No change that is more than chance. Tested between consecutive periods (95% and "
        "99.8%): {count}, all within chance.",
    },
    "feed_none_beyond_some_untestable": {
        "nl": "Geen verandering die meer is dan toeval. Getoetst tussen opeenvolgende perioden "
        "(95% en 99,8%): {count}, alle binnen toeval; niet toetsbaar (zoals beschrijvende "
        "tellingen: inwoners, oppervlakte): {untestable}.",
        "en": "No change that is more than chance. Tested between consecutive periods (95% and "
        "99.8%): {count}, all within chance; not testable (such as descriptive counts: "
        "inhabitants, area): {untestable}.",
    },
    "feed_none_testable": {
        "nl": "Geen verandering getoetst. Veranderingen tussen opeenvolgende perioden die niet "
        "toetsbaar zijn (zoals beschrijvende tellingen: inwoners, oppervlakte): {count}.",
        "en": "No change tested. Changes between consecutive periods that are not testable "
        "(such as descriptive counts: inhabitants, area): {count}.",
    },
    "feed_none_one_period": {
        "nl": "Geen verandering te melden: van deze gebieden is van elk openbaar cijfer maar "
        "één periode bekend.",
        "en": "No change to report: every public figure of these areas has a single period.",
    },
    "feed_author": {"nl": "Wijkveiligheid {gemeente}", "en": "Neighbourhood Safety {gemeente}"},
    "feed_unknown_wijk": {
        "nl": "Wijk '{name}' bestaat niet.",
        "en": "District '{name}' does not exist.",
    },
    "feed_ambiguous_wijk": {
        "nl": "'{name}' is geen wijk of buurt, maar staat in de naam van: {areas}. "
        "Feed per wijk: {feeds}",
        "en": "'{name}' is no district or neighbourhood, but part of the name of: {areas}. "
        "Feed per district: {feeds}",
    },
    "feed_area": {"nl": "Gebied: {name} ({level}, {code})", "en": "Area: {name} ({level}, {code})"},
    "feed_value": {"nl": "{period}: {value}", "en": "{period}: {value}"},
    "feed_difference": {"nl": "Verschil: {difference}", "en": "Difference: {difference}"},
    "feed_test": {
        "nl": "Toets: {test}, p {p}; {verdict}",
        "en": "Test: {test}, p {p}; {verdict}",
    },
    "feed_source": {"nl": "Bron ({period}): {source}", "en": "Source ({period}): {source}"},
    "feed_source_both": {"nl": "Bron: {source}", "en": "Source: {source}"},
    "feed_link_wijk": {"nl": "Bekijk de wijk", "en": "View the district"},
    "feed_link_map": {"nl": "Op de kaart", "en": "On the map"},
    "feed_link_compare": {"nl": "Vergelijk", "en": "Compare"},
    "feed_level_gemeente": {"nl": "gemeente", "en": "municipality"},
    "feed_level_wijk": {"nl": "wijk", "en": "district"},
    "feed_level_buurt": {"nl": "buurt", "en": "neighbourhood"},
}
