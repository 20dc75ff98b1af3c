"""Where things sit in the workbook: the contract between the export and the import.

The RACI sheet carries stable ids so that a user may sort, move and add rows and
columns: a hidden column holds each row's activity id (``function:<id>`` for the band
row of a function) and a hidden row holds each column's party id. The id row also marks
the id column and the name column, and the header row of party names is marked in the
id column, so the import finds its way by these markers, not by fixed positions.
"""

from __future__ import annotations

RACI_SHEET = "RACI"
SOURCING_SHEET = "Sourcing"
# The contracts, a row each, on four sheets narrow enough to print.
CONTRACT_TERMS_SHEET = "Contract terms"
CONTRACT_EXIT_SHEET = "Contract exit"
CONTRACT_DATA_SHEET = "Contract data"
CONTRACT_COMPLIANCE_SHEET = "Contract compliance"
EXIT_REGISTER_SHEET = "Exit register"  # per contract and function, as DORA B_07.01
DEPENDENCIES_SHEET = "Dependencies"
FINDINGS_SHEET = "Findings"
SUMMARY_SHEET = "Summary"

# Markers in the hidden id row / id column of the RACI sheet.
ID_MARKER = "ecomraci:id"  # in the id row, above the id column
NAME_MARKER = "ecomraci:name"  # in the id row, above the activity-name column
NAMES_ROW_MARKER = "ecomraci:party-names"  # in the id column, on the party-name row
FUNCTION_PREFIX = "function:"  # id-column value of a function's band row

# Rows and columns as written (1-based); the import does not rely on them.
TITLE_ROW, DATE_ROW, LEGEND_ROW, GROUP_ROW, IDS_ROW, NAMES_ROW = 1, 2, 3, 4, 5, 6
FIRST_DATA_ROW = 7
ID_COL, NAME_COL, FIRST_PARTY_COL = 1, 2, 3

# Text that a spreadsheet would take for a formula (or a DDE call) if typed.
FORMULA_TRIGGERS = ("=", "+", "-", "@")
