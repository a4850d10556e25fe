"""UI strings of the change between two periods (wijk block, /vergelijk, map mode), merged
into :data:`dashboard.i18n.STRINGS` (kept apart so that the shared string table changes by one
line). Every key has both languages (tests/test_docs.py)."""

CHANGE_STRINGS: dict[str, dict[str, str]] = {
    "change_heading": {"nl": "Wat is veranderd", "en": "What changed"},
    "change_explained": {
        "nl": "Getoetst, niet alleen getekend: aantallen en cijfers per 1.000 inwoners met een "
        "exacte Poisson-toets (op de aantallen en de inwoners erachter), enquêtecijfers met hun "
        "marges. 'Meer dan toeval' bij 95% en 99,8%, dezelfde grenzen als in de trechtergrafiek. "
        "Alleen openbare cijfers; kleine aantallen blijven verborgen.",
        "en": "Tested, not just drawn: counts and rates per 1,000 inhabitants with an exact "
        "Poisson test (on the counts and the inhabitants behind them), survey figures with "
        "their margins. 'More than chance' at 95% and 99.8%, the same limits as in the funnel "
        "plot. Public figures only; small numbers stay hidden.",
    },
    "change_beyond_heading": {"nl": "Meer dan toeval", "en": "More than chance"},
    "change_none_beyond": {
        "nl": "Geen verandering die meer is dan toeval.",
        "en": "No change that is more than chance.",
    },
    "change_within_count": {
        "nl": "Binnen toeval: {count} veranderingen ({names}).",
        "en": "Within chance: {count} changes ({names}).",
    },
    "change_not_testable": {
        "nl": "Niet toetsbaar ({reason}): {names}.",
        "en": "Not testable ({reason}): {names}.",
    },
    "change_one_period": {
        "nl": "Maar één periode, dus nog geen verandering te tonen: {names}.",
        "en": "Only one period, so no change to show yet: {names}.",
    },
    "change_nothing": {
        "nl": "Voor de cijfers van {name} is er maar één periode; een verandering is nog niet "
        "te tonen.",
        "en": "The figures of {name} have only one period; there is no change to show yet.",
    },
    "change_worse": {"nl": "ongunstiger", "en": "worse"},
    "change_better": {"nl": "gunstiger", "en": "better"},
    "change_compare_heading": {
        "nl": "Wat is veranderd (getoetst)",
        "en": "What changed (tested)",
    },
    "change_compare_caption": {
        "nl": "Verandering tussen de twee nieuwste goed gedekte perioden van elk niveau, "
        "met de uitkomst van de toets",
        "en": "Change between the two latest well-covered periods of each level, with the "
        "outcome of the test",
    },
    "change_compare_none": {
        "nl": "Voor deze gebieden heeft geen cijfer twee perioden; een verandering is nog niet "
        "te tonen.",
        "en": "None of the figures of these areas has two periods; there is no change to show yet.",
    },
    "change_mode_label": {"nl": "Weergave", "en": "Display"},
    "change_mode_values": {"nl": "Waarden", "en": "Values"},
    "change_mode_change": {"nl": "Verandering (getoetst)", "en": "Change (tested)"},
    "change_pair_label": {"nl": "Verandering tussen", "en": "Change between"},
    "change_period_label": {"nl": "verandering {periods}", "en": "change {periods}"},
    "change_source_note": {
        "nl": "verandering {periods}, getoetst op toeval",
        "en": "change {periods}, tested for chance",
    },
    "change_legend_note": {
        "nl": "Kleur = richting van de verandering, donkerder = zekerder (bruin ongunstiger, "
        "blauwgroen gunstiger); waarden in de tabel zijn verschillen",
        "en": "Colour = direction of the change, darker = more certain (brown worse, "
        "blue-green better); values in the table are differences",
    },
    "change_legend_method": {
        "nl": "Toets: exacte Poisson-toets op aantallen (en de inwoners achter cijfers per "
        "1.000), marges bij enquêtes; 95% en 99,8%",
        "en": "Test: exact Poisson test on counts (and the inhabitants behind rates per "
        "1,000), margins for surveys; 95% and 99.8%",
    },
    "change_legend_up": {
        "nl": "Toename{word}, meer dan toeval ({level}%)",
        "en": "Increase{word}, more than chance ({level}%)",
    },
    "change_legend_none": {
        "nl": "Geen verschil buiten toeval",
        "en": "No difference beyond chance",
    },
    "change_legend_untestable": {
        "nl": "Niet toetsbaar (gearceerd)",
        "en": "Not testable (hatched)",
    },
    "change_legend_down": {
        "nl": "Afname{word}, meer dan toeval ({level}%)",
        "en": "Decrease{word}, more than chance ({level}%)",
    },
    "change_table_heading": {
        "nl": "Verandering per gebied, getoetst",
        "en": "Change per area, tested",
    },
    "change_col_change": {"nl": "Verandering en toets", "en": "Change and test"},
    "notice_unknown_mode": {
        "nl": "Weergave '{value}' bestaat niet; de kaart toont de waarden.",
        "en": "Display '{value}' does not exist; the map shows the values.",
    },
    "notice_change_one_period": {
        "nl": "{indicator} heeft op het niveau {level} maar één periode ({period}); een "
        "verandering is nog niet te tonen, de kaart toont de waarden.",
        "en": "{indicator} has only one period ({period}) for the {level}; there is no "
        "change to show yet, the map shows the values.",
    },
    "notice_unknown_change_periods": {
        "nl": "Perioden '{value}' zijn voor deze indicator niet te vergelijken op dit niveau; "
        "de kaart toont de verandering {default}.",
        "en": "Periods '{value}' cannot be compared for this indicator at this level; the map "
        "shows the change {default}.",
    },
}
