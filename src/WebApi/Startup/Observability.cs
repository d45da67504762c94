using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Diagnostics;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AuthPlatform.WebApi.Startup;

/// <summary>Configuration section <c>Metrics</c>: the Prometheus scrape endpoint.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    public bool Enabled { get; set; } = true;

    public string Path { get; set; } = "/metrics";

    /// <summary>When set (<c>*:9464</c>, <c>metrics.internal</c>), the endpoint answers only requests for that host and port.</summary>
    public string? RequireHost { get; set; }

    /// <summary>How long one scrape's answer is reused (the exporter's default: 300 ms); 0 collects on every scrape.</summary>
    public int ScrapeCacheMilliseconds { get; set; } = 300;
}

/// <summary>Configuration section <c>Otel</c>: OTLP export of traces and metrics.</summary>
public sealed class OtelOptions
{
    public const string SectionName = "Otel";

    /// <summary>The collector (<c>http://collector:4317</c>); empty: no OTLP unless <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>.</summary>
    public string Protocol { get; set; } = "grpc";
}

/// <summary>
/// OpenTelemetry for the host: the security counters (<see cref="AuthMetrics"/>) and ASP.NET
/// Core's request metrics at a Prometheus scrape endpoint, traces of every request and every use
/// case (<see cref="TracingBehaviour{TMessage,TResponse}"/>) and the metrics by OTLP when a
/// collector is configured, and log lines that carry the trace and span ids. Nothing listens to
/// the use-case activities unless OTLP is on, so the hot path creates none of them then.
/// </summary>
public static class Observability
{
    public const string DefaultServiceName = "authplatform";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var metrics = configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() ?? new MetricsOptions();
        var otel = configuration.GetSection(OtelOptions.SectionName).Get<OtelOptions>() ?? new OtelOptions();
        builder.Services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.SectionName))
            .Validate(o => o.Path.StartsWith('/') && !o.Path.Contains('{'), "Metrics:Path must be a fixed path that starts with '/', such as /metrics.")
            .Validate(o => o.ScrapeCacheMilliseconds >= 0, "Metrics:ScrapeCacheMilliseconds must be 0 or more.")
            .ValidateOnStart();
        builder.Services.AddOptions<OtelOptions>().Bind(configuration.GetSection(OtelOptions.SectionName))
            .Validate(o => string.IsNullOrEmpty(o.Endpoint) || Uri.TryCreate(o.Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                "Otel:Endpoint must be an absolute http:// or https:// URL, such as http://collector:4317.")
            .Validate(o => o.Protocol is "grpc" or "http/protobuf", "Otel:Protocol must be grpc or http/protobuf.")
            .ValidateOnStart();

        // Every log line written during a request carries its trace and span ids as a scope.
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        // A formatter named explicitly: with none, the console logger resets the simple formatter's
        // options from its own obsolete ones (IncludeScopes false). Logging:Console:FormatterName wins.
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.FormatterName ??= ConsoleFormatterNames.Simple);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(console => console.IncludeScopes = true);
        builder.Services.Configure<JsonConsoleFormatterOptions>(console => console.IncludeScopes = true);

        var otlp = !string.IsNullOrWhiteSpace(otel.Endpoint) || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (!metrics.Enabled && !otlp)
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? DefaultServiceName))
            .WithMetrics(meters =>
            {
                // Of ASP.NET Core's meters, only the request duration and active requests (Hosting) and
                // Kestrel's connections: the others would add a measurement per request on the hot path.
                meters.AddMeter(AuthMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel");
                if (metrics.Enabled)
                {
                    meters.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = Math.Max(0, metrics.ScrapeCacheMilliseconds));
                }

                if (otlp)
                {
                    meters.AddOtlpExporter(exporter => Point(exporter, otel, "v1/metrics"));
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(traces => traces
                .AddSource(ApplicationActivities.SourceName)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(exporter => Point(exporter, otel, "v1/traces")));
        }

        return builder;
    }

    /// <summary>
    /// Checks the <c>Metrics</c> and <c>Otel</c> settings (a bad one stops the start-up before the
    /// database is touched) and maps the Prometheus scrape endpoint unless <c>Metrics:Enabled</c> is false.
    /// </summary>
    public static WebApplication UseObservability(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<IOptions<OtelOptions>>().Value;
        var metrics = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (metrics.Enabled)
        {
            var endpoint = app.MapPrometheusScrapingEndpoint(metrics.Path);
            if (!string.IsNullOrWhiteSpace(metrics.RequireHost))
            {
                endpoint.RequireHost(metrics.RequireHost);
            }
        }

        return app;
    }

    /// <summary>
    /// <c>Otel:Endpoint</c>, when set, wins over the standard variables (which the exporter reads
    /// by itself). Over http/protobuf it is the collector's base address: the signal's path is added.
    /// </summary>
    private static void Point(OtlpExporterOptions exporter, OtelOptions otel, string signalPath)
    {
        if (string.IsNullOrWhiteSpace(otel.Endpoint) || !Uri.TryCreate(otel.Endpoint, UriKind.Absolute, out var endpoint))
        {
            return;
        }

        exporter.Protocol = otel.Protocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        exporter.Endpoint = exporter.Protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + "/" + signalPath)
            : endpoint;
    }
}
