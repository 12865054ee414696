using System.Collections.Concurrent;
using Orchestrator.Core.Ports;

namespace Orchestrator.Cli.Tests.Compat;

/// <summary>Records every plugin call (plugin, action, parameters) and passes it to the dry run's scripted executor.</summary>
internal sealed class RecordingPluginExecutor(IPluginExecutor inner, IReadOnlyCollection<string> ignoreParams) : IPluginExecutor
{
    private readonly ConcurrentQueue<RecordedPluginCall> _calls = new();

    /// <summary>The calls, in the order they were made.</summary>
    public IReadOnlyList<RecordedPluginCall> Calls => [.. _calls];

    public ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        _calls.Enqueue(new RecordedPluginCall(request.Plugin, request.Action, CanonicalJson.Write(request.Parameters, ignoreParams)));
        return inner.ExecuteAsync(request, cancellationToken);
    }
}
