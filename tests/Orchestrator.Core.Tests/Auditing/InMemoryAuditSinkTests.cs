using Orchestrator.Core.Auditing;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Tests.Auditing;

/// <summary>The in-memory sink's ring: what it keeps, in what order, once it is full.</summary>
public class InMemoryAuditSinkTests
{
    [Fact]
    public async Task Events_FewerThanCapacity_AreKeptInTheOrderWritten()
    {
        var sink = new InMemoryAuditSink(100);

        await sink.WriteAsync(Events(1, 20));
        await sink.WriteAsync(Events(21, 3));

        Assert.Equal(Enumerable.Range(1, 23).Select(i => (long)i), sink.Events.Select(e => e.Sequence));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(7, 3)]
    [InlineData(7, 7)]
    [InlineData(16, 40)]
    [InlineData(100, 1)]
    public async Task Events_MoreThanCapacity_KeepTheNewestInOrder(int capacity, int batch)
    {
        var sink = new InMemoryAuditSink(capacity);
        var written = 0;
        for (var round = 0; round < 9; round++)
        {
            await sink.WriteAsync(Events(written + 1, batch));
            written += batch;

            var kept = Math.Min(capacity, written);
            Assert.Equal(Enumerable.Range(written - kept + 1, kept).Select(i => (long)i), sink.Events.Select(e => e.Sequence));
        }
    }

    [Fact]
    public async Task EventsOf_ReturnsOneRunsEventsBySequence()
    {
        var sink = new InMemoryAuditSink(10);
        await sink.WriteAsync([Event(2, "a"), Event(1, "b"), Event(1, "a"), Event(2, "b")]);

        Assert.Equal([1L, 2L], sink.EventsOf("a").Select(e => e.Sequence));
        Assert.All(sink.EventsOf("a"), e => Assert.Equal("a", e.ExecutionId));
    }

    [Fact]
    public async Task Events_IsASnapshot_LaterWritesDoNotChangeIt()
    {
        var sink = new InMemoryAuditSink(4);
        await sink.WriteAsync(Events(1, 4));
        var snapshot = sink.Events;

        await sink.WriteAsync(Events(5, 4));

        Assert.Equal([1L, 2L, 3L, 4L], snapshot.Select(e => e.Sequence));
    }

    [Fact]
    public async Task WriteAsync_FromManyThreads_KeepsEveryEventOnce()
    {
        var sink = new InMemoryAuditSink(10_000);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await sink.WriteAsync(Events((t * 1000) + (i * 10) + 1, 10));
            }
        })));

        Assert.Equal(8_000, sink.Events.Select(e => e.Sequence).Distinct().Count());
    }

    private static AuditEvent[] Events(int first, int count) => [.. Enumerable.Range(first, count).Select(i => Event(i, "run"))];

    private static AuditEvent Event(long sequence, string executionId) => new()
    {
        Kind = AuditEventKind.StepExecuted,
        Severity = AuditSeverity.Info,
        Timestamp = DateTimeOffset.UnixEpoch,
        ExecutionId = executionId,
        Message = "m",
        Sequence = sequence,
    };
}
