# Dates as Spanish writes them: 1 de junio de 2024.
DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, g:i a"
# Spanish as read in the United States: amounts are written as in US English
# (USD 125,000.00), as US public agencies' Spanish-language pages write them.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
