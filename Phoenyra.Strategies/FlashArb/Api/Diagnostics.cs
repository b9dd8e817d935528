using Phoenyra.Core.Contracts;
using Phoenyra.Strategies.FlashArb.Settings;
using Phoenyra.Strategies.FlashArb.Venues;

namespace Phoenyra.Strategies.FlashArb.Api;

/// <summary>One check of the diagnostics: what, whether it passed, and what was seen.</summary>
public sealed record DiagnosticCheck(string Name, bool Ok, string Detail);

/// <summary>The desk's answer to the original's "run pytest" button: the settings as understood, and every configured endpoint tried.</summary>
public sealed record DiagnosticsReport(bool Ok, IReadOnlyList<DiagnosticCheck> Checks, IReadOnlyDictionary<string, object> Settings);

internal static class Diagnostics
{
    public static async Task<DiagnosticsReport> Run(FlashArbSettings settings, FlashArbDesk desk, LiveFeedStatus feed, CancellationToken ct = default)
    {
        var checks = new List<DiagnosticCheck>();
        var problems = settings.Validate().ToList();
        checks.Add(new("settings", problems.Count == 0, problems.Count == 0 ? "every enabled toggle has its variables" : string.Join("; ", problems.Select(p => p.Key + ": " + p.Problem))));
        if (desk.Id is { } id)
            checks.Add(new("orchestrator", desk.Status is not null, desk.Status is { } status ? $"{id} is {Codes.Of(status.State)}" : desk.Problem ?? "not built"));
        foreach (var leg in desk.Legs)
        {
            var quote = await Try(() => leg.Quote(ct));
            checks.Add(new($"venue {leg.Name}", quote.Value?.Bid is not null || quote.Value?.Ask is not null,
                quote.Problem ?? (quote.Value is { } q ? $"bid {q.Bid}, ask {q.Ask}" : "no quote")));
        }
        if (desk.Lender is { } lender)
        {
            var max = await Try(() => lender.MaxFlashLoan(ct));
            checks.Add(new(settings.UseWeb3Loan ? $"lender on chain {settings["HARDHAT_RPC"]}" : "lender (in-process)", max.Problem is null,
                max.Problem ?? $"maxFlashLoan {max.Value:#,0.00} GBP"));
        }
        if (feed.Enabled)
            checks.Add(new($"live feed {feed.Url}", feed.LastUpdate is not null && feed.LastProblem is null, feed.LastProblem ?? $"{feed.LastPrice} at {feed.LastUpdate:HH:mm:ss} UTC"));
        checks.Add(new("secrets backend", true, settings.SecretsBackend == SecretsBackend.None ? "none (environment and .env)"
            : $"{settings.SecretsBackend.ToString().ToLowerInvariant()}: supplied {(settings.FromSecretsBackend.Count == 0 ? "nothing" : string.Join(", ", settings.FromSecretsBackend))}"));
        var report = new Dictionary<string, object>
        {
            ["toggles"] = FlashArbSettings.Toggles.ToDictionary(t => t.Toggle, t => (object)new
            {
                enabled = t.Toggle switch { "USE_LIVE_FEED" => settings.UseLiveFeed, "USE_POWERLEDGER_LIVE" => settings.UsePowerledgerLive, "USE_ICE_LIVE" => settings.UseIceLive, _ => settings.UseWeb3Loan },
                set = t.Needs.Where(n => settings[n] is not null).ToList(),
                missing = t.Needs.Where(n => settings[n] is null).ToList(),
            }),
            ["limits"] = new { loan_limit_gbp = settings.LoanLimitGbp, max_notional_per_trade = settings.MaxNotionalPerTrade, max_daily_loss_gbp = settings.MaxDailyLossGbp, spread_min = settings.SpreadMin },
            ["window"] = new { trading_enabled = settings.TradingEnabled, trading_window_utc = settings.TradingWindow.ToString(), allow_weekend_trading = settings.AllowWeekendTrading },
        };
        return new DiagnosticsReport(checks.All(c => c.Ok), checks, report);
    }

    private static async Task<(T? Value, string? Problem)> Try<T>(Func<Task<T>> call)
    {
        try
        {
            return (await call(), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (default, $"{ex.GetType().Name}: {ex.Message}");
        }
    }
}
