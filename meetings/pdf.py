"""Agenda PDF (kallelse med föredragningslista), issue 4 point 6. Filled in below."""


def render_agenda_pdf(meeting):
    raise NotImplementedError
