"""Demo data for the strategy: RUS 2020–2030 and its strategic plan."""


def seed():
    return None
