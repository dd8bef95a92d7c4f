"""A pydantic error's message for people: our validators' own text, pydantic's otherwise."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import AfterValidator, BaseModel, ValidationError

from service.validation_text import problem_text


def worded(value: str) -> str:
    if not any(c.isalnum() for c in value):
        raise ValueError("must contain a word")
    return value


def nonempty(value: str) -> str:
    if not value:
        raise AssertionError  # what a bare `assert value` raises (pytest rewrites those)
    return value


class Form(BaseModel):
    keyword: Annotated[str, AfterValidator(worded)] = "x"
    label: Annotated[str, AfterValidator(nonempty)] = "x"
    count: int = 0


def message(**data: object) -> str:
    with pytest.raises(ValidationError) as caught:
        Form.model_validate(data)
    [error] = caught.value.errors()
    return problem_text(error)


def test_a_validators_own_text_without_pydantics_prefix() -> None:
    assert message(keyword="*") == "must contain a word"


def test_an_error_without_text_of_its_own_keeps_pydantics() -> None:
    assert message(label="") == "Assertion failed, "
    assert message(count="many") == (
        "Input should be a valid integer, unable to parse string as an integer"
    )
