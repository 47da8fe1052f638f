"""The exceptions Polybius raises, as one tree so callers know what to catch.

    PolybiusError
    ├── InputError        bad input: empty, binary, undecodable, too large, malformed
    │   └── FetchError    a URL or feed could not be fetched (HTTP error, refused, too big, …)
    ├── ResourceError     a lexicon/dictionary in resources/ fails validation
    ├── ContractError     a document breaks the polybius/1 contract
    ├── StoreError        the database cannot be opened or written
    ├── EvaluationError   gold data missing or unreadable
    └── ConfigError       a setting (file, environment or argument) is invalid
"""


class PolybiusError(Exception):
    """Base class of every error Polybius raises on purpose; its message is meant for the user.

    Example::

        try:
            Store("sqlite:///no/such/dir/events.db")
        except PolybiusError as err:
            print(err)  # cannot open store ...: directory no/such/dir does not exist
    """


class InputError(PolybiusError):
    """An input cannot be read as an article; the message names the input.

    Example::

        except InputError as err:
            print(err.source, err.problem)
    """

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class FetchError(InputError):
    """A URL could not be fetched or was refused; ``source`` is the URL."""


class ResourceError(PolybiusError):
    """A resource file is invalid; the message names the file and the entry."""


class ContractError(PolybiusError):
    """A document does not satisfy the polybius/1 contract."""


class StoreError(PolybiusError):
    """The store could not be opened, migrated or written.

    Example::

        Store("sqlite:///reports/")  # StoreError: ... is a directory, not a database file
    """


class EvaluationError(PolybiusError):
    """Gold data for an evaluation is missing or malformed."""


class ConfigError(PolybiusError):
    """A setting has a bad value or the configuration file cannot be read; the message names it.

    Example::

        Config.load(env={"POLYBIUS_PORT": "http"})
        # ConfigError: setting port (env POLYBIUS_PORT): 'http' is not a whole number
    """
