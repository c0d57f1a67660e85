"""Issue 18, item 3: one message per recipient per night."""

from __future__ import annotations

from bottomline.delivery.recipients import RecipientPlan

PLAN = RecipientPlan.of(
    {
        "cars": ["cfo@x.com", "cars@x.com"],
        "vans": ["cfo@x.com", "vans@x.com"],
        "trucks": ["cfo@x.com", "fleet@x.com"],
        "bikes": ["fleet@x.com"],
    }
)


def test_who_follows_one_model_gets_its_report_and_the_others_the_portfolio() -> None:
    assert PLAN.alone("cars") == ["cars@x.com"]
    assert PLAN.alone("bikes") == []  # fleet@ follows trucks too
    assert PLAN.portfolio(["cars", "vans", "trucks", "bikes"]) == ["cfo@x.com", "fleet@x.com"]
    assert PLAN.late(["cars", "vans", "trucks", "bikes"]) == {}


def test_when_their_other_models_fail_they_get_the_one_that_ran() -> None:
    done = ["cars", "vans", "bikes"]  # trucks failed: fleet@ is left with bikes alone
    assert PLAN.portfolio(done) == ["cfo@x.com"]
    assert PLAN.late(done) == {"bikes": ["fleet@x.com"]}
    assert PLAN.portfolio(["cars"]) == []  # no portfolio of one model
    assert PLAN.late(["cars"]) == {"cars": ["cfo@x.com"]}
    assert PLAN.late([]) == {}


def test_every_address_gets_exactly_one_message_whatever_fails() -> None:
    models = ["cars", "vans", "trucks", "bikes"]
    for failed in range(1 << len(models)):
        done = [m for n, m in enumerate(models) if not failed >> n & 1]
        messages: dict[str, int] = {}
        for model in done:
            for address in PLAN.alone(model):
                messages[address] = messages.get(address, 0) + 1
        for address in PLAN.portfolio(done):
            messages[address] = messages.get(address, 0) + 1
        for addresses in PLAN.late(done).values():
            for address in addresses:
                messages[address] = messages.get(address, 0) + 1
        expected = {a for a, followed in PLAN.followed.items() if followed & set(done)}
        assert messages == dict.fromkeys(expected, 1), done
