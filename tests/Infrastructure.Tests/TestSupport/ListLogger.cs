using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AuthPlatform.Infrastructure.Tests.TestSupport;

/// <summary>Keeps what is logged, for tests that assert on warnings.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Warnings => _entries.Where(e => e.Level >= LogLevel.Warning).ToList();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue(new Entry(logLevel, formatter(state, exception), exception));

    public sealed record Entry(LogLevel Level, string Message, Exception? Exception);
}
