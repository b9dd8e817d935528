using Phoenyra.Core.Messaging;

namespace Phoenyra.Core.Contracts;

/// <summary>A battery site reported its state (validated and stored): SoC in %, active power in MW (+ discharge), temperature in °C.</summary>
public sealed record TelemetryReceived(string Site, double SocPercent, double ActivePowerMw, double TemperatureC, DateTimeOffset Time, string Source) : IEvent;

/// <summary>
/// One delivery period of a market in the battery's feasibility envelope: the most it can still
/// buy (charge) and sell (discharge) there, MW, keeping its SoC path inside the window given every
/// committed position; with the energy per MW and the energy available, for the refusal's words.
/// </summary>
public sealed record EnvelopePeriod(DateTimeOffset Start, DateTimeOffset End, decimal MaxBuyMw, decimal MaxSellMw,
    double SellMwhPerMw, double BuyMwhPerMw, double AvailableDischargeMwh, double AvailableChargeMwh);

/// <summary>
/// The battery's feasibility envelope for one market, recomputed on telemetry and fills: the risk
/// engine refuses an order of an account in <paramref name="Accounts"/> ("*": every account that is
/// not one of the desk's own, such as the market maker or a strategy) beyond the period's limit
/// with <c>infeasible_soc</c>.
/// </summary>
public sealed record SocEnvelopeChanged(string Market, IReadOnlyList<string> Accounts, double FloorPercent, double CeilingPercent,
    IReadOnlyList<EnvelopePeriod> Periods, DateTimeOffset Time) : IEvent
{
    // Both run on every order's risk check: plain loops, no delegates or enumerators.
    public bool Applies(string account, Func<string, bool> isDesksOwn)
    {
        var anyone = false;
        for (var i = 0; i < Accounts.Count; i++)
        {
            if (string.Equals(Accounts[i], account, StringComparison.Ordinal)) return true;
            anyone |= Accounts[i] == "*";
        }
        return anyone && !isDesksOwn(account);
    }

    /// <summary>The period an order placed at <paramref name="now"/> delivers in: the market's next product period.</summary>
    public EnvelopePeriod? DeliveryPeriod(DateTimeOffset now)
    {
        for (var i = 0; i < Periods.Count; i++)
            if (Periods[i].Start > now) return Periods[i];
        return null;
    }
}
