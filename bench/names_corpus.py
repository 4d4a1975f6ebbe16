"""Article text full of long names, transliterations, hyphenated compounds and figures.

The kind of text that strains justification in narrow columns: reports of meetings and
appeals where personal names (many transliterated, some double-barrelled), place names,
organisations with "-e-" compounds, acronyms, spelled-out numbers ("sixty-two") and
figures crowd the lines. Everything here is invented for the bench (seeded sentence
templates and made-up names), never copied prose.
"""

from __future__ import annotations

import random

GIVEN = ["Ebrahim", "Farahnaz", "Gholamreza", "Shahrzad", "Mohammadali", "Roxana",
         "Abdolkarim", "Nasrin", "Khosrow", "Parvaneh", "Esmaeil", "Tahmineh", "Bahram",
         "Zohreh", "Alireza", "Fereshteh", "Hooshang", "Maryam", "Kourosh", "Soheila"]
FAMILY = ["Khodabandeh", "Farahmandpour", "Shahrokhabadi", "Mohammadzadeh-Tabrizi",
          "Ghaffarinejad", "Esfandiari", "Hosseinkhani", "Zarrinkoub", "Rostamkhani",
          "Najafabadi", "Sadeghi-Rouhani", "Kermanshahi", "Amirsoleimani", "Behbahani",
          "Gholamhosseini", "Vaziri-Hamadani", "Tabatabaei", "Jahanbakhsh", "Dowlatshahi",
          "Pourmohammadi"]
TITLES = ["Mr.", "Mrs.", "Dr.", "Ms.", "Professor", "Engineer"]
PLACES = ["Iranshahr", "Sistan", "Bijar", "Kermanshah", "Khorramabad", "Bandar-e-Anzali",
          "Shahr-e-Kord", "Qasr-e-Shirin", "Torbat-e-Heydarieh", "Masjed-e-Soleyman",
          "Zahedan", "Saqqez", "Chabahar", "Mahabad", "Dezful", "Gonbad-e-Kavus"]
GROUPS = ["Anjoman-e-Farhangi", "Kanoon-e-Nevisandegan", "Bonyad-e-Khayrieh",
          "Sazman-e-Daneshjouyan", "Jameh-e-Pezeshkan", "Khaneh-e-Honarmandan"]
ACRONYMS = ["ASILA", "UNHCR", "OSCE", "ICRC", "UNESCO", "IFRC"]
ROLES = ["the respected CEO of", "a founding member of", "the treasurer of",
         "a spokesperson for", "the regional coordinator of", "a volunteer lawyer with"]
BODIES = ["the Government's Information Council", "the Provincial Heritage Office",
          "the International Federation of Translators", "the Civil Aviation Directorate",
          "the Independent Electoral Commission", "the Refugee Resettlement Board"]
NUMBERS = ["sixty-two", "twenty-seven", "forty-eight", "ninety-one", "thirty-five",
           "seventy-three", "eighty-four", "fifty-nine"]
THINGS = ["families", "students", "interpreters", "volunteers", "households",
          "teachers", "former detainees", "craftspeople"]
DEEDS = ["appealed for", "collected signatures for", "raised money for",
         "organised lessons for", "translated documents for", "found housing for"]
QUOTES = ["We would like to appreciate everyone who stood beside us",
          "Nobody here expected the answer to take eleven months",
          "Our neighbours carried boxes up four flights of stairs",
          "The letters were finally stamped, signed and returned",
          "Every one of those forms had to be filled in twice",
          "It was the first time in years that the whole street met"]


class NamesProse:
    """A seeded grammar of report sentences crowded with names and figures."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, seq):
        return self.rng.choice(seq)

    def person(self, title: bool = True) -> str:
        name = f"{self.pick(GIVEN)} {self.pick(FAMILY)}"
        return f"{self.pick(TITLES)} {name}" if title and self.rng.random() < 0.5 else name

    def figure(self) -> str:
        r = self.rng.randrange(5)
        if r == 0:
            return f"{self.rng.randint(1000, 98000):,}"
        if r == 1:
            return f"{self.rng.randint(2, 19)}.{self.rng.randint(1, 9)} million"
        if r == 2:
            return f"{self.rng.randint(3, 96)} per cent"
        if r == 3:
            return self.pick(NUMBERS)
        return str(self.rng.randint(1979, 2026))

    def sentence(self) -> str:
        r = self.rng.randrange(9)
        p = self.person()
        if r == 0:
            return (f"{self.pick(THINGS).capitalize()}, especially {p}, {self.pick(DEEDS)} "
                    f"{self.figure()} people from {self.pick(PLACES)}.")
        if r == 1:
            return (f"{p}, {self.pick(ROLES)} {self.pick(GROUPS)}, told the meeting in "
                    f"{self.pick(PLACES)}: “{self.pick(QUOTES)}.”")
        if r == 2:
            return (f"{self.pick(ACRONYMS)} would like to appreciate {self.person(False)} "
                    f"and {self.person(False)} for {self.figure()} hours of work.")
        if r == 3:
            return (f"According to {self.pick(BODIES)}, {self.figure()} {self.pick(THINGS)} "
                    f"left {self.pick(PLACES)} for {self.pick(PLACES)} in {self.figure()}.")
        if r == 4:
            return (f"“{self.pick(QUOTES)},” said {p}, whose family is from "
                    f"{self.pick(PLACES)}, {self.pick(PLACES)} and {self.pick(PLACES)}.")
        if r == 5:
            return (f"The {self.pick(NUMBERS)} members of {self.pick(GROUPS)} met "
                    f"{self.person(False)} in {self.pick(PLACES)} on "
                    f"{self.rng.randint(1, 28)} {self.pick(['March', 'April', 'May'])}.")
        if r == 6:
            return (f"{p} and {self.person()} wrote to {self.pick(BODIES)} about "
                    f"{self.figure()} unanswered letters.")
        if r == 7:
            return (f"In {self.pick(PLACES)}, {self.pick(ACRONYMS)} counted {self.figure()} "
                    f"{self.pick(THINGS)} and {self.figure()} {self.pick(THINGS)}.")
        return (f"Bijar is where {p} grew up, {self.pick(NUMBERS)} kilometres from "
                f"{self.pick(PLACES)}.")

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))
