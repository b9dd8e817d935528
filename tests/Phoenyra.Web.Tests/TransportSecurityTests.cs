using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The real binary serving HTTPS from a certificate file given in configuration (beside plain HTTP):
/// Secure cookies and HSTS over HTTPS only, security headers on everything, and data-protection
/// keys encrypted at rest with the configured certificate. Behind a trusted proxy, its
/// X-Forwarded-Proto counts as HTTPS.
/// </summary>
public sealed partial class TransportSecurityTests : IAsyncLifetime
{
    private const string ViewerKey = "tls-viewer-key-0123456789abcdef0123";
    private readonly DeskProcess _desk = new();
    private readonly int _httpsPort;

    public TransportSecurityTests()
    {
        // Two probes may hand out the same free port: make sure HTTPS gets another one than HTTP.
        do _httpsPort = DeskProcess.FreePort(); while (_httpsPort == _desk.Port);
    }
    private readonly string _certificate = Path.Combine(Path.GetTempPath(), $"phoenyra-tls-{Guid.NewGuid():N}.pfx");

    public async Task InitializeAsync()
    {
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllBytesAsync(_certificate, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        }
        _desk.Environment["Kestrel__Endpoints__Http__Url"] = _desk.BaseUrl;
        _desk.Environment["Kestrel__Endpoints__Https__Url"] = $"https://127.0.0.1:{_httpsPort}";
        _desk.Environment["Kestrel__Endpoints__Https__Certificate__Path"] = _certificate;
        _desk.Environment["Kestrel__Endpoints__Https__Certificate__Password"] = "pfx-password";
        _desk.Environment["Phoenyra__DataProtection__CertificatePath"] = _certificate;
        _desk.Environment["Phoenyra__DataProtection__CertificatePassword"] = "pfx-password";
        _desk.Environment["Phoenyra__Http__TrustedProxies__0"] = "127.0.0.1";
        _desk.AddKey("tls-viewer", "viewer", ViewerKey);
        await _desk.Start();
    }

    public async Task DisposeAsync()
    {
        await _desk.DisposeAsync();
        File.Delete(_certificate);
    }

    private static HttpClient Client(string baseUrl) => new(new HttpClientHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Subject == "CN=127.0.0.1",
    }) { BaseAddress = new Uri(baseUrl) };

    [Fact]
    public async Task OverHttps_TheSessionCookieIsSecure_AndHstsIsSent_OverHttpNeither()
    {
        using var https = Client($"https://127.0.0.1:{_httpsPort}");
        using var http = Client(_desk.BaseUrl);

        var secure = await SignIn(https);
        var plain = await SignIn(http);

        Assert.Contains("secure", secure.Cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", plain.Cookie, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("max-age=", (await https.GetAsync("/health")).Headers.GetValues("Strict-Transport-Security").Single());
        Assert.False((await http.GetAsync("/health")).Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task BehindATrustedProxy_ItsForwardedProtoCountsAsHttps()
    {
        using var http = Client(_desk.BaseUrl);

        var proxied = await SignIn(http, forwardedProto: "https");

        Assert.Contains("secure", proxied.Cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/login")]
    [InlineData("/api/positions")]
    public async Task EveryAnswer_CarriesTheSecurityHeaders(string path)
    {
        using var http = Client(_desk.BaseUrl);

        var response = await http.GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public void DataProtectionKeys_AreEncryptedWithTheCertificate_InAFolderOnlyTheDeskMayRead()
    {
        var folder = Path.Combine(_desk.DataDir, "keys");
        var xml = string.Concat(Directory.GetFiles(folder, "*.xml").Select(File.ReadAllText));

        Assert.Contains("EncryptedKey", xml);
        Assert.DoesNotContain("<masterKey", xml);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
    }

    private static async Task<(HttpStatusCode Status, string Cookie)> SignIn(HttpClient client, string? forwardedProto = null)
    {
        using var formRequest = new HttpRequestMessage(HttpMethod.Get, "/login");
        if (forwardedProto is not null) formRequest.Headers.Add("X-Forwarded-Proto", forwardedProto);
        var form = await client.SendAsync(formRequest);
        var antiforgery = string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var token = Token().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/auth/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["api_key"] = ViewerKey, ["return_url"] = "/" }),
        };
        post.Headers.Add("Cookie", antiforgery);
        if (forwardedProto is not null) post.Headers.Add("X-Forwarded-Proto", forwardedProto);
        var response = await client.SendAsync(post);
        var cookie = response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.Single(c => c.StartsWith("phoenyra.session=", StringComparison.Ordinal)) : "";
        Assert.True(cookie.Length > 0, $"no session cookie: {(int)response.StatusCode} {response.Headers.Location}");
        return (response.StatusCode, cookie);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
