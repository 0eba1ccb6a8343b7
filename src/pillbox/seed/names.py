"""Who seeded parties are: people's names by language, and the names and trades of companies.

People mostly have names of their city's language; a share come from anywhere. First names are
split by the titles that go with them (Mr, or Mrs/Ms/Miss). Company names are built from a word
or a surname and a trade, with the legal form usual in the company's country. Email domains
use the reserved `.example` top-level domain, so no seeded address reaches a real mailbox.

Organisation names are unique within an account (the store enforces it), so a name already
taken gets the city, then a number; each organisation also gets an email domain of its own, and
each of its people a mailbox unique there.
"""

import random
import re
from functools import cache
from itertools import chain, count

from pillbox.seed.places import City
from pillbox.store.search import normalise


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(","))


# Per language: (female first names, male first names, last names).
NAMES = {
    "en": (
        _words(
            "Emma, Olivia, Amelia, Grace, Sophie, Chloe, Hannah, Lucy, Priya, Aisha, Fatima, "
            "Mei, Zoë, Niamh, Siobhan, Chiara, Rachel, Laura, Megan, Sarah, Jessica, Charlotte, "
            "Ruth, Ngozi"
        ),
        _words(
            "James, Oliver, Harry, Jack, George, Thomas, Daniel, Samuel, Raj, Mohammed, Omar, "
            "Wei, Chidi, Liam, Seán, Connor, David, Michael, Matthew, Andrew, Ben, Tom, Kwame, "
            "Arjun"
        ),
        _words(
            "Smith, Jones, Taylor, Brown, Williams, Wilson, Evans, Thomas, Roberts, Walker, "
            "Wright, Robinson, Thompson, White, Hughes, Edwards, Green, Hall, Wood, Harris, "
            "Clarke, Jackson, Turner, Hill, Patel, Khan, Shah, Ahmed, Singh, Chen, Nguyen, "
            "Okafor, Mensah, O'Brien, Murphy, Kelly, Byrne, Walsh, MacDonald, Campbell, "
            "Johnson, Miller, Davis, Garcia, Martinez, Anderson, Kowalski, Novak"
        ),
    ),
    "fr": (
        _words("Camille, Léa, Chloé, Manon, Inès, Juliette, Élodie, Claire"),
        _words("Lucas, Hugo, Louis, Théo, Antoine, Julien, Mathieu, Karim"),
        _words("Martin, Bernard, Dubois, Moreau, Lefèvre, Girard, Fontaine, Roux"),
    ),
    "de": (
        _words("Anna, Lena, Katharina, Julia, Sabine, Jana, Jülide, Monika"),
        _words("Lukas, Jonas, Felix, Maximilian, Stefan, Jürgen, Tobias, Deniz"),
        _words("Müller, Schmidt, Schneider, Fischer, Weber, Becker, Hoffmann, Koch"),
    ),
    "nl": (
        _words("Sanne, Lotte, Femke, Anouk, Eva, Fleur, Maaike, Iris"),
        _words("Daan, Sem, Bram, Jeroen, Thijs, Ruben, Pieter, Joost"),
        _words("de Jong, Jansen, de Vries, van Dijk, Bakker, Visser, Smit, Meijer"),
    ),
    "es": (
        _words("Lucía, María, Carmen, Paula, Sofía, Elena, Marta, Irene"),
        _words("Javier, Alejandro, Pablo, Sergio, Álvaro, Diego, Carlos, Manuel"),
        _words("García, Fernández, López, Martínez, Sánchez, Romero, Navarro, Ruiz"),
    ),
    "pt": (
        _words("Beatriz, Inês, Mariana, Joana, Catarina, Rita, Leonor, Sara"),
        _words("João, Tiago, Rui, Miguel, Gonçalo, Pedro, Duarte, Nuno"),
        _words("Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Rodrigues, Sousa"),
    ),
    "no": (
        _words("Ingrid, Kari, Sigrid, Nora, Solveig, Ane, Marit, Hege"),
        _words("Ola, Lars, Magnus, Håkon, Sindre, Eirik, Bjørn, Anders"),
        _words("Hansen, Johansen, Olsen, Larsen, Berg, Haugen, Dahl, Solberg"),
    ),
}
LANGUAGES = tuple(NAMES)
TITLES = {"female": _words("Ms, Mrs, Miss, Dr"), "male": _words("Mr, Dr")}

JOB_TITLES = _words(
    "Managing Director, Director, Founder, Owner, Office Manager, Operations Manager, "
    "Finance Director, Purchasing Manager, Buyer, Head of Marketing, Sales Manager, IT Manager, "
    "Project Manager, HR Manager, Accounts Assistant, Customer Success Lead, Facilities Manager, "
    "Chief Executive"
)

COMPANY_WORDS = _words(
    "Northwind, Bluebell, Harbour, Summit, Oakridge, Silverline, Redwood, Kestrel, Meridian, "
    "Beacon, Ironbridge, Copperfield, Lakeside, Brightwater, Evergreen, Foxglove, Granite, "
    "Highland, Juniper, Lighthouse, Maple, Orchard, Pinnacle, Quayside, Riverside, Saltire, "
    "Thistle, Union, Westgate, Yew Tree, Albion, Brook, Cedar, Dovetail, Emerald, Falcon"
)

# A company's trade: the word in its name and what its `about` says it does.
TRADES = (
    ("Logistics", "Freight forwarding, warehousing and same-day courier work."),
    ("Bakery", "Artisan bread and pastries for cafés, hotels and farm shops."),
    ("Architects", "Residential and commercial architecture, from planning to handover."),
    ("Dental Care", "A family dental practice with hygienists and orthodontics."),
    ("Engineering", "Precision machining and fabrication for manufacturers."),
    ("Software", "Bespoke business software and integrations."),
    ("Design", "Branding, packaging and web design for independent retailers."),
    ("Consulting", "Operations and finance consulting for growing businesses."),
    ("Print", "Digital and litho printing, signage and exhibition graphics."),
    ("Electrical", "Commercial electrical installation and maintenance."),
    ("Heating", "Plumbing, heating and boiler servicing for homes and offices."),
    ("Catering", "Event and corporate catering with seasonal menus."),
    ("Accountants", "Bookkeeping, payroll, VAT returns and year-end accounts."),
    ("Marketing", "Digital marketing, paid social and search campaigns."),
    ("Brewery", "A craft brewery supplying pubs, bottle shops and restaurants."),
    ("Hotels", "Boutique hotels with meeting rooms and event spaces."),
    ("Fitness", "Gyms and personal training, with corporate memberships."),
    ("Veterinary", "Small-animal veterinary clinics with out-of-hours care."),
    ("Recruitment", "Permanent and temporary recruitment for office roles."),
    ("Property", "Commercial property lettings and management."),
    ("Travel", "Business travel management and group bookings."),
    ("Joinery", "Bespoke kitchens, staircases and shopfitting."),
    ("Interiors", "Office interiors, furniture and fit-outs."),
    ("Packaging", "Sustainable packaging for food and e-commerce."),
    ("Security", "Alarm systems, CCTV and access control."),
    ("Cleaning", "Commercial cleaning and washroom services."),
    ("Motors", "Vehicle sales, servicing and fleet maintenance."),
    ("Opticians", "Eye tests, contact lenses and workplace eye care."),
)

LEGAL_FORMS = {
    "United Kingdom": _words("Ltd, Ltd, Ltd, LLP, plc"),
    "Ireland": _words("Ltd, Ltd, DAC"),
    "United States": _words("Inc., LLC, Co."),
    "Canada": _words("Inc., Ltd."),
    "Australia": _words("Pty Ltd"),
    "France": _words("SARL, SAS, SA"),
    "Germany": _words("GmbH, GmbH, KG, AG"),
    "Netherlands": _words("B.V."),
    "Spain": _words("S.L., S.A."),
    "Portugal": _words("Lda., S.A."),
    "Norway": _words("AS"),
}

# Where people without a company get their email.
MAIL_PROVIDERS = _words("inbox.example, post.example, mailbox.example, webmail.example")


def person_name(rng: random.Random, language: str) -> tuple[str, str, str]:
    """(first name, last name, title): mostly of the language given, sometimes of any; a title
    for about a third of people."""
    if rng.random() < 0.15:
        language = rng.choice(LANGUAGES)
    female, male, last = NAMES[language]
    gender = "female" if rng.random() < 0.5 else "male"
    first = rng.choice(female if gender == "female" else male)
    title = rng.choice(TITLES[gender]) if rng.random() < 0.3 else ""
    return first, rng.choice(last), title


def company_name(rng: random.Random, language: str) -> tuple[str, str]:
    """(a company's name without its legal form, what it does)."""
    trade, about = rng.choice(TRADES)
    surnames = NAMES[language][2]
    roll = rng.random()
    if roll < 0.45:
        return f"{rng.choice(COMPANY_WORDS)} {trade}", about
    if roll < 0.8:
        return f"{rng.choice(surnames)} {trade}", about
    first, second = rng.sample(surnames, 2)
    return f"{first} & {second} {trade}", about


def unique_company(
    rng: random.Random, city: City, taken: set[str], domains: set[str]
) -> tuple[str, str, str]:
    """(a company name not in `taken` (lower case), an email domain not in `domains`, what the
    company does); both are added to the sets."""
    core, about = company_name(rng, city.language)
    legal = rng.choice(LEGAL_FORMS[city.country])
    variants = chain((core, f"{core} {city.name}"), (f"{core} {n}" for n in count(2)))
    chosen = next(
        variant
        for variant in variants
        if f"{variant} {legal}".lower() not in taken and _domain(variant) not in domains
    )
    name, domain = f"{chosen} {legal}", _domain(chosen)
    taken.add(name.lower())
    domains.add(domain)
    return name, domain, about


def _domain(company: str) -> str:
    """The company's email domain: Smith & O'Brien Print -> smith-and-obrien-print.example."""
    folded = normalise(company.replace("&", "and").replace("'", ""))
    return "-".join(re.findall(r"[a-z0-9]+", folded)) + ".example"


@cache
def mailbox(name: str) -> str:
    """A name as an email's local part: Zoë -> zoe, de Jong -> dejong."""
    return "".join(re.findall(r"[a-z0-9]+", normalise(name.replace("'", ""))))


def work_mailbox(first: str, last: str, taken: set[str]) -> str:
    """first.last, else flast, else first.last2, …: one not in `taken`, then added to it."""
    first, last = mailbox(first), mailbox(last)
    numbered = (f"{first}.{last}{n}" for n in count(2))
    variants = chain((f"{first}.{last}", f"{first[0]}{last}"), numbered)
    chosen = next(variant for variant in variants if variant not in taken)
    taken.add(chosen)
    return chosen


def home_email(rng: random.Random, first: str, last: str) -> str:
    number = 10 + int(rng.random() * 90)
    return f"{mailbox(first)}.{mailbox(last)}{number}@{rng.choice(MAIL_PROVIDERS)}"
