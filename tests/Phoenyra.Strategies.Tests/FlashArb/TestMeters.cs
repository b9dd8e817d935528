using System.Diagnostics.Metrics;

namespace Phoenyra.Strategies.Tests.FlashArb;

/// <summary>A meter factory for instruments of a strategy built outside a host.</summary>
internal sealed class TestMeters : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}
