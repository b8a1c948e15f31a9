"""One clerk's process for the concurrent-writers test: its decisions in small imports; a JSON report.

python -m tests.reliability.writer URL DECISIONS.json WORKER SEED READY_FILE

Each import goes through `CadreLedger.import_lines`, the path of `cadre-ledger import`. The storage errors
that the importer retried are counted by wrapping the recorder's insert. An import refused with
ConcurrencyError (the retries ran out) is run again, as the message tells a clerk to, and counted.
"""
from __future__ import annotations

import json
import random
import sys
import time
from collections import Counter
from typing import Any

from ledger.app import CadreLedger
from ledger.errors import ConcurrencyError


def main(url: str, decisions_path: str, worker: str, seed: int, ready: str) -> dict[str, Any]:
    """Record every decision of the file in random small imports; what happened, as a dict."""
    with open(decisions_path, encoding="utf-8") as f:
        decisions = json.load(f)
    app = CadreLedger(url, env={"SQLITE_LOCK_TIMEOUT": "1"})
    retried: Counter[str] = Counter()
    insert = app.recorder.insert_events

    def counted(*args: Any, **kwargs: Any) -> Any:
        try:
            return insert(*args, **kwargs)
        except Exception as e:
            retried["database is locked" if "locked" in str(e) else type(e).__name__] += 1
            raise

    app.recorder.insert_events = counted  # type: ignore[method-assign]
    open(ready, "w").close()
    rng = random.Random(seed)
    recorded = already = gave_up = imports = 0
    began = time.monotonic()
    start = 0
    while start < len(decisions):
        chunk = decisions[start:start + rng.randint(1, 6)]
        try:
            report = app.import_lines(list(enumerate(chunk, start=1)), f"clerk-{worker}")
        except ConcurrencyError:
            gave_up += 1
            if gave_up > 20:
                raise
            continue
        assert not report.errors, report.errors
        recorded, already = recorded + report.recorded, already + report.already
        imports, start = imports + 1, start + len(chunk)
    app.close()
    return {"worker": worker, "recorded": recorded, "already": already, "imports": imports,
            "retried": retried, "gave_up_and_ran_again": gave_up,
            "seconds": round(time.monotonic() - began, 2)}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])))
