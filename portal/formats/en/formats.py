# Dates written out in full, as the portal's pages have always shown them: June 1, 2024.
DATE_FORMAT = "F j, Y"
DATETIME_FORMAT = "F j, Y, g:i a"
