"""Make docs/dossier.png and docs/dashboard.png: page 1 of each picture, printed from a demo province.

    python docs/make_screenshots.py                     # 600 cadres over 10 years, seed 1
    python docs/make_screenshots.py --cadres 200 --keep /tmp/pages   # also keep the HTML and PDF files

Needs Chromium with a CJK font and pdftoppm (poppler-utils); `.ci/browser.sh` installs them. The dossier
shown is the demo cadre with the richest record: running and expired restrictions, one with no end
date, and the most posts and grades.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ledger.app import CadreLedger  # noqa: E402
from ledger.demo import DEFAULT_END, generate  # noqa: E402
from ledger.integrity.front import summarize, verify_ledger  # noqa: E402
from projections.pictures import page_meta, render_dashboard, render_dossier  # noqa: E402
from projections.pictures.browser import print_to_pdf  # noqa: E402
from projections.reader import Reader  # noqa: E402
from projections.report import first_report  # noqa: E402

GENERATED = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # a fixed moment: the same pictures each run
DPI = 140
COLOURS = 256


def richness(status: dict[str, Any]) -> tuple[Any, ...]:
    """How much a dossier shows: restrictions running, expired and with no end date first, then the most."""
    rows = status["restrictions"] + status["expired_restrictions"]
    shows = (any(r["end_kind"] != "date" for r in rows), bool(status["expired_restrictions"]),
             any(r["end_kind"] == "date" for r in status["restrictions"]))
    timeline = status["timeline"]
    return (sum(shows), len(rows) + len(timeline["posts"]) + len({r["track"] for r in rows}),
            len(timeline["grades"]), status["cadre"])


def page_one(pdf: Path, png: Path) -> Path:
    """Page 1 of `pdf` as a PNG of few colours (text stays sharp, the file small)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("pdftoppm not found: install poppler-utils (.ci/browser.sh does)")
    stem = png.with_suffix("")
    subprocess.run([pdftoppm, "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", "-png", str(pdf),
                    str(stem)], check=True)
    image = Image.open(png).convert("RGB")
    few = image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    few.save(png, optimize=True)
    return png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cadres", type=int, default=600)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="also keep the HTML and PDF pages in this folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cadre-ledger-pictures-"))
    out = args.keep or work
    out.mkdir(parents=True, exist_ok=True)
    app = CadreLedger(str(work / "demo.db"))
    try:
        decisions = generate(cadres=args.cadres, years=args.years, seed=args.seed)
        recorded = app.import_lines(enumerate(decisions, 1), "demo")
        if recorded.errors:
            raise SystemExit(f"the demo did not record cleanly: {recorded.errors[:3]}")
        reader = Reader(app)
        reader.catch_up()
        meta = page_meta(app, DEFAULT_END, None, "组织部-王", now=GENERATED)
        statuses = [reader.status(row["cadre"], DEFAULT_END) for row in reader.list_cadres(DEFAULT_END)]
        chosen = max(statuses, key=richness)
        report = first_report(reader, DEFAULT_END, summarize(verify_ledger(app.session)))
        pages = {"dossier": render_dossier(chosen, meta), "dashboard": render_dashboard(report, meta)}
        for name, html in pages.items():
            page = out / f"{name}.html"
            page.write_text(html, encoding="utf-8")
            png = page_one(print_to_pdf(page, out / f"{name}.pdf"), ROOT / "docs" / f"{name}.png")
            print(f"{png.relative_to(ROOT)}: {png.stat().st_size / 1024:.0f} KB"
                  + (f" ({chosen['cadre']} {chosen['name']})" if name == "dossier" else ""))
    finally:
        app.close()
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
