using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

/// <summary>The trader's screen (issue 10): a correct mark with its sources, readable blotters, a ticket with market context.</summary>
public sealed class TradingScreenTests(BrowserFixture fixture) : BrowserTest(fixture), IClassFixture<BrowserFixture>
{
    private const string Market = "DE-ID-60";

    [Fact]
    public async Task TheQuoteBoard_ShowsBidAskLastAndMark_WithTheirTimes_AndTheMarkInsideTheSpread()
    {
        var (page, errors) = await TradingScreen.Open(Fixture, Market);
        var before = await TradingScreen.Quote(Fixture, Market);

        await TradingScreen.Enter(page, "Buy", "1", (before.Mark + 5).ToString("0.00"), tif: "IOC");
        await page.GetByTestId("order-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("quote-last-time")).Not.ToHaveTextAsync("—", new() { Timeout = 10_000 });

        // One read of the whole board: prices move every second with the demo reference.
        var board = await page.GetByTestId("quote-board").EvaluateAsync<string[]>(
            "b => ['quote-bid', 'quote-ask', 'quote-mark', 'quote-spread'].map(id => b.querySelector(`[data-testid=${id}]`).innerText)");
        var (bid, ask, mark, spread) = (TradingScreen.Number(board[0]), TradingScreen.Number(board[1]), TradingScreen.Number(board[2]), TradingScreen.Number(board[3]));
        Assert.InRange(mark, bid, ask);
        Assert.Equal(ask - bid, spread);
        await Assertions.Expect(page.GetByTestId("quote-mark-source")).ToHaveAttributeAsync("data-source", new System.Text.RegularExpressions.Regex("last_trade|best_bid|best_ask|mid"));
        await Assertions.Expect(page.GetByTestId("quote-asof")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d\d:\d\d:\d\d$"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "trading-quote.png") });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TheTicket_JoinsTheBid_LiftsTheAsk_TakesALadderPrice_AndSaysWhatItWillSend()
    {
        var (page, errors) = await TradingScreen.Open(Fixture, Market);
        var price = page.Locator("[data-testid=order-price] input");
        await Assertions.Expect(page.GetByTestId("order-bid")).Not.ToHaveTextAsync("—", new() { Timeout = 10_000 });

        var bid = await Quick(page, "order-use-bid", "order-bid");
        await Assertions.Expect(page.GetByTestId("order-submit")).ToContainTextAsync($"BUY 1 MW {Market} @ {bid}");
        await Quick(page, "order-use-ask", "order-ask");

        // Read the level's price and click it in one step: the ladder re-renders with every reference tick.
        var level = page.Locator("[data-testid=price-ladder] .pho-ladder-bid .pho-ladder-price").Nth(2);
        var levelPrice = await level.EvaluateAsync<string>("b => { const p = b.dataset.price; b.click(); return p; }");
        await page.WaitForFunctionAsync("p => Number(document.querySelector('[data-testid=order-price] input').value) === Number(p)", levelPrice);
        await Assertions.Expect(page.GetByTestId("order-submit")).ToContainTextAsync($"@ {levelPrice}");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task OneMarketForThePage_ChangingItResetsTheTicketsPrice_AndEnterSends()
    {
        var (page, errors) = await TradingScreen.Open(Fixture, Market);
        await TradingScreen.Pick(page, "DE-ID-15");
        var quote = await TradingScreen.Quote(Fixture, "DE-ID-15");

        var price = TradingScreen.Number(await page.Locator("[data-testid=order-price] input").InputValueAsync());
        Assert.InRange(price, quote.Mark - 1, quote.Mark + 1); // the new market's own mark, not the old price
        var quantity = page.Locator("[data-testid=order-quantity] input");
        await quantity.FillAsync("0.5");
        await quantity.PressAsync("Enter");

        var toast = page.Locator(".rz-notification-item").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("Order \\d+ (accepted|filled|partially_filled)") });
        await Assertions.Expect(toast).ToContainTextAsync("DE-ID-15", new() { Timeout = 10_000 });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task ALargeOrder_AsksForConfirmation_AndBackSendsNothing()
    {
        var (page, errors) = await TradingScreen.Open(Fixture, Market);
        var mark = (await TradingScreen.Quote(Fixture, Market)).Mark;
        var activeBefore = await page.GetByTestId("active-count").InnerTextAsync();

        await TradingScreen.Enter(page, "Buy", "12", (mark - 3).ToString("0.00"), tif: null);
        await page.GetByTestId("order-submit").ClickAsync();

        var dialog = page.Locator(".rz-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync($"BUY 12 MW {Market}");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Back" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        // Nothing was sent: no acceptance, and no more active orders (the demo market may fill one meanwhile).
        var accepted = page.Locator(".rz-notification-item").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("Order \\d+ accepted") });
        await page.WaitForTimeoutAsync(500);
        await Assertions.Expect(accepted).ToHaveCountAsync(0);
        Assert.True(int.Parse(await page.GetByTestId("active-count").InnerTextAsync()) <= int.Parse(activeBefore), "Back sent the order");

        await page.GetByTestId("order-submit").ClickAsync();
        await page.Locator(".rz-dialog").GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(accepted).ToBeVisibleAsync(new() { Timeout = 10_000 });
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("dark")]
    [InlineData("light")]
    public async Task TheBlotters_ShowWholePricesWithUnits_OnReadableRows(string theme)
    {
        var (page, errors) = await TradingScreen.Open(Fixture, Market);
        if (theme == "light") await page.EvaluateAsync("() => phoenyra.theme.set('light')");
        var mark = (await TradingScreen.Quote(Fixture, Market)).Mark;
        string? previous = null;
        for (var i = 0; i < 2; i++)
        {
            await TradingScreen.Enter(page, "Buy", "1", (Math.Floor(mark) - 4 - i).ToString("0.00"), tif: null);
            await page.GetByTestId("order-submit").ClickAsync();
            // This order's own toast (the first one's may already have gone: a toast lasts 4 s).
            var toast = page.Locator(".rz-notification-item").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"Order \d+ accepted") });
            if (previous is not null) toast = toast.Filter(new() { HasNotText = previous });
            await Assertions.Expect(toast.First).ToBeVisibleAsync(new() { Timeout = 10_000 });
            previous = System.Text.RegularExpressions.Regex.Match(await toast.First.InnerTextAsync(), @"Order \d+ accepted").Value; // whole, so "Order 1 …" is not in "Order 12 …"
        }

        var cell = page.Locator("[data-testid=active-orders] [data-testid=order-price-cell]").First;
        await Assertions.Expect(cell).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d\d$"));
        var clipped = await cell.EvaluateAsync<bool>("e => { const td = e.closest('td'); return td.scrollWidth > td.clientWidth + 1 || e.getBoundingClientRect().width < 20; }");
        Assert.False(clipped, "the price cell is cut off");
        await Assertions.Expect(page.Locator("[data-testid=active-orders] th").Filter(new() { HasText = "EUR/MWh" })).ToHaveCountAsync(1);
        // Every row's text stands out from its own background (light text on dark, or dark on light).
        var contrasts = await page.EvaluateAsync<double[]>("""
            () => [...document.querySelectorAll('[data-testid=active-orders] tbody tr')].slice(0, 4).map(tr => {
                const lum = c => { const [r, g, b] = c.match(/\d+(\.\d+)?/g).map(Number); return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; };
                let el = tr.querySelector('td'), bg = 'rgba(0, 0, 0, 0)';
                while (el && (bg = getComputedStyle(el).backgroundColor).endsWith(', 0)')) el = el.parentElement;
                return Math.abs(lum(getComputedStyle(tr.querySelector('td')).color) - lum(bg));
            })
            """);
        Assert.All(contrasts, c => Assert.True(c > 0.4, $"row contrast {c:0.00} in the {theme} theme"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, $"trading-blotters-{theme}.png"), FullPage = true });
        Assert.Empty(errors);
    }

    /// <summary>
    /// Clicks a quick-price button and returns the price it put in the ticket, which must be a quote
    /// the ticket showed around the click (the reference ticks every second, so the quote may move
    /// while the click travels): every value the quote shows meanwhile is recorded.
    /// </summary>
    private static async Task<string> Quick(IPage page, string button, string quote)
    {
        var price = page.Locator("[data-testid=order-price] input");
        var before = await price.InputValueAsync();
        await page.GetByTestId(quote).EvaluateAsync("""
            q => {
                window.__quotes = [q.innerText];
                window.__watch?.disconnect();
                window.__watch = new MutationObserver(() => window.__quotes.push(q.innerText));
                window.__watch.observe(q, { childList: true, characterData: true, subtree: true });
            }
            """);
        await page.GetByTestId(button).ClickAsync();
        await page.WaitForFunctionAsync("old => document.querySelector('[data-testid=order-price] input').value !== old", before);
        var taken = TradingScreen.Number(await price.InputValueAsync());
        var shown = (await page.EvaluateAsync<string[]>("() => { window.__watch.disconnect(); return window.__quotes; }")).Select(TradingScreen.Number).ToList();
        Assert.Contains(taken, shown);
        return taken.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
    }
}
