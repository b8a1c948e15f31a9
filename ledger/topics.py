"""Every event topic the ledger writes, with the decision type it records, and each subject's topic: what a read
that builds no event classes needs to turn stored states into facts (`ledger.storage.direct`).

Topics are schema (STYLE.md, habit 3): the classes in cadre.py, post.py and unit.py are the truth, and a test
holds this table to them. A topic not here (an event class added, renamed or given a `class_version`) is
read through the application, never guessed.
"""
from __future__ import annotations

SUBJECT_TOPICS: dict[str, str] = {"cadre": "ledger.cadre:Cadre", "post": "ledger.post:LeadershipPost",
                                  "unit": "ledger.unit:Unit"}
DECISION_TYPES: dict[str, str] = {
    "ledger.cadre:Cadre.Registered": "register",
    "ledger.cadre:Cadre.Appointed": "appointment",
    "ledger.cadre:Cadre.RemovedFromPost": "removal",
    "ledger.cadre:Cadre.RankPromoted": "rank-promotion",
    "ledger.cadre:Cadre.RankDemoted": "rank-demotion",
    "ledger.cadre:Cadre.Assessed": "assessment",
    "ledger.cadre:Cadre.DemocraticallyEvaluated": "democratic-evaluation",
    "ledger.cadre:Cadre.PerformanceEntered": "performance-entry",
    "ledger.cadre:Cadre.TriggerDetermined": "determination",
    "ledger.cadre:Cadre.SanctionImposed": "sanction",
    "ledger.cadre:Cadre.ProbationExtended": "probation-extension",
    "ledger.cadre:Cadre.PartyRightsRestored": "party-rights-restored",
    "ledger.cadre:Cadre.OrgMeasureTaken": "org-handling",
    "ledger.cadre:Cadre.SuspensionEnded": "suspension-end",
    "ledger.cadre:Cadre.InvestigationOpened": "investigation-open",
    "ledger.cadre:Cadre.InvestigationClosed": "investigation-close",
    "ledger.cadre:Cadre.ExemptionDecided": "exemption",
    "ledger.cadre:Cadre.DecisionRevoked": "revocation",
    "ledger.cadre:Cadre.DecisionRetracted": "retraction",
    "ledger.cadre:Cadre.DecisionVaried": "variation",
    "ledger.cadre:Cadre.EmploymentEnded": "employment-end",
    "ledger.cadre:Cadre.ReportReceived": "report",
    "ledger.cadre:Cadre.ReportDisposed": "report-disposition",
    "ledger.cadre:Cadre.InquiryReplied": "inquiry-reply",
    "ledger.cadre:Cadre.ReportClarified": "clarification",
    "ledger.cadre:Cadre.Commended": "commendation",
    "ledger.cadre:Cadre.EnteredPool": "pool-entry",
    "ledger.cadre:Cadre.LeftPool": "pool-exit",
    "ledger.cadre:Cadre.Seconded": "secondment",
    "ledger.cadre:Cadre.SecondmentEnded": "secondment-end",
    "ledger.cadre:Cadre.TrainingCompleted": "training",
    "ledger.cadre:Cadre.HealthChecked": "health-check",
    "ledger.cadre:Cadre.LeaveTaken": "leave",
    "ledger.cadre:Cadre.ReuseReviewed": "reuse-review",
    "ledger.post:LeadershipPost.Registered": "post-register",
    "ledger.post:LeadershipPost.LeadershipChanged": "leadership-change",
    "ledger.post:LeadershipPost.HandoverItemListed": "handover-item",
    "ledger.post:LeadershipPost.HandoverExtended": "handover-extension",
    "ledger.post:LeadershipPost.HandoverSignedOff": "handover-signoff",
    "ledger.post:LeadershipPost.HandoverCompleted": "handover-complete",
    "ledger.unit:Unit.FirstHeldAccountable": "unit-accountability",
    "ledger.unit:Unit.HeldAccountable": "unit-accountability",
}

SNAPSHOT_TOPIC = "eventsourcing.domain:Snapshot"  # the library's snapshot: the aggregate's topic and state inside
SNAPSHOT_INTERVAL = 100  # a stream is snapshotted when this many of its events were replayed since its last one
