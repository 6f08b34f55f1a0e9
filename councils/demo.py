"""Demo data for organisations, people, councils and memberships (filled by the registers work)."""


def seed(*, users):
    return None
