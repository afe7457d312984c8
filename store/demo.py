"""The demo store: Northbridge, a fictional council judged inadequate, a year into improving.

Modelled on the improvement plans English councils published after inadequate judgements
(Barnet 2017-18, Tower Hamlets 2018, West Sussex 2021): an ILACS inspection and its findings,
two monitoring-visit letters, a 47-action plan under seven improvement themes with dated
BRAG history, 71 evidence items and three monitoring visits, the next one ten days away.

It is deliberately imperfect, the way a real plan is the week before a visit: some actions
are overdue, a few findings have no action yet, some actions have no evidence, some
evidence is out of date and two files have gone missing from the shared drive.

Everything is written through the store's public functions in one batch, with fixed dates
and no clock or randomness, so two builds are identical (tests and screenshots rely on it).
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple
from urllib.parse import quote

from store.actions import add_action_update, create_action
from store.database import Store
from store.demo_scorecard import load_demo_scorecard
from store.errors import ValidationError
from store.evidence import create_evidence
from store.findings import create_finding
from store.records import Evidence, Pack
from store.settings import mark_demo
from store.sources import create_source
from store.visits import create_visit, set_evidence_ready, set_finding_in_pack

# The demo's "today": ten days before monitoring visit 3, so the countdown reads 10 days.
DEMO_TODAY = date(2019, 1, 21)
COUNCIL = "Northbridge"

_SHAREPOINT = "https://northbridge.sharepoint.com/sites/CSImprovement/Evidence"
_POWER_BI = "https://app.powerbi.com/groups/northbridge-childrens/reports"
_SHARED_DRIVE = "\\\\nbc-fs01\\Childrens\\Improvement\\Evidence"

# ILACS judgement areas, as the report words them. (The 2018 framework judged children in
# care and care leavers together; they are apart here, as in later reports, to show both.)
OVERALL = "Overall effectiveness"
LEADERS = "The impact of leaders on social work practice with children and families"
HELP = "The experiences and progress of children who need help and protection"
IN_CARE = "The experiences and progress of children in care"
LEAVERS = "The experiences and progress of care leavers"


def _d(text: str) -> date:
    return date.fromisoformat(text)


def _doc(folder: str, name: str) -> str:
    """A document's address in the improvement programme's SharePoint library."""
    return f"{_SHAREPOINT}/{quote(folder)}/{quote(name)}"


class _Finding(NamedTuple):
    ref: str
    theme: str
    kind: str
    status: str
    area: str
    title: str
    text: str
    parent: str | None = None  # the inspection finding a monitoring-visit finding follows up


class _Update(NamedTuple):
    on: str
    brag: str
    note: str


class _Action(NamedTuple):
    ref: str
    theme: str
    title: str
    owner: str
    due: str
    success: str
    findings: tuple[str, ...]
    updates: tuple[_Update, ...]


class _Evidence(NamedTuple):
    key: str
    title: str
    kind: str
    as_of: str
    owner: str
    location: str
    impact: str
    actions: tuple[str, ...]
    findings: tuple[str, ...] = ()
    review_by: str | None = None
    personal_data: bool = False
    missing_since: str | None = None


# --- Where the findings come from ------------------------------------------------------------

INSPECTION: dict[str, Any] = {
    "kind": "inspection",
    "title": "Northbridge ILACS inspection (January 2018)",
    "local_authority": COUNCIL,
    "framework": "ILACS",
    "start_date": _d("2018-01-22"),
    "end_date": _d("2018-02-02"),
    "published_date": _d("2018-03-20"),
    "judgements": (
        (OVERALL, "inadequate"),
        (LEADERS, "inadequate"),
        (HELP, "inadequate"),
        (IN_CARE, "requires improvement"),
        (LEAVERS, "requires improvement"),
    ),
}
MONITORING_LETTERS: dict[str, dict[str, Any]] = {
    "MV1": {
        "kind": "monitoring visit",
        "title": "Northbridge monitoring visit 1 (July 2018)",
        "local_authority": COUNCIL,
        "framework": "ILACS",
        "start_date": _d("2018-07-03"),
        "end_date": _d("2018-07-04"),
        "published_date": _d("2018-08-01"),
    },
    "MV2": {
        "kind": "monitoring visit",
        "title": "Northbridge monitoring visit 2 (October 2018)",
        "local_authority": COUNCIL,
        "framework": "ILACS",
        "start_date": _d("2018-10-09"),
        "end_date": _d("2018-10-10"),
        "published_date": _d("2018-11-06"),
    },
}

# --- What Ofsted found ------------------------------------------------------------------------

# "What needs to improve in this local authority?" in the inspection report; the strengths
# are cited by the report paragraph they come from, as councils do.
INSPECTION_FINDINGS = (
    _Finding(
        "R1", "Front door and MASH", "priority action", "improving", HELP,
        "Thresholds at the front door",
        "The application of thresholds at the front door, so that children are referred to "
        "the right service at the right time, and contacts about the same child are not "
        "repeatedly closed with no further action.",
    ),
    _Finding(
        "R2", "Children in need and child protection", "improvement area", "improving", HELP,
        "Strategy discussions",
        "The quality and timeliness of strategy discussions, including the attendance of "
        "partner agencies, particularly the police and health, so that decisions about child "
        "protection enquiries are informed by all the relevant information.",
    ),
    _Finding(
        "R3", "Assessment", "priority action", "open", HELP,
        "Timeliness and quality of assessments",
        "The timeliness and quality of assessments, so that they consider children's "
        "histories, the cumulative impact of neglect and the views of children, and lead to "
        "plans that address the risks identified.",
    ),
    _Finding(
        "R4", "Children in need and child protection", "improvement area", "improving", HELP,
        "Child in need and child protection plans",
        "The quality of child in need and child protection plans, which should be specific, "
        "measurable and time-bound, so that parents understand what needs to change and by "
        "when, and progress can be measured.",
    ),
    _Finding(
        "R5", "PLO and pre-proceedings", "improvement area", "open", HELP,
        "Use of the public law outline",
        "The use of the public law outline, so that pre-proceedings work is timely, letters "
        "before proceedings are clear to parents, and drift for children living with neglect "
        "is avoided.",
    ),
    _Finding(
        "R6", "Supervision and management oversight", "priority action", "open", LEADERS,
        "Management oversight and supervision",
        "Management oversight and the quality of supervision, so that it is regular, "
        "reflective, recorded on the child's file and drives progress in children's plans.",
    ),
    _Finding(
        "R7", "Workforce and caseloads", "priority action", "open", LEADERS,
        "Caseloads and workforce stability",
        "Social workers' caseloads, which are too high in the assessment and child protection "
        "teams, and the stability of the workforce, so that children do not experience "
        "frequent changes of social worker.",
    ),
    _Finding(
        "R8", "IROs and CP chairs", "improvement area", "open", IN_CARE,
        "Oversight by independent reviewing officers",
        "The effectiveness of independent reviewing officers and child protection chairs in "
        "monitoring children's plans between reviews, and in escalating concerns about drift "
        "and delay.",
    ),
    _Finding(
        "R9", "Exploitation and missing", "improvement area", "improving", HELP,
        "Return home interviews",
        "The offer and take-up of return home interviews for children who go missing, and the "
        "use of the information from them to understand and reduce the risk of exploitation.",
    ),
    _Finding(
        "R10", "Care leavers", "improvement area", "open", LEAVERS,
        "Care leavers' accommodation and pathway plans",
        "The suitability of accommodation for care leavers, including the use of bed and "
        "breakfast, and the quality and timeliness of pathway plans, which should be written "
        "with young people.",
    ),
    _Finding(
        "R11", "Private fostering and kinship care", "improvement area", "met", HELP,
        "Awareness of private fostering",
        "Awareness of private fostering among partner agencies and in the community, so that "
        "children who are privately fostered are identified, assessed and supported.",
    ),
    _Finding(
        "R12", "Children in care", "improvement area", "improving", IN_CARE,
        "Care planning and statutory visits",
        "The quality of care planning for children in care, including the timeliness of "
        "statutory visits and the extent to which children's views inform their plans.",
    ),
    _Finding(
        "R13", "Permanence", "improvement area", "open", IN_CARE,
        "Permanence planning and life-story work",
        "The timeliness of permanence planning, and the quality of life-story work, so that "
        "children understand their history and why they are in care.",
    ),
    _Finding(
        "R14", "Quality assurance and performance", "priority action", "improving", LEADERS,
        "Quality assurance and performance information",
        "The quality assurance framework and the use of performance information, so that "
        "senior leaders have an accurate understanding of the quality of practice and of the "
        "impact of their actions.",
    ),
    _Finding(
        "R15", "Leadership, governance and partnerships", "improvement area", "improving",
        LEADERS, "Corporate and political oversight",
        "Corporate and political oversight of children's services, including the role of the "
        "scrutiny committee and the local safeguarding children board in holding leaders to "
        "account for the quality of services.",
    ),
    _Finding(
        "R16", "Children in care", "improvement area", "open", IN_CARE,
        "Health assessments for children in care",
        "The timeliness of initial and review health assessments for children in care, and of "
        "dental checks, so that children's health needs are identified and met.",
    ),
    _Finding(
        "Para 41", "Disabled children", "strength", "met", HELP,
        "Disabled children's service",
        "Disabled children receive a consistently good service. Social workers know children "
        "well, communicate with them in ways that suit them, and plans are regularly reviewed.",
    ),
    _Finding(
        "Para 58", "Children in care", "strength", "met", IN_CARE,
        "Virtual school",
        "Most children in care live in stable placements and are making good progress in "
        "education, supported by an effective virtual school.",
    ),
)  # fmt: skip

MONITORING_FINDINGS = {
    "MV1": (
        _Finding(
            "MV1-1", "Front door and MASH", "progress", "improving", HELP,
            "Thresholds more consistently applied",
            "Thresholds are now more consistently applied in the multi-agency safeguarding hub. "
            "Managers' decisions are timely and recorded, and most partners understand the new "
            "threshold document.",
            parent="R1",
        ),
        _Finding(
            "MV1-2", "Children in need and child protection", "weakness", "open", HELP,
            "Health not consistently in strategy discussions",
            "Strategy discussions are held promptly, but health professionals are not "
            "consistently involved, and the rationale for decisions is not always recorded.",
            parent="R2",
        ),
        _Finding(
            "MV1-3", "Assessment", "weakness", "open", HELP,
            "Too many assessments out of timescale",
            "Too many assessments remain out of timescale, and their quality is variable. Some "
            "do not consider children's histories or the cumulative impact of neglect.",
            parent="R3",
        ),
        _Finding(
            "MV1-4", "Workforce and caseloads", "weakness", "open", LEADERS,
            "Caseloads in assessment teams still too high",
            "Caseloads in the assessment teams remain too high, which limits the time social "
            "workers have to spend with children.",
            parent="R7",
        ),
    ),
    "MV2": (
        _Finding(
            "MV2-1", "Children in need and child protection", "progress", "improving", HELP,
            "Clearer child protection plans",
            "Child protection plans are clearer and more focused on what needs to change. "
            "Visits to children subject to a plan are now timely.",
            parent="R4",
        ),
        _Finding(
            "MV2-2", "PLO and pre-proceedings", "weakness", "open", HELP,
            "Escalation to the public law outline too slow",
            "Pre-proceedings work is better tracked, but for some children living with neglect "
            "decisions to escalate to the public law outline are still too slow.",
            parent="R5",
        ),
        _Finding(
            "MV2-3", "Supervision and management oversight", "weakness", "open", LEADERS,
            "Supervision lacks reflection",
            "Supervision is more regular, but too often records tasks without reflecting on the "
            "child's lived experience, and actions agreed are not followed up.",
            parent="R6",
        ),
        _Finding(
            "MV2-4", "16-17 year olds who are homeless", "weakness", "open", HELP,
            "Homeless 16- and 17-year-olds not assessed",
            "Young people aged 16 and 17 who present as homeless are not routinely offered an "
            "assessment under section 20 of the Children Act 1989, or told of their rights.",
        ),
    ),
}  # fmt: skip

# --- The improvement plan ---------------------------------------------------------------------

# Owners are job titles, never people: posts outlast the people in them.
DCS = "Director of Children's Services"
AD = "Assistant Director – Children's Social Care"
HOS_FRONT_DOOR = "Head of Service – Front Door"
MASH_MANAGER = "MASH Team Manager"
HOS_CP = "Head of Service – Assessment and Child Protection"
SM_ASSESSMENT = "Service Manager – Assessment"
SM_CP = "Service Manager – Child Protection"
SM_CIN = "Service Manager – Children in Need"
HOS_CIC = "Head of Service – Children in Care"
SM_CIC = "Service Manager – Children in Care"
SM_PERMANENCE = "Service Manager – Permanence"
SM_FOSTERING = "Service Manager – Fostering"
SM_LEAVERS = "Service Manager – Care Leavers"
HOS_ADOLESCENTS = "Head of Service – Adolescents"
MISSING_LEAD = "Exploitation and Missing Coordinator"
HEAD_OF_QA = "Head of Service – Safeguarding and Quality Assurance"
IRO_MANAGER = "IRO Service Manager"
PSW = "Principal Social Worker"
HEAD_EARLY_HELP = "Head of Early Help"
HR_PARTNER = "HR Business Partner – Children's Services"
PERFORMANCE = "Performance and Intelligence Manager"
LEGAL = "Legal Services Manager (Childcare)"
VIRTUAL_SCHOOL = "Virtual School Headteacher"
PARTICIPATION = "Participation and Engagement Manager"
PROGRAMME = "Improvement Programme Manager"

# The plan's seven improvement themes; an action's ref starts with its theme's number.
IMPROVEMENT_THEMES = (
    "1. The front door and early decisions",
    "2. Help and protection",
    "3. Children in care and permanence",
    "4. Care leavers and vulnerable adolescents",
    "5. A stable, skilled workforce",
    "6. Management oversight and quality assurance",
    "7. Leadership, governance and partnerships",
)

# The plan went to the improvement board a month after the report was published.
PLAN_APPROVED = _d("2018-04-16")

U = _Update
PLAN = (
    # 1. The front door and early decisions
    _Action(
        "1.1", "Front door and MASH", "Publish a new threshold document with partners",
        HOS_FRONT_DOOR, "2018-06-29",
        "Partner referrals meeting the threshold for social care: 75%", ("R1", "MV1-1"), (
            U("2018-05-18", "green", "Draft 'Right help, right time' agreed by the safeguarding "
              "board's practice group."),
            U("2018-06-29", "blue", "Launched at the partnership conference; 640 partner staff "
              "briefed in June and July."),
        ),
    ),
    _Action(
        "1.2", "Front door and MASH", "Introduce a MASH decision tracker", MASH_MANAGER,
        "2018-06-01", "Contacts with a manager's decision within 24 hours: 95%", ("R1", "MV1-1"), (
            U("2018-05-04", "amber", "Interim spreadsheet tracker in use while the Mosaic report "
              "is built; entries are inconsistent between shifts."),
            U("2018-06-15", "green", "Mosaic report live; the 9.30 huddle reviews every contact "
              "older than 24 hours."),
            U("2018-09-28", "blue", "Embedded: 96% of contacts decided within 24 hours in "
              "August and September."),
        ),
    ),
    _Action(
        "1.3", "Front door and MASH", "Daily MASH triage with police, health and education",
        HOS_FRONT_DOOR, "2018-07-31", "Partner attendance at daily triage: 90% of meetings",
        ("R1", "R2", "MV1-2"), (
            U("2018-06-29", "amber", "Health attends 40% of meetings; escalated to the CCG's "
              "designated nurse."),
            U("2018-09-28", "green", "A dedicated MASH nurse now attends 85% of meetings."),
            U("2018-12-14", "blue", "All three agencies present at 93% of meetings this quarter."),
        ),
    ),
    _Action(
        "1.4", "Front door and MASH", "Audit repeat contacts closed with no further action",
        HEAD_OF_QA, "2018-09-28", "Repeat contacts closed with no further action reviewed by a "
        "manager: 100%", ("R1",), (
            U("2018-07-31", "green", "Sample of 120 repeat contacts drawn; auditors from QA and "
              "the MASH paired."),
            U("2018-10-12", "blue", "Audit complete and reported to the improvement board; 19 "
              "contacts re-opened."),
        ),
    ),
    _Action(
        "1.5", "Front door and MASH", "Agree an early help step-down protocol with schools",
        HEAD_EARLY_HELP, "2018-10-31", "Step-downs to early help accepted within 5 working "
        "days: 85%", ("R1",), (
            U("2018-08-31", "green", "Protocol drafted with the early help partnership."),
            U("2018-10-31", "amber", "Schools have not agreed who takes the lead professional "
              "role; sign-off missed."),
            U("2019-01-11", "amber", "Revised draft out to primary heads until 25 January."),
        ),
    ),
    _Action(
        "1.6", "Assessment", "Weekly assessment timeliness tracker for team managers",
        SM_ASSESSMENT, "2019-03-29", "Assessments within 45 working days: 90%", ("R3", "MV1-3"), (
            U("2018-05-31", "red", "Assessments within 45 working days: 57% against a 90% "
              "target; 212 assessments open beyond 45 days."),
            U("2018-07-31", "amber", "Backlog down to 61; 74% in timescale in July."),
            U("2018-10-31", "green", "86% in timescale in October; backlog under 20."),
            U("2019-01-11", "green", "89% in timescale in December."),
        ),
    ),
    _Action(
        "1.7", "Assessment", "Revise assessment practice standards: history, chronology and the "
        "child's views", PSW, "2018-09-28", "Assessments graded good or better in audit: 60%",
        ("R3", "MV1-3"), (
            U("2018-07-27", "green", "Standards drafted with practitioners from every team."),
            U("2018-09-28", "blue", "Standards and the new template launched at practice week."),
        ),
    ),
    # 2. Help and protection
    _Action(
        "2.1", "Children in need and child protection", "Strategy discussion standards and a "
        "police and health attendance agreement", SM_CP, "2018-07-31",
        "Strategy discussions with police and health present: 90%", ("R2", "MV1-2"), (
            U("2018-06-15", "amber", "Police attendance agreed in principle; health depends on "
              "the MASH nurse post."),
            U("2018-08-31", "blue", "Joint standards signed by police and the CCG; audit "
              "scheduled for November."),
        ),
    ),
    _Action(
        "2.2", "Children in need and child protection", "Rewrite the child protection plan "
        "template with SMART outcomes", PSW, "2018-09-28",
        "Plans rated SMART in audit: 75%", ("R4", "MV2-1"), (
            U("2018-07-06", "green", "Template tested with two teams and with parents."),
            U("2018-09-28", "blue", "New template in Mosaic for every plan from 1 October."),
        ),
    ),
    _Action(
        "2.3", "Children in need and child protection", "Child in need and child protection "
        "visit trackers", HOS_CP, "2018-07-31",
        "CP visits within 10 working days: 95%; CiN visits within 20 working days: 90%",
        ("R4", "MV2-1"), (
            U("2018-05-25", "amber", "Trackers built; CP visits in timescale 78%."),
            U("2018-07-31", "blue", "Trackers in weekly use by every team; CP visits 94%."),
        ),
    ),
    _Action(
        "2.4", "Children in need and child protection", "Child in need reviews chaired by team "
        "managers every three months", SM_CIN, "2018-12-31",
        "Child in need reviews within timescale: 90%", ("R4",), (
            U("2018-09-28", "green", "Review schedule set for every child in need."),
            U("2018-12-14", "amber", "71% of reviews in timescale; two team manager posts "
              "vacant."),
        ),
    ),
    _Action(
        "2.5", "PLO and pre-proceedings", "PLO tracker and a monthly legal gateway panel",
        HOS_CP, "2019-03-29", "Pre-proceedings concluded within 16 weeks: 80%", ("R5", "MV2-2"), (
            U("2018-05-31", "amber", "Panel terms of reference agreed; tracker not yet live."),
            U("2018-08-31", "green", "Tracker live for all 43 children in pre-proceedings."),
            U("2019-01-11", "green", "64% concluded within 16 weeks, up from 35%."),
        ),
    ),
    _Action(
        "2.6", "PLO and pre-proceedings", "Plain-English letters before proceedings with Legal "
        "Services", LEGAL, "2018-10-31", "Parents who say they understood the letter: 80%",
        ("R5",), (
            U("2018-08-17", "green", "Letters rewritten with a parents' advocacy group."),
            U("2018-10-31", "blue", "New letters in use from October."),
        ),
    ),
    _Action(
        "2.7", "Children in need and child protection", "Roll out the Graded Care Profile 2 "
        "neglect toolkit", PSW, "2019-03-29",
        "Children on a plan for neglect with a GCP2 assessment: 80%", ("R3", "R4"), (
            U("2018-11-30", "green", "NSPCC licence agreed; first two cohorts trained."),
        ),
    ),
    # 3. Children in care and permanence
    _Action(
        "3.1", "Children in care", "Children in care statutory visits tracker", SM_CIC,
        "2019-03-29", "Children in care visited within timescale: 95%", ("R12",), (
            U("2018-06-29", "amber", "82% of children in care visited within timescale."),
            U("2018-09-28", "green", "91% within timescale in September."),
            U("2019-01-11", "green", "94% within timescale in December."),
        ),
    ),
    _Action(
        "3.2", "Permanence", "Life-story work for every child with a plan for permanence",
        SM_PERMANENCE, "2018-12-31",
        "Children with a plan for permanence whose life-story work has started: 80%",
        ("R13",), (
            U("2018-06-29", "green", "Life-story champions named in each team; training booked."),
            U("2018-09-28", "amber", "Started for 34% of children; two champions have left."),
            U("2018-12-14", "red", "Stalled at 38%; a business case for a dedicated life-story "
              "worker goes to the February budget panel."),
        ),
    ),
    _Action(
        "3.3", "Permanence", "Permanence planning meeting by the second review", HOS_CIC,
        "2018-10-31", "Children with a permanence plan by the second review: 90%", ("R13",), (
            U("2018-07-31", "green", "Meetings scheduled for every child coming into care."),
            U("2018-10-31", "blue", "93% of children had a plan by their second review."),
        ),
    ),
    _Action(
        "3.4", "Private fostering and kinship care", "Private fostering awareness campaign",
        SM_FOSTERING, "2018-11-30", "Private fostering notifications: 15 a year (3 in 2017-18)",
        ("R11",), (
            U("2018-07-20", "green", "Campaign materials agreed with schools and GP practices."),
            U("2018-11-30", "blue", "Campaign ran through schools, GP surgeries and faith "
              "groups; 7 notifications since September."),
        ),
    ),
    _Action(
        "3.5", "Voice of the child", "Children in care council and the Mind of My Own app",
        PARTICIPATION, "2018-09-28", "Children in care contributing to their review: 85%",
        ("R12",), (
            U("2018-06-29", "green", "App licence bought; the children in care council "
              "relaunched with 14 members."),
            U("2018-09-28", "blue", "App in use by every children in care team."),
        ),
    ),
    _Action(
        "3.6", "Placement sufficiency", "Recruit 25 more in-house foster carers", SM_FOSTERING,
        "2019-06-28", "New in-house fostering households approved: 25 by June 2019", ("R12",), (
            U("2018-09-28", "amber", "6 households approved against 12 planned by now."),
            U("2019-01-11", "green", "13 approved; 9 more in assessment."),
        ),
    ),
    _Action(
        "3.7", "Children in care", "Quality audit of personal education plans", VIRTUAL_SCHOOL,
        "2018-12-14", "Personal education plans rated good: 80%", ("R12",), (
            U("2018-09-14", "green", "Audit tool agreed with designated teachers."),
            U("2018-12-14", "blue", "Audit of 60 plans complete: 78% good."),
        ),
    ),
    # 4. Care leavers and vulnerable adolescents
    _Action(
        "4.1", "Care leavers", "End the use of bed and breakfast for care leavers", SM_LEAVERS,
        "2018-09-28", "Care leavers in bed and breakfast: none; in suitable accommodation: 90%",
        ("R10",), (
            U("2018-05-31", "red", "Four care leavers living in bed and breakfast."),
            U("2018-09-28", "amber", "One care leaver in bed and breakfast (an emergency, three "
              "nights)."),
            U("2019-01-11", "amber", "Supported lodgings scheme has 6 hosts of the 12 needed."),
        ),
    ),
    _Action(
        "4.2", "Care leavers", "Review and rewrite pathway plans with young people", SM_LEAVERS,
        "2018-12-31", "Care leavers with an up-to-date pathway plan: 90%", ("R10",), (
            U("2018-07-31", "amber", "62% of pathway plans up to date."),
            U("2018-12-14", "red", "68% up to date; two personal adviser posts vacant."),
        ),
    ),
    _Action(
        "4.3", "Exploitation and missing", "Return home interview (RHI) tracker", MISSING_LEAD,
        "2019-01-31", "Return home interviews offered within 72 hours: 85%; accepted: 60%",
        ("R9",), (
            U("2018-06-29", "red", "Interviews offered within 72 hours: 38%."),
            U("2018-09-28", "amber", "61% offered within 72 hours; commissioned service "
              "extended to weekends."),
            U("2018-12-14", "green", "78% offered within 72 hours; 55% accepted."),
        ),
    ),
    _Action(
        "4.4", "Exploitation and missing", "Multi-agency exploitation (MACE) panel with a risk "
        "profile for every child", HOS_ADOLESCENTS, "2018-10-31",
        "Children at risk of exploitation with a current risk profile: 100%", ("R9",), (
            U("2018-07-31", "green", "Panel meeting monthly, chaired by the police."),
            U("2018-10-31", "blue", "Every child discussed has a risk profile and a disruption "
              "plan."),
        ),
    ),
    _Action(
        "4.5", "Care leavers", "Publish a local offer for care leavers written with them",
        SM_LEAVERS, "2018-11-30", "Care leavers who know the local offer: 80%", ("R10",), (
            U("2018-09-14", "green", "Drafted with the care leavers' forum."),
            U("2018-11-30", "blue", "Published online and in print."),
        ),
    ),
    _Action(
        "4.6", "Care leavers", "Staying Put and 'staying close' offer for 18- to 21-year-olds",
        HOS_CIC, "2019-03-29", "Eligible young people offered Staying Put: 100%", ("R10",), (
            U("2018-12-14", "green", "Policy drafted; fostering allowances agreed in principle."),
        ),
    ),
    _Action(
        "4.7", "Care leavers", "Ring-fence council apprenticeships for care leavers",
        VIRTUAL_SCHOOL, "2019-04-30", "Care leavers in education, employment or training: 60%",
        ("R10",), (
            U("2018-10-31", "green", "Ten apprenticeships ring-fenced from January 2019."),
        ),
    ),
    # 5. A stable, skilled workforce
    _Action(
        "5.1", "Workforce and caseloads", "Recruitment campaign for permanent social workers",
        HR_PARTNER, "2018-10-31", "Agency social workers below 20% (41% at inspection)",
        ("R7", "MV1-4"), (
            U("2018-05-31", "green", "Campaign launched with a market supplement."),
            U("2018-08-31", "amber", "Agency rate 33%; 14 of 30 posts filled."),
            U("2019-01-11", "amber", "Agency rate 29%; 21 of 30 posts filled."),
        ),
    ),
    _Action(
        "5.2", "Workforce and caseloads", "Reduce caseloads to an average of 18 children", AD,
        "2019-03-29", "Average caseload 18 or below, and no social worker above 25",
        ("R7", "MV1-4"), (
            U("2018-05-31", "red", "Average caseload 27 in the assessment teams."),
            U("2018-09-28", "amber", "Average 22; an extra assessment team funded."),
            U("2019-01-11", "green", "Average 19; two social workers above 25."),
        ),
    ),
    _Action(
        "5.3", "Workforce and caseloads", "Signs of Safety training for all social workers and "
        "managers", PSW, "2018-12-14",
        "Staff completing the five-day Signs of Safety training: 90%", ("R3", "R4"), (
            U("2018-06-29", "green", "Cohorts 1 to 3 complete."),
            U("2018-09-28", "green", "Cohorts 4 to 6 complete; managers' course booked."),
            U("2018-12-14", "blue", "92% of social workers and all team managers trained."),
        ),
    ),
    _Action(
        "5.4", "Workforce and caseloads", "Social work academy for newly qualified social "
        "workers", PSW, "2018-09-28", "Newly qualified social workers with protected caseloads: "
        "100%", ("R7",), (
            U("2018-09-28", "blue", "First cohort of 12 started; caseloads capped at 12."),
        ),
    ),
    _Action(
        "5.5", "Workforce and caseloads", "Agree a market supplement and retention payment",
        HR_PARTNER, "2018-07-31", "Social worker turnover below 15%", ("R7",), (
            U("2018-07-11", "blue", "Agreed by Cabinet on 11 July."),
        ),
    ),
    _Action(
        "5.6", "Workforce and caseloads", "Monthly workforce dashboard: vacancies, agency staff, "
        "turnover", PERFORMANCE, "2018-06-29", "Dashboard reported monthly to the improvement "
        "board", ("R7",), (
            U("2018-06-29", "blue", "First dashboard presented to the improvement board."),
        ),
    ),
    # 6. Management oversight and quality assurance
    _Action(
        "6.1", "Supervision and management oversight", "Supervision policy and recording "
        "template", PSW, "2018-06-29", "Supervision records using the reflective template: 90%",
        ("R6",), (
            U("2018-05-25", "green", "Policy drafted with team managers."),
            U("2018-06-29", "blue", "Policy and template launched."),
        ),
    ),
    _Action(
        "6.2", "Supervision and management oversight", "Supervision compliance tracker",
        HEAD_OF_QA, "2019-02-28", "Children's files with supervision in the last six weeks: 90%",
        ("R6", "MV2-3"), (
            U("2018-07-31", "amber", "58% of files show supervision in the last six weeks."),
            U("2018-10-31", "green", "81% in October."),
            U("2019-01-11", "green", "84% in December."),
        ),
    ),
    _Action(
        "6.3", "Quality assurance and performance", "Approve a quality assurance framework",
        HEAD_OF_QA, "2018-07-31", "Framework approved and in use", ("R14",), (
            U("2018-06-15", "green", "Framework drafted with the practice improvement board."),
            U("2018-07-31", "blue", "Approved by the improvement board."),
        ),
    ),
    _Action(
        "6.4", "Quality assurance and performance", "Monthly audit programme with moderation",
        HEAD_OF_QA, "2019-03-29", "Audits graded good or better: 50% (18% at inspection)",
        ("R14", "R3"), (
            U("2018-08-31", "green", "Programme running; 40 audits a month."),
            U("2018-12-14", "green", "38% of audits good or better in quarter 3."),
        ),
    ),
    _Action(
        "6.5", "Quality assurance and performance", "Performance dashboard for managers in "
        "Power BI", PERFORMANCE, "2018-08-31", "Every team manager uses the dashboard weekly",
        ("R14",), (
            U("2018-06-29", "amber", "Data warehouse feed delayed by the Mosaic upgrade."),
            U("2018-08-31", "blue", "Dashboard live for all managers."),
        ),
    ),
    _Action(
        "6.6", "IROs and CP chairs", "IRO footprint on every child's file and an escalation "
        "protocol", IRO_MANAGER, "2018-10-31",
        "Children's files with an IRO footprint between reviews: 90%", ("R8",), (
            U("2018-07-31", "green", "Escalation protocol agreed."),
            U("2018-10-31", "amber", "31 escalations logged in quarter 2; footprints on 64% of "
              "files."),
            U("2019-01-11", "amber", "Footprints on 71% of files; two IRO vacancies."),
        ),
    ),
    _Action(
        "6.7", "IROs and CP chairs", "Reduce IRO caseloads to 70 children", HEAD_OF_QA,
        "2018-12-31", "Average IRO caseload 70 or below", ("R8",), (
            U("2018-09-28", "green", "Two additional IRO posts approved."),
            U("2018-12-14", "blue", "Average caseload 68."),
        ),
    ),
    _Action(
        "6.8", "Supervision and management oversight", "Management oversight recorded on every "
        "case decision", AD, "2019-02-28", "Case decisions with recorded management oversight: "
        "95%", ("R6", "MV2-3"), (
            U("2018-09-28", "amber", "Dip sample: 61% of decisions show oversight."),
            U("2018-12-14", "green", "Dip sample: 82% of decisions show oversight."),
        ),
    ),
    # 7. Leadership, governance and partnerships
    _Action(
        "7.1", "Leadership, governance and partnerships", "Improvement board with an "
        "independent chair, meeting monthly", DCS, "2018-05-31",
        "Board meets monthly and tracks every action", ("R15",), (
            U("2018-04-27", "green", "Independent chair appointed by the DfE adviser."),
            U("2018-05-31", "blue", "Board met in April and May; terms of reference agreed."),
        ),
    ),
    _Action(
        "7.2", "Leadership, governance and partnerships", "Quarterly performance scorecard to "
        "the scrutiny committee", DCS, "2018-09-28",
        "Scrutiny receives the scorecard every quarter", ("R15",), (
            U("2018-09-28", "blue", "Scorecard presented in July and September."),
        ),
    ),
    _Action(
        "7.3", "Leadership, governance and partnerships", "Refresh the corporate parenting board "
        "with children in care council members", AD, "2019-01-30",
        "Children in care council members at every board meeting", ("R15", "R12"), (
            U("2018-11-30", "green", "New terms of reference out for consultation."),
        ),
    ),
    _Action(
        "7.4", "Quality assurance and performance", "Update the self-assessment before each "
        "monitoring visit", PROGRAMME, "2019-01-25",
        "Self-assessment shared with Ofsted two weeks before each visit", ("R14", "R15"), (
            U("2018-09-28", "green", "Self-assessment for the second visit shared with Ofsted."),
            U("2019-01-18", "green", "Draft for the third visit with the Director."),
        ),
    ),
    _Action(
        "7.5", "Leadership, governance and partnerships", "MASH partnership agreement and "
        "funding with police and health", DCS, "2018-10-31",
        "Agreement signed by all three statutory partners", ("R1", "R15"), (
            U("2018-07-31", "green", "Heads of terms agreed."),
            U("2018-10-26", "blue", "Signed by the police, the CCG and the council."),
        ),
    ),
)  # fmt: skip

# What each action involves, in the plan's words.
DESCRIPTIONS = {
    "1.1": (
        "Rewrite the threshold document with police, health, schools and early help, and "
        "brief every partner agency on it."
    ),
    "1.2": (
        "Track every contact from receipt to a manager's decision, so that none waits more "
        "than a working day and repeat contacts are spotted."
    ),
    "1.3": (
        "A daily meeting in the MASH where police, health and education share what they know "
        "about each contact before a decision is made."
    ),
    "1.4": (
        "Audit a sample of children whose contacts were closed with no further action more "
        "than once, and act on what it finds."
    ),
    "1.5": (
        "Agree with schools how families step down from social care to early help without "
        "losing momentum, and who leads the work."
    ),
    "1.6": (
        "Team managers review every open assessment weekly against the 45-working-day "
        "timescale and clear the backlog."
    ),
    "1.7": (
        "New practice standards and template so that assessments use a chronology, consider "
        "cumulative harm and record the child's views."
    ),
    "2.1": (
        "Joint standards for strategy discussions, with the police and health agreeing to "
        "attend every one."
    ),
    "2.2": (
        "Plans that say what must change, who will do what and by when, written in words "
        "parents understand."
    ),
    "2.3": (
        "Weekly trackers of statutory visits for children on child in need and child "
        "protection plans, reviewed by service managers."
    ),
    "2.4": (
        "Every child in need plan reviewed at least every three months in a meeting chaired "
        "by a team manager."
    ),
    "2.5": (
        "Track every child in pre-proceedings and review their progress monthly at a legal "
        "gateway panel, so that decisions are not delayed."
    ),
    "2.6": (
        "Rewrite the letters before proceedings with Legal Services and parents, so that "
        "parents know what must change and how to get advice."
    ),
    "2.7": (
        "Train social workers to use the Graded Care Profile 2 to assess neglect, and use it "
        "in every plan for neglect."
    ),
    "3.1": (
        "A tracker of statutory visits for every child in care, reviewed weekly by team "
        "managers and monthly by the service manager."
    ),
    "3.2": (
        "Every child with a plan for permanence has life-story work started within six "
        "months, led by trained champions in each team."
    ),
    "3.3": (
        "A permanence planning meeting for every child coming into care, so that there is a "
        "plan for permanence by the second review."
    ),
    "3.4": (
        "Raise awareness of private fostering with schools, GPs, faith groups and "
        "communities, so that more arrangements are notified."
    ),
    "3.5": (
        "Relaunch the children in care council and give every child in care the Mind of My "
        "Own app to tell us their views."
    ),
    "3.6": (
        "Recruit more in-house foster carers so that children can live closer to home and "
        "fewer live in residential care."
    ),
    "3.7": (
        "The virtual school audits the quality of personal education plans each term with "
        "designated teachers."
    ),
    "4.1": (
        "No care leaver is placed in bed and breakfast; grow supported lodgings and agree a "
        "housing protocol."
    ),
    "4.2": (
        "Review every pathway plan with the young person, so that plans are up to date and "
        "written with them."
    ),
    "4.3": (
        "Track every missing episode from the offer of a return home interview to how its "
        "information was used."
    ),
    "4.4": (
        "A monthly multi-agency panel on child exploitation, with a risk profile and a "
        "disruption plan for every child discussed."
    ),
    "4.5": ("Publish what care leavers are entitled to, written with them, online and in print."),
    "4.6": (
        "Let young people stay with their foster carers after 18, or live close to them, with"
        " support to 21."
    ),
    "4.7": (
        "Ten council apprenticeships a year kept for care leavers, each with a personal adviser "
        "and a workplace mentor."
    ),
    "5.1": ("A rolling campaign to recruit permanent social workers, replacing agency staff."),
    "5.2": (
        "Bring caseloads down so that social workers have time to spend with children, "
        "starting with the assessment teams."
    ),
    "5.3": (
        "Five-day Signs of Safety training for every social worker and manager, with practice"
        " leads in each team."
    ),
    "5.4": (
        "Protected caseloads, training and mentoring for newly qualified social workers in "
        "their first year."
    ),
    "5.5": (
        "A market supplement and a retention payment to make permanent posts competitive with"
        " agency work."
    ),
    "5.6": (
        "A monthly dashboard of vacancies, agency staff, turnover and sickness for the "
        "improvement board."
    ),
    "6.1": (
        "A supervision policy and a recording template that prompt reflection and record "
        "decisions on the child's file."
    ),
    "6.2": (
        "Track how often each child's case is discussed in supervision, and follow up files "
        "without it."
    ),
    "6.3": (
        "A quality assurance framework that sets out audits, performance data and feedback, "
        "and how learning is used."
    ),
    "6.4": (
        "A monthly audit of children's files by managers, moderated by the quality assurance "
        "team, with themes each quarter."
    ),
    "6.5": (
        "A performance dashboard that managers use to see and act on their teams' performance"
        " every week."
    ),
    "6.6": (
        "IROs record their oversight on the child's file between reviews and escalate drift "
        "and delay through a protocol."
    ),
    "6.7": (
        "Recruit IROs so that each has a caseload that allows real oversight of children's plans."
    ),
    "6.8": ("Managers record the reasons for every key decision on a child's file."),
    "7.1": (
        "An improvement board with an independent chair holds leaders to account for the plan"
        " every month."
    ),
    "7.2": (
        "The scrutiny committee receives the children's services scorecard every quarter and "
        "questions leaders on it."
    ),
    "7.3": (
        "Bring members of the children in care council onto the corporate parenting board, "
        "and refresh its terms of reference."
    ),
    "7.4": (
        "Before each visit, grade our own practice in the areas it covers, with the evidence "
        "of impact, and share it with Ofsted."
    ),
    "7.5": ("Agree the MASH's funding and staffing with the police and health for three years."),
}

# --- The evidence -----------------------------------------------------------------------------

FRONT = "01 Front door"
HELP_DOCS = "02 Help and protection"
CARE = "03 Children in care"
LEAVING = "04 Care leavers and adolescents"
PEOPLE = "05 Workforce"
QA = "06 QA and performance"
BOARD = "07 Leadership and governance"

E = _Evidence
EVIDENCE = (
    # The front door
    E("mash-tracker", "MASH decision tracker (weekly extract)", "tracker", "2019-01-14",
      MASH_MANAGER, _doc(FRONT, "MASH decision tracker.xlsx"),
      "96% of contacts decided within 24 hours since August, up from 61% at inspection.",
      ("1.2",), review_by="2019-02-15"),
    E("thresholds", "Threshold document 'Right help, right time' (v2.2)", "policy", "2018-11-30",
      HOS_FRONT_DOOR, _doc(FRONT, "Right help right time v2.2.pdf"),
      "Partner referrals meeting the threshold for social care rose from 48% to 71%. "
      "Version 2.2 adds the step-down criteria agreed with schools.", ("1.1",),
      review_by="2019-11-29"),
    E("threshold-briefings", "Threshold briefings: attendance by partner agency", "training",
      "2018-07-13", HOS_FRONT_DOOR, _doc(FRONT, "Threshold briefings attendance.xlsx"),
      "640 staff from schools, health and police briefed on the new thresholds.", ("1.1",)),
    E("repeat-contacts", "Audit of 120 repeat contacts closed with no further action", "audit",
      "2018-10-12", HEAD_OF_QA, _doc(FRONT, "Repeat contacts audit October 2018.docx"),
      "19 of the 120 contacts should have led to a referral; all 19 were re-opened and "
      "reviewed.", ("1.4",), ("R1",), review_by="2019-04-12"),
    E("triage-log", "Daily MASH triage attendance log", "tracker", "2018-12-14", MASH_MANAGER,
      _doc(FRONT, "MASH triage attendance.xlsx"),
      "Police, health and education all present at 93% of daily triage meetings.",
      ("1.3",), review_by="2019-03-15"),
    E("mash-agreement", "MASH partnership agreement signed by police, CCG and council",
      "policy", "2018-10-26", DCS, _doc(BOARD, "MASH partnership agreement 2018.pdf"),
      "Secures the police and health posts in the MASH until March 2021.", ("7.5", "1.3")),
    E("re-referrals", "Re-referrals within 12 months (monthly scorecard)", "performance data",
      "2018-12-31", PERFORMANCE, f"{_POWER_BI}/scorecard/front-door",
      "Re-referrals within 12 months: 21% against a 22% target (29% at inspection).",
      ("1.1",), ("R1", "MV1-1"), review_by="2019-02-28"),
    E("mash-audit-march", "MASH thresholds audit (March 2018)", "audit", "2018-03-30",
      HEAD_OF_QA, f"{_SHARED_DRIVE}\\Front door\\MASH thresholds audit March 2018.docx",
      "Baseline: 48% of contacts had a decision that matched the threshold.", ("1.4",),
      ("R1",), missing_since="2019-01-14"),
    E("step-down", "Early help step-down protocol (draft 3)", "policy", "2019-01-11",
      HEAD_EARLY_HELP, _doc(FRONT, "Step-down protocol draft 3.docx"), "", ("1.5",)),
    # Assessment
    E("assessments-baseline", "Assessments within 45 working days: 57% against a 90% target",
      "performance data", "2018-05-31", PERFORMANCE, f"{_POWER_BI}/scorecard/assessment",
      "Baseline after the inspection: 212 assessments open beyond 45 working days.",
      ("1.6",), ("R3",), review_by="2018-08-31"),
    E("assessment-tracker", "Assessment timeliness tracker (December 2018: 89%)", "tracker",
      "2019-01-07", SM_ASSESSMENT, _doc(HELP_DOCS, "Assessment timeliness tracker.xlsx"),
      "89% of assessments completed within 45 working days in December, up from 57% in May.",
      ("1.6",), review_by="2019-02-08"),
    E("assessment-standards", "Assessment practice standards and template", "policy",
      "2018-09-28", PSW, _doc(HELP_DOCS, "Assessment practice standards.pdf"),
      "Sets out what a good assessment includes: history, chronology and the child's views.",
      ("1.7",)),
    E("assessment-audit", "Quarterly audit of 40 assessments", "audit", "2018-12-20",
      HEAD_OF_QA, _doc(QA, "Assessment audit Q3 2018-19.docx"),
      "45% of assessments graded good or better, up from 20% in April.", ("1.7", "6.4"),
      ("R3", "MV1-3")),
    E("assessment-sample", "Case sample: assessments that use the child's history (6 children)",
      "case sample", "2018-11-15", PSW, _doc(HELP_DOCS, "Case sample assessments.docx"),
      "Shows chronologies used to judge the cumulative impact of neglect.", ("1.7",),
      ("R3",), personal_data=True),
    # Help and protection
    E("strategy-audit", "Strategy discussion audit (224 discussions, 69% fully compliant)",
      "audit", "2018-11-30", HEAD_OF_QA, _doc(HELP_DOCS, "Strategy discussion audit.docx"),
      "69% of strategy discussions fully compliant with the standards, up from 41%.",
      ("2.1",), ("R2", "MV1-2"), review_by="2019-05-31"),
    E("strategy-attendance", "Police and health attendance at strategy discussions",
      "performance data", "2018-12-31", PERFORMANCE, f"{_POWER_BI}/scorecard/strategy",
      "Police at 97% and health at 84% of strategy discussions in December.",
      ("2.1", "1.3"), ("MV1-2",)),
    E("strategy-standards", "Strategy discussion standards (joint protocol with the police)",
      "policy", "2018-08-03", SM_CP, _doc(HELP_DOCS, "Strategy discussion standards.pdf"),
      "", ("2.1",), review_by="2019-08-03"),
    E("cp-template", "Child protection plan template with SMART outcomes", "policy",
      "2018-09-21", PSW, _doc(HELP_DOCS, "CP plan template.docx"),
      "Plans now say what must change, by when and how progress is measured.", ("2.2",)),
    E("visit-tracker", "Child protection and child in need visit tracker", "tracker",
      "2019-01-14", HOS_CP, _doc(HELP_DOCS, "CP and CiN visit tracker.xlsx"),
      "CP visits within 10 working days: 96%; CiN visits within 20 working days: 88%.",
      ("2.3",), review_by="2019-02-15"),
    E("visit-timeliness", "Visit timeliness data (quarter 3)", "performance data",
      "2018-12-31", PERFORMANCE, f"{_POWER_BI}/scorecard/visits",
      "Statutory visits in timescale for children on plans and children in care.",
      ("2.3", "3.1")),
    E("cin-reviews", "Child in need review timeliness", "performance data", "2018-12-31",
      PERFORMANCE, f"{_POWER_BI}/scorecard/child-in-need",
      "Child in need reviews within timescale: 71% against a 90% target.", ("2.4",)),
    E("conference-feedback", "Feedback from parents at child protection conferences",
      "feedback", "2018-10-19", SM_CP, _doc(HELP_DOCS, "Parents feedback conferences.pdf"),
      "31 of 40 parents said they understood what needed to change.", ("2.2",), ("R4",)),
    E("plo-tracker", "PLO tracker", "tracker", "2019-01-11", HOS_CP,
      _doc(HELP_DOCS, "PLO tracker.xlsx"),
      "Pre-proceedings concluded within 16 weeks: 64% against an 80% target (35% in May).",
      ("2.5",), review_by="2019-02-11"),
    E("gateway-minutes", "Legal gateway panel minutes (December 2018)", "minutes",
      "2018-12-12", LEGAL, _doc(HELP_DOCS, "Legal gateway panel 2018-12.docx"),
      "Every child in pre-proceedings reviewed; 4 escalated to proceedings.", ("2.5",)),
    E("lbp-letter", "Letter before proceedings in plain English", "policy", "2018-10-31",
      LEGAL, _doc(HELP_DOCS, "Letter before proceedings template.docx"), "", ("2.6",)),
    E("plo-sample", "PLO case sample: five children living with neglect", "case sample",
      "2018-04-27", HOS_CP, _doc(HELP_DOCS, "PLO case sample April 2018.docx"),
      "Shows the drift the inspection found: the decision to enter PLO took 9 to 14 months.",
      ("2.5",), ("R5", "MV2-2"), personal_data=True),
    # Children in care and permanence
    E("cic-visits", "Children in care visit tracker", "tracker", "2019-01-14", SM_CIC,
      _doc(CARE, "Children in care visit tracker.xlsx"),
      "94% of children in care visited within timescale in December (82% in June).",
      ("3.1",), review_by="2019-02-15"),
    E("cic-council", "Children in care council: 'What makes a good social worker'", "feedback",
      "2018-11-22", PARTICIPATION, _doc(CARE, "CiCC what makes a good social worker.pdf"),
      "Children's ten asks now used in induction and in every team's practice standards.",
      ("3.5",), ("R12",)),
    E("momo", "Mind of My Own statements from children in care (quarter 3)", "feedback",
      "2019-01-04", PARTICIPATION, _doc(CARE, "MOMO statements Q3.xlsx"),
      "212 statements from 87 children; 74% sent before a review.", ("3.5",), ("R12",),
      personal_data=True),
    E("pep-audit", "Personal education plan quality audit", "audit", "2018-12-14",
      VIRTUAL_SCHOOL, _doc(CARE, "PEP audit autumn 2018.docx"),
      "78% of 60 personal education plans rated good.", ("3.7",), ("Para 58",)),
    E("cic-report", "Children in care quarterly performance report (quarter 1)",
      "performance data", "2018-06-30", PERFORMANCE, _doc(CARE, "CiC performance Q1.pdf"),
      "", ("3.1",), ("R12",), review_by="2018-09-30"),
    E("cic-sample", "Case sample: children in care, visits and plans (8 children)",
      "case sample", "2019-01-10", SM_CIC, _doc(CARE, "Case sample children in care.docx"),
      "Visits are purposeful and children's wishes are recorded in their plans.", ("3.1",),
      ("R12",), personal_data=True),
    E("fostering-recruitment", "Foster carer recruitment report", "performance data",
      "2018-12-31", SM_FOSTERING, _doc(CARE, "Fostering recruitment Q3.pdf"),
      "13 new fostering households approved since April; 9 in assessment.", ("3.6",)),
    E("sufficiency", "Placement sufficiency strategy 2018-21", "policy", "2018-07-17",
      SM_FOSTERING, _doc(CARE, "Sufficiency strategy 2018-21.pdf"), "", ("3.6",)),
    E("life-story-tracker", "Life-story work tracker", "tracker", "2018-12-14", SM_PERMANENCE,
      _doc(CARE, "Life story tracker.xlsx"),
      "Life-story work started for 38% of children with a plan for permanence (target 80%).",
      ("3.2",), review_by="2019-01-14"),
    E("permanence-tracker", "Permanence planning meetings tracker", "tracker", "2018-10-31",
      HOS_CIC, _doc(CARE, "Permanence planning tracker.xlsx"),
      "93% of children had a plan for permanence by their second review.", ("3.3",),
      review_by="2019-04-30"),
    E("life-story-training", "Life-story work training for foster carers", "training",
      "2018-06-08", SM_PERMANENCE, _doc(CARE, "Life story training attendance.xlsx"),
      "42 foster carers trained.", ("3.2",)),
    E("pf-campaign", "Private fostering campaign: materials and reach", "other", "2018-09-14",
      SM_FOSTERING, _doc(CARE, "Private fostering campaign.pdf"),
      "Leaflets to 96 schools and 31 GP surgeries; talks at 12 faith groups.", ("3.4",),
      ("R11",)),
    E("pf-notifications", "Private fostering notifications (quarterly)", "performance data",
      "2018-12-31", PERFORMANCE, f"{_POWER_BI}/scorecard/private-fostering",
      "7 notifications since September, against 3 in the whole of 2017-18.", ("3.4",),
      ("R11",)),
    # Care leavers and vulnerable adolescents
    E("accommodation-tracker", "Care leavers' accommodation tracker", "tracker", "2019-01-11",
      SM_LEAVERS, _doc(LEAVING, "Care leavers accommodation tracker.xlsx"),
      "One care leaver in bed and breakfast for three nights; 86% in suitable accommodation.",
      ("4.1",), review_by="2019-02-11"),
    E("accommodation-audit", "Care leavers' accommodation audit (November 2018)", "audit",
      "2018-11-30", SM_LEAVERS,
      f"{_SHARED_DRIVE}\\Care leavers\\Accommodation audit November 2018.docx",
      "Audit of 35 care leavers' homes with the housing service.", ("4.1",), ("R10",),
      personal_data=True, missing_since="2019-01-14"),
    E("pathway-audit", "Pathway plan audit (30 plans)", "audit", "2018-12-07", HEAD_OF_QA,
      _doc(QA, "Pathway plan audit December 2018.docx"),
      "68% of pathway plans up to date; 40% written with the young person.", ("4.2",),
      ("R10",)),
    E("leavers-forum", "Care leavers' forum: what young people say about pathway plans",
      "feedback", "2018-03-15", PARTICIPATION, _doc(LEAVING, "Care leavers forum March 2018.pdf"),
      "Young people asked for shorter plans they write with their personal adviser.",
      ("4.2",), ("R10",)),
    E("local-offer", "Local offer for care leavers", "policy", "2018-11-30", SM_LEAVERS,
      "https://www.northbridge.gov.uk/care-leavers/local-offer",
      "Written with the care leavers' forum; council tax exemption to 25 included.", ("4.5",)),
    E("eet", "Care leavers in education, employment or training (monthly)", "performance data",
      "2018-12-31", PERFORMANCE, f"{_POWER_BI}/scorecard/care-leavers",
      "52% of care leavers aged 19 to 21 in education, employment or training (England 51%).",
      ("4.7",), ("R10",)),
    E("rhi-tracker", "Return home interview tracker", "tracker", "2019-01-14", MISSING_LEAD,
      _doc(LEAVING, "RHI tracker.xlsx"),
      "Return home interviews offered within 72 hours: 78% (38% in June); 55% accepted.",
      ("4.3",), review_by="2019-02-15"),
    E("missing-report", "Missing and exploitation performance report (quarter 2)",
      "performance data", "2018-09-30", PERFORMANCE, _doc(LEAVING, "Missing report Q2.pdf"),
      "", ("4.3",), ("R9",), review_by="2018-12-31"),
    E("mace-minutes", "MACE panel terms of reference and minutes", "minutes", "2018-12-18",
      HOS_ADOLESCENTS, _doc(LEAVING, "MACE panel minutes 2018-12.docx"),
      "Every child discussed has a risk profile and a disruption plan.", ("4.4",)),
    E("exploitation-audit", "Exploitation risk profile audit (15 children)", "audit",
      "2018-11-09", HEAD_OF_QA, _doc(QA, "Exploitation audit November 2018.docx"),
      "Risk profiles current for 14 of 15 children; information from interviews used in 9.",
      ("4.4",), ("R9",), personal_data=True),
    # Workforce
    E("workforce-dashboard", "Workforce dashboard (December 2018)", "performance data",
      "2018-12-31", PERFORMANCE, f"{_POWER_BI}/workforce",
      "Agency social workers 29% (41% at inspection); vacancies 18%.",
      ("5.6", "5.1"), ("R7", "MV1-4")),
    E("caseloads", "Caseloads by team (January 2019)", "performance data", "2019-01-11",
      PERFORMANCE, f"{_POWER_BI}/workforce/caseloads",
      "Average caseload 19 (27 in May 2018); two social workers above 25.", ("5.2",),
      ("R7", "MV1-4"), review_by="2019-02-11"),
    E("sos-training", "Signs of Safety training records", "training", "2018-12-14", PSW,
      _doc(PEOPLE, "Signs of Safety training records.xlsx"),
      "92% of social workers and all team managers completed the five-day course.",
      ("5.3",)),
    E("recruitment", "Recruitment campaign: applications and appointments", "tracker",
      "2018-12-21", HR_PARTNER, _doc(PEOPLE, "Recruitment tracker.xlsx"),
      "21 of 30 permanent posts filled; 6 more offers accepted.", ("5.1",)),
    E("academy", "Social work academy: first cohort report", "training", "2018-09-28", PSW,
      _doc(PEOPLE, "Academy cohort 1.pdf"), "12 newly qualified social workers started.",
      ("5.4",)),
    E("market-supplement", "Market supplement decision (Cabinet report and minutes)",
      "minutes", "2018-07-11", HR_PARTNER, _doc(BOARD, "Cabinet 2018-07-11 market supplement.pdf"),
      "", ("5.5",)),
    E("staff-survey", "Staff survey: workload and supervision", "feedback", "2018-11-30",
      PSW, _doc(PEOPLE, "Staff survey November 2018.pdf"),
      "71% say their caseload is manageable (38% in 2017); 80% get regular supervision.",
      ("5.2", "6.2"), ("MV2-3",)),
    # Management oversight and quality assurance
    E("supervision-policy", "Supervision policy and reflective recording template", "policy",
      "2018-10-31", PSW, _doc(QA, "Supervision policy v2.pdf"),
      "Revised after the second monitoring visit to prompt reflection on the child's lived "
      "experience.", ("6.1",), review_by="2019-10-31"),
    E("supervision-tracker", "Supervision compliance tracker", "tracker", "2019-01-14",
      HEAD_OF_QA, _doc(QA, "Supervision compliance tracker.xlsx"),
      "84% of children's files show supervision in the last six weeks (58% in July).",
      ("6.2",), review_by="2019-02-15"),
    E("qa-framework", "Quality assurance framework", "policy", "2018-07-31", HEAD_OF_QA,
      _doc(QA, "Quality assurance framework.pdf"), "", ("6.3",),
      review_by="2019-07-31"),
    E("audit-summary", "Audit programme summary (quarter 3): 38% good or better", "audit",
      "2018-12-31", HEAD_OF_QA, _doc(QA, "Audit programme summary Q3.docx"),
      "38% of 120 audits graded good or better (18% at inspection); none inadequate in "
      "December.", ("6.4", "6.3"), ("R14",)),
    E("power-bi", "Performance dashboard for managers", "performance data", "2019-01-18",
      PERFORMANCE, f"{_POWER_BI}/managers",
      "Every team manager opened the dashboard at least weekly in December.", ("6.5",),
      ("R14",)),
    E("oversight-sample", "Management oversight dip sample (50 case decisions)", "audit",
      "2018-12-14", AD, _doc(QA, "Management oversight dip sample.docx"),
      "82% of case decisions show recorded management oversight (61% in September).",
      ("6.8",), ("R6",)),
    E("iro-escalations", "IRO escalation log", "tracker", "2019-01-11", IRO_MANAGER,
      _doc(QA, "IRO escalation log.xlsx"),
      "31 escalations in quarter 3; 24 resolved within 20 working days.", ("6.6",),
      review_by="2019-02-11"),
    E("iro-report", "IRO annual report 2017-18", "other", "2018-06-30", IRO_MANAGER,
      _doc(QA, "IRO annual report 2017-18.pdf"), "", ("6.6",), ("R8",)),
    E("iro-caseloads", "IRO caseloads (December 2018)", "performance data", "2018-12-31",
      PERFORMANCE, f"{_POWER_BI}/workforce/iro",
      "Average IRO caseload 68 (84 at inspection).", ("6.7",), ("R8",)),
    # Leadership, governance and partnerships
    E("board-minutes", "Improvement board minutes (December 2018)", "minutes", "2018-12-19",
      PROGRAMME, _doc(BOARD, "Improvement board 2018-12-19.docx"),
      "The board challenged slow progress on life-story work and pathway plans.", ("7.1",)),
    E("board-terms", "Improvement board terms of reference (refreshed)", "policy", "2018-11-21",
      DCS,
      _doc(BOARD, "Improvement board terms of reference.pdf"), "", ("7.1",)),
    E("scrutiny", "Scrutiny committee: children's services scorecard (November 2018)",
      "minutes", "2018-11-27", DCS, _doc(BOARD, "Scrutiny 2018-11-27.pdf"),
      "Members asked for care leavers' accommodation to come back in March.", ("7.2",)),
    E("self-assessment-3", "Self-assessment for monitoring visit 3 (draft)", "self-assessment",
      "2019-01-18", PROGRAMME, _doc(BOARD, "Self-assessment MV3 draft.docx"),
      "Our own view of children in care and care leavers, graded against the inspection.",
      ("7.4",)),
    E("self-assessment-2", "Self-assessment for monitoring visit 2", "self-assessment",
      "2018-09-28", PROGRAMME, _doc(BOARD, "Self-assessment MV2.docx"), "", ("7.4",)),
    E("ofsted-conversation", "Notes of the annual engagement meeting with Ofsted", "minutes",
      "2018-12-05", DCS, _doc(BOARD, "Annual engagement meeting 2018.docx"),
      "Agreed the focus of the third monitoring visit.", ()),
)  # fmt: skip

# --- The visits -------------------------------------------------------------------------------


class _Visit(NamedTuple):
    title: str
    start: str
    end: str
    themes: tuple[str, ...]
    notes: str


VISITS = (
    _Visit(
        "Monitoring visit 1: the front door", "2018-07-03", "2018-07-04",
        ("Front door and MASH", "Assessment"),
        "First monitoring visit: contacts and referrals, the MASH, thresholds, strategy "
        "discussions and assessments. Letter published 1 August 2018.",
    ),
    _Visit(
        "Monitoring visit 2: help and protection", "2018-10-09", "2018-10-10",
        ("Children in need and child protection", "PLO and pre-proceedings",
         "Supervision and management oversight"),
        "Second monitoring visit: children in need and subject to child protection plans, "
        "pre-proceedings, and management oversight. Letter published 6 November 2018.",
    ),
    _Visit(
        "Monitoring visit 3: children in care and care leavers", "2019-01-31", "2019-02-01",
        ("Children in care", "Permanence", "Care leavers", "Exploitation and missing"),
        "Two inspectors on site. Ofsted asked for the list of children in care and care "
        "leavers by 28 January. IRO oversight added to the pack at the Director's request.",
    ),
)  # fmt: skip

# The lead's hand-made changes to the upcoming visit's pack, and what is ticked ready so far.
UPCOMING_ADDED = ("R8",)  # IRO oversight of children's plans: not a focus theme, but asked for
UPCOMING_DROPPED = ("Para 58",)  # a strength: nothing to evidence
UPCOMING_READY = (
    "cic-visits", "cic-council", "momo", "cic-sample", "life-story-tracker",
    "permanence-tracker", "accommodation-tracker", "pathway-audit", "local-offer",
    "rhi-tracker", "mace-minutes", "iro-escalations", "iro-caseloads", "leavers-forum",
)  # fmt: skip


# --- Building it ------------------------------------------------------------------------------


def build_demo(store: Store) -> None:
    """Write the Northbridge demo into ``store`` (normally a new, empty one) in one batch.

    Every record goes through the store's public functions, so the demo obeys the same
    validation as anything a user types. All or nothing: if any write fails, nothing of
    the demo is kept. The store's today must not be before :data:`DEMO_TODAY`, because
    the plan's progress updates are dated up to then.
    """
    if store.today < DEMO_TODAY:
        raise ValidationError(
            "today",
            f"The demo's updates run to {DEMO_TODAY:%d/%m/%Y}; open the store with a today "
            "on or after that date.",
        )
    with store.batch():
        findings = _write_findings(store)
        actions = _write_plan(store, findings)
        evidence = _write_evidence(store, actions, findings)
        _write_visits(store, findings, evidence)
        load_demo_scorecard(store)  # the board's measures, from store/data (issue 16)
        # It opens as at its own week from now on, wherever it is opened.
        mark_demo(store, DEMO_TODAY)


def _write_findings(store: Store) -> dict[str, int]:
    """The inspection and its findings, then each monitoring letter with its findings."""
    ids: dict[str, int] = {}
    inspection = create_source(store, **INSPECTION)
    for spec in INSPECTION_FINDINGS:
        ids[spec.ref] = _create_finding(store, inspection.id, spec, ids)
    for key, letter in MONITORING_LETTERS.items():
        source = create_source(store, **letter)
        for spec in MONITORING_FINDINGS[key]:
            ids[spec.ref] = _create_finding(store, source.id, spec, ids)
    return ids


def _create_finding(store: Store, source_id: int, spec: _Finding, ids: dict[str, int]) -> int:
    finding = create_finding(
        store,
        title=spec.title,
        ref=spec.ref,
        text=spec.text,
        source_id=source_id,
        theme=spec.theme,
        kind=spec.kind,
        status=spec.status,
        judgement_area=spec.area,
        parent_id=ids[spec.parent] if spec.parent else None,
    )
    return finding.id


def _write_plan(store: Store, findings: dict[str, int]) -> dict[str, int]:
    """The improvement plan: each action, its findings, then its dated BRAG history."""
    ids: dict[str, int] = {}
    for spec in PLAN:
        theme_name = IMPROVEMENT_THEMES[int(spec.ref.split(".")[0]) - 1]
        description = DESCRIPTIONS[spec.ref]
        action = create_action(
            store,
            title=spec.title,
            ref=spec.ref,
            description=f"{description}\n\nImprovement theme: {theme_name}.",
            owner=spec.owner,
            due_date=_d(spec.due),
            brag=spec.updates[0].brag,
            success_measure=spec.success,
            opened_on=PLAN_APPROVED,
            theme=spec.theme,
            finding_ids=[findings[ref] for ref in spec.findings],
        )
        for update in spec.updates:
            add_action_update(
                store,
                action.id,
                note=update.note,
                brag=update.brag,
                on_date=_d(update.on),
                author=spec.owner,
            )
        ids[spec.ref] = action.id
    return ids


def _write_evidence(
    store: Store, actions: dict[str, int], findings: dict[str, int]
) -> dict[str, int]:
    ids: dict[str, int] = {}
    for spec in EVIDENCE:
        item = create_evidence(
            store,
            title=spec.title,
            kind=spec.kind,
            as_of=_d(spec.as_of),
            owner=spec.owner,
            location=spec.location,
            impact=spec.impact,
            review_by=_d(spec.review_by) if spec.review_by else None,
            personal_data=spec.personal_data,
            # Files a folder scan found gone: recorded as data, so the demo's "missing" gap
            # is the same on every machine rather than depending on what exists on disk.
            missing_since=_d(spec.missing_since) if spec.missing_since else None,
            action_ids=[actions[ref] for ref in spec.actions],
            finding_ids=[findings[ref] for ref in spec.findings],
        )
        ids[spec.key] = item.id
    return ids


def _write_visits(store: Store, findings: dict[str, int], evidence: dict[str, int]) -> None:
    """Three visits. Past packs have everything that existed by then ticked; the upcoming
    one is half ready, with one finding added and one dropped by hand."""
    from store.pack import build_pack

    *past, upcoming = [
        create_visit(
            store,
            title=spec.title,
            kind="monitoring visit",
            start_date=_d(spec.start),
            end_date=_d(spec.end),
            notes=spec.notes,
            focus_themes=spec.themes,
        )
        for spec in VISITS
    ]
    for visit in past:
        pack = build_pack(store, visit.id)
        for item in _pack_evidence(pack):
            if item.as_of is not None and item.as_of <= visit.start_date:
                set_evidence_ready(store, visit.id, item.id)
    for ref in UPCOMING_ADDED:
        set_finding_in_pack(store, upcoming.id, findings[ref], True)
    for ref in UPCOMING_DROPPED:
        set_finding_in_pack(store, upcoming.id, findings[ref], False)
    for key in UPCOMING_READY:
        set_evidence_ready(store, upcoming.id, evidence[key])


def _pack_evidence(pack: Pack) -> list[Evidence]:
    """Each evidence item of a pack once, in pack order."""
    seen: dict[int, Evidence] = {}
    for theme in pack.themes:
        for pack_finding in theme.findings:
            for item in pack_finding.evidence:
                seen.setdefault(item.evidence.id, item.evidence)
            for pack_action in pack_finding.actions:
                for item in pack_action.evidence:
                    seen.setdefault(item.evidence.id, item.evidence)
    return list(seen.values())
