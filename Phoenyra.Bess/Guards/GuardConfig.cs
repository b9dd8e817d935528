using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Policy;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Phoenyra.Bess.Guards;

public enum StaleAction { None, Reduce, Halt }

/// <summary>
/// The <c>bess_guards</c> section of policy.yaml. Defaults are the physical mapping: a nearly
/// empty battery cannot deliver, so low SoC blocks SELL; a nearly full one cannot absorb, so high
/// SoC blocks BUY. (The seed document states it the other way round; see the README.)
/// </summary>
public sealed record GuardConfig(
    double SocLowPercent = 15,
    OrderSide SocLowBlocks = OrderSide.Sell,
    double SocHighPercent = 90,
    OrderSide SocHighBlocks = OrderSide.Buy,
    double SocHysteresisPercent = 2,
    double TemperatureHighC = 40,
    double TemperatureRateFactor = 0.5,
    double TemperatureHysteresisC = 2,
    int StaleAfterSeconds = 120,
    StaleAction StaleAction = StaleAction.Reduce)
{
    public static readonly GuardConfig Default = new();
}

/// <summary>Parses and checks the section; the trading module asks it before applying a policy file.</summary>
internal sealed class BessGuardSection : IPolicySection, IEventHandler<RiskPolicyChanged>
{
    private static readonly IDeserializer Loose = new DeserializerBuilder().Build();
    private static readonly ISerializer Writer = new SerializerBuilder().Build();
    private static readonly IDeserializer Strict = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();

    /// <summary>The section's top-level key in policy.yaml.</summary>
    public const string SectionName = "bess_guards";

    private volatile GuardConfig _current = GuardConfig.Default;

    public string Name => SectionName;

    public GuardConfig Current => _current;

    public event Action<GuardConfig>? Changed;

    PolicySectionResult IPolicySection.Parse(string yaml)
    {
        var (config, errors) = Parse(yaml);
        return new PolicySectionResult(config, errors);
    }

    public ValueTask Handle(RiskPolicyChanged @event, CancellationToken cancellationToken)
    {
        if (@event.Section<GuardConfig>(SectionName) is { } config && config != _current)
        {
            _current = config;
            Changed?.Invoke(config);
        }
        return ValueTask.CompletedTask;
    }

    internal static (GuardConfig Config, List<string> Errors) Parse(string yaml)
    {
        var errors = new List<string>();
        Document? document;
        try
        {
            var root = Loose.Deserialize<Dictionary<object, object?>?>(yaml);
            if (root is null || !root.TryGetValue(SectionName, out var section) || section is null) return (GuardConfig.Default, errors);
            document = Strict.Deserialize<Document>(Writer.Serialize(section));
        }
        catch (YamlException ex)
        {
            errors.Add($"{SectionName}: {ex.InnerException?.Message ?? ex.Message}");
            return (GuardConfig.Default, errors);
        }
        var d = GuardConfig.Default;
        OrderSide Side(string key, string? value, OrderSide fallback)
        {
            if (value is null) return fallback;
            if (Enum.TryParse<OrderSide>(value, true, out var side) && Enum.IsDefined(side)) return side;
            errors.Add($"{SectionName}.{key}: '{value}' is not buy or sell");
            return fallback;
        }
        var config = new GuardConfig(
            document.SocLowPercent ?? d.SocLowPercent, Side("soc_low_blocks", document.SocLowBlocks, d.SocLowBlocks),
            document.SocHighPercent ?? d.SocHighPercent, Side("soc_high_blocks", document.SocHighBlocks, d.SocHighBlocks),
            document.SocHysteresisPercent ?? d.SocHysteresisPercent,
            document.TemperatureHighC ?? d.TemperatureHighC, document.TemperatureRateFactor ?? d.TemperatureRateFactor,
            document.TemperatureHysteresisC ?? d.TemperatureHysteresisC,
            document.StaleAfterSeconds ?? d.StaleAfterSeconds, d.StaleAction);
        if (document.StaleAction is { } action)
        {
            if (Enum.TryParse<StaleAction>(action, true, out var parsed) && Enum.IsDefined(parsed)) config = config with { StaleAction = parsed };
            else errors.Add($"{SectionName}.stale_action: '{action}' is not none, reduce or halt");
        }
        var prefix = SectionName;
        if (config.SocLowPercent is < 0 or > 100) errors.Add($"{prefix}.soc_low_percent: {config.SocLowPercent} is outside 0..100");
        if (config.SocHighPercent is < 0 or > 100) errors.Add($"{prefix}.soc_high_percent: {config.SocHighPercent} is outside 0..100");
        if (config.SocLowPercent + config.SocHysteresisPercent >= config.SocHighPercent - config.SocHysteresisPercent)
            errors.Add($"{prefix}.soc_low_percent: the low guard ({config.SocLowPercent} % + hysteresis) must stay below the high guard ({config.SocHighPercent} % - hysteresis)");
        if (config.SocHysteresisPercent is < 0 or > 20) errors.Add($"{prefix}.soc_hysteresis_percent: {config.SocHysteresisPercent} is outside 0..20");
        if (config.TemperatureRateFactor is <= 0 or > 1) errors.Add($"{prefix}.temperature_rate_factor: {config.TemperatureRateFactor} is outside (0, 1]");
        if (config.TemperatureHysteresisC is < 0 or > 20) errors.Add($"{prefix}.temperature_hysteresis_c: {config.TemperatureHysteresisC} is outside 0..20");
        if (config.StaleAfterSeconds < 1) errors.Add($"{prefix}.stale_after_seconds: must be at least 1");
        return (config, errors);
    }

    private sealed class Document
    {
        public double? SocLowPercent { get; set; }
        public string? SocLowBlocks { get; set; }
        public double? SocHighPercent { get; set; }
        public string? SocHighBlocks { get; set; }
        public double? SocHysteresisPercent { get; set; }
        public double? TemperatureHighC { get; set; }
        public double? TemperatureRateFactor { get; set; }
        public double? TemperatureHysteresisC { get; set; }
        public int? StaleAfterSeconds { get; set; }
        public string? StaleAction { get; set; }
    }
}
