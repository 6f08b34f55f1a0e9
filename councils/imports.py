"""Members from spreadsheets: read a CSV or XLSX upload, check every row, export the same shape.

Secretariats keep member lists in spreadsheets. An upload is read into plain rows of strings
(`read_spreadsheet`), every row is checked against the registers (`check_rows`) and shown as a
preview; `councils.services.import_members` writes them in one transaction after confirmation.
The export (`export_rows`) uses the same columns, so an exported file can be edited and imported.
"""

import csv
import datetime
import io
import itertools
import zipfile
from dataclasses import dataclass, field

import filetype
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from .archives import check_archive
from .exports import csv_bytes, unescaped_cell, xlsx_bytes
from .models import SIDE_WITHOUT_ELECTED_SEATS, Membership, Organisation, Person

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000

ROLE_HELP = gettext_lazy(
    "ordförande, vice ordförande, ledamot, ersättare, adjungerad, yttranderätt, sekreterare "
    "eller beredningsgrupp."
)
# (key, Swedish header, required column, description for the import page)
COLUMNS = [
    ("given_name", "förnamn", True, gettext_lazy("Personens förnamn.")),
    ("family_name", "efternamn", True, gettext_lazy("Personens efternamn.")),
    ("email", "e-post", True, gettext_lazy("E-postadress; känner igen personer som redan finns.")),
    ("organisation", "organisation", True, gettext_lazy("Den organisation personen företräder.")),
    ("role", "roll", True, ROLE_HELP),
    ("side", "sida", False, gettext_lazy("majoritet, opposition eller tomt (ej tillämpligt).")),
    ("start_date", "från", False, gettext_lazy("Startdatum ÅÅÅÅ-MM-DD; tomt betyder i dag.")),
    (
        "end_date",
        "till",
        False,
        gettext_lazy("Slutdatum ÅÅÅÅ-MM-DD; tomt för ett pågående uppdrag."),
    ),
    ("function", "funktion", False, gettext_lazy("Funktion i rådet, t.ex. kommunchef (valfri).")),
    ("title", "titel", False, gettext_lazy("Titel eller befattning för en ny person (valfri).")),
    ("phone", "telefon", False, gettext_lazy("Telefonnummer för en ny person (valfri).")),
    (
        "substitute_for",
        "ersätter",
        False,
        gettext_lazy("För ersättare: e-post till ledamoten som ersätts."),
    ),
]
HEADERS = [header for _, header, _, _ in COLUMNS]
HEADER_ALIASES = {
    "e-postadress": "email",
    "epost": "email",
    "email": "email",
    "startdatum": "start_date",
    "slutdatum": "end_date",
    "befattning": "title",
}
for _key, _header, _, _ in COLUMNS:
    HEADER_ALIASES[_header] = _key

# The file speaks Swedish (its headers and role words), whatever language the interface is in.
with translation.override("sv"):
    ROLE_NAMES = {value: str(label).lower() for value, label in Membership.Role.choices}
    SIDE_NAMES = {value: str(label).lower() for value, label in Membership.Side.choices}
ROLE_WORDS = {name: value for value, name in ROLE_NAMES.items()}
ROLE_WORDS.update({value: value for value in Membership.Role.values})
ROLE_WORDS.update({"sekreterare": Membership.Role.SECRETARY, "kansli": Membership.Role.SECRETARY})
SIDE_WORDS = {name: value for value, name in SIDE_NAMES.items()}
SIDE_WORDS.update({value: value for value in Membership.Side.values})
SIDE_WORDS.update({"": Membership.Side.NOT_APPLICABLE, "-": Membership.Side.NOT_APPLICABLE})

NOT_A_SPREADSHEET = gettext_lazy(
    "Filen är inte ett kalkylblad som kan läsas. Spara den som CSV (UTF-8) eller XLSX och "
    "försök igen."
)


class ImportFileError(Exception):
    """The upload cannot be read as a member list; the message is shown to the user."""


@dataclass
class CheckedRow:
    number: int
    values: dict
    errors: list = field(default_factory=list)
    person: Person | None = None
    organisation: Organisation | None = None
    role: str = ""
    side: str = ""
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    substitute_for: Membership | None = None

    @property
    def valid(self):
        return not self.errors

    @property
    def role_label(self):
        return Membership.Role(self.role).label if self.role else self.values.get("role", "")

    @property
    def side_label(self):
        return Membership.Side(self.side).label if self.side else self.values.get("side", "")


# --- Reading -------------------------------------------------------------------------------


def read_spreadsheet(uploaded_file):
    """Rows of the upload as dicts of stripped strings keyed by column key.

    Raises ImportFileError with a Swedish message when the file is not a CSV or XLSX member list.
    """
    if uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ImportFileError(gettext("Filen är för stor (högst 2 MB)."))
    data = uploaded_file.read()
    if not data.strip():
        raise ImportFileError(gettext("Filen är tom."))
    name = (uploaded_file.name or "").lower()
    kind = filetype.guess(data)
    if data.startswith(b"PK\x03\x04"):
        table = _read_xlsx(data)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text": UTF-16 with a byte-order mark, tab separated.
        table = _read_csv(data, encodings=("utf-16",))
    elif kind is not None or b"\x00" in data[:4096] or name.endswith((".xls", ".xlsx", ".ods")):
        raise ImportFileError(NOT_A_SPREADSHEET)
    else:
        table = _read_csv(data)
    return _rows_from_table(table)


def _read_xlsx(data):
    """The first sheet's rows, read in openpyxl's streaming (read-only) mode after the archive
    was measured (councils.archives: a small file may unpack to gigabytes)."""
    from openpyxl import load_workbook

    try:
        check_archive(io.BytesIO(data))
    except ValidationError as refusal:
        raise ImportFileError(" ".join(refusal.messages)) from refusal
    except zipfile.BadZipFile as exc:
        raise ImportFileError(NOT_A_SPREADSHEET) from exc
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a zip that is not a workbook
        raise ImportFileError(NOT_A_SPREADSHEET) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(gettext("Arbetsboken har inget kalkylblad med rader."))
        # One row more than allowed, so that a file that is too long is refused, not cut.
        return [
            [_cell_text(value) for value in row]
            for row in workbook.worksheets[0].iter_rows(values_only=True, max_row=MAX_ROWS + 2)
        ]
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged sheet inside a valid zip
        raise ImportFileError(NOT_A_SPREADSHEET) from exc
    finally:
        workbook.close()


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_csv(data, encodings=("utf-8-sig", "cp1252")):
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(NOT_A_SPREADSHEET)
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = max(";,\t", key=first_line.count)
    try:
        return list(
            itertools.islice(csv.reader(io.StringIO(text), delimiter=delimiter), MAX_ROWS + 2)
        )
    except csv.Error as exc:
        raise ImportFileError(NOT_A_SPREADSHEET) from exc


def _rows_from_table(table):
    table = [row for row in table if any(str(cell).strip() for cell in row)]
    if not table:
        raise ImportFileError(gettext("Filen är tom."))
    header = [str(cell).strip().lower() for cell in table[0]]
    keys = [HEADER_ALIASES.get(cell) for cell in header]
    missing = [h for key, h, required, _ in COLUMNS if required and key not in keys]
    if missing:
        raise ImportFileError(
            gettext(
                "Filen saknar kolumnerna %(columns)s. Första raden ska innehålla kolumnrubrikerna."
            )
            % {"columns": ", ".join(f"”{h}”" for h in missing)}
        )
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(
            gettext("Filen har för många rader (högst %(limit)s).") % {"limit": MAX_ROWS}
        )
    rows = []
    for row in table[1:]:
        values = {key: "" for key, _, _, _ in COLUMNS}
        for key, cell in zip(keys, row, strict=False):
            if key:
                values[key] = unescaped_cell(str(cell).strip())
        rows.append(values)
    if not rows:
        raise ImportFileError(gettext("Filen innehåller inga rader med ledamöter."))
    return rows


# --- Checking ------------------------------------------------------------------------------


def check_rows(council, rows, today=None):
    """Check every row against the registers; a constant number of queries for any file.

    Row numbers follow the spreadsheet: the header is row 1, the first member row 2.
    """
    today = today or timezone.localdate()
    organisations = {}
    for organisation in Organisation.objects.all():
        organisations.setdefault(organisation.name.lower(), organisation)
        if organisation.short_name:
            organisations.setdefault(organisation.short_name.lower(), organisation)
    emails = {row.get("email", "").strip().lower() for row in rows} - {""}
    emails |= {row.get("substitute_for", "").strip().lower() for row in rows} - {""}
    people = {}
    if emails:
        people = {
            p.email.lower(): p
            for p in Person.objects.annotate(email_lower=Lower("email")).filter(
                email_lower__in=emails
            )
        }
    existing = list(Membership.objects.filter(council=council, person__in=list(people.values())))
    seen = {}
    seated_in_file = {}  # email -> side of a valid seated row in the file
    checked = []
    for number, values in enumerate(rows, start=2):
        row = CheckedRow(number=number, values=values)
        _check_row(row, council, organisations, people, existing, today)
        key = (values.get("email", "").strip().lower(), row.role)
        if row.role and key[0]:
            if key in seen:
                row.errors.append(
                    gettext("Dubblett: samma person och roll finns redan på rad %(row)s.")
                    % {"row": seen[key]}
                )
            else:
                seen[key] = number
        if row.valid and row.role in Membership.POSITION_ROLES:
            seated_in_file[key[0]] = row.side
        checked.append(row)
    for row in checked:
        _check_substitute(row, people, existing, seated_in_file, today)
    return checked


def _check_substitute(row, people, existing, seated_in_file, today):
    """`ersätter`: e-mail of the member a substitute stands in for, seated now or in the file."""
    email = row.values.get("substitute_for", "").strip().lower()
    if not email:
        return
    if row.role != Membership.Role.SUBSTITUTE:
        row.errors.append(gettext("Kolumnen ersätter fylls bara i för ersättare."))
        return
    person = people.get(email)
    for membership in existing:
        if (
            person is not None
            and membership.person_id == person.pk
            and membership.role in Membership.POSITION_ROLES
            and membership.is_current(today)
        ):
            row.substitute_for = membership
            _check_substitute_side(row, membership.side)
            return
    if email not in seated_in_file:
        row.errors.append(
            gettext("Hittar ingen ledamot i rådet med e-post ”%(email)s” att vara ersättare för.")
            % {"email": row.values["substitute_for"]}
        )
    else:
        _check_substitute_side(row, seated_in_file[email])


def _check_substitute_side(row, seat_side):
    """A substitute stands in for one side's seat (as Membership.clean says)."""
    if row.side and row.side != seat_side:  # an unknown side word has its own error
        row.errors.append(
            gettext("En ersättare står för samma sida som ledamoten den ersätter (%(side)s).")
            % {"side": Membership.Side(seat_side).label.lower()}
        )


# Longest text each column may hold (the register's field lengths).
MAX_LENGTHS = {
    "given_name": Person._meta.get_field("given_name").max_length,
    "family_name": Person._meta.get_field("family_name").max_length,
    "email": Person._meta.get_field("email").max_length,
    "title": Person._meta.get_field("title").max_length,
    "phone": Person._meta.get_field("phone").max_length,
    "function": Membership._meta.get_field("function").max_length,
}
HEADER_OF = {key: header for key, header, _, _ in COLUMNS}


def _check_row(row, council, organisations, people, existing, today):
    values = row.values
    errors = row.errors
    for key, max_length in MAX_LENGTHS.items():
        if len(values.get(key, "")) > max_length:
            errors.append(
                gettext("För lång text i kolumnen %(column)s (högst %(limit)s tecken).")
                % {"column": HEADER_OF[key], "limit": max_length}
            )
    if not values.get("given_name"):
        errors.append(gettext("Förnamn saknas."))
    if not values.get("family_name"):
        errors.append(gettext("Efternamn saknas."))
    email = values.get("email", "").strip()
    if not email:
        errors.append(gettext("E-post saknas."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(gettext("Ogiltig e-postadress: ”%(email)s”.") % {"email": email})
        else:
            row.person = people.get(email.lower())
            if row.person is not None and not row.person.active:
                # As in the member form: an inactive person gets no new seats.
                errors.append(
                    gettext("%(name)s är inaktiv i personregistret och kan inte få nya uppdrag.")
                    % {"name": row.person.full_name}
                )

    organisation_name = values.get("organisation", "")
    if not organisation_name:
        errors.append(gettext("Organisation saknas."))
    else:
        row.organisation = organisations.get(organisation_name.lower())
        if row.organisation is None:
            errors.append(gettext("Okänd organisation: ”%(name)s”.") % {"name": organisation_name})

    role_word = values.get("role", "").strip().lower()
    row.role = ROLE_WORDS.get(role_word, "")
    if not row.role:
        errors.append(
            gettext("Okänd roll: ”%(role)s”.") % {"role": values.get("role", "")}
            if role_word
            else gettext("Roll saknas.")
        )
    side_word = values.get("side", "").strip().lower()
    row.side = SIDE_WORDS.get(side_word, "")
    if not row.side:
        errors.append(
            gettext("Okänd sida: ”%(side)s” (majoritet eller opposition).")
            % {"side": values.get("side", "")}
        )

    row.start_date = _parse_date(values.get("start_date", ""), "från", errors) or today
    row.end_date = _parse_date(values.get("end_date", ""), "till", errors)
    if row.end_date and row.start_date and row.end_date <= row.start_date:
        errors.append(gettext("Slutdatum (till) måste vara efter startdatum (från)."))

    membership = Membership(
        council=council,
        organisation=row.organisation,
        role=row.role,
        side=row.side or Membership.Side.NOT_APPLICABLE,
    )
    if row.side == Membership.Side.NOT_APPLICABLE and row.organisation and membership.needs_side:
        errors.append(gettext("Ange sida (majoritet eller opposition) för förtroendevalda."))
    if row.side and membership.side_without_elected_seats:
        errors.append(
            gettext("%(rule)s Lämna kolumnen sida tom.") % {"rule": SIDE_WITHOUT_ELECTED_SEATS}
        )

    if row.person and row.role:
        for other in existing:
            if (
                other.person_id == row.person.pk
                and other.role == row.role
                and (row.end_date is None or other.start_date < row.end_date)
                and (other.end_date is None or other.end_date > row.start_date)
            ):
                errors.append(
                    gettext("%(name)s har redan rollen %(role)s i rådet under perioden.")
                    % {
                        "name": row.person.full_name,
                        "role": Membership.Role(row.role).label.lower(),
                    }
                )
                break


def _parse_date(text, column, errors):
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text[:10], pattern).date()
        except ValueError:
            continue
    errors.append(
        gettext("Ogiltigt datum i kolumnen %(column)s: ”%(text)s” (skriv ÅÅÅÅ-MM-DD).")
        % {"column": column, "text": text}
    )
    return None


# --- Export --------------------------------------------------------------------------------


def export_rows(council, on=None):
    """The council's current members in the import columns, ordered as on the council page."""
    memberships = (
        Membership.objects.current(on)
        .filter(council=council)
        .select_related("person", "organisation", "substitute_for__person")
        .order_by("organisation__name", "role", "person__family_name", "person__given_name")
    )
    for m in memberships:
        yield [
            m.person.given_name,
            m.person.family_name,
            m.person.email,
            m.organisation.name,
            ROLE_NAMES[m.role],
            "" if m.side == Membership.Side.NOT_APPLICABLE else SIDE_NAMES[m.side],
            m.start_date.isoformat(),
            m.end_date.isoformat() if m.end_date else "",
            m.function,
            m.person.title,
            m.person.phone,
            m.substitute_for.person.email if m.substitute_for else "",
        ]


def export_csv(council):
    return csv_bytes(HEADERS, export_rows(council))


def template_csv():
    """An empty member list with the column headers and one example row, for the import page."""
    example = ["Eva", "Exempelsson", "eva.exempelsson@example.org", "Timrå kommun", "ledamot"]
    example += ["opposition", "2026-01-01", "", "", "Kommunalråd", "", ""]
    return csv_bytes(HEADERS, [example])


def export_xlsx(council):
    widths = [14, 16, 30, 32, 18, 12, 12, 12, 24, 24, 16, 30]  # one per column in COLUMNS
    return xlsx_bytes(HEADERS, export_rows(council), title="Ledamöter", widths=widths)
