"""The one exception the domain raises when it refuses a command."""


class DomainError(Exception):
    """A refused command: a stable snake_case `code` and a human `message`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.message!r})"
