"""The rules of RefNum that a JSON Schema cannot state, one by one.

schemathesis's `positive_data_acceptance` check says that a request the
document calls valid must not be refused. The document states every rule it
can (types, codes, lengths, characters, formats, required fields); some rules
depend on other fields or on the database and cannot be stated there: that
an id names a record of the school, that a range is at most a year, that a
file's content is of an accepted type…

`schemathesis.toml` lets `positive_data_acceptance` accept a 422, and the
check below takes that back: a request the document calls valid may be
refused with a 422 only when the error names a field listed here, for its
operation, with the rule that refused it. Any other 422 to a valid request
fails the run, as the built-in check would.
"""

import json

import schemathesis
from schemathesis.core.failures import Failure

# (operation, field named by the 422) -> the rule the document cannot state.
RULES = {
    # A range: `to` at most 366 days after `from`, and not before it.
    ("GET /api/v1/booking-resources/{id}/bookings", "to"): "a range of at most a year",
    # Booking: the school's timetable, holidays, closed days and the
    # resource's rules (who may book, how far ahead, quota, gap) decide.
    ("POST /api/v1/booking-resources/{id}/bookings", "day"): "a school day within the resource's horizon",
    ("POST /api/v1/booking-resources/{id}/bookings", "slot_from"): "a slot of the school's timetable",
    ("POST /api/v1/booking-resources/{id}/bookings", "slot_to"): "a slot of the timetable after slot_from",
    ("POST /api/v1/booking-resources/{id}/bookings", "start"): "hours inside the school day",
    ("POST /api/v1/booking-resources/{id}/bookings", "end"): "an end after the start",
    ("POST /api/v1/booking-resources/{id}/bookings", "weekday"): "a weekday of the series",
    ("POST /api/v1/booking-resources/{id}/bookings", "from"): "a series starting on a school day",
    ("POST /api/v1/booking-resources/{id}/bookings", "to"): "a series of at most a year",
    ("POST /api/v1/booking-resources/{id}/bookings", "for_account_id"): "a staff member of the school",
    ("POST /api/v1/booking-resources/{id}/bookings", "structure_id"): "a class or group of the school",
    ("POST /api/v1/booking-resources/{id}/bookings", "note"): "a note the resource's rules accept",
    # References to records of the school.
    ("POST /api/v1/etablissements/{id}/assets", "room_id"): "a room of the school",
    ("POST /api/v1/etablissements/{id}/assets", "parent_id"): "an asset of the school",
    ("POST /api/v1/etablissements/{id}/assets", "warranty_end"): "not before the purchase date",
    ("PATCH /api/v1/etablissements/{id}/assets/{asset_id}", "room_id"): "a room of the school",
    ("PATCH /api/v1/etablissements/{id}/assets/{asset_id}", "parent_id"): "an asset of the school, not itself nor below it",
    ("PATCH /api/v1/etablissements/{id}/assets/{asset_id}", "warranty_end"): "not before the purchase date",
    ("POST /api/v1/etablissements/{id}/rooms", "building_id"): "a building of the school",
    ("PATCH /api/v1/etablissements/{id}/rooms/{room_id}", "building_id"): "a building of the school",
    ("POST /api/v1/etablissements/{id}/tickets", "asset_id"): "an asset of the school",
    ("POST /api/v1/etablissements/{id}/tickets", "room_id"): "a room of the school",
    ("POST /api/v1/etablissements/{id}/tickets", "unusable"): "unusable needs an asset",
    ("PATCH /api/v1/tickets/{ticket_id}", "organisation_id"): "an organisation serving the school",
    ("PATCH /api/v1/tickets/{ticket_id}", "assignee_id"): "a person of the school",
    ("PATCH /api/v1/tickets/{ticket_id}", "unusable"): "unusable needs the ticket's asset",
    ("POST /api/v1/etablissements/{id}/loans", "asset"): "an asset of the school",
    ("POST /api/v1/etablissements/{id}/loans", "borrower"): "a pupil or staff member of the school",
    ("POST /api/v1/etablissements/{id}/loans", "due_on"): "not before the start",
    ("POST /api/v1/etablissements/{id}/loans", "start_on"): "a start the school accepts",
    ("POST /api/v1/loans/{id}/signatures", "party"): "a party of this loan",
    ("POST /api/v1/loans/{id}/signatures", "signed_on"): "not before the loan nor in the future",
    ("POST /api/v1/loans/{id}/return", "returned_on"): "not before the start nor in the future",
    ("POST /api/v1/loans/{id}/return", "items"): "every item that left accounted for",
    # Mission letters: the second year follows the first and a school
    # year has one letter; a referent holds the role in this school; a
    # mission is a catalogue entry of the académie or an axis with a label;
    # a value stays within its unit's range (a percentage at most 100).
    ("POST /api/v1/etablissements/{id}/mission-letters", "school_year"): "a school year without its letter yet",
    ("POST /api/v1/etablissements/{id}/mission-letters", "referents"): "accounts with the referent role in the school, once each",
    ("POST /api/v1/etablissements/{id}/mission-letters", "missions"): "a catalogue entry, or an axis and a label",
    ("POST /api/v1/etablissements/{id}/mission-letters", "indicators"): "a value within its unit's range",
    ("PUT /api/v1/etablissements/{id}/mission-letters/{letter_id}", "referents"): "accounts with the referent role in the school, once each",
    ("PUT /api/v1/etablissements/{id}/mission-letters/{letter_id}", "missions"): "a catalogue entry, or an axis and a label",
    ("PUT /api/v1/etablissements/{id}/mission-letters/{letter_id}", "indicators"): "a value within its unit's range",
    # One body creates and changes an organisation: on creation its name
    # and kind are required, on a change they may be left out.
    ("POST /api/v1/support-organisations", "name"): "required on creation",
    ("POST /api/v1/support-organisations", "kind"): "required on creation",
    ("POST /api/v1/support-organisations", "serves"): "schools the caller manages",
    ("POST /api/v1/support-organisations", "collectivite_id"): "a collectivité, for kind collectivite",
    ("PATCH /api/v1/support-organisations/{id}", "serves"): "schools the caller manages",
    ("PATCH /api/v1/support-organisations/{id}", "collectivite_id"): "a collectivité, for kind collectivite",
    # Working hours: spans such as 08:00-12:00 that do not overlap, real
    # closed days.
    **{
        (op, f"day_{i}"): "spans of a working day, in order"
        for op in ("POST /api/v1/support-organisations", "PATCH /api/v1/support-organisations/{id}")
        for i in range(7)
    },
    ("POST /api/v1/support-organisations", "closed"): "closed days yyyy-mm-dd",
    ("PATCH /api/v1/support-organisations/{id}", "closed"): "closed days yyyy-mm-dd",
    ("POST /api/v1/support-organisations", "targets"): "a resolution target after the response target",
    ("PATCH /api/v1/support-organisations/{id}", "targets"): "a resolution target after the response target",
    # Contact details as the pages check them.
    **{
        (op, f): rule
        for op in ("POST /api/v1/support-organisations", "PATCH /api/v1/support-organisations/{id}")
        for f, rule in (
            ("contact_email", "an e-mail address"),
            ("contact_phone", "a phone number"),
            ("website", "an http(s) address with a host"),
        )
    },
    # An uploaded file: its type is detected from its content.
    ("POST /api/v1/tickets/{ticket_id}/attachments", "file"): "an image, a PDF or a text",
}


def _field(response) -> str | None:
    try:
        return json.loads(response.content)["error"].get("field")
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


@schemathesis.check
def refusal_names_a_rule_the_schema_cannot_state(ctx, response, case):
    """A valid request refused with a 422 names a field listed in RULES."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    field = _field(response)
    label = case.operation.label
    if (label, field) in RULES:
        return None
    raise Failure(
        operation=label,
        title="Schema-valid request rejected (422)",
        message=f"A request the document calls valid was refused, naming `{field}`: "
        "either the document must state that rule, or the code must accept the request.",
    )
