"""CSV cells a spreadsheet shows as typed and never runs."""

from decimal import Decimal

# A cell beginning with one of these is read as a formula by Excel, LibreOffice and Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """Neutralise cells a spreadsheet would run as a formula: such text gets a leading apostrophe.

    Numbers stay numbers: a growth of -3.5 is a figure, not a formula. Only text typed by
    someone (a label, a note, a name) can smuggle one in."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
