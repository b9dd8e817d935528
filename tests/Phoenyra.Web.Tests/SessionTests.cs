using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Phoenyra.Web.Tests;

/// <summary>Dashboard sessions: sign in with a key, act with its role; REST still needs the key; a revoked key ends its sessions.</summary>
public sealed partial class SessionTests : IClassFixture<DeskFactory>
{
    private readonly DeskFactory _desk;

    public SessionTests(DeskFactory desk) => _desk = desk;

    private HttpClient Browser() => _desk.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [Fact]
    public async Task DashboardPages_WithoutASession_RedirectToSignIn()
    {
        using var browser = Browser();

        var response = await browser.GetAsync("/trading");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?return_url=%2Ftrading", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.OK)]
    [InlineData("http://localhost", HttpStatusCode.OK)]
    [InlineData("https://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost.evil.example", HttpStatusCode.Forbidden)]
    public async Task TheDashboardsCircuit_OpensOnlyFromTheDesksOwnPages(string? origin, HttpStatusCode expected)
    {
        using var browser = Browser();
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        if (origin is not null) negotiate.Headers.Add("Origin", origin);

        var response = await browser.SendAsync(negotiate);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden) Assert.Contains("Phoenyra:Dashboard:AllowedOrigins", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignIn_WithATraderKey_OpensTheDashboard_ButRestStillWantsTheKey()
    {
        using var browser = Browser();

        var signIn = await SignIn(browser, DeskFactory.TraderKey, "/trading");

        Assert.Equal("/trading", signIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/trading")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/orders")).StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("phoenyra.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(DeskFactory.TraderKey, cookie);
    }

    [Theory]
    [InlineData(DeskFactory.DeviceKey, "device")]
    [InlineData("no-such-key-0000000000000", "invalid")]
    public async Task SignIn_WithADeviceOrUnknownKey_IsRefusedWithAReason(string key, string error)
    {
        using var browser = Browser();

        var signIn = await SignIn(browser, key, "/");

        Assert.StartsWith($"/login?error={error}", signIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_IsAudited_AndRevokingTheKeyEndsTheSession()
    {
        using var admin = _desk.ClientWithKey(DeskFactory.AdminKey);
        var created = await (await admin.PostAsJsonAsync("/admin/keys", new { id = "session-trader", role = "trader" })).Content.ReadFromJsonAsync<JsonElement>();
        using var browser = Browser();
        await SignIn(browser, created.GetProperty("key").GetString()!, "/");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/trading")).StatusCode);

        (await admin.DeleteAsync("/admin/keys/session-trader")).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/trading")).StatusCode);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/admin/audit?action=session.login&actor=session-trader");
        Assert.Single(audit.GetProperty("entries").EnumerateArray());
    }

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    public async Task SignIn_NeverRedirectsOffTheSite(string returnUrl)
    {
        using var browser = Browser();

        var signIn = await SignIn(browser, DeskFactory.ViewerKey, returnUrl);

        Assert.Equal("/", signIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignOut_EndsTheSessionOnTheServer_SoACopiedCookieIsDeadToo()
    {
        using var browser = Browser();
        var signIn = await SignIn(browser, DeskFactory.ViewerKey, "/");
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("phoenyra.session=", StringComparison.Ordinal)).Split(';')[0];
        var page = await browser.GetStringAsync("/");
        var token = TokenPattern().Match(page).Groups[1].Value;

        var signOut = await browser.PostAsync("/auth/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var copy = _desk.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var replay = new HttpRequestMessage(HttpMethod.Get, "/trading");
        replay.Headers.Add("Cookie", cookie);
        var replayed = await copy.SendAsync(replay);
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.StartsWith("/login", replayed.Headers.Location!.PathAndQuery);
    }

    /// <summary>As a browser does: fetch the form (antiforgery token and cookie), post it.</summary>
    private static async Task<HttpResponseMessage> SignIn(HttpClient browser, string key, string returnUrl)
    {
        var form = await browser.GetStringAsync("/login");
        var token = TokenPattern().Match(form).Groups[1].Value;
        var response = await browser.PostAsync("/auth/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["api_key"] = key,
            ["return_url"] = returnUrl,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

/// <summary>A session ends a fixed time after sign-in, however busy its operator is.</summary>
public sealed partial class SessionLifetimeTests
{
    [Fact]
    public async Task AnActiveSession_StillEnds_AtItsAbsoluteLifetime()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        using var desk = DeskFactory.WithClock(clock, new Dictionary<string, string?> { ["Phoenyra:Auth:SessionHours"] = "3" });
        using var browser = desk.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var form = await browser.GetStringAsync("/login");
        var token = Token().Match(form).Groups[1].Value;
        await browser.PostAsync("/auth/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["api_key"] = DeskFactory.ViewerKey, ["return_url"] = "/" }));

        var statuses = new List<HttpStatusCode>();
        for (var hour = 0; hour < 4; hour++)
        {
            statuses.Add((await browser.GetAsync("/trading")).StatusCode); // busy every hour: the 12 h idle limit never applies
            clock.Advance(TimeSpan.FromMinutes(59));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], statuses.Take(4));
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/trading")).StatusCode);
    }

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex Token();
}
