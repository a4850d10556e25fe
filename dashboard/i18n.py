"""UI strings in Dutch (default) and English. Every key must have both languages (tested)."""

from __future__ import annotations

from dashboard.i18n_change import CHANGE_STRINGS
from dashboard.i18n_feeds import FEED_STRINGS
from dashboard.i18n_toggle import TOGGLE_STRINGS
from geodata.gemeente import GEMEENTE

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

STRINGS: dict[str, dict[str, str]] = {
    "months_span": {
        "nl": "{first} t/m {last} ({count} maanden)",
        "en": "{first} to {last} ({count} months)",
    },
    "app_title": {"nl": "Wijkveiligheid {gemeente}", "en": "Neighbourhood Safety {gemeente}"},
    "app_subtitle": {
        "nl": "Veiligheid en leefbaarheid per wijk en buurt, uit het Integraal "
        "Veiligheidsbeleid 2017-2020",
        "en": "Safety and liveability per district and neighbourhood, from the "
        "Integral Safety Policy 2017-2020",
    },
    "skip_to_content": {"nl": "Naar de inhoud", "en": "Skip to content"},
    "nav_map": {"nl": "Kaart", "en": "Map"},
    "nav_themes": {"nl": "Thema's", "en": "Themes"},
    "nav_label": {"nl": "Hoofdmenu", "en": "Main menu"},
    "language_switch": {"nl": "English", "en": "Nederlands"},
    "language_switch_label": {"nl": "Switch to English", "en": "Naar het Nederlands"},
    "level": {"nl": "Niveau", "en": "Level"},
    "level_wijk": {"nl": "Wijken", "en": "Districts (wijken)"},
    "level_buurt": {"nl": "Buurten", "en": "Neighbourhoods (buurten)"},
    "level_gemeente": {"nl": "{gemeente}", "en": "{gemeente}"},
    "indicator": {"nl": "Indicator", "en": "Indicator"},
    "period_label": {"nl": "Periode", "en": "Period"},
    "period_latest": {"nl": "{period} (nieuwste)", "en": "{period} (latest)"},
    "period_default": {
        "nl": "{period} (best gedekt, standaard)",
        "en": "{period} (best covered, default)",
    },
    "notice_unknown_measure": {
        "nl": "'{value}' kan hier niet (maat: aantal of per1000, en per 1.000 inwoners alleen "
        "voor aantallen met inwoners); de kaart toont het aantal.",
        "en": "'{value}' is not possible here (measure: aantal or per1000, and per 1,000 "
        "inhabitants only for counts with inhabitants); the map shows the count.",
    },
    "measure_label": {"nl": "Toon", "en": "Show"},
    "measure_aantal": {"nl": "Aantal", "en": "Number"},
    "measure_per1000": {"nl": "Per 1.000 inwoners", "en": "Per 1,000 inhabitants"},
    "notice_unknown_period": {
        "nl": "Periode '{value}' heeft voor deze indicator geen gegevens op dit niveau; "
        "de kaart toont {default}.",
        "en": "Period '{value}' has no data for this indicator at this level; "
        "the map shows {default}.",
    },
    "focus_outline": {"nl": "Focuswijken omlijnen", "en": "Outline focus districts"},
    # map page (issue 11): names on the map, classification method, age of a figure
    "map_labels": {"nl": "Namen op de kaart", "en": "Names on the map"},
    "map_png": {"nl": "Kaart opslaan als PNG", "en": "Save the map as PNG"},
    "map_region": {
        "nl": "Kaart met {indicator} voor de {level}. Pijltjestoetsen schuiven, + en - zoomen; "
        "de tabel onder de kaart heeft dezelfde cijfers.",
        "en": "Map showing {indicator} for the {level}. Arrow keys pan, + and - zoom; the table "
        "below the map has the same figures.",
    },
    "map_loading": {"nl": "Kaart wordt geladen…", "en": "Loading the map…"},
    "figure_age": {"nl": "{n} jaar oud", "en": "{n} years old"},
    "class_method": {"nl": "Klassen: {method}", "en": "Classes: {method}"},
    "class_method_fisher_jenks": {
        "nl": "natuurlijke grenzen (Fisher-Jenks)",
        "en": "natural breaks (Fisher-Jenks)",
    },
    "class_method_head_tail": {
        "nl": "head/tail breaks (voor scheve verdelingen)",
        "en": "head/tail breaks (for skewed data)",
    },
    "class_method_quantiles": {"nl": "kwantielen", "en": "quantiles"},
    "focus_legend": {
        "nl": "Focuswijk uit het veiligheidsbeleid (Berflo Es, Hengelose Es, Noord, Binnenstad)",
        "en": "Focus district of the safety policy (Berflo Es, Hengelose Es, Noord, Binnenstad)",
    },
    "map_title": {"nl": "Kaart van {gemeente}", "en": "Map of {gemeente}"},
    "map_alt": {
        "nl": "Kaart van {gemeente} met {indicator} voor de {level}. De tabel hieronder bevat "
        "dezelfde cijfers.",
        "en": "Map of {gemeente} showing {indicator} for the {level}. The table below holds the "
        "same figures.",
    },
    "legend": {"nl": "Legenda", "en": "Legend"},
    "legend_darker": {"nl": "Donkerder = meer reden tot zorg", "en": "Darker = more concern"},
    "legend_darker_neutral": {
        "nl": "Donkerder = hogere waarde (geen oordeel)",
        "en": "Darker = higher value (no judgement)",
    },
    "no_data": {"nl": "geen gegevens", "en": "no data"},
    "source": {"nl": "Bron", "en": "Source"},
    "period": {"nl": "Periode", "en": "Period"},
    "table_caption": {
        "nl": "{indicator} in de {level}, {period}. Klik op een kolomkop om te sorteren.",
        "en": "{indicator} in the {level}, {period}. Click a column header to sort.",
    },
    "col_area": {"nl": "Gebied", "en": "Area"},
    "col_code": {"nl": "Code", "en": "Code"},
    "col_value": {"nl": "Waarde", "en": "Value"},
    "col_class": {"nl": "Klasse", "en": "Class"},
    "col_note": {"nl": "Toelichting", "en": "Note"},
    "col_indicator": {"nl": "Indicator", "en": "Indicator"},
    "col_hengelo": {"nl": "{gemeente}", "en": "{gemeente}"},
    "col_difference": {"nl": "Verschil", "en": "Difference"},
    "col_judgement": {"nl": "Oordeel", "en": "Assessment"},
    "col_rank": {"nl": "Rang", "en": "Rank"},
    "col_period": {"nl": "Periode", "en": "Period"},
    "col_source": {"nl": "Bron", "en": "Source"},
    "download_csv": {"nl": "Download tabel (CSV)", "en": "Download table (CSV)"},
    "table_heading": {
        "nl": "Tabel met de cijfers van de kaart",
        "en": "Table with the figures of the map",
    },
    "table_rows": {"nl": "Rijen {first}–{last} van {n}", "en": "Rows {first}–{last} of {n}"},
    "table_pages": {"nl": "Pagina's van de tabel", "en": "Pages of the table"},
    "page_first": {"nl": "« Eerste", "en": "« First"},
    "page_previous": {"nl": "‹ Vorige", "en": "‹ Previous"},
    "page_next": {"nl": "Volgende ›", "en": "Next ›"},
    "page_last": {"nl": "Laatste »", "en": "Last »"},
    "panel_heading": {"nl": "Geselecteerd gebied", "en": "Selected area"},
    "panel_hint": {
        "nl": "Klik op een wijk of buurt op de kaart, of kies er een in de tabel, om "
        "de cijfers naast die van heel {gemeente} te zien.",
        "en": "Click a district or neighbourhood on the map, or pick one in the table, "
        "to see its figures next to those of {gemeente} as a whole.",
    },
    "panel_profile_link": {"nl": "Naar het wijkprofiel", "en": "Go to the district profile"},
    "panel_in_wijk": {"nl": "Buurt in wijk {wijk}", "en": "Neighbourhood in district {wijk}"},
    "panel_wijk_of": {"nl": "Wijk van {gemeente}", "en": "District of {gemeente}"},
    "derived_short": {
        "nl": "afgeleid ({n} van {total} buurten)",
        "en": "derived ({n} of {total} neighbourhoods)",
    },
    "panel_close": {"nl": "Selectie opheffen", "en": "Clear selection"},
    "judgement_better": {"nl": "gunstiger dan {gemeente}", "en": "better than {gemeente}"},
    "judgement_worse": {"nl": "ongunstiger dan {gemeente}", "en": "worse than {gemeente}"},
    "judgement_equal": {"nl": "gelijk aan {gemeente}", "en": "same as {gemeente}"},
    "judgement_neutral": {"nl": "geen oordeel", "en": "no judgement"},
    "judgement_short_better": {"nl": "gunstiger", "en": "better"},
    "judgement_short_worse": {"nl": "ongunstiger", "en": "worse"},
    "judgement_short_equal": {"nl": "gelijk", "en": "same"},
    "judgement_short_neutral": {"nl": "–", "en": "–"},
    "judgement_similar": {"nl": "vergelijkbaar met {gemeente}", "en": "similar to {gemeente}"},
    "judgement_short_similar": {"nl": "vergelijkbaar", "en": "similar"},
    "judgement_method_poisson": {
        "nl": "gewogen op {population} inwoners",
        "en": "based on {population} inhabitants",
    },
    "judgement_method_poisson_strong": {
        "nl": "buiten de 99,8%-grenzen, gewogen op {population} inwoners",
        "en": "outside the 99.8% limits, based on {population} inhabitants",
    },
    "judgement_method_margin": {
        "nl": "binnen/buiten de foutmarge",
        "en": "within/outside the margin",
    },
    "judgement_method_none": {"nl": "toeval niet gewogen", "en": "chance not taken into account"},
    "judgement_explained": {
        "nl": "Oordeel: een cijfer per 1.000 inwoners heet gunstiger of ongunstiger dan {gemeente} "
        "alleen als het buiten de 95%-grenzen valt die bij het aantal inwoners horen (Poisson, "
        "zoals trechterdiagrammen in de volksgezondheid); daarbinnen is het vergelijkbaar, want "
        "in een kleine buurt schommelt een cijfer sterk door toeval. Bij een afgeleid "
        "wijkcijfer tellen alleen de inwoners van de buurten met gegevens. Een enquêtecijfer "
        "met bekende foutmarge is vergelijkbaar als {gemeente} binnen die marge valt; is de "
        "marge niet bekend (zoals bij de Veiligheidsmonitor-cijfers uit het beleidsplan), dan "
        "volgt het oordeel alleen het verschil en staat er 'toeval niet gewogen' bij.",
        "en": "Judgement: a figure per 1,000 inhabitants is called better or worse than {gemeente} "
        "only when it lies outside the 95% limits that go with its number of inhabitants "
        "(Poisson, as public-health funnel plots do); within them it is similar, because in a "
        "small neighbourhood a figure varies a lot by chance. For a derived district figure "
        "only the inhabitants of the neighbourhoods with data count. A survey figure with a "
        "known margin is similar when {gemeente} lies within that margin; when the margin is "
        "not known (as for the safety-monitor figures from the policy plan), the judgement "
        "follows the difference alone and says 'chance not taken into account'.",
    },
    "kpi_city_only": {
        "nl": "alleen voor heel {gemeente} gemeten; status van {gemeente}",
        "en": "measured for {gemeente} as a whole only; {gemeente}'s status",
    },
    "kpi_area_status": {"nl": "status van {area}", "en": "status of {area}"},
    "kpi_city_status": {"nl": "status van {gemeente}", "en": "{gemeente}'s status"},
    "kpi_other_areas": {
        "nl": "per wijk gemeten, niet voor {area} (wel: {figures}); status van {gemeente}",
        "en": "measured per district, not for {area} ({figures}); {gemeente}'s status",
    },
    "kpi_no_area_baseline": {
        "nl": "geen nulmeting voor deze wijk",
        "en": "no baseline for this district",
    },
    "breadcrumbs": {"nl": "Kruimelpad", "en": "Breadcrumb"},
    "nav_menu": {"nl": "Menu", "en": "Menu"},
    "wijken": {"nl": "Wijken", "en": "Districts"},
    "buurten_word": {"nl": "buurten", "en": "neighbourhoods"},
    "wijk_title": {"nl": "Wijkprofiel {name}", "en": "District profile {name}"},
    "wijk_not_found": {
        "nl": "Wijk '{value}' bestaat niet",
        "en": "District '{value}' does not exist",
    },
    "choice_title": {
        "nl": "Meer gebieden passen bij '{value}'",
        "en": "Several areas match '{value}'",
    },
    "choice_hint": {"nl": "Welke bedoelt u?", "en": "Which one do you mean?"},
    "choice_wijk": {"nl": "wijk", "en": "district"},
    "choice_buurt_in": {"nl": "buurt in wijk {wijk}", "en": "neighbourhood in district {wijk}"},
    "title_choice": {"nl": "kies een gebied", "en": "choose an area"},
    "wijk_not_found_hint": {
        "nl": "Kies een van de tien wijken van {gemeente}:",
        "en": "Choose one of {gemeente}'s ten districts:",
    },
    "focus_badge": {
        "nl": "Focuswijk van het veiligheidsbeleid",
        "en": "Focus district of the safety policy",
    },
    "profile_date": {"nl": "Profiel gemaakt op {date}", "en": "Profile made on {date}"},
    "print": {"nl": "Afdrukken", "en": "Print"},
    "download_pdf": {"nl": "Download profiel (PDF)", "en": "Download profile (PDF)"},
    "aandachtspunten": {"nl": "Aandachtspunten", "en": "Points of attention (in Dutch)"},
    "wijk_map_heading": {"nl": "Buurten op de kaart", "en": "Neighbourhoods on the map"},
    "wijk_map_caption": {
        "nl": "Kaart van de buurten van {name}: {indicator}. {source}. De tabel "
        "met buurtcijfers hieronder bevat dezelfde cijfers.",
        "en": "Map of the neighbourhoods of {name}: {indicator}. {source}. The "
        "neighbourhood table below holds the same figures.",
    },
    "wijk_figures_heading": {
        "nl": "Alle cijfers van de wijk naast {gemeente}",
        "en": "All figures of the district next to {gemeente}",
    },
    "rank_explained": {
        "nl": "Rang: plaats onder de wijken met een waarde; 1 = meeste reden tot "
        "zorg (of de hoogste waarde bij indicatoren zonder oordeel).",
        "en": "Rank: position among the districts with a value; 1 = most concern "
        "(or the highest value for indicators without a judgement).",
    },
    "rank_of": {"nl": "{rank} van {n}", "en": "{rank} of {n}"},
    "buurten_heading": {"nl": "Cijfers per buurt", "en": "Figures per neighbourhood"},
    "trend_heading": {"nl": "Ontwikkeling door de jaren", "en": "Development over the years"},
    "trend_no_reference_note": {
        "nl": "– bij {gemeente}: een cijfer dat met de grootte van het gebied groeit (zoals een "
        "aantal) is voor de wijk niet te vergelijken met het totaal van {gemeente}.",
        "en": "– under {gemeente}: a figure that grows with the size of the area (such as a "
        "count) cannot be set against the total of {gemeente} for a district.",
    },
    "wijk_themes_heading": {
        "nl": "Thema's en KPI's van het veiligheidsbeleid voor deze wijk",
        "en": "Safety policy themes and KPIs for this district",
    },
    "sources_heading": {"nl": "Bronnen", "en": "Sources"},
    "kpi_on_track": {"nl": "op koers", "en": "on track"},
    "kpi_off_track": {"nl": "niet op koers", "en": "off track"},
    "kpi_no_data": {"nl": "nog geen nieuwe meting", "en": "no new measurement yet"},
    "kpi_not_measurable": {"nl": "niet in de cijfers", "en": "not in the data"},
    "theme_not_found": {
        "nl": "Thema '{value}' bestaat niet",
        "en": "Theme '{value}' does not exist",
    },
    "theme_not_found_hint": {
        "nl": "Het veiligheidsbeleid kent deze acht thema's:",
        "en": "The safety policy has these eight themes:",
    },
    "theme_about": {"nl": "Waar gaat het om?", "en": "What is it about?"},
    "theme_measure": {"nl": "Waarmee meten we?", "en": "Measured with"},
    "theme_needs": {"nl": "Wat hebben we daarvoor nodig?", "en": "What is needed?"},
    "theme_partners": {
        "nl": "Met wie werkt Openbare Orde en Veiligheid samen?",
        "en": "Who does Public Order and Safety work with?",
    },
    "theme_partners_intern": {"nl": "Intern (gemeente)", "en": "Internal (municipality)"},
    "theme_partners_extern": {"nl": "Extern", "en": "External"},
    "theme_who": {"nl": "Wie hebben we daarvoor nodig?", "en": "Who is needed?"},
    "theme_costs": {"nl": "Wat gaat dat kosten?", "en": "What will it cost?"},
    "theme_focus_wijken": {
        "nl": "Wijken waar dit thema om vraagt",
        "en": "Districts this theme focuses on",
    },
    "col_kpi": {"nl": "KPI", "en": "KPI"},
    "col_latest": {"nl": "Laatste waarde", "en": "Latest value"},
    "col_status": {"nl": "Status", "en": "Status"},
    "kpi_no_baseline": {"nl": "geen nulmeting in het plan", "en": "no baseline in the plan"},
    "kpi_status_explained": {
        "nl": "Status: de laatste meting na de nulmeting vergeleken met de "
        "nulmeting, in de richting van het doel. Zolang er geen nieuwe "
        "meting is geladen, staat er 'nog geen nieuwe meting'.",
        "en": "Status: the latest measurement after the baseline compared "
        "with the baseline, in the direction of the target. Until a new "
        "measurement is loaded it reads 'no new measurement yet'.",
    },
    "show_on_map": {"nl": "Toon op de kaart", "en": "Show on the map"},
    "only_hengelo": {"nl": "alleen voor heel {gemeente}", "en": "{gemeente} as a whole only"},
    "section": {"nl": "paragraaf", "en": "section"},
    "theme_status_summary": {
        "nl": "KPI's: {on} op koers, {off} niet op koers, {none} nog geen "
        "nieuwe meting, {na} niet in de cijfers",
        "en": "KPIs: {on} on track, {off} off track, {none} no new "
        "measurement yet, {na} not in the data",
    },
    "pdf_footer": {
        "nl": "Wijkveiligheid {gemeente}. Cijfers van CBS, CBS/Kadaster en Politie/CBS "
        "(CC BY 4.0) en de gemeente {gemeente}. 'geen gegevens' of '–': de bron geeft "
        "geen waarde. Afgeleide wijkwaarden zijn berekend uit buurtcijfers.",
        "en": "Neighbourhood Safety {gemeente}. Figures from CBS, CBS/Kadaster and "
        "Police/CBS (CC BY 4.0) and the municipality of {gemeente}. 'no data' or "
        "'–': the source gives no value. Derived district values are computed "
        "from neighbourhood figures.",
    },
    "nav_benchmark": {"nl": "G32-benchmark", "en": "G32 benchmark"},
    "g32_title": {
        "nl": "Benchmark Veiligheid G32, ronde 2015",
        "en": "G32 Safety Benchmark, 2015 round",
    },
    "g32_intro": {
        "nl": "In de benchmark van 2015 is {gemeente} vergeleken met het gemiddelde van de "
        "tien deelnemende steden. Dat gemiddelde is gelijkgesteld aan 100; de "
        "laagste mogelijke score is 10, de hoogste 150.",
        "en": "The 2015 benchmark compares {gemeente} with the mean of the ten "
        "participating cities. That mean is set to 100; the lowest possible "
        "score is 10, the highest 150.",
    },
    "g32_rule_title": {"nl": "Zo lees je de scores", "en": "How to read the scores"},
    "g32_rule": {
        "nl": "Bij de kernvariabele Veiligheid betekent onder 100: minder veilig dan "
        "gemiddeld, en dat is altijd ongunstig. Bij de andere kernvariabelen "
        "betekent onder 100: minder of kleiner dan gemiddeld, niet per se slechter. "
        "Daarom krijgt alleen Veiligheid een kleur voor gunstig of ongunstig.",
        "en": "For the core variable Safety, below 100 means less safe than the mean, "
        "which is always unfavourable. For the other core variables, below 100 "
        "means less or smaller than the mean, not necessarily worse. That is why "
        "only Safety is coloured as favourable or unfavourable.",
    },
    "g32_participants": {
        "nl": "Deelnemende gemeenten in 2015",
        "en": "Participating municipalities in 2015",
    },
    "g32_kern": {"nl": "Kernvariabele", "en": "Core variable"},
    "g32_drill": {"nl": "Inzoomen op hoofdthema", "en": "Zoom in on main theme"},
    "g32_all": {"nl": "Hele kernvariabele", "en": "Whole core variable"},
    "g32_mean": {"nl": "Benchmarkgemiddelde (100)", "en": "Benchmark mean (100)"},
    "g32_score": {"nl": "Score", "en": "Score"},
    "g32_objective": {"nl": "Objectief (politiecijfers)", "en": "Objective (police figures)"},
    "g32_subjective": {
        "nl": "Subjectief (beleving, Veiligheidsmonitor)",
        "en": "Subjective (perception, Safety Monitor)",
    },
    "g32_objsubj_title": {
        "nl": "Objectieve en subjectieve veiligheid per thema",
        "en": "Objective and subjective safety per theme",
    },
    "g32_objsubj_text": {
        "nl": "Waar beleving en politiecijfers uiteenlopen: een groot verschil "
        "betekent dat inwoners het veiliger (of onveiliger) ervaren dan de "
        "geregistreerde cijfers laten zien.",
        "en": "Where perception and police figures diverge: a large gap means "
        "residents experience it as safer (or less safe) than the "
        "registered figures show.",
    },
    "g32_gap": {"nl": "Verschil (subjectief − objectief)", "en": "Gap (subjective − objective)"},
    "g32_strong": {"nl": "Sterkste en zwakste punten", "en": "Strongest and weakest points"},
    "g32_safety_high": {
        "nl": "Veiligheid: het meest veilig t.o.v. gemiddeld",
        "en": "Safety: safest compared with the mean",
    },
    "g32_safety_low": {
        "nl": "Veiligheid: het minst veilig t.o.v. gemiddeld",
        "en": "Safety: least safe compared with the mean",
    },
    "g32_other_high": {
        "nl": "Andere kernvariabelen: het meest (boven gemiddeld)",
        "en": "Other core variables: most (above the mean)",
    },
    "g32_other_low": {
        "nl": "Andere kernvariabelen: het minst (onder gemiddeld, niet per se slechter)",
        "en": "Other core variables: least (below the mean, not necessarily worse)",
    },
    "g32_missing_title": {
        "nl": "Zonder score in het rapport",
        "en": "Without a score in the report",
    },
    "g32_status_insufficient_info": {
        "nl": "onvoldoende informatie voor een analyse",
        "en": "too little information for an analysis",
    },
    "g32_status_figure_only": {
        "nl": "score alleen in een figuur van het rapport, niet in de tekst",
        "en": "score only in a figure of the report, not in the text",
    },
    "g32_capacity_title": {
        "nl": "Capaciteit OOV (tabel 2.1)",
        "en": "Public order and safety (OOV) capacity (table 2.1)",
    },
    "g32_fte": {"nl": "Feitelijk (fte)", "en": "Actual (FTE)"},
    "g32_recommendations": {
        "nl": "Aanbevelingen van het rapport en de thema's van het IVP",
        "en": "Recommendations of the report and the IVP themes",
    },
    "g32_reading_safer": {"nl": "veiliger dan gemiddeld", "en": "safer than the mean"},
    "g32_reading_less_safe": {"nl": "minder veilig dan gemiddeld", "en": "less safe than the mean"},
    "g32_reading_more": {"nl": "meer dan gemiddeld", "en": "more than the mean"},
    "g32_reading_less": {"nl": "minder dan gemiddeld", "en": "less than the mean"},
    "g32_reading_mean": {"nl": "gelijk aan gemiddeld", "en": "equal to the mean"},
    "g32_no_score": {"nl": "geen score", "en": "no score"},
    "col_aspect": {"nl": "Onderdeel", "en": "Item"},
    "col_reading": {"nl": "Betekenis", "en": "Meaning"},
    "download_table_csv": {"nl": "Tabel als CSV", "en": "Table as CSV"},
    "nav_compare": {"nl": "Vergelijken", "en": "Compare"},
    "compare_title": {"nl": "Gebieden vergelijken", "en": "Compare areas"},
    "compare_intro": {
        "nl": "Kies één tot vier gebieden (wijken of buurten) en de indicatoren die u naast "
        "elkaar wilt zien; heel {gemeente} staat altijd in de laatste kolom. De selectie "
        "staat in de link, zodat u hem kunt delen.",
        "en": "Choose one to four areas (districts or neighbourhoods) and the indicators to "
        "see side by side; {gemeente} as a whole is always in the last column. The "
        "selection is in the link, so it can be shared.",
    },
    "compare_areas": {"nl": "Gebieden (1 tot 4)", "en": "Areas (1 to 4)"},
    "compare_indicators": {"nl": "Indicatoren", "en": "Indicators"},
    "compare_caption": {
        "nl": "Per rij de waarden van dezelfde periode voor elk gebied en {gemeente}, met het "
        "oordeel ten opzichte van {gemeente} (toeval meegewogen)",
        "en": "Each row: the values of one period for every area and {gemeente}, with the "
        "judgement compared with {gemeente} (allowing for chance)",
    },
    "compare_ambiguous_area": {
        "nl": "'{item}' past bij meer gebieden: {areas}. Kies er een in de lijst.",
        "en": "'{item}' matches several areas: {areas}. Choose one in the list.",
    },
    "compare_unknown_areas": {
        "nl": "Onbekende gebieden: {codes}; die zijn weggelaten.",
        "en": "Unknown areas: {codes}; they are left out.",
    },
    "compare_too_many": {
        "nl": "Er kunnen hoogstens {n} gebieden naast elkaar; de eerste {n} worden getoond.",
        "en": "At most {n} areas fit side by side; the first {n} are shown.",
    },
    "compare_too_few": {
        "nl": "Kies ten minste één gebied; de vier focuswijken worden getoond.",
        "en": "Choose at least one area; the four focus districts are shown.",
    },
    "compare_unknown_indicators": {
        "nl": "Onbekende of niet-openbare indicatoren zijn weggelaten.",
        "en": "Unknown or non-public indicators were left out.",
    },
    "compare_ranking": {"nl": "Rangorde van alle wijken", "en": "Ranking of all districts"},
    "compare_ranking_title": {
        "nl": "alle wijken, meeste reden tot zorg bovenaan",
        "en": "all districts, most concern on top",
    },
    "compare_selected": {"nl": "Gekozen", "en": "Selected"},
    "nav_presentation": {"nl": "Presentatie", "en": "Presentation"},
    "presentation_title": {"nl": "Presentatiemodus", "en": "Presentation mode"},
    "presentation_intro": {
        "nl": "Voor een vergadering met een beamer: grote letters, hoog "
        "contrast, en met het toetsenbord (of een presenter) door een "
        "vaste reeks weergaven. Alle cijfers staan op het scherm, niets "
        "alleen bij aanwijzen met de muis.",
        "en": "For a meeting with a projector: large type, high contrast, and "
        "the keyboard (or a clicker) to step through a fixed sequence of "
        "views. Every figure is on screen, nothing only on hover.",
    },
    "presentation_next": {"nl": "volgende weergave", "en": "next view"},
    "presentation_previous": {"nl": "vorige weergave", "en": "previous view"},
    "presentation_fullscreen": {"nl": "volledig scherm aan/uit", "en": "full screen on/off"},
    "presentation_stop": {"nl": "presentatie stoppen", "en": "stop presenting"},
    "presentation_start": {"nl": "Start de presentatie", "en": "Start the presentation"},
    "slide_top_concern": {"nl": "Meeste zorg (top {n})", "en": "Most concern (top {n})"},
    "slide_top_highest": {"nl": "Hoogste (top {n})", "en": "Highest (top {n})"},
    "slide_per_wijk": {"nl": "per wijk", "en": "per district"},
    "g32_recommendations_reading": {
        "nl": "De koppeling van elke aanbeveling aan thema's van het IVP is een lezing van dit "
        "project; het rapport en het beleidsplan leggen die koppeling zelf niet.",
        "en": "Linking each recommendation to IVP themes is this project's reading; neither "
        "the report nor the policy document makes that link.",
    },
    "g32_recommendation_themes": {
        "nl": "Thema's (lezing van dit project)",
        "en": "Themes (this project's reading)",
    },
    "focus_not_listed": {
        "nl": "Het beleidsplan noemt voor de Binnenstad geen eigen aandachtspunten (par. 2.1, "
        "voetnoot 2: de binnenstad komt als apart thema aan de orde). Deze punten komen uit "
        "thema 2.2 Binnenstad.",
        "en": "The policy document lists no points of attention of its own for the Binnenstad "
        "district (section 2.1, footnote 2: the city centre is a separate theme). These points "
        "come from theme 2.2 City centre.",
    },
    "budget_heading": {"nl": "Begroting 2017 (par. 3.4)", "en": "Budget 2017 (section 3.4)"},
    # the table's caption names its scroll region: not the section's name (landmark-unique)
    "budget_table_caption": {
        "nl": "Begrotingsregels 2017, hun som en het genoemde totaal",
        "en": "Budget lines 2017, their sum and the stated total",
    },
    "budget_intro": {
        "nl": "Zoals het beleidsplan de begroting geeft: per thema of onderwerp de status en het "
        "bedrag. Het plan noemt als totaal € 180.000, het bedrag waartoe de dekkingsvraag in 2011 "
        "is teruggebracht; de regels tellen samen op tot {sum}, {difference} meer dan dat "
        "totaal. Het plan verklaart dat verschil niet; wij tonen beide.",
        "en": "The budget as the policy document gives it: status and amount per theme or "
        "subject. The document states a total of € 180,000, the amount the funding need was "
        "reduced to in 2011; the lines add up to {sum}, {difference} more than that total. The "
        "document does not explain the difference; we show both.",
    },
    "budget_line": {"nl": "Thema / onderwerp", "en": "Theme / subject"},
    "budget_status": {"nl": "Status", "en": "Status"},
    "budget_amount": {"nl": "In begroting", "en": "In budget"},
    "budget_explanation": {
        "nl": "Toelichting (samengevat)",
        "en": "Explanation (summarised, Dutch)",
    },
    "budget_sum": {"nl": "Som van de regels", "en": "Sum of the lines"},
    "budget_stated": {"nl": "Totaal volgens het plan", "en": "Total stated in the document"},
    "budget_difference": {"nl": "Verschil", "en": "Difference"},
    "theme_measure_note": {
        "nl": "Zo wil het beleidsplan meten. Punten zonder nulmeting of streefwaarde "
        "(aantallen die worden bijgehouden) zijn meetpunten, geen KPI's: ze krijgen geen status.",
        "en": "How the policy plans to measure. Items without a baseline or target (counts to "
        "keep) are measurement items, not KPIs: they get no status.",
    },
    "funnel_limit_95": {"nl": "95%-grenzen", "en": "95% limits"},
    "funnel_limit_99_8": {"nl": "99,8%-grenzen", "en": "99.8% limits"},
    "funnel_inhabitants": {"nl": "inwoners", "en": "inhabitants"},
    "funnel_x": {
        "nl": "inwoners achter het cijfer (logaritmische schaal)",
        "en": "inhabitants behind the figure (logarithmic scale)",
    },
    "funnel_heading": {
        "nl": "Echt anders dan {gemeente}? (trechterdiagram)",
        "en": "Really different from {gemeente}? (funnel plot)",
    },
    "funnel_intro": {
        "nl": "Elke stip is een buurt of wijk: het cijfer tegen het aantal inwoners waarop het "
        "berust. Hoe kleiner het gebied, hoe meer een cijfer door toeval schommelt; daarom "
        "wordt de trechter naar links wijder. Een gebied buiten de 95%-grenzen is gunstiger "
        "of ongunstiger dan {gemeente}; buiten de 99,8%-grenzen is toeval vrijwel uitgesloten. "
        "Daarbinnen is het vergelijkbaar. Gekozen gebieden staan er met naam bij.",
        "en": "Each dot is a neighbourhood or district: its figure against the number of "
        "inhabitants it rests on. The smaller the area, the more a figure varies by chance, so "
        "the funnel widens to the left. An area outside the 95% limits is better or worse than "
        "{gemeente}; outside the 99.8% limits chance is all but ruled out. Within them it is "
        "similar. Selected areas are named.",
    },
    "funnel_caption": {
        "nl": "{indicator}, {period}: gebieden buiten de grenzen eerst",
        "en": "{indicator}, {period}: areas outside the limits first",
    },
    "col_inhabitants": {"nl": "Inwoners", "en": "Inhabitants"},
    "col_limits": {"nl": "95%-grenzen", "en": "95% limits"},
    "compare_period_note": {
        "nl": "Alle waarden in een rij komen uit dezelfde periode: {period}.",
        "en": "All values in a row are from the same period: {period}.",
    },
    "compare_offered_note": {
        "nl": "Alleen indicatoren met cijfers voor minstens twee van de gekozen gebieden.",
        "en": "Only indicators with figures for at least two of the selected areas.",
    },
    "table_scroll_hint": {
        "nl": "Schuif de tabel opzij voor meer kolommen →",
        "en": "Scroll the table sideways for more columns →",
    },
    "col_theme": {"nl": "Thema", "en": "Theme"},
    "slide_themes_title": {
        "nl": "De acht thema's: status van de KPI's",
        "en": "The eight themes: status of the KPIs",
    },
    "slide_themes_note": {
        "nl": "aantal KPI's per status, berekend uit de gegevens",
        "en": "number of KPIs per status, computed from the data",
    },
    "slide_per_buurt": {"nl": "per buurt", "en": "per neighbourhood"},
    # issue 18 (council): ties at the cut of the top, themes without KPIs, the tab title
    "slide_ties": {"nl": "en {n} andere met {value}", "en": "and {n} others at {value}"},
    "slide_no_kpis": {"nl": "geen KPI's in het beleid", "en": "no KPIs in the policy"},
    "slide_tab": {"nl": "Dia", "en": "Slide"},
    "g32_unknown_kern": {
        "nl": "Kernvariabele '{value}' bestaat niet; de pagina toont '{default}'.",
        "en": "Core variable '{value}' does not exist; the page shows '{default}'.",
    },
    "g32_unknown_thema": {
        "nl": "Hoofdthema '{value}' hoort niet bij '{kern}'; de pagina toont de hele "
        "kernvariabele.",
        "en": "Main theme '{value}' is not part of '{kern}'; the page shows the whole core "
        "variable.",
    },
    "compare_gemeente_once": {
        "nl": "{gemeente} staat altijd in de laatste kolom; het is niet nog eens als gebied "
        "getoond.",
        "en": "{gemeente} is always in the last column; it is not shown a second time as an area.",
    },
    "slide_open_view": {"nl": "open in het dashboard", "en": "open in the dashboard"},
    "slide_none_title": {"nl": "Geen dia voor deze weergave", "en": "No slide for this view"},
    "slide_none": {
        "nl": "'{value}' is geen weergave met een eigen dia (kaart, benchmark, vergelijking of "
        "wijkprofiel).",
        "en": "'{value}' is not a view with a slide of its own (map, benchmark, comparison or "
        "district profile).",
    },
    "slide_no_view": {
        "nl": "Er is geen weergave opgegeven (de parameter 'weergave' is leeg), dus deze pagina "
        "toont geen dia. Kies een weergave in de presentatie.",
        "en": "No view was given (the 'weergave' parameter is empty), so this page shows no "
        "slide. Choose a view in the presentation.",
    },
    "slide_unknown_wijk": {
        "nl": "Wijk '{value}' bestaat niet, dus deze pagina toont geen dia. Kies een wijk in de "
        "presentatie.",
        "en": "District '{value}' does not exist, so this page shows no slide. Choose a district "
        "in the presentation.",
    },
    "presentation_unknown_views": {
        "nl": "Onbekende weergaven (geen pagina van dit dashboard, hun dia blijft leeg): {items}",
        "en": "Unknown views (not a page of this dashboard, their slide stays empty): {items}",
    },
    "presentation_rejected": {
        "nl": "Niet opgenomen (geen pagina van dit dashboard): {items}",
        "en": "Left out (not a page of this dashboard): {items}",
    },
    "dd_select_all": {"nl": "Alles kiezen", "en": "Select all"},
    "dd_deselect_all": {"nl": "Niets kiezen", "en": "Deselect all"},
    "dd_selected_count": {"nl": "{num_selected} gekozen", "en": "{num_selected} selected"},
    "dd_search": {"nl": "Zoeken", "en": "Search"},
    "dd_clear_search": {"nl": "Zoekterm wissen", "en": "Clear search"},
    "dd_clear_selection": {"nl": "Keuze wissen", "en": "Clear selection"},
    "dd_no_options_found": {"nl": "Niets gevonden", "en": "No options found"},
    "compare_none": {"nl": "— geen —", "en": "— none —"},
    "compare_area_n": {"nl": "Gebied {n}", "en": "Area {n}"},
    "search_label": {
        "nl": "Zoek uw buurt of wijk (naam of postcode)",
        "en": "Find your neighbourhood or district (name or postcode)",
    },
    "search_placeholder": {
        "nl": "bijvoorbeeld Tuindorp, Berflo of 7556",
        "en": "for example Tuindorp, Berflo or 7556",
    },
    "search_too_short": {
        "nl": "Typ minstens {n} letters om een buurt of wijk te zoeken.",
        "en": "Type at least {n} letters to search for a neighbourhood or district.",
    },
    "search_none": {
        "nl": "Geen buurt of wijk gevonden met '{query}'.",
        "en": "No neighbourhood or district found for '{query}'.",
    },
    "search_results": {"nl": "{n} gevonden", "en": "{n} found"},
    "search_more": {
        "nl": "En nog {n}: typ meer van de naam om te kiezen.",
        "en": "And {n} more: type more of the name to choose.",
    },
    "search_wijk": {"nl": "wijk", "en": "district"},
    "search_buurt_in": {"nl": "buurt in {wijk}", "en": "neighbourhood in {wijk}"},
    "nav_data": {"nl": "Over de data", "en": "About the data"},
    "nav_a11y": {"nl": "Toegankelijkheid", "en": "Accessibility"},
    "data_title": {"nl": "Over de data", "en": "About the data"},
    "data_intro": {
        "nl": "Elk getal in dit dashboard komt uit een openbare bron of uit het "
        "veiligheidsbeleid van de gemeente, met bron en jaar. Niets is geschat of "
        "aangevuld: waar de bron niets geeft, staat 'geen gegevens'.",
        "en": "Every number in this dashboard comes from a public source or from the "
        "municipality's safety policy, with source and year. Nothing is estimated "
        "or filled in: where the source gives nothing, it says 'no data'.",
    },
    "data_downloads": {"nl": "Downloads", "en": "Downloads"},
    "data_download_csv": {"nl": "Alle openbare cijfers (CSV)", "en": "All public figures (CSV)"},
    "data_download_csv_note": {
        "nl": "komma-gescheiden, punt als decimaalteken, UTF-8; met bron, "
        "periode en status per waarde",
        "en": "comma-separated, point as decimal sign, UTF-8; with source, "
        "period and status per value",
    },
    "data_download_excel": {
        "nl": "Alle openbare cijfers voor Excel (CSV met puntkomma's)",
        "en": "All public figures for Dutch Excel (CSV with semicolons)",
    },
    "data_download_excel_note": {
        "nl": "dezelfde cijfers met Nederlandse kolomnamen, puntkomma als scheidingsteken en "
        "decimale komma; opent met een dubbelklik goed in Excel",
        "en": "the same figures with Dutch column names, semicolon separator and decimal "
        "comma, as Dutch Excel expects",
    },
    "data_download_gpkg": {
        "nl": "Grenzen van wijken en buurten (GeoPackage)",
        "en": "District and neighbourhood boundaries (GeoPackage)",
    },
    "data_download_gpkg_note": {
        "nl": "CBS/Kadaster 2021, RD New (EPSG:28992), te openen in QGIS",
        "en": "CBS/Kadaster 2021, RD New (EPSG:28992), opens in QGIS",
    },
    "data_publisher": {"nl": "Uitgever", "en": "Publisher"},
    "data_title_col": {"nl": "Titel", "en": "Title"},
    "data_licence": {"nl": "Licentie", "en": "Licence"},
    "data_attribution": {"nl": "Naamsvermelding", "en": "Attribution"},
    "data_indicators": {
        "nl": "Indicatoren en wat ze betekenen",
        "en": "Indicators and what they mean",
    },
    "data_updated": {
        "nl": "De cijfers zijn op {date} in het dashboard geladen uit de "
        "bronbestanden; de kolom 'Perioden' zegt over welke jaren ze gaan.",
        "en": "The figures were loaded into the dashboard from the source files on "
        "{date}; the column 'Periods' says which years they cover.",
    },
    "data_definition": {"nl": "Wat het betekent", "en": "What it means"},
    "data_unit": {"nl": "Eenheid", "en": "Unit"},
    "data_levels": {"nl": "Niveaus", "en": "Levels"},
    "data_periods": {"nl": "Perioden", "en": "Periods"},
    "data_privacy": {
        "nl": "Privacy: wat we niet publiceren",
        "en": "Privacy: what we do not publish",
    },
    "data_privacy_1": {
        "nl": "Openbare pagina's tonen alleen indicatoren die als openbaar zijn "
        "aangemerkt. Cijfers over migratieachtergrond staan er niet op: ze "
        "stigmatiseren buurten (de Leefbaarometer 3.0 liet ze daarom vallen).",
        "en": "Public pages show only indicators marked as public. Figures on "
        "migration background are not shown: they stigmatise neighbourhoods "
        "(the Leefbaarometer 3.0 dropped them for that reason).",
    },
    "data_privacy_2": {
        "nl": "Aantallen per buurt en wijk die wij zelf optellen (afgeleid) of uit een "
        "andere bron laden, ronden we af op 5, zoals het CBS doet. Aantallen die het CBS "
        "zelf publiceert, tonen we zoals gepubliceerd: het CBS heeft ze al beveiligd (het "
        "rondt bijvoorbeeld inwoners af op 5 en laat kleine buurten weg).",
        "en": "Counts per neighbourhood and district that we sum ourselves (derived) or load "
        "from another source are rounded to 5, as CBS does. Counts that CBS publishes itself "
        "are shown as published: CBS has protected them already (it rounds inhabitants to 5 "
        "and leaves out small neighbourhoods, for example).",
    },
    "data_privacy_3": {
        "nl": "Enquêtecijfers (Veiligheidsmonitor) worden niet getoond als er "
        "minder dan 100 respondenten waren; dan staat er 'niet getoond: te "
        "weinig respondenten'.",
        "en": "Survey figures (Safety Monitor) are not shown when fewer than 100 "
        "people responded; the page then says 'not shown: too few "
        "respondents'.",
    },
    "data_privacy_4": {
        "nl": "Cijfers die het CBS geheim houdt, blijven leeg.",
        "en": "Figures CBS keeps confidential stay empty.",
    },
    # datastaff: complementary suppression, rounding, the English table of all figures
    "data_privacy_5": {
        "nl": "Een cijfer waaruit een niet-getoond cijfer terug te rekenen is (een wijktotaal "
        "min de andere buurten, of Hengelo min de andere wijken), tonen we ook niet: dan "
        "valt het kleinste andere cijfer weg, of het totaal (aanvullende onderdrukking). Het "
        "geldt voor kaart, tabellen, downloads, JSON en OGC API.",
        "en": "A figure from which a figure that is not shown could be worked back (a "
        "district total minus its other neighbourhoods, or Hengelo minus the other "
        "districts) is not shown either: the smallest other figure is left out too, or the "
        "total (complementary suppression). This holds for the map, tables, downloads, "
        "JSON and the OGC API.",
    },
    "data_privacy_6": {
        "nl": "Afronden: de pagina's tonen elk cijfer met het aantal decimalen van de "
        "indicator (aantallen als hele getallen, 12,345 per 1.000 als 12,3); de downloads "
        "bevatten de waarde zoals geladen, na de afronding op 5 hierboven (aantallen zonder "
        "decimalen), en een berekend cijfer (een wijk uit haar buurten) onafgerond.",
        "en": "Rounding: the pages show every figure with the indicator's number of "
        "decimals (counts as whole numbers, 12.345 per 1,000 as 12.3); the downloads hold "
        "the value as loaded, after the rounding to 5 above (counts without decimals), and a "
        "derived figure (a district from its neighbourhoods) unrounded.",
    },
    "data_download_csv_en": {
        "nl": "Alle openbare cijfers (CSV, Engels)",
        "en": "All public figures (CSV)",
    },
    "data_download_csv_en_note": {
        "nl": "Engelse kolomnamen en woorden, komma-gescheiden, punt als decimaalteken",
        "en": "English headers and words, comma-separated, point as decimal sign, UTF-8; "
        "with source, period and status per value (Dutch: /data/cijfers.csv)",
    },
    "data_derived": {"nl": "Afgeleide wijkcijfers", "en": "Derived district figures"},
    "data_derived_text": {
        "nl": "Waar de bron alleen buurtcijfers geeft, berekent het dashboard de "
        "wijk: aantallen opgeteld (alleen als alle buurten een waarde "
        "hebben), percentages en cijfers per 1.000 inwoners gewogen naar "
        "hun basis, nooit een gewoon gemiddelde. Een afgeleid cijfer "
        "wordt alleen getoond als de buurten met gegevens samen minstens "
        "90% van de inwoners hebben, en vermeldt uit hoeveel buurten het "
        "is berekend.",
        "en": "Where the source only gives neighbourhood figures, the dashboard "
        "computes the district: counts summed (only when every "
        "neighbourhood has a value), percentages and rates weighted by "
        "their base, never a plain mean. A derived figure is only shown "
        "when the neighbourhoods with data hold at least 90% of the "
        "inhabitants, and says how many neighbourhoods it is based on.",
    },
    "a11y_title": {"nl": "Toegankelijkheidsverklaring", "en": "Accessibility statement"},
    "a11y_intro": {
        "nl": "Wijkveiligheid {gemeente} wil voor iedereen bruikbaar zijn, ook met een "
        "toetsenbord, een schermlezer, een vergrootglas of op een telefoon. Het "
        "dashboard wordt gebouwd volgens WCAG 2.1 niveau AA (EN 301 549), zoals "
        "de wet voor overheidswebsites vraagt.",
        "en": "Neighbourhood Safety {gemeente} aims to be usable by everyone, also with a "
        "keyboard, a screen reader, a magnifier or on a phone. It is built to "
        "WCAG 2.1 level AA (EN 301 549), as the law requires for government "
        "websites.",
    },
    "a11y_status_title": {"nl": "Status", "en": "Status"},
    "a11y_status": {
        "nl": "Gedeeltelijk voldaan: de pagina's rond de kaarten voldoen aan de "
        "automatische controles; de kaarten zelf zijn beeld, met een tabel als "
        "volwaardig alternatief. Er is nog geen onderzoek door een "
        "onafhankelijke partij gedaan.",
        "en": "Partially compliant: the pages around the maps pass the automated "
        "checks; the maps themselves are images, with a table as a full "
        "alternative. No independent audit has been done yet.",
    },
    "a11y_how_title": {"nl": "Hoe we dit controleren", "en": "How we check this"},
    "a11y_how_1": {
        "nl": "Bij elke wijziging test axe-core in een echte browser elke openbare "
        "pagina, in het Nederlands en in het Engels.",
        "en": "On every change axe-core tests every public page in a real browser, in "
        "Dutch and in English.",
    },
    "a11y_how_2": {
        "nl": "Alles is met het toetsenbord te bedienen; een link 'Naar de inhoud' "
        "slaat het menu over.",
        "en": "Everything works with the keyboard; a 'Skip to content' link skips the menu.",
    },
    "a11y_how_3": {
        "nl": "Elke kaart en grafiek heeft een tabel met dezelfde cijfers; kleur is "
        "nooit de enige drager van betekenis.",
        "en": "Every map and chart has a table with the same figures; colour is never "
        "the only carrier of meaning.",
    },
    "a11y_how_4": {
        "nl": "De kleuren zijn geschikt voor kleurenblindheid; tekst heeft voldoende contrast.",
        "en": "The colours suit colour-blind readers; text has sufficient contrast.",
    },
    "a11y_how_5": {
        "nl": "De pagina's werken op een telefoon van 375 pixels breed zonder "
        "horizontaal te scrollen.",
        "en": "The pages work on a 375 pixel wide phone without horizontal scrolling.",
    },
    "a11y_limits_title": {"nl": "Bekende beperkingen", "en": "Known limitations"},
    "a11y_limit_1": {
        "nl": "De kaart werkt met het toetsenbord: Tab brengt u op de kaart en bij de "
        "zoomknoppen (met een zichtbare focusrand), de pijltjestoetsen schuiven en + en - "
        "zoomen. Wat nog niet kan: op de kaart zelf een gebied aanwijzen of kiezen met het "
        "toetsenbord (Enter kiest geen gebied). Gebruik daarvoor de zoekfunctie of de tabel "
        "onder de kaart; die zijn helemaal met het toetsenbord te bedienen en hebben "
        "dezelfde cijfers.",
        "en": "The map works with the keyboard: Tab takes you to the map and its zoom "
        "buttons (with a visible focus ring), the arrow keys pan and + and - zoom. What "
        "does not work yet: pointing at or choosing an area on the map itself with the "
        "keyboard (Enter does not choose an area). Use the search box or the table below "
        "the map instead; both work fully with the keyboard and hold the same figures.",
    },
    "a11y_limit_2": {
        "nl": "Beleidsteksten uit het veiligheidsplan zijn alleen in het Nederlands beschikbaar.",
        "en": "Policy texts from the safety plan are only available in Dutch.",
    },
    "a11y_limit_3": {
        "nl": "De PDF van het wijkprofiel is getagd volgens PDF/UA-1 (koppen, tabellen, "
        "een tekstalternatief bij de kaart), maar niet met een onafhankelijk hulpmiddel "
        "gecontroleerd; de webpagina is de volledig toegankelijke versie.",
        "en": "The PDF of the district profile is tagged as PDF/UA-1 (headings, tables, a "
        "text alternative for the map), but not checked with an independent tool; the web "
        "page is the fully accessible version.",
    },
    "a11y_contact_title": {
        "nl": "Iets gevonden dat niet werkt?",
        "en": "Found something that does not work?",
    },
    "a11y_contact": {
        "nl": "Meld het bij de gemeente {gemeente} via de gebruikelijke "
        "contactmogelijkheden van de gemeente, met de pagina en wat er misging.",
        "en": "Please report it to the municipality of {gemeente} through its usual "
        "contact channels, with the page and what went wrong.",
    },
    "status_derived": {"nl": "afgeleid", "en": "derived"},
    "status_insufficient_coverage": {
        "nl": "te weinig buurten met gegevens",
        "en": "too few neighbourhoods with data",
    },
    "status_secret": {"nl": "geheim (CBS)", "en": "confidential (CBS)"},
    "status_suppressed": {
        "nl": "niet getoond: te weinig respondenten",
        "en": "not shown: too few respondents",
    },
    "status_missing": {"nl": "niet in de bron", "en": "not in the source"},
    "status_published": {"nl": "gepubliceerd", "en": "published"},
    "derived_note": {
        "nl": "Afgeleid uit {n} van {total} buurten",
        "en": "Derived from {n} of {total} neighbourhoods",
    },
    "rounding_note": {
        "nl": "Afgeleide aantallen per buurt en wijk zijn afgerond op 5 (CBS-regel); "
        "door het CBS gepubliceerde aantallen staan er zoals gepubliceerd.",
        "en": "Derived counts per neighbourhood and district are rounded to 5 (CBS rule); "
        "counts published by CBS are shown as published.",
    },
    "notice_unknown_indicator": {
        "nl": "Indicator '{value}' bestaat niet of heeft geen gegevens "
        "op dit niveau; de kaart toont '{default}'.",
        "en": "Indicator '{value}' does not exist or has no data at "
        "this level; the map shows '{default}'.",
    },
    "notice_unknown_level": {
        "nl": "Niveau '{value}' bestaat niet; de kaart toont wijken.",
        "en": "Level '{value}' does not exist; the map shows districts.",
    },
    "notice_unknown_area": {
        "nl": "Gebied '{value}' bestaat niet op dit niveau; er is niets geselecteerd.",
        "en": "Area '{value}' does not exist at this level; nothing is selected.",
    },
    "notice_unknown_buurt": {
        "nl": "Buurt '{value}' bestaat niet in {wijk}; de pagina toont de hele wijk.",
        "en": "Neighbourhood (buurt) '{value}' does not exist in {wijk}; the page shows the "
        "whole district.",
    },
    "notice_other_wijk_buurt": {
        "nl": "Buurt '{value}' ligt in de wijk {other}, niet in {wijk}; de pagina toont de hele "
        "wijk {wijk}. ",
        "en": "Neighbourhood (buurt) '{value}' lies in the district {other}, not in {wijk}; the "
        "page shows the whole district {wijk}. ",
    },
    "notice_other_wijk_link": {
        "nl": "Naar {name} in de wijk {other}",
        "en": "To {name} in the district {other}",
    },
    "notice_repeated_param": {
        "nl": "Het adres noemt '{name}' {count} keer; de pagina gebruikt de eerste waarde.",
        "en": "The address gives '{name}' {count} times; the page uses the first value.",
    },
    "notice_unknown_language": {
        "nl": "Taal '{value}' wordt niet ondersteund; de pagina is in het Nederlands.",
        "en": "Language '{value}' is not supported; the page is in Dutch.",
    },
    "themes_title": {
        "nl": "De acht thema's van het veiligheidsbeleid",
        "en": "The eight themes of the safety policy",
    },
    "themes_intro": {
        "nl": "Het Integraal Veiligheidsbeleid 2017-2020 noemt acht thema's die extra "
        "aandacht krijgen. Het college noemde drie ervan het meest urgent.",
        "en": "The Integral Safety Policy 2017-2020 names eight themes for extra "
        "attention. The executive called three of them most urgent.",
    },
    "theme_urgent": {"nl": "Hoge urgentie volgens het college", "en": "High urgency (executive)"},
    "theme_phase": {
        "nl": "Aandacht in periode {phase} ({years})",
        "en": "Attention in period {phase} ({years})",
    },
    "theme_lead": {"nl": "Trekker", "en": "Lead"},
    "theme_kpis": {"nl": "Hoe gaan we dat meten?", "en": "How will it be measured?"},
    "theme_goals": {"nl": "Wat willen we bereiken?", "en": "What do we want to achieve?"},
    "theme_baseline": {"nl": "Nulmeting", "en": "Baseline"},
    "theme_target": {"nl": "Doel", "en": "Target"},
    "theme_dutch_only": {
        "nl": "Beleidsteksten zijn samengevat uit het beleidsplan, niet letterlijk "
        "overgenomen (alleen de doelen van thema 2.8 staan er letterlijk).",
        "en": "Policy texts are summarised in Dutch from the policy document, not quoted "
        "literally (only the goals of theme 2.8 are quoted as written).",
    },
    "not_found_title": {"nl": "Pagina niet gevonden", "en": "Page not found"},
    "not_found_text": {
        "nl": "Deze pagina bestaat niet. Ga terug naar de kaart.",
        "en": "This page does not exist. Go back to the map.",
    },
    "footer_sources": {
        "nl": "Cijfers: CBS, CBS/Kadaster (PDOK), Politie/CBS (CC BY 4.0) en de "
        "gemeente {gemeente} (Veiligheidsmonitor, IVP 2017-2020, Benchmark "
        "Veiligheid G32 2015).",
        "en": "Figures: CBS, CBS/Kadaster (PDOK), Police/CBS (CC BY 4.0) and the "
        "municipality of {gemeente} (Safety Monitor, IVP 2017-2020, G32 Safety "
        "Benchmark 2015).",
    },
    "store_error_title": {
        "nl": "De gegevens kunnen niet worden geladen",
        "en": "The data cannot be loaded",
    },
    "title_wijk": {"nl": "wijkprofiel", "en": "district profile"},
    "title_theme": {"nl": "thema", "en": "theme"},
    "title_not_found": {"nl": "Niet gevonden", "en": "Not found"},
    "chosen_buurt_heading": {"nl": "Buurt {name}", "en": "Neighbourhood {name}"},
    "chosen_buurt_text": {
        "nl": "{name} is een buurt in de wijk {wijk}. Hieronder eerst de cijfers van {name}, "
        "daarna het profiel van de hele wijk.",
        "en": "{name} is a neighbourhood (buurt) in the district {wijk}. Its own figures come "
        "first, then the profile of the whole district.",
    },
    "chosen_buurt_map": {"nl": "{name} op de kaart", "en": "{name} on the map"},
    "pdf_map_caption": {
        "nl": "Kaart: de buurten van {name} (grenzen CBS/Kadaster 2021); grijs: andere wijken.",
        "en": "Map: the neighbourhoods of {name} (boundaries CBS/Kadaster 2021); grey: other "
        "districts.",
    },
    "pdf_map_numbers": {
        "nl": "Kleine buurten met een nummer:",
        "en": "Small neighbourhoods by number:",
    },
    "postcode_approximate": {
        "nl": "Postcode {postcode}: bij benadering. Dit zijn de buurten waar {postcode} de "
        "meest voorkomende postcode is (CBS 2021); een adres kan ook in een andere buurt liggen.",
        "en": "Postcode {postcode}: approximate. These are the neighbourhoods where {postcode} "
        "is the most frequent postcode (CBS 2021); an address may lie in another one.",
    },
    "postcode_fallback": {
        "nl": "Postcode {postcode}: de precieze tabel per postcode is niet geladen, dus hieronder "
        "bij benadering de buurten van {pc4} (meest voorkomende postcode, CBS 2021).",
        "en": "Postcode {postcode}: the exact table per postcode is not loaded, so these are, "
        "approximately, the neighbourhoods of {pc4} (most frequent postcode, CBS 2021).",
    },
    "postcode_unknown_pc6": {
        "nl": "Postcode {postcode} staat niet in de CBS-tabel van adressen in {gemeente}; "
        "hieronder bij benadering de buurten van {pc4}.",
        "en": "Postcode {postcode} is not in the CBS table of addresses in {gemeente}; these are, "
        "approximately, the neighbourhoods of {pc4}.",
    },
    "postcode_exact": {
        "nl": "Postcode {postcode} ligt volgens CBS (adressen per postcode) in:",
        "en": "According to CBS (addresses per postcode), postcode {postcode} lies in:",
    },
    "postcode_none": {
        "nl": "Geen buurt in {gemeente} gevonden voor {postcode}.",
        "en": "No neighbourhood in {gemeente} found for {postcode}.",
    },
    "postcode_addresses": {"nl": "{n} adressen", "en": "{n} addresses"},
    "table_scroll_region": {
        "nl": "Tabel met de cijfers per gebied (scrollt)",
        "en": "Table of the figures per area (scrolls)",
    },
    "refresh_none": {
        "nl": "Automatisch vernieuwen van de open data (Politie/CBS, CBS Kerncijfers): nog "
        "niet gedaan.",
        "en": "Automatic refresh of the open data (Police/CBS, CBS key figures): not done yet.",
    },
    "refresh_ok": {
        "nl": "Open data (Politie/CBS, CBS Kerncijfers) laatst vernieuwd op {when}: gelukt.",
        "en": "Open data (Police/CBS, CBS key figures) last refreshed on {when}: succeeded.",
    },
    "refresh_failed": {
        "nl": "Open data (Politie/CBS, CBS Kerncijfers) laatst vernieuwd op {when}: mislukt; "
        "de cijfers van daarvoor staan er nog.",
        "en": "Open data (Police/CBS, CBS key figures) last refreshed on {when}: failed; "
        "the figures from before are still shown.",
    },
    "theme_context": {
        "nl": "Bevolking en wonen (achtergrond)",
        "en": "Population and housing (context)",
    },
}


def _for_gemeente(strings: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The texts with the configured gemeente's name where they say ``{gemeente}`` (filled in
    once here, so that ``t()`` needs no extra value and a stray brace never reaches a page)."""
    return {
        key: {lang: text.replace("{gemeente}", GEMEENTE.name) for lang, text in texts.items()}
        for key, texts in strings.items()
    }


STRINGS = _for_gemeente(STRINGS | CHANGE_STRINGS | FEED_STRINGS | TOGGLE_STRINGS)


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The string ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    text = STRINGS[key][lang if lang in LANGUAGES else DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def pick(lang: str, nl, en):
    """The one language choice: ``en`` on English pages, ``nl`` otherwise.

    >>> pick("en", "wijk", "district"), pick("nl", "wijk", "district"), pick("xx", 1, 2)
    ('district', 'wijk', 1)
    """
    return en if lang == "en" else nl


def label(row, lang: str) -> str:
    """The label of a catalogue row (or a dict) in ``lang``."""
    return row["label_en"] if lang == "en" else row["label_nl"]


def dropdown_labels(lang: str) -> dict[str, str]:
    """The texts Dash's Dropdown shows itself (counts, search, clear), in ``lang``."""
    keys = (
        "select_all",
        "deselect_all",
        "search",
        "clear_search",
        "clear_selection",
        "no_options_found",
    )
    labels = {key: t(f"dd_{key}", lang) for key in keys}
    labels["selected_count"] = STRINGS["dd_selected_count"][lang if lang in LANGUAGES else "nl"]
    return labels
