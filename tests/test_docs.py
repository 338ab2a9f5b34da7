"""Every command and every long option of `sackg` is named in the README (in the manner of sqlite-utils'
test_docs.py): a command added without documentation fails here."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from kg.cli.commands import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(command, path=()):
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, (*path, name))
    else:
        yield " ".join(("sackg", *path)), command


COMMANDS = list(_commands(main))
OPTIONS = [(usage, option) for usage, command in [("sackg", main), *COMMANDS] for param in command.params
           if isinstance(param, click.Option) for option in param.opts if option.startswith("--")]


@pytest.mark.parametrize("usage", [usage for usage, _ in COMMANDS])
def test_every_command_is_in_the_readme(usage):
    assert usage in README


@pytest.mark.parametrize("usage, option", OPTIONS, ids=[f"{u} {o}" for u, o in OPTIONS])
def test_every_option_is_in_the_readme(usage, option):
    assert option in README, f"{usage} {option}"


def test_the_lists_are_not_empty():
    assert len(COMMANDS) >= 15 and len(OPTIONS) >= 30
