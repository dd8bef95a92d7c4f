import pytest

from service.settings import Settings


def test_a_list_setting_reads_a_json_list_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BRIEFING_CORS_ORIGINS", '["https://a.example", "https://b.example"]')
    assert Settings().cors_origins == ["https://a.example", "https://b.example"]


def test_an_empty_list_setting_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_CORS_ORIGINS", "")
    assert Settings().cors_origins == []


def test_a_list_setting_from_the_config_table_is_taken_as_it_is() -> None:
    assert Settings(cors_origins=["https://a.example"]).cors_origins == ["https://a.example"]
