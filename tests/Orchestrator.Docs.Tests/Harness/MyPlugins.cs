using System.Text.Json;
using Orchestrator.Core.Ports;

namespace Orchestrator.Docs.Tests.Harness;

/// <summary>The host's plugins, for doc blocks: every action succeeds with <c>{ "ok": true }</c>.</summary>
public sealed class MyPlugins : IPluginExecutor
{
    private static readonly JsonElement Ok = JsonDocument.Parse("""{ "ok": true }""").RootElement.Clone();

    public ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(PluginResult.Ok(Ok));
}
