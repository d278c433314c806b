"""Reads a relay's Atom feed and iCalendar with Python's own parsers (Debian's python3-feedparser and
python3-icalendar), so that the tests compare what independent readers understand, not text.

Usage: /usr/bin/python3 read-feeds.py FEED.atom CALENDAR.ics  ->  one JSON object on stdout.
"""
import calendar
import datetime
import json
import sys

import feedparser
import icalendar


def when(value):
    """An iCalendar date or date-time as JSON: a day, or ms since the epoch (UTC) with its zone's name."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return {"floating": value.isoformat()}
        return {"ms": int(value.timestamp() * 1000), "utc": value.utcoffset() == datetime.timedelta(0)}
    return {"date": value.isoformat()}


def main(atom_path, ics_path):
    with open(atom_path, "rb") as f:
        feed = feedparser.parse(f.read())
    with open(ics_path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    entries = []
    for e in feed.entries:
        entries.append(
            {
                "id": e.get("id"),
                "title": e.get("title"),
                "author": e.get("author"),
                "published": calendar.timegm(e.published_parsed) * 1000 if e.get("published_parsed") else None,
                "text": e.content[0].value if e.get("content") else None,
                "links": [l.get("href") for l in e.get("links", [])],
            }
        )
    events = []
    for v in cal.walk("VEVENT"):
        events.append(
            {
                "uid": str(v.get("UID")),
                "summary": str(v.get("SUMMARY")),
                "description": str(v.get("DESCRIPTION")),
                "location": str(v.get("LOCATION")),
                "start": when(v.decoded("DTSTART")),
                "end": when(v.decoded("DTEND")) if "DTEND" in v else None,
                "status": str(v.get("STATUS")) if "STATUS" in v else None,
            }
        )
    print(
        json.dumps(
            {
                "bozo": bool(feed.bozo),
                "feedTitle": feed.feed.get("title"),
                "entries": entries,
                "calName": str(cal.get("X-WR-CALNAME")),
                "calZone": str(cal.get("X-WR-TIMEZONE")) if "X-WR-TIMEZONE" in cal else None,
                "events": events,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
