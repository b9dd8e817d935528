using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Audit;

namespace Phoenyra.Web.Tests;

/// <summary>Guessing keys costs: per address, a few failures a minute, then 429 before authentication; one log line a minute.</summary>
public sealed class FailedAuthTests
{
    [Fact]
    public async Task ThreeHundredWrongKeys_FromOneAddress_Get429AfterTheLimit_EvenForARightKey_AndLogOneLine()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?> { ["Phoenyra:Auth:FailedAuth:PerMinute"] = "20" });
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 300; i++)
            statuses.Add((await desk.ClientWithKey($"guess-{i:D4}-0123456789abcdef").GetAsync("/api/positions")).StatusCode);
        var rightKey = await desk.ClientWithKey(DeskFactory.TraderKey).GetAsync("/api/positions");

        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(280, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.TooManyRequests, rightKey.StatusCode);
        Assert.True(rightKey.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("failed authentication", (await rightKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        // Without credentials the address still reaches public pages.
        Assert.Equal(HttpStatusCode.OK, (await desk.ClientWithKey(null).GetAsync("/health")).StatusCode);

        var log = await ReadLog(desk);
        Assert.Equal(1, CountLines(log, "Failed authentication from"));
        Assert.Equal(0, CountLines(log, "was not authenticated"));
        Assert.Equal(0, CountLines(log, "was challenged"));
    }

    [Fact]
    public async Task AFailedDashboardSignIn_IsAudited_AndCountsTowardsTheLimit()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?> { ["Phoenyra:Auth:FailedAuth:PerMinute"] = "3" });
        var browser = desk.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var statuses = new List<HttpStatusCode>();

        var form = await browser.GetStringAsync("/login");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

        for (var i = 0; i < 5; i++)
            statuses.Add((await browser.PostAsync("/auth/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["api_key"] = "wrong-key-" + i,
            }))).StatusCode);

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        // This address is locked out for the minute, the admin included: read the audit log in-process.
        var audit = desk.Services.GetRequiredService<IAuditLog>();
        var entries = await audit.Query(new AuditQuery(null, "session.login_failed", null, null, 100));
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal("anonymous", e.Actor));
        Assert.DoesNotContain(entries, e => JsonSerializer.Serialize(e).Contains("wrong-key"));
    }

    private static async Task<string> ReadLog(DeskFactory desk)
    {
        var folder = Path.Combine(desk.DataDir, "logs");
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var text = string.Concat(Directory.GetFiles(folder).Select(f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                return new StreamReader(stream).ReadToEnd();
            }));
            if (text.Contains("Failed authentication from")) return text;
            await Task.Delay(100);
        }
        return "";
    }

    private static int CountLines(string log, string text) => log.Split('\n').Count(l => l.Contains(text));
}
