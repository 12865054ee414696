using Microsoft.Extensions.Logging;
using Orchestrator.Mcp.Tests.TestSupport;

namespace Orchestrator.Mcp.Tests;

public class McpPluginExecutorLoggingTests
{
    [Fact]
    public async Task ExecuteAsync_ServerErrorTextCouldQuoteArguments_IsNotLoggedButStaysInTheResult()
    {
        await using var fixture = await McpFixture.StartAsync();
        var logger = new ListLogger();
        var sut = new McpPluginExecutor(fixture.Catalog, logger);

        var result = await sut.ExecuteAsync(McpFixture.Request("flaky"));

        Assert.Contains("Busy, try again", result.Error, StringComparison.Ordinal);
        var entry = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("McpProtocolException", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logger.Entries, e => e.Message.Contains("Busy", StringComparison.Ordinal) || e.Exception is not null);
    }

    private sealed class ListLogger : ILogger<McpPluginExecutor>
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, formatter(state, exception), exception));
            }
        }
    }
}
