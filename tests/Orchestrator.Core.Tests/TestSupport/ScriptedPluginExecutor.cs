using System.Collections.Concurrent;
using System.Text.Json;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Tests.TestSupport;

/// <summary>
/// A real, scripted plugin executor for tests: each "plugin.action" answers with a handler; every call is recorded.
/// An action without a handler fails clearly, as a host without that plugin would.
/// </summary>
internal sealed class ScriptedPluginExecutor : IPluginExecutor
{
    private readonly ConcurrentDictionary<string, Func<PluginRequest, CancellationToken, ValueTask<PluginResult>>> _handlers = new(StringComparer.Ordinal);

    public ConcurrentQueue<PluginRequest> Calls { get; } = new();

    public IEnumerable<PluginRequest> CallsTo(string pluginAction) => Calls.Where(c => $"{c.Plugin}.{c.Action}" == pluginAction);

    /// <summary>Answers with a fixed JSON value.</summary>
    public ScriptedPluginExecutor On(string pluginAction, string json) =>
        On(pluginAction, _ => PluginResult.Ok(Json.Parse(json)));

    public ScriptedPluginExecutor On(string pluginAction, Func<PluginRequest, PluginResult> handler) =>
        On(pluginAction, (request, _) => ValueTask.FromResult(handler(request)));

    public ScriptedPluginExecutor On(string pluginAction, Func<PluginRequest, CancellationToken, ValueTask<PluginResult>> handler)
    {
        _handlers[pluginAction] = handler;
        return this;
    }

    /// <summary>Answers with the responses in order, repeating the last one.</summary>
    public ScriptedPluginExecutor OnSequence(string pluginAction, params PluginResult[] results)
    {
        var count = 0;
        return On(pluginAction, _ => results[Math.Min(Interlocked.Increment(ref count) - 1, results.Length - 1)]);
    }

    public ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue(request);
        return _handlers.TryGetValue($"{request.Plugin}.{request.Action}", out var handler)
            ? handler(request, cancellationToken)
            : ValueTask.FromResult(PluginResult.Fail($"No scripted response for {request.Plugin}.{request.Action}.", "NO_SCRIPT"));
    }
}
