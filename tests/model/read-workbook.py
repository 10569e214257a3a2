#!/usr/bin/python3
# read-workbook.py — dump an .xlsx file for test-report-writer
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reads the workbook back the way a spreadsheet user would meet it
# (openpyxl, Debian's python3-openpyxl) and the way Excel parses it (the
# raw XML parts of the zip), and prints one tab-separated record a line:
#
#   sheet    NAME                          in workbook order
#   file     PART                          every member of the zip
#   formulas N                             <f> elements in all XML parts
#   comma    PART SNIPPET                  a number written with a comma
#   prop     NAME VALUE                    document properties
#   freeze   SHEET CELL                    frozen panes
#   filter   SHEET RANGE                   autofilter
#   cell     SHEET ROW COL TYPE FORMAT FILL VALUE   0-based row and column
#
# Text is escaped as C escapes (\\ \t \n \r) so g_strcompress() restores it.
# Usage: read-workbook.py FILE [SHEET...]   (only those sheets' cells)

import re
import sys
import zipfile

import openpyxl


def escape(value):
    text = str(value)
    return (text.replace("\\", "\\\\").replace("\t", "\\t")
            .replace("\n", "\\n").replace("\r", "\\r"))


def emit(*fields):
    print("\t".join(escape(f) for f in fields))


# An unprefixed <f> element is a cell formula; charts' <c:f> are the
# references of their series and are expected.
FORMULA = re.compile(rb"<f[\s>/]")
# A decimal comma where XML wants a number: an attribute value or an
# element's whole text made of digits, one comma, digits.
COMMA_NUMBER = re.compile(rb'(="-?\d+,\d+")|(>-?\d+,\d+<)')


def dump_parts(path):
    formulas = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            emit("file", name)
            if not name.endswith(".xml") and not name.endswith(".rels"):
                continue
            data = archive.read(name)
            formulas += len(FORMULA.findall(data))
            for match in COMMA_NUMBER.finditer(data):
                emit("comma", name, match.group(0).decode("utf-8", "replace"))
    emit("formulas", formulas)


def cell_value(cell):
    if cell.data_type == "d" and hasattr(cell.value, "isoformat"):
        return cell.value.isoformat()
    if isinstance(cell.value, float) and cell.value.is_integer():
        return repr(cell.value)
    return cell.value


def cell_fill(cell):
    fill = cell.fill
    if fill is None or fill.fill_type is None:
        return ""
    rgb = fill.fgColor.rgb if fill.fgColor is not None else None
    return rgb if isinstance(rgb, str) else ""


def dump_cells(workbook, wanted):
    for sheet in workbook.worksheets:
        emit("sheet", sheet.title)
        if sheet.freeze_panes:
            emit("freeze", sheet.title, sheet.freeze_panes)
        if sheet.auto_filter is not None and sheet.auto_filter.ref:
            emit("filter", sheet.title, sheet.auto_filter.ref)
        if wanted and sheet.title not in wanted:
            continue
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                emit("cell", sheet.title, cell.row - 1, cell.column - 1,
                     cell.data_type, cell.number_format, cell_fill(cell),
                     cell_value(cell))


def dump_properties(workbook):
    props = workbook.properties
    for name in ("title", "subject", "creator", "keywords"):
        emit("prop", name, getattr(props, name) or "")
    if props.created is not None:
        emit("prop", "created", props.created.isoformat())


def main():
    if len(sys.argv) < 2:
        print("usage: read-workbook.py FILE [SHEET...]", file=sys.stderr)
        return 2
    path = sys.argv[1]
    dump_parts(path)
    workbook = openpyxl.load_workbook(path)
    dump_properties(workbook)
    dump_cells(workbook, set(sys.argv[2:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
