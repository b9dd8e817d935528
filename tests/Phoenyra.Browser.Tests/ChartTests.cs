using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

/// <summary>Charts that tell the truth: history on arrival, one bar per interval, telemetry as steps on its own axes.</summary>
public sealed class ChartTests(BrowserFixture fixture) : BrowserTest(fixture), IClassFixture<BrowserFixture>
{
    private const string Market = "DE-ID-60";

    [Fact]
    public async Task TheMarkChart_StartsWithTheRecentQuarterHour_NotEmpty()
    {
        var (first, _) = await TradingScreen.Open(Fixture, Market);
        await first.WaitForTimeoutAsync(3_000); // the desk's reference ticks every second
        await first.CloseAsync();

        var (page, errors) = await TradingScreen.Open(Fixture, Market);
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=mark-chart]')?._phoenyraChart !== undefined");

        var points = await page.GetByTestId("mark-chart").EvaluateAsync<int>("e => e._phoenyraChart.series[0].points.length");
        Assert.True(points >= 3, $"the mark chart started with {points} points");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task OneVwapInterval_IsOneBar_NotASpanOfDays()
    {
        var (page, errors) = await TradingScreen.Open(Fixture, Market);
        var mark = (await TradingScreen.Quote(Fixture, Market)).Mark;
        await TradingScreen.Enter(page, "Buy", "1", (mark + 5).ToString("0.00"), tif: "IOC");
        await page.GetByTestId("order-submit").ClickAsync();
        var chart = page.GetByTestId("vwap-chart");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=vwap-chart]').shadowRoot?.querySelector('.apexcharts-bar-area') !== null", null, new() { Timeout = 15_000 });

        var share = await chart.EvaluateAsync<double>("""
            e => {
                const bars = [...e.shadowRoot.querySelectorAll('.apexcharts-bar-area')].map(b => b.getBoundingClientRect().width);
                return Math.max(...bars) / e.getBoundingClientRect().width;
            }
            """);
        Assert.True(share < 0.5, $"one interval's bar is {share:P0} of the chart");
        Assert.Equal("category", await chart.EvaluateAsync<string>("e => e._phoenyraChart.chart.w.config.xaxis.type"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TheSocChart_DrawsSteps_OnTwoAxes_AndOffersRanges()
    {
        var (page, errors) = await Fixture.Open("/bess");
        var chart = page.GetByTestId("telemetry-chart");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=telemetry-chart]')?._phoenyraChart !== undefined");

        Assert.Equal("stepline", await chart.EvaluateAsync<string>("e => e._phoenyraChart.chart.w.config.stroke.curve"));
        Assert.Equal(new[] { "SoC %", "MW" }, await chart.EvaluateAsync<string[]>("e => e._phoenyraChart.chart.w.config.yaxis.map(a => a.title.text)"));

        await page.GetByTestId("telemetry-range").GetByText("1 h", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-range-minutes", "60");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=telemetry-chart]')?._phoenyraChart?.series[0].points.length > 0");
        Assert.Empty(errors);
    }
}
