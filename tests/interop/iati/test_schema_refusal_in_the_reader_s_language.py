"""An activity refused by the IATI 2.03 schema is reported in the reader's language, naming the element
and the value: the French and Arabic reports showed the validator's English ("Element 'value': '12abc' is
not a valid value of the atomic type 'xs:decimal'.") after a translated "does not follow the schema:". The
validator's message stays on the page as a detail."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import html

from pux.i18n import language_context, translations_for
from pux.interop.iati import rules, synthetic
from tests.interop.iati.test_export import _upload, _when_finished
from tests.web_helpers import sign_in
from tests.world import World

VALIDATOR = "Element 'value': '12abc' is not a valid value of the atomic type 'xs:decimal'."
SENTENCE = 'has the value "%(value)s" in %(place)s, where the IATI 2.03 schema expects %(expected)s'
# Stand-ins for the catalogues' translations (added to them later), so the test reads the page as a
# French reader will.
FRENCH = {
    SENTENCE: "a la valeur « %(value)s » dans %(place)s, où le schéma IATI 2.03 attend %(expected)s",
    "a number": "un nombre",
}


def _file_with_a_bad_value(tmp_path: Path) -> Path:
    path = synthetic.write_file(
        tmp_path / "bad-value.xml",
        [synthetic.activity(3, identifier="XM-DAC-99-TEST-BAD", reporting_ref="XM-DAC-99")],
    )
    text = path.read_text(encoding="utf-8")
    opening = text.index(">", text.index("<value")) + 1
    path.write_text(text[:opening] + "12abc" + text[text.index("<", opening) :], encoding="utf-8")
    return path


def _rule_broken(page: str) -> tuple[str, str]:
    """The refusal's sentence, and the validator's message shown with it."""
    cell = html.fromstring(page).xpath("//tbody/tr[td/code='XM-DAC-99-TEST-BAD']/td[3]")[0]
    shown = cell.xpath("./details/code")
    detail = shown[0].text_content() if shown else ""
    sentence = (cell.text or "").strip()
    return sentence, detail


def test_a_schema_refusal_is_a_sentence_in_the_reader_s_language_with_the_validator_s_words_as_detail(
    client: TestClient, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for msgid, text in FRENCH.items():
        monkeypatch.setitem(translations_for("fr")._messages, msgid, text)
    sign_in(client, world.emails["facilitator"])
    sent = _upload(client, _file_with_a_bad_value(tmp_path))
    assert sent.status_code == 303, sent.text
    run_page = sent.headers["location"]
    _when_finished(client, run_page)

    french, detail = _rule_broken(client.get(run_page, headers={"Accept-Language": "fr"}).text)
    assert french == "a la valeur « 12abc » dans <value>, où le schéma IATI 2.03 attend un nombre"
    assert detail == VALIDATOR

    arabic, detail = _rule_broken(client.get(run_page, headers={"Accept-Language": "ar"}).text)
    with language_context("ar"):
        assert arabic == rules.describe("schema", {"message": VALIDATOR})
    assert "is not a valid value" not in arabic and "12abc" in arabic and "<value>" in arabic
    assert detail == VALIDATOR


@pytest.mark.parametrize(
    ("message", "sentence"),
    [
        (VALIDATOR, 'has the value "12abc" in <value>, where the IATI 2.03 schema expects a number'),
        (
            "Element 'transaction-date', attribute 'iso-date': '2020-13-01' is not a valid value of the "
            "atomic type 'xs:date'.",
            'has the value "2020-13-01" in attribute iso-date of <transaction-date>, where the IATI 2.03 '
            "schema expects a date (YYYY-MM-DD)",
        ),
        (
            "Element 'sector', attribute 'percentage': [facet 'minInclusive'] The value '-5' is less than "
            "the minimum value allowed ('0').",
            'has the value "-5" in attribute percentage of <sector>, which the IATI 2.03 schema does not '
            "allow",
        ),
        (
            "Element 'description': This element is not expected. Expected is ( title ).",
            "has <description> where the IATI 2.03 schema expects <title>",
        ),
        (
            "Element 'foo': This element is not expected. Expected is one of ( transaction, result, "
            "##other* ).",
            "has <foo> where the IATI 2.03 schema expects <transaction>, <result>",
        ),
        (
            "Element 'activity-date': The attribute 'type' is required but missing.",
            "has <activity-date> without its required attribute type",
        ),
        (
            "Element 'activity-status', attribute 'bogus': The attribute 'bogus' is not allowed.",
            "has an attribute bogus on <activity-status>, which the IATI 2.03 schema does not allow",
        ),
        (
            "Element 'iati-activity': Missing child element(s). Expected is ( reporting-org ).",
            "lacks an element in <iati-activity> that the IATI 2.03 schema requires: <reporting-org>",
        ),
        (
            "Element 'iati-identifier': Element content is not allowed, because the content type is a simple "
            "type definition.",
            "does not follow the IATI 2.03 schema in <iati-identifier>",
        ),
    ],
)
def test_each_kind_of_schema_message_is_worded(message: str, sentence: str) -> None:
    with language_context("en"):
        assert rules.describe("schema", {"message": message}) == sentence
