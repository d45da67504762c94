using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AuthPlatform.Integration.Tests.Observability;

/// <summary>SPEC section 8: a bad observability setting stops the start-up and names itself.</summary>
[Collection(MetricsCollection.Name)]
public sealed class ObservabilitySettingsTests(SqliteMetricsFixture fixture) : IClassFixture<SqliteMetricsFixture>
{
    [Theory]
    [InlineData("Metrics:Path", "metrics")]
    [InlineData("Metrics:ScrapeCacheMilliseconds", "-1")]
    [InlineData("Otel:Endpoint", "collector:4317")]
    [InlineData("Otel:Protocol", "udp")]
    public void Start_BadSetting_FailsNamingIt(string setting, string value)
    {
        using var app = fixture.Factory.WithWebHostBuilder(web => web.UseSetting(setting, value));

        var error = Record.Exception(() => app.Server);

        Assert.NotNull(error);
        Assert.Contains(setting, error.ToString(), StringComparison.Ordinal);
    }
}
