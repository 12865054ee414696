using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Auditing;

/// <summary>
/// A step event's message and details are built from captured facts when first read (off the step's path): what a
/// sink reads must be the same whoever reads first, however many read at once, and a copy must keep both halves.
/// </summary>
public class DeferredAuditEventTests
{
    private readonly InMemoryAuditSink _sink = new();
    private readonly ScriptedPluginExecutor _plugins = new();

    public DeferredAuditEventTests()
    {
        _plugins.On("p.bad", _ => PluginResult.Fail("the service said no", "SERVICE_DOWN"));
    }

    private async Task<AuditEvent> FailedStepEventAsync()
    {
        var sut = AuditTestKit.CreateSut(_plugins, [_sink], new FakeTimeProvider());
        var result = await sut.ExecuteAsync(Workflows.Load("""
            { "id": "wf-1", "workflow_steps": [ { "id": "a", "type": "action", "plugin": "p", "action": "bad", "params": { "to": "ops", "api_key": "k-123" } } ] }
            """), AuditTestKit.Request());
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        return Assert.Single(_sink.EventsOf("run-1"), e => e.Kind == AuditEventKind.StepFailed);
    }

    [Fact]
    public async Task StepEvent_ReadByManyThreadsAtOnce_EveryReaderSeesTheSameMessageAndDetails()
    {
        var @event = await FailedStepEventAsync();

        using var start = new Barrier(8);
        var reads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait(AuditTestKit.Patience);
            return (@event.Message, @event.Details.GetRawText());
        })));

        Assert.Single(reads.Distinct());
        var (message, details) = reads[0];
        Assert.Equal("Step 'a' failed: the service said no", message);
        using var document = JsonDocument.Parse(details);
        var root = document.RootElement;
        Assert.Equal("failed", root.GetProperty("status").GetString());
        Assert.Equal("SERVICE_DOWN", root.GetProperty("error_code").GetString());
        Assert.Equal("ops", root.GetProperty("parameters").GetProperty("to").GetString());
        Assert.Equal(AuditRedactor.Redacted, root.GetProperty("parameters").GetProperty("api_key").GetString());
    }

    [Fact]
    public async Task StepEvent_CopiedWithANewMessage_KeepsItsDetailsAndTheOriginalKeepsItsMessage()
    {
        var @event = await FailedStepEventAsync();

        var copy = @event with { Message = "edited" };

        Assert.Equal("edited", copy.Message);
        Assert.Equal("Step 'a' failed: the service said no", @event.Message);
        Assert.Equal(@event.Details.GetRawText(), copy.Details.GetRawText());
        Assert.Equal("SERVICE_DOWN", copy.Details.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task StepEvent_CopiedWithNewDetails_KeepsItsMessage()
    {
        var @event = await FailedStepEventAsync();

        var copy = @event with { Details = default };

        Assert.Equal(JsonValueKind.Undefined, copy.Details.ValueKind);
        Assert.Equal("Step 'a' failed: the service said no", copy.Message);
        Assert.Equal(JsonValueKind.Object, @event.Details.ValueKind);
    }
}
