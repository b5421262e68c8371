using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Oriel.Gateway.Tests;

/// <summary>
/// Keeps the event id of every log entry a gateway writes, so a test can count how many lines a flood of requests
/// produced (nothing else of the entry is kept).
/// </summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<int> _eventIds = new();

    /// <summary>How many entries with event id <paramref name="id"/> were written.</summary>
    public int Count(int id) => _eventIds.Count(e => e == id);

    public ILogger CreateLogger(string categoryName) => new Recorder(_eventIds);

    public void Dispose()
    {
    }

    private sealed class Recorder(ConcurrentQueue<int> eventIds) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                eventIds.Enqueue(eventId.Id);
            }
        }
    }
}
