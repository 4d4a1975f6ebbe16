"""Dates shown in the issue's language ("August 16, 2023", "16 août 2023")."""

from __future__ import annotations

import datetime as dt

_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "nl": "januari februari maart april mei juni juli augustus september oktober november "
          "december",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
          "diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
          "dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
          "dezembro",
    "tr": "Ocak Şubat Mart Nisan Mayıs Haziran Temmuz Ağustos Eylül Ekim Kasım Aralık",
    "hu": "január február március április május június július augusztus szeptember október "
          "november december",
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października "
          "listopada grudnia",
}

_PATTERNS = {
    "en": "{month} {day}, {year}",
    "de": "{day}. {month} {year}",
    "hu": "{year}. {month} {day}.",
    "tr": "{day} {month} {year}",
}


def format_date(date: dt.date, language: str) -> str:
    lang = language.split("-")[0].split("_")[0].lower()
    months = _MONTHS.get(lang)
    if months is None:
        return date.isoformat()
    month = months.split()[date.month - 1]
    pattern = _PATTERNS.get(lang, "{day} {month} {year}")
    return pattern.format(day=date.day, month=month, year=date.year)
