"""Passphrases on the command line: `boeun-desk --db FILE encrypt|decrypt|passphrase`, and the
passphrase of an encrypted database (or of a sealed bundle) asked on the terminal or read from
the environment (`BOEUN_DESK_PASSPHRASE`, `BOEUN_DESK_NEW_PASSPHRASE`, `BOEUN_DESK_BUNDLE_PASSPHRASE`)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from boeun_desk.i18n import t
from boeun_desk.validation import InvalidValue

PASSPHRASE_ENV = "BOEUN_DESK_PASSPHRASE"
NEW_PASSPHRASE_ENV = "BOEUN_DESK_NEW_PASSPHRASE"
BUNDLE_PASSPHRASE_ENV = "BOEUN_DESK_BUNDLE_PASSPHRASE"


def forgotten_warning() -> str:
    return t("주의: 암호를 잊으면 누구도 되찾을 수 없습니다. 이 데이터베이스와 그 백업을 다시 열 수 없게 됩니다. "
             "암호를 안전한 곳에 적어 두세요.")


def ask_passphrase(prompt: str, env: str) -> str:
    """The passphrase from `env`, else asked on the terminal (not echoed)."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise InvalidValue(t("암호가 필요합니다. 터미널에서 실행하거나 {env} 환경 변수로 주세요", env=env))
    try:
        value = getpass.getpass(prompt + ": ")
    except (EOFError, KeyboardInterrupt):
        value = ""
    if not value:
        raise InvalidValue(t("암호를 입력하지 않았습니다. 아무것도 바꾸지 않았습니다"))
    return value


def ask_new_passphrase(env: str = NEW_PASSPHRASE_ENV) -> str:
    """A new passphrase: from `env`, else typed twice; the rules (cipher.check_passphrase) apply."""
    from boeun_desk.storage.cipher import check_passphrase

    value = ask_passphrase(t("새 암호"), env)
    if not os.environ.get(env) and ask_passphrase(t("새 암호 확인"), env) != value:
        raise InvalidValue(t("두 번 입력한 암호가 다릅니다. 아무것도 바꾸지 않았습니다"))
    problem = check_passphrase(value)
    if problem:
        raise InvalidValue(problem)
    return value


def unlock(path: Path) -> Any:
    """The key of an encrypted database (asked, checked and remembered for this process), or None
    for a plain one. WrongPassphrase (a DatabaseError) when the passphrase does not open it."""
    from boeun_desk.storage import cipher
    from boeun_desk.storage.errors import WrongPassphrase
    from boeun_desk.storage.identity import check_key, passphrase_needed

    if not passphrase_needed(path):
        return None
    key = cipher.key_for(path)
    if key is None:
        key = cipher.Key(ask_passphrase(t("데이터베이스 암호"), PASSPHRASE_ENV))
        if cipher.is_encrypted(path):
            try:
                check_key(path, key)
            except WrongPassphrase as error:
                if os.environ.get(PASSPHRASE_ENV):  # not typed: the officer may not know it is set
                    raise WrongPassphrase(f"{error}\n" + t("(암호는 {env} 환경 변수에서 읽었습니다)", env=PASSPHRASE_ENV),
                                          path) from None
                raise
        cipher.remember(path, key)
    return key


def register(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    for name, handler, help_text in (
            ("encrypt", cmd_encrypt, "데이터베이스와 백업을 암호화 (새 암호)"),
            ("decrypt", cmd_decrypt, "암호화를 풀기 (평문 파일로 되돌림)"),
            ("passphrase", cmd_passphrase, "암호 바꾸기")):
        command = sub.add_parser(name, help=t(help_text))
        command.set_defaults(handler=handler, needs_db=False)


def _convert(args: argparse.Namespace, old: Any, new: Any) -> int:
    from boeun_desk.exchange.commands import database_file
    from boeun_desk.exchange.drafts import DraftJournal
    from boeun_desk.storage import cipher, convert
    from boeun_desk.storage.lock import InstanceLock

    path = database_file(args, unlocked=False)
    if not path.is_file():
        raise InvalidValue(t("데이터베이스 파일이 없습니다: {path}", path=path))
    probe = InstanceLock.acquire(path)  # a window that has the file is told now, before any passphrase is asked
    probe.release(path if probe.closed_cleanly else None)
    if old is True:  # the current passphrase, asked (and checked) now
        if not cipher.is_encrypted(path):
            raise InvalidValue(t("암호화되지 않은 데이터베이스입니다: {path}", path=path))
        old = unlock(path)
    elif cipher.is_encrypted(path):
        raise InvalidValue(t("이미 암호화된 데이터베이스입니다: {path}", path=path))
    if new is True:
        print(forgotten_warning(), file=sys.stderr)
        new = cipher.Key(ask_new_passphrase())
    result = convert.convert(path, old, new)
    moved = DraftJournal.beside(path, old).move_to(DraftJournal.beside(path, new))
    cipher.remember(path, new)
    print(t("암호화했습니다: {path}", path=path) if new is not None and old is None else
          t("암호를 바꿨습니다: {path}", path=path) if new is not None else t("암호화를 풀었습니다: {path}", path=path))
    print(t("백업 {n}개도 같이 바꿨습니다", n=result.copies))
    if moved:
        print(t("저장하지 않은 입력 {n}건도 같이 바꿨습니다", n=moved))
    for left in result.left:
        print(t("이 암호로 열리지 않아 그대로 둔 백업: {path}", path=left), file=sys.stderr)
    return 0


def cmd_encrypt(args: argparse.Namespace) -> int:
    return _convert(args, None, True)


def cmd_decrypt(args: argparse.Namespace) -> int:
    return _convert(args, True, None)


def cmd_passphrase(args: argparse.Namespace) -> int:
    return _convert(args, True, True)
