using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Phoenyra.Benchmarks.Live;
using Phoenyra.Core.Cli;

namespace Phoenyra.Benchmarks.Reliability;

/// <summary>
/// <c>soak --url URL --key TRADER_KEY --device-key KEY --pid DESK_PID [--minutes 30] [--rate 20] [--pages 2] [--csv FILE] [--log DESK_LOG]</c>:
/// a steady order load (IOC orders crossing the simulated maker) and one telemetry reading a second
/// against a running desk, with N dashboards open in Chromium, sampling the desk's resident memory,
/// open file handles and threads every 10 s from /proc. Prints a table (and a CSV to plot), the
/// first-to-last growth, and the error lines of the desk's log.
/// </summary>
internal static class SoakBench
{
    public static async Task Run(string[] args)
    {
        var options = new BenchArgs(args);
        var minutes = double.Parse(options.Get("--minutes", "30"), CultureInfo.InvariantCulture);
        var rate = double.Parse(options.Get("--rate", "20"), CultureInfo.InvariantCulture);
        var pages = int.Parse(options.Get("--pages", "2"));
        var pid = int.Parse(options.Get("--pid", "0"));
        var deviceKey = options.Get("--device-key", options.Key);
        var csv = options.Get("--csv", "soak.csv");
        var log = options.Get("--log", "");
        if (pid <= 0 || !Directory.Exists($"/proc/{pid}")) throw new ArgumentException("--pid must be the desk's process id (it is sampled from /proc)");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-timer-throttling", "--disable-renderer-backgrounding"],
        });
        for (var i = 0; i < pages; i++)
        {
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            await page.GotoAsync($"{options.Url}login?return_url=%2Ftrading");
            await page.Locator("#api_key").FillAsync(options.Key);
            await page.Locator("[data-testid=login-form] button[type=submit]").ClickAsync();
            await page.WaitForFunctionAsync("() => document.documentElement.dataset.connection === 'online'", null, new() { Timeout = 60_000 });
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
        var orders = new TradeDriver(options.Url, options.Key, options.Get("--market", "DE-ID-60"));
        var load = orders.Run(rate, TimeSpan.FromMinutes(minutes), stop.Token);
        var telemetry = Telemetry(options.Url, deviceKey, stop.Token);
        var samples = new List<(double Minute, double RssMb, int Handles, int Threads)>();
        var started = DateTime.UtcNow;
        await using (var file = new StreamWriter(csv))
        {
            await file.WriteLineAsync("minute,rss_mb,handles,threads,orders,failed");
            while (!stop.IsCancellationRequested)
            {
                var sample = (Math.Round((DateTime.UtcNow - started).TotalMinutes, 2), RssMb(pid), Directory.GetFiles($"/proc/{pid}/fd").Length, Directory.GetDirectories($"/proc/{pid}/task").Length);
                samples.Add(sample);
                await file.WriteLineAsync(FormattableString.Invariant($"{sample.Item1},{sample.Item2:0.0},{sample.Item3},{sample.Item4},{orders.Sent},{orders.Failed}"));
                await file.FlushAsync();
                Console.Write(FormattableString.Invariant($"\r{sample.Item1,6:0.0} min  RSS {sample.Item2,7:0.0} MB  handles {sample.Item3,4}  threads {sample.Item4,3}  orders {orders.Sent} (failed {orders.Failed})   "));
                await Task.Delay(TimeSpan.FromSeconds(10), stop.Token).ContinueWith(_ => { });
            }
        }
        await load;
        var telemetrySent = await telemetry;
        Console.WriteLine();

        var table = new TextTable("minute", "RSS MB", "handles", "threads");
        foreach (var s in samples.Where((_, i) => i % 6 == 0 || i == samples.Count - 1))
            table.Add(s.Minute.ToString("0.0", CultureInfo.InvariantCulture), s.RssMb.ToString("0.0", CultureInfo.InvariantCulture), s.Handles.ToString(CultureInfo.InvariantCulture), s.Threads.ToString(CultureInfo.InvariantCulture));
        Console.Write(table.ToString());
        // Growth after warm-up: the second sample against the last (the first minute loads JIT, caches and pages).
        var warm = samples.Count > 6 ? samples[6] : samples[0];
        var last = samples[^1];
        Console.WriteLine(FormattableString.Invariant($"orders {orders.Sent} ok, {orders.Failed} failed; telemetry {telemetrySent} readings; after warm-up (minute {warm.Minute:0.0}) RSS {warm.RssMb:0.0} → {last.RssMb:0.0} MB, handles {warm.Handles} → {last.Handles}, threads {warm.Threads} → {last.Threads}"));
        if (log.Length > 0 && File.Exists(log))
        {
            var errors = File.ReadLines(log).Where(l => l.Contains("[ERR]") || l.Contains("[FTL]") || l.Contains("[CRT]")).ToList();
            Console.WriteLine($"{errors.Count} error lines in {log}");
            foreach (var line in errors.Take(10)) Console.WriteLine("  " + line);
        }
    }

    private static async Task<long> Telemetry(Uri url, string key, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = url };
        http.DefaultRequestHeaders.Add("X-API-Key", key);
        long sent = 0;
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var soc = 50 + 20 * Math.Sin(i / 60.0);
            try
            {
                if ((await http.PostAsJsonAsync("/telemetry/bess", new { soc_percent = Math.Round(soc, 1), active_power_mw = 0.2, temperature_c = 25.0 }, stop)).IsSuccessStatusCode) sent++;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException) { }
            await Task.Delay(1000, stop).ContinueWith(_ => { });
        }
        return sent;
    }

    private static double RssMb(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).First();
}
