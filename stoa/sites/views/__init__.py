"""Site pages, split by resource: ``sites`` (the spaces), ``parts`` (zones, access points, crowd
slots, events), ``attachments``, ``shares`` and ``transfer`` (import and export)."""
