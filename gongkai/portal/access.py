"""The public portal: anyone."""

from gongkai.core.access import PUBLIC, Access

URL_ACCESS: dict[str, Access] = {
    "portal:home": PUBLIC,
    "portal:guide": PUBLIC,
}
