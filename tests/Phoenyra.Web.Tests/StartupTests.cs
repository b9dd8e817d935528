using System.Diagnostics;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

public sealed class StartupTests
{
    /// <summary>The real binary with <paramref name="environment"/>, until it exits (a minute at most): its exit code, stderr and stdout.</summary>
    private static async Task<(int ExitCode, string Stderr, string Stdout)> RunDesk(Dictionary<string, string> environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(RepoPaths.DeskBinary) { RedirectStandardError = true, RedirectStandardOutput = true };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return (process.ExitCode, await stderr, await stdout);
    }

    [Fact]
    public async Task InvalidConfiguration_StopsTheRealBinary_WithExitCode2_NamingEachBadKeyAndItsFix()
    {
        var (exitCode, message, stdout) = await RunDesk(new()
        {
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Phoenyra__DataDir"] = "/proc/phoenyra-cannot-write-here",
            ["Phoenyra__Auth__RateLimit__PermitsPerSecond"] = "0",
            ["Phoenyra__Auth__Keys__0__Id"] = "ops",
            ["Phoenyra__Auth__Keys__0__Role"] = "emperor",
            ["Phoenyra__Auth__Keys__0__Key"] = "a-long-enough-key-0000",
            ["Phoenyra__Strategies__Instances__0__HedgeGrid__Levels"] = "0",
            ["Phoenyra__Strategies__Instances__0__KillSwitch__MaxDrawdownShare"] = "2",
            ["Phoenyra__Strategies__OpsUrls"] = "localhost",
            ["Phoenyra__Compat__Urls"] = "http://127.0.0.1:19000;https://localhost",
            ["Phoenyra__Bess__Imbalance__PriceCsv"] = "no-such-rebap.csv",
            ["Phoenyra__Bess__Envelope__HorizonHours"] = "0",
            ["Phoenyra__Auth__Keys__1__Id"] = "bess-autotrader",
            ["Phoenyra__Auth__Keys__1__Role"] = "trader",
            ["Phoenyra__Auth__Keys__1__Key"] = "another-long-enough-key-0000",
            ["API_KEY"] = "short-trader-key",
            ["ADMIN_KEY"] = "admin",
        });

        Assert.Equal(2, exitCode);
        Assert.Contains("Phoenyra cannot start: the configuration is invalid.", message);
        Assert.Contains("Phoenyra:DataDir: '/proc/phoenyra-cannot-write-here' is not a writable folder", message);
        Assert.Contains("Phoenyra:Auth:RateLimit:PermitsPerSecond: is 0", message);
        Assert.Contains("Phoenyra__Auth__RateLimit__PermitsPerSecond", message);
        Assert.Contains("Phoenyra:Auth:Keys:0:Role: 'emperor' is not a role", message);
        Assert.Contains("Phoenyra:Strategies:Instances:0:HedgeGrid:Levels: is 0", message);
        Assert.Contains("Phoenyra:Strategies:Instances:0:KillSwitch:MaxDrawdownShare: is 2", message);
        Assert.Contains("Phoenyra:Strategies:OpsUrls: 'localhost' must be an http URL with its port", message);
        Assert.Contains("Phoenyra:Compat:Urls: 'https://localhost' must be an http URL with its port", message);
        Assert.DoesNotContain("19000", message);
        Assert.Contains("Phoenyra:Bess:Imbalance:PriceCsv: 'no-such-rebap.csv' is not a file (relative paths start from the folder the desk starts in)", message);
        Assert.Contains("Phoenyra:Bess:Envelope:HorizonHours: is 0", message);
        Assert.Contains("API_KEY: is 16 characters; it must be at least 32. Fix: set API_KEY to a longer random key", message);
        Assert.Contains("ADMIN_KEY: is 5 characters; it must be at least 32", message);
        Assert.Contains("Phoenyra:Auth:Keys:1:Id: 'bess-autotrader' is reserved for the BESS auto-trader; choose another id", message);
        Assert.DoesNotContain("a-long-enough-key-0000", message + stdout);
        Assert.DoesNotContain("short-trader-key", message + stdout);
    }

    [Fact]
    public async Task APlainHttpCompatListenerOnTheNetwork_BesideAnHttpsDesk_StopsTheStart_UnlessTheOperatorAllowsIt()
    {
        var (exitCode, message, _) = await RunDesk(new()
        {
            ["ASPNETCORE_URLS"] = "https://127.0.0.1:0",
            ["Phoenyra__Compat__Urls"] = "http://127.0.0.1:19003;http://0.0.0.0:19004",
            ["Phoenyra__Strategies__OpsUrls"] = "http://localhost:19005",
        });

        Assert.Equal(2, exitCode);
        Assert.Contains("Phoenyra:Compat:Urls: 'http://0.0.0.0:19004' is plain HTTP on an address other machines reach while the desk's own listener is HTTPS", message);
        Assert.Contains("set Phoenyra:Compat:AllowPlainHttp=true if the network is trusted", message);
        Assert.DoesNotContain("19003", message); // loopback stays on this machine
        Assert.DoesNotContain("OpsUrls", message);
    }

    [Fact]
    public async Task AHalfConfiguredFlashArb_FromTheEnvironmentAndADotEnvFile_StopsTheDeskNamingEachVariableAndItsToggle()
    {
        var folder = Directory.CreateTempSubdirectory("phoenyra-dotenv").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, ".env"), "# from the staging template\nUSE_WEB3_LOAN=1\nHARDHAT_RPC=http://127.0.0.1:8545\nTRADING_WINDOW_UTC=late\n");
        var (exitCode, message, stdout) = await RunDesk(new()
        {
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Phoenyra__DataDir"] = Path.Combine(folder, "data"),
            ["USE_ICE_LIVE"] = "1",
            ["ICE_API_URL"] = "https://ice.example/api",
            ["ICE_SYMBOL"] = "UKBASE-M",
            ["TRADING_WINDOW_UTC"] = "05:00-21:00", // the environment wins over .env
        }, folder);

        Assert.Equal(2, exitCode);
        Assert.Contains("ICE_API_KEY: is required while USE_ICE_LIVE=1. Fix: set ICE_API_KEY in .env, the environment or the secrets backend, or set USE_ICE_LIVE=0.", message);
        Assert.Contains("ICE_API_SECRET: is required while USE_ICE_LIVE=1", message);
        Assert.Contains("FLASH_LOAN_CONTRACT: is required while USE_WEB3_LOAN=1", message);
        Assert.Contains("LENDER_KEY: is required while USE_WEB3_LOAN=1", message);
        Assert.DoesNotContain("HARDHAT_RPC:", message);
        Assert.DoesNotContain("TRADING_WINDOW_UTC", message);
        Assert.DoesNotContain("   at ", message + stdout); // no stack trace
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task ATakenAddress_StopsTheRealBinary_WithOneLineNamingIt_AndNoStackTrace()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        var folder = Directory.CreateTempSubdirectory("phoenyra-port").FullName;
        var (exitCode, stderr, stdout) = await RunDesk(new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}", ["Phoenyra__DataDir"] = folder });

        var message = stderr + stdout;
        Assert.Equal(3, exitCode);
        Assert.Contains($"Phoenyra cannot start: http://127.0.0.1:{port} is already in use by another program.", message);
        Assert.Contains("ASPNETCORE_URLS", message);
        Assert.DoesNotContain("   at ", message);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task MetricsRequireKeyFalse_OpensTheScrapeEndpointOnly()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?> { ["Phoenyra:Auth:MetricsRequireKey"] = "false" });
        var anonymous = desk.ClientWithKey(null);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/admin/audit")).StatusCode);
    }

    [Fact]
    public async Task SeedEnvironmentKeys_ApiKeyIsATrader_AdminKeyIsAnAdmin()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?>
        {
            ["API_KEY"] = "seed-trader-key-0123456789abcdefgh",
            ["ADMIN_KEY"] = "seed-admin-key-0123456789abcdefghi",
        });

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await desk.ClientWithKey("seed-trader-key-0123456789abcdefgh").GetAsync("/admin/audit")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await desk.ClientWithKey("seed-trader-key-0123456789abcdefgh").GetAsync("/metrics")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await desk.ClientWithKey("seed-admin-key-0123456789abcdefghi").GetAsync("/admin/audit")).StatusCode);
    }

    [Fact]
    public async Task Healthz_IsReady_OnceTheStoreIsMigrated()
    {
        using var desk = new DeskFactory();
        var response = await desk.ClientWithKey(null).GetStringAsync("/healthz");

        Assert.Equal("""{"status":"ok"}""", response); // anonymous: the state only, no details
        Assert.True(File.Exists(Path.Combine(desk.DataDir, "phoenyra.db")));
    }
}
