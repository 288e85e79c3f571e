import pytest
from django.core.exceptions import ValidationError

from crm.identity import email_digest, fold_text, normalize_email
from crm.phones import parse_phone


def test_email_identity_is_case_folded_and_trimmed():
    assert normalize_email("  Anna.Li@Example.COM ") == "anna.li@example.com"
    assert normalize_email("STRASSE@Bücher.de") == "strasse@xn--bcher-kva.de"


def test_email_digest_is_keyed_by_the_identity_hash_key(settings):
    settings.IDENTITY_HASH_KEY = "key-one"
    first = email_digest("Anna@Example.com")
    assert first == email_digest("anna@example.com  ")
    assert len(first) == 64
    assert "anna" not in first
    settings.IDENTITY_HASH_KEY = "key-two"
    assert email_digest("anna@example.com") != first


def test_email_digest_without_a_key_derives_one_from_the_secret_key(settings):
    settings.IDENTITY_HASH_KEY = None
    settings.SECRET_KEY = "a"
    first = email_digest("anna@example.com")
    settings.SECRET_KEY = "b"
    assert email_digest("anna@example.com") != first


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Müller", "muller"),
        ("ＭÜＬＬＥＲ", "muller"),
        ("Hélène  Lefèvre", "helene lefevre"),
        ("ИВАНОВ", "иванов"),
        ("Ёлкин", "елкин"),
        ("王伟", "王伟"),
        ("ΠΑΠΑΔΌΠΟΥΛΟΣ", "παπαδοπουλοσ"),  # final sigma folds like any sigma
        ("Παπαδόπουλος", "παπαδοπουλοσ"),
    ],
)
def test_text_is_folded_for_case_and_accent_insensitive_search(text, folded):
    assert fold_text(text) == folded


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("0171 1234567", "DE", "+491711234567"),
        ("+49 (0)171 123-4567", None, "+491711234567"),
        ("138-0013-8000", "CN", "+8613800138000"),
        ("(010) 6552 9988", "CN", "+861065529988"),
        ("0044 20 7946 0958", "DE", "+442079460958"),
        ("090-1234-5678", "JP", "+819012345678"),
    ],
)
def test_phones_in_common_formats_are_stored_in_e164(raw, region, e164):
    assert str(parse_phone(raw, region)) == e164


def test_an_invalid_phone_error_names_the_value_and_the_region():
    with pytest.raises(ValidationError) as error:
        parse_phone("+86 12", "CN")
    assert error.value.messages == ['"+86 12" is not a valid phone number for CN']
    with pytest.raises(ValidationError) as error:
        parse_phone("12345", None)
    assert '"12345" is not a valid phone number' in error.value.messages[0]
