using System.Diagnostics.Metrics;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Metrics;
using Phoenyra.Strategies.FlashArb.Cycle;

namespace Phoenyra.Strategies.FlashArb;

/// <summary>
/// The original's metric names (so its dashboards and alerts work): blocked cycles by reason,
/// profit and loss in GBP, the last net spread, partial failures, the loan's attempts, commits and
/// failures, and cycles by outcome.
/// </summary>
internal sealed class FlashArbMetrics : IMetricSet
{
    private readonly Counter<long> _blocked;
    private readonly Counter<double> _profitPositive, _profitNegative, _dailyLoss;
    private readonly Counter<long> _cycles;
    private double _lastSpread;

    public FlashArbMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("Phoenyra.Strategies.FlashArb");
        _blocked = meter.CreateCounter<long>("trades_blocked_by_limit_total", description: "Flash-arb cycles blocked, by reason (disabled, weekend, outside_window, daily_loss, settlement_failed).");
        _profitPositive = meter.CreateCounter<double>("gbp_profit_positive_total", description: "Sum of profitable cycles' profit, GBP.");
        _profitNegative = meter.CreateCounter<double>("gbp_profit_negative_total", description: "Sum of losing cycles' loss, GBP (positive numbers).");
        _dailyLoss = meter.CreateCounter<double>("gbp_daily_loss_total", description: "Losses counted against MAX_DAILY_LOSS_GBP, GBP; increase(...[1d]) is the day's.");
        meter.CreateObservableGauge("last_spread", () => _lastSpread, description: "The last cycle's net spread per MWh after venue fees and the loan fee, GBP.");
        PartialFailures = meter.CreateCounter<long>("trade_partial_failures_total", description: "Cycles whose futures leg failed or filled short (the power leg was unwound).");
        LoanAttempts = meter.CreateCounter<long>("flash_repo_attempts_total", description: "Settlement loans asked for.");
        LoanCommits = meter.CreateCounter<long>("flash_repo_commits_total", description: "Settlement loans repaid and committed.");
        LoanFailures = meter.CreateCounter<long>("flash_repo_failures_total", description: "Settlement loans reverted (both legs unwound).");
        _cycles = meter.CreateCounter<long>("cycles_total", description: "Flash-arb cycles by outcome.");
        CycleErrors = meter.CreateCounter<long>("pho_flash_arb_cycle_errors_total", description: "Flash-arb cycles that threw (the loop backed off and tried again).");
        VenueFaults = meter.CreateCounter<long>("pho_venue_faults_total", description: "Live venue and feed calls that failed or answered a number out of range, by venue.");
    }

    public Counter<long> PartialFailures { get; }
    public Counter<long> LoanAttempts { get; }
    public Counter<long> LoanCommits { get; }
    public Counter<long> LoanFailures { get; }
    public Counter<long> CycleErrors { get; }
    public Counter<long> VenueFaults { get; }

    public decimal LastSpread { set => _lastSpread = (double)value; }

    /// <summary>The reasons a cycle can be blocked for: the guards' and a failed settlement.</summary>
    private static readonly string[] BlockReasons = [.. CycleGuards.Reasons, "settlement_failed"];

    /// <summary>The seed alerts on <c>trades_blocked</c> spikes and <c>profit_negative</c> growth: those series exist from the start.</summary>
    void IMetricSet.StartAtZero()
    {
        foreach (var reason in BlockReasons) _blocked.Add(0, new KeyValuePair<string, object?>("reason", reason));
        _profitPositive.Add(0);
        _profitNegative.Add(0);
        _dailyLoss.Add(0);
        PartialFailures.Add(0);
        LoanFailures.Add(0);
    }

    public void Blocked(string reason) => _blocked.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Cycle(CycleResult result)
    {
        _cycles.Add(1, new KeyValuePair<string, object?>("outcome", Codes.Of(result.Outcome)));
        if (result.ProfitGbp > 0) _profitPositive.Add((double)result.ProfitGbp);
        if (result.ProfitGbp < 0)
        {
            _profitNegative.Add((double)-result.ProfitGbp);
            _dailyLoss.Add((double)-result.ProfitGbp);
        }
    }
}
