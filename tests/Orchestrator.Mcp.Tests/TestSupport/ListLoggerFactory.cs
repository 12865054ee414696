using Microsoft.Extensions.Logging;

namespace Orchestrator.Mcp.Tests.TestSupport;

/// <summary>A logger factory that keeps every entry of every category, for tests that check what was logged.</summary>
internal sealed class ListLoggerFactory : ILoggerFactory
{
    public List<(string Category, LogLevel Level, string Message)> Entries { get; } = [];

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ListLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (factory.Entries)
            {
                factory.Entries.Add((category, logLevel, formatter(state, exception) + (exception is null ? "" : " " + exception.Message)));
            }
        }
    }
}
