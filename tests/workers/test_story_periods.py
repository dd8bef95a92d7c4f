"""workers.story_periods: one day's items of a recurring series."""

from __future__ import annotations

import pytest

from workers.story_periods import SERIES_APART_HOURS, different_days, is_daily

HOUR = 3600.0


@pytest.mark.parametrize(
    ("title", "lead"),
    [
        ("Russians attacked 11 regions of Ukraine in past day - regional summary", ""),
        ("Spain records 179 deaths in the past 24 hours", ""),
        ("Kyiv hit by drones overnight", ""),
        ("Night attack on Zaporizhzhia: 20 injured", ""),
        ("Ukrainian forces have killed 190,960 Russian invaders so far", ""),
        ("росіяни за добу атакували 11 областей України - зведення ОВА", ""),
        ("ЗСУ ліквідували вже 191 940 російських загарбників", ""),
        ("Уже 20 постраждалих від нічної атаки рф на Запоріжжя", ""),
        ("Россияне за сутки обстреляли девять областей Украины — сводка ОВА", ""),
        ("ВСУ уничтожили уже 190 960 российских захватчиков", ""),
        ("Под Киевом горит склад из-за утренней атаки дронов", ""),
        ("На Київщині виникли пожежі через атаку ударних дронів",
         "У ніч проти 18 вересня Росія атакувала Україну ударними безпілотниками. Далі."),
    ],
)  # fmt: skip
def test_a_period_of_one_day_or_a_running_tally_marks_a_report(title: str, lead: str) -> None:
    assert is_daily(title, lead)


@pytest.mark.parametrize(
    ("title", "lead"),
    [
        ("Of the Western tanks, Ukraine already has Leopards and Challengers", ""),
        ("Із західних танків в Україні вже є «Леопарди» і «Челленджери»", ""),
        ("Putin calls Crimean Bridge blast a terrorist attack", ""),
        ("Pandemic preventing Western United from tying up new ground share deal",
         "Covid-19 chaos has made it impossible so far."),
        # Only the lead's first sentence frames the report: later ones tell background.
        ("Rada extends martial law for another 90 days",
         "The vote passed with 349 in favour. Drones attacked Kyiv overnight."),
    ],
)  # fmt: skip
def test_other_reports_are_not_marked(title: str, lead: str) -> None:
    assert not is_daily(title, lead)


def test_two_marked_reports_far_enough_apart_are_different_days() -> None:
    apart = SERIES_APART_HOURS * HOUR
    assert different_days(True, 0.0, True, apart)
    assert different_days(True, apart, True, 0.0)
    assert not different_days(True, 0.0, True, apart - 1)  # versions and updates of one day
    # A follow-up that does not frame itself by the day stays free to join.
    assert not different_days(True, 0.0, False, 2 * apart)
    assert not different_days(False, 0.0, True, 2 * apart)
