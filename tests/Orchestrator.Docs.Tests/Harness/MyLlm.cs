using Orchestrator.Core.Ports;

namespace Orchestrator.Docs.Tests.Harness;

/// <summary>The host's LLM, for doc blocks: answers every prompt with "ok".</summary>
public sealed class MyLlm : ILlmClient
{
    public ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new LlmResponse { Text = "ok", Model = request.Model, InputTokens = 1, OutputTokens = 1 });
}
