"""Ids in URLs and queries that the database can hold.

A 30-digit id is not an id of anything, but passed to the database it fails with an error
(SQLite cannot convert it; PostgreSQL says it is out of range) instead of finding nothing.
`<id:pk>` in a URL pattern matches only ids that fit a 64-bit primary key, so any other
answers 404 at the resolver; `parse_id` does the same for a value from a query or a form.
"""

MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """The id in `value` if it is a whole number a primary key can hold, else None."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(value)
