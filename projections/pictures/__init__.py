"""Pictures: a cadre's dossier and the dashboard as self-contained, printable HTML (SPEC "Pictures").

`render_dossier` takes the status document (`CadreLedger.status`, what `show --json` prints) and
`render_dashboard` the dashboard data (`projections.report.first_report`); both draw inline SVG, need
no script or network, and print on A4 with the page's provenance in every page's margins.
"""
from __future__ import annotations

from projections.pictures.dashboard import render_dashboard
from projections.pictures.dossier import render_dossier
from projections.pictures.meta import PageMeta, log_head, page_meta

__all__ = ["PageMeta", "log_head", "page_meta", "render_dashboard", "render_dossier"]
