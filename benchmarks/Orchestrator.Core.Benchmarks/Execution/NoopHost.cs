using System.Text.Json;
using Orchestrator.Core.Llm;
using Orchestrator.Core.Plugins;

namespace Orchestrator.Core.Benchmarks.Execution;

/// <summary>A plugin executor that does nothing and returns one cached success, synchronously.</summary>
public sealed class NoopPluginExecutor : IPluginExecutor
{
    internal static readonly PluginResult Result = PluginResult.Ok(JsonDocument.Parse("{}").RootElement.Clone());

    public ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Result);
}

/// <summary>The same no-op, but every call first yields, so each step completes asynchronously on the thread pool.</summary>
public sealed class YieldingPluginExecutor : IPluginExecutor
{
    public async ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return NoopPluginExecutor.Result;
    }
}

/// <summary>No step here talks to a model: a call would be a bug in the benchmark.</summary>
public sealed class ThrowingLlmClient : ILlmClient
{
    public ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("The execution benchmarks have no LLM steps.");
}
