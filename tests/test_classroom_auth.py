"""Signing in to the classroom: workshop password, personal 合言葉, facilitators."""

from __future__ import annotations

import asyncio
import json
import secrets
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest
from tornado import web

from kyodo.classroom import auth
from kyodo.classroom.auth import (
    ClassroomAuthenticator,
    FailureBrake,
    PassphraseBook,
    SignIn,
    SignInRefused,
    login_texts,
)
from kyodo.classroom import names
from kyodo.classroom.names import system_name

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def passwords() -> tuple[str, str]:
    return "ws-" + secrets.token_hex(6), "fac-" + secrets.token_hex(10)


@pytest.fixture
def book(tmp_path: Path) -> PassphraseBook:
    return PassphraseBook(tmp_path / "state" / auth.PASSPHRASE_FILE)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def rules(passwords: tuple[str, str], book: PassphraseBook, clock: Clock) -> SignIn:
    workshop, facilitator = passwords
    return SignIn(workshop, facilitator, {system_name("進行役"), system_name("sensei")}, book,
                  brake=FailureBrake(clock=clock))


def refused(rules: SignIn, **data: str) -> str:
    with pytest.raises(SignInRefused) as raised:
        rules.check(data)
    return str(raised.value)


def test_first_sign_in_sets_the_passphrase_then_it_is_needed(rules: SignIn, passwords: tuple[str, str]) -> None:
    workshop, _ = passwords
    first = rules.check({"username": "田中", "password": workshop, "passphrase": "りんごみかん"})
    assert first == {"name": "k_fiqx46g", "admin": False}
    assert "k_fiqx46g" in rules.book
    # later: the same 合言葉 opens, any other or none does not
    assert rules.check({"username": "田中", "password": workshop, "passphrase": "りんごみかん"})["name"] == "k_fiqx46g"
    assert "合言葉が違います" in refused(rules, username="田中", password=workshop, passphrase="りんごみかんX")
    assert "合言葉を入力" in refused(rules, username="田中", password=workshop, passphrase="")
    assert "合言葉を入力" in refused(rules, username="田中", password=workshop)


def test_the_workshop_password_alone_never_opens_an_existing_learner(rules: SignIn, passwords: tuple[str, str]) -> None:
    workshop, facilitator = passwords
    rules.check({"username": "tanaka", "password": workshop, "passphrase": "secret-1"})
    for attempt in ["", " ", workshop, facilitator, "secret-2", "SECRET-1"]:
        with pytest.raises(SignInRefused):
            rules.check({"username": "Tanaka", "password": workshop, "passphrase": attempt})
    # the facilitator password does not open a learner either
    assert "パスワードが違います" in refused(rules, username="tanaka", password=facilitator, passphrase="secret-1")


def test_first_sign_in_needs_a_long_enough_passphrase(rules: SignIn, passwords: tuple[str, str]) -> None:
    workshop, _ = passwords
    assert "はじめてのログイン" in refused(rules, username="佐藤", password=workshop)
    assert "はじめてのログイン" in refused(rules, username="佐藤", password=workshop, passphrase="   ")
    assert "4 文字以上" in refused(rules, username="佐藤", password=workshop, passphrase="abc")
    assert "64 文字まで" in refused(rules, username="佐藤", password=workshop, passphrase="a" * 65)
    assert "見えない文字" in refused(rules, username="佐藤", password=workshop, passphrase="abc\x00def")
    assert system_name("佐藤") not in rules.book, "a refused first sign-in stores nothing"
    rules.check({"username": "佐藤", "password": workshop, "passphrase": "さくら"[:3] + "もち"})


def test_wrong_or_missing_workshop_password(rules: SignIn, passwords: tuple[str, str]) -> None:
    workshop, _ = passwords
    for wrong in ["", workshop + "x", workshop.upper(), "password"]:
        message = refused(rules, username="鈴木", password=wrong, passphrase="long enough")
        assert "パスワードが違います" in message
    assert system_name("鈴木") not in rules.book


@pytest.mark.parametrize(
    ("typed", "says"),
    [("", "名前を入力"), ("  ", "名前を入力"), ("田中 太郎", "空白"), ("../../etc/passwd", "「..」"),
     ("a/b", "「/」"), ("x\x07y", "見えない文字"), ("あ" * 200, "長すぎます"), ("t.yamada", "「.」")],
)
def test_bad_names_are_refused_with_a_reason(rules: SignIn, passwords: tuple[str, str], typed: str, says: str) -> None:
    workshop, _ = passwords
    assert says in refused(rules, username=typed, password=workshop, passphrase="long enough")
    assert rules.book.names() == []


def test_facilitators_use_their_own_password_and_only_they_are_admins(rules: SignIn, passwords: tuple[str, str]) -> None:
    workshop, facilitator = passwords
    assert rules.check({"username": "進行役", "password": facilitator}) == {"name": system_name("進行役"), "admin": True}
    assert rules.check({"username": "Sensei", "password": facilitator})["admin"] is True
    assert "進行役のパスワードが違います" in refused(rules, username="進行役", password=workshop, passphrase="long enough")
    assert "進行役のパスワードが違います" in refused(rules, username="sensei", password="", passphrase="")
    learner = rules.check({"username": "学習者", "password": workshop, "passphrase": "long enough"})
    assert learner["admin"] is False


def test_passwords_must_be_set_and_differ(book: PassphraseBook) -> None:
    with pytest.raises(ValueError):
        SignIn("", "facilitator-pass", set(), book)
    with pytest.raises(ValueError):
        SignIn("workshop-pass", "", set(), book)
    with pytest.raises(ValueError):
        SignIn("same-password", "same-password", set(), book)


def test_full_width_input_matches(rules: SignIn, passwords: tuple[str, str]) -> None:
    """A Japanese input method may type full-width characters: they count as the half-width ones."""
    workshop, _ = passwords
    rules.check({"username": "山本", "password": workshop, "passphrase": "1234abcd"})
    wide_password = workshop.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    assert rules.check({"username": "山本", "password": wide_password, "passphrase": "１２３４ａｂｃｄ"})["name"]
    assert rules.check({"username": "山本", "password": f" {workshop}\u3000", "passphrase": "1234abcd "})["name"]


def test_hash_file_is_private_and_holds_no_plain_text(rules: SignIn, passwords: tuple[str, str]) -> None:
    workshop, facilitator = passwords
    phrase = "ひみつの合言葉-" + secrets.token_hex(4)
    rules.check({"username": "田中", "password": workshop, "passphrase": phrase})
    rules.check({"username": "tanaka", "password": workshop, "passphrase": phrase})
    path = rules.book.path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(rules.book.lock_path.stat().st_mode) == 0o600
    raw = path.read_bytes()
    for secret in [phrase, workshop, facilitator]:
        assert secret.encode("utf-8") not in raw
        assert json.dumps(secret).encode("ascii") not in raw
    records = json.loads(raw)["learners"]
    assert set(records) == {"k_fiqx46g", "k-tanaka"}
    # salted: one 合言葉, two different hashes
    assert records["k_fiqx46g"]["hash"] != records["k-tanaka"]["hash"]
    assert records["k_fiqx46g"]["scheme"] == "scrypt" and records["k_fiqx46g"]["n"] >= 2**14
    assert not list(path.parent.glob(".*.tmp")), "no temporary file left behind"


def test_enrol_never_replaces_a_passphrase(book: PassphraseBook) -> None:
    assert book.enrol("k-a", "first phrase")
    assert not book.enrol("k-a", "second phrase")
    assert book.verify("k-a", "first phrase") and not book.verify("k-a", "second phrase")


def test_same_name_taken_at_the_same_moment(rules: SignIn, passwords: tuple[str, str]) -> None:
    """Two people choose one name: whoever enrols first owns it; the other is refused, nothing replaced."""
    workshop, _ = passwords
    original_enrol = rules.book.enrol

    def late_enrol(system: str, passphrase: str) -> bool:
        original_enrol(system, "the other persons phrase")
        return original_enrol(system, passphrase)

    rules.book.enrol = late_enrol  # type: ignore[method-assign]
    assert "合言葉が違います" in refused(rules, username="中村", password=workshop, passphrase="my own phrase")
    assert rules.book.verify(system_name("中村"), "the other persons phrase")


def test_guessing_is_slowed_down(rules: SignIn, passwords: tuple[str, str], clock: Clock) -> None:
    workshop, _ = passwords
    rules.check({"username": "小林", "password": workshop, "passphrase": "correct horse"})
    for guess in range(auth.MAX_FAILURES):
        assert "合言葉が違います" in refused(rules, username="小林", password=workshop, passphrase=f"guess {guess}")
    # now even the right 合言葉 has to wait
    message = refused(rules, username="小林", password=workshop, passphrase="correct horse")
    assert "待って" in message and f"{auth.LOCKOUT_SECONDS} 秒" in message
    # other learners are not held up
    rules.check({"username": "加藤", "password": workshop, "passphrase": "another one"})
    clock.now += auth.LOCKOUT_SECONDS + 1
    assert rules.check({"username": "小林", "password": workshop, "passphrase": "correct horse"})["name"]


def test_forget_lets_a_learner_choose_a_new_passphrase(
    rules: SignIn, passwords: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    workshop, _ = passwords
    rules.check({"username": "伊藤", "password": workshop, "passphrase": "forgotten one"})
    state = str(rules.book.path.parent)
    assert auth.main(["list", "--state", state]) == 0
    assert "伊藤" in capsys.readouterr().out
    assert auth.main(["forget", "伊藤", "--state", state]) == 0
    assert "新しい合言葉" in capsys.readouterr().out
    assert rules.check({"username": "伊藤", "password": workshop, "passphrase": "a new one"})["name"]
    assert auth.main(["forget", "誰も", "--state", state]) == 1
    assert "登録されていません" in capsys.readouterr().err


# --- the JupyterHub authenticator -------------------------------------------------------------


@pytest.fixture
def authenticator(passwords: tuple[str, str], tmp_path: Path) -> ClassroomAuthenticator:
    workshop, facilitator = passwords
    return ClassroomAuthenticator(
        workshop_password=workshop,
        facilitator_password=facilitator,
        passphrase_file=str(tmp_path / "state" / auth.PASSPHRASE_FILE),
        admin_users={system_name("進行役")},
        allow_all=True,
    )


def test_hub_authenticator_signs_learners_in(authenticator: ClassroomAuthenticator, passwords: tuple[str, str]) -> None:
    workshop, facilitator = passwords
    data = {"username": "田中", "password": workshop, "passphrase": "みかんりんご"}
    model = asyncio.run(authenticator.get_authenticated_user(None, data))
    assert model["name"] == "k_fiqx46g" and model["admin"] is False
    admin = asyncio.run(authenticator.get_authenticated_user(None, {"username": "進行役", "password": facilitator}))
    assert admin["admin"] is True


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"username": "田中", "password": "wrong-password", "passphrase": "x" * 8}, "パスワードが違います"),
        ({"username": "", "password": "?", "passphrase": ""}, "名前を入力"),
        ({"username": "田中 太郎", "password": "?"}, "空白"),
        ({"username": "x" * 200, "password": "?"}, "長すぎます"),
        ({"username": "..", "password": "?"}, "「..」"),
    ],
)
def test_hub_authenticator_refuses_with_a_japanese_message(
    authenticator: ClassroomAuthenticator, data: dict[str, str], says: str
) -> None:
    """JupyterHub shows an HTTPError(403)'s message on the login page (LoginHandler.render_template)."""
    with pytest.raises(web.HTTPError) as raised:
        asyncio.run(authenticator.authenticate(None, data))
    assert raised.value.status_code == 403
    assert says in raised.value.get_message()


def test_hub_authenticator_wrong_passphrase(authenticator: ClassroomAuthenticator, passwords: tuple[str, str]) -> None:
    workshop, _ = passwords
    asyncio.run(authenticator.authenticate(None, {"username": "b", "password": workshop, "passphrase": "phrase-b"}))
    with pytest.raises(web.HTTPError) as raised:
        asyncio.run(authenticator.authenticate(None, {"username": "b", "password": workshop, "passphrase": "100%"}))
    assert "合言葉が違います" in raised.value.get_message()


def hub_templates():
    """classroom/templates as JupyterHub loads them (its own templates also under the prefix "templates/")."""
    import jupyterhub
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader

    package = Path(jupyterhub.__file__).resolve()
    base = next(p / "share" / "jupyterhub" / "templates" for p in package.parents
                if (p / "share" / "jupyterhub" / "templates" / "login.html").exists())
    return Environment(
        loader=ChoiceLoader([PrefixLoader({"templates": FileSystemLoader([str(base)])}, "/"),
                             FileSystemLoader([str(ROOT / "classroom" / "templates"), str(base)])]),
        autoescape=True,
    )


PAGE = {"static_url": lambda *a, **k: "/static", "base_url": "/hub/", "prefix": "/", "login_url": "/hub/login",
        "logout_url": "/hub/logout", "kyodo": login_texts()}


def test_login_page_is_japanese_and_asks_for_the_passphrase() -> None:
    html = hub_templates().get_template("login.html").render(
        **PAGE, login_error="<b>パスワードが違います。</b>", username="田中", xsrf="token",
        authenticator_login_url="/hub/login", authenticator=None, custom_html="",
    )
    for text in ["講座にログイン", "名前", "パスワード", "合言葉", "ログイン"]:
        assert text in html
    assert 'name="passphrase"' in html and 'name="username"' in html and 'name="password"' in html
    assert 'value="田中"' in html
    assert "&lt;b&gt;パスワードが違います。&lt;/b&gt;" in html, "the error is shown, escaped"
    assert "Sign in" not in html and "Username:" not in html
    assert 'id="insecure-login-warning"' in html, "JupyterHub's login script finds the element it unhides"


def test_hub_pages_show_the_learners_own_name_in_japanese() -> None:
    user = SimpleNamespace(name="k_fiqx46g", json_escaped_name="k_fiqx46g", spawner=SimpleNamespace(options_form=None))
    template = hub_templates().get_template("spawn_pending.html")
    learner = {"kyodo_learner": names.display_name(user.name)}
    html = template.render(**PAGE, **learner, user=user, parsed_scopes=set(), progress_url="/p", no_spawner_check=True)
    assert ">田中</span>" in html and "ログアウト" in html and "ホーム" in html
    assert "講座を準備しています" in html and "準備の記録" in html and "Event log" not in html
    for element in ["progress-bar", "sr-progress", "progress-message", "progress-details", "progress-log",
                    "stop-server-btn", "stop-server-status"]:
        assert f'id="{element}"' in html, "JupyterHub's script of the page fills these in"
    assert "Token" not in html and "管理" not in html, "learners see no token or admin links"
    admin = template.render(**PAGE, **learner, user=user, parsed_scopes={"admin-ui"}, progress_url="/p",
                            no_spawner_check=True)
    assert "管理 (進行役)" in admin
    stopped = hub_templates().get_template("not_running.html").render(
        **PAGE, **learner, user=user, parsed_scopes=set(), spawn_url="/hub/spawn", failed=False,
        no_spawner_check=True)
    assert "講座は止まっています" in stopped and "作業は保存されています" in stopped and "講座を開く" in stopped
