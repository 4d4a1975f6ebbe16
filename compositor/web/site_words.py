"""The words the archive's pages add around an issue's own text (links, labels, the
details line), in the issue's language. The PDF's words are in compositor/load/locale.py;
these are the web's. A language without its own table reads the English one."""

from __future__ import annotations

from dataclasses import dataclass

from compositor.load.locale import base_language, digits

# Languages written in the Arabic script: their pages get the Vazirmatn web font.
ARABIC_SCRIPT = {"fa", "ar", "ur", "ps", "ckb", "sd", "ug"}


@dataclass(frozen=True)
class SiteWords:
    all_issues: str = "All issues"
    site_title: str = "{name}: all issues"
    site_description: str = "Every issue of {name} as a PDF, newest first."
    intro_one: str = "1 issue, newest first, each as a PDF to read on screen or print."
    intro: str = "{n} issues, newest first, each as a PDF to read on screen or print."
    skip_issues: str = "Skip to the issues"
    skip_contents: str = "Skip to the contents"
    skip_article: str = "Skip to the article"
    archive: str = "Archive"                       # the breadcrumb trail's name
    in_issue: str = "In this issue"                # the previous/next links' name
    contents: str = "Inside this issue"
    inside: str = "Inside: {titles}."
    page: str = "page {page}"
    of_pdf: str = " of the PDF"
    pages_one: str = "1 page"
    pages: str = "{n} pages"
    download: str = "Download the PDF"
    download_of: str = " of {date}"
    kb: str = "{n} KB"
    mb: str = "{n} MB"
    decimal: str = "."
    front_page: str = "Front page of {title}"
    opens_pdf: str = " (opens the PDF)"
    previous: str = "Previous"
    next: str = "Next"
    read_on_page: str = "Read it on page {page} of the PDF"
    read_pdf: str = "Read the issue as a PDF"
    first_published: str = "First published online"
    subscribe: str = "Subscribe to new issues (Atom feed)"
    feed_title: str = "{name}: new issues"
    comma: str = ", "
    sep: str = " · "       # between the parts of a details line
    colon: str = ": "


_WORDS = {
    "fa": SiteWords(
        all_issues="همهٔ شماره‌ها", site_title="{name}: همهٔ شماره‌ها",
        site_description="همهٔ شماره‌های {name} به صورت PDF، از تازه‌ترین.",
        intro_one="۱ شماره، به صورت PDF برای خواندن روی صفحه یا چاپ.",
        intro="{n} شماره، از تازه‌ترین، هر یک به صورت PDF برای خواندن روی صفحه یا چاپ.",
        skip_issues="رفتن به شماره‌ها", skip_contents="رفتن به فهرست مطالب",
        skip_article="رفتن به متن مطلب", archive="بایگانی", in_issue="در این شماره",
        contents="در این شماره", inside="در این شماره: {titles}.", page="صفحهٔ {page}",
        of_pdf=" در فایل PDF", pages_one="۱ صفحه", pages="{n} صفحه",
        download="دریافت فایل PDF", download_of=" {date}", kb="{n} کیلوبایت",
        mb="{n} مگابایت", decimal="٫", front_page="صفحهٔ نخست {title}",
        opens_pdf=" (فایل PDF را باز می‌کند)", previous="مطلب قبلی", next="مطلب بعدی",
        read_on_page="خواندن در صفحهٔ {page} فایل PDF",
        read_pdf="خواندن این شماره به صورت PDF", first_published="نخستین انتشار در وب",
        subscribe="اشتراک شماره‌های تازه (خوراک Atom)", feed_title="{name}: شماره‌های تازه",
        comma="، ", sep=" – ", colon=": "),
    "ar": SiteWords(
        all_issues="كل الأعداد", site_title="{name}: كل الأعداد",
        site_description="كل أعداد {name} بصيغة PDF، الأحدث أولًا.",
        intro_one="عدد واحد بصيغة PDF للقراءة على الشاشة أو للطباعة.",
        intro="عدد الأعداد: {n}، الأحدث أولًا، كل عدد بصيغة PDF للقراءة على الشاشة أو "
              "للطباعة.",
        skip_issues="انتقل إلى الأعداد", skip_contents="انتقل إلى المحتويات",
        skip_article="انتقل إلى المقال", archive="الأرشيف", in_issue="في هذا العدد",
        contents="في هذا العدد", inside="في هذا العدد: {titles}.", page="الصفحة {page}",
        of_pdf=" من ملف PDF", pages_one="صفحة واحدة", pages="عدد الصفحات: {n}",
        download="تنزيل ملف PDF", download_of=" {date}", kb="{n} كيلوبايت",
        mb="{n} ميغابايت", decimal="٫", front_page="الصفحة الأولى من {title}",
        opens_pdf=" (يفتح ملف PDF)", previous="المقال السابق", next="المقال التالي",
        read_on_page="اقرأه في الصفحة {page} من ملف PDF", read_pdf="اقرأ العدد بصيغة PDF",
        first_published="نُشر أولًا على الإنترنت",
        subscribe="اشترك في الأعداد الجديدة (موجز Atom)", feed_title="{name}: الأعداد الجديدة",
        comma="، ", sep=" – ", colon=": "),
}


def site_words(language: str) -> SiteWords:
    return _WORDS.get(base_language(language), SiteWords())


def arabic_script(language: str) -> bool:
    return base_language(language) in ARABIC_SCRIPT


def size_text(n: int, words: SiteWords, numerals: str = "latin") -> str:
    """A file size as the page's language writes it: '1.2 MB', '۱٫۲ مگابایت'."""
    if n >= 1024 * 1024:
        text = words.mb.format(n=f"{n / 1024 / 1024:.1f}".replace(".", words.decimal))
    else:
        text = words.kb.format(n=max(1, round(n / 1024)))
    return digits(text, numerals)


def count_text(n: int, one: str, many: str, numerals: str = "latin") -> str:
    return digits(one if n == 1 else many.format(n=n), numerals)
