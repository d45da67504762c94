using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AuthPlatform.Integration.Tests.Observability;

/// <summary>Keeps each log line with the scopes it was written in, as a console logger with scopes on prints them.</summary>
public sealed class ScopeCapturingLogs : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<(string Message, Dictionary<string, string?> Scopes)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(ScopeCapturingLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new Dictionary<string, string?>(StringComparer.Ordinal);
            owner._scopes.ForEachScope(
                (scope, values) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (key, value) in pairs)
                        {
                            values[key] = value?.ToString();
                        }
                    }
                },
                scopes);
            owner.Lines.Enqueue((formatter(state, exception), scopes));
        }
    }
}
