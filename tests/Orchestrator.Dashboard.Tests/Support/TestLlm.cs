using Orchestrator.Core.Ports;

namespace Orchestrator.Dashboard.Tests.Support;

/// <summary>An LLM that answers at once with a fixed text and token counts, so the pages have tokens and cost to show.</summary>
internal sealed class TestLlm : ILlmClient
{
    public ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new LlmResponse { Text = "Gold customer, renewal due.", Model = "test-model", InputTokens = 1200, OutputTokens = 300 });
}
