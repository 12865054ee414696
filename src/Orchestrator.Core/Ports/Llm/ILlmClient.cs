namespace Orchestrator.Core.Ports;

/// <summary>Asks a language model: the host's boundary to its LLM provider.</summary>
public interface ILlmClient
{
    /// <summary>Sends one prompt and returns the reply with its token usage.</summary>
    /// <param name="request">The prompt and settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The reply.</returns>
    ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default);
}
