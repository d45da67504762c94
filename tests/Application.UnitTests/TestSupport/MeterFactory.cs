using System.Diagnostics.Metrics;

namespace AuthPlatform.Application.UnitTests.TestSupport;

/// <summary>A meter factory for handlers that count (<c>AuthMetrics</c>); disposes its meters.</summary>
public sealed class MeterFactory : IMeterFactory
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
