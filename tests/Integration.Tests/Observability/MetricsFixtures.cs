using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Observability;

/// <summary>
/// The metrics tests assert exact counts, and OpenTelemetry's meter providers are not isolated
/// per app: one listens to every meter of its names in the process, so another test's app
/// counting logins at the same time shows up in this app's scrape; and once another app stops,
/// the metrics it shared with this one (same meter and instrument names) are dropped from this
/// app's scrape. So these tests run alone, after the parallel ones, and an app whose metrics a
/// test reads is never outlived by one started after it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";

    /// <summary>Every scrape collects afresh (the exporter reuses an answer for 300 ms by default).</summary>
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Metrics:ScrapeCacheMilliseconds"] = "0",
    };
}

public sealed class SqliteMetricsFixture() : ApiFixture(DatabaseKind.Sqlite)
{
    protected override AuthApiFactory CreateFactory(TestDatabase database) => new(database, MetricsCollection.Settings);
}

public sealed class PostgresMetricsFixture() : ApiFixture(DatabaseKind.Postgres)
{
    protected override AuthApiFactory CreateFactory(TestDatabase database) => new(database, MetricsCollection.Settings);
}

/// <summary>What moved between two scrapes, series by series.</summary>
public static class CounterDeltas
{
    /// <summary>
    /// Every <c>authplatform_</c> series whose value changed, as <c>name{label=value,...}</c>
    /// (labels sorted, the exporter's <c>otel_scope_*</c> labels left out) → how much it moved.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Between(PrometheusScrape before, PrometheusScrape after)
    {
        var old = before.Samples.Where(Ours).ToDictionary(Key, s => s.Value, StringComparer.Ordinal);
        return after.Samples.Where(Ours)
            .Select(s => (Key: Key(s), Delta: s.Value - old.GetValueOrDefault(Key(s))))
            .Where(d => d.Delta != 0)
            .OrderBy(d => d.Key, StringComparer.Ordinal)
            .ToDictionary(d => d.Key, d => d.Delta, StringComparer.Ordinal);
    }

    public static string Series(string name, params (string Label, string Value)[] labels) =>
        name + "{" + string.Join(",", labels.OrderBy(l => l.Label, StringComparer.Ordinal).Select(l => $"{l.Label}={l.Value}")) + "}";

    private static bool Ours(PrometheusScrape.Sample sample) => sample.Name.StartsWith("authplatform_", StringComparison.Ordinal);

    private static string Key(PrometheusScrape.Sample sample) =>
        Series(sample.Name, sample.Labels.Where(l => !l.Key.StartsWith("otel_scope_", StringComparison.Ordinal)).Select(l => (l.Key, l.Value)).ToArray());
}
