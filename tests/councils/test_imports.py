"""Import of members from CSV and XLSX (preview, per-row errors, confirm) and export."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from councils.imports import HEADERS, ImportFileError, check_rows, read_spreadsheet
from councils.models import Membership, Organisation, Person
from councils.services import ImportRefused, import_members
from tests.factories import make_membership, make_organisation, make_person
from tests.support.zipbombs import inflating

pytestmark = pytest.mark.django_db

HEADER = ["förnamn", "efternamn", "e-post", "organisation", "roll", "sida", "från", "till"]
D1, D2 = "2026-01-01", "2026-12-31"
GOOD = [
    ["Tina", "Timråsson", "tina@example.org", "Timrå kommun", "ledamot", "opposition", D1, ""],
    ["Åke", "Ångesson", "ake@example.org", "Ånge", "Vice ordförande", "majoritet", "", ""],
    ["Lisa", "Länsson", "lisa@example.org", "Länsstyrelsen", "adjungerad", "", D1, D2],
]  # fmt: skip
GOOD_EMAILS = ["tina@example.org", "ake@example.org", "lisa@example.org"]
BAD = [
    ["Olle", "Okänd", "olle@example.org", "Okänd kommun", "ledamot", "majoritet", "", ""],
    ["Ebba", "Epostlös", "inte-en-adress", "Timrå kommun", "ledamot", "majoritet", "", ""],
    ["Rolf", "Rollös", "rolf@example.org", "Timrå kommun", "kung", "majoritet", "", ""],
    ["Sixten", "Sidlös", "sixten@example.org", "Timrå kommun", "ledamot", "mitten", "", ""],
    ["Dora", "Datum", "dora@example.org", "Timrå kommun", "ledamot", "majoritet", "1 jan", ""],
    ["Tina", "Timråsson", "TINA@example.org", "Timrå kommun", "ledamot", "opposition", "", ""],
]  # fmt: skip


@pytest.fixture(autouse=True)
def organisations(db):
    make_organisation("Timrå kommun", short_name="Timrå")
    make_organisation("Ånge kommun", short_name="Ånge")
    make_organisation(
        "Länsstyrelsen Västernorrland",
        short_name="Länsstyrelsen",
        kind=Organisation.Kind.COUNTY_BOARD,
    )


def csv_file(rows, header=HEADER, delimiter=";", name="ledamoter.csv", encoding="utf-8-sig"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows, header=HEADER, name="ledamoter.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload_url(council):
    return reverse("councils:import_upload", args=[council.slug])


def confirm_url(council):
    return reverse("councils:import_confirm", args=[council.slug])


def preview(client, council, upload):
    response = client.post(upload_url(council), {"file": upload})
    token = response.context["token"] if response.context and "token" in response.context else ""
    return response, token


# --- reading and checking -------------------------------------------------------------------


def test_reads_csv_with_semicolons_and_commas():
    rows = read_spreadsheet(csv_file(GOOD[:1]))
    assert rows[0]["email"] == "tina@example.org"
    rows = read_spreadsheet(csv_file(GOOD[:1], delimiter=","))
    assert rows[0]["organisation"] == "Timrå kommun"


def test_reads_windows_encoded_csv():
    rows = read_spreadsheet(csv_file(GOOD[1:2], encoding="cp1252"))
    assert rows[0]["given_name"] == "Åke"


def test_reads_xlsx_with_date_cells():
    import datetime

    rows = read_spreadsheet(xlsx_file([[*GOOD[0][:6], datetime.datetime(2026, 2, 1), None]]))
    assert rows[0]["start_date"] == "2026-02-01"
    assert rows[0]["end_date"] == ""


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile(
            "protokoll.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
        ),
        SimpleUploadedFile(
            "ledamoter.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
        ),
        SimpleUploadedFile("bild.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        SimpleUploadedFile("trasig.xlsx", b"PK\x03\x04 not really a workbook"),
        SimpleUploadedFile("gammal.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
    ],
    ids=["pdf", "pdf-named-csv", "png", "broken-zip", "old-xls"],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_in_swedish(upload):
    with pytest.raises(ImportFileError) as error:
        read_spreadsheet(upload)
    assert "inte ett kalkylblad" in str(error.value)


def test_missing_columns_are_named():
    with pytest.raises(ImportFileError) as error:
        read_spreadsheet(csv_file([["a", "b"]], header=["förnamn", "efternamn"]))
    assert "”e-post”" in str(error.value) and "”roll”" in str(error.value)


def test_text_without_the_header_row_is_refused():
    upload = SimpleUploadedFile("anteckningar.csv", "Hej!\nDetta är ingen lista.\n".encode())
    with pytest.raises(ImportFileError):
        read_spreadsheet(upload)


def test_every_kind_of_bad_row_gets_a_swedish_error(council):
    checked = check_rows(council, read_spreadsheet(csv_file(GOOD + BAD)))
    errors = {row.values["given_name"]: " ".join(row.errors) for row in checked}
    assert [row.valid for row in checked[:3]] == [True, True, True]
    assert "Okänd organisation: ”Okänd kommun”." in errors["Olle"]
    assert "Ogiltig e-postadress: ”inte-en-adress”." in errors["Ebba"]
    assert "Okänd roll: ”kung”." in errors["Rolf"]
    assert "Okänd sida: ”mitten”" in errors["Sixten"]
    assert "Ogiltigt datum i kolumnen från: ”1 jan”" in errors["Dora"]
    assert "Dubblett: samma person och roll finns redan på rad 2." in checked[-1].errors[0]


def test_person_already_member_is_an_error(council):
    timra = Organisation.objects.get(name="Timrå kommun")
    person = make_person("Tina", "Timråsson", email="tina@example.org", organisation=timra)
    make_membership(person=person, council=council, organisation=timra, side="opposition")
    checked = check_rows(council, read_spreadsheet(csv_file(GOOD[:1])))
    assert "Tina Timråsson har redan rollen ledamot i rådet under perioden." in checked[0].errors


def test_elected_member_without_side_is_an_error(council):
    row = ["Nils", "Sidlös", "nils@example.org", "Timrå kommun", "ledamot", "", "", ""]
    checked = check_rows(council, read_spreadsheet(csv_file([row])))
    assert "Ange sida (majoritet eller opposition) för förtroendevalda." in checked[0].errors


def test_end_before_start_is_an_error(council):
    row = ["Nils", "Bakåt", "nils@example.org", "Timrå kommun", "ledamot", "majoritet", D2, D1]
    checked = check_rows(council, read_spreadsheet(csv_file([row])))
    assert "Slutdatum (till) måste vara efter startdatum (från)." in checked[0].errors


def test_checking_uses_a_constant_number_of_queries(council, django_assert_num_queries):
    rows = [
        [f"P{n}", "Testsson", f"p{n}@example.org", "Timrå kommun", "ledamot", "majoritet", "", ""]
        for n in range(40)
    ]
    make_person(email="p0@example.org")
    parsed = read_spreadsheet(csv_file(rows))
    with django_assert_num_queries(3):
        check_rows(council, parsed)


def test_service_refuses_invalid_rows_and_writes_nothing(council):
    before = (Person.objects.count(), Membership.objects.count())
    with pytest.raises(ImportRefused):
        import_members(council=council, rows=read_spreadsheet(csv_file(GOOD + BAD)))
    assert (Person.objects.count(), Membership.objects.count()) == before


def test_existing_person_is_reused_by_email(council):
    timra = Organisation.objects.get(name="Timrå kommun")
    person = make_person("Tina", "Timråsson", email="Tina@Example.org", organisation=timra)
    result = import_members(council=council, rows=read_spreadsheet(csv_file(GOOD[:1])))
    assert result.created_people == 0
    assert Membership.objects.get(council=council, role="member", person=person)


# --- the pages ------------------------------------------------------------------------------


def test_csv_preview_then_confirm_imports_everything(alice_client, council):
    response, token = preview(alice_client, council, csv_file(GOOD))
    assert response.status_code == 200
    assert "3 giltiga, 0 med fel" in response.text
    assert "Inget är sparat ännu." in response.text
    assert not Person.objects.filter(email="tina@example.org").exists()

    response = alice_client.post(confirm_url(council), {"token": token, "mode": "all"})
    assert response.status_code == 302
    assert Membership.objects.filter(council=council, person__email__in=GOOD_EMAILS).count() == 3
    tina = Membership.objects.get(person__email="tina@example.org")
    assert (tina.role, tina.side, tina.organisation.name) == (
        "member",
        "opposition",
        "Timrå kommun",
    )
    ake = Membership.objects.get(person__email="ake@example.org")
    assert ake.role == "vice_chair" and ake.organisation.name == "Ånge kommun"
    assert (
        Person.objects.get(email="tina@example.org").history.first().history_user.username
        == "alice"
    )


def test_xlsx_preview_then_confirm(alice_client, council):
    response, token = preview(alice_client, council, xlsx_file(GOOD))
    assert "3 giltiga, 0 med fel" in response.text
    alice_client.post(confirm_url(council), {"token": token, "mode": "all"})
    assert Person.objects.filter(email__in=GOOD_EMAILS).count() == 3


def test_preview_shows_per_row_errors_and_writes_nothing(alice_client, council):
    before = (Person.objects.count(), Membership.objects.count())
    response, token = preview(alice_client, council, csv_file(GOOD + BAD))
    assert response.status_code == 200
    assert "3 giltiga, 6 med fel" in response.text
    assert "Okänd organisation: ”Okänd kommun”." in response.text
    assert "Okänd roll: ”kung”." in response.text
    assert "Importera bara giltiga rader (3)" in response.text
    assert 'value="all"' not in response.text
    assert (Person.objects.count(), Membership.objects.count()) == before


def test_confirming_all_rows_with_errors_writes_nothing(alice_client, council):
    before = (Person.objects.count(), Membership.objects.count())
    _, token = preview(alice_client, council, csv_file(GOOD + BAD))
    response = alice_client.post(confirm_url(council), {"token": token, "mode": "all"})
    assert response.status_code == 422
    assert "Inget har importerats" in response.text
    assert (Person.objects.count(), Membership.objects.count()) == before


def test_import_only_valid_rows(alice_client, council):
    _, token = preview(alice_client, council, csv_file(GOOD + BAD))
    response = alice_client.post(confirm_url(council), {"token": token, "mode": "valid"})
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert (
        "3 uppdrag importerades, 3 nya personer lades till, 6 rader med fel hoppades över."
        in messages
    )
    assert Person.objects.filter(email__in=GOOD_EMAILS).count() == 3
    assert not Person.objects.filter(email="olle@example.org").exists()


def test_confirm_needs_the_token_of_the_preview(alice_client, council):
    preview(alice_client, council, csv_file(GOOD))
    response = alice_client.post(confirm_url(council), {"token": "fel", "mode": "all"})
    assert response.status_code == 302
    assert response.url == upload_url(council)
    assert not Person.objects.filter(email="tina@example.org").exists()


def test_confirm_twice_does_not_import_twice(alice_client, council):
    _, token = preview(alice_client, council, csv_file(GOOD))
    alice_client.post(confirm_url(council), {"token": token, "mode": "all"})
    alice_client.post(confirm_url(council), {"token": token, "mode": "all"})
    assert Membership.objects.filter(person__email="tina@example.org").count() == 1


def test_stale_preview_is_checked_again_on_confirm(alice_client, council):
    _, token = preview(alice_client, council, csv_file(GOOD[:1]))
    timra = Organisation.objects.get(name="Timrå kommun")
    person = make_person("Tina", "Timråsson", email="tina@example.org", organisation=timra)
    make_membership(person=person, council=council, organisation=timra, side="opposition")
    response = alice_client.post(confirm_url(council), {"token": token, "mode": "all"})
    assert response.status_code == 422
    assert Membership.objects.filter(person=person).count() == 1


def test_uploading_a_pdf_shows_a_clear_error(alice_client, council):
    upload = SimpleUploadedFile("kallelse.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    response = alice_client.post(upload_url(council), {"file": upload})
    assert response.status_code == 422
    assert "Filen är inte ett kalkylblad som kan läsas." in response.text


def test_import_page_documents_the_columns(alice_client, council):
    text = alice_client.get(upload_url(council)).text
    for header in HEADER:
        assert f"<code>{header}</code>" in text


def test_member_may_not_import(bob_client, council):
    assert bob_client.get(upload_url(council)).status_code == 403
    assert bob_client.post(upload_url(council), {"file": csv_file(GOOD)}).status_code == 403
    assert bob_client.post(confirm_url(council), {"token": "x"}).status_code == 403
    assert not Person.objects.filter(email="tina@example.org").exists()


def test_anonymous_goes_to_login_for_import(client, council):
    response = client.get(upload_url(council))
    assert response.status_code == 302
    assert response.url.startswith("/konto/logga-in/")


# --- export ---------------------------------------------------------------------------------


@pytest.fixture
def seated(council):
    timra = Organisation.objects.get(name="Timrå kommun")
    person = make_person("Tina", "Timråsson", email="tina@example.org", organisation=timra)
    return make_membership(person=person, council=council, organisation=timra, side="opposition")


def test_export_csv(alice_client, council, seated):
    response = alice_client.get(reverse("councils:council_export_csv", args=[council.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("förnamn;efternamn;e-post;organisation;roll;sida;från;till")
    assert "Tina;Timråsson;tina@example.org;Timrå kommun;ledamot;opposition;2023-01-01;" in text


def test_export_xlsx(alice_client, council, seated):
    response = alice_client.get(reverse("councils:council_export_xlsx", args=[council.slug]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][:8]) == HEADER
    assert ("Tina", "Timråsson", "tina@example.org", "Timrå kommun", "ledamot") in [
        r[:5] for r in rows
    ]


def test_exported_file_imports_into_another_council(alice_client, council, seated):
    from tests.factories import make_council

    other = make_council(slug="annat-rad")
    exported = alice_client.get(reverse("councils:council_export_xlsx", args=[council.slug]))
    rows = read_spreadsheet(SimpleUploadedFile("export.xlsx", exported.content))
    checked = check_rows(other, rows)
    tina = next(row for row in checked if row.values["email"] == "tina@example.org")
    assert tina.valid and tina.person == seated.person


FORMULAS = [
    "=HYPERLINK(1)",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("formula", FORMULAS)
def test_export_neutralises_every_formula_start_in_csv_and_xlsx(alice_client, council, formula):
    """OWASP: a cell starting with =, +, -, @, tab or carriage return is text, not a formula."""
    timra = Organisation.objects.get(name="Timrå kommun")
    person = make_person(formula, "Test", email="f@example.org", organisation=timra)
    make_membership(person=person, council=council, organisation=timra, side="majority")

    response = alice_client.get(reverse("councils:council_export_csv", args=[council.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["'" + formula, "Test", "f@example.org"] in [row[:3] for row in rows]

    response = alice_client.get(reverse("councils:council_export_xlsx", args=[council.slug]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    [cell] = [row[0] for row in sheet.iter_rows() if row[2].value == "f@example.org"]
    # XLSX is XML, where a bare carriage return reads back as a line feed: written as one.
    assert cell.value == "'" + formula.replace("\r", "\n") and cell.data_type == "s"


def test_an_escaped_export_imports_as_what_was_exported(alice_client, council):
    """A phone number starting with + goes out with its apostrophe and comes back without."""
    from tests.factories import make_council

    timra = Organisation.objects.get(name="Timrå kommun")
    person = make_person("Fia", "Formel", email="fia@example.org", organisation=timra)
    person.phone = "+46 70 123 45 67"
    person.title = "=titel"
    person.save()
    make_membership(person=person, council=council, organisation=timra, side="majority")
    other = make_council(slug="annat-rad")
    for fmt in ("csv", "xlsx"):
        exported = alice_client.get(reverse(f"councils:council_export_{fmt}", args=[council.slug]))
        rows = read_spreadsheet(SimpleUploadedFile(f"export.{fmt}", exported.content))
        [fia] = [row for row in rows if row["email"] == "fia@example.org"]
        assert (fia["phone"], fia["title"]) == ("+46 70 123 45 67", "=titel")
        assert check_rows(other, [fia])[0].valid


def test_member_may_not_export(bob_client, council):
    assert (
        bob_client.get(reverse("councils:council_export_csv", args=[council.slug])).status_code
        == 403
    )
    assert (
        bob_client.get(reverse("councils:council_export_xlsx", args=[council.slug])).status_code
        == 403
    )


# --- substitutes ----------------------------------------------------------------------------

SUB_HEADER = [*HEADER, "ersätter"]


def stina(stands_in_for):
    """A substitute row for Timrå's opposition."""
    return [
        *["Stina", "Suppleant", "stina@example.org", "Timrå", "ersättare", "opposition", "", ""],
        stands_in_for,
    ]


def test_substitute_is_linked_to_a_member_in_the_same_file(council):
    rows = [[*GOOD[0], ""], stina("tina@example.org")]
    # The substitute comes first in the file; the member is created first anyway.
    import_members(council=council, rows=read_spreadsheet(csv_file(rows[::-1], header=SUB_HEADER)))
    substitute = Membership.objects.get(person__email="stina@example.org")
    assert substitute.substitute_for.person.email == "tina@example.org"


def test_substitute_is_linked_to_a_seated_member(council):
    timra = Organisation.objects.get(name="Timrå kommun")
    member = make_membership(
        person=make_person(email="tina@example.org", organisation=timra),
        council=council,
        organisation=timra,
        side="opposition",
    )
    row = stina("TINA@example.org")
    checked = check_rows(council, read_spreadsheet(csv_file([row], header=SUB_HEADER)))
    assert checked[0].valid and checked[0].substitute_for == member


def test_substitute_for_unknown_member_is_an_error(council):
    row = stina("ingen@example.org")
    checked = check_rows(council, read_spreadsheet(csv_file([row], header=SUB_HEADER)))
    assert "Hittar ingen ledamot i rådet med e-post ”ingen@example.org”" in checked[0].errors[0]


def test_substitute_column_only_for_substitutes(council):
    row = [*GOOD[0], "ake@example.org"]
    checked = check_rows(council, read_spreadsheet(csv_file([row], header=SUB_HEADER)))
    assert checked[0].errors == ["Kolumnen ersätter fylls bara i för ersättare."]


def test_export_names_whom_a_substitute_stands_in_for(alice_client, council, seated):
    timra = seated.organisation
    make_membership(
        person=make_person(email="stina@example.org", organisation=timra),
        council=council,
        organisation=timra,
        role="substitute",
        side="opposition",
        substitute_for=seated,
    )
    response = alice_client.get(reverse("councils:council_export_csv", args=[council.slug]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_email = {row["e-post"]: row for row in rows}
    assert by_email["stina@example.org"]["ersätter"] == "tina@example.org"
    assert by_email["tina@example.org"]["ersätter"] == ""


def test_template_has_the_headers_and_imports_cleanly(alice_client, council):
    response = alice_client.get(reverse("councils:import_template", args=[council.slug]))
    assert response.status_code == 200
    upload = SimpleUploadedFile("mall.csv", response.content)
    checked = check_rows(council, read_spreadsheet(upload))
    assert [row.valid for row in checked] == [True]


def test_member_may_not_download_the_template(bob_client, council):
    url = reverse("councils:import_template", args=[council.slug])
    assert bob_client.get(url).status_code == 403


def test_reads_utf16_unicode_text_from_excel():
    text = "\t".join(HEADER) + "\n" + "\t".join(GOOD[1]) + "\n"
    rows = read_spreadsheet(SimpleUploadedFile("ledamoter.txt", text.encode("utf-16")))
    assert rows[0]["given_name"] == "Åke"


def test_too_long_text_is_an_error_not_a_crash(council):
    row = ["Nils", "N" * 101, "nils@example.org", "Timrå kommun", "ledamot", "majoritet", "", ""]
    checked = check_rows(council, read_spreadsheet(csv_file([row])))
    assert "För lång text i kolumnen efternamn (högst 100 tecken)." in checked[0].errors


def test_too_many_rows_are_refused_not_cut(monkeypatch):
    from councils import imports

    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    with pytest.raises(ImportFileError) as error:
        read_spreadsheet(csv_file(GOOD + GOOD[:1]))
    assert "för många rader (högst 3)" in str(error.value)
    with pytest.raises(ImportFileError):
        read_spreadsheet(xlsx_file(GOOD + GOOD[:1]))
    assert len(read_spreadsheet(xlsx_file(GOOD))) == 3


def test_substitute_of_another_side_is_an_error(council, seated):
    """A substitute stands in for one side's seat; the file may not put them on the other."""
    row = stina("tina@example.org")
    row[5] = "majoritet"
    checked = check_rows(council, read_spreadsheet(csv_file([row], header=SUB_HEADER)))
    assert checked[0].errors == [
        "En ersättare står för samma sida som ledamoten den ersätter (opposition)."
    ]


def test_substitute_of_another_side_than_a_member_in_the_same_file_is_an_error(council):
    row = stina("tina@example.org")
    row[5] = "majoritet"
    rows = read_spreadsheet(csv_file([[*GOOD[0], ""], row], header=SUB_HEADER))
    checked = check_rows(council, rows)
    assert checked[0].valid
    assert checked[1].errors == [
        "En ersättare står för samma sida som ledamoten den ersätter (opposition)."
    ]


# --- the preview on the page --------------------------------------------------------------


def test_preview_puts_each_rows_result_next_to_its_number(alice_client, council):
    """On a tablet the wide table scrolls sideways: the errors must not be its last column."""
    response, _ = preview(alice_client, council, csv_file(BAD[:1]))
    headers = [header.split("</th>")[0] for header in response.text.split('<th scope="col">')[1:]]
    assert headers[:3] == ["Rad", "Resultat", "Namn"]
    row = response.text[response.text.index('<tr class="row-error">') :]
    assert row.index("Okänd organisation") < row.index("Olle Okänd")


def test_preview_shows_a_bad_date_as_written_not_as_today(alice_client, council):
    response, _ = preview(alice_client, council, csv_file([BAD[4]]))
    assert "Ogiltigt datum i kolumnen från: ”1 jan”" in response.text
    cells = response.text[response.text.index('<tr class="row-error">') :].split("</tr>")[0]
    assert "<td>1 jan</td>" in cells


def test_inactive_person_gets_no_new_seat_from_a_file(council):
    """The member form offers only active people; the import must not get round that."""
    make_person(
        "Tina",
        "Timråsson",
        email="tina@example.org",
        organisation=Organisation.objects.get(name="Timrå kommun"),
        active=False,
    )
    checked = check_rows(council, read_spreadsheet(csv_file([GOOD[0]])))
    assert checked[0].errors == [
        "Tina Timråsson är inaktiv i personregistret och kan inte få nya uppdrag."
    ]


def test_side_for_an_organisation_without_elected_seats_is_an_error(council):
    row = [
        "Lisa",
        "Länsson",
        "lisa@example.org",
        "Länsstyrelsen",
        "adjungerad",
        "majoritet",
        "",
        "",
    ]
    checked = check_rows(council, read_spreadsheet(csv_file([row])))
    assert checked[0].errors == [
        "Majoritet och opposition gäller bara förtroendevalda från kommuner och regionen. "
        "Lämna kolumnen sida tom."
    ]


def test_export_xlsx_gives_the_substitute_column_room_for_an_address(alice_client, council, seated):
    """The last column, ersätter (an e-mail address), was left at the default width."""
    response = alice_client.get(reverse("councils:council_export_xlsx", args=[council.slug]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    email, stands_in_for = (get_column_letter(HEADERS.index(h) + 1) for h in ("e-post", "ersätter"))
    assert sheet.column_dimensions[stands_in_for].width == sheet.column_dimensions[email].width


# --- spreadsheet bombs ----------------------------------------------------------------------


def xlsx_bomb(megabytes):
    """A real member list whose sheet unpacks to `megabytes` MiB (spaces between the rows)."""
    document = xlsx_file(GOOD).read()
    with zipfile.ZipFile(io.BytesIO(document)) as workbook:
        sheet = workbook.read("xl/worksheets/sheet1.xml")
    head, _, tail = sheet.partition(b"</sheetData>")
    return inflating(
        document,
        "xl/worksheets/sheet1.xml",
        megabytes=megabytes,
        prefix=head,
        suffix=b"</sheetData>" + tail,
    )


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_it_is_read(settings):
    settings.ARCHIVE_MAX_UNPACKED_BYTES = 8 * 1024 * 1024
    small = xlsx_bomb(4)
    assert len(read_spreadsheet(SimpleUploadedFile("ledamoter.xlsx", small))) == len(GOOD)
    bomb = xlsx_bomb(10)
    assert len(bomb) < 30_000
    with pytest.raises(ImportFileError) as excinfo:
        read_spreadsheet(SimpleUploadedFile("ledamoter.xlsx", bomb))
    assert "Filen blir för stor när den packas upp" in str(excinfo.value)


def test_the_import_page_refuses_a_spreadsheet_bomb_in_swedish(alice_client, council, settings):
    settings.ARCHIVE_MAX_UNPACKED_BYTES = 8 * 1024 * 1024
    bomb = SimpleUploadedFile("ledamoter.xlsx", xlsx_bomb(10))
    response = alice_client.post(upload_url(council), {"file": bomb})
    assert "Filen blir för stor när den packas upp (10,0" in response.text
    assert not Person.objects.filter(email="tina@example.org").exists()
