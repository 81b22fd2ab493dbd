"""Foods by what a diet rules out: a new diet retires the `likes` it contradicts (vegan: sushi, cheese)."""

from __future__ import annotations

#: Foods that are meat.
MEAT = frozenset(
    {
        "meat",
        "steak",
        "beef",
        "pork",
        "bacon",
        "ham",
        "chicken",
        "turkey",
        "lamb",
        "burger",
        "burgers",
        "sausage",
        "sausages",
        "barbecue",
        "bbq",
        "ribs",
        "wings",
        "salami",
        "pepperoni",
        "hot dogs",
        "kebab",
    }
)
#: Foods that are fish or seafood.
FISH = frozenset(
    {
        "fish",
        "sushi",
        "sashimi",
        "salmon",
        "tuna",
        "shrimp",
        "prawns",
        "seafood",
        "oysters",
        "crab",
        "lobster",
        "calamari",
        "anchovies",
        "sardines",
    }
)
#: Foods from animals that are neither meat nor fish.
ANIMAL_PRODUCTS = frozenset(
    {"cheese", "milk", "butter", "eggs", "egg", "yogurt", "ice cream", "honey", "cream", "omelette"}
)
