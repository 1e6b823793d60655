"""Exports of the published programme: iCalendar, frab schedule.xml / schedule.json and PDF.

Every export reads one published snapshot (never the live sessions), so it shows exactly what was
published and costs the same small number of queries whatever the size of the programme.
"""
