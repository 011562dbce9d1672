"""The error a job raises when retrying cannot help."""


class JobError(Exception):
    """A job that cannot succeed however often it is retried; the message is
    shown to the user as it is (Chinese)."""
