"""Suggest a theme for a finding from its words (the user can always change it).

Each seeded theme has keywords; a finding gets the theme with most keyword hits, ties going
to the theme earlier in the list (the order a lead reads a child's journey).
"""

from __future__ import annotations

import re

from store.vocab import DEFAULT_THEMES

# Keywords are matched as whole words or phrases (lower case); a trailing * matches any ending;
# a leading ~ marks a word that hints at a theme but also turns up in many other findings
# (it counts half as much as a telling one); a leading ! marks one that settles it (a
# finding about disabled children in need is about disabled children).
THEME_KEYWORDS: dict[str, tuple[str, ...]] = {
    "Front door and MASH": (
        "!mash", "multi-agency safeguarding hub", "front door", "threshold*", "~contact*",
        "referral*", "early help", "emergency duty", "out of hours", "out-of-hours", "~consent", "triage",
        "children's advice", "integrated front door",
    ),
    "Assessment": (
        "assessment*", "~analysis", "chronolog*", "~history", "~histories", "~plan", "~plans",
        "~planning",
    ),
    "Children in need and child protection": (
        "strategy discussion*", "strategy meeting*", "section 47", "s47", "child protection",
        "child in need", "children in need", "cin", "cp plan*", "core group*", "neglect",
        "domestic abuse", "domestic violence", "safety plan*", "~risk*", "~harm",
        "protection plan*", "!lado", "!designated officer", "allegation*",
    ),
    "PLO and pre-proceedings": (
        "!plo", "!public law outline", "!pre-proceedings", "care proceedings", "~court*",
        "letters before proceedings", "~legal", "placement with parent*",
        "placed with parent*", "care order*",
    ),
    "Children in care": (
        "children in care", "looked after", "child in care", "children looked after",
        "cla", "cic", "health assessment*", "!personal education plan*", "pep*",
        "virtual school", "life-story", "life story", "family time", "corporate parent*",
        "children in care council", "pledge",
    ),
    "Permanence": (
        "permanence", "permanency", "adoption", "~adopt*", "special guardian*", "sgo*",
        "long-term foster*", "matching", "fostering-to-adopt", "early permanence", "~drift",
        "~delay",
    ),
    "Care leavers": (
        "care leaver*", "care-experienced", "!pathway plan*", "pathway planning",
        "!personal adviser*", "!personal advisor*", "leaving care", "staying put",
        "local offer", "eet", "neet", "education, employment", "post-16",
    ),
    "Exploitation and missing": (
        "missing", "!return home", "return interview*", "exploitation", "exploited",
        "cse", "cce", "sexual exploitation", "criminal exploitation", "gang*",
        "trafficking", "vulnerable adolescents", "radicalisation", "extra-familial",
    ),
    "16-17 year olds who are homeless": (
        "!homeless", "homelessness", "16- and 17-year-old*", "16 and 17", "16-17",
        "bed and breakfast",
    ),
    "Private fostering and kinship care": (
        "!private fostering", "!privately fostered", "kinship", "connected carer*",
        "connected person*", "family and friends",
    ),
    "Disabled children": (
        "!disabled children", "!disabled child", "disabilit*", "send", "short breaks",
        "!children with disabilities",
    ),
    "Workforce and caseloads": (
        "workforce", "!caseload*", "recruitment", "retention", "agency staff",
        "~social workers", "turnover", "~training", "stability of the workforce", "~staff",
    ),
    "Supervision and management oversight": (
        "!supervision", "management oversight", "~managers", "manager oversight",
        "~oversight", "management decision*", "~decision-making", "~recording",
        "case recording",
    ),
    "Quality assurance and performance": (
        "audit*", "quality assurance", "~performance", "performance management", "~data",
        "scorecard", "~learning", "quality of practice", "self-evaluation",
    ),
    "Leadership, governance and partnerships": (
        "~leader*", "leadership", "governance", "~partnership*", "~partner*",
        "~corporate", "councillors", "elected members", "safeguarding children board",
        "lscb", "~board", "~strategic", "~commission*", "health and wellbeing",
        "safeguarding partners",
    ),
    "Placement sufficiency": (
        "sufficiency", "~placement*", "foster carer*", "fostering", "residential",
        "children's home*", "~homes for", "~accommodation", "foster families",
        "unregulated", "unregistered", "~sufficient",
    ),
    "Voice of the child": (
        "voice", "~views", "wishes and feelings", "participation", "advocacy", "~advocate*",
        "direct work", "lived experience", "complain*", "independent visitor*",
        "children's views",
    ),
    "IROs and CP chairs": (
        "!iro", "!iros", "!independent reviewing officer*", "independent reviewing",
        "child protection chair*", "cp chair*", "conference chair*", "reviewing officer*",
    ),
}  # fmt: skip


def _pattern(keyword: str) -> re.Pattern[str]:
    stem = re.escape(keyword.lstrip("~!").rstrip("*")).replace("'", "['’]")
    tail = r"\w*" if keyword.endswith("*") else ""
    return re.compile(rf"(?<![\w-]){stem}{tail}(?![\w-])")


_WEIGHTS = {"~": 1, "!": 3}
_PATTERNS = {
    theme: [(_pattern(keyword), _WEIGHTS.get(keyword[0], 2)) for keyword in keywords]
    for theme, keywords in THEME_KEYWORDS.items()
}


def suggest_theme(text: str, themes: tuple[str, ...] = DEFAULT_THEMES) -> str | None:
    """The seeded theme a finding's text most likely belongs to, or None if no word fits."""
    low = text.lower()
    best: tuple[int, int] | None = None
    choice: str | None = None
    for position, theme in enumerate(themes):
        patterns = _PATTERNS.get(theme)
        if not patterns:
            continue
        hits = sum(weight * len(pattern.findall(low)) for pattern, weight in patterns)
        if hits and (best is None or hits > best[0]):
            best, choice = (hits, position), theme
    return choice
