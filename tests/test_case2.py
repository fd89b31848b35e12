"""CASE2 lesson: stakeholders, the mutual-benefit ledger and the donation calculator."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kyodo.data import DataError
from kyodo.exercises.donation import (
    MAX_INPUT_CHARS,
    GuessVerdict,
    Quantity,
    estimate,
    judge_guess,
    parse_amount,
    rate_text,
)
from kyodo.exercises.ledger import NOBODY, SHARED, BenefitLedger, Party, Statement
from kyodo.exercises.sorting import Mark
from kyodo.lessons import case2
from kyodo.storage import Store
from kyodo.widgets.donation import DonationWidget
from kyodo.widgets.ledger import LedgerWidget
from kyodo.widgets.sorting import SortingWidget

# --- the lesson material ------------------------------------------------------------


@pytest.fixture(scope="module")
def mat() -> case2.Case2Material:
    return case2.material()


def test_material_loads_and_matches_the_case(mat, course):
    case = course.case("case2")
    assert {i.stakeholder for i in mat.stakeholder_expectations.items} == {s.id for s in case.stakeholders}
    assert mat.stakeholder_expectations.general_explanation is True
    assert mat.calculator.hypothetical is True
    assert case.donation_rate == 0.001
    owners = {s.owner for s in mat.benefit_ledger.statements}
    assert owners == {"company", "city", "users", SHARED, NOBODY}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_general_explanation_label_cannot_be_dropped(data_copy):
    _edit(data_copy / "lessons/case2.yml", "  general_explanation: true\n", "  general_explanation: false\n")
    with pytest.raises(DataError) as info:
        case2.material(data_copy)
    text = str(info.value)
    assert "lessons/case2.yml" in text and "general_explanation" in text and "True" in text


def test_unknown_stakeholder_and_owner_are_named(data_copy):
    _edit(data_copy / "lessons/case2.yml", "stakeholder: customers\n", "stakeholder: voters\n")
    _edit(data_copy / "lessons/case2.yml", "owner: city\n", "owner: mayor\n")
    with pytest.raises(DataError) as info:
        case2.material(data_copy)
    text = str(info.value)
    assert "'voters' はありません" in text and "'mayor' はありません" in text
    assert "stakeholder_expectations.items.stakeholder" in text and "benefit_ledger.statements.owner" in text


def test_a_distractor_must_belong_to_nobody(data_copy):
    _edit(data_copy / "lessons/case2.yml", "    - id: discount\n      owner: nobody\n",
          "    - id: discount\n      owner: users\n")
    with pytest.raises(DataError, match=r"文 'discount': basis が distractor の文は owner を nobody に"):
        case2.material(data_copy)


def test_misspelt_field_and_broken_yaml_are_reported(data_copy):
    _edit(data_copy / "lessons/case2.yml", "  default_users: 10000\n", "  default_user: 10000\n")
    with pytest.raises(DataError, match=r"calculator の項目 'default_user': この項目は使えません"):
        case2.material(data_copy)
    (data_copy / "lessons/case2.yml").write_text("lesson: case2\n  bad: [\n", encoding="utf-8")
    with pytest.raises(DataError, match="YAML の書き方に誤りがあります"):
        case2.material(data_copy)


# --- 演習1: stakeholders ----------------------------------------------------------------


@pytest.fixture
def stakeholders(mat, course):
    return case2.stakeholder_task(mat, course)


def test_stakeholder_task_right_wrong_partial(stakeholders):
    task = stakeholders
    assert [c.label for c in task.categories] == ["顧客", "株主", "従業員", "取引先"]
    assert task.check().unanswered == 8
    item = next(i for i in task.items if i.id == "return_on_investment")
    task.assign(item.id, "shareholders")
    wrong = next(i for i in task.items if i.id == "fair_terms")
    task.assign(wrong.id, "customers")
    results = {r.item.id: r for r in task.check().results}
    assert results["return_on_investment"].mark is Mark.CORRECT
    assert "株主" in results["return_on_investment"].message and "講座の説明" in results["return_on_investment"].message
    assert results["fair_terms"].mark is Mark.WRONG
    assert "「顧客」ではありません" in results["fair_terms"].message
    assert "相手の会社" in results["fair_terms"].message  # the clue, not the answer
    assert "取引先" not in results["fair_terms"].message
    assert "8 項目のうち 1 項目が正解" in task.check().summary
    for i in task.items:
        task.assign(i.id, i.answer)
    assert task.check().complete


def test_stakeholder_task_refuses_malformed_answers(stakeholders):
    assert not stakeholders.assign("no_such_item", "customers")
    assert not stakeholders.assign(stakeholders.items[0].id, "<script>")
    assert stakeholders.load_state({"answers": {"value_for_money": ["customers"]}}) == 0
    assert stakeholders.load_state(None) == 0


def test_stakeholder_widget_driven_by_a_learner(store):
    w = case2.stakeholder_expectations()
    assert isinstance(w, SortingWidget)
    w.choices["pride_in_work"].value = "employees"
    w.choices["stable_relationship"].value = "shareholders"
    w.check_button.click()
    assert "✅" in w.marks["pride_in_work"].value and "❌" in w.marks["stable_relationship"].value
    assert w.feedback.kind == "warning"
    assert "働く人の誇り" in w.feedback.text
    again = case2.stakeholder_expectations()
    assert again.choices["pride_in_work"].value == "employees"


# --- 演習2: the ledger -------------------------------------------------------------------


@pytest.fixture
def ledger(mat) -> BenefitLedger:
    return case2.ledger_task(mat)


def fill(ledger: BenefitLedger) -> None:
    for s in ledger.statements:
        ledger.assign(s.id, s.owner)


def test_complete_ledger_has_no_flags(ledger):
    fill(ledger)
    check = ledger.check()
    assert check.complete and not check.party_gaps and not check.claimed_distractors
    assert ledger.flags(check) == []
    assert "どの主体にも、その主体だけのメリットがあります" in check.summary
    assert "ヒントは要りません" in ledger.hint()


def test_empty_ledger_says_so_without_flags(ledger):
    check = ledger.check()
    assert check.unanswered == check.total == 8
    assert ledger.flags(check) == []
    assert "まだどの文も欄に入っていません" in check.summary


def test_a_party_left_with_no_benefit_of_its_own_is_flagged(ledger):
    fill(ledger)
    ledger.assign("easy_contribution", SHARED)  # the users' only benefit, moved to "shared"
    check = ledger.check()
    assert [p.id for p in check.party_gaps] == ["users"]
    [flag] = ledger.flags(check)
    assert "「カード利用者」の欄に、その主体だけが得るメリットがまだありません" in flag
    result = next(r for r in check.results if r.statement.id == "easy_contribution")
    assert "共通する成果ではなく" in result.message and "普段の買い物をする人" in result.message
    assert "カード利用者" in ledger.hint()


def test_a_party_with_only_wrong_entries_still_has_a_gap(ledger):
    ledger.assign("subsidy", "company")
    check = ledger.check()
    assert "company" in {p.id for p in check.party_gaps}
    flags = ledger.flags(check)
    assert any("「企業が市から補助金を受け取る」が「企業 (イオン・イオンリテール)」の欄" in f for f in flags)


def test_every_kind_of_wrong_placement_is_explained(ledger):
    ledger.assign("discount", "users")          # distractor given to a party
    ledger.assign("no_cost", NOBODY)            # real benefit put under nobody
    ledger.assign("arts_thrive", "city")        # shared outcome given to one party
    ledger.assign("card_spreads", SHARED)       # own benefit put under shared
    ledger.assign("fund_income", "company")     # another party's benefit
    msgs = {r.statement.id: r.message for r in ledger.check().results}
    assert "値引きではなく" in msgs["discount"] and "だれも得ない" in msgs["discount"]
    assert "だれかが得ているもの" in msgs["no_cost"]
    assert "みんなに共通する成果" in msgs["arts_thrive"]
    assert "固有のメリット" in msgs["card_spreads"]
    assert "「企業 (イオン・イオンリテール)」のメリットではありません" in msgs["fund_income"]
    assert "行政の側" in msgs["fund_income"]
    check = ledger.check()
    assert len(check.claimed_distractors) == 1
    assert "0 個が正しい欄" in check.summary


def test_ledger_state_round_trip_and_garbage(ledger, mat):
    fill(ledger)
    again = case2.ledger_task(mat)
    assert again.load_state(ledger.to_state()) == 8 and again.check().complete
    assert again.load_state({"answers": {"discount": "<b>", "nope": NOBODY, "subsidy": 3}}) == 0
    assert again.load_state([1, 2]) == 0
    assert not again.assign("discount", "everyone")


def test_ledger_refuses_impossible_setups():
    a, b = Party("a", "A", "a"), Party("b", "B", "b")
    with pytest.raises(ValueError):
        BenefitLedger([a], [Statement("s", "t", "a", "w")])
    with pytest.raises(ValueError, match="持ち主"):
        BenefitLedger([a, b], [Statement("s", "t", "c", "w")])
    with pytest.raises(ValueError, match="予約"):
        BenefitLedger([a, Party(SHARED, "S", "s")], [Statement("s", "t", "a", "w")])
    with pytest.raises(ValueError, match="重複"):
        BenefitLedger([a, b], [Statement("s", "t", "a", "w"), Statement("s", "u", "b", "w")])


def test_ledger_widget_table_marks_and_flags(store, mat):
    w = LedgerWidget(case2.ledger_task(mat), "case2/ledger", "演習2", "帳簿", "選ぶ", store=store)
    assert w.table.value.count("(まだありません)") == 5
    w.choices["discount"].value = "users"
    assert "買い物の代金が0.1%安くなる" in w.table.value and w.table.value.count("(まだありません)") == 4
    w.check_button.click()
    assert w.feedback.kind == "warning"
    assert "❌" in w.marks["discount"].value
    text = w.feedback.text
    assert text.index("その主体だけが得るメリットがまだありません") < text.index("値引きではなく")
    for s in w.ledger.statements:
        w.choices[s.id].value = s.owner
    w.check_button.click()
    assert w.feedback.kind == "success" and "帳簿が完成しました" in w.feedback.widget.value


def test_ledger_widget_nothing_chosen_hint_reset_restore(private_workspace, mat):
    w = LedgerWidget(case2.ledger_task(mat), "case2/ledger", "演習2", "帳簿", "選ぶ",
                     store=Store.open(private_workspace, "tester"))
    w.check_button.click()
    assert w.feedback.kind == "info" and "まだ一つも欄を選んでいません" in w.feedback.text
    w.hint_button.click()
    assert "見直しましょう" in w.feedback.text or "メリットを探しましょう" in w.feedback.text
    w.choices["no_cost"].value = "city"
    again = LedgerWidget(case2.ledger_task(mat), "case2/ledger", "演習2", "帳簿", "選ぶ",
                         store=Store.open(private_workspace, "tester"))
    assert again.choices["no_cost"].value == "city" and "費用をかけずに" in again.table.value
    again.reset_button.click()
    assert again.choices["no_cost"].value == "city"
    again.reset_button.click()
    assert again.choices["no_cost"].value is None and "費用をかけずに" not in again.table.value
    assert Store.open(private_workspace, "tester").get("case2/ledger") is None


def test_ledger_table_escapes_statement_text(store):
    hostile = Statement("x", "<img src=x onerror=alert(1)>", "a", "w")
    led = BenefitLedger([Party("a", "<b>A</b>", "c"), Party("b", "B", "c")], [hostile])
    w = LedgerWidget(led, "k", "演習", "t", "i", store=store)
    w.choices["x"].value = "a"
    assert "<img" not in w.table.value and "&lt;img" in w.table.value and "&lt;b&gt;A" in w.table.value


# --- 演習3: the donation calculator ----------------------------------------------------------


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
    assert len("9" * MAX_INPUT_CHARS) == MAX_INPUT_CHARS
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
    assert odd.cut_off
    assert any("切り捨て" in line for line in odd.explanation())
    assert any("12.345 円" in line for line in odd.explanation())
    assert estimate(999, 1, 0.001).all_month == 0  # 0.999円 → 0円, never rounded up
    assert estimate(1000, 1, 0.001).all_month == 1


def test_estimate_refuses_impossible_input():
    with pytest.raises(ValueError):
        estimate(100, 1, 0)
    with pytest.raises(ValueError):
        estimate(100, 1, 1.5)
    with pytest.raises(ValueError):
        estimate(-1, 1, 0.001)


@pytest.mark.parametrize("guess, verdict", [
    (200_000, GuessVerdict.RIGHT), (200_001, GuessVerdict.RIGHT),
    (2_000_000, GuessVerdict.RATE_1_PERCENT), (20_000_000, GuessVerdict.RATE_10_PERCENT),
    (200_000_000, GuessVerdict.NO_RATE), (20_000, GuessVerdict.TOO_SMALL_10),
    (2_400_000, GuessVerdict.YEAR), (20, GuessVerdict.ONE_USER),
    (123_456, GuessVerdict.OTHER), (999_999, GuessVerdict.OTHER),
])
def test_guesses_name_the_usual_slips(guess, verdict):
    result = judge_guess(guess, estimate(20000, 10000, 0.001))
    assert result.verdict is verdict
    assert "200,000 円" in result.message
    assert result.right is (verdict is GuessVerdict.RIGHT)


def test_other_guesses_say_which_way():
    est = estimate(20000, 10000, 0.001)
    assert "予想より少なく" in judge_guess(999_999, est).message
    assert "予想より多く" in judge_guess(123_456, est).message


@pytest.fixture
def calc(store) -> DonationWidget:
    return DonationWidget(0.001, 20000, 10000, "case2/donation", "演習3", store=store)


def test_calculator_starts_with_the_hypothetical_example(calc):
    assert calc.spending.value == "20000" and calc.users.value == "10000"
    assert calc.feedback.kind == "info" and "架空の例で計算しました" in calc.feedback.widget.value
    assert "<img src='data:image/png;base64,iVBORw0KGgo" in calc.figure_box.value
    assert "架空の例" in calc.chart.alt_text and "利用者10,000人・1年: 2,400,000円" in calc.chart.alt_text
    assert "架空の例" in calc.figure_box.value and "<details>" in calc.figure_box.value
    assert "2,400,000" in calc.table.value
    ax = calc.chart.figure.axes[0]
    assert ax.get_title() == "カードの利用から生まれる寄付 (架空の例)"
    assert {t.get_text() for t in ax.get_yticklabels()} == {
        "利用者1人・1か月", "利用者1人・1年", "利用者10,000人・1か月", "利用者10,000人・1年"}
    assert any("架空の例" in t.get_text() for t in calc.chart.figure.texts)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert "2,000,000" in ticks and not ax.xaxis.get_offset_text().get_text()


def test_calculator_bad_input_gets_messages_and_keeps_the_last_result(calc):
    before = calc.figure_box.value
    calc.spending.value = "たくさん"
    calc.users.value = "-3"
    calc.calculate_button.click()
    assert calc.feedback.kind == "warning"
    assert "数字で入れてください" in calc.feedback.text and "マイナス" in calc.feedback.text
    assert "入力を直してから" in calc.feedback.text
    assert calc.figure_box.value == before and calc.estimate.spending == 20000


def test_calculator_guess_feedback_and_saving(calc, private_workspace):
    calc.spending.value = "1万"
    calc.users.value = "500"
    calc.guess.value = "50,000"
    calc.calculate_button.click()
    assert calc.feedback.kind == "warning"
    assert "10倍" in calc.feedback.text and "1% として" in calc.feedback.text
    assert "利用者500人・1か月: 5,000円" in calc.chart.alt_text
    calc.guess.value = "5000"
    calc.calculate_button.click()
    assert calc.feedback.kind == "success" and "予想どおり" in calc.feedback.text
    saved = Store.open(private_workspace, "tester").get("case2/donation")
    assert saved == {"spending": "1万", "users": "500", "guess": "5000"}
    again = DonationWidget(0.001, 20000, 10000, "case2/donation", "演習3",
                           store=Store.open(private_workspace, "tester"))
    assert again.spending.value == "1万" and again.estimate.all_month == 5000
    assert "前回の続きから再開します" in again.feedback.text


def test_calculator_restore_cleans_hand_edited_state(private_workspace):
    store = Store.open(private_workspace, "tester")
    store.save("case2/donation", {"spending": "2\x00" + "0" * 100, "users": 7, "guess": "<script>"})
    w = DonationWidget(0.001, 20000, 10000, "case2/donation", "演習3", store=Store.open(private_workspace, "tester"))
    assert "\x00" not in w.spending.value and len(w.spending.value) <= MAX_INPUT_CHARS
    assert w.users.value == "10000"
    w.calculate_button.click()
    assert w.feedback.kind == "warning" and "<script>" not in w.feedback.widget.value


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
    assert calc.users.value == "10000" and calc.estimate.users == 10000
    assert Store.open(private_workspace, "tester").get("case2/donation") is None


def test_calculator_zero_users(calc):
    calc.users.value = "0"
    calc.calculate_button.click()
    assert calc.feedback.kind == "info" and "寄付も 0 円" in calc.feedback.widget.value


# --- the facade ---------------------------------------------------------------------------


def test_facade_builds_every_exercise():
    assert isinstance(case2.stakeholder_expectations(), SortingWidget)
    assert isinstance(case2.benefit_ledger(), LedgerWidget)
    assert isinstance(case2.donation_calculator(), DonationWidget)


def test_facade_shows_broken_lesson_data_as_a_message(monkeypatch):
    from kyodo import lesson
    from kyodo.data import Problem

    def broken(*_a, **_k):
        raise DataError([Problem("data/lessons/case2.yml", "calculator", "<数>で書いてください")])

    shown = []
    monkeypatch.setattr(case2, "material", broken)
    monkeypatch.setattr(lesson, "display", shown.append)
    assert case2.benefit_ledger() is None
    [html] = shown
    assert "data/lessons/case2.yml" in html.data and "&lt;数&gt;" in html.data and "Traceback" not in html.data


def test_every_message_built_from_a_name_exists():
    from kyodo.text import msg

    for q in Quantity:
        for key in ("name", "example", "fraction", "too_large"):
            assert msg(f"donation.{key}_{q.value}", name="x", limit="1")
    for v in GuessVerdict:
        if v is not GuessVerdict.OTHER:
            assert msg(f"donation.guess_{v.value}", amount="1", rate="0.1%")
