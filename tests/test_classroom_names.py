"""Typed learner names and the safe hub/system user names made from them."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from kyodo.classroom import names
from kyodo.classroom.names import MAX_LENGTH, canonical, is_learner_name, system_name, typed_name

LINUX_NAME = re.compile(r"\A[a-z_][a-z0-9_-]*\Z")

GOOD_NAMES = [
    # Japanese: kanji, hiragana, katakana, long vowel mark, iteration mark, middle dot
    "田中", "田中太郎", "山田花子", "さとう", "佐々木", "渡辺", "髙橋", "齋藤龍之介", "小鳥遊ひよこ",
    "ジョン・スミス", "シュワルツェネッガー", "ゆうこ", "りんご", "ナカムラ", "勅使河原宏",
    "あいうえおかきくけこ", "鈴木一郎二郎三郎四郎",
    # Latin and other scripts
    "tanaka", "taro-yamada", "taro_yamada", "hanako2", "a", "x1", "Müller", "José", "Øyvind",
    "ΑΒΓ", "Иван", "김민준", "王小明", "nguyễn",
    # mixed
    "abc田中", "田中2", "tanakaタロウ", "2号", "田中_b",
]


def test_good_names_are_safe_linux_names() -> None:
    for typed in GOOD_NAMES:
        system = system_name(typed)
        assert LINUX_NAME.match(system), (typed, system)
        assert len(system) <= 32, (typed, system)
        assert system.startswith(("k-", "k_")), (typed, system)


def test_good_names_are_distinct() -> None:
    canonical_forms = {canonical(t) for t in GOOD_NAMES}
    systems = {system_name(t) for t in GOOD_NAMES}
    assert len(systems) == len(canonical_forms) == len(GOOD_NAMES)


def test_round_trip_both_ways() -> None:
    for typed in GOOD_NAMES:
        system = system_name(typed)
        assert typed_name(system) == canonical(typed)
        assert system_name(typed_name(system)) == system
        assert is_learner_name(system)


def test_japanese_names_keep_their_characters() -> None:
    assert typed_name(system_name("田中太郎")) == "田中太郎"
    assert typed_name(system_name("ジョン・スミス")) == "ジョン・スミス"


def test_mapping_is_stable() -> None:
    """The same name gives the same system name on every machine and in every version."""
    assert system_name("tanaka") == "k-tanaka"
    assert system_name("田中") == "k_fiqx46g"
    assert system_name("田中太郎") == "k_fiqt1y4uwciz"
    assert system_name("abc田中") == "k_abc-x68dk79o"
    assert system_name("Müller") == "k_mller-kva"


def test_ascii_and_encoded_names_never_meet() -> None:
    # "fiqx46g" typed as ASCII must not become the learner 田中
    assert system_name("fiqx46g") != system_name("田中")
    assert system_name("fiqx46g") == "k-fiqx46g"
    # a learner who types another learner's system name gets a new, different name
    assert system_name("k_fiqx46g") not in {system_name("田中"), "k_fiqx46g"}
    assert system_name("k-tanaka") != system_name("tanaka")


def test_one_learner_however_the_name_is_typed() -> None:
    """Case, full-width letters and half-width katakana do not make a second learner."""
    assert system_name("Tanaka") == system_name("tanaka") == system_name("ＴＡＮＡＫＡ") == system_name("ｔａｎａｋａ")
    assert system_name("ﾀﾅｶ") == system_name("タナカ")
    assert system_name("  田中  ") == system_name("田中")
    assert system_name("田中\u3000") == system_name("田中")  # ideographic space at the end
    # decomposed and composed accents
    assert system_name(unicodedata.normalize("NFD", "José")) == system_name("José")


def test_system_names_are_not_machine_users() -> None:
    for typed in ["root", "daemon", "admin", "www-data", "nobody", "jupyterhub", "_apt"]:
        assert system_name(typed) == f"k-{typed}"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "名前を入力"),
        ("   ", "名前を入力"),
        ("\u3000", "名前を入力"),
        ("田中 太郎", "空白"),
        ("田中\u3000太郎", "空白"),
        ("taro yamada", "空白"),
        ("a\u00a0b", "空白"),
        ("../etc", "「..」"),
        ("..", "「..」"),
        ("a/b", "「/」"),
        ("／etc", "「/」"),  # full-width solidus becomes "/"
        ("a\\b", "「\\」"),
        ("tanaka\x00", "見えない文字"),
        ("ta\nnaka", "見えない文字"),
        ("ta\tnaka", "見えない文字"),
        ("\x1b[31mred", "見えない文字"),
        ("田\u200b中", "見えない文字"),  # zero-width space
        ("abc\u202etxt", "見えない文字"),  # right-to-left override
        ("\ufeff田中", "見えない文字"),  # byte-order mark
        ("\ue000", "見えない文字"),  # private use
        ("t.yamada", "「.」"),
        ("a@b", "「@」"),
        ("~root", "「~」"),
        ("$(reboot)", "「$」"),
        ("a;b", "「;」"),
        ("'or'1'='1", "「'」"),
        ("<script>", "「<」"),
        ("田中🍣", "「🍣」"),
        ("田中〜", "「〜」"),
        ("-", "文字か数字"),
        ("_-_", "文字か数字"),
        ("・", "文字か数字"),
        ("a" * (MAX_LENGTH + 1), f"{MAX_LENGTH} 文字まで"),
        ("あ" * 200, "200 文字"),
        ("東京都川崎市中原区小杉", "短い名前"),  # 11 kanji fit the length limit but not 32 ASCII characters
    ],
)
def test_refused_names_say_why_in_japanese(typed: str, says: str) -> None:
    with pytest.raises(ValueError) as raised:
        system_name(typed)
    message = str(raised.value)
    assert says in message
    assert re.search(r"[\u3040-\u30ff]", message), "the message is Japanese"
    # never echo control characters back into the page
    assert not any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in message)


def test_longest_allowed_ascii_name() -> None:
    system = system_name("a" * MAX_LENGTH)
    assert system == "k-" + "a" * MAX_LENGTH


def test_typed_name_refuses_other_names() -> None:
    for system in ["root", "", "k-", "k_", "k-Tanaka", "k-田中", "k_!!!", "k_tanaka-", "k_a-", "k-a.b",
                   "k-../x", "k_abc-", "x-tanaka", "k-" + "a" * 31, "k_fiqx46g\n"]:
        with pytest.raises(ValueError, match="学習者の名前ではありません"):
            typed_name(system)
        assert not is_learner_name(system)


def test_random_names_round_trip_or_refuse() -> None:
    """Random strings from Japanese, Latin and hostile characters: always safe, or refused with a message."""
    rng = random.Random(20261201)
    alphabet = (
        "あいうえおかきくけこさしすせそたちつてとアイウエオカキクケコー・々"
        "田中山川佐藤鈴木高橋渡辺伊藤小林加藤吉田山本"
        "abcxyzABCXYZ019-_ .@/\\~$;'\"<>%\x00\x1b\u200b\u202e\u3000ＡＢＣ１２３ﾀﾅｶé\u0301🍣"
    )
    seen: dict[str, str] = {}
    refused = 0
    for _ in range(3000):
        typed = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        try:
            system = system_name(typed)
        except ValueError as error:
            refused += 1
            assert str(error)
            continue
        assert LINUX_NAME.match(system) and len(system) <= 32
        assert typed_name(system) == canonical(typed)
        earlier = seen.setdefault(system, canonical(typed))
        assert earlier == canonical(typed), "two different names got one system name"
    assert refused and len(seen) > 100


def test_command_line_shows_both_directions(capsys: pytest.CaptureFixture[str]) -> None:
    assert names.main(["田中", "k-tanaka"]) == 0
    out = capsys.readouterr().out
    assert "田中\tk_fiqx46g" in out
    assert "k-tanaka\ttanaka" in out
    assert names.main(["田中 太郎"]) == 1
    assert "空白" in capsys.readouterr().err


def test_display_name() -> None:
    assert names.display_name("k_fiqx46g") == "田中"
    assert names.display_name("root") == "root"
