using Microsoft.Playwright;

using Phoenyra.Tests.Shared;

namespace Phoenyra.Browser.Tests;

/// <summary>Debian's Chromium driven by Playwright; no browser download (DESIGN.md §5).</summary>
public class BrowserFixture : IAsyncLifetime
{
    public static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private readonly List<IBrowserContext> _contexts = [];

    public IBrowser Browser { get; private set; } = null!;
    public DeskProcess Desk { get; } = new();

    public static string ScreenshotDir { get; } = Path.Combine(DeskProcess.RepoRoot, "artifacts", "screenshots");

    public const string TraderKey = "browser-trader-key-0123456789abcdef";
    public const string ViewerKey = "browser-viewer-key-000001";
    public const string AdminKey = "browser-admin-key-0123456789abcdefg";

    /// <summary>The GBP futures leg replayed at a constant <paramref name="price"/>, so the flash arb's spread is always there to take.</summary>
    protected void ReplayGbFuturesAt(int price)
    {
        var file = Path.Combine(Path.GetTempPath(), $"phoenyra-gb-futures-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(file, ["timestamp_utc,price_eur_mwh", .. Enumerable.Range(0, 48).Select(h => $"2026-01-01T{h / 2:00}:{h % 2 * 30:00}:00Z,{price}")]);
        Desk.Environment["Phoenyra__Trading__CsvReplay__File"] = file;
        Desk.Environment["Phoenyra__Trading__CsvReplay__Market"] = "GB-BASE-M";
        Desk.Environment["Phoenyra__Trading__CsvReplay__Speed"] = "3600";
    }

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDir);
        Desk.Environment["API_KEY"] = TraderKey;
        Desk.AddKey("browser-viewer", "viewer", ViewerKey);
        Desk.AddKey("browser-admin", "admin", AdminKey);
        Desk.Environment["Phoenyra__Bess__DashboardOverrides"] = "true";
        if (SharedData.Folder is { } shared) Desk.Environment["Phoenyra__Bess__PriceFolder"] = Path.Combine(shared, "prices");
        Desk.Environment["Phoenyra__Bess__AutoTrader__DayAheadCsv"] = DearDayAhead();
        // The tests' trader sweeps the paper book with 25 MW orders: here only the auto-trader moves the 5 MW battery.
        Desk.Environment["Phoenyra__Bess__Envelope__Accounts__0"] = "bess-autotrader";
        await Desk.Start();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>
    /// A configured day-ahead curve (the SMARD CSV shape) at 500 EUR/MWh for every hour from yesterday
    /// to the day after tomorrow: against the demo's live price of about 80 the cheapest period is
    /// always the current one, so an auto-trader switched on charges at once (a plan and an order).
    /// </summary>
    private string DearDayAhead()
    {
        var file = Path.Combine(Desk.DataDir, "day-ahead.csv");
        Directory.CreateDirectory(Desk.DataDir);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        start = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, 0, 0, TimeSpan.Zero);
        File.WriteAllLines(file, ["timestamp_utc,price_eur_mwh", .. Enumerable.Range(0, 96).Select(h => $"{start.AddHours(h):yyyy-MM-ddTHH:mm:ssZ},500")]);
        return file;
    }

    /// <summary>A fresh browser context (own cookies and storage) with console errors collected.</summary>
    public async Task<(IPage Page, List<string> Errors)> NewPage(int width = 1440, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        lock (_contexts) _contexts.Add(context);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add(message.Text); };
        page.PageError += (_, error) => { lock (errors) errors.Add(error); };
        return (page, errors);
    }

    /// <summary>A new page at <paramref name="path"/>, signed in with <paramref name="key"/> (a trader by default), once its circuit is live.</summary>
    public async Task<(IPage Page, List<string> Errors)> Open(string path, int width = 1440, int height = 900, string key = TraderKey)
    {
        var (page, errors) = await NewPage(width, height);
        await SignIn(page, key, path);
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.connection === 'online'", null, new() { Timeout = 20_000, PollingInterval = 100 });
        return (page, errors);
    }

    /// <summary>Through the sign-in form, as an operator does; lands on <paramref name="path"/>.</summary>
    public async Task SignIn(IPage page, string key, string path = "/")
    {
        await page.GotoAsync($"{Desk.BaseUrl}/login?return_url={Uri.EscapeDataString(path)}");
        await page.Locator("#api_key").FillAsync(key);
        await page.Locator("[data-testid=login-form] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).PathAndQuery == path, new() { Timeout = 20_000 });
    }

    /// <summary>Closes every page opened so far, so live pages of finished tests stop using the browser's CPU.</summary>
    private readonly SemaphoreSlim _once = new(1, 1);
    private bool _setUp;

    /// <summary>A test class's shared setup (a halt, say): run by the first test that asks, awaited by the others.</summary>
    protected async Task Once(Func<Task> setup)
    {
        await _once.WaitAsync();
        try
        {
            if (_setUp) return;
            await setup();
            _setUp = true;
        }
        finally
        {
            _once.Release();
        }
    }

    public async Task CloseContexts()
    {
        IBrowserContext[] open;
        lock (_contexts) { open = [.. _contexts]; _contexts.Clear(); }
        foreach (var context in open) await context.CloseAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await Desk.DisposeAsync();
    }
}

/// <summary>Base of browser test classes: each test's pages are closed when it ends.</summary>
public abstract class BrowserTest(BrowserFixture fixture) : IAsyncLifetime
{
    protected BrowserFixture Fixture => fixture;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => fixture.CloseContexts();

    /// <summary>The page is live, in the light theme, and no wider than the phone it is on; its screenshot is kept.</summary>
    protected static async Task Fits(Microsoft.Playwright.IPage page, string screenshot)
    {
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.connection === 'online'", null, new() { Timeout = 20_000 });
        Assert.Equal("light", await page.EvaluateAsync<string>("() => document.documentElement.dataset.theme"));
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 1, $"{page.Url} is {overflow}px wider than the phone");
        await page.ScreenshotAsync(new Microsoft.Playwright.PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, screenshot), FullPage = true });
    }
}
