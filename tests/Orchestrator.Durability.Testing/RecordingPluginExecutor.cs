using System.Collections.Concurrent;
using System.Text.Json;
using Orchestrator.Core.Ports;

namespace Orchestrator.Durability.Testing;

/// <summary>
/// A plugin executor for durability tests: every call is recorded; <c>calc.echo</c> answers with its parameters, and a
/// step listed in <see cref="Blocked"/> waits (holding its call open, as a process that dies mid-call would) until
/// its gate opens.
/// </summary>
public sealed class RecordingPluginExecutor : IPluginExecutor
{
    public ConcurrentQueue<PluginRequest> Calls { get; } = new();

    public ConcurrentDictionary<string, TaskCompletionSource> Blocked { get; } = new(StringComparer.Ordinal);

    public int CallsFor(string stepId) => Calls.Count(c => c.StepId == stepId);

    /// <summary>Makes the calls of <paramref name="stepId"/> wait; the returned source ends the wait.</summary>
    public TaskCompletionSource Block(string stepId) =>
        Blocked.GetOrAdd(stepId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public async ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Calls.Enqueue(request);
        if (Blocked.TryGetValue(request.StepId, out var gate))
        {
            await gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return PluginResult.Ok(request.Parameters.ValueKind == JsonValueKind.Undefined ? default : request.Parameters.Clone());
    }
}
