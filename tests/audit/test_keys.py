"""Only set-up commands make keys; a reader that finds none fails and writes nothing (issue 16,
#15): a fresh key would call every signed checkpoint forged and leave evidence unreadable."""

from pathlib import Path

import pytest

from casebridge.audit.keys import AUDIT_KEY_FILE, Ed25519Signer, SigningKeysNotFound
from casebridge.bootstrap import build
from casebridge.config import Environment, Settings


def test_a_reader_never_makes_the_audit_key(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    with pytest.raises(SigningKeysNotFound, match="signing keys not found"):
        Ed25519Signer.from_directory(keys, create=False)
    assert not keys.exists()
    made = Ed25519Signer.from_directory(keys)  # a set-up command makes it, once
    assert (keys / AUDIT_KEY_FILE).exists()
    assert Ed25519Signer.from_directory(keys, create=False).key_id == made.key_id


def test_a_platform_for_readers_needs_both_keys_present(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, env=Environment.TEST)
    with pytest.raises(SigningKeysNotFound, match="signing keys not found"):
        build(settings, create_keys=False)
    assert not (tmp_path / "keys").exists()
    first = build(settings)  # serve, demo and db upgrade on a fresh machine
    first.close()
    again = build(settings, create_keys=False)
    assert again.signer.key_id == first.signer.key_id
    assert again.credentials.secret_key == first.credentials.secret_key
    again.close()
    (tmp_path / "keys" / "secret_key").unlink()  # a copy restored without its secret
    with pytest.raises(SigningKeysNotFound, match="secret_key"):
        build(settings, create_keys=False)
    assert not (tmp_path / "keys" / "secret_key").exists()
