using Phoenyra.Tests.Shared;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Phoenyra.Core.Settings;
using Phoenyra.Strategies.FlashArb;
using Phoenyra.Strategies.FlashArb.Settings;

namespace Phoenyra.Strategies.Tests.FlashArb;

/// <summary>The document's settings under every toggle combination, from the environment, a .env file, Vault and AWS.</summary>
public sealed class FlashArbSettingsTests
{
    private static readonly Dictionary<string, string> Complete = new()
    {
        ["USE_LIVE_FEED"] = "1", ["LIVE_EXCHANGE"] = "binance", ["LIVE_SYMBOL"] = "BTC/USDT", ["LIVE_API_KEY"] = "lk", ["LIVE_API_SECRET"] = "ls",
        ["USE_POWERLEDGER_LIVE"] = "yes", ["POWERLEDGER_API_URL"] = "https://uat.powerledger.io/trading", ["POWERLEDGER_API_TOKEN"] = "pt",
        ["POWERLEDGER_ORG"] = "org-1", ["POWERLEDGER_MARKET"] = "uk-grid-24h-ahead",
        ["USE_ICE_LIVE"] = "on", ["ICE_API_URL"] = "https://ice.example/api", ["ICE_API_KEY"] = "ik", ["ICE_API_SECRET"] = "is", ["ICE_SYMBOL"] = "UKBASE-M",
        ["USE_WEB3_LOAN"] = "TRUE", ["FLASH_LOAN_CONTRACT"] = "0xabc", ["FLASH_LOAN_RECEIVER"] = "0xdef", ["LENDER_KEY"] = "0x01", ["HARDHAT_RPC"] = "http://127.0.0.1:8545",
        ["POWER_SETTLEMENT_ADDRESS"] = "0x01", ["FUTURES_SETTLEMENT_ADDRESS"] = "0x02",
    };

    private static FlashArbSettings Read(IEnumerable<KeyValuePair<string, string>> values) =>
        FlashArbSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());

    private static List<string> Problems(IEnumerable<KeyValuePair<string, string>> values) => Read(values).Validate().Select(e => e.ToString()).ToList();

    [Fact]
    public void NothingSet_IsAValidPaperDesk_WithTheDocumentsDefaults()
    {
        var settings = Read([]);

        Assert.Empty(settings.Validate());
        Assert.False(settings.UseIceLive || settings.UseLiveFeed || settings.UsePowerledgerLive || settings.UseWeb3Loan);
        Assert.Equal((100_000m, 10_000m, 500m), (settings.LoanLimitGbp, settings.MaxNotionalPerTrade, settings.MaxDailyLossGbp));
        Assert.Equal("05:00-21:00", settings.TradingWindow.ToString());
        Assert.False(settings.AllowWeekendTrading);
    }

    [Theory]
    [InlineData("USE_LIVE_FEED", "LIVE_EXCHANGE,LIVE_SYMBOL,LIVE_API_KEY,LIVE_API_SECRET")]
    [InlineData("USE_POWERLEDGER_LIVE", "POWERLEDGER_API_URL,POWERLEDGER_API_TOKEN,POWERLEDGER_ORG,POWERLEDGER_MARKET")]
    [InlineData("USE_ICE_LIVE", "ICE_API_URL,ICE_API_KEY,ICE_API_SECRET,ICE_SYMBOL")]
    [InlineData("USE_WEB3_LOAN", "FLASH_LOAN_CONTRACT,FLASH_LOAN_RECEIVER,LENDER_KEY,HARDHAT_RPC,POWER_SETTLEMENT_ADDRESS,FUTURES_SETTLEMENT_ADDRESS")]
    public void AToggleWithoutItsCredentials_NamesEachMissingVariable_ItsToggle_AndTheWayOut(string toggle, string needs)
    {
        var problems = Problems([new(toggle, "1")]);

        Assert.Equal(needs.Split(','), problems.Select(p => p.Split(':')[0]));
        Assert.All(problems, p => Assert.Contains($"is required while {toggle}=1", p));
        Assert.All(problems, p => Assert.Contains($"or set {toggle}=0", p));
    }

    [Fact]
    public void APartialToggle_NamesOnlyWhatIsMissing_AndEveryToggleComplete_IsValid()
    {
        var partial = Problems([new("USE_ICE_LIVE", "1"), new("ICE_API_URL", "https://ice.example/api"), new("ICE_SYMBOL", "UKBASE-M")]);

        Assert.Equal(["ICE_API_KEY", "ICE_API_SECRET"], partial.Select(p => p.Split(':')[0]));
        Assert.Contains("or the secrets backend", partial[0]);
        Assert.Empty(Problems(Complete));
    }

    [Theory]
    [InlineData("USE_ICE_LIVE", "maybe", "USE_ICE_LIVE: 'maybe' is not a boolean")]
    [InlineData("ALLOW_WEEKEND_TRADING", "2", "ALLOW_WEEKEND_TRADING: '2' is not a boolean")]
    [InlineData("TRADING_WINDOW_UTC", "5-21", "TRADING_WINDOW_UTC: '5-21' is not a UTC window")]
    [InlineData("TRADING_WINDOW_UTC", "05:00-25:00", "TRADING_WINDOW_UTC: '05:00-25:00' is not a UTC window")]
    [InlineData("LOAN_LIMIT_GBP", "1e30", "LOAN_LIMIT_GBP: '1e30' is not a number")]
    [InlineData("MAX_NOTIONAL_PER_TRADE", "200000", "MAX_NOTIONAL_PER_TRADE: 200000 is above LOAN_LIMIT_GBP 100000")]
    [InlineData("HARDHAT_RPC", "localhost:8545", "HARDHAT_RPC: 'localhost:8545' is not an http(s) URL")]
    [InlineData("SECRETS_BACKEND", "gcp", "SECRETS_BACKEND: 'gcp' is not a secrets backend")]
    [InlineData("SECRETS_BACKEND", "vault", "VAULT_ADDR: is required while SECRETS_BACKEND=vault")]
    [InlineData("SECRETS_BACKEND", "aws", "AWS_SECRETS_ID: is required while SECRETS_BACKEND=aws")]
    public void AMalformedValue_IsNamedByItsVariable(string name, string value, string expected)
    {
        Assert.Contains(Problems([new(name, value)]), p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("22:00-06:00", "2026-12-01T23:30:00Z", true)]
    [InlineData("22:00-06:00", "2026-12-01T05:59:00Z", true)]
    [InlineData("22:00-06:00", "2026-12-01T06:00:00Z", false)]
    [InlineData("22:00-06:00", "2026-12-01T21:59:00Z", false)]
    [InlineData("05:00-21:00", "2026-12-01T04:59:59Z", false)]
    [InlineData("05:00-21:00", "2026-12-01T05:00:00Z", true)]
    [InlineData("05:00-21:00", "2026-12-01T21:00:00Z", false)]
    public void TheWindow_IsUtc_AndAnEndBeforeTheStartIsOvernight(string window, string at, bool open)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture));
        var settings = Read([new("TRADING_WINDOW_UTC", window), new("ALLOW_WEEKEND_TRADING", "1")]);

        Assert.Equal(open ? null : "outside_window", CycleGuards.Blocked(settings, clock.GetUtcNow(), 0));
    }

    [Fact]
    public void Guards_RunInTheDocumentsOrder_DisabledWeekendWindowLoss()
    {
        var saturdayNight = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 23, 0, 0, TimeSpan.Zero));
        var mondayNoon = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal("disabled", CycleGuards.Blocked(Read([new("TRADING_ENABLED", "0")]), saturdayNight.GetUtcNow(), -1_000));
        Assert.Equal("weekend", CycleGuards.Blocked(Read([]), saturdayNight.GetUtcNow(), -1_000));
        Assert.Equal("outside_window", CycleGuards.Blocked(Read([new("ALLOW_WEEKEND_TRADING", "1")]), saturdayNight.GetUtcNow(), -1_000));
        Assert.Equal("daily_loss", CycleGuards.Blocked(Read([]), mondayNoon.GetUtcNow(), -500));
        Assert.Null(CycleGuards.Blocked(Read([]), mondayNoon.GetUtcNow(), -499.99m));
        Assert.Null(CycleGuards.Blocked(Read([new("ALLOW_WEEKEND_TRADING", "yes"), new("TRADING_WINDOW_UTC", "22:00-06:00")]), saturdayNight.GetUtcNow(), 0));
    }

    [Fact]
    public void ADotEnvFile_FillsTheSettings_AndTheEnvironmentWins()
    {
        var lines = new[]
        {
            "# staging", "export USE_ICE_LIVE=1", "ICE_API_URL=\"https://ice.example/api\"", "ICE_API_KEY='k-from-file'",
            "ICE_API_SECRET=s # issued by ICE onboarding", "ICE_SYMBOL=UKBASE-M", "not a line", "TRADING_WINDOW_UTC=22:00-06:00",
        };
        var file = DotEnvFile.Read(lines).ToDictionary(v => v.Key, v => v.Value);
        file["ICE_SYMBOL"] = "FROM-ENVIRONMENT"; // what LoadIfPresent does: a variable already set stays

        var settings = Read(file);

        Assert.Empty(settings.Validate());
        Assert.True(settings.UseIceLive);
        Assert.Equal(("https://ice.example/api", "k-from-file", "s", "FROM-ENVIRONMENT"), (settings["ICE_API_URL"], settings["ICE_API_KEY"], settings["ICE_API_SECRET"], settings["ICE_SYMBOL"]));
        Assert.True(settings.TradingWindow.Overnight);
    }

    [Fact]
    public async Task Vault_SuppliesOnlyTheSecretVariables_OverKvV2()
    {
        await using var vault = await LocalServer.Start(async (context, _) =>
        {
            if (context.Request.Headers["X-Vault-Token"] != "vault-token-1" || context.Request.Path != "/v1/secret/data/flash-green")
            {
                context.Response.StatusCode = 403;
                await context.Response.WriteAsync("""{"errors":["permission denied"]}""");
                return;
            }
            await context.Response.WriteAsync("""{"data":{"data":{"ICE_API_KEY":"ik-vault","ICE_API_SECRET":"is-vault","ICE_API_URL":"https://evil.example"},"metadata":{"version":3}}}""");
        });
        var values = new Dictionary<string, string>
        {
            ["USE_ICE_LIVE"] = "1", ["ICE_API_URL"] = "https://ice.example/api", ["ICE_SYMBOL"] = "UKBASE-M",
            ["SECRETS_BACKEND"] = "vault", ["VAULT_ADDR"] = vault.Address.ToString(), ["VAULT_TOKEN"] = "vault-token-1", ["VAULT_SECRET_PATH"] = "secret/flash-green",
        };

        var settings = Hydrated(values);

        Assert.Empty(settings.Validate());
        Assert.Equal(("ik-vault", "is-vault", "https://ice.example/api"), (settings["ICE_API_KEY"], settings["ICE_API_SECRET"], settings["ICE_API_URL"]));
        Assert.Equal(["ICE_API_KEY", "ICE_API_SECRET"], settings.FromSecretsBackend);
    }

    [Fact]
    public async Task AVaultThatRefuses_StopsTheDesk_WithItsReason_AndNeverTheToken()
    {
        await using var vault = await LocalServer.Start(async (context, _) =>
        {
            context.Response.StatusCode = 403;
            await context.Response.WriteAsync("""{"errors":["permission denied"]}""");
        });
        var settings = Hydrated(new() { ["SECRETS_BACKEND"] = "vault", ["VAULT_ADDR"] = vault.Address.ToString(), ["VAULT_TOKEN"] = "s.super-secret", ["VAULT_SECRET_PATH"] = "secret/flash-green" });

        var problem = Assert.Single(settings.Validate()).ToString();

        Assert.StartsWith("SECRETS_BACKEND: Vault answered 403 for secret/data/flash-green: permission denied", problem);
        Assert.DoesNotContain("super-secret", problem);
    }

    [Fact]
    public async Task Aws_SuppliesTheSecretString_ToASigV4SignedGetSecretValue()
    {
        await using var aws = await LocalServer.Start(async (context, body) =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            var signed = authorization.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/", StringComparison.Ordinal) && authorization.Contains("/eu-west-2/secretsmanager/aws4_request")
                && context.Request.Headers["X-Amz-Target"] == "secretsmanager.GetSecretValue" && body.Contains("\"SecretId\":\"flash-green\"");
            if (!signed)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("""{"__type":"com.amazonaws#IncompleteSignatureException","message":"bad request"}""");
                return;
            }
            var secret = System.Text.Json.JsonSerializer.Serialize("""{"LIVE_API_KEY":"lk-aws","LIVE_API_SECRET":"ls-aws","API_KEY":"api-aws"}""");
            await context.Response.WriteAsync($$"""{"ARN":"arn:aws:secretsmanager:eu-west-2:1:secret:flash-green","Name":"flash-green","SecretString":{{secret}}}""");
        });
        var values = new Dictionary<string, string>
        {
            ["USE_LIVE_FEED"] = "1", ["LIVE_EXCHANGE"] = "binance", ["LIVE_SYMBOL"] = "BTC/USDT",
            ["SECRETS_BACKEND"] = "aws", ["AWS_SECRETS_REGION"] = "eu-west-2", ["AWS_SECRETS_ID"] = "flash-green",
            ["AWS_ACCESS_KEY_ID"] = "AKIDTEST", ["AWS_SECRET_ACCESS_KEY"] = "secret-key", ["AWS_ENDPOINT_URL"] = aws.Address.ToString(),
        };

        var settings = Hydrated(values);

        Assert.Empty(settings.Validate());
        Assert.Equal(("lk-aws", "ls-aws", "api-aws"), (settings["LIVE_API_KEY"], settings["LIVE_API_SECRET"], settings["API_KEY"]));
    }

    [Fact]
    public async Task AnAwsSecretThatIsNotThere_IsNamedWithAwssOwnReason()
    {
        await using var aws = await LocalServer.Start(async (context, _) =>
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("""{"__type":"com.amazonaws.secretsmanager#ResourceNotFoundException","message":"Secrets Manager can't find the specified secret."}""");
        });
        var settings = Hydrated(new()
        {
            ["SECRETS_BACKEND"] = "aws", ["AWS_SECRETS_REGION"] = "eu-west-2", ["AWS_SECRETS_ID"] = "nope",
            ["AWS_ACCESS_KEY_ID"] = "AKIDTEST", ["AWS_SECRET_ACCESS_KEY"] = "secret-key", ["AWS_ENDPOINT_URL"] = aws.Address.ToString(),
        });

        Assert.StartsWith("SECRETS_BACKEND: AWS Secrets Manager answered 400 for nope: ResourceNotFoundException Secrets Manager can't find", Assert.Single(settings.Validate()).ToString());
    }

    [Fact]
    public void SigV4_MatchesAwssPublishedExample()
    {
        // AWS's own worked example (IAM ListUsers, 2015-08-30): the signature is published.
        var authorization = AwsSigV4.Authorization(new AwsSigV4.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), "us-east-1", "iam",
            new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero), "GET", "/", "Action=ListUsers&Version=2010-05-08",
            new Dictionary<string, string>
            {
                ["Host"] = "iam.amazonaws.com",
                ["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8",
                ["X-Amz-Date"] = "20150830T123600Z",
            }, []);

        Assert.Equal("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, "
            + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", authorization);
    }

    private static FlashArbSettings Hydrated(Dictionary<string, string> values)
    {
        var root = new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
        var settings = FlashArbSettings.Read(root);
        FlashArbSettingsSetup.Hydrate(settings, root, TimeProvider.System);
        return settings;
    }
}
