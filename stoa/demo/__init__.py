"""The fictional demo city, Valmont-sur-Lys: data file and loader (``stoa demo``)."""
