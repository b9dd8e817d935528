using Microsoft.Playwright;

using Phoenyra.Tests.Shared;

namespace Phoenyra.Browser.Tests;

/// <summary>Debian's Chromium driven by Playwright; no browser download (DESIGN.md §5).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    public DeskProcess Desk { get; } = new();

    public static string ScreenshotDir { get; } = Path.Combine(DeskProcess.RepoRoot, "artifacts", "screenshots");

    public const string TraderKey = "browser-trader-key-000001";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDir);
        Desk.Environment["API_KEY"] = TraderKey;
        Desk.Environment["Phoenyra__Bess__DashboardOverrides"] = "true";
        if (SharedData.Folder is { } shared) Desk.Environment["Phoenyra__Bess__PriceFolder"] = Path.Combine(shared, "prices");
        await Desk.Start();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh browser context (own cookies and storage) with console errors collected.</summary>
    public async Task<(IPage Page, List<string> Errors)> NewPage(int width = 1440, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add(message.Text); };
        page.PageError += (_, error) => { lock (errors) errors.Add(error); };
        return (page, errors);
    }

    /// <summary>A new page at <paramref name="path"/>, once its circuit is live.</summary>
    public async Task<(IPage Page, List<string> Errors)> Open(string path, int width = 1440, int height = 900)
    {
        var (page, errors) = await NewPage(width, height);
        await page.GotoAsync(Desk.BaseUrl + path);
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.connection === 'online'", null, new() { Timeout = 20_000, PollingInterval = 100 });
        return (page, errors);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await Desk.DisposeAsync();
    }
}
