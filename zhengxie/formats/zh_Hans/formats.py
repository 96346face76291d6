"""Dates in one format across the site: 2027年3月2日 (never 2027年03月02日 or 2027-03-02), as in
Django's zh_Hans formats, whose month-day format pads the month ("03月2日") and whose
年月日 input formats use %n and %j (a newline and the day of the year), so "2027年3月2日" typed
into a date field was refused. Templates use the named formats (`|date` or
`|date:"DATE_FORMAT"`) or the same letters ("Y年n月j日", "n月j日 H:i")."""

DATE_FORMAT = "Y年n月j日"  # 2027年3月2日
TIME_FORMAT = "H:i"  # 09:05
DATETIME_FORMAT = "Y年n月j日 H:i"  # 2027年3月2日 09:05
YEAR_MONTH_FORMAT = "Y年n月"  # 2027年3月
MONTH_DAY_FORMAT = "n月j日"  # 3月2日
SHORT_DATE_FORMAT = "Y年n月j日"
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i"
FIRST_DAY_OF_WEEK = 1  # 星期一

# What people type (the portal's date fields are text fields: static/js/portal.js).
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2027-03-02, 2027-3-2
    "%Y/%m/%d",  # 2027/3/2
    "%Y.%m.%d",  # 2027.3.2
    "%Y年%m月%d日",  # 2027年3月2日
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y.%m.%d %H:%M",
    "%Y年%m月%d日 %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ""
NUMBER_GROUPING = 4
