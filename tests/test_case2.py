"""CASE2 lesson on the registry: stakeholders, the mutual-benefit ledger and the donation calculator."""

from __future__ import annotations

from decimal import Decimal

import pytest

import kyodo
from kyodo.data import DataError
from kyodo.exercises.choice import Mark
from kyodo.exercises.donation import (
    MAX_INPUT_CHARS,
    DonationParams,
    GuessVerdict,
    Quantity,
    estimate,
    judge_guess,
    parse_amount,
    rate_text,
)
from kyodo.registry import BuiltSpec, ChoiceSpec, choice_task, load_registry
from kyodo.solutions import answer_key_markdown, answer_table, solution_html
from kyodo.storage import Store
from kyodo.widgets.choice import ChoiceWidget
from kyodo.widgets.donation import DonationWidget

LESSON = "case2"


def spec(exercise_id: str) -> ChoiceSpec | BuiltSpec:
    return load_registry().get(exercise_id)


def choice_specs() -> list[ChoiceSpec]:
    return [s for s in load_registry().of_lesson(LESSON) if isinstance(s, ChoiceSpec)]


# --- the registry entries ------------------------------------------------------------------


def test_every_exercise_of_the_lesson_is_registered_with_its_old_key():
    entries = load_registry().of_lesson(LESSON)
    assert [(e.id, e.kind) for e in entries] == [("case2-ex1", "choice"), ("case2-ex2", "choice"),
                                                  ("case2-ex3", "donation")]
    assert {k for e in entries for k in e.legacy_keys} == {"case2/stakeholders", "case2/ledger", "case2/donation"}
    for e in entries:
        assert e.facilitator.checking and e.facilitator.mistakes and e.facilitator.prompts
        assert e.solution_note


@pytest.mark.parametrize("entry", choice_specs(), ids=lambda s: s.id)
def test_every_right_answer_is_right_and_every_also_answer_accepted_with_its_comment(entry, course):
    for item in entry.items:
        task = choice_task(entry, course)
        task.choose(item.id, item.answer)
        assert task.judge(task.item(item.id)).mark is Mark.RIGHT
        for also in item.also:
            assert also.answer != item.answer
            task.choose(item.id, also.answer)
            result = task.judge(task.item(item.id))
            assert result.mark is Mark.ALSO and also.comment in result.message
            assert result.message.startswith("この読み方もできます")
        others = [o.id for o in entry.options if o.id not in {item.answer, *(a.answer for a in item.also)}]
        for other in others:
            task.choose(item.id, other)
            assert task.judge(task.item(item.id)).mark is Mark.WRONG


@pytest.mark.parametrize("entry", choice_specs(), ids=lambda s: s.id)
def test_all_right_answers_complete_the_exercise_without_flags(entry, course):
    task = choice_task(entry, course)
    for item in entry.items:
        task.choose(item.id, item.answer)
    check = task.check()
    assert check.complete and check.flags == ()


# --- 演習1: stakeholders (the course's general explanation) -------------------------------


def test_stakeholder_options_are_the_case_stakeholders(course):
    task = choice_task(spec("case2-ex1"), course)
    assert [o.label for o in task.options] == [s.name for s in course.case(LESSON).stakeholders]
    assert {i.answer for i in spec("case2-ex1").items} == {s.id for s in course.case(LESSON).stakeholders}


def test_stakeholder_expectations_stay_labelled_as_the_course_general_explanation():
    entry = spec("case2-ex1")
    assert "講座の説明" in entry.instructions and "イオンについての記述ではありません" in entry.instructions
    for item in entry.items:
        assert item.why.startswith("一般に") and "(講座の説明)" in item.why
        assert item.basis.startswith("講座の説明")
        for also in item.also:
            assert "(講座の説明)" in also.comment
    assert "講座の説明" in entry.solution_note


def test_decision_10_an_expectation_the_clues_support_for_another_stakeholder_is_accepted(course):
    """Trust is expected by shareholders and business partners too, not only by customers (決定 10)."""
    task = choice_task(spec("case2-ex1"), course)
    for other in ("shareholders", "business_partners"):
        task.choose("trustworthy_service", other)
        result = task.judge(task.item("trustworthy_service"))
        assert result.mark is Mark.ALSO and "講座の答えは" in result.message
    task.choose("value_for_money", "business_partners")
    assert task.judge(task.item("value_for_money")).mark is Mark.ALSO
    # the mistakes the facilitator's page names stay mistakes
    task.choose("accountable_spending", "customers")
    task.choose("stable_relationship", "employees")
    assert task.judge(task.item("accountable_spending")).mark is Mark.WRONG
    assert task.judge(task.item("stable_relationship")).mark is Mark.WRONG


def test_stakeholder_widget_driven_by_a_learner(store):
    w = kyodo.exercise("case2-ex1", store=store)
    assert isinstance(w, ChoiceWidget)
    w.dropdowns["pride_in_work"][0].value = "employees"
    w.dropdowns["stable_relationship"][0].value = "shareholders"
    w.dropdowns["trustworthy_service"][0].value = "business_partners"
    w.check_button.click()
    assert "✅" in w.marks["pride_in_work"].value and "働く人の誇り" in w.marks["pride_in_work"].value
    assert "❌" in w.marks["stable_relationship"].value
    assert "相手の会社" in w.marks["stable_relationship"].value  # the clue, not the answer
    assert "この読み方もできます" in w.marks["trustworthy_service"].value
    assert w.feedback.kind == "warning"
    w.hint_button.click()
    first = w.feedback.text
    w.hint_button.click()
    assert "長く安定して続く取引の関係" in first and "「取引先」" in w.feedback.text  # clue, then the answer


def test_an_old_stakeholder_save_is_restored_and_moved_to_the_new_key(private_workspace):
    Store.open(private_workspace, "tester").save("case2/stakeholders", {"answers": {"fair_terms": "business_partners",
                                                                                    "pride_in_work": "customers"}})
    w = kyodo.exercise("case2-ex1", store=Store.open(private_workspace, "tester"))
    assert w.dropdowns["fair_terms"][0].value == "business_partners"
    assert w.dropdowns["pride_in_work"][0].value == "customers"
    assert "2" in w.feedback.text
    w.dropdowns["pride_in_work"][0].value = "employees"
    saved = Store.open(private_workspace, "tester")
    assert saved.get("case2/stakeholders") is None
    assert saved.get("case2-ex1") == {"answers": {"fair_terms": "business_partners", "pride_in_work": "employees"}}


# --- 演習2: the ledger ---------------------------------------------------------------------


@pytest.fixture
def ledger(course):
    return choice_task(spec("case2-ex2"), course)


def fill(task, entry: ChoiceSpec) -> None:
    for item in entry.items:
        task.choose(item.id, item.answer)


def test_ledger_parties_come_from_the_data(course):
    labels = {o.id: o.label for o in choice_task(spec("case2-ex2"), course).options}
    assert labels["city"] == course.org_name("city_of_kawasaki")
    assert labels["users"] == course.org_short("card_users")
    assert {i.answer for i in spec("case2-ex2").items} == set(labels)  # every column holds something


def test_decision_1_arts_thriving_is_also_the_city_benefit(ledger):
    """P3 names promoting local arts at no cost as the city's benefit (決定 1)."""
    ledger.choose("arts_thrive", "city")
    result = ledger.judge(ledger.item("arts_thrive"))
    assert result.mark is Mark.ALSO and "パンフレット" in result.message and "三者に共通の成果" in result.message
    item = next(i for i in spec("case2-ex2").items if i.id == "arts_thrive")
    assert item.basis.startswith("P3")


def test_a_party_with_only_an_also_accepted_benefit_still_gains(ledger):
    fill(ledger, spec("case2-ex2"))
    ledger.choose("no_cost", "shared")
    ledger.choose("fund_income", "shared")
    flagged = ledger.check().flags
    assert any("「川崎市」の欄" in f for f in flagged)  # the city has nothing of its own
    ledger.choose("arts_thrive", "city")  # accepted for the city (決定 1): now it gains something
    assert not any("「川崎市」の欄" in f for f in ledger.check().flags)


def test_a_party_left_with_nothing_and_a_claimed_distractor_are_flagged(ledger, course):
    fill(ledger, spec("case2-ex2"))
    ledger.choose("easy_contribution", "shared")
    ledger.choose("discount", "users")
    check = ledger.check()
    users = course.org_short("card_users")
    assert any(f"「{users}」の欄" in f for f in check.flags)
    assert any("「買い物の代金が0.1%安くなる」は、この事例ではだれのものでもありません" in f for f in check.flags)
    result = next(r for r in check.results if r.item.id == "discount")
    assert result.mark is Mark.WRONG and "値引きではなく" in result.message
    assert not check.complete


def test_ledger_widget_groups_answers_and_flags(store):
    w = kyodo.exercise("case2-ex2", store=store)
    assert isinstance(w, ChoiceWidget) and w.grouped
    assert w.table.value.count("(まだありません)") == 5
    w.dropdowns["discount"][0].value = "users"
    assert "買い物の代金が0.1%安くなる" in w.table.value and w.table.value.count("(まだありません)") == 4
    w.check_button.click()
    assert w.feedback.kind == "warning" and "❌" in w.marks["discount"].value
    text = w.feedback.text
    assert text.index("その主体自身のものがまだありません") < text.index("値引きではなく")
    for item in spec("case2-ex2").items:
        w.dropdowns[item.id][0].value = item.answer
    w.check_button.click()
    assert w.feedback.kind == "success"


def test_an_old_ledger_save_is_restored(private_workspace):
    old = {"answers": {"no_cost": "city", "arts_thrive": "shared", "subsidy": "nobody", "gone": "city"}}
    Store.open(private_workspace, "tester").save("case2/ledger", old)
    w = kyodo.exercise("case2-ex2", store=Store.open(private_workspace, "tester"))
    assert w.dropdowns["no_cost"][0].value == "city" and w.dropdowns["subsidy"][0].value == "nobody"
    assert "費用をかけずに" in w.table.value and "3" in w.feedback.text


# --- 演習3: the donation calculator ----------------------------------------------------------


def test_donation_rate_comes_from_the_case_and_the_numbers_are_hypothetical(course):
    entry = spec("case2-ex3")
    assert isinstance(entry, BuiltSpec)
    params = entry.parsed(DonationParams)
    assert params.hypothetical is True and params.case == LESSON
    assert course.case(LESSON).donation_rate == 0.001
    w = kyodo.exercise("case2-ex3")
    assert isinstance(w, DonationWidget)
    assert w.rate == Decimal("0.001")
    assert (w.spending.value, w.users.value) == (str(params.default_spending), str(params.default_users))


def test_donation_params_must_stay_hypothetical_and_name_a_case_with_a_rate():
    entry = spec("case2-ex3")
    broken = entry.model_copy(update={"params": {**entry.params, "hypothetical": False}})
    with pytest.raises(DataError) as info:
        broken.parsed(DonationParams)
    assert "data/exercises/case2.yml" in str(info.value) and "case2-ex3" in str(info.value)
    assert "hypothetical" in str(info.value)
    from kyodo.exercises.donation import settings_of

    no_rate = entry.model_copy(update={"params": {**entry.params, "case": "case3"}})
    with pytest.raises(DataError, match="donation_rate"):
        settings_of(no_rate, kyodo.course())


def test_donation_answer_table_is_worked_out_from_the_params(course):
    entry = spec("case2-ex3")
    params = entry.parsed(DonationParams)
    est = estimate(params.default_spending, params.default_users, course.case(LESSON).donation_rate)
    table = answer_table("case2-ex3")
    assert len(table.rows) == 4
    assert [r[0] for r in table.rows] == [label for label, _ in est.rows()]
    assert table.rows[-1][2] == f"{est.all_year:,}円" and "0.1%" in table.rows[0][1]


@pytest.mark.parametrize("raw, value", [
    ("20000", 20000), ("20,000", 20000), (" 20,000 円 ", 20000), ("２万円", 20000), ("２０，０００", 20000),
    ("1.5万", 15000), ("1万2345", 12345), ("１万２，３４５円", 12345), ("5千", 5000), ("0", 0),
    ("1000000", 1_000_000),
])
def test_parse_accepts_what_people_type(raw, value):
    parsed = parse_amount(raw, Quantity.SPENDING)
    assert parsed.ok and parsed.value == value and parsed.message == ""


@pytest.mark.parametrize("raw, quantity, words", [
    ("", Quantity.SPENDING, "入れてください"),
    (None, Quantity.USERS, "入れてください"),
    ("   ", Quantity.USERS, "入れてください"),
    ("-5", Quantity.SPENDING, "マイナス"),
    ("−5", Quantity.SPENDING, "マイナス"),
    ("▲300", Quantity.SPENDING, "マイナス"),
    ("abc", Quantity.SPENDING, "数字で入れてください (例: 20000 や 2万)"),
    ("<script>alert(1)</script>", Quantity.USERS, "数字で入れてください (例: 10000 や 1万)"),
    ("<script>alert(1)</script>" * 2, Quantity.USERS, "長すぎます"),
    ("<b>1</b>", Quantity.USERS, "数字で入れてください"),
    ("1e5", Quantity.SPENDING, "数字で"),
    ("12.5", Quantity.SPENDING, "1円単位の整数"),
    ("2.5人", Quantity.USERS, "整数 (人数)"),
    ("1000001", Quantity.SPENDING, "1,000,000 円まで"),
    ("10000001", Quantity.USERS, "10,000,000 人まで"),
    ("9" * 40, Quantity.GUESS, "長すぎます"),
    ("1" * 15, Quantity.GUESS, "大きすぎます"),
])
def test_parse_refuses_with_a_short_message(raw, quantity, words):
    parsed = parse_amount(raw, quantity)
    assert not parsed.ok and words in parsed.message
    assert "Traceback" not in parsed.message


def test_parse_removes_control_characters():
    assert parse_amount("20\x0000\x1b", Quantity.SPENDING).value == 2000
    assert parse_amount("9" * MAX_INPUT_CHARS, Quantity.GUESS).ok is False  # too large, not too long


def test_estimate_is_exact_and_cuts_fractions_off():
    est = estimate(20000, 10000, 0.001)
    assert est.rate == Decimal("0.001") and rate_text(est.rate) == "0.1%"
    assert (est.total_spending, est.all_month, est.all_year) == (200_000_000, 200_000, 2_400_000)
    assert (est.per_user_month, est.per_user_year) == (20, 240)
    assert not est.cut_off
    odd = estimate(12345, 3, "0.001")
    assert odd.per_user_month_exact == Decimal("12.345")
    assert (odd.per_user_month, odd.per_user_year, odd.all_month, odd.all_year) == (12, 148, 37, 444)
    assert odd.cut_off and any("切り捨て" in line for line in odd.explanation())
    assert estimate(999, 1, 0.001).all_month == 0  # 0.999円 → 0円, never rounded up
    assert estimate(1000, 1, 0.001).all_month == 1


def test_estimate_refuses_impossible_input():
    for spending, users, rate in [(100, 1, 0), (100, 1, 1.5), (-1, 1, 0.001)]:
        with pytest.raises(ValueError):
            estimate(spending, users, rate)


@pytest.mark.parametrize("guess, verdict", [
    (200_000, GuessVerdict.RIGHT), (200_001, GuessVerdict.RIGHT),
    (2_000_000, GuessVerdict.RATE_1_PERCENT), (20_000_000, GuessVerdict.RATE_10_PERCENT),
    (200_000_000, GuessVerdict.NO_RATE), (20_000, GuessVerdict.TOO_SMALL_10),
    (2_400_000, GuessVerdict.YEAR), (20, GuessVerdict.ONE_USER),
    (123_456, GuessVerdict.OTHER), (999_999, GuessVerdict.OTHER),
])
def test_guesses_name_the_usual_slips(guess, verdict):
    result = judge_guess(guess, estimate(20000, 10000, 0.001))
    assert result.verdict is verdict and "200,000 円" in result.message
    assert result.right is (verdict is GuessVerdict.RIGHT)


def test_other_guesses_say_which_way():
    est = estimate(20000, 10000, 0.001)
    assert "予想より少なく" in judge_guess(999_999, est).message
    assert "予想より多く" in judge_guess(123_456, est).message


@pytest.fixture
def calc(store) -> DonationWidget:
    return kyodo.exercise("case2-ex3", store=store)


def test_calculator_starts_with_the_hypothetical_example(calc):
    entry = spec("case2-ex3")
    assert f"{entry.label} {entry.title}" in calc.ui.children[0].value
    assert calc.feedback.kind == "info" and "架空の例で計算しました" in calc.feedback.widget.value
    assert "<img src='data:image/png;base64,iVBORw0KGgo" in calc.figure_box.value
    assert "架空の例" in calc.chart.alt_text and "架空の例" in calc.figure_box.value
    assert "<details>" in calc.figure_box.value
    ax = calc.chart.figure.axes[0]
    assert ax.get_title() == "カードの利用から生まれる寄付 (架空の例)"
    assert any("架空の例" in t.get_text() for t in calc.chart.figure.texts)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert any("," in t for t in ticks) and not ax.xaxis.get_offset_text().get_text()


def test_calculator_bad_input_gets_messages_and_keeps_the_last_result(calc):
    before = calc.figure_box.value
    calc.spending.value = "たくさん"
    calc.users.value = "-3"
    calc.calculate_button.click()
    assert calc.feedback.kind == "warning"
    assert "数字で入れてください" in calc.feedback.text and "マイナス" in calc.feedback.text
    assert "入力を直してから" in calc.feedback.text
    assert calc.figure_box.value == before


def test_calculator_guess_feedback_and_saving(calc, private_workspace):
    calc.spending.value = "1万"
    calc.users.value = "500"
    calc.guess.value = "50,000"
    calc.calculate_button.click()
    assert calc.feedback.kind == "warning" and "10倍" in calc.feedback.text and "1% として" in calc.feedback.text
    assert "利用者500人・1か月: 5,000円" in calc.chart.alt_text
    calc.guess.value = "5000"
    calc.calculate_button.click()
    assert calc.feedback.kind == "success" and "予想どおり" in calc.feedback.text
    saved = Store.open(private_workspace, "tester").get("case2-ex3")
    assert saved == {"spending": "1万", "users": "500", "guess": "5000"}
    again = kyodo.exercise("case2-ex3", store=Store.open(private_workspace, "tester"))
    assert again.spending.value == "1万" and again.estimate.all_month == 5000
    assert "前回の続きから再開します" in again.feedback.text


def test_an_old_calculator_save_is_restored_and_cleaned(private_workspace):
    Store.open(private_workspace, "tester").save("case2/donation", {"spending": "3万", "users": "200", "guess": ""})
    w = kyodo.exercise("case2-ex3", store=Store.open(private_workspace, "tester"))
    assert w.spending.value == "3万" and w.estimate.all_month == 6000
    Store.open(private_workspace, "tester").save("case2/donation",
                                                 {"spending": "2\x00" + "0" * 100, "users": 7, "guess": "<script>"})
    hostile = kyodo.exercise("case2-ex3", store=Store.open(private_workspace, "tester"))
    assert "\x00" not in hostile.spending.value and len(hostile.spending.value) <= MAX_INPUT_CHARS
    hostile.calculate_button.click()
    assert hostile.feedback.kind == "warning" and "<script>" not in hostile.feedback.widget.value


def test_calculator_hint_and_two_step_reset(calc, private_workspace):
    calc.reset_button.click()
    assert "消すものはありません" in calc.feedback.text
    calc.hint_button.click()
    assert "1,000分の1" in calc.feedback.text
    calc.users.value = "3"
    calc.calculate_button.click()
    calc.reset_button.click()
    assert "もう一度" in calc.feedback.text and calc.users.value == "3"
    calc.reset_button.click()
    assert calc.users.value == calc.defaults["users"]
    assert Store.open(private_workspace, "tester").get("case2-ex3") is None


def test_calculator_zero_users(calc):
    calc.users.value = "0"
    calc.calculate_button.click()
    assert calc.feedback.kind == "info" and "寄付も 0 円" in calc.feedback.widget.value


# --- the model answers and the facilitator's page ----------------------------------------------


def test_solutions_and_answer_page_come_from_the_registry():
    for entry in load_registry().of_lesson(LESSON):
        html = solution_html(entry.id)
        assert html.startswith("<details>") and answer_table(entry.id) is not None
    page = answer_key_markdown(LESSON)
    for heading in ("答え合わせの仕組み", "よくある誤り", "話し合いの問い"):
        assert page.count(heading) == 3
    assert "この読み方もできます" in page


def test_facade_shows_broken_params_as_a_message(monkeypatch):
    from kyodo import cells
    from kyodo.registry import Registry

    registry = load_registry()
    entry = registry.get("case2-ex3")
    broken = entry.model_copy(update={"params": {**entry.params, "default_users": "<たくさん>"}})
    shown = []
    monkeypatch.setattr(cells, "load_registry", lambda: Registry({**registry.exercises, entry.id: broken},
                                                                  registry.files))
    monkeypatch.setattr(cells, "display", shown.append)
    assert kyodo.exercise("case2-ex3") is None
    [html] = shown
    assert "data/exercises/case2.yml" in html.data and "default_users" in html.data and "Traceback" not in html.data


def test_every_message_built_from_a_name_exists():
    from kyodo.text import msg

    for q in Quantity:
        for key in ("name", "example", "fraction", "too_large"):
            assert msg(f"donation.{key}_{q.value}", name="x", limit="1")
    for v in GuessVerdict:
        if v is not GuessVerdict.OTHER:
            assert msg(f"donation.guess_{v.value}", amount="1", rate="0.1%")
