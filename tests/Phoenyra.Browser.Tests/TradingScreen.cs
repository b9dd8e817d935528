using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

/// <summary>What trading-page tests do again and again: open it on a market, fill the ticket, read the desk's quote.</summary>
internal static class TradingScreen
{
    public sealed record MarketQuote(decimal? Bid, decimal? Ask, decimal? Last, decimal Mark, string MarkSource);

    /// <summary>The trading page with <paramref name="market"/> picked for the whole page (ticket, ladder, charts).</summary>
    public static async Task<(IPage Page, List<string> Errors)> Open(BrowserFixture fixture, string market, int width = 1440, int height = 900)
    {
        var opened = await fixture.Open("/trading", width, height);
        await Pick(opened.Page, market);
        return opened;
    }

    public static async Task Pick(IPage page, string market)
    {
        await page.GetByTestId("market-picker").ClickAsync();
        await page.Locator(".rz-dropdown-item", new() { HasText = market }).Filter(new() { Visible = true }).First.ClickAsync();
        await PopupClosed(page);
        await Assertions.Expect(page.GetByTestId("mark-chart")).ToHaveAttributeAsync("data-market", market);
        await Assertions.Expect(page.GetByTestId("order-market")).ToHaveTextAsync(market);
        await Assertions.Expect(page.GetByTestId("quote-board")).ToHaveAttributeAsync("data-market", market);
    }

    public static async Task Enter(IPage page, string side, string quantity, string price, string? tif)
    {
        await page.GetByTestId("order-side").GetByText(side, new() { Exact = true }).ClickAsync();
        await Fill(page.Locator("[data-testid=order-quantity] input"), quantity);
        await Fill(page.Locator("[data-testid=order-price] input"), price);
        if (tif is not null)
        {
            await page.GetByTestId("order-tif").ClickAsync();
            await page.Locator(".rz-dropdown-item", new() { HasText = tif }).Filter(new() { Visible = true }).First.ClickAsync();
            await PopupClosed(page);
            await Assertions.Expect(page.GetByTestId("order-tif")).ToContainTextAsync(tif);
        }
    }

    /// <summary>
    /// Radzen animates a closing dropdown: until it is gone, a click meant for the button under it can
    /// land on the fading list instead (seen once in CI as an order that was never sent).
    /// </summary>
    public static Task PopupClosed(IPage page) =>
        Assertions.Expect(page.Locator(".rz-dropdown-item").Filter(new() { Visible = true })).ToHaveCountAsync(0);

    /// <summary>Types like a user and leaves the field, so the form validates on change.</summary>
    public static async Task Fill(ILocator input, string value)
    {
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    /// <summary>The desk's own view of the market, from the REST API.</summary>
    public static async Task<MarketQuote> Quote(BrowserFixture fixture, string market)
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Desk.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-API-Key", BrowserFixture.TraderKey);
        var data = await http.GetFromJsonAsync<JsonElement>("/api/market-data?bars=0");
        var m = data.GetProperty("markets").EnumerateArray().Single(m => m.GetProperty("market").GetString() == market);
        decimal? Value(string name) => m.GetProperty(name).ValueKind == JsonValueKind.Number ? m.GetProperty(name).GetDecimal() : null;
        return new MarketQuote(Value("best_bid"), Value("best_ask"), Value("last_trade"), m.GetProperty("mark").GetDecimal(), m.GetProperty("mark_source").GetString()!);
    }

    public static decimal Number(string text) => decimal.Parse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
