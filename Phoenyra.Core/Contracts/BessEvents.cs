using Phoenyra.Core.Messaging;

namespace Phoenyra.Core.Contracts;

/// <summary>A battery site reported its state (validated and stored): SoC in %, active power in MW (+ discharge), temperature in °C.</summary>
public sealed record TelemetryReceived(string Site, double SocPercent, double ActivePowerMw, double TemperatureC, DateTimeOffset Time, string Source) : IEvent;
