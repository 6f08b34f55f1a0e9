"""Date and time display for the English interface (settings.FORMAT_MODULE_PATH).

Django's `en` formats are American (Feb. 11, 2027, 9 a.m.; 02/11/2027). The English interface
serves Swedish councils and their European partners, so it keeps the Swedish conventions that
are not language: day before month, the 24-hour clock, ISO dates in tables. Month and day names
still come from Django's English translations; input formats stay Django's own.
"""

DATE_FORMAT = "j F Y"  # 11 February 2027
TIME_FORMAT = "H.i"  # 09.00: the one time format of the Swedish pages, mails and PDFs
DATETIME_FORMAT = "j F Y, H.i"  # 11 February 2027, 09.00
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H.i"
FIRST_DAY_OF_WEEK = 1  # Monday
