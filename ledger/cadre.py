"""The Cadre aggregate: every decision about one cadre, as past-tense events."""
from __future__ import annotations

from eventsourcing.domain import Aggregate

from ledger.aggregate import Subject, events_table
from ledger.events import Decided


class Cadre(Subject):
    """One cadre's record; stream `cadre/<cadre number>`."""

    subject_key = "cadre"

    class Registered(Decided, Aggregate.Created):
        decision_type = "register"
        key: str

    class Appointed(Decided):
        decision_type = "appointment"

    class RemovedFromPost(Decided):
        decision_type = "removal"

    class RankPromoted(Decided):
        decision_type = "rank-promotion"

    class RankDemoted(Decided):
        decision_type = "rank-demotion"

    class Assessed(Decided):
        decision_type = "assessment"

    class DemocraticallyEvaluated(Decided):
        decision_type = "democratic-evaluation"

    class PerformanceEntered(Decided):
        decision_type = "performance-entry"

    class TriggerDetermined(Decided):
        decision_type = "determination"

    class SanctionImposed(Decided):
        decision_type = "sanction"

    class ProbationExtended(Decided):
        decision_type = "probation-extension"

    class PartyRightsRestored(Decided):
        decision_type = "party-rights-restored"

    class OrgMeasureTaken(Decided):
        decision_type = "org-handling"

    class SuspensionEnded(Decided):
        decision_type = "suspension-end"

    class InvestigationOpened(Decided):
        decision_type = "investigation-open"

    class InvestigationClosed(Decided):
        decision_type = "investigation-close"

    class ExemptionDecided(Decided):
        decision_type = "exemption"

    class DecisionRevoked(Decided):
        decision_type = "revocation"

    class DecisionRetracted(Decided):
        decision_type = "retraction"

    class DecisionVaried(Decided):
        decision_type = "variation"

    class EmploymentEnded(Decided):
        decision_type = "employment-end"

    class ReportReceived(Decided):
        decision_type = "report"

    class ReportDisposed(Decided):
        decision_type = "report-disposition"

    class InquiryReplied(Decided):
        decision_type = "inquiry-reply"

    class ReportClarified(Decided):
        decision_type = "clarification"

    class Commended(Decided):
        decision_type = "commendation"

    class EnteredPool(Decided):
        decision_type = "pool-entry"

    class LeftPool(Decided):
        decision_type = "pool-exit"

    class Seconded(Decided):
        decision_type = "secondment"

    class SecondmentEnded(Decided):
        decision_type = "secondment-end"

    class TrainingCompleted(Decided):
        decision_type = "training"

    class HealthChecked(Decided):
        decision_type = "health-check"

    class LeaveTaken(Decided):
        decision_type = "leave"

    class ReuseReviewed(Decided):
        decision_type = "reuse-review"


Cadre.events_by_type = events_table(*(
    v for v in vars(Cadre).values() if isinstance(v, type) and issubclass(v, Decided)
))
