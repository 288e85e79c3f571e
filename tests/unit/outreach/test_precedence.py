"""Order of precedence: office first, then the earlier appointment, then name."""

from __future__ import annotations

from datetime import date

from outreach.precedence import DEFAULT_RANK, Guest, order_of_precedence, suggested_rank


def test_offices_rank_in_protocol_order_in_chinese_and_english():
    ranks = [
        suggested_rank(p)
        for p in ["部长", "省长", "Vice Minister", "市长", "副市长", "Professor", "经理"]
    ]
    assert ranks == sorted(ranks)
    assert suggested_rank("Vice Mayor") > suggested_rank("Mayor")
    assert suggested_rank("副市长") > suggested_rank("市长")
    assert suggested_rank("Consul General of Germany in Shanghai") < suggested_rank("Consul")
    assert suggested_rank("") == DEFAULT_RANK


def test_his_excellency_ranks_at_least_as_a_minister():
    assert suggested_rank("Special Envoy", honorific="he") <= suggested_rank("Minister")


def test_ties_go_to_the_earlier_appointment_then_the_name():
    guests = [
        Guest("b", "Brandt", "Mayor", appointed_on=date(2022, 5, 1)),
        Guest("a", "Abe", "Mayor", appointed_on=date(2022, 5, 1)),
        Guest("c", "Chen", "市长", appointed_on=date(2019, 1, 1)),
        Guest("d", "Dupont", "Mayor"),  # no date: after those with one
        Guest("m", "Meier", "Minister"),
    ]
    assert [g.key for g in order_of_precedence(guests)] == ["m", "c", "a", "b", "d"]


def test_a_rank_set_by_staff_wins():
    guests = [Guest("min", "Minister X", "Minister"), Guest("vip", "Guest Y", "", rank_override=5)]
    assert [g.key for g in order_of_precedence(guests)] == ["vip", "min"]
