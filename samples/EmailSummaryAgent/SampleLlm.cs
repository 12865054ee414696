using Orchestrator.Core.Llm;

/// <summary>
/// A deterministic stand-in for an LLM: it summarises by listing subjects and calls mail urgent when it mentions an
/// overdue invoice or a suspension. Token counts are estimated at four characters a token, as a real client reports them.
/// </summary>
internal sealed partial class SampleLlm : ILlmClient
{
    [System.Text.RegularExpressions.GeneratedRegex("\"subject\":\\s*\"([^\"]*)\"")]
    private static partial System.Text.RegularExpressions.Regex SubjectPattern();

    public ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default)
    {
        var prompt = request.Prompt;
        string reply;
        if (!request.Options.IsEmpty)
        {
            var urgent = prompt.Contains("overdue", StringComparison.OrdinalIgnoreCase) || prompt.Contains("suspended", StringComparison.OrdinalIgnoreCase);
            reply = urgent ? "urgent" : "normal";
        }
        else
        {
            var subjects = SubjectPattern().Matches(prompt).Select(m => "- " + m.Groups[1].Value);
            reply = string.Join("\n", subjects);
        }

        return ValueTask.FromResult(new LlmResponse
        {
            Text = reply,
            Model = "sample-offline-llm",
            InputTokens = ((request.SystemPrompt?.Length ?? 0) + prompt.Length + 3) / 4,
            OutputTokens = (reply.Length + 3) / 4,
        });
    }
}
