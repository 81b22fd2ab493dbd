"""Words for the people, pets, jobs, diets and relationship statuses in a person's life: the vocabulary of
extraction, which significance and the keyword search's kinds share, so that what extraction reads as a
relation the rest of the service reads the same way."""

from __future__ import annotations

#: Words for the people close to someone, and the relation each names (`sibling`, `parent`...).
FAMILY: dict[str, str] = {
    "sister": "sibling",
    "brother": "sibling",
    "sibling": "sibling",
    "mom": "parent",
    "mother": "parent",
    "dad": "parent",
    "father": "parent",
    "son": "child",
    "daughter": "child",
    "kid": "child",
    "wife": "partner",
    "husband": "partner",
    "partner": "partner",
    "boyfriend": "partner",
    "girlfriend": "partner",
    "fiance": "partner",
    "fiancé": "partner",
    "fiancee": "partner",
    "hubby": "partner",
    "spouse": "partner",
    "twin": "sibling",
    "stepson": "child",
    "stepdaughter": "child",
    "child": "child",
    "baby": "child",
    "toddler": "child",
    "mum": "parent",
    "mommy": "parent",
    "daddy": "parent",
    "parent": "parent",
    "stepmom": "parent",
    "stepdad": "parent",
    "grandparent": "grandparent",
    "granny": "grandparent",
    "grandson": "grandchild",
    "granddaughter": "grandchild",
    "grandchild": "grandchild",
    "grandkid": "grandchild",
    "friend": "friend",
    "best friend": "friend",
    "roommate": "friend",
    "boss": "colleague",
    "coworker": "colleague",
    "colleague": "colleague",
    "grandma": "grandparent",
    "grandpa": "grandparent",
    "grandmother": "grandparent",
    "grandfather": "grandparent",
    "aunt": "relative",
    "uncle": "relative",
    "cousin": "relative",
    "niece": "relative",
    "nephew": "relative",
}
#: Relations everyone has, which say something only when named ("my mom Linda", not "my mom").
NAMED_ONLY: frozenset[str] = frozenset({"parent", "grandparent"})
#: Words for pets, and the breeds people name their pets by ("my terrier", "a pug").
PETS: frozenset[str] = frozenset(
    {
        *("dog", "cat", "puppy", "kitten", "kitty", "hamster", "rabbit", "bunny", "parrot", "bird", "budgie"),
        *("fish", "goldfish", "horse", "pony", "turtle", "tortoise", "snake", "lizard", "gecko", "iguana"),
        *("guinea pig", "ferret", "pup", "rat", "gerbil", "chinchilla", "hedgehog", "chicken"),
        *("terrier", "retriever", "labrador", "lab", "poodle", "beagle", "husky", "pug", "chihuahua", "bulldog"),
        *("collie", "dachshund", "corgi", "spaniel", "shepherd", "rottweiler", "boxer", "greyhound", "pitbull"),
        *("doberman", "schnauzer", "maltese", "shih tzu", "siamese", "tabby", "persian", "cow", "goat", "pig"),
        *("sheep", "duck", "rooster", "hen", "hens", "frog", "tarantula", "axolotl", "alpaca", "llama", "donkey"),
    }
)
#: Occupations a person names as theirs ("I'm a nurse", "I work as a cashier"): head nouns, so that a
#: title ending in one ("factory worker", "sales clerk") is one too.
JOBS: frozenset[str] = frozenset(
    {
        *("accountant", "actor", "actress", "actuary", "administrator", "agent", "analyst", "animator", "architect"),
        *("archivist", "artist", "assistant", "astronaut", "astronomer", "attorney", "auditor", "author", "baker"),
        *("banker", "barber", "barista", "bartender", "biologist", "blogger", "bookkeeper", "bricklayer", "broker"),
        *("builder", "butcher", "buyer", "captain", "caregiver", "carpenter", "cashier", "caterer", "chef", "chemist"),
        *("cleaner", "clerk", "coach", "coder", "comedian", "composer", "consultant", "contractor", "cook"),
        *("coordinator", "cop", "counselor", "counsellor", "courier", "curator", "dancer", "dentist", "designer"),
        *("detective", "dev", "developer", "dietitian", "director", "dispatcher", "doctor", "economist"),
        *("bus driver", "truck driver", "taxi driver", "delivery driver", "uber driver", "school bus driver"),
        *("editor", "educator", "electrician", "engineer", "entrepreneur", "farmer", "firefighter", "fisherman"),
        *("florist", "freelancer", "gardener", "geologist", "guard", "hairdresser", "hairstylist", "housekeeper"),
        *("illustrator", "inspector", "instructor", "intern", "interpreter", "janitor", "jeweler", "journalist"),
        *("judge", "landscaper", "lawyer", "lecturer", "librarian", "lifeguard", "lineman", "machinist", "maid"),
        *("manager", "marketer", "mathematician", "mechanic", "medic", "midwife", "miner", "model", "musician"),
        *("nanny", "nurse", "nutritionist", "officer", "optometrist", "painter", "paralegal", "paramedic"),
        *("pharmacist", "photographer", "physician", "physicist", "physiotherapist", "pianist", "pilot", "plumber"),
        *("policeman", "policewoman", "politician", "postman", "priest", "principal", "producer", "professor"),
        *("programmer", "psychiatrist", "psychologist", "publisher", "rancher", "realtor", "receptionist"),
        *("reporter", "researcher", "salesman", "saleswoman", "salesperson", "scientist", "secretary", "server"),
        *("singer", "soldier", "sommelier", "specialist", "statistician", "steward", "stewardess", "stylist"),
        *("superintendent", "supervisor", "surgeon", "surveyor", "tailor", "teacher", "tech", "technician"),
        *("technologist", "therapist", "trader", "trainer", "translator", "trucker", "tutor", "veterinarian"),
        *("vet", "waiter", "waitress", "walker", "web developer", "welder", "worker", "writer", "youtuber"),
    }
)
#: What someone is "in" or "works in" when it names their line of work ("I'm in the army", "I work in
#: real estate"), rather than a place.
LINES_OF_WORK: frozenset[str] = frozenset(
    {
        *("army", "navy", "air force", "marines", "military", "police", "fire department", "coast guard"),
        *("retail", "sales", "marketing", "advertising", "real estate", "finance", "banking", "insurance"),
        *("it", "tech", "software", "construction", "healthcare", "health care", "nursing", "education"),
        *("hospitality", "accounting", "law", "medicine", "journalism", "publishing", "logistics", "government"),
        *("customer service", "human resources", "hr", "consulting", "engineering", "manufacturing", "research"),
    }
)
#: States of work that answer "what do you do?" as a job does.
WORK_STATES: frozenset[str] = frozenset({"retired", "unemployed", "self-employed", "jobless"})
#: Diets a person keeps ("I am vegan", "I only eat kosher food").
DIETS: frozenset[str] = frozenset(
    {"vegan", "vegetarian", "pescatarian", "keto", "paleo", "gluten-free", "dairy-free", "halal", "kosher", "organic"}
)
#: Relationship statuses, and the nouns that name one ("a widow").
STATUSES: dict[str, str] = {
    **{status: status for status in ("married", "single", "engaged", "divorced", "widowed", "separated")},
    "widow": "widowed",
    "widower": "widowed",
    "newlywed": "married",
}
#: Languages a person speaks or learns ("I speak Tagalog").
LANGUAGES: frozenset[str] = frozenset(
    {
        *("english", "spanish", "french", "german", "italian", "portuguese", "dutch", "swedish", "norwegian"),
        *("danish", "finnish", "polish", "czech", "russian", "ukrainian", "greek", "turkish", "arabic", "hebrew"),
        *("persian", "farsi", "hindi", "urdu", "bengali", "punjabi", "tamil", "telugu", "chinese", "mandarin"),
        *("cantonese", "japanese", "korean", "vietnamese", "thai", "tagalog", "filipino", "indonesian", "malay"),
        *("swahili", "latin", "romanian", "hungarian", "irish", "welsh", "sign language", "asl", "catalan"),
    }
)
#: Places of study ("I'm in high school", "I go to college").
SCHOOLS: frozenset[str] = frozenset(
    {"school", "high school", "college", "university", "uni", "grad school", "law school", "med school", "academy"}
)
