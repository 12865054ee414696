using System.Collections.Concurrent;
using System.Text.Json;
using Orchestrator.Core.Ports;

namespace Orchestrator.Durability.Testing;

/// <summary>
/// An LLM for the stores' end-to-end tests: the memory summariser's call (its prompt is the run as JSON) is answered
/// with a summary naming the run's <c>topic</c> input (<c>SUMMARY-OF-{topic}</c>), every other call with
/// <c>written</c>. Every request is recorded.
/// </summary>
public sealed class SummarisingLlmClient : ILlmClient
{
    public ConcurrentQueue<LlmRequest> Requests { get; } = new();

    public ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Requests.Enqueue(request);
        if (!request.Prompt.Contains("\"run_number\"", StringComparison.Ordinal))
        {
            return ValueTask.FromResult(new LlmResponse { Text = "written", InputTokens = 10, OutputTokens = 5, Model = "test-model" });
        }

        using var run = JsonDocument.Parse(request.Prompt);
        var topic = run.RootElement.GetProperty("inputs").GetProperty("topic").GetString();
        var summary = $$"""{ "summary": "SUMMARY-OF-{{topic}}", "sentiment": "positive", "key_outcomes": ["wrote about {{topic}}"], "patterns_detected": [], "suggestions": [] }""";
        return ValueTask.FromResult(new LlmResponse { Text = summary, InputTokens = 50, OutputTokens = 20, Model = "summary-model" });
    }
}
