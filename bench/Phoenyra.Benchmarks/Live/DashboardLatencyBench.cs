using Microsoft.Playwright;
using Phoenyra.Core.Cli;

namespace Phoenyra.Benchmarks.Live;

/// <summary>
/// <c>dashboards --url URL --key KEY [--pages 20] [--seconds 30] [--rate 2] [--screenshots DIR]</c>: opens N trading
/// dashboards in Debian's Chromium (each signed in, each its own Blazor circuit), makes trades, and
/// measures engine event to DOM: from the trade's engine time to the moment its row appears in each
/// page's recent-trades grid (a MutationObserver reads Date.now(); same machine, same clock). The
/// desk's and the browsers' CPU over the run (from /proc) split the cost between server and pages.
/// </summary>
internal static class DashboardLatencyBench
{
    private const string Observer = """
        () => {
          window.__latencies = [];
          window.__longTasks = [];
          new PerformanceObserver(list => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ entryTypes: ['longtask'] });
          const seen = new Set();
          const scan = () => {
            for (const row of document.querySelectorAll('[data-testid=recent-trades] tr[data-trade-id]')) {
              const id = row.dataset.tradeId;
              if (seen.has(id)) continue;
              seen.add(id);
              if (window.__armed) window.__latencies.push(Date.now() - Number(row.dataset.timeMs));
            }
          };
          scan();
          new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true });
          window.__armed = true;
        }
        """;

    public static async Task Run(string[] args)
    {
        var options = new BenchArgs(args);
        var url = options.Url;
        var key = options.Key;
        var pages = int.Parse(options.Get("--pages", "20"));
        var seconds = int.Parse(options.Get("--seconds", "30"));
        var rate = double.Parse(options.Get("--rate", "2"));
        var market = options.Get("--market", "DE-ID-60");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-background-timer-throttling", "--disable-renderer-backgrounding"],
        });
        var open = new List<IPage>();
        for (var i = 0; i < pages; i++)
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
            var page = await context.NewPageAsync();
            await page.GotoAsync($"{url}login?return_url=%2Ftrading");
            await page.Locator("#api_key").FillAsync(key);
            await page.Locator("[data-testid=login-form] button[type=submit]").ClickAsync();
            await page.WaitForFunctionAsync("() => document.documentElement.dataset.connection === 'online' && document.querySelector('[data-testid=recent-trades]')", null, new() { Timeout = 60_000 });
            await page.EvaluateAsync(Observer);
            open.Add(page);
            Console.Write($"\r{open.Count}/{pages} dashboards open");
        }
        Console.WriteLine($"; trading {market} at {rate}/s for {seconds} s…");

        var driver = new TradeDriver(url, key, market);
        var (desk0, browsers0) = (ProcessCpu.Seconds(ProcessCpu.Desk), ProcessCpu.Seconds(ProcessCpu.Browser));
        await driver.Run(rate, TimeSpan.FromSeconds(seconds));
        var (deskCpu, browserCpu) = (ProcessCpu.Seconds(ProcessCpu.Desk) - desk0, ProcessCpu.Seconds(ProcessCpu.Browser) - browsers0);
        // Late rows count too: wait (up to 30 s) until every page has shown every trade.
        var expectedPerPage = driver.Filled;
        for (var wait = 0; wait < 30; wait++)
        {
            var seen = 0L;
            foreach (var page in open) seen += await page.EvaluateAsync<long>("() => window.__latencies.length");
            if (seen >= expectedPerPage * pages) break;
            await Task.Delay(1000);
        }

        var all = new List<double>();
        var longTasks = new List<double>();
        foreach (var page in open)
        {
            all.AddRange(await page.EvaluateAsync<double[]>("() => window.__latencies"));
            longTasks.AddRange(await page.EvaluateAsync<double[]>("() => window.__longTasks"));
        }
        all.Sort();
        longTasks.Sort();
        var draws = await open[0].EvaluateAsync<string>("() => [...document.querySelectorAll('.pho-chart')].map(c => `${c.dataset.testid} ${c.dataset.drawMs ?? '-'} ms`).join(', ')");
        var expected = driver.Filled * pages;
        if (options.Get("--screenshots", "") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            foreach (var chart in new[] { "mark-chart", "depth-chart" })
                await open[0].GetByTestId(chart).ScreenshotAsync(new() { Path = Path.Combine(folder, $"{chart}.png") });
        }
        Console.WriteLine(new TextTable("Measure", "Value")
            .Add("dashboards", pages.ToString())
            .Add("trades made", driver.Filled.ToString("N0"))
            .Add("rows seen / expected", $"{all.Count:N0} / {expected:N0}")
            .Add("event→DOM p50 ms", Percentiles.Of(all, 50).ToString("0"))
            .Add("event→DOM p95 ms", Percentiles.Of(all, 95).ToString("0"))
            .Add("event→DOM max ms", (all.Count > 0 ? all[^1] : double.NaN).ToString("0"))
            .Add("last chart redraw (page 1)", draws)
            .Add("desk CPU over the run", $"{deskCpu:0.0} s ({deskCpu / seconds:0.00} cores)")
            .Add("browsers' CPU over the run", $"{browserCpu:0.0} s ({browserCpu / seconds:0.00} cores)")
            .Add("browser long tasks per page", $"{longTasks.Count / (double)pages:0.0} (p50 {Percentiles.Of(longTasks, 50):0} ms, max {(longTasks.Count > 0 ? longTasks[^1] : 0):0} ms)"));
    }
}
