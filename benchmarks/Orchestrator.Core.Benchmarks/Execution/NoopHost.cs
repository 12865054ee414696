using System.Text.Json;
using Orchestrator.Core.Ports;

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

/// <summary>Answers only the memory summariser, with a fixed summary: the side-systems benchmark's runs are remembered as a host's would be.</summary>
public sealed class SummaryOnlyLlmClient : ILlmClient
{
    private static readonly LlmResponse Summary = new()
    {
        Text = """{ "summary": "All steps ran.", "sentiment": "positive", "key_outcomes": [], "patterns_detected": [], "suggestions": [] }""",
        InputTokens = 200,
        OutputTokens = 30,
        Model = "bench-model",
    };

    public ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default) =>
        request.StepId.StartsWith('$')
            ? ValueTask.FromResult(Summary)
            : throw new InvalidOperationException("The execution benchmarks have no LLM steps.");
}
