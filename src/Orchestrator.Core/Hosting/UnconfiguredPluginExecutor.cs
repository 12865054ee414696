using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Hosting;

/// <summary>
/// The plugin executor of a host that registered none: every action fails clearly (never a silent no-op), so the
/// step reports what is missing.
/// </summary>
internal sealed class UnconfiguredPluginExecutor : IPluginExecutor
{
    public const string ErrorCode = "NO_PLUGIN_EXECUTOR";

    public ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ValueTask.FromResult(PluginResult.Fail(
            $"No plugin executor registered: call AddPluginExecutor<T>() on the builder AddWorkflowOrchestrator() returns (the step asked for {request.Plugin}.{request.Action}).",
            ErrorCode));
    }
}
