"""A fresh clone is all the tests need: nothing is read from beside the checkout."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.conftest import CHECKOUT, beside_the_checkout
from tests.data import PLACE_NAMES, place_name_rows


def test_the_place_names_live_in_the_checkout():
    assert PLACE_NAMES.is_relative_to(CHECKOUT)
    assert len(place_name_rows()) >= 20
    assert ("Şuşa", "Shusha", "Шуша") in place_name_rows("district")


def test_the_guard_flags_a_folder_beside_the_checkout_and_nothing_else():
    beside = CHECKOUT.parent / "another-folder" / "place-names.tsv"
    # A checkout inside the temporary folder (a clone in /tmp) has its neighbours there too.
    if not beside.is_relative_to(tempfile.gettempdir()):
        assert beside_the_checkout(beside)
    assert not beside_the_checkout(CHECKOUT / "tests" / "data" / "place-names.tsv")
    assert not beside_the_checkout(Path(tempfile.gettempdir()) / "anything")
    assert not beside_the_checkout(3)
