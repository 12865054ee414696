using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Auditing;

/// <summary>Orchestrators wired to audit sinks, and sinks that fail, hang or block on purpose.</summary>
internal static class AuditTestKit
{
    /// <summary>A guard for awaits on signals and background writers; never a timing assertion.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public static WorkflowExecutionRequest Request(string inputs = "{}", string? executionId = "run-1", string? agentId = "agent-1") =>
        new() { UserId = "user-1", AgentId = agentId, Inputs = Json.Parse(inputs), ExecutionId = executionId };

    public static WorkflowOrchestrator CreateSut(
        ScriptedPluginExecutor plugins,
        IEnumerable<IAuditSink> sinks,
        TimeProvider? time = null,
        WorkflowOrchestratorOptions? options = null,
        ScriptedLlmClient? llm = null,
        IPluginCatalog? catalog = null)
    {
        var builder = new WorkflowOrchestratorBuilder(plugins, llm ?? new ScriptedLlmClient())
            .UseOptions(options ?? new WorkflowOrchestratorOptions())
            .UseTimeProvider(time ?? new FakeTimeProvider());
        if (catalog is not null)
        {
            builder.AddPluginCatalog(catalog);
        }

        foreach (var sink in sinks)
        {
            builder.AddAuditSink(sink);
        }

        return builder.Build();
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds: for background writers that go on after a run returned.</summary>
    public static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "The condition did not hold in time.");

            // A bounded poll of a background pump; no assertion depends on how long it takes.
            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System);
        }
    }
}

/// <summary>A sink that throws on every batch.</summary>
internal sealed class ThrowingAuditSink : IAuditSink
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public ValueTask WriteAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        throw new InvalidOperationException("audit store is down");
    }
}

/// <summary>A sink that takes nothing until <see cref="Release"/> is called (never, for a hanging sink), then records.</summary>
internal sealed class GatedAuditSink : IAuditSink
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<AuditEvent> Events { get; } = new();

    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate.TrySetResult();

    public async ValueTask WriteAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        Entered.TrySetResult();
        await _gate.Task.ConfigureAwait(false);
        foreach (var @event in events)
        {
            Events.Enqueue(@event);
        }
    }
}

/// <summary>A second in-memory sink type, so the container can hold two sink types.</summary>
internal sealed class SecondAuditSink : IAuditSink
{
    public ConcurrentQueue<AuditEvent> Events { get; } = new();

    public ValueTask WriteAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        foreach (var @event in events)
        {
            Events.Enqueue(@event);
        }

        return ValueTask.CompletedTask;
    }
}
