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
