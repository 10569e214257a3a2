#!/usr/bin/python3
# xlsxwriter-cases.py — the case list with Debian's python3-xlsxwriter
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The yardstick of the report benchmark: the same case rows as Casebook's
# Cases sheet, read from the same database and written the same way (text
# as strings, dates as real dates, years as numbers, code sets as "a;b",
# frozen header, autofilter) in XlsxWriter's constant-memory mode.
#
# Usage: xlsxwriter-cases.py DB OUT.xlsx FROM TO COLUMN...
# where each COLUMN is NAME:KIND, KIND one of text, date, yesno, integer,
# or codes:CODE,CODE,... (the field's code list, bit 0 first).

import datetime
import sqlite3
import sys

import xlsxwriter


def parse_columns(specs):
    columns = []
    for spec in specs:
        name, kind, *rest = spec.split(":", 2)
        codes = rest[0].split(",") if rest else []
        columns.append((name, kind, codes))
    return columns


def codes_text(codes, mask, cache):
    text = cache.get(mask)
    if text is None:
        text = ";".join(code for bit, code in enumerate(codes) if mask & (1 << bit))
        cache[mask] = text
    return text


def write_rows(sheet, rows, columns, date_format, year_format):
    caches = [dict() for _ in columns]
    last = 0
    for last, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None:
                continue
            kind = columns[col][1]
            if kind == "date":
                sheet.write_datetime(last, col, datetime.date.fromisoformat(value), date_format)
            elif kind == "yesno":
                sheet.write_string(last, col, "yes" if value else "no")
            elif kind == "integer":
                sheet.write_number(last, col, value, year_format)
            elif kind == "codes":
                sheet.write_string(last, col, codes_text(columns[col][2], value, caches[col]))
            else:
                sheet.write_string(last, col, value)
    return last


def main():
    if len(sys.argv) < 6:
        print("usage: xlsxwriter-cases.py DB OUT.xlsx FROM TO COLUMN...", file=sys.stderr)
        return 2
    db, out, period_from, period_to = sys.argv[1:5]
    columns = parse_columns(sys.argv[5:])

    connection = sqlite3.connect(db)
    sql = ("SELECT %s FROM cases WHERE start_date <= ? AND (end_date IS NULL OR end_date >= ?)"
           " ORDER BY case_ref" % ", ".join(name for name, _, _ in columns))
    rows = connection.execute(sql, (period_to, period_from))

    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = workbook.add_worksheet("Cases")
    header = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    year_format = workbook.add_format({"num_format": "0"})

    for col, (name, _, _) in enumerate(columns):
        sheet.write_string(0, col, name, header)
    last = write_rows(sheet, rows, columns, date_format, year_format)
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, last, len(columns) - 1)
    workbook.close()
    connection.close()
    print(last)
    return 0


if __name__ == "__main__":
    sys.exit(main())
