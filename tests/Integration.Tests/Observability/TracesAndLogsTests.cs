using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace AuthPlatform.Integration.Tests.Observability;

/// <summary>
/// Traces of the request and of the use case when OTLP is configured (exported here to memory
/// instead of a collector), and log lines that carry the request's trace id.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class TracesAndLogsTests(SqliteMetricsFixture fixture) : ApiTestBase<SqliteMetricsFixture>(fixture)
{
    private const string SecretPassword = "trace-me-not secret passphrase";

    [Fact]
    public async Task Login_WithOtlpConfigured_TracesTheRequestAndTheUseCaseButNoSecret()
    {
        var exported = new List<Activity>();
        await using var app = Factory.WithWebHostBuilder(web => web
            .UseSetting("Otel:Endpoint", "http://127.0.0.1:4317") // nothing listens there: the in-memory copy is what is read
            .ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(traces => traces.AddInMemoryExporter(exported))));
        using var client = app.CreateClient();
        var email = NewEmail();
        await RegisterAsync(email);

        var traceId = await FailedLoginTraceIdAsync(client, email);

        var spans = await SpansOfAsync(exported, traceId, count: 2);
        var request = Assert.Single(spans, s => s.Kind == ActivityKind.Server);
        var useCase = Assert.Single(spans, s => s.Source.Name == "AuthPlatform.Application");
        Assert.Equal("LoginCommand", useCase.DisplayName);
        Assert.Equal(request.SpanId, useCase.ParentSpanId);
        Assert.Equal("LoginCommand", useCase.GetTagItem("authplatform.use_case"));
        Assert.Equal("command", useCase.GetTagItem("authplatform.use_case.kind"));
        Assert.Equal("invalid_credentials", useCase.GetTagItem("authplatform.outcome"));
        var recorded = string.Join('\n', spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(s.DisplayName)));
        Assert.DoesNotContain(SecretPassword, recorded, StringComparison.Ordinal);
        Assert.DoesNotContain(email, recorded, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Login_Failed_LogLineCarriesTheRequestTraceId()
    {
        var logs = new ScopeCapturingLogs();
        await using var app = Factory.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(logs)));
        using var client = app.CreateClient();

        var traceId = await FailedLoginTraceIdAsync(client, NewEmail());

        var line = Assert.Single(logs.Lines, l => l.Message.StartsWith("LoginCommand failed with invalid_credentials", StringComparison.Ordinal));
        Assert.Equal(traceId, line.Scopes.GetValueOrDefault("TraceId"));
        Assert.False(string.IsNullOrEmpty(line.Scopes.GetValueOrDefault("SpanId")));
        Assert.Contains("=> TraceId:" + traceId, ConsoleLine(app.Services, "TraceId:" + traceId), StringComparison.Ordinal);
    }

    /// <summary>A line as the app's console logger writes it, inside a scope <paramref name="scope"/>.</summary>
    private static string ConsoleLine(IServiceProvider services, string scope)
    {
        // The console provider applies its options to the formatters (the same singletons) when it is built.
        _ = services.GetServices<ILoggerProvider>().OfType<ConsoleLoggerProvider>().Single();
        var name = services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName ?? ConsoleFormatterNames.Simple;
        var formatter = services.GetServices<ConsoleFormatter>().Single(f => f.Name == name);
        var scopes = new LoggerExternalScopeProvider();
        using var pushed = scopes.Push(scope);
        using var text = new StringWriter();
        formatter.Write(new LogEntry<string>(LogLevel.Information, "Test", default, "a line", null, (s, _) => s), scopes, text);
        return text.ToString();
    }

    /// <summary>A refused login; the trace id of its request, from the problem's <c>trace_id</c> (<c>00-trace-span-01</c>).</summary>
    private static async Task<string> FailedLoginTraceIdAsync(HttpClient client, string email)
    {
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = SecretPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var traceParent = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["trace_id"] ?? "";
        var parts = traceParent.Split('-');
        Assert.True(parts.Length == 4 && parts[1].Length == 32, $"Not a W3C trace parent: {traceParent}");
        return parts[1];
    }

    /// <summary>The spans of one trace once <paramref name="count"/> have ended (the request's ends after its answer is sent).</summary>
    private static async Task<List<Activity>> SpansOfAsync(List<Activity> exported, string traceId, int count)
    {
        for (var waited = 0; ; waited += 50)
        {
            List<Activity> spans;
            lock (exported)
            {
                spans = exported.Where(a => a.TraceId.ToHexString() == traceId).ToList();
            }

            if (spans.Count >= count || waited > 5000)
            {
                return spans;
            }

            await Task.Delay(50);
        }
    }
}
