def test_demo_fixture_has_thirteen_2024_firms(demo):
    assert demo.queries.annual_stats(2024).firms_supported == 13
