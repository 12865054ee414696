using System.Text.Json;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Tests.Ports;

public class AuditEventTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private static AuditEvent Deferred(string message, string details, long sequence = 7) =>
        new(AuditEventKind.StepExecuted, AuditSeverity.Info, At, "run-1", new Content(message, details)) { StepId = "a", Sequence = sequence };

    private static AuditEvent Plain(string message, string details, long sequence = 7) => new()
    {
        Kind = AuditEventKind.StepExecuted,
        Severity = AuditSeverity.Info,
        Timestamp = At,
        ExecutionId = "run-1",
        StepId = "a",
        Sequence = sequence,
        Message = message,
        Details = JsonDocument.Parse(details).RootElement,
    };

    [Fact]
    public void Equals_TwoUnreadEventsWithTheSameContent_AreEqualWithTheSameHash()
    {
        // Record equality compared the private fields deferred content waits in: two such events were never equal.
        var first = Deferred("Step 'a' ran.", """{ "status": "succeeded", "attempts": 1 }""");
        var second = Deferred("Step 'a' ran.", """{"attempts":1,"status":"succeeded"}""");

        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.Equal(first, second);
        Assert.True(first == second);
    }

    [Fact]
    public void Equals_AnEventReadOnceAndOneNotYetRead_AreEqual()
    {
        var read = Deferred("Step 'a' ran.", """{ "status": "succeeded" }""");
        _ = read.Message;
        var unread = Deferred("Step 'a' ran.", """{ "status": "succeeded" }""");

        Assert.Equal(read, unread);
        Assert.Equal(unread, read);
    }

    [Fact]
    public void Equals_DeferredAndPlainEventsWithTheSameContent_AreEqual()
    {
        var deferred = Deferred("Step 'a' ran.", """{ "status": "succeeded", "tags": [1, 2] }""");
        var plain = Plain("Step 'a' ran.", """{ "tags": [1, 2], "status": "succeeded" }""");

        Assert.Equal(plain, deferred);
        Assert.Equal(plain.GetHashCode(), deferred.GetHashCode());
        Assert.Equal(deferred, deferred with { });
    }

    [Theory]
    [InlineData("Step 'b' ran.", """{ "status": "succeeded" }""", 7)]
    [InlineData("Step 'a' ran.", """{ "status": "failed" }""", 7)]
    [InlineData("Step 'a' ran.", """{ "status": "succeeded", "more": null }""", 7)]
    [InlineData("Step 'a' ran.", """{ "status": "succeeded" }""", 8)]
    public void Equals_AnyPropertyDifferent_NotEqual(string message, string details, long sequence)
    {
        var reference = Deferred("Step 'a' ran.", """{ "status": "succeeded" }""");

        Assert.NotEqual(reference, Deferred(message, details, sequence));
        Assert.NotEqual(reference, Plain(message, details, sequence));
        Assert.NotEqual(reference, reference with { Severity = AuditSeverity.Warning });
        Assert.NotEqual(reference, reference with { StepId = "b" });
        Assert.NotEqual(reference, reference with { Details = default });
    }

    [Fact]
    public void Equals_NoDetailsOnEither_Equal()
    {
        var first = Plain("m", "{}") with { Details = default };
        var second = Plain("m", "{}") with { Details = default };

        Assert.Equal(first, second);
        Assert.False(first.Equals(null));
    }

    private sealed class Content(string message, string details) : DeferredAuditContent
    {
        public override (string Message, JsonElement Details) Build() => (message, JsonDocument.Parse(details).RootElement);
    }
}
