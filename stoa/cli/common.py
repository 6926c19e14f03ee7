"""Shared pieces of the command line."""


class CommandError(Exception):
    """A failure to report to the operator as one clear line, exit code 1."""
