"""Cases as CSV, for `manage.py export_cases` and `manage.py import_cases`.

One row per case, with its review state and case status, in columns named as
the model's fields. An import is checked row by row through `CaseImportForm`
(the model's own validation, `full_clean` included) and is all-or-nothing:
either every row is valid and every case is created, each with an IMPORTED
audit entry, or nothing is written and every error is reported by line.

A spreadsheet runs a cell that begins with =, +, -, @ (or a tab or carriage
return before one) as a formula, and an export holds text that unreviewed
submissions wrote. Such a text cell is written with an apostrophe in front,
which spreadsheets read as "this is text" and do not show; an import takes the
apostrophe off again, and refuses a cell that would have run as a formula.
"""

import csv
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction

from . import moderation
from .models import REQUIRED_FIELDS, SUBMITTED_FIELDS, AuditAction, Case, ReviewState

CASE_FIELDS = [*SUBMITTED_FIELDS, "case_status", "review_state"]
COLUMNS = ["slug", *CASE_FIELDS, "published_at", "submitted_by"]
# Left empty (or out of the file), these take the model's defaults.
DEFAULTS = {name: field.default for name in CASE_FIELDS if (field := Case._meta.get_field(name)).has_default()}
REQUIRED_COLUMNS = set(REQUIRED_FIELDS)
# The review state a row asks for is reached through the moderation function that makes it.
REVIEW = {ReviewState.PUBLISHED: moderation.publish, ReviewState.REJECTED: moderation.reject}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
TEXT_MARK = "'"


def _is_formula(text):
    return text.startswith(FORMULA_STARTS) or text.lstrip().startswith(FORMULA_STARTS)


def _cell(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return TEXT_MARK + text if _is_formula(text) else text


def _from_cell(text):
    """A cell's value as imported: without export's apostrophe; ValueError if it is a formula."""
    if text.startswith(TEXT_MARK) and _is_formula(text[1:]):
        return text[1:]
    if _is_formula(text):
        raise ValueError(text)
    return text


def write_cases(cases, stream):
    """Write `cases` as CSV to the text `stream`; return how many rows were written."""
    # RFC 4180 line ends: the writer then also quotes a cell holding a lone carriage return.
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for case in cases.select_related("submitted_by").order_by("id"):
        row = {name: _cell(getattr(case, name)) for name in ["slug", *CASE_FIELDS, "published_at"]}
        row["submitted_by"] = case.submitted_by.get_username() if case.submitted_by else ""
        writer.writerow(row)
        count += 1
    return count


class CaseImportForm(forms.ModelForm):
    slug = forms.SlugField(max_length=80, required=False)
    published_at = forms.DateTimeField(required=False)
    submitted_by = forms.CharField(required=False, max_length=150)

    class Meta:
        model = Case
        fields = CASE_FIELDS

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug and Case.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                "A case with the slug “%(slug)s” already exists.",
                code="duplicate_slug",
                params={"slug": slug},
            )
        return slug

    def clean_submitted_by(self):
        username = self.cleaned_data["submitted_by"]
        if not username:
            return None
        User = get_user_model()
        try:
            return User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise forms.ValidationError(
                "No user is named “%(username)s”.", code="unknown_user", params={"username": username}
            ) from None

    def save_imported(self, *, by, note):
        """Create the case as a pending submission, then review it as the row says, each step audited."""
        case = self.save(commit=False)
        review_state = case.review_state
        case.review_state = ReviewState.PENDING
        if self.cleaned_data["slug"]:
            case.slug = self.cleaned_data["slug"]
        case.submitted_by = self.cleaned_data["submitted_by"]
        if review_state == ReviewState.PUBLISHED:
            # Kept from the exported file; publish() sets it only for a case never published before.
            case.published_at = self.cleaned_data["published_at"]
        case.save()
        moderation.record(
            case,
            action=AuditAction.IMPORTED,
            by=by,
            field="review_state",
            to_value=case.review_state,
            note=note,
        )
        if review_state in REVIEW:
            REVIEW[review_state](case, by=by, note=note, email_submitter=False)
        return case


@dataclass
class ImportResult:
    forms: list  # (line number, valid CaseImportForm)
    errors: list  # "line N: field: message"

    @property
    def ok(self):
        return not self.errors


class ImportFileError(Exception):
    """The file as a whole cannot be read as a cases CSV."""


def _error_lines(line, form):
    for field, errors in form.errors.items():
        label = "row" if field == "__all__" else field
        for message in errors:
            yield f"line {line}: {label}: {message}"


def check_rows(stream):
    """Validate every row of the CSV text `stream`; nothing is written."""
    reader = csv.DictReader(stream)
    header = reader.fieldnames or []
    if not header:
        raise ImportFileError("the file is empty")
    missing = sorted(REQUIRED_COLUMNS - set(header))
    unknown = sorted(set(header) - set(COLUMNS))
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s): {', '.join(unknown)}")
        raise ImportFileError(f"line 1: {'; '.join(problems)} (expected: {', '.join(COLUMNS)})")
    result = ImportResult(forms=[], errors=[])
    seen_slugs = {}
    line = reader.line_num
    for row in reader:
        first_line = line + 1
        line = reader.line_num
        if None in row:
            result.errors.append(f"line {first_line}: row: more cells than columns")
            continue
        data, formulas = {}, []
        for name, value in row.items():
            try:
                data[name] = _from_cell((value or "").strip())
            except ValueError:
                formulas.append(name)
        if formulas:
            result.errors.extend(
                f"line {first_line}: {name}: begins with “{row[name].strip()[:1]}”, which a spreadsheet runs as a "
                f"formula; put an apostrophe in front of it to keep it as text"
                for name in formulas
            )
            continue
        for name, default in DEFAULTS.items():
            data[name] = data.get(name) or default
        form = CaseImportForm(data=data)
        if not form.is_valid():
            result.errors.extend(_error_lines(first_line, form))
            continue
        slug = form.cleaned_data["slug"]
        if slug and slug in seen_slugs:
            result.errors.append(f"line {first_line}: slug: “{slug}” is also on line {seen_slugs[slug]}.")
            continue
        if slug:
            seen_slugs[slug] = first_line
        result.forms.append((first_line, form))
    return result


def import_rows(result, *, by, source):
    """Create every case of a valid `ImportResult` in one transaction."""
    with transaction.atomic():
        return [form.save_imported(by=by, note=f"Imported from {source}, line {line}.") for line, form in result.forms]
