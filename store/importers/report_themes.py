"""Suggest a theme for a finding from its words (the user can always change it).

A finding is filed under what it asks to improve, as a quality lead would file it: "permanence
planning for all children in care" is Permanence, "the strategic partnership response to
criminally exploited children" is Exploitation and missing. So:

- each theme has keywords, and each stretch of the text counts for one keyword only, the
  longest: "pathway plans" is Care leavers and not also a plan for Assessment, and one
  "partnership" counts once however many keywords would match it;
- words that name a practice ("permanence", "exploited") outweigh words that say who acts
  or how ("strategic", "partnership", "leaders", "training", "oversight") and words that
  name the children a finding is for ("children in care");
- the subject is the first sentence up to "including", "particularly" and the like (and, in
  a body paragraph, the sentence that starts "However"); words elsewhere are context and
  count half;
- assessment and planning for one named group of children goes to that group's theme
  ("assessments and plans for children looked after" is Children in care): that group's
  visit is where a lead looks for them;
- the judgement area of the section a body paragraph sits in tips a close call.

At equal scores a theme named by a telling word in the subject beats one only hinted at,
then the theme whose words come first wins, then the theme earlier in the list.
tests/data/finding_themes.json holds the themes a lead gave 280 real findings; the tests
check the suggestions against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.vocab import DEFAULT_THEMES

# Keywords are matched as whole words or phrases (lower case); a trailing * matches any ending.
# A plain keyword names a practice and tells the theme (3). A leading ~ marks a hint (1): a
# word that also turns up in findings about other things - who acts, how, a common noun - so
# that three hints weigh one telling word. A leading @ names the children a finding is for
# (2): it carries a finding that names no practice, but gives way to one that does ("permanence
# planning for children in care"). A leading ! marks a word that settles it (5) when it is
# the subject: a finding about disabled children in need is about disabled children.
THEME_KEYWORDS: dict[str, tuple[str, ...]] = {
    "Front door and MASH": (
        "!mash", "multi-agency safeguarding hub", "front door", "threshold*", "~contact*",
        "referral*", "!early help", "emergency duty", "out of hours", "out-of-hours", "~consent",
        "triage", "children's advice", "integrated front door",
        # the teams that take contacts and referrals, and their first checks
        "duty team*", "duty and assessment", "~hub", "welfare check*",
        # the early help assessment before 2018
        "common assessment framework", "caf", "cafs",
    ),
    "Assessment": (
        "assessment*", "~analysis", "chronolog*", "~history", "~histories", "~plan", "~plans",
        "~planning",
    ),
    "Children in need and child protection": (
        "strategy discussion*", "strategy meeting*", "section 47", "s47", "child protection",
        "cin", "cp plan*", "core group*", "neglect*", "domestic abuse",
        "domestic violence", "safety plan*", "safety agreement*", "~risk*", "~harm",
        "protection plan*", "!lado", "!designated officer", "allegation*",
        "@child in need", "@children in need", "@need of help and protection",
        "@help and protection", "@children experiencing neglect",
    ),
    "PLO and pre-proceedings": (
        "!plo", "!public law outline", "!pre-proceedings", "care proceedings",
        "court proceedings", "~court*", "letters before proceedings", "~legal",
        "placement with parent*", "placement-with-parent", "placed with parent*",
        "care order*", "supervision order*",
    ),
    "Children in care": (
        "@children in care", "@looked after", "@child in care", "@children looked after",
        "@cla", "@cic", "health assessment*", "!personal education plan*", "pep*",
        "virtual school", "life-story", "life story", "family time",
        "corporate parent*", "children in care council", "pledge", "come into care",
        "into care", "reunification", "re-unification",
    ),
    "Permanence": (
        "permanence", "permanency", "adoption", "~adopt*", "special guardian*", "sgo*",
        "adopter*", "long-term foster*", "matching", "fostering-to-adopt", "foster to adopt",
        "early permanence", "parallel planning", "later-life letter*", "~drift", "~delay",
    ),
    "Care leavers": (
        "@care leaver*", "care-experienced", "!pathway plan*", "pathway planning",
        "!personal adviser*", "!personal advisor*", "leaving care", "staying put",
        "local offer", "eet", "neet", "education, employment", "employment, education",
        "post-16", "apprenticeship*", "over the age of 21", "aged 21", "independent living",
        "~accommodation",
    ),
    "Exploitation and missing": (
        "missing", "!return home interview*", "return interview*", "exploit*", "cse", "cce",
        "sexual exploitation", "criminal exploitation", "gang*", "trafficking",
        "vulnerable adolescents", "radicalisation", "extra-familial", "runaways",
        "home educated",
    ),
    "16-17 year olds who are homeless": (
        "!homeless", "homelessness", "16- and 17-year-old*", "16 and 17", "16-17",
        # bed and breakfast is used for care leavers too: it only hints
        "~bed and breakfast",
    ),
    "Private fostering and kinship care": (
        "!private fostering", "!privately fostered", "kinship", "connected carer*",
        "connected person*", "family and friends", "family members and friends",
        "relatives or friends",
    ),
    "Disabled children": (
        "!disabled children", "!disabled child", "disabilit*", "send", "short breaks",
        "!children with disabilities", "adult services",
    ),
    "Workforce and caseloads": (
        "workforce", "!caseload*", "~recruit*", "~retention", "agency staff",
        "~social workers", "turnover", "~training", "stability of the workforce", "~staff",
        "staffing", "capacity", "workload*", "changes in social worker*",
        "relationships with children", "relationships with their social worker*",
        "consistency of social worker*", "continuity of social worker*",
    ),
    "Supervision and management oversight": (
        "!supervision", "management oversight", "~managers", "manager oversight",
        "~oversight", "management decision*", "~decision-making", "~recording",
        "case recording", "~records", "management challenge", "management advice",
        "reflective discussion*", "management direction",
    ),
    "Quality assurance and performance": (
        "audit*", "quality assurance", "~performance", "performance management", "~data",
        "dataset", "data set", "scorecard", "~learning", "quality of practice",
        "self-evaluation", "lessons", "case review*", "scr", "scrs",
        "performance information", "performance data", "performance report*", "data report*",
    ),
    "Leadership, governance and partnerships": (
        "~leader*", "leadership", "governance", "~partnership*", "~partner*",
        "~corporate", "~councillors", "~elected members", "safeguarding children board",
        "lscb", "~board", "~strategic", "~commission*", "health and wellbeing board",
        "health and well-being board", "safeguarding partners", "strategic needs assessment", "~resources",
    ),
    "Placement sufficiency": (
        "~sufficiency", "placement sufficiency", "accommodation sufficiency", "~placement*",
        "foster carer*", "fostering", "residential", "children's home*", "~homes for",
        "foster families", "unregulated", "unregistered", "~sufficient",
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

_WEIGHTS = {"~": 1.0, "@": 2.0, "!": 5.0}
_TELLING = 3.0
# The subject is the first sentence up to one of these; what follows widens, explains or adds
# to it ("including plans for disabled children") and counts half, and a word that would
# settle the theme only tells it there.
_CONTEXT = re.compile(
    r",? (?:including|particularly|in particular|especially|such as)\b|, and (?:ensure )?that\b"
    r"|\n|; |(?<=[a-z])\. "
)
# Who does it ("oversight of practice by all operational directors, heads of service, ...
# and independent reviewing officers") is a passing mention of roles, not the subject: the
# roles named there count for little, to the end of the clause.
_AGENT = re.compile(
    r" by (?:all |the |a |an |each |every )?(?:[a-z-]+ ){0,3}(?:directors?|managers?|heads?|"
    r"leaders?|officers?|chairs?|workers?|practitioners?|partners?|agencies)\b"
)
_AGENT_END = re.compile(r" (?:is|are|was|were|has|have|should|must|to|so that)\b|[.;]")
_AGENT_FACTOR = 0.2
# A body paragraph often sets out its topic, says what works and comes to the point with
# "However": then the subject is its first sentence and that one.
_HOWEVER = re.compile(r"(?:^|(?<=\. ))however\b")
_SENTENCE_END = re.compile(r"(?<=[a-z)])\. ")
_CONTEXT_FACTOR = 0.5
# The judgement area a body paragraph sits in, and the theme it leans to: a hint.
_AREAS = (
    ("care leavers", "Care leavers"),
    ("adoption", "Permanence"),
    ("children looked after", "Children in care"),
    ("children in care", "Children in care"),
    ("help and protection", "Children in need and child protection"),
)  # the leadership section looks at every practice from a leader's side: it tells nothing
_AREA_WEIGHT = 1.0
# Cross-cutting practice that, done for one named group of children (@ words), belongs with
# that group's theme: "assessments and plans for children looked after".
_FOLLOWS_GROUP = "Assessment"


def _pattern(keyword: str) -> re.Pattern[str]:
    stem = re.escape(keyword.lstrip("~!@").rstrip("*"))
    tail = r"\w*" if keyword.endswith("*") else ""
    return re.compile(rf"(?<![\w-]){stem}{tail}(?![\w-])")


@dataclass(frozen=True)
class _Keyword:
    theme: str
    pattern: re.Pattern[str]
    weight: float
    # The keyword's own letters: a text without them cannot match, so its pattern is never
    # run (most of the hundreds of keywords are in no given finding).
    literal: str = ""


_KEYWORDS = [
    _Keyword(
        theme,
        _pattern(keyword),
        _WEIGHTS.get(keyword[0], _TELLING),
        keyword.lstrip("~!@").rstrip("*").lower(),
    )
    for theme, keywords in THEME_KEYWORDS.items()
    for keyword in keywords
]


@dataclass(frozen=True)
class _Match:
    keyword: _Keyword
    start: int
    end: int
    in_context: bool
    in_agent: bool = False

    @property
    def weight(self) -> float:
        if self.in_agent:
            return min(self.keyword.weight, _TELLING) * _AGENT_FACTOR
        if not self.in_context:
            return self.keyword.weight
        return min(self.keyword.weight, _TELLING) * _CONTEXT_FACTOR


def _subject(low: str) -> list[tuple[int, int]]:
    """Where the subject of a finding is in its (lower-case) text."""
    context = _CONTEXT.search(low)
    if context and context.group(0) == "\n" and low[: context.start()].endswith(":"):
        # A lead-in ("the response to children:") names no practice: the subject goes on
        # to its first sub-item ("– experiencing neglect").
        context = _CONTEXT.search(low, context.end())
    spans = [(0, context.start() if context else len(low))]
    however = _HOWEVER.search(low)
    if however:
        end = _SENTENCE_END.search(low, however.end())
        spans.append((however.start(), end.start() if end else len(low)))
    return spans


def _agents(low: str) -> list[tuple[int, int]]:
    """Where a finding names who does what it asks ("by all ... managers ... and IROs")."""
    spans = []
    for match in _AGENT.finditer(low):
        end = _AGENT_END.search(low, match.end())
        spans.append((match.start(), end.start() if end else len(low)))
    return spans


def _matches(text: str, themes: tuple[str, ...]) -> list[_Match]:
    """The keywords of ``themes`` found in the text, in text order, each stretch of text
    counted once: the longest keyword there wins it (so "private fostering" is not also
    "fostering"), the heavier of two as long."""
    low = text.lower().replace("\u2018", "'").replace("\u2019", "'")
    subject = _subject(low)
    agents = _agents(low)
    found = [
        _Match(
            keyword,
            m.start(),
            m.end(),
            not any(a <= m.start() < b for a, b in subject),
            any(a <= m.start() < b for a, b in agents),
        )
        for keyword in _KEYWORDS
        if keyword.literal in low and keyword.theme in themes
        for m in keyword.pattern.finditer(low)
    ]
    found.sort(key=lambda m: (m.start - m.end, -m.keyword.weight, m.start))
    kept: list[_Match] = []
    for match in found:
        if all(match.end <= k.start or match.start >= k.end for k in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)


def _scores(matches: list[_Match], judgement_area: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    for match in matches:
        theme = match.keyword.theme
        scores[theme] = scores.get(theme, 0.0) + match.weight
    area = judgement_area.lower()
    for words, theme in _AREAS:
        if words in area:
            if theme in scores:  # it tips a call between themes the words name, no more
                scores[theme] += _AREA_WEIGHT
            break
    return scores


def theme_scores(
    text: str, judgement_area: str = "", themes: tuple[str, ...] = DEFAULT_THEMES
) -> dict[str, float]:
    """How strongly each theme fits a finding, to explain a suggestion (themes with no word
    in the finding are left out)."""
    return _scores(_matches(text, themes), judgement_area)


# Below this a suggestion is flagged for the lead to confirm as the report is imported. On
# the labelled findings (tests/data/finding_themes.json) the suggestions at or above it
# were right 209 times in 212, those below 63 in 68: a quarter are flagged.
LOW_CONFIDENCE = 0.6


def theme_confidence(
    text: str, theme: str | None, judgement_area: str = "", themes: tuple[str, ...] = DEFAULT_THEMES
) -> float:
    """How sure the suggestion of ``theme`` for a finding is, 0 to 1: its share of all the
    theme words' weight, times how telling its own words are (a weak word alone, such as
    "oversight", is a guess). 0 when nothing was suggested."""
    if theme is None:
        return 0.0
    scores = theme_scores(text, judgement_area, themes)
    total = sum(scores.values())
    if not total or theme not in scores:
        return 0.0
    return round(scores[theme] / total * min(1.0, scores[theme] / _TELLING), 2)


def suggest_theme(
    text: str, themes: tuple[str, ...] = DEFAULT_THEMES, judgement_area: str = ""
) -> str | None:
    """The seeded theme a finding most likely belongs to, or None if no word fits.

    ``judgement_area`` is the report section the finding sits in (body paragraphs have one);
    it only tips a close call."""
    matches = _matches(text, themes)
    scores = _scores(matches, judgement_area)
    if not scores:
        return None
    first: dict[str, int] = {}
    told: set[str] = set()
    subject: set[str] = set()  # themes named in the subject itself, not who does it
    for match in matches:
        first.setdefault(match.keyword.theme, match.start)
        if not match.in_context and not match.in_agent:
            subject.add(match.keyword.theme)
            if match.keyword.weight >= _TELLING:
                told.add(match.keyword.theme)
    order = {theme: position for position, theme in enumerate(themes)}
    best = max(
        scores,
        key=lambda t: (round(scores[t], 6), t in told, t in subject, -first[t], -order.get(t, 0)),
    )
    if best == _FOLLOWS_GROUP:
        named = [m for m in matches if m.keyword.weight == _WEIGHTS["@"] and not m.in_context]
        groups = {m.keyword.theme for m in named}
        if len(groups) == 1:
            return groups.pop()
    return best
