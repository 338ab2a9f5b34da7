"""The one exception type the command line turns into a one-line error."""


class SackgError(Exception):
    """A problem the user can fix: bad input, an unknown name, a broken data file."""
