using System.Text.Json;
using Orchestrator.Core.Ports;

/// <summary>
/// A deterministic stand-in for an LLM: it summarises by listing subjects, calls mail urgent when it mentions an
/// overdue invoice or a suspension, and writes the JSON run summary the orchestrator's memory asks for. Token counts
/// are estimated at four characters a token, as a real client reports them. What it was told to remember is kept, so
/// the sample can show it.
/// </summary>
internal sealed partial class SampleLlm : ILlmClient
{
    private const string MemoryHeader = "What you remember from earlier runs:\n";

    [System.Text.RegularExpressions.GeneratedRegex("\"subject\":\\s*\"([^\"]*)\"")]
    private static partial System.Text.RegularExpressions.Regex SubjectPattern();

    /// <summary>The memory the orchestrator put in the last prompt, when there was some.</summary>
    public string? LastRemembered { get; private set; }

    public ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default)
    {
        var prompt = request.Prompt;
        if (request.SystemPrompt is { } system && system.StartsWith(MemoryHeader, StringComparison.Ordinal))
        {
            LastRemembered = system[MemoryHeader.Length..].Split("\n\n")[0];
        }

        string reply;
        if (request.StepId.StartsWith('$'))
        {
            reply = SummariseRun(prompt);
        }
        else if (!request.Options.IsEmpty)
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

    /// <summary>The memory summariser's request: the run as JSON in, the summary JSON out.</summary>
    private static string SummariseRun(string prompt)
    {
        using var run = JsonDocument.Parse(prompt);
        var root = run.RootElement;
        var status = root.GetProperty("status").GetString();
        using var outputs = JsonDocument.Parse(root.GetProperty("outputs").GetString() ?? "null");
        var urgency = outputs.RootElement.ValueKind == JsonValueKind.Object && outputs.RootElement.TryGetProperty("urgency", out var u) ? u.GetString() : "unknown";
        var summary = new
        {
            summary = $"Run {root.GetProperty("run_number").GetInt32()} {status}: the inbox digest was posted; urgency was {urgency}.",
            sentiment = status == "succeeded" ? "positive" : "negative",
            key_outcomes = new[] { "digest posted", $"urgency: {urgency}" },
            patterns_detected = urgency == "urgent" ? new[] { "an overdue invoice keeps the inbox urgent" } : [],
            suggestions = urgency == "urgent" ? new[] { "remind the user about the overdue invoice first" } : [],
        };
        return JsonSerializer.Serialize(summary);
    }
}
