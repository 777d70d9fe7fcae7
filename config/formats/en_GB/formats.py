# Dates in British English as the site always showed them, with a 24-hour clock.
# Templates use these names ("SHORT_DATE_FORMAT" …), never a literal format, so each
# language shows its own. https://docs.djangoproject.com/en/5.2/topics/i18n/formatting/
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
# <input type="date"> needs ISO dates: the first input format is the one rendered.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%d %B %Y"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
