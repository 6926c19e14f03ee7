"""Field use: the question bank as an XLSForm for ODK / KoboToolbox, and their submissions back in."""
