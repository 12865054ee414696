using System.Collections.Concurrent;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Tests.TestSupport;

/// <summary>
/// A real, scripted LLM client for tests: the first rule whose key occurs in the prompt answers; every request is
/// recorded. A prompt that matches no rule gets an exception naming it.
/// </summary>
internal sealed class ScriptedLlmClient : ILlmClient
{
    private readonly List<(string Key, Func<LlmRequest, LlmResponse> Reply)> _rules = [];

    public ConcurrentQueue<LlmRequest> Requests { get; } = new();

    public ScriptedLlmClient When(string promptContains, string reply, int inputTokens = 10, int outputTokens = 5, string model = "test-model") =>
        When(promptContains, _ => new LlmResponse { Text = reply, InputTokens = inputTokens, OutputTokens = outputTokens, Model = model });

    public ScriptedLlmClient When(string promptContains, Func<LlmRequest, LlmResponse> reply)
    {
        lock (_rules)
        {
            _rules.Add((promptContains, reply));
        }

        return this;
    }

    public ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Enqueue(request);
        lock (_rules)
        {
            foreach (var (key, reply) in _rules)
            {
                if (request.Prompt.Contains(key, StringComparison.Ordinal))
                {
                    return ValueTask.FromResult(reply(request));
                }
            }
        }

        throw new InvalidOperationException($"No scripted reply for the prompt: {request.Prompt}");
    }
}
