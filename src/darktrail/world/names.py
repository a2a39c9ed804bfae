"""Word lists for names in the synthetic world, and the provider that draws from them.

Provenance: every list below was written for darktrail. Market and shop names are invented
compounds of ordinary English/Kazakh/Russian words (steppe plants, landscape, weather) and
are not taken from any real market; vendor handles are adjective+animal combinations with
digits. People appear only as common given names with an initial, never a full name. Domains
are reserved ones only (RFC 2606/6761: ``example.*``, ``.invalid``), so no e-mail address or
clearnet domain can reach a real person or site.
"""

from __future__ import annotations

import random

__all__ = [
    "GIVEN_NAMES",
    "HANDLE_ADJECTIVES",
    "HANDLE_NOUNS",
    "MAIL_DOMAINS",
    "MARKET_WORDS",
    "SHOP_WORDS",
    "NameProvider",
]

# Invented market names: one word from steppe landscape and plants (all generic words).
MARKET_WORDS: tuple[str, ...] = (
    "Barkhan", "Saxaul", "Tamarisk", "Selenite", "Kestrel", "Juniper", "Burkut", "Karagash",
    "Tumar", "Shanyrak", "Zhusan", "Kovyl", "Sandstorm", "Northwind", "Moonwell", "Saryk",
)  # fmt: skip
MARKET_SUFFIXES: tuple[str, ...] = ("Market", "Bazaar", "Row", "Yard", "Exchange")

# Invented shop words: neutral shop-sounding words.
SHOP_WORDS: tuple[str, ...] = (
    "Aurora", "Magnit", "Kometa", "Polaris", "Vega", "Oasis", "Mirage", "Zenit", "Orbita",
    "Kristall", "Lotos", "Raduga", "Sputnik", "Meteor", "Breeze", "Glacier",
)  # fmt: skip

HANDLE_ADJECTIVES: tuple[str, ...] = (
    "green", "silent", "white", "swift", "night", "snow", "grey", "lucky", "golden", "iron",
    "wild", "lazy", "frost", "amber", "crystal", "steppe", "shadow", "polar", "red", "blue",
)  # fmt: skip
HANDLE_NOUNS: tuple[str, ...] = (
    "fox", "lynx", "eagle", "wolf", "owl", "falcon", "saiga", "marmot", "jackal", "badger",
    "raven", "camel", "tiger", "hawk", "bear", "ferret", "gecko", "yak", "heron", "manul",
)  # fmt: skip

# Common given names of the region (first names only, always used with an invented initial).
GIVEN_NAMES: tuple[str, ...] = (
    "Aidos", "Aigerim", "Arman", "Asel", "Bekzat", "Dana", "Daniyar", "Dilnoza", "Erlan",
    "Gulnara", "Ilyas", "Kamila", "Madina", "Nurlan", "Ruslan", "Saule", "Timur", "Zarina",
    "Rustam", "Farrukh", "Nigora", "Azamat", "Aibek", "Jamshid",
)  # fmt: skip
INITIALS = "ABDEGKMNORSTZ"

# Reserved domains only (RFC 2606 / RFC 6761).
MAIL_DOMAINS: tuple[str, ...] = (
    "mail.example", "securemail.invalid", "example.org", "example.net", "anonbox.invalid",
)  # fmt: skip


class NameProvider:
    """Draw unique names from the lists with one injected random generator.

    Examples
    --------
    >>> names = NameProvider(random.Random(1))
    >>> len({names.handle() for _ in range(30)})
    30
    >>> names.email("greenfox77").split("@")[1] in MAIL_DOMAINS
    True
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._used: set[str] = set()

    def _unique(self, make) -> str:
        for _ in range(1000):
            value = make()
            if value not in self._used:
                self._used.add(value)
                return value
        raise ValueError("ran out of unique names; enlarge the word lists")

    def market(self) -> str:
        """A market name such as ``"Saxaul Bazaar"``."""
        rng = self.rng
        word = self._unique(lambda: f"market:{rng.choice(MARKET_WORDS)}").split(":")[1]
        return self._unique(lambda: f"{word} {rng.choice(MARKET_SUFFIXES)}")

    def shop(self) -> str:
        """A shop name such as ``"Kometa Shop"``."""
        rng = self.rng
        kind = ("Shop", "Store", "Lab", "Club", "Delivery")
        return self._unique(lambda: f"{rng.choice(SHOP_WORDS)} {rng.choice(kind)}")

    def handle(self) -> str:
        """A vendor or forum handle such as ``"frostlynx77"``."""
        rng = self.rng
        return self._unique(
            lambda: (
                rng.choice(HANDLE_ADJECTIVES)
                + rng.choice(HANDLE_NOUNS)
                + (str(rng.randrange(10, 100)) if rng.random() < 0.6 else "")
            )
        )

    def handle_variant(self, handle: str) -> str:
        """The same brand, lightly disguised: ``"frostlynx77"`` -> ``"Frost_lynx77"``, ``"frostlynx78"``...

        Vendors reuse their name across markets so buyers find them; investigators link the
        accounts by normalising handles (case, separators, trailing digits).
        """
        rng = self.rng
        stem = handle.rstrip("0123456789")
        digits = handle[len(stem) :]
        styles = (
            lambda: stem.capitalize() + digits,
            lambda: f"{stem}_{digits}" if digits else f"{stem}_kz",
            lambda: stem + (str(int(digits) + 1) if digits else str(rng.randrange(2, 10))),
            lambda: stem if digits else stem + str(rng.randrange(10, 100)),
            lambda: f"{stem}.shop",
            lambda: f"the{stem}",
        )
        return self._unique(lambda: rng.choice(styles)())

    def person(self) -> str:
        """A person as a given name and an initial, such as ``"Timur K."``."""
        rng = self.rng
        return self._unique(lambda: f"{rng.choice(GIVEN_NAMES)} {rng.choice(INITIALS)}.")

    def email(self, local: str) -> str:
        """An e-mail address at a reserved domain."""
        return f"{local}@{self.rng.choice(MAIL_DOMAINS)}"

    @staticmethod
    def slug(name: str) -> str:
        """The lower-case file-name form of a name (``"Saxaul Bazaar"`` -> ``"saxaul-bazaar"``)."""
        return "-".join(name.lower().split())
