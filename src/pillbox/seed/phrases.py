"""What seeded records say: products sold, the account's vocabulary, notes and tasks.

Everything an account needs before records can refer to it (users, tags, the renewals pipeline,
lost reasons, task categories) is named here, so that seeding an account twice finds the same
names and reuses them instead of adding copies.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    name: str  # the opportunity's name
    low: int  # value range, in whole units of the account's currency
    high: int
    project: str  # the project that delivers it once won


PRODUCTS = (
    Product("Website redesign", 3_000, 25_000, "Website build"),
    Product("CRM rollout", 5_000, 40_000, "CRM implementation"),
    Product("Office fit-out", 10_000, 120_000, "Office fit-out"),
    Product("Staff training", 1_500, 6_000, "Training days"),
    Product("Consulting retainer", 6_000, 48_000, "Consulting engagement"),
    Product("Laptop refresh", 4_000, 60_000, "Hardware rollout"),
    Product("Security audit", 2_500, 15_000, "Security audit"),
    Product("Brand refresh", 5_000, 30_000, "Brand refresh"),
    Product("Cloud migration", 8_000, 90_000, "Cloud migration"),
    Product("Packaging order", 800, 12_000, "Order fulfilment"),
    Product("Event catering", 1_200, 18_000, "Event delivery"),
    Product("Year-end accounts", 1_500, 9_000, "Year-end accounts"),
    Product("Marketing campaign", 3_000, 35_000, "Campaign delivery"),
    Product("Equipment lease", 5_000, 70_000, "Equipment installation"),
)
# A customer's yearly renewal of what it bought: (name, share of the first sale's value).
RENEWAL = ("Annual support renewal", 0.2)

# (name, description, probability, complete, days until stale), as the store creates milestones.
RENEWALS_PIPELINE = "Renewals"
RENEWALS_MILESTONES = (
    ("Upcoming", "The renewal falls due within three months", 40, False, 30),
    ("Quoted", "The renewal quote is with the customer", 75, False, 14),
    ("Renewed", None, 100, True, None),
    ("Lapsed", None, 0, True, None),
)
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr")
LOST_REASONS = ("Price too high", "Chose a competitor", "No budget this year", "Went quiet")

PARTY_TAGS = ("Customer", "Prospect", "Supplier", "Partner", "VIP", "Newsletter", "Event lead")
OPPORTUNITY_TAGS = ("Referral", "Upsell", "Tender", "Urgent")
KASE_TAGS = ("Fixed price", "Retainer", "Priority")

# (name, colour) of the task categories, and task descriptions in each.
CATEGORIES = (
    ("Call", "#2e86c1"),
    ("Email", "#8e44ad"),
    ("Meeting", "#d35400"),
    ("Follow-up", "#27ae60"),
    ("Billing", "#c0392b"),
)
TASKS = {
    "Call": ("Call {first} back about the {product}", "Check in with {first} by phone"),
    "Email": ("Email {first} the {product} proposal", "Send {first} our case studies"),
    "Meeting": ("Meet {first} in {city}", "Demo the {product} to {company}"),
    "Follow-up": ("Follow up on the {product} quote", "Chase {company} for a decision"),
    "Billing": ("Invoice {company} for the {product}", "Check {company} has paid"),
}
PROJECT_TASKS = ("Kick-off call: {project}", "Status report: {project}", "Sign-off: {project}")

# Entries by activity type (built-in ids: -1 note, -2 meeting, -3 call).
NOTES = {
    -1: (
        "{first} asked for references from customers like {company}.",
        "Sent the updated quote for the {product}.",
        "Met {first} at a trade event in {city}; interested in the {product}.",
        "{company} are reviewing suppliers in the spring.",
        "Added {first} to the newsletter list at their request.",
    ),
    -2: (
        "Met {first} at their {city} office and walked through {product} options.",
        "Lunch with {first}: budgets are tight this quarter, but the {product} is a priority.",
        "Workshop with the {company} team to scope the {product}.",
    ),
    -3: (
        "Called {first} about the {product}; they will decide within a fortnight.",
        "{first} rang with questions about pricing and lead times.",
        "Left a voicemail for {first} about the {product}.",
        "Quick call with {first}: happy with progress so far.",
    ),
}
NOTE_TYPES = tuple(NOTES)


@dataclass(frozen=True)
class UserSpec:
    first_name: str
    last_name: str
    admin: bool

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def email(self, domain: str) -> str:
        return f"{self.first_name.lower()}@{domain}"


# The account's users: its administrator first; all of them own records.
USERS = (
    UserSpec("Alex", "Morgan", True),
    UserSpec("Priya", "Shah", False),
    UserSpec("Tom", "Becker", False),
    UserSpec("Sofia", "Rossi", False),
    UserSpec("Kwame", "Mensah", False),
)
