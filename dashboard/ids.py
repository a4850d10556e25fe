"""Component ids, prefixed per page, so a rename is one edit."""

# shell
LOCATION = "shell-location"
LANG_STORE = "shell-lang"

# change between two periods (dashboard/changeblock.py, dashboard/changemap.py)
WIJK_CHANGE = "wijk-change"  # the "Wat is veranderd" block of a wijk page
COMPARE_CHANGE = "vergelijk-change"  # the change table of /vergelijk
MAP_CHANGE_MODE = "kaart-weergave"  # values or tested change
MAP_CHANGE_PAIR = "kaart-verandering-perioden"  # the two periods compared
MAP_CHANGE_PAIR_BOX = "kaart-verandering-perioden-vak"  # its label and select
MAP_CHANGE_STATE = "kaart-verandering"  # {"active": bool} as the page was made
MAP_CHANGE_TABLE = "kaart-verandering-tabel"  # the change of every area in words

# map page ("kaart")
MAP_CANVAS = "kaart-map"  # the MapLibre container (assets/kaart.js)
MAP_HEADING = "map-heading"  # the indicator's name above the map, rewritten on a switch
MAP_TABLE_HEADING = "table-heading"
MAP_VIEW = "kaart-view"  # the view payload of the shown indicator, level and period
MAP_LANG = "kaart-lang"
MAP_LABELS = "kaart-labels"
MAP_ZOOM_TO = "kaart-zoom-to"
MAP_DRAWN = "kaart-drawn"
MAP_PNG = "kaart-png"  # saves the map as PNG (assets/kaart.js)
MAP_LEVEL = "kaart-level"
MAP_INDICATOR = "kaart-indicator"
MAP_PERIOD = "kaart-periode"
MAP_PERIOD_BOX = "kaart-periode-vak"  # its label and select (hidden in the change mode)
MAP_MEASURE = "kaart-maat"  # counts or rates (?maat=)
MAP_MEASURE_BOX = "kaart-maat-keuze"
MAP_PERIODS = "kaart-perioden"
MAP_FOCUS = "kaart-focus"
MAP_SELECTED = "kaart-selected"
MAP_AREAS = "kaart-areas"
MAP_SORT = "kaart-sort"
MAP_LEGEND = "kaart-legend"
MAP_LEGEND_NOTE = "kaart-legend-note"
MAP_SOURCE = "kaart-source"
MAP_TABLE_BODY = "kaart-table-body"
MAP_TABLE_CAPTION = "kaart-table-caption"
MAP_TABLE_HEAD = "kaart-table-head"
MAP_TABLE_PAGER = "kaart-table-pager"  # row count and page buttons (assets/kaart.js)
MAP_PANEL = "kaart-panel"
MAP_NOTICE = "kaart-notice"
MAP_DOWNLOAD_BUTTON = "kaart-download-button"
MAP_DOWNLOAD = "kaart-download"
MAP_URL_SYNC = "kaart-url-sync"
MAP_CLEAR = "kaart-clear"
MAP_DESCRIPTION = "kaart-description"
MAP_SEARCH = "kaart-search"
MAP_SEARCH_RESULTS = "kaart-search-results"
MAP_SEARCH_RESULT = "kaart-search-result"

# wijk page: the buurt map (an SVG drawn by the server, inserted by assets/svgmap.js)
WIJK_MAP = "wijk-map"
WIJK_MAP_SVG = "wijk-map-svg"
WIJK_MAP_DRAWN = "wijk-map-drawn"
WIJK_MAP_CAPTION = "wijk-map-caption"  # names the map (aria-labelledby)
