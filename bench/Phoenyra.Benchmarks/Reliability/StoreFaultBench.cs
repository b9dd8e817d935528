using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Phoenyra.Benchmarks.Reliability;

/// <summary>
/// <c>storefault --url URL --key TRADER_KEY --data-dir DIR [--clients 8]</c>: a real full disk under a
/// running desk. Start the desk with its data folder on a small filesystem
/// (<c>mount -t tmpfs -o size=64m tmpfs /mnt/full</c>, <c>Phoenyra__DataDir=/mnt/full</c>); this sends
/// orders from N clients, fills the filesystem with a file until it is full, keeps sending, deletes
/// the file, keeps sending, and reports what the clients got in each phase, how long the desk took
/// to commit again, and whether every acknowledged order is in the order history afterwards.
/// </summary>
internal static class StoreFaultBench
{
    public static async Task Run(string[] args)
    {
        var options = new BenchArgs(args);
        var dataDir = options.Get("--data-dir", "");
        var clients = int.Parse(options.Get("--clients", "8"), CultureInfo.InvariantCulture);
        if (!Directory.Exists(dataDir)) throw new ArgumentException("--data-dir must be the running desk's data folder (on a small filesystem)");
        var filler = Path.Combine(dataDir, "filler.bin");
        var acked = new ConcurrentBag<long>();
        var phase = "before";
        var counts = new ConcurrentDictionary<(string Phase, string Answer), int>();
        DateTime? freed = null, recovered = null;
        using var stop = new CancellationTokenSource();

        var senders = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(120) };
            http.DefaultRequestHeaders.Add("X-API-Key", options.Key);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var sent = phase;
                var side = (i + c) % 2 == 0 ? "buy" : "sell";
                var response = await http.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side, quantity = 0.1, price = side == "buy" ? 60 : 140, tif = "gtc" });
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                var answer = response.StatusCode == HttpStatusCode.OK ? "acknowledged" : body.TryGetProperty("reason", out var r) ? r.GetString()! : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                counts.AddOrUpdate((sent, answer), 1, (_, n) => n + 1);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    acked.Add(body.GetProperty("id").GetInt64());
                    if (freed is not null && recovered is null && sent == "after") recovered = DateTime.UtcNow;
                }
                else await Task.Delay(50);
                // Keep the desk's open-order cap out of the way: cancel what rests.
                if (response.StatusCode == HttpStatusCode.OK) await http.DeleteAsync($"/api/orders/{body.GetProperty("id").GetInt64()}");
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(5));
        phase = "disk full";
        var filled = Fill(filler);
        Console.WriteLine($"filled {filled / 1048576.0:0.0} MB; the filesystem is full");
        await Task.Delay(TimeSpan.FromSeconds(10));
        File.Delete(filler);
        freed = DateTime.UtcNow;
        phase = "after";
        await Task.Delay(TimeSpan.FromSeconds(5));
        stop.Cancel();
        await Task.WhenAll(senders);

        foreach (var group in counts.OrderBy(c => c.Key.Phase).GroupBy(c => c.Key.Phase))
            Console.WriteLine($"{group.Key,-10} " + string.Join(", ", group.Select(g => $"{g.Key.Answer} {g.Value}")));
        Console.WriteLine(recovered is { } r2 ? $"first acknowledgement {(r2 - freed!.Value).TotalMilliseconds:0} ms after the space came back" : "no acknowledgement after the space came back");

        // The journal is the record: every acknowledged order must have its accepted record there.
        await Task.Delay(1000);
        var journaled = new HashSet<long>();
        using (var sql = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDir, "journal.db")};Mode=ReadOnly"))
        {
            sql.Open();
            foreach (var (_, block) in Phoenyra.Trading.Journal.JournalBlocks.After(sql, 0, int.MaxValue, schema: "main"))
                foreach (var record in Phoenyra.Trading.Journal.JournalCodec.Read(block))
                    if (record is Phoenyra.Trading.Journal.OrderAcceptedRecord accepted) journaled.Add(accepted.Id);
        }
        var history = await HistoryIds(options);
        Console.WriteLine($"{acked.Count} orders acknowledged: {acked.Count(id => !journaled.Contains(id))} missing from the journal, {acked.Count(id => !history.Contains(id))} from the order history");
    }

    private static async Task<HashSet<long>> HistoryIds(BenchArgs options)
    {
        using var viewer = new HttpClient { BaseAddress = options.Url };
        viewer.DefaultRequestHeaders.Add("X-API-Key", options.Key);
        var known = new HashSet<long>();
        long? before = null;
        while (true)
        {
            var page = await viewer.GetFromJsonAsync<JsonElement>($"/api/orders/history?market=DE-ID-60&limit=1000{(before is null ? "" : $"&before={before}")}");
            var rows = page.GetProperty("orders").EnumerateArray().ToList();
            if (rows.Count == 0) return known;
            foreach (var row in rows) if (row.GetProperty("order_id").ValueKind == JsonValueKind.Number) known.Add(row.GetProperty("order_id").GetInt64());
            before = page.GetProperty("next_before").GetInt64();
        }
    }

    // Writes 1 MB blocks until the filesystem refuses one.
    private static long Fill(string path)
    {
        var block = new byte[1 << 20];
        long written = 0;
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        try
        {
            while (true)
            {
                file.Write(block);
                file.Flush(flushToDisk: true);
                written += block.Length;
            }
        }
        catch (IOException) { }
        return written;
    }
}
