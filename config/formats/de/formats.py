# German dates (23. November 2026, 7. Dez. 2026, 14:30) and numbers (1.234,5). Templates
# and code use the names ("SHORT_DATE_FORMAT" …), never a literal format: `N` is Django's
# German abbreviated month with its full stop ("Dez.", "März", "Mai").
DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = "j. F Y, H:i"
SHORT_DATE_FORMAT = "j. N Y"
SHORT_DATETIME_FORMAT = "j. N Y, H:i"
TIME_FORMAT = "H:i"
# <input type="date"> needs ISO dates: the first input format is the one rendered.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
