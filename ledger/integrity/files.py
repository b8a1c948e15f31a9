"""Small files that auditors hand around (keys, checkpoints, proofs): read with a size limit, or as JSON."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ledger.errors import UnusableInput

MAX_FILE_BYTES = 1 << 20


def read_small_file(path: str | Path, what: str) -> bytes:
    """The bytes of a small input file, or UnusableInput saying why it cannot be read."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise UnusableInput(f"cannot read {what} {path}: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise UnusableInput(f"{what} {path} is larger than {MAX_FILE_BYTES} bytes; is it the right file?")
    return data


def load_json(path: str | Path, what: str) -> Any:
    """The JSON document in a small file."""
    try:
        return json.loads(read_small_file(path, what))
    except (ValueError, UnicodeDecodeError) as error:
        raise UnusableInput(f"{what} {path} is not JSON: {error}") from None
