"""One COIN, one DUST and one script-type table for the toolkit and the world."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

from darktrail import addresses, bitcoin, ledger, trace
from darktrail.bitcoin import SCRIPT_TYPES, input_vsize
from darktrail.world import chain, story
from darktrail.world import ledger as world_ledger


def test_units_are_defined_once():
    assert ledger.COIN is bitcoin.COIN and story.COIN is bitcoin.COIN
    assert trace.DUST is bitcoin.DUST and world_ledger.DUST is bitcoin.DUST
    assert ledger.CORE_SCRIPT_TYPES == bitcoin.core_to_esplora()


@pytest.mark.parametrize("kind", [t for t in SCRIPT_TYPES if t.input_bytes])
def test_world_addresses_agree_with_the_toolkit(kind):
    address, script = chain.new_address(random.Random(7), kind.esplora)
    assert addresses.parse(address).type == kind.address
    assert addresses.esplora_type(address) == chain.script_type(script) == kind.esplora
    assert addresses.scriptpubkey(address) == script
    assert chain.INPUT_SIZES[kind.esplora] == kind.input_bytes


def test_core_names_round_trip():
    core = bitcoin.esplora_to_core()
    assert {bitcoin.core_to_esplora()[core[e]] for e in core} == set(core)


def test_input_vsize_names_an_unknown_type():
    with pytest.raises(ValueError, match="'p2pk'"):
        input_vsize("p2pk")


def test_world_ledger_does_not_import_the_story():
    tree = ast.parse(Path(world_ledger.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not {name for name in imported if name.endswith("story")}, imported
