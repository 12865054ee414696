using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Execution.Handlers;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Memory;

/// <summary>
/// Summarises a finished run into memory: asks the LLM for a JSON summary (<c>summary</c>, <c>sentiment</c>,
/// <c>key_outcomes</c>, <c>patterns_detected</c>, <c>suggestions</c>), scores its importance and saves it with the
/// run's number (1 for the first run: the stored engine's count was off by one). When the LLM fails or replies with
/// something else than that JSON, a plain summary made from the result is saved instead, so the run is still remembered.
/// </summary>
internal static class MemorySummarizer
{
    /// <summary>The <see cref="LlmRequest.StepId"/> of the summariser's call (no step has this id: <c>$</c> is not allowed in ids).</summary>
    public const string StepId = "$memory.summary";

    private const int MaxOutputChars = 2000;
    private const int MaxProblems = 20;

    private static readonly JsonEncodedText[] StatusNames = [.. Enum.GetValues<StepStatus>().Select(s => JsonEncodedText.Encode(s.ToString().ToLowerInvariant()))];
    private static readonly int StatusCount = StatusNames.Length;

    private static readonly JsonElement Schema = JsonValues.Parse("""
        {"type":"object","required":["summary","sentiment","key_outcomes","patterns_detected","suggestions"],
         "properties":{"summary":{"type":"string"},"sentiment":{"type":"string","enum":["positive","neutral","negative"]},
         "key_outcomes":{"type":"array","items":{"type":"string"}},"patterns_detected":{"type":"array","items":{"type":"string"}},
         "suggestions":{"type":"array","items":{"type":"string"}}}}
        """);

    private const string Instructions =
        "You keep the memory of an AI agent. Summarise the run below for the agent's next runs: what it did, what came out, " +
        "what failed and why. Reply with JSON only: {\"summary\": string (one or two sentences), \"sentiment\": \"positive\" | " +
        "\"neutral\" | \"negative\", \"key_outcomes\": [string], \"patterns_detected\": [string], \"suggestions\": [string]}.";

    /// <summary>The summary to save, and the LLM call's usage (none when the LLM was not reached).</summary>
    public sealed record Summary(RunMemory Memory, LlmResponse? Response, string? LlmProblem);

    public static async ValueTask<Summary> SummarizeAsync(ILlmClient? llm, MemoryOptions options, RunFacts facts, CancellationToken cancellationToken)
    {
        if (llm is null or Hosting.UnconfiguredLlmClient)
        {
            // A host without an LLM (or a run that spent its cost ceiling) still remembers its runs, plainly, and is
            // not warned about it on every run.
            return new Summary(Fallback(facts), null, null);
        }

        var request = new LlmRequest
        {
            ExecutionId = facts.ExecutionId,
            StepId = StepId,
            SystemPrompt = Instructions,
            Prompt = DescribeRun(facts),
            Model = options.SummaryModel,
            MaxTokens = options.SummaryMaxTokens,
            Temperature = 0,
            ResponseSchema = Schema,
        };

        LlmResponse? response = null;
        string? problem = null;
        RunMemory? memory = null;
        try
        {
            response = await llm.CompleteAsync(request, cancellationToken).ConfigureAwait(false);

            if (SummaryReply.TryRead(response.Text ?? string.Empty, out var reply))
            {
                memory = FromReply(reply, facts);
            }
            else
            {
                problem = "the LLM's reply was not the summary JSON asked for";
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            problem = $"the LLM call threw {ex.GetType().Name}: {ex.Message}";
        }

        return new Summary(memory ?? Fallback(facts), response, problem);
    }

    /// <summary>
    /// How much the run matters to later runs, from 0 to 1: a base of 0.3; a failure adds 0.3 (a partial success 0.15);
    /// a first run adds 0.2; an error code that also failed one of the recent runs adds 0.2.
    /// </summary>
    public static double ScoreImportance(RunFacts facts)
    {
        var score = 0.3;
        score += facts.Status switch
        {
            ExecutionStatus.Failed or ExecutionStatus.Cancelled => 0.3,
            ExecutionStatus.PartiallySucceeded => 0.15,
            _ => 0,
        };

        if (facts.RunNumber == 1)
        {
            score += 0.2;
        }

        if (RepeatsRecentError(facts))
        {
            score += 0.2;
        }

        return Math.Clamp(score, 0, 1);
    }

    /// <summary>Whether one of the run's error codes also failed one of the recent runs (loops: this runs after every run).</summary>
    private static bool RepeatsRecentError(RunFacts facts)
    {
        foreach (var code in facts.ErrorCodes)
        {
            foreach (var recent in facts.RecentRuns)
            {
                if (recent.ErrorCodes.Contains(code))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static RunMemory FromReply(SummaryReply.Fields reply, RunFacts facts) => Base(
        facts,
        reply.Summary,
        reply.Sentiment is "positive" or "negative" or "neutral" ? reply.Sentiment : DefaultSentiment(facts.Status),
        reply.KeyOutcomes,
        reply.PatternsDetected,
        reply.Suggestions);

    private static RunMemory Fallback(RunFacts facts) => Base(
        facts,
        facts.Status switch
        {
            ExecutionStatus.Succeeded => $"The run of '{facts.WorkflowId}' succeeded ({facts.Steps.Count} steps).",
            ExecutionStatus.PartiallySucceeded => $"The run of '{facts.WorkflowId}' partly succeeded; failed steps: {FailedList(facts)}.",
            _ => $"The run of '{facts.WorkflowId}' ended {Wire(facts.Status)}: {facts.Error ?? "no error given"}; failed steps: {FailedList(facts)}.",
        },
        DefaultSentiment(facts.Status),
        [],
        [],
        []);

    /// <summary>The run's memory, made once (not a base copied with <c>with</c> for each part).</summary>
    private static RunMemory Base(RunFacts facts, string summary, string sentiment, IReadOnlyList<string> keyOutcomes, IReadOnlyList<string> patternsDetected, IReadOnlyList<string> suggestions) => new()
    {
        UserId = facts.UserId,
        AgentId = facts.AgentId,
        ExecutionId = facts.ExecutionId,
        RunNumber = facts.RunNumber,
        Status = Wire(facts.Status),
        Summary = summary,
        Sentiment = sentiment,
        KeyOutcomes = keyOutcomes,
        PatternsDetected = patternsDetected,
        Suggestions = suggestions,
        ErrorCodes = facts.ErrorCodes,
        CreatedAt = facts.FinishedAt,
        Importance = ScoreImportance(facts),
    };

    private static string FailedList(RunFacts facts)
    {
        var failed = facts.Steps.Values.Where(s => s.Status == StepStatus.Failed).Select(s => $"{s.StepId} ({s.ErrorCode ?? "error"})").ToList();
        return failed.Count == 0 ? "none" : string.Join(", ", failed);
    }

    private static string DefaultSentiment(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Succeeded => "positive",
        ExecutionStatus.PartiallySucceeded => "neutral",
        _ => "negative",
    };

    /// <summary>The status as memory and audit details write it: constant strings (not an enum name lowered, twice per run).</summary>
    internal static string Wire(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Succeeded => "succeeded",
        ExecutionStatus.PartiallySucceeded => "partially_succeeded",
        ExecutionStatus.Failed => "failed",
        ExecutionStatus.Cancelled => "cancelled",
        ExecutionStatus.Suspended => "suspended",
        ExecutionStatus.Rejected => "rejected",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Writes the output's JSON text as the string <c>outputs</c>, cut to <see cref="MaxOutputChars"/> characters (then
    /// "..."), straight from the element's own bytes: no string of it is made, and only the part kept is decoded (a run of
    /// a thousand steps has an output of tens of kilobytes).
    /// </summary>
    private static void WriteOutputs(Utf8JsonWriter writer, JsonElement output)
    {
        if (output.ValueKind == JsonValueKind.Undefined)
        {
            writer.WriteString(Names.Outputs, "null");
            return;
        }

        var utf8 = JsonMarshal.GetRawUtf8Value(output);

        // Three bytes make at least one UTF-16 character, so this prefix decodes to more than the characters kept.
        const int PrefixBytes = (3 * MaxOutputChars) + 4;
        if (utf8.Length <= PrefixBytes && Encoding.UTF8.GetCharCount(utf8) <= MaxOutputChars)
        {
            writer.WriteString(Names.Outputs, utf8);
            return;
        }

        var prefix = utf8[..Math.Min(utf8.Length, PrefixBytes)];
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(prefix.Length) + 3);
        try
        {
            var kept = Encoding.UTF8.GetChars(prefix, chars);
            if (kept > MaxOutputChars)
            {
                "...".CopyTo(chars.AsSpan(MaxOutputChars));
                kept = MaxOutputChars + 3;
            }

            writer.WriteString(Names.Outputs, chars.AsSpan(0, kept));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>The run as the LLM reads it: a JSON object with the status, inputs (secrets redacted), outputs (cut short) and failures.</summary>
    private static string DescribeRun(RunFacts facts) => JsonValues.WriteText(static (writer, facts) =>
    {
        writer.WriteStartObject();
        writer.WriteString(Names.Workflow, facts.WorkflowId);
        writer.WriteNumber(Names.RunNumber, facts.RunNumber);
        writer.WriteString(Names.Status, Wire(facts.Status));
        if (facts.Error is not null)
        {
            writer.WriteString(Names.Error, facts.Error);
        }

        writer.WritePropertyName(Names.Inputs);
        facts.Inputs.WriteTo(writer);
        WriteOutputs(writer, facts.Output);
        // Counts, and the steps that did not succeed by name: a run of a thousand steps needs no thousand-line prompt.
        writer.WriteStartObject(Names.Steps);
        // Counted by status in a small array, in the enum's order (as grouping and ordering by it did, without their buffers).
        Span<int> counts = stackalloc int[StatusCount];
        foreach (var step in facts.Steps.Values)
        {
            counts[(int)step.Status]++;
        }

        for (var status = 0; status < StatusCount; status++)
        {
            if (counts[status] > 0)
            {
                writer.WriteNumber(StatusNames[status], counts[status]);
            }
        }

        writer.WriteEndObject();
        writer.WriteStartArray(Names.Problems);
        var problems = 0;
        foreach (var step in facts.Steps.Values)
        {
            if (step.Status is not (StepStatus.Failed or StepStatus.Cancelled))
            {
                continue;
            }

            if (++problems > MaxProblems)
            {
                break;
            }

            writer.WriteStartObject();
            writer.WriteString(Names.Id, step.StepId);
            writer.WriteString(Names.Status, step.Status.ToString().ToLowerInvariant());
            if (step.Error is not null)
            {
                writer.WriteString(Names.Error, step.Error);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (facts.RecentRuns.Count > 0)
        {
            writer.WriteStartArray(Names.RecentErrorCodes);
            // Each code once, in the order first met; nothing is made when the recent runs had no errors (most often).
            HashSet<string>? written = null;
            for (var r = 0; r < facts.RecentRuns.Count; r++)
            {
                var codes = facts.RecentRuns[r].ErrorCodes;
                for (var c = 0; c < codes.Count; c++)
                {
                    if ((written ??= new HashSet<string>(StringComparer.Ordinal)).Add(codes[c]))
                    {
                        writer.WriteStringValue(codes[c]);
                    }
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }, facts);

    /// <summary>The prompt's property names, encoded once (each write of a name given as a string checks and encodes it).</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Workflow = JsonEncodedText.Encode("workflow");
        public static readonly JsonEncodedText RunNumber = JsonEncodedText.Encode("run_number");
        public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
        public static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
        public static readonly JsonEncodedText Inputs = JsonEncodedText.Encode("inputs");
        public static readonly JsonEncodedText Outputs = JsonEncodedText.Encode("outputs");
        public static readonly JsonEncodedText Steps = JsonEncodedText.Encode("steps");
        public static readonly JsonEncodedText Problems = JsonEncodedText.Encode("problems");
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText RecentErrorCodes = JsonEncodedText.Encode("recent_error_codes");
    }
}
