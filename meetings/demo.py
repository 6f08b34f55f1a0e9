"""Demo data for meetings and agendas (filled by the agenda work)."""


def seed(*, users, strategy):
    return None
