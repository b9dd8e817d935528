using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Strategies.FlashArb.Settings;

namespace Phoenyra.Strategies.FlashArb.Api;

/// <summary>One check of the diagnostics: what, whether it passed, and what was seen.</summary>
public sealed record DiagnosticCheck(string Name, bool Ok, string Detail);

/// <summary>The desk's answer to the original's "run pytest" button: the settings as understood, and every configured endpoint tried.</summary>
public sealed record DiagnosticsReport(bool Ok, IReadOnlyList<DiagnosticCheck> Checks, IReadOnlyDictionary<string, object> Settings);

internal static class Diagnostics
{
    public static async Task<DiagnosticsReport> Run(FlashArbSettings settings, StrategyDesk desk, IBus bus)
    {
        var checks = new List<DiagnosticCheck>();
        var problems = settings.Validate().ToList();
        checks.Add(new("settings", problems.Count == 0, problems.Count == 0 ? "every enabled toggle has its variables" : string.Join("; ", problems.Select(p => p.Key + ": " + p.Problem))));
        if (desk.FlashArbId is { } id)
        {
            var status = desk.Status(id);
            checks.Add(new("orchestrator", status is not null, status is null ? desk.Problems.GetValueOrDefault(id) ?? "not built" : $"{id} is {Codes.Of(status.State)}"));
        }
        foreach (var instance in desk.All.Where(s => s.Kind == Runtime.StrategyKinds.FlashArb))
        {
            var market = await bus.Send(new GetMarketInfo(instance.Market));
            checks.Add(new($"venue {instance.Market}", market?.BestAsk is not null, market is null ? "not configured" : $"paper market: bid {market.BestBid}, ask {market.BestAsk} {market.Currency}"));
        }
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
}
