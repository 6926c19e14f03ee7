"""Multi-step work on public spaces that pages, the API and the command line share.

``imports``: read a GeoJSON or CSV file of sites, check all of it, write all or nothing.
``exports``: write sites as GeoJSON or CSV, in a form ``imports`` reads back.
``categories``: find a PSOI category by its id or its name in any language.
``locating``: where an organisation's city lies, to catch coordinates given in the wrong order.
"""
