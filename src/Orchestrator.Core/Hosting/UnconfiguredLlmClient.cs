using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Hosting;

/// <summary>
/// The LLM client of a host that registered none: every call throws, which the LLM step handler reports as the
/// step's failure (<c>LLM_EXCEPTION</c>) carrying this message, never a made-up reply.
/// </summary>
internal sealed class UnconfiguredLlmClient : ILlmClient
{
    public ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException(
            "No LLM client registered: call AddLlmClient<T>() on the builder AddWorkflowOrchestrator() returns.");
}
