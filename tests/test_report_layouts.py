"""Report layouts met on real Ofsted reports the project had never seen, one test per way
they went wrong. Each report here is a small made-up text shaped like the real one (never a
copied passage), so the rule is tested, not one council's report."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.errors import ImportFailed
from store.importers.reports import read_report

SUB = "\uf06e"  # the glyph PDFium gives a sub-bullet in some SIF reports
BULLET = "◼"


def _ilacs(
    tmp_path: Path,
    *,
    title: str = "Inspection of Rutland local authority children’s services",
    dates: str = "Inspection dates: 3 to 14 February 2025",
    lead: str = "Lead inspector: Priya Natarajan, His Majesty’s Inspector",
    table: str = (
        "Judgement Grade\n"
        "The impact of leaders on social work practice with children and families Good\n"
        "The experiences and progress of children who need help and protection Good\n"
        "The experiences and progress of children in care Good\n"
        "The experiences and progress of care leavers Good\n"
        "Overall effectiveness Good\n"
    ),
    improve: str = f"{BULLET} The timeliness of strategy discussions.\n",
    after: str = (
        "The experiences and progress of children who need help and protection: good\n"
        "1. Children are seen quickly.\n"
    ),
    header: str | None = None,
    name: str = "report.txt",
) -> Path:
    body = (
        f"{title}\n{dates}\n{lead}\n{table}"
        "Children in this council are mostly helped well and the council knows itself.\n"
        f"What needs to improve?\n{improve}{after}"
    )
    pages = [body, "2. Plans are reviewed on time.\n3. Managers check the work.\n"]
    pages += [f"{n}. Another paragraph of the report body.\n" for n in range(4, 8)]
    if header is not None:  # a running header on every page after the cover
        pages = [pages[0], *(f"{header}\n{page}" for page in pages[1:])]
    path = tmp_path / name
    path.write_text("\f".join(pages), encoding="utf-8")
    return path


_SIF_GRADES = (
    "1. Children who need help and protection Requires improvement\n"
    "2. Children looked after and achieving permanence Good\n"
    "2.1 Adoption performance Good\n"
    "2.2 Experiences and progress of care leavers Requires improvement\n"
    "3. Leadership, management and governance Requires improvement\n"
)


def _sif(
    tmp_path: Path,
    *,
    cover: str,
    recommendations: str,
    body: str = "",
    grades: str = _SIF_GRADES,
    contents: str = "",
) -> Path:
    text = (
        f"{cover}\n"
        "Inspection date: 7 March 2016 – 31 March 2016\n"
        "Report published: 20 May 2016\n"
        "Children’s services in this council require improvement to be good\n"
        f"{grades}{contents}"
        f"Recommendations\n{recommendations}"
        "Summary for children and young people\n"
        "Most children are helped well when they need it.\n"
        f"{body}"
    )
    path = tmp_path / "sif.txt"
    path.write_text(text, encoding="utf-8")
    return path


_SIF_COVER = (
    "Thurrock Council\n"
    "Inspection of services for children in need of help and\n"
    "protection, children looked after and care leavers"
)


def _council_texts(report) -> list[str]:
    return [f.text for f in report.findings if f.ref.startswith("R")]


# -- the list of what must improve -----------------------------------------------------------


def test_sub_bullets_belong_to_their_numbered_item_and_its_lead_in_is_no_finding(
    tmp_path: Path,
) -> None:
    report = read_report(
        _sif(
            tmp_path,
            cover=_SIF_COVER,
            recommendations=(
                "1. Strengthen senior managers’ oversight of:\n"
                f"{SUB} the timeliness of assessments\n"
                f"{SUB} the quality of plans for children in need.\n"
                "2. Improve the timeliness of health assessments.\n"
            ),
        )
    )
    assert _council_texts(report) == [
        "Strengthen senior managers’ oversight of:\n– the timeliness of assessments"
        "\n– the quality of plans for children in need.",
        "Improve the timeliness of health assessments.",
    ]


def test_numbered_theme_headings_over_bullets_are_headings_not_findings(tmp_path: Path) -> None:
    report = read_report(
        _sif(
            tmp_path,
            cover=_SIF_COVER,
            recommendations=(
                "1. Help and protection\n"
                f"{BULLET} Ensure strategy discussions include the police.\n"
                f"{BULLET} Ensure that assessments consider the history.\n"
                "2. Children in care\n"
                f"{BULLET} Improve the sufficiency of local homes.\n"
            ),
        )
    )
    assert _council_texts(report) == [
        "Ensure strategy discussions include the police.",
        "Ensure that assessments consider the history.",
        "Improve the sufficiency of local homes.",
    ]


def test_sub_bullets_printed_as_minus_signs_stay_sub_items_of_their_bullet(
    tmp_path: Path,
) -> None:
    report = read_report(
        _ilacs(
            tmp_path,
            improve=(
                f"{BULLET} The rigour of the response to children:\n"
                "\u2212 who live with neglect, and\n"
                "\u2212 who are privately fostered.\n"
                f"{BULLET} The quality of return home interviews.\n"
            ),
        )
    )
    assert _council_texts(report) == [
        "The rigour of the response to children:\n– who live with neglect, and"
        "\n– who are privately fostered.",
        "The quality of return home interviews.",
    ]


def test_an_item_number_with_no_space_after_it_still_starts_an_item(tmp_path: Path) -> None:
    items = "".join(f"{n}.Ensure that thing number {n} is done well.\n" for n in range(1, 16))
    report = read_report(_sif(tmp_path, cover=_SIF_COVER, recommendations=items))
    assert len(_council_texts(report)) == 15
    assert _council_texts(report)[9] == "Ensure that thing number 10 is done well."


def test_a_judgement_heading_without_the_closes_the_list(tmp_path: Path) -> None:
    report = read_report(
        _ilacs(
            tmp_path,
            improve=f"{BULLET} The timeliness of strategy discussions.\n",
            after=(
                "Experiences and progress of children who need help and protection: good\n"
                "Children are seen quickly and their views are heard\n"
                "by social workers who know them well.\n"
            ),
        )
    )
    assert _council_texts(report) == ["The timeliness of strategy discussions."]


def test_a_wrapped_line_that_looks_like_a_heading_does_not_end_the_list(tmp_path: Path) -> None:
    report = read_report(
        _ilacs(
            tmp_path,
            improve=(
                f"{BULLET} The help for children who are accommodated under\n"
                "Section 20 arrangement is reviewed by a manager.\n"
                f"{BULLET} The quality of return home interviews.\n"
            ),
        )
    )
    assert _council_texts(report) == [
        "The help for children who are accommodated under Section 20 arrangement is "
        "reviewed by a manager.",
        "The quality of return home interviews.",
    ]


# -- dates, title and council ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dates", "start", "end"),
    [
        ("Inspection dates: 12/09/2016 to 06/10/2016", "2016-09-12", "2016-10-06"),
        ("Inspection dates: 1/06/2015 – 25/06/2015", "2015-06-01", "2015-06-25"),
        ("Inspection dates: 18 Feb 2014 – 12 March 2014", "2014-02-18", "2014-03-12"),
        ("Inspection dates: 29 Sept to 10 Oct 2025", "2025-09-29", "2025-10-10"),
        # a box-drawing line or a minus sign for the dash (some 2016-17 SIF covers)
        ("Inspection date: 20 June 2017 \u2500 13 July 2017", "2017-06-20", "2017-07-13"),
        ("Inspection date: 20 June \u2212 13 July 2017", "2017-06-20", "2017-07-13"),
        # joined by words, with weekdays or ordinals: never read as the first day only
        ("Inspection dates: 29 April 2019 and 10 May 2019", "2019-04-29", "2019-05-10"),
        ("Inspection dates: 7 January 2019 until 18 January 2019", "2019-01-07", "2019-01-18"),
        ("Inspection dates: Monday 7 January to Friday 18 January 2019", "2019-01-07",
         "2019-01-18"),
        ("Inspection dates: 1st to 12th July 2019", "2019-07-01", "2019-07-12"),
        ("Inspection dates: 7 January 2019; 18 January 2019", "2019-01-07", "2019-01-18"),
    ],
)  # fmt: skip
def test_inspection_dates_in_numbers_or_short_months_are_read(
    tmp_path: Path, dates: str, start: str, end: str
) -> None:
    report = read_report(_ilacs(tmp_path, dates=dates))
    assert (str(report.start_date), str(report.end_date)) == (start, end)


def test_a_title_the_same_as_the_running_header_is_still_the_title(tmp_path: Path) -> None:
    title = "Inspection of Rutland local authority children’s services"
    report = read_report(_ilacs(tmp_path, title=title, header=title))
    assert report.local_authority == "Rutland" and report.council_code == "E06000017"


@pytest.mark.parametrize(
    ("title", "council", "code"),
    [
        ("Inspection of Bradford Children and Families Trust", "Bradford", "E08000032"),
        (
            "Coventry City Council\nInspection of local authority children’s services",
            "Coventry",
            "E08000026",
        ),
        ("Inspection of City of London local authority children’s services", "City of London",
         "E09000001"),
        ("Inspection of Cheshire East Unitary Authority children’s services", "Cheshire East",
         "E06000049"),
        ("Inspection of Council of the Isles of Scilly children’s services", "Isles of Scilly",
         "E06000053"),
        ("Inspection of Medway Children’s Services local authority children’s services",
         "Medway", "E06000035"),
    ],
)  # fmt: skip
def test_the_council_is_named_as_the_official_list_has_it(
    tmp_path: Path, title: str, council: str, code: str
) -> None:
    report = read_report(_ilacs(tmp_path, title=title))
    assert (report.local_authority, report.council_code) == (council, code)


def test_a_sif_re_inspection_title_is_not_part_of_the_councils_name(tmp_path: Path) -> None:
    cover = (
        "Coventry City Council Re-inspection of services for children in need of help and\n"
        "protection, children looked after and care leavers"
    )
    report = read_report(
        _sif(tmp_path, cover=cover, recommendations="1. Improve the plans for children.\n")
    )
    assert (report.local_authority, report.council_code, report.framework) == (
        "Coventry",
        "E08000026",
        "SIF",
    )


def test_a_council_before_a_reorganisation_gets_the_code_it_had_then(tmp_path: Path) -> None:
    before = read_report(
        _ilacs(tmp_path, title="Inspection of North Yorkshire County Council children’s services",
               dates="Inspection dates: 4 to 15 June 2018", name="a.txt")
    )  # fmt: skip
    after = read_report(
        _ilacs(tmp_path, title="Inspection of North Yorkshire Council children’s services",
               dates="Inspection dates: 4 to 15 June 2024", name="b.txt")
    )  # fmt: skip
    assert (before.local_authority, before.council_code) == ("North Yorkshire", "E10000023")
    assert (after.local_authority, after.council_code) == ("North Yorkshire", "E06000065")


def test_a_council_not_on_the_official_list_is_refused_in_one_line(tmp_path: Path) -> None:
    path = _ilacs(
        tmp_path, title="Inspection of Ashbourne Vale local authority children’s services"
    )
    with pytest.raises(ImportFailed) as refused:
        read_report(path)
    message = refused.value.message
    assert "Ashbourne Vale" in message and "official list" in message and "\n" not in message


# -- grades and inspector -----------------------------------------------------------------------


def test_grades_wrapped_over_two_lines_and_areas_ending_in_a_full_stop_are_kept(
    tmp_path: Path,
) -> None:
    table = (
        "Judgement Grade\n"
        "The impact of leaders on social work practice with children and families.\n"
        "Requires improvement to\n"
        "be good\n"
        "The experiences and progress of children who need help and protection Requires\n"
        "improvement to be good\n"
        "The experiences and progress of children in care Good\n"
        "The experiences and progress of care leavers Good\n"
        "Overall effectiveness Requires improvement to\n"
        "be good\n"
    )
    report = read_report(
        _ilacs(tmp_path, table=table, dates="Inspection dates: 3 to 14 February 2025")
    )
    assert [grade for _, grade in report.judgements] == [
        "requires improvement", "requires improvement", "good", "good", "requires improvement",
    ]  # fmt: skip
    assert report.judgements[0][0] == (
        "The impact of leaders on social work practice with children and families"
    )
    assert report.framework == "ILACS"  # every grade read: not taken for the 2026 framework


def test_sif_grades_in_lower_case_are_read(tmp_path: Path) -> None:
    cover = _SIF_COVER
    path = _sif(tmp_path, cover=cover, recommendations="1. Improve the plans for children.\n")
    text = path.read_text(encoding="utf-8").replace(
        "2.1 Adoption performance Good", "2.1 Adoption performance good"
    )
    path.write_text(text, encoding="utf-8")
    report = read_report(path)
    assert ("Adoption performance", "good") in report.judgements
    assert len(report.judgements) == 6


def test_lead_inspectors_give_the_first_lead(tmp_path: Path) -> None:
    report = read_report(
        _ilacs(tmp_path, lead="Lead inspectors: Priya Natarajan and Tom Reed, HMI")
    )
    assert report.lead_inspector == "Priya Natarajan"


# -- marked paragraphs -------------------------------------------------------------------------


def test_a_mark_printed_before_the_full_stop_still_marks_the_paragraph(tmp_path: Path) -> None:
    """Some SIF reports put the paragraph's full stop after its mark: "(Recommendation)."."""
    body = (
        "The experiences and progress of children who need help and protection Requires "
        "improvement\n"
        "12. Chronologies are not kept up to date, so a new worker cannot see the history\n"
        "(Recommendation).\n"
        "13. Plans for disabled children do not say who does what by when (Recommendation).\n"
        "14. Return home interviews are offered quickly. (Recommendation)\n"
        "15. Most children are seen alone and their views are recorded.\n"
    )
    report = read_report(
        _sif(
            tmp_path,
            cover=_SIF_COVER,
            recommendations="1. Improve chronologies and plans for disabled children.\n",
            body=body,
        )
    )
    details = [(f.ref, f.text) for f in report.findings if f.ref.startswith("P")]
    assert details == [
        ("P12", "Chronologies are not kept up to date, so a new worker cannot see the history."),
        ("P13", "Plans for disabled children do not say who does what by when."),
        ("P14", "Return home interviews are offered quickly."),
    ]


# -- text copies laid out in columns (pdftotext and the like) ---------------------------------

_SIF_JUDGED = [
    ("Overall effectiveness", "requires improvement"),
    ("Children who need help and protection", "requires improvement"),
    ("Children looked after and achieving permanence", "good"),
    ("Adoption performance", "good"),
    ("Experiences and progress of care leavers", "requires improvement"),
    ("Leadership, management and governance", "requires improvement"),
]


@pytest.mark.parametrize(
    "grades",
    [
        pytest.param(
            "Requires\n"
            "1. Children who need help and protection improvement to be\n"
            "good\n"
            "2. Children looked after and achieving Good\n"
            "permanence\n"
            "2.1 Adoption performance Good\n"
            "Requires\n"
            "2.2 Experiences and progress of care leavers improvement\n"
            "3. Leadership, management and governance Requires improvement\n",
            id="a grade in pieces around its area, an area wrapped under its grade",
        ),
        pytest.param(
            "1. Children who need help and protection\n"
            "2. Children looked after and achieving permanence\n"
            "Requires improvement\n"
            "Good\n"
            "2.1 Adoption performance\n"
            "Good\n"
            "2.2 Experiences and progress of care leavers\n"
            "3. Leadership, management and governance\n"
            "Requires improvement\n"
            "Requires improvement\n",
            id="the areas before their grades",
        ),
    ],
)
def test_sif_grades_in_a_text_copy_laid_out_in_columns_go_to_their_own_areas(
    tmp_path: Path, grades: str
) -> None:
    report = read_report(
        _sif(tmp_path, cover=_SIF_COVER, grades=grades,
             recommendations="1. Improve the plans for children.\n")
    )  # fmt: skip
    assert report.judgements == _SIF_JUDGED


def test_sif_grades_whose_order_is_uncertain_are_left_out_not_given_to_the_wrong_area(
    tmp_path: Path,
) -> None:
    """A grade centred above its area in a copy laid out in columns: which area each grade
    belongs to cannot be told for certain, so none is given (the overall one still is)."""
    grades = (
        "1. Children who need help and protection Good\n"
        "2. Children looked after and achieving permanence Good\n"
        "Requires improvement to\n"
        "2.1 Adoption performance\n"
        "be good\n"
        "2.2 Experiences and progress of care leavers Good\n"
        "3. Leadership, management and governance Good\n"
    )
    report = read_report(
        _sif(tmp_path, cover=_SIF_COVER, grades=grades,
             recommendations="1. Improve the plans for children.\n")
    )  # fmt: skip
    assert report.judgements == [("Overall effectiveness", "requires improvement")]


def test_an_ilacs_table_laid_out_in_columns_keeps_each_area_whole_with_its_grade(
    tmp_path: Path,
) -> None:
    table = (
        "Judgement Grade\n"
        "The impact of leaders on social work practice with children Requires improvement\n"
        "and families to be good\n"
        "The experiences and progress of Good\n"
        "children who need help and protection\n"
        "The experiences and progress of Inadequate\n"
        "children in care\n"
        "The experiences and progress of care Good\n"
        "leavers\n"
        "Requires improvement to be good\n"
        "Overall effectiveness\n"
    )
    report = read_report(_ilacs(tmp_path, table=table))
    assert report.judgements == [
        ("The impact of leaders on social work practice with children and families",
         "requires improvement"),
        ("The experiences and progress of children who need help and protection", "good"),
        ("The experiences and progress of children in care", "inadequate"),
        ("The experiences and progress of care leavers", "good"),
        ("Overall effectiveness", "requires improvement"),
    ]  # fmt: skip


def test_the_boards_contents_entry_with_its_page_number_on_the_next_line_opens_nothing(
    tmp_path: Path,
) -> None:
    """In a copy made without the layout a contents entry's page number is a line of its
    own, or lost at the page's foot: the council's list after it is still the council's."""
    summary = "".join(
        f"Line {n} of the executive summary goes on about the help.\n" for n in range(20)
    )
    contents = (
        f"Executive summary\n{summary}"
        "Contents\n"
        "Recommendations\n"
        "8\n"
        "The Local Safeguarding Children Board (LSCB)\n"
        "37\n"
        "Executive summary\n"
        "The Local Safeguarding Children Board (LSCB)\n"
    )
    report = read_report(
        _sif(
            tmp_path,
            cover=_SIF_COVER,
            contents=contents,
            recommendations=(
                "1. Improve the plans for children.\n2. Improve the timeliness of visits.\n"
            ),
            body=(
                "The Local Safeguarding Children Board (LSCB)\n"
                "The Local Safeguarding Children Board requires improvement\n"
                "Recommendations\n"
                "40. Improve the board’s oversight of multi-agency audits.\n"
                "Inspection findings – the Local Safeguarding Children Board\n"
                "41. The board meets regularly and partners attend well.\n"
            ),
        )
    )
    assert [f.ref for f in report.findings] == ["R1", "R2", "B1"]


def test_a_page_number_mid_page_in_a_text_copy_is_not_taken_for_a_footnote(
    tmp_path: Path,
) -> None:
    """A lone number before a short line is the page's number a copy printed mid-page,
    not a footnote: the grade after it is kept. A lone number before a long line opens a
    footnote, which goes."""
    grades = _SIF_GRADES.replace(
        "3. Leadership, management and governance Requires improvement\n",
        "3. Leadership, management and governance\n1\nRequires improvement\n",
    )
    path = _sif(tmp_path, cover=_SIF_COVER, grades=grades,
                recommendations="1. Improve the plans for children.\n")  # fmt: skip
    text = path.read_text(encoding="utf-8").replace(
        "Recommendations\n",
        "2\nOfsted produces this report under its power to combine reports in accordance\n"
        "\fRecommendations\n",
        1,
    )
    path.write_text(text, encoding="utf-8")
    report = read_report(path)
    assert report.judgements == _SIF_JUDGED


def test_a_2013_reports_contents_entry_for_its_grades_is_not_taken_for_the_table(
    tmp_path: Path,
) -> None:
    text = (
        "Rutland County Council\n"
        "Inspection of looked after children services\n"
        "Inspection dates: 15 – 19 July 2013\n"
        "Contents\n"
        "About this inspection\n"
        "2\n"
        "Record of main findings\n"
        "19\n"
        "Record of main findings\n"
        "Overall effectiveness\n"
        "Adequate\n"
        "Capacity to improve\n"
        "Good\n"
        "Areas for improvement\n"
        "1. In order to improve the quality of services the council should:\n"
        f"{BULLET} improve the timeliness of health assessments.\n"
        "Summary for children and young people\n"
    )
    path = tmp_path / "rutland.txt"
    path.write_text(text, encoding="utf-8")
    report = read_report(path)
    assert report.judgements == [
        ("Overall effectiveness", "adequate"),
        ("Capacity to improve", "good"),
    ]


# -- reports of a shape not met yet: read right, or refused in one line ------------------------


@pytest.mark.parametrize("glyph", ["➢", "✓", "-", "*"])
def test_bullets_of_a_glyph_not_met_before_still_separate_the_findings(
    tmp_path: Path, glyph: str
) -> None:
    report = read_report(
        _ilacs(
            tmp_path,
            improve=(
                f"{glyph} The help for children who are accommodated under section 20.\n"
                f"{glyph} The quality of return home interviews for children who\n"
                "go missing from home or care.\n"
            ),
        )
    )
    assert _council_texts(report) == [
        "The help for children who are accommodated under section 20.",
        "The quality of return home interviews for children who go missing from home or care.",
    ]


def test_a_list_headed_what_needs_to_improve_in_this_local_authority_is_read(
    tmp_path: Path,
) -> None:
    path = _ilacs(tmp_path, improve=f"{BULLET} The timeliness of strategy discussions.\n")
    text = path.read_text(encoding="utf-8").replace(
        "What needs to improve?", "What needs to improve in this local authority?"
    )
    path.write_text(text, encoding="utf-8")
    assert _council_texts(read_report(path)) == ["The timeliness of strategy discussions."]


def test_recommendations_printed_again_in_an_annex_are_not_findings_twice(
    tmp_path: Path,
) -> None:
    path = _ilacs(
        tmp_path,
        improve=(
            f"{BULLET} The timeliness of strategy discussions.\n"
            f"{BULLET} The quality of plans for children in need.\n"
        ),
    )
    annex = (
        "\fAnnex: recommendations\nRecommendations\n"
        "1. The timeliness of strategy discussions.\n"
        "2. The quality of plans for children in need.\n"
    )
    path.write_text(path.read_text(encoding="utf-8") + annex, encoding="utf-8")
    assert [(f.ref, f.text) for f in read_report(path).findings] == [
        ("R1", "The timeliness of strategy discussions."),
        ("R2", "The quality of plans for children in need."),
    ]


def test_a_report_whose_list_of_what_must_improve_cannot_be_read_is_refused(
    tmp_path: Path,
) -> None:
    path = _ilacs(tmp_path, improve="", after="")
    path.write_text(
        path.read_text(encoding="utf-8").replace("What needs to improve?\n", ""),
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as refused:
        read_report(path)
    message = refused.value.message
    assert "Rutland" in message and "could not be read" in message and "\n" not in message


def test_a_joint_targeted_area_inspection_letter_is_refused_for_what_it_is(
    tmp_path: Path,
) -> None:
    path = tmp_path / "jtai.txt"
    path.write_text(
        "Joint targeted area inspection of the multi-agency response to children in Rutland\n"
        "Inspection dates: 3 to 7 February 2025\n"
        "This letter summarises the findings of a joint inspection of the local authority, "
        "health, police and children’s social care services in Rutland.\n"
        f"Areas for improvement\n{BULLET} The quality of plans.\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as refused:
        read_report(path)
    assert "joint targeted area inspection, not an inspection report" in refused.value.message


@pytest.mark.parametrize(
    "dates",
    [
        "Inspection dates: 14 February to 3 January 2025",
        "Inspection dates: 3 February to 14 May 2025",
    ],
)
def test_inspection_dates_that_cannot_be_right_are_refused_not_stored(
    tmp_path: Path, dates: str
) -> None:
    with pytest.raises(ImportFailed) as refused:
        read_report(_ilacs(tmp_path, dates=dates))
    assert "cannot be right" in refused.value.message


def test_a_line_that_wraps_onto_a_number_and_full_stop_goes_on_with_its_sentence(
    tmp_path: Path,
) -> None:
    """ "... priorities for 2015–" / "16. However, ..." is one sentence broken over the line,
    not paragraph 16: the marked paragraph keeps its start and number, the list its item."""
    body = (
        "Leadership, management and governance Requires improvement\n"
        "40. The board’s annual report sets out clear priorities for 2015–\n"
        "16. However, it does not say how well services keep children safe. (Recommendation)\n"
    )
    report = read_report(
        _sif(
            tmp_path,
            cover=_SIF_COVER,
            recommendations=(
                "1. Reduce the number of children placed in residential homes from 66 to\n"
                "44. Say how this will be done.\n"
                "2. Improve the annual report.\n"
            ),
            body=body,
        )
    )
    assert [(f.ref, f.text) for f in report.findings] == [
        ("R1", "Reduce the number of children placed in residential homes from 66 to 44. Say "
               "how this will be done."),
        ("R2", "Improve the annual report."),
        ("P40", "The board’s annual report sets out clear priorities for 2015–16. However, it "
                "does not say how well services keep children safe."),
    ]  # fmt: skip


def test_bullets_that_came_out_as_nothing_with_a_lead_in_and_no_full_stops(
    tmp_path: Path,
) -> None:
    """With no bullets to go by, an item ends where its line stops well short of a full
    line, full stop or not; a line leading into the list is no finding."""
    report = read_report(
        _ilacs(
            tmp_path,
            improve=(
                "The local authority should improve:\n"
                "The timeliness of strategy discussions for children who are at risk of harm\n"
                "from outside the home\n"
                "Life-story work\n"
                "Return home interviews.\n"
            ),
        )
    )
    assert _council_texts(report) == [
        "The timeliness of strategy discussions for children who are at risk of harm from "
        "outside the home",
        "Life-story work",
        "Return home interviews.",
    ]


def test_arrow_bullets_and_small_circle_sub_bullets_are_read_as_bullets(tmp_path: Path) -> None:
    body = (
        "The Local Safeguarding Children Board (LSCB)\n"
        "The Local Safeguarding Children Board requires improvement\n"
        "Recommendations\n"
        "➤ Improve the board’s oversight of multi-agency audits:\n"
        "◦ of neglect\n"
        "◦ of exploitation.\n"
        "➤ Publish the annual report on time.\n"
        "Inspection findings – the Local Safeguarding Children Board\n"
        "41. The board meets regularly and partners attend well.\n"
    )
    report = read_report(
        _sif(
            tmp_path,
            cover=_SIF_COVER,
            recommendations="1. Improve the plans for children.\n",
            body="".join(f"Line {n} of a body paragraph of the report.\n" for n in range(20))
            + body,
        )
    )
    assert [(f.ref, f.text) for f in report.findings if f.ref.startswith("B")] == [
        ("B1", "Improve the board’s oversight of multi-agency audits:\n– of neglect\n– of exploitation."),
        ("B2", "Publish the annual report on time."),
    ]  # fmt: skip


def test_a_sif_overall_judgement_printed_as_a_row_is_read(tmp_path: Path) -> None:
    path = _sif(tmp_path, cover=_SIF_COVER, recommendations="1. Improve the plans for children.\n")
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Children’s services in this council require improvement to be good",
            "Overall effectiveness: Inadequate",
        ),
        encoding="utf-8",
    )
    assert read_report(path).judgements[0] == ("Overall effectiveness", "inadequate")


def test_a_text_copy_with_its_page_breaks_lost_keeps_page_furniture_out_of_findings(
    tmp_path: Path,
) -> None:
    """Pasted from a PDF viewer, a report has no page breaks, but each page still ends
    with its number: the pages end there, and their running header goes as it does in a
    PDF. A page number left inside an item is no part of it either."""
    header = "Inspection of Rutland local authority children’s services\n3 to 14 February 2025\n"
    path = _ilacs(
        tmp_path,
        improve=(
            f"{BULLET} The timeliness of strategy discussions for children who are at risk\n"
            "2\n"
            f"{header}"
            "of significant harm.\n"
            f"{BULLET} The quality of plans for children in need.\n"
        ),
        header=header,
    )
    pages = path.read_text(encoding="utf-8").split("\f")  # page 2 begins inside the list
    path.write_text(
        "".join(f"{page}{n}\n" for n, page in enumerate(pages, start=3)), encoding="utf-8"
    )
    assert "\f" not in path.read_text(encoding="utf-8")
    assert _council_texts(read_report(path)) == [
        "The timeliness of strategy discussions for children who are at risk of significant harm.",
        "The quality of plans for children in need.",
    ]


def test_the_title_of_a_report_bound_in_after_ends_the_list_before_it(tmp_path: Path) -> None:
    report = read_report(
        _sif(
            tmp_path,
            cover=_SIF_COVER,
            recommendations=(
                "1. Improve the plans for children.\n"
                "2. Improve the timeliness of visits.\n"
                "Inspection of the effectiveness of the local safeguarding children board:\n"
                "Thurrock\n"
            ),
        )
    )
    assert _council_texts(report) == [
        "Improve the plans for children.",
        "Improve the timeliness of visits.",
    ]


def test_a_lone_page_number_inside_an_item_is_no_part_of_it(tmp_path: Path) -> None:
    report = read_report(
        _ilacs(
            tmp_path,
            improve=(
                f"{BULLET} The timeliness of strategy discussions for children who are at risk\n"
                "7\n"
                "of significant harm.\n"
            ),
        )
    )
    assert _council_texts(report) == [
        "The timeliness of strategy discussions for children who are at risk of significant harm."
    ]


def test_a_paragraph_number_on_its_own_line_finds_its_text_past_a_page_number(
    tmp_path: Path,
) -> None:
    """A copy made without the layout may put a paragraph's number on a line of its own,
    then the page's number, or its text over the page."""
    body = (
        "The experiences and progress of children who need help and protection Requires "
        "improvement\n"
        "12.\n"
        "6\n"
        "Chronologies are not kept up to date. (Recommendation)\n"
        "13.\n"
        "7\n"
        "\f"
        "Plans for disabled children are not specific. (Recommendation)\n"
    )
    report = read_report(
        _sif(
            tmp_path,
            cover=_SIF_COVER,
            recommendations="1. Improve chronologies and plans for disabled children.\n",
            body=body,
        )
    )
    assert [(f.ref, f.text) for f in report.findings if f.ref.startswith("P")] == [
        ("P12", "Chronologies are not kept up to date."),
        ("P13", "Plans for disabled children are not specific."),
    ]


def test_a_finding_that_leads_into_sub_items_is_themed_by_the_first_of_them(
    tmp_path: Path,
) -> None:
    """ "The response to children:" names no practice; the first sub-item does."""
    report = read_report(
        _ilacs(
            tmp_path,
            improve=(
                f"{BULLET} The oversight and rigour of the response to children:\n"
                "\u2212 experiencing neglect, including children in Public Law Outline\n"
                "pre-proceedings, and\n"
                "\u2212 in private fostering arrangements.\n"
            ),
        )
    )
    [finding] = report.findings
    assert finding.theme == "Children in need and child protection"


@pytest.mark.parametrize(
    "after",
    [
        "Help and protection: good\n1. Children are seen quickly.\n",
        "1. Children are seen quickly and their needs are well understood.\n",
    ],
    ids=["a section heading not met before", "no heading at all"],
)
def test_the_reports_numbered_paragraphs_after_a_list_in_bullets_are_not_findings(
    tmp_path: Path, after: str
) -> None:
    """A future report may head its sections in new words: the numbered paragraphs that
    follow a list in bullets are the report's body, never more of the list."""
    report = read_report(
        _ilacs(
            tmp_path,
            improve=(
                f"{BULLET} The timeliness of strategy discussions.\n"
                f"{BULLET} The quality of plans for children in need.\n"
            ),
            after=after,
        )
    )
    assert _council_texts(report) == [
        "The timeliness of strategy discussions.",
        "The quality of plans for children in need.",
    ]
