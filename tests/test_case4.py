"""CASE4 lesson: who brings what, the logic-model builder and the programmes' abilities.

The exercises are data in data/exercises/case4.yml (case4-ex1 and case4-ex3: choice;
case4-ex2: kind logic_model, built by kyodo.widgets.logic_model.build). The tests
check their content by invariants against the course data, not by copying it.
"""

from __future__ import annotations

import copy
from pathlib import Path

import ipywidgets as W
import pytest
import yaml

import kyodo
from kyodo.data import DataError
from kyodo.exercises.choice import Mark
from kyodo.exercises.logic_model import (
    BASIC_KINDS,
    KINDS,
    MAX_LINKS,
    MAX_PER_KIND,
    MAX_PURPOSE,
    MAX_TEXT,
    LogicModel,
    Severity,
    Target,
)
from kyodo.logic_diagram import logic_model_figure
from kyodo.registry import BuiltSpec, ChoiceSpec, choice_task, load_registry
from kyodo.solutions import answer_key_markdown, answer_table, solution_html
from kyodo.storage import Store
from kyodo.widgets.choice import ChoiceWidget
from kyodo.widgets.logic_model import LogicModelParams, LogicModelWidget, build, candidates_of

ELSEWHERE = "elsewhere"


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def ex1(registry) -> ChoiceSpec:
    spec = registry.get("case4-ex1")
    assert isinstance(spec, ChoiceSpec)
    return spec


@pytest.fixture(scope="module")
def ex2(registry) -> BuiltSpec:
    spec = registry.get("case4-ex2")
    assert isinstance(spec, BuiltSpec) and spec.kind == "logic_model"
    return spec


@pytest.fixture(scope="module")
def ex3(registry) -> ChoiceSpec:
    spec = registry.get("case4-ex3")
    assert isinstance(spec, ChoiceSpec)
    return spec


@pytest.fixture(scope="module")
def cands(ex2):
    return candidates_of(ex2)


def rewrite(folder: Path, change) -> None:
    path = folder / "exercises" / "case4.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(next(e for e in data["exercises"] if e["id"] == "case4-ex1"),
           next(e for e in data["exercises"] if e["id"] == "case4-ex2"),
           next(e for e in data["exercises"] if e["id"] == "case4-ex3"))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_lesson_has_its_three_exercises_and_their_old_keys(registry):
    specs = registry.of_lesson("case4")
    assert [(s.id, s.kind) for s in specs] == [("case4-ex1", "choice"), ("case4-ex2", "logic_model"),
                                                ("case4-ex3", "choice")]
    assert [s.legacy_keys for s in specs] == [["case4/contributions"], ["case4/logic_model"], ["case4/programmes"]]


# --- 演習1: who brings what ------------------------------------------------------------------


def test_ex1_answers_agree_with_the_strengths_in_the_course_data(ex1, course):
    """Every item is a strength: a participant's goes to (that participant, its kind), another case's to elsewhere."""
    case = course.case("case4")
    members = {p.org for p in case.participants}
    options = {o.id: o for o in ex1.options}
    bringers = {o.facets["bringer"].org_short for o in ex1.options if o.facets}
    assert bringers == {org for org in members if any(s.resource for s in course.org(org).strengths)}
    for item in ex1.items:
        org, strength_id = item.text.strength.split(".")
        strength = next(s for s in course.org(org).strengths if s.id == strength_id)
        if org in members:
            facets = options[item.answer].facets
            assert (facets["bringer"].org_short, facets["kind"].resource_kind) == (org, strength.resource)
        else:
            assert item.answer == ELSEWHERE
    brought = {(org, s.id) for org in members for s in course.org(org).strengths if s.resource}
    assert brought == {tuple(i.text.strength.split(".")) for i in ex1.items if i.answer != ELSEWHERE}
    assert sum(i.answer == ELSEWHERE for i in ex1.items) >= 3


def test_ex1_options_are_named_by_their_facets(ex1, course):
    task = choice_task(ex1, course)
    pairs = [o for o in task.options if o.facets]
    assert len(pairs) == 6 and task.options[-1].id == ELSEWHERE
    for o in pairs:
        assert o.label == f"{o.facets['bringer']}・{o.facets['kind']}"
    assert "キーパーソン21・知識や能力" in [o.label for o in pairs]


def test_ex1_right_and_also_answers_are_accepted(ex1, course):
    task = choice_task(ex1, course)
    for item in ex1.items:
        task.choose(item.id, item.answer)
    check = task.check()
    assert check.complete and all(r.mark is Mark.RIGHT for r in check.results)
    for item in ex1.items:
        for also in item.also:
            task.choose(item.id, also.answer)
            result = next(r for r in task.check().results if r.item.id == item.id)
            assert result.mark is Mark.ALSO and also.comment in result.message
            task.choose(item.id, item.answer)


def test_decision_4_working_adults_as_knowledge_and_skills_is_accepted(ex1, course):
    """DECISION 4: the lesson itself says working adults can be read as 知識や能力 (their experience and knowledge)."""
    task = choice_task(ex1, course)
    task.choose("working_adults", "csr_companies_knowledge_skills")
    result = next(r for r in task.check().results if r.item.id == "working_adults")
    assert result.mark is Mark.ALSO  # was wrong: 「資源の種類が違います」
    assert "この読み方もできます" in result.message and "経験や知識" in result.message
    assert "人的ネットワーク" in result.message  # and why the course keeps 人的ネットワーク
    task.choose("working_adults", "keyperson21_knowledge_skills")
    assert next(r for r in task.check().results if r.item.id == "working_adults").mark is Mark.WRONG


def test_ex1_feedback_tells_the_halves_apart(ex1, course):
    task = choice_task(ex1, course)
    task.choose("career_education_knowhow", "keyperson21_facilities")           # right partner, wrong kind
    task.choose("company_facilities", "keyperson21_facilities")                 # right kind, wrong partner
    task.choose("working_adults", "keyperson21_knowledge_skills")               # both wrong
    task.choose("meiji_kurokawa__farm_facilities", "csr_companies_facilities")  # from another case
    task.choose("greenbird_kawasaki__social_media", ELSEWHERE)
    task.choose("jfe_keihin__factory", "csr_companies_facilities")
    r = {x.item.id: x for x in task.check().results}
    assert "「キーパーソン21」は合っています" in r["career_education_knowhow"].message
    assert "人の頭と手" in r["career_education_knowhow"].message
    assert "「施設や設備」は合っています" in r["company_facilities"].message
    assert "は合っています" not in r["working_adults"].message and "ではありません" in r["working_adults"].message
    assert "ほかの事例の主体の強み" in r["meiji_kurokawa__farm_facilities"].message
    assert r["greenbird_kawasaki__social_media"].mark is Mark.RIGHT and "CASE1" in r["greenbird_kawasaki__social_media"].message
    assert r["jfe_keihin__factory"].mark is Mark.WRONG


def test_ex1_real_item_put_elsewhere_and_two_level_hints(ex1, course):
    task = choice_task(ex1, course)
    task.choose("company_facilities", ELSEWHERE)
    result = next(r for r in task.check().results if r.item.id == "company_facilities")
    assert result.mark is Mark.WRONG and "企業の側" in result.message
    first = task.hint()
    assert "企業の施設" in first and "場所や物" in first and "教育CSRに取り組む企業・施設や設備" not in first
    assert "教育CSRに取り組む企業・施設や設備" in task.hint()
    for item in ex1.items:
        task.choose(item.id, item.answer)
    assert task.check().complete and "ヒントは要りません" in task.hint()


def test_ex1_old_save_restores_into_the_new_widget(private_workspace):
    old = Store.open(private_workspace, "tester")
    old.save("case4/contributions", {"answers": {"working_adults": "csr_companies:knowledge_skills",
                                                  "career_education_knowhow": "keyperson21:knowledge_skills",
                                                  "greenbird_kawasaki__social_media": "elsewhere",
                                                  "gone": "elsewhere"}})
    w = kyodo.exercise("case4-ex1", store=Store.open(private_workspace, "tester"))
    assert isinstance(w, ChoiceWidget)
    assert w.dropdowns["working_adults"][0].value == "csr_companies_knowledge_skills"
    assert w.dropdowns["career_education_knowhow"][0].value == "keyperson21_knowledge_skills"
    assert w.dropdowns["greenbird_kawasaki__social_media"][0].value == ELSEWHERE
    assert "前回の続きから再開します" in w.feedback.text and "3 件" in w.feedback.text
    w.check_button.click()
    assert "✅" in w.marks["working_adults"].value and "この読み方もできます" in w.marks["working_adults"].value
    w.dropdowns["company_facilities"][0].value = "csr_companies_human_network"
    w.check_button.click()
    assert "❌" in w.marks["company_facilities"].value and "「教育CSRに取り組む企業」は合っています" in w.feedback.text
    saved = Store.open(private_workspace, "tester")
    assert saved.get("case4/contributions") is None
    assert saved.get("case4-ex1")["answers"]["working_adults"] == "csr_companies_knowledge_skills"


# --- 演習3: programmes and abilities ----------------------------------------------------------------


def test_ex3_is_the_case_programmes_against_its_abilities(ex3, course):
    case = course.case("case4")
    task = choice_task(ex3, course)
    assert ex3.mode == "many" and ex3.layout == "checkboxes"
    assert [i.text for i in task.items] == [p.name for p in case.programmes]
    assert [o.label for o in task.options] == [a.name for a in case.abilities]
    assert task.reflective and all(i.readings and i.prompt and i.answer is None for i in ex3.items)
    assert all("推測" in r.comment for i in ex3.items for r in i.readings)


def test_ex3_compares_and_never_marks(ex3, course):
    task = choice_task(ex3, course)
    assert "まだ答えが選ばれていません" in task.check().summary
    bingo, game = (i for i in ex3.items)
    for option in bingo.readings[0].answer:
        task.tick(bingo.id, option, True)
    other = next(o.id for o in ex3.options if o.id not in game.readings[0].answer)
    task.tick(game.id, other, True)
    check = task.check()
    results = {r.item.id: r for r in check.results}
    assert all(r.mark is Mark.DISCUSSION for r in check.results)
    assert "講座の読み方" in results[bingo.id].message and "と同じです" in results[bingo.id].message
    assert "正解・不正解を決める問いではありません" in results[game.id].message
    assert game.readings[0].comment in results[game.id].message
    assert check.complete and check.kind == "success"
    hints = [task.hint(), task.hint()]
    assert bingo.prompt in hints[0] and game.prompt in hints[1]


def test_ex3_old_save_restores_and_the_widget_shows_no_marks(private_workspace, ex3):
    Store.open(private_workspace, "tester").save("case4/programmes",
                                                  {"chosen": {"communication_game": ["be_independent"]}})
    w = kyodo.exercise("case4-ex3", store=Store.open(private_workspace, "tester"))
    assert w.boxes["communication_game"]["be_independent"].value is True
    assert "前回の続きから再開します" in w.feedback.text
    w.check_button.click()
    text = w.feedback.text
    assert "💬" in text and "✅" not in text and "❌" not in text
    w.reset_button.click()
    w.reset_button.click()
    assert w.boxes["communication_game"]["be_independent"].value is False


# --- 演習2: the builder's suggestions -------------------------------------------------------------


def test_ex2_suggestions_match_the_case(ex2, cands):
    params = ex2.parsed(LogicModelParams)
    assert params.hypothetical_targets is True
    fits = {c.id: c.fits for c in cands}
    assert fits["x_count"] == "output"  # a count of what the activity produced: lesson 08's アウトプット
    assert {c.fits for c in cands if not c.for_purpose} == set(KINDS)
    assert {c.fits for c in cands if c.for_purpose} == {"purpose", "none"}
    targets = [c for c in cands if c.example_target]
    assert targets and all(c.fits == "outcome" for c in targets)


def test_ex2_old_save_restores_into_the_built_widget(private_workspace, ex2):
    Store.open(private_workspace, "tester").save("case4/logic_model", copy.deepcopy(OLD_SAVE))
    w = build(ex2, Store.open(private_workspace, "tester"))
    assert w.key == "case4-ex2" and w.purpose_choice.value == "purpose_children"
    assert len(w.entry_list.options) == 4 and len(w.link_list.options) == 3
    assert "前回の続きから再開します" in w.feedback.text
    assert "演習2" in w.ui.children[0].value and ex2.title in w.ui.children[0].value
    w.entry_list.value = "o3"
    w.remove_button.click()
    saved = Store.open(private_workspace, "tester")
    assert saved.get("case4/logic_model") is None and len(saved.get("case4-ex2")["entries"]) == 3
    again = build(ex2, Store.open(private_workspace, "tester"))
    assert len(again.entry_list.options) == 3


def test_hypothetical_label_cannot_be_dropped(data_copy):
    rewrite(data_copy, lambda e1, e2, e3: e2["params"].pop("hypothetical_targets"))
    spec = load_registry(data_copy).get("case4-ex2")
    with pytest.raises(DataError, match=r"hypothetical_targets.*必須の項目がありません"):
        candidates_of(spec)


def test_candidate_fits_are_checked(data_copy):
    def change(e1, e2, e3):
        by_id = {c["id"]: c for c in e2["params"]["candidates"]}
        by_id["res_knowhow"]["fits"] = "purpose"
        by_id["x_count"]["fits"] = "activity"
        by_id["act_game"]["example_target"] = {"what": "a", "how_much": "b", "by_when": "c"}
        e2["params"]["purpose_candidates"][0]["fits"] = "outcome"

    rewrite(data_copy, change)
    with pytest.raises(DataError) as info:
        candidates_of(load_registry(data_copy).get("case4-ex2"))
    text = str(info.value)
    assert "data/exercises/case4.yml" in text and "case4-ex2" in text
    assert "'res_knowhow' の fits に purpose は使えません" in text
    assert "候補に fits: output のものが一つもありません" in text
    assert "'act_game' は成果ではないので" in text
    assert "目的の候補 'purpose_children' の fits は purpose か none" in text


def test_unknown_fits_programme_and_ability_are_named(data_copy):
    def change(e1, e2, e3):
        e2["params"]["candidates"][0]["fits"] = "impact"
        e3["items"][0]["text"] = {"programme": "case4.quiz_night"}
        e3["options"][0]["label"] = {"ability": "case4.fly"}

    rewrite(data_copy, change)
    with pytest.raises(DataError) as info:
        load_registry(data_copy)
    text = str(info.value)
    assert "programme 'case4.quiz_night'" in text and "ability 'case4.fly'" in text
    rewrite(data_copy, lambda e1, e2, e3: (e3["items"][0].update(text={"programme": "case4.bingo_map"}),
                                           e3["options"][0].update(label={"ability": "case4.know_self"})))
    with pytest.raises(DataError, match=r"fits.*次のどれかにしてください"):
        candidates_of(load_registry(data_copy).get("case4-ex2"))


def test_an_option_needs_a_label_or_facets(data_copy):
    rewrite(data_copy, lambda e1, e2, e3: e1["options"][0].pop("facets"))
    with pytest.raises(DataError, match=r"選択肢には label \(名前\) か facets"):
        load_registry(data_copy)


# --- 演習2: the logic model (pure) ------------------------------------------------------------


def good_model(candidates=()) -> LogicModel:
    m = LogicModel(candidates)
    m.set_purpose("子ども目線のキャリア教育を行う")
    m.add("resource", "専門知識")
    m.add("activity", "プログラムを行う")
    m.add("outcome", "自ら動き出すきっかけを得る", Target("答えた割合", "7割", "年度末"))
    assert m.link("r1", "a1").ok and m.link("a1", "o1").ok
    return m


def output_model(candidates=()) -> LogicModel:
    """The chain lesson 08 teaches: resource → activity → output → outcome."""
    m = LogicModel(candidates)
    m.set_purpose("子ども目線のキャリア教育を行う")
    m.add("resource", "専門知識")
    m.add("activity", "プログラムを行う")
    m.add("output", "開いた回数")
    m.add("outcome", "自ら動き出すきっかけを得る", Target("答えた割合", "7割", "年度末"))
    assert m.link("r1", "a1").ok and m.link("a1", "u1").ok and m.link("u1", "o1").ok
    return m


def test_a_connected_model_with_targets_is_complete():
    check = output_model().check()
    assert check.complete and not check.issues
    assert "ロジックモデルがつながりました" in check.summary and "見直すとよいところ 0 件" in check.summary
    assert "ヒントは要りません" in output_model().hint()
    shortcut = good_model().check()  # activity → outcome with no output in between
    assert shortcut.complete and [i.code for i in shortcut.issues] == ["no_output"]
    assert "見直すとよいところ 1 件" in shortcut.summary
    assert "アウトプットは、活動からすぐに生まれる結果です" in good_model().hint()


def test_empty_model_lists_what_is_missing():
    check = LogicModel().check()
    assert [i.code for i in check.problems] == ["no_purpose", "no_resource", "no_activity", "no_outcome"]
    assert [i.code for i in check.advice] == ["no_output"]  # outputs are welcome, not required
    assert "アウトプット 0" in check.summary
    basic = LogicModel(kinds=BASIC_KINDS).check()
    assert not basic.advice and "アウトプット" not in basic.summary
    assert "目的がまだありません" in LogicModel().hint() or "だれに" in LogicModel().hint()


def test_activity_leading_nowhere_is_flagged():
    m = good_model()
    m.add("activity", "見学会を開く")
    m.link("r1", "a2")
    check = m.check()
    [issue] = check.problems
    assert issue.code == "activity_no_outcome" and issue.entry_id == "a2"
    assert "「見学会を開く」は、どの成果にもつながっていません" in issue.message
    assert "見学会を開く" in m.hint()


@pytest.mark.parametrize("target, missing", [
    (Target(), "outcome_no_target"),
    (Target("答えた割合", "", ""), "outcome_partial_target"),
    (Target("答えた割合", "7割", "   "), "outcome_partial_target"),
    (Target("", "7割", "年度末"), "outcome_partial_target"),
])
def test_outcome_needs_all_three_parts(target, missing):
    m = good_model()
    m.add("outcome", "三つの力が身につく", target)
    m.link("a1", "o2")
    codes = [i.code for i in m.check().problems]
    assert codes == [missing]
    issue = m.check().problems[0]
    if missing == "outcome_partial_target":
        assert "が足りません" in issue.message
    if not target.by_when.strip() and target.what:
        assert "いつまでに" in issue.message


def test_outcome_that_no_activity_reaches_and_advice():
    m = output_model()
    m.add("outcome", "地域の大人が学校に関わる", Target("関わった人数", "たくさん", "来年"))
    m.add("resource", "企業の施設")
    m.add("activity", "振り返りの会を開く")
    m.link("a2", "o1")
    check = m.check()
    assert [i.code for i in check.problems] == ["outcome_unreached"]
    advice = {i.code for i in check.advice}
    assert advice == {"how_much_vague", "resource_unused", "activity_no_resource"}
    assert all(i.severity is Severity.ADVICE for i in check.advice)
    assert "直すところが 1 件、見直すとよいところが 3 件" in check.summary


def test_numbers_in_how_much_are_recognised():
    for how_much in ("7割", "３０人", "半数以上", "全員", "2回以上", "80%"):
        m = output_model()
        m.set_target("o1", Target("x", how_much, "年度末"))
        assert not m.check().issues, how_much


def test_misplaced_suggestions_are_explained(cands):
    m = LogicModel(cands)
    m.set_purpose("NPOと企業が協働・連携すること", "purpose_collaborate")
    m.add("outcome", "プログラムを何回開いたか", Target("回数", "10回", "年度末"), "x_count")
    m.add("activity", "企業の施設", None, "res_facilities")
    codes = [i.code for i in m.check().problems]
    assert codes[0] == "misplaced_purpose" and codes.count("misplaced") == 2
    assert "no_outcome" in codes and "no_resource" in codes
    text = "\n".join(i.message for i in m.check().problems)
    assert "手段" in text and "活動の量" in text and "資源に当たります" in text
    assert "子どもにどんな変化が起きたか (成果) ではありません" in text and "アウトプット" in text
    assert "outcome_unreached" not in codes  # a misplaced entry gets no further remarks


def test_programme_count_is_right_as_an_output_and_wrong_as_an_outcome(cands):
    def model(kind: str) -> LogicModel:
        m = LogicModel(cands)
        m.set_purpose("子どもたちが主体的に取り組める、子ども目線のキャリア教育を行う", "purpose_children")
        m.add("resource", "企業の施設", None, "res_facilities")
        m.add("activity", "コミュニケーションゲームを行う", None, "act_game")
        m.add("outcome", "子どもたちが自ら考え、動き出すきっかけを得る", Target("答えた割合", "7割以上", "年度末"),
              "out_start")
        added = m.add(kind, "プログラムを何回開いたか", None, "x_count")
        assert added.ok and m.entry(added.entry_id).candidate == "x_count"
        m.link("r1", "a1")
        m.link("a1", added.entry_id)
        m.link(added.entry_id, "o1")
        m.link("a1", "o1")
        return m

    right = model("output").check()
    assert right.complete and not right.issues, [i.message for i in right.issues]
    wrong = model("outcome").check()
    [issue] = wrong.problems
    assert issue.code == "misplaced" and issue.entry_id == "o2"
    assert "[成果] プログラムを何回開いたか: この場所には合いません" in issue.message
    assert "子どもにどんな変化が起きたか (成果) ではありません" in issue.message
    for kind in ("resource", "activity"):
        assert "misplaced" in {i.code for i in model(kind).check().problems}


def test_activity_whose_outputs_lead_nowhere_reaches_no_outcome():
    m = output_model()
    m.add("activity", "見学会を開く")
    m.add("output", "見学した人数")
    m.link("r1", "a2")
    m.link("a2", "u2")
    check = m.check()
    [problem] = check.problems
    assert problem.code == "activity_no_outcome" and problem.entry_id == "a2"
    assert "アウトプット「見学した人数」へはつながっていますが、その先の成果がありません" in problem.message
    assert "アウトプット「見学した人数」から、それが支える成果へ" in m.hint()
    [advice] = check.advice
    assert advice.code == "output_no_outcome" and advice.severity is Severity.ADVICE and advice.entry_id == "u2"
    assert check.flagged_entries == {"a2"}  # advice marks no box 要確認
    m.link("u2", "o1")
    assert m.check().complete and not m.check().issues


def test_output_leading_nowhere_is_only_advice_when_the_activity_reaches_an_outcome():
    m = output_model()
    m.add("output", "配った資料の数")
    m.link("a1", "u2")
    check = m.check()
    assert check.complete and [i.code for i in check.advice] == ["output_no_outcome"]
    assert "活動の記録として残すのはよいこと" in check.advice[0].message


def test_activity_with_no_arrow_at_all_and_output_that_no_activity_produces():
    m = output_model()
    m.add("activity", "見学会を開く")
    m.add("output", "見学した人数")
    m.link("r1", "a2")
    check = m.check()
    assert [i.code for i in check.problems] == ["activity_no_outcome", "output_unreached"]
    assert "「見学会を開く」は、どの成果にもつながっていません" in check.problems[0].message
    assert "直接の結果 (アウトプット) か、その活動が生む成果へ" in check.problems[0].hint
    assert "アウトプット「見学した人数」には、どの活動からも矢印が来ていません" in check.problems[1].message
    assert check.flagged_entries == {"a2", "u2"}


def test_outcome_unreached_names_the_kinds_that_can_reach_it():
    m = output_model()
    m.add("outcome", "三つの力が身につく", Target("答え", "6割", "1か月後"))
    [issue] = m.check().problems
    assert issue.code == "outcome_unreached" and "どの活動・アウトプットからも矢印が来ていません" in issue.message
    basic = LogicModel(kinds=BASIC_KINDS)
    basic.add("outcome", "三つの力が身につく", Target("答え", "6割", "1か月後"))
    assert "どの活動からも矢印が来ていません" in basic.check().problems[-1].message


def test_outputs_carry_no_target():
    m = output_model()
    assert "成果にだけ" in m.add("output", "参加した人数", Target("a", "b", "c")).message
    assert m.entry("u2").target.empty
    assert "成果ではありません" in m.set_target("u1", Target("a", "b", "c")).message


def test_candidate_link_is_lost_when_the_text_is_edited(cands):
    m = LogicModel(cands)
    m.set_purpose("NPOと企業が協働・連携して、子どもの変化を生むこと", "purpose_collaborate")
    assert m.purpose_candidate is None
    m.add("outcome", "プログラムを何回開いたか ", None, "x_count")
    assert m.entries[0].candidate == "x_count"  # spacing does not count as an edit


def test_example_target_hint_is_marked_hypothetical(cands):
    m = LogicModel(cands)
    m.set_purpose("子ども目線のキャリア教育を行う")
    m.add("resource", "専門知識")
    m.add("activity", "プログラムを行う")
    m.add("outcome", "子どもたちが自ら考え、動き出すきっかけを得る", None, "out_start")
    m.link("r1", "a1")
    m.link("a1", "o1")
    hint = m.hint()
    assert "例 (架空の例)" in hint and "7割以上" in hint


def test_building_refuses_with_messages():
    m = LogicModel()
    assert "種類" in m.add(None, "x").message
    assert "種類" in m.add("impact", "x").message
    assert "空です" in m.add("resource", "  \x00 ").message
    assert m.add("resource", "専門知識").ok
    assert "もう資源にあります" in m.add("resource", "専門 知識").message
    assert m.add("resource", "ＡＢ").ok
    assert "もう資源にあります" in m.add("resource", "AB").message  # full width and half width are the same
    for n in range(MAX_PER_KIND):
        m.add("activity", f"活動{n}")
    assert "8 個まで" in m.add("activity", "もう一つ").message
    assert "成果にだけ" in m.add("resource", "施設", Target("a", "b", "c")).message
    assert "選んでください" in m.set_target(None, Target("a", "b", "c")).message
    assert "成果ではありません" in m.set_target("r1", Target("a", "b", "c")).message
    assert "消す項目" in m.remove("o9").message


def test_text_is_cleaned_and_limited():
    m = LogicModel()
    result = m.set_purpose("目的\x00\x1b" + "あ" * (MAX_PURPOSE + 20))
    assert "切りました" in result.message and len(m.purpose) == MAX_PURPOSE and "\x00" not in m.purpose
    added = m.add("resource", "<script>alert(1)</script>" + "い" * MAX_TEXT)
    assert added.ok and len(m.entries[0].text) == MAX_TEXT and "切りました" in added.message
    assert m.entries[0].text.startswith("<script>")  # kept as text; widgets escape it


ALL_LINKS = "つなげるのは 資源 → 活動、活動 → アウトプット、アウトプット → 成果、活動 → 成果 だけ"


@pytest.mark.parametrize("source, target, words", [
    (None, "a1", "両方選んでください"),
    ("r1", "zz", "作った項目の中から"),
    ("r1", "r1", "同じ項目どうし"),
    ("a1", "r1", "向きが逆です。ロジックモデルは 資源 → 活動 → アウトプット → 成果 の向きに読みます"),
    ("o1", "a1", "向きが逆です"),
    ("u1", "a1", "向きが逆です"),
    ("o1", "u1", "向きが逆です"),
    ("r1", "o1", "資源から成果へ、じかにはつなげません"),
    ("r1", "u1", "資源からアウトプットへ、じかにはつなげません"),
    ("o1", "r1", ALL_LINKS),
    ("u1", "r1", "アウトプットから資源へはつなげません"),
    ("u1", "u2", "アウトプットからアウトプットへはつなげません"),
    ("r1", "a1", "その矢印はもうあります"),
    ("a1", "u1", "その矢印はもうあります"),
])
def test_link_rules(source, target, words):
    m = output_model()
    m.add("output", "参加した子どもの人数")
    result = m.link(source, target)
    assert not result.ok and words in result.message


def test_links_through_an_output_and_the_shortcut_are_allowed():
    m = good_model()  # activity → outcome directly
    m.add("output", "開いた回数")
    assert m.link("a1", "u1").ok and m.link("u1", "o1").ok
    assert m.links == [("r1", "a1"), ("a1", "o1"), ("a1", "u1"), ("u1", "o1")]
    assert m.check().complete and not m.check().issues
    assert m.unlink("a1", "o1").ok
    assert m.check().complete  # the outcome is still reached, through the output


def test_a_model_without_outputs_keeps_the_first_rules():
    m = LogicModel(kinds=BASIC_KINDS)
    assert m.kinds == BASIC_KINDS and m.allowed_links == (("resource", "activity"), ("activity", "outcome"))
    assert "種類 (資源・活動・成果)" in m.add("output", "開いた回数").message
    m.add("resource", "専門知識")
    m.add("outcome", "変化")
    assert "つなげるのは 資源 → 活動、活動 → 成果 だけ" in m.link("o1", "r1").message
    m.add("activity", "プログラムを行う")
    assert "資源 → 活動 → 成果 の向きに読みます" in m.link("a1", "r1").message
    assert LogicModel(kinds=("outcome", "activity", "resource")).kinds == BASIC_KINDS  # reading order
    for bad in (("resource", "activity"), ("resource", "activity", "outcome", "impact")):
        with pytest.raises(ValueError):
            LogicModel(kinds=bad)


def test_link_limit_remove_and_unlink():
    m = LogicModel()
    for n in range(MAX_PER_KIND):
        m.add("resource", f"資源{n}")
        m.add("activity", f"活動{n}")
    added = sum(m.link(f"r{i}", f"a{j}").ok for i in range(1, 9) for j in range(1, 9))
    assert added == MAX_LINKS
    assert "40 本まで" in m.link("r8", "a8").message or ("r8", "a8") in m.links
    result = m.remove("r1")
    assert result.ok and "矢印" in result.message and all("r1" not in link for link in m.links)
    assert m.unlink("r2", "a1").ok and not m.unlink("r2", "a1").ok


def test_state_round_trip_keeps_ids_and_drops_garbage(cands):
    m = good_model(cands)
    m.add("activity", "二つ目の活動")
    m.remove("a1")
    m.add("activity", "三つ目の活動")
    m.link("a3", "o1")
    state = m.to_state()
    again = LogicModel(cands)
    assert again.load_state(state) == 1 + 4 + 1
    assert [e.id for e in again.entries] == [e.id for e in m.entries]
    assert again.links == m.links and again.check().issues == m.check().issues
    assert again.add("activity", "四つ目").entry_id == "a4"
    assert again.load_state({"entries": [{"id": "x1", "kind": "resource", "text": "a"},
                                         {"id": "r1", "kind": "activity", "text": "b"},
                                         {"id": "r1", "kind": "resource", "text": 5},
                                         "junk"], "links": [["r1", "a1", "x"], 7]}) == 0
    assert again.load_state("garbage") == 0 and again.size == 0


OLD_SAVE = {
    # saved by the first version (resource → activity → outcome, before outputs), x_count as an outcome
    "purpose": "子どもたちが主体的に取り組める、子ども目線のキャリア教育を行う",
    "purpose_candidate": "purpose_children",
    "entries": [
        {"id": "r1", "kind": "resource", "text": "企業の施設", "candidate": "res_facilities", "target": ["", "", ""]},
        {"id": "a2", "kind": "activity", "text": "コミュニケーションゲームを行う", "candidate": "act_game",
         "target": ["", "", ""]},
        {"id": "o1", "kind": "outcome", "text": "子どもたちが自ら考え、動き出すきっかけを得る", "candidate": "out_start",
         "target": ["答えた割合", "7割以上", "今年度末"]},
        {"id": "o3", "kind": "outcome", "text": "プログラムを何回開いたか", "candidate": "x_count",
         "target": ["回数", "10回", "年度末"]},
    ],
    "links": [["r1", "a2"], ["a2", "o1"], ["a2", "o3"]],
}


@pytest.mark.parametrize("kinds", [KINDS, BASIC_KINDS])
def test_a_save_from_the_three_kind_version_loads_unchanged(cands, kinds):
    m = LogicModel(cands, kinds)
    assert m.load_state(copy.deepcopy(OLD_SAVE)) == 1 + 4 + 3
    assert m.to_state() == OLD_SAVE
    check = m.check()
    assert [i.code for i in check.problems] == ["misplaced"]  # the count is still no outcome
    assert check.problems[0].entry_id == "o3"
    assert [i.code for i in check.advice] == (["no_output"] if "output" in kinds else [])
    assert m.add("activity", "次の活動").entry_id == "a3" and m.add("outcome", "次の成果").entry_id == "o4"
    if "output" in kinds:
        assert m.add("output", "開いた回数").entry_id == "u1"


def test_outputs_are_saved_and_restored_and_dropped_where_there_are_none(cands):
    m = output_model(cands)
    m.add("output", "プログラムを何回開いたか", None, "x_count")
    m.link("a1", "u2")
    m.remove("u1")
    state = m.to_state()
    assert [e["id"] for e in state["entries"]] == ["r1", "a1", "o1", "u2"]
    again = LogicModel(cands)
    assert again.load_state(state) == 1 + 4 + 2
    assert again.to_state() == state and again.add("output", "参加した人数").entry_id == "u3"
    basic = LogicModel(kinds=BASIC_KINDS)
    assert basic.load_state(state) == 1 + 3 + 1  # the output and its arrow are dropped
    assert [e.kind for e in basic.entries] == ["resource", "activity", "outcome"] and basic.links == [("r1", "a1")]
    assert LogicModel().load_state({"entries": [{"id": "u1", "kind": "outcome", "text": "x"},
                                                {"id": "o1", "kind": "output", "text": "y"}]}) == 0


def test_figure_draws_the_output_column(cands):
    m = output_model()
    m.add("activity", "見学会を開く")
    m.link("a2", "o1")  # past the output column
    fig = logic_model_figure(m)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("アウトプット (活動の直接の結果)") == 1 and "開いた回数" in texts
    assert "成果 (人や地域に起きる変化)" in texts
    heads = {t.get_text(): t.get_position()[0] for t in ax.texts}
    assert heads["活動"] < heads["アウトプット (活動の直接の結果)"] < heads["成果 (人や地域に起きる変化)"]
    assert len(ax.patches) == 5  # one box per entry
    [detour] = ax.lines  # the arrow from 見学会を開く to the outcome runs between the output boxes
    assert detour.get_xdata()[-1] > heads["アウトプット (活動の直接の結果)"]
    basic = LogicModel(kinds=BASIC_KINDS)
    basic.add("activity", "プログラムを行う")
    basic_texts = [t.get_text() for t in logic_model_figure(basic).axes[0].texts]
    assert not any("アウトプット" in t for t in basic_texts) and "活動" in basic_texts


def test_describe_and_figure(cands):
    m = good_model()
    m.add("activity", "見学会を開く")
    text = m.describe()
    assert "目的: 子ども目線のキャリア教育を行う" in text
    assert "専門知識 → プログラムを行う" in text and "何を: 答えた割合" in text
    assert text.endswith("要確認 (図では点線の枠): 見学会を開く")
    fig = logic_model_figure(m)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("資源" == t for t in texts) and any("要確認" == t for t in texts)
    assert any("見学会を開く" in t for t in texts)
    assert fig.axes[0].get_title() == "あなたのロジックモデル"
    assert "(なし)" in LogicModel().describe() and "矢印はまだありません" in LogicModel().describe()


# --- 演習2: the logic model widget ---------------------------------------------------------------


@pytest.fixture
def lm(store, ex2) -> LogicModelWidget:
    return build(ex2, store)


def add(w: LogicModelWidget, kind: str, text: str = "", candidate: str | None = None,
        target: tuple[str, str, str] = ("", "", "")) -> None:
    w.kind.value = kind
    if candidate:
        w.candidate.value = candidate
    else:
        w.text.value = text
    w.what.value, w.how_much.value, w.by_when.value = target
    w.add_button.click()


def test_logic_widget_driven_by_a_learner(lm, private_workspace):
    lm.purpose_choice.value = "purpose_children"
    assert lm.purpose.value.startswith("子どもたちが主体的に") and lm.task.purpose_candidate == "purpose_children"
    add(lm, "resource", candidate="res_knowhow")
    assert lm.text.value == "" and lm.candidate.value is None
    add(lm, "activity", candidate="act_bingo")
    add(lm, "activity", text="保護者向けの説明会を開く")
    add(lm, "outcome", candidate="out_start", target=("答えた参加者の割合", "7割以上", "今年度末"))
    assert [label for label, _ in lm.entry_list.options][0] == "[資源] キーパーソン21のキャリア教育の専門知識・ノウハウ"
    lm.link_from.value, lm.link_to.value = "r1", "a1"
    lm.link_button.click()
    lm.link_from.value, lm.link_to.value = "a1", "o1"
    lm.link_button.click()
    assert len(lm.link_list.options) == 2
    lm.check_button.click()
    assert lm.feedback.kind == "warning"
    assert "「保護者向けの説明会を開く」は、どの成果にもつながっていません" in lm.feedback.text
    assert lm.figure is not None and "<img src='data:image/png;base64," in lm.figure_box.value
    assert "<details>" in lm.figure_box.value
    lm.entry_list.value = "a2"
    lm.remove_button.click()
    lm.check_button.click()
    assert lm.feedback.kind == "success" and "つながりました" in lm.feedback.widget.value
    saved = Store.open(private_workspace, "tester").get("case4-ex2")
    assert saved["purpose_candidate"] == "purpose_children" and len(saved["entries"]) == 3
    again = LogicModelWidget(LogicModel(lm.task.candidates.values()), "case4-ex2", "演習2", "t", "i",
                             store=Store.open(private_workspace, "tester"))
    assert again.purpose_choice.value == "purpose_children" and again.task.check().complete
    again.purpose.value = "地域の子どもを育てる"
    assert again.purpose_choice.value is None and again.task.purpose_candidate is None


def _headings(w: LogicModelWidget) -> str:
    return "\n".join(c.value for c in w.ui.children if isinstance(c, W.HTML))


def test_logic_widget_has_the_output_kind(lm, private_workspace):
    assert ("アウトプット (活動の直接の結果)", "output") in lm.kind.options
    assert [value for _, value in lm.kind.options] == [None, *KINDS]
    assert "2. 資源・活動・アウトプット・成果を加える" in _headings(lm)
    assert "3. 矢印でつなぐ (資源 → 活動 → アウトプット → 成果)" in _headings(lm)
    add(lm, "resource", candidate="res_people")
    add(lm, "activity", candidate="act_talk")
    add(lm, "output", candidate="x_count")
    add(lm, "outcome", candidate="out_start", target=("答えた参加者の割合", "7割以上", "今年度末"))
    assert "[アウトプット] プログラムを何回開いたか" in [label for label, _ in lm.entry_list.options]
    sources = [value for _, value in lm.link_from.options]
    targets = [value for _, value in lm.link_to.options]
    assert sources == [None, "r1", "a1", "u1"] and targets == [None, "a1", "u1", "o1"]
    for source, target in (("r1", "a1"), ("a1", "u1"), ("u1", "o1")):
        lm.link_from.value, lm.link_to.value = source, target
        lm.link_button.click()
    lm.purpose_choice.value = "purpose_children"
    lm.check_button.click()
    assert lm.feedback.kind == "success", lm.feedback.text
    assert "アウトプット (活動の直接の結果)" in [t.get_text() for t in lm.figure.axes[0].texts]
    assert "アウトプット: プログラムを何回開いたか" in lm.alt_text
    saved = Store.open(private_workspace, "tester").get("case4-ex2")
    assert {"id": "u1", "kind": "output", "text": "プログラムを何回開いたか", "candidate": "x_count",
            "target": ["", "", ""]} in saved["entries"]


def test_logic_widget_with_three_kinds(store):
    w = LogicModelWidget(LogicModel(kinds=BASIC_KINDS), "capstone/logic", "演習", "t", "i", store=store)
    assert [value for _, value in w.kind.options] == [None, *BASIC_KINDS]
    assert "2. 資源・活動・成果を加える" in _headings(w)
    assert "3. 矢印でつなぐ (資源 → 活動 → 成果)" in _headings(w)
    assert "種類 (資源・活動・成果)" in w.task.add("output", "x").message


def test_logic_widget_target_rewrite_and_unlink(lm):
    add(lm, "outcome", text="三つの力が身につく")
    lm.target_button.click()
    assert "成果を、「作った項目」の一覧から選んで" in lm.feedback.text
    lm.entry_list.value = "o1"
    lm.what.value, lm.how_much.value, lm.by_when.value = "振り返りの答え", "6割", "1か月後"
    lm.target_button.click()
    assert lm.task.entry("o1").target.complete and lm.feedback.kind == "info"
    lm.unlink_button.click()
    assert "消す矢印" in lm.feedback.text and lm.feedback.kind == "warning"


def test_logic_widget_bad_input_messages(lm):
    lm.add_button.click()
    assert lm.feedback.kind == "warning" and "種類" in lm.feedback.text
    lm.kind.value = "resource"
    lm.add_button.click()
    assert "内容が空です" in lm.feedback.text
    lm.link_button.click()
    assert "両方選んでください" in lm.feedback.text
    lm.remove_button.click()
    assert "消す項目" in lm.feedback.text


def test_logic_widget_escapes_hostile_text(lm):
    hostile = "<img src=x onerror=alert(1)>"
    lm.purpose.value = hostile
    add(lm, "activity", text=hostile)
    lm.check_button.click()
    assert "<img" not in lm.feedback.widget.value and "&lt;img" in lm.feedback.widget.value
    assert "<img src=x" not in lm.figure_box.value and "&lt;img src=x" in lm.figure_box.value


def test_logic_widget_reset_and_restore(private_workspace, ex2):
    def make() -> LogicModelWidget:
        return build(ex2, Store.open(private_workspace, "tester"))

    w = make()
    w.reset_button.click()
    assert "消すものはありません" in w.feedback.text
    w.purpose.value = "地域の子どもを育てる"
    add(w, "resource", text="人")
    again = make()
    assert again.purpose.value == "地域の子どもを育てる" and len(again.entry_list.options) == 1
    assert "前回の続きから再開します" in again.feedback.text
    again.check_button.click()
    again.reset_button.click()
    assert "2 件" in again.feedback.text
    again.reset_button.click()
    assert again.task.size == 0 and again.purpose.value == "" and again.entry_list.options == ()
    assert again.figure is None and again.figure_box.value == ""
    assert Store.open(private_workspace, "tester").get("case4-ex2") is None


def test_logic_widget_without_suggestions_works(store):
    w = LogicModelWidget(LogicModel(), "capstone/logic", "演習", "t", "i", store=store)
    assert len(w.candidate.options) == 1 and len(w.purpose_choice.options) == 1
    add(w, "resource", text="場所")
    assert w.task.entries[0].text == "場所"




# --- model answers, the notebook and the facade -------------------------------------------------


def test_model_answers(registry, course):
    table = answer_table("case4-ex1", registry, course)
    assert table is not None and len(table.rows) == len(registry.get("case4-ex1").items)
    discussion = answer_table("case4-ex3", registry, course)
    assert all("推測" in row[3] and "考えられる読み方" in row[1] for row in discussion.rows)
    html = solution_html("case4-ex2")
    assert "<details>" in html and "架空の例" in html and "アウトプット" in html
    page = answer_key_markdown("case4", registry, course)
    assert page.count("**答え合わせの仕組み**") == 3 and page.count("**話し合いの問い**") == 3


def test_the_notebook_shows_every_exercise_and_its_solution(registry):
    import json

    nb = json.loads((Path(__file__).parents[1] / "notebooks" / "04_case4_career.ipynb").read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    for spec in registry.of_lesson("case4"):
        assert f'kyodo.exercise("{spec.id}")' in code and f'kyodo.solution("{spec.id}")' in code
    assert "import kyodo" in code and not any("lessons" in c for c in code)
    assert not any("<details>\n<summary>解答例" in "".join(c["source"]) for c in nb["cells"])


def test_facade_builds_every_exercise():
    assert isinstance(kyodo.exercise("case4-ex1"), ChoiceWidget)
    assert isinstance(kyodo.exercise("case4-ex2"), LogicModelWidget)
    assert isinstance(kyodo.exercise("case4-ex3"), ChoiceWidget)


def test_facade_shows_broken_params_as_a_message(monkeypatch):
    from kyodo import cells
    from kyodo.data import Problem
    from kyodo.widgets import logic_model

    def broken(*_a, **_k):
        raise DataError([Problem("data/exercises/case4.yml", "case4-ex2", "<候補>がありません")])

    shown = []
    monkeypatch.setattr(logic_model, "candidates_of", broken)
    monkeypatch.setattr(cells, "display", shown.append)
    assert kyodo.exercise("case4-ex2") is None
    [html] = shown
    assert "data/exercises/case4.yml" in html.data and "&lt;候補&gt;" in html.data


def test_every_message_built_from_a_name_exists():
    from kyodo.text import msg

    for kind in ("purpose", *KINDS):
        assert msg(f"logic_model.kind_{kind}")
    for kind in KINDS:
        assert msg(f"logic_model.kind_long_{kind}").startswith(msg(f"logic_model.kind_{kind}"))
        assert msg(f"logic_model.no_{kind}") and msg(f"logic_model.hint_no_{kind}")
    for part in Target.PARTS:
        assert msg(f"logic_model.part_{part}")
    for code in ("outcome_no_target", "outcome_partial_target"):
        assert msg(f"logic_model.{code}", text="t", parts="p")
