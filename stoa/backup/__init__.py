"""Backups: a versioned, checksummed archive of an installation or one organisation, and its restore.

``scope`` decides which rows belong to a backup, ``archive`` writes and verifies the file,
``create`` takes the snapshot, ``restore`` loads it back all-or-nothing. The operator commands
are ``stoa backup`` and ``stoa restore`` (``stoa.cli.backup``).
"""
