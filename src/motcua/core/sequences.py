"""Gap-free number series (dossier codes per agency and day, receipts per agency and year).

A series is a row of a counter model with the key columns and `last`. `next_number` takes the
row's lock and the next number in one statement, creating the row if need be (SQLite and
PostgreSQL alike); the lock lasts until commit, as SELECT FOR UPDATE's would. Take it last in
the transaction: the row is where the series' users queue, so it is held for the shortest
time. A rolled-back transaction rolls its number back with it, so the series has no gaps.
"""

from django.db import connection


def _taking(model, key: dict) -> tuple[str, list]:
    """The statement that takes the next number of the series, and its parameters."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    listed = ", ".join(quote(model._meta.get_field(name).column) for name in key)
    return (
        f"INSERT INTO {table} ({listed}, last) VALUES ({', '.join(['%s'] * len(key))}, 1) "
        f"ON CONFLICT ({listed}) DO UPDATE SET last = {table}.last + 1 RETURNING last"
    ), list(key.values())


def next_number(model, **key) -> int:
    """The next number of the series of `model` named by `key` (field names to values)."""
    with connection.cursor() as cursor:
        cursor.execute(*_taking(model, key))
        (number,) = cursor.fetchone()
    return number


def write_next_number(
    model, key: dict, *, into, pk, field: str, prefix: str, width: int, also: dict | None = None
) -> str:
    """`prefix` and the next number of the series (at least `width` digits), written to
    `field` of the row `pk` of the model `into`, and returned; `also` (field → value) is
    written in the same statement. On PostgreSQL in the statement that takes the number: one
    round trip less while the series' row is locked."""
    also = also or {}
    if connection.vendor != "postgresql":
        value = f"{prefix}{next_number(model, **key):0{width}d}"
        into.objects.filter(pk=pk).update(**{field: value}, **also)
        return value
    quote = connection.ops.quote_name
    table, column = quote(into._meta.db_table), quote(into._meta.get_field(field).column)
    extra = "".join(f", {quote(into._meta.get_field(name).column)} = %s" for name in also)
    taking, params = _taking(model, key)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH n AS ({taking}) UPDATE {table} "
            f"SET {column} = %s || lpad(n.last::text, greatest(%s, length(n.last::text)), '0')"
            f"{extra} FROM n WHERE {table}.{quote(into._meta.pk.column)} = %s RETURNING {column}",
            [*params, prefix, width, *also.values(), pk],
        )
        (value,) = cursor.fetchone()
    return value
