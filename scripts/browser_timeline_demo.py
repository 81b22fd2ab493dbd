# Loads the "Alice" demo conversation used for docs/browser-timeline.png.
# Run: PYTHONPATH=. .venv/bin/python scripts/browser_timeline_demo.py
from datetime import datetime

from app.container import build_container
from app.settings import get_settings
from app.write.ingest import IncomingMessage

c = build_container(get_settings())
u = "demo-alice"
c.users.store.delete(u)
c.users.upsert_companion("lucy", "Lucy", "A warm, curious friend who loves books.")
msgs = [
    ("2025-01-10T19:00", "My name is Alice and I live in Seattle."),
    ("2025-01-10T19:02", "My dog Buster loves the beach."),
    ("2025-01-10T19:05", "My sister Anna is visiting on Saturday."),
    ("2025-02-02T20:00", "I love sushi and hiking."),
    ("2025-03-15T18:30", "I just moved to Tokyo for a new job!"),
    ("2025-03-15T18:33", "I work at Sony as a designer."),
    ("2025-04-01T21:00", "Buster hates the summer heat in Tokyo"),
    ("2025-05-20T09:00", "I'm vegan now."),
    ("2025-06-11T22:10", "Actually, call me Ally."),
]
out = c.ingest.ingest(
    [
        IncomingMessage(u, "lucy", "c1" if i < 4 else "c2", "user", t, f"m{i}", datetime.fromisoformat(d + ":00+00:00"))
        for i, (d, t) in enumerate(msgs)
    ]
)
for o in out:
    print(
        o.status,
        [f.predicate + ":" + f.value + ":" + f.status for f in o.facts],
        [q.question for q in o.clarifications],
    )
c.close()
