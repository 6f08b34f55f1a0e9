"""Date and time display for the Swedish interface (settings.FORMAT_MODULE_PATH).

One time format everywhere, pages, mails, PDFs and calendar text alike: the Swedish "kl. 09.00"
(Språkrådet's recommendation, and what the mails and the agenda PDF always wrote) rather than
Django's "09:00". Input formats stay Django's own.
"""

DATE_FORMAT = "j F Y"  # 11 februari 2027
TIME_FORMAT = "H.i"  # 09.00
DATETIME_FORMAT = r"j F Y \k\l. H.i"  # 11 februari 2027 kl. 09.00
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H.i"
FIRST_DAY_OF_WEEK = 1  # Monday
