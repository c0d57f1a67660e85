"""The demo's data: a car-loan (and van-loan) model's predictions, outcomes and reference,
generated with a known truth (`data`), and optionally spoiled as real logs are (`dirt`)."""
