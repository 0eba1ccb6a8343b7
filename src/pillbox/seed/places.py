"""Where seeded parties are: real cities with their country, postcodes, streets and phone numbers.

Each city carries what an address and a phone number there look like, so that a party's street,
postcode, country and dialling code agree with one another. Country names are spelled as the
reference list (`pillbox.reference`) spells them, as the API stores them.

Patterns: `#` is a digit, `@` a capital letter, anything else is itself. UK and US numbers come
from the ranges their regulators keep for fiction (01xx 496 0xxx, 07700 900xxx, 555-01xx), so
no seeded number rings a real line there.
"""

import random
from dataclasses import dataclass

from pillbox.seed.world import Weights


@dataclass(frozen=True)
class City:
    name: str
    state: str | None
    country: str
    language: str  # the names most people there have: a key of names.FIRST_NAMES
    postcodes: tuple[str, ...]
    phone: str  # a landline number in the city
    weight: int  # how many of the seeded parties are there, relatively


def _city(
    name: str,
    state: str | None,
    country: str,
    language: str,
    postcodes: str,
    phone: str,
    weight: int,
) -> City:
    return City(name, state, country, language, tuple(postcodes.split("|")), phone, weight)


UK, US, IE = "United Kingdom", "United States", "Ireland"
CITIES = (
    _city("London", None, UK, "en", "EC1@ #@@|W1@ #@@|N# #@@|SE1 #@@", "+44 20 7946 0###", 14),
    _city("Leeds", None, UK, "en", "LS1 #@@|LS# #@@|LS1# #@@", "+44 113 496 0###", 8),
    _city("Manchester", None, UK, "en", "M1 #@@|M# #@@|M1# #@@", "+44 161 496 0###", 7),
    _city("Bristol", None, UK, "en", "BS1 #@@|BS# #@@", "+44 117 496 0###", 5),
    _city("Birmingham", None, UK, "en", "B1 #@@|B# #@@|B1# #@@", "+44 121 496 0###", 5),
    _city("Glasgow", None, UK, "en", "G1 #@@|G# #@@", "+44 141 496 0###", 4),
    _city("Edinburgh", None, UK, "en", "EH1 #@@|EH# #@@", "+44 131 496 0###", 4),
    _city("Cardiff", None, UK, "en", "CF1# #@@", "+44 29 2018 0###", 3),
    _city("Dublin", None, IE, "en", "D0# @###|D1# @###", "+353 1 ### ####", 4),
    _city("Cork", None, IE, "en", "T12 @###|T23 @###", "+353 21 ### ####", 2),
    _city("Chicago", "Illinois", US, "en", "606##", "+1 312 555 01##", 5),
    _city("New York", "New York", US, "en", "100##|101##", "+1 212 555 01##", 6),
    _city("Austin", "Texas", US, "en", "787##", "+1 512 555 01##", 3),
    _city("Seattle", "Washington", US, "en", "981##", "+1 206 555 01##", 3),
    _city("Boston", "Massachusetts", US, "en", "021##", "+1 617 555 01##", 3),
    _city("Toronto", "Ontario", "Canada", "en", "M5@ #@#|M4@ #@#", "+1 416 555 01##", 3),
    _city("Vancouver", "British Columbia", "Canada", "en", "V6@ #@#", "+1 604 555 01##", 2),
    _city("Sydney", "New South Wales", "Australia", "en", "20##", "+61 2 #### ####", 3),
    _city("Melbourne", "Victoria", "Australia", "en", "30##", "+61 3 #### ####", 3),
    _city("Paris", None, "France", "fr", "7500#|7501#", "+33 1 ## ## ## ##", 4),
    _city("Lyon", None, "France", "fr", "6900#", "+33 4 ## ## ## ##", 2),
    _city("Berlin", None, "Germany", "de", "10###|12###", "+49 30 #######", 4),
    _city("Munich", "Bavaria", "Germany", "de", "80###|81###", "+49 89 #######", 3),
    _city("Hamburg", None, "Germany", "de", "20###|22###", "+49 40 #######", 2),
    _city("Amsterdam", None, "Netherlands", "nl", "10## @@", "+31 20 ### ####", 3),
    _city("Rotterdam", None, "Netherlands", "nl", "30## @@", "+31 10 ### ####", 2),
    _city("Madrid", None, "Spain", "es", "280##", "+34 91 ### ## ##", 3),
    _city("Barcelona", None, "Spain", "es", "080##", "+34 93 ### ## ##", 3),
    _city("Lisbon", None, "Portugal", "pt", "1###-###", "+351 21 ### ####", 2),
    _city("Porto", None, "Portugal", "pt", "4###-###", "+351 22 ### ####", 2),
    _city("Oslo", None, "Norway", "no", "0###", "+47 22 ## ## ##", 2),
    _city("Bergen", None, "Norway", "no", "50##", "+47 55 ## ## ##", 1),
)
CITY_WEIGHTS = Weights(tuple(city.weight for city in CITIES))

MOBILES = {
    UK: "+44 7700 900###",
    IE: "+353 87 ### ####",
    "Australia": "+61 4## ### ###",
    "France": "+33 6 ## ## ## ##",
    "Germany": "+49 15# ########",
    "Netherlands": "+31 6 ########",
    "Spain": "+34 6## ### ###",
    "Portugal": "+351 91# ### ###",
    "Norway": "+47 4## ## ###",
}

# Street names by language, and where the house number goes ({n}).
STREETS = {
    "en": (
        "{n} High Street",
        "{n} Station Road",
        "{n} Church Street",
        "{n} Mill Lane",
        "{n} Victoria Road",
        "{n} Market Street",
        "{n} Main Street",
        "{n} Park Avenue",
        "{n} King Street",
        "{n} Queen Street",
        "Unit {n}, Riverside Business Park",
        "{n} Oak Avenue",
        "Suite {n}, Harbour House",
    ),
    "fr": ("{n} rue de la République", "{n} avenue Jean Jaurès", "{n} rue Victor Hugo"),
    "de": ("Hauptstraße {n}", "Bahnhofstraße {n}", "Schillerstraße {n}", "Gartenweg {n}"),
    "nl": ("Keizersgracht {n}", "Stationsplein {n}", "Dorpsstraat {n}", "Kerkstraat {n}"),
    "es": ("Calle Mayor {n}", "Avenida de la Paz {n}", "Calle del Sol {n}"),
    "pt": ("Rua Augusta {n}", "Avenida da Liberdade {n}", "Rua das Flores {n}"),
    "no": ("Storgata {n}", "Kirkeveien {n}", "Strandgaten {n}"),
}


def fill(rng: random.Random, pattern: str) -> str:
    """The pattern with each `#` a random digit and each `@` a random capital letter."""
    out = []
    for char in pattern:
        if char == "#":
            out.append("0123456789"[int(rng.random() * 10)])
        elif char == "@":
            out.append("ABDEFGHJLNPQRSTUWXYZ"[int(rng.random() * 20)])
        else:
            out.append(char)
    return "".join(out)


def pick_city(rng: random.Random) -> City:
    return CITIES[CITY_WEIGHTS.draw(rng)]


def street(rng: random.Random, city: City) -> str:
    template = rng.choice(STREETS[city.language])
    return template.format(n=1 + int(rng.random() ** 2 * 180))


def postcode(rng: random.Random, city: City) -> str:
    return fill(rng, rng.choice(city.postcodes))


def landline(rng: random.Random, city: City) -> str:
    return fill(rng, city.phone)


def mobile(rng: random.Random, city: City) -> str:
    """A mobile number of the city's country (in North America, one of the city's own codes)."""
    return fill(rng, MOBILES.get(city.country, city.phone))
