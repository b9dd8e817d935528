using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Trading.Journal;

namespace Phoenyra.Web.Tests;

public sealed class BadInputTests
{

    private static readonly string[] Bodies =
    [
        """{"market":"DE-ID-15","side":"buy","quantity":1.55,"price":85.2}""",
        """{"market":"DE-ID-15","side":"buy","quantity":1,"price":85.001}""",
        """{"market":"DE-ID-15","side":"buy","quantity":0,"price":85}""",
        """{"market":"DE-ID-15","side":"buy","quantity":-2,"price":85}""",
        """{"market":"DE-ID-15","side":"buy","quantity":1,"price":10000}""",
        """{"market":"DE-ID-15","side":"buy","quantity":1,"price":-10000.5}""",
        """{"market":"NOPE","side":"buy","quantity":1,"price":85}""",
        """{"market":"DE-ID-15","side":"hold","quantity":1,"price":85}""",
        """{"market":"DE-ID-15","side":"buy","quantity":"1","price":85}""",
        """{"market":"DE-ID-15","side":"buy","quantity":NaN,"price":85}""",
        """{"market":"DE-ID-15","side":"buy","quantity":1,"price":"cheap"}""",
        """{"market":"DE-ID-15","side":"buy","quantity":1}""",
        """{"market":"DE-ID-15","side":"buy","quantity":1,"price":85,"type":"market","tif":"ioc"}""",
        """{"market":"DE-ID-15","side":"buy","quantity":1,"type":"market","tif":"gtc"}""",
        """{"market":"DE-ID-15","side":"buy","quantity":1,"price":85,"tif":"forever"}""",
        """{"market":"DE-ID-15","side":"buy","quantity":1,"price":85,"type":"stop"}""",
        """{"market":"DE-ID-15","side":"buy","quantity":1e400,"price":85}""",
        """{"side":"buy","quantity":1,"price":85}""",
        """{"market":"DE-ID-15","side":"buy","quantity":1,"price":85,"client_order_id":"naïve"}""",
        """[1,2,3]""",
        """{"market":""",
        """null""",
    ];

    [Fact]
    public async Task ThousandsOfMalformedOrders_Get400NamingAField_AndChangeNeitherBookNorJournal()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?> { ["Phoenyra:Auth:RateLimit:PermitsPerSecond"] = "100000", ["Phoenyra:Auth:RateLimit:Burst"] = "100000" });
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);
        var journal = desk.Services.GetRequiredService<TradeJournal>();
        var viewer = desk.ClientWithKey(DeskFactory.ViewerKey);
        var bookBefore = await viewer.GetStringAsync("/api/book/DE-ID-15?levels=50");
        var ordersBefore = await viewer.GetStringAsync("/api/orders?status=all");
        var journalBefore = journal.Count();
        var random = new Random(20251201);

        for (var i = 0; i < 2000; i++)
        {
            var body = i < Bodies.Length ? Bodies[i] : Mutate(Bodies[random.Next(Bodies.Length)], random);
            var response = await trader.PostAsync("/api/orders", new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body} → {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.True(problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any(), $"{body} → no field named: {text}");
        }

        Assert.Equal(journalBefore, journal.Count());
        Assert.Equal(ordersBefore, await viewer.GetStringAsync("/api/orders?status=all"));
        Assert.Equal(Prices(bookBefore), Prices(await viewer.GetStringAsync("/api/book/DE-ID-15?levels=50")));
    }

    // Same field, broken another way: keeps every body invalid while varying what is wrong.
    private static string Mutate(string body, Random random) => random.Next(4) switch
    {
        0 => body.Replace("\"quantity\":1", $"\"quantity\":{random.Next(1, 9)}.{random.Next(1, 9)}{random.Next(1, 9)}"),
        1 => body.Replace("\"price\":85", $"\"price\":{random.Next(-20000, -10000)}"),
        2 => body.Replace("DE-ID-15", "DE-ID-" + random.Next(100, 999)),
        _ => body,
    };

    // The simulated maker re-quotes on its own; compare structure (level counts), not its prices.
    private static (int, int) Prices(string book)
    {
        var root = JsonDocument.Parse(book).RootElement;
        return (root.GetProperty("bids").GetArrayLength(), root.GetProperty("asks").GetArrayLength());
    }
}
