"""Dates shown in the issue's language and calendar ("August 16, 2023", "16 août 2023",
"۲۵ مرداد ۱۴۰۲", "٢٩ محرم ١٤٤٥ هـ").

The layout's `text.date_calendar` chooses: `auto` (the default) is the Solar Hijri
calendar in a Persian issue and the Gregorian one elsewhere; `persian`, `hijri` (the Umm
al-Qura calendar, through the hijridate library) and `gregorian` force one."""

from __future__ import annotations

import datetime as dt

from compositor.load.locale import digits

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
    "sq": "janar shkurt mars prill maj qershor korrik gusht shtator tetor nëntor dhjetor",
    "fa": "ژانویه فوریه مارس آوریل مه ژوئن ژوئیه اوت سپتامبر اکتبر نوامبر دسامبر",
    "ar": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
    "ur": "جنوری فروری مارچ اپریل مئی جون جولائی اگست ستمبر اکتوبر نومبر دسمبر",
    "he": "ינואר פברואר מרץ אפריל מאי יוני יולי אוגוסט ספטמבר אוקטובר נובמבר דצמבר",
}

# The months of the Solar Hijri (Persian) calendar.
_PERSIAN_MONTHS = "فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند"

# The months of the Hijri (lunar) calendar, as Arabic writes them.
_HIJRI_MONTHS = ("محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
                 "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة")
HIJRI_ERA = "هـ"  # after the year: "of the Hijra"

_PATTERNS = {
    "en": "{month} {day}, {year}",
    "de": "{day}. {month} {year}",
    "hu": "{year}. {month} {day}.",
    "tr": "{day} {month} {year}",
}


def calendar_for(setting: str, language: str) -> str:
    """The calendar a layout's `date_calendar` means in this language."""
    if setting == "auto":
        return "persian" if language.split("-")[0].split("_")[0].lower() == "fa" \
            else "gregorian"
    return setting


def format_date(date: dt.date, language: str, calendar: str = "gregorian",
                numerals: str = "latin") -> str:
    lang = language.split("-")[0].split("_")[0].lower()
    calendar = calendar_for(calendar, language)
    if calendar == "hijri":
        from hijridate import Gregorian  # only Hijri editions pay for the import

        try:
            h = Gregorian(date.year, date.month, date.day).to_hijri()
        except OverflowError:
            pass  # outside the Umm al-Qura tables (1924-2077): the Gregorian date
        else:
            return digits(f"{h.day} {_HIJRI_MONTHS[h.month - 1]} {h.year} {HIJRI_ERA}",
                          numerals)
    if calendar == "persian":
        import jdatetime  # only Solar Hijri editions pay for the import

        j = jdatetime.date.fromgregorian(date=date)
        return digits(f"{j.day} {_PERSIAN_MONTHS.split()[j.month - 1]} {j.year}", numerals)
    months = _MONTHS.get(lang)
    if months is None:
        return digits(date.isoformat(), numerals)
    month = months.split()[date.month - 1]
    pattern = _PATTERNS.get(lang, "{day} {month} {year}")
    return digits(pattern.format(day=date.day, month=month, year=date.year), numerals)
