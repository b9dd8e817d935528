using Phoenyra.Core.Health;
using Phoenyra.Strategies.FlashArb.Settings;

namespace Phoenyra.Strategies.FlashArb;

/// <summary>The flash-arb lines of <c>/healthz</c>: its venues (a quote from each leg), the chain, the secrets backend.</summary>
internal static class FlashArbReadiness
{
    /// <summary>Enabled with a live venue (the paper legs are the desk's own books).</summary>
    public static IReadinessCheck Venues(FlashArbDesk desk, FlashArbSettings settings) => new NamedCheck("venues", () => desk.Id is not null && (settings.UseIceLive || settings.UsePowerledgerLive), probes: true, async ct =>
    {
        if (desk.Problem is { } problem) return (false, problem);
        var quotes = new List<string>();
        foreach (var leg in desk.Legs)
        {
            var quote = await leg.Quote(ct);
            if (quote?.Bid is null && quote?.Ask is null) return (false, $"{leg.Name}: no quote");
            quotes.Add($"{leg.Name} {quote.Bid}/{quote.Ask}");
        }
        return (true, string.Join(", ", quotes));
    });

    public static IReadinessCheck Chain(FlashArbSettings settings, FlashArbDesk desk) => new NamedCheck("chain", () => settings.UseWeb3Loan, probes: true, async ct =>
    {
        if (desk.Lender is not { } lender) return (false, desk.Problem ?? "no flash-arb orchestrator");
        var max = await lender.MaxFlashLoan(ct);
        return (true, $"{settings["HARDHAT_RPC"]}: the lender can lend {max:#,0.00} GBP");
    });

    public static IReadinessCheck Feed(FlashArbSettings settings, Venues.LiveTickerFeed feed) => new NamedCheck("live feed", () => settings.UseLiveFeed, probes: false, _ =>
    {
        var status = feed.Status;
        return Task.FromResult(status.LastUpdate is { } at && status.LastProblem is null
            ? (true, $"{status.Url}: {status.LastPrice} at {at:HH:mm:ss} UTC")
            : (false, status.LastProblem ?? $"{status.Url ?? "no ticker"}: no price yet"));
    });

    public static IReadinessCheck Secrets(FlashArbSettings settings) => new NamedCheck("secrets backend", () => settings.SecretsBackend != SecretsBackend.None, probes: false, _ => Task.FromResult((true,
        $"{settings.SecretsBackend.ToString().ToLowerInvariant()} supplied {(settings.FromSecretsBackend.Count == 0 ? "nothing" : string.Join(", ", settings.FromSecretsBackend))} at start")));

    /// <summary><paramref name="enabled"/> is asked at each probe: the strategies are built after the endpoints are mapped.</summary>
    private sealed class NamedCheck(string name, Func<bool> enabled, bool probes, Func<CancellationToken, Task<(bool, string)>> run) : IReadinessCheck
    {
        public string Name => name;
        public bool Enabled => enabled();
        public bool Probes => probes;
        public Task<(bool Ok, string Detail)> Check(CancellationToken ct) => run(ct);
    }
}
