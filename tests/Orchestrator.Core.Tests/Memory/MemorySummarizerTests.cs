using System.Text.Json;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Memory;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Memory;

public class MemorySummarizerTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static RunFacts Facts(ExecutionStatus status = ExecutionStatus.Succeeded, int runNumber = 2, string[]? errorCodes = null, string[]? recentErrors = null) => new()
    {
        ExecutionId = "exec-1",
        WorkflowId = "email-summary",
        UserId = "u",
        AgentId = "a",
        RunNumber = runNumber,
        Status = status,
        Error = status == ExecutionStatus.Failed ? "Step 'send' failed." : null,
        Inputs = JsonValues.Parse("""{ "folder": "inbox" }"""),
        Output = JsonValues.Parse("""{ "sent": true }"""),
        Steps = new Dictionary<string, StepResult>
        {
            ["send"] = new() { StepId = "send", Status = status == ExecutionStatus.Failed ? StepStatus.Failed : StepStatus.Succeeded, Error = status == ExecutionStatus.Failed ? "Slack is down" : null, ErrorCode = status == ExecutionStatus.Failed ? "SLACK_DOWN" : null },
        },
        ErrorCodes = errorCodes ?? [],
        RecentRuns = [.. (recentErrors ?? []).Select(code => new RunMemory { UserId = "u", AgentId = "a", ExecutionId = "old", RunNumber = 1, Status = "failed", Summary = "old", ErrorCodes = [code], CreatedAt = At })],
        FinishedAt = At,
    };

    [Fact]
    public async Task SummarizeAsync_JsonReply_FieldsTakenFromIt()
    {
        var llm = new ScriptedLlmClient().When("\"run_number\"", """
            ```json
            { "summary": "Sent the digest.", "sentiment": "positive", "key_outcomes": ["digest sent"], "patterns_detected": ["quiet mornings"], "suggestions": ["send earlier"] }
            ```
            """);

        var summary = await MemorySummarizer.SummarizeAsync(llm, new MemoryOptions { SummaryModel = "small-model" }, Facts(), CancellationToken.None);

        Assert.Null(summary.LlmProblem);
        Assert.Equal("Sent the digest.", summary.Memory.Summary);
        Assert.Equal("positive", summary.Memory.Sentiment);
        Assert.Equal(["digest sent"], summary.Memory.KeyOutcomes);
        Assert.Equal(["quiet mornings"], summary.Memory.PatternsDetected);
        Assert.Equal(["send earlier"], summary.Memory.Suggestions);
        Assert.Equal(2, summary.Memory.RunNumber);
        Assert.Equal("succeeded", summary.Memory.Status);
        var request = Assert.Single(llm.Requests);
        Assert.Equal(MemorySummarizer.StepId, request.StepId);
        Assert.Equal("small-model", request.Model);
        Assert.NotNull(request.ResponseSchema);
        Assert.Contains("\"inputs\":{\"folder\":\"inbox\"}", request.Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SummarizeAsync_ReplyIsNotTheJson_PlainSummarySavedAndProblemReported()
    {
        var llm = new ScriptedLlmClient().When("\"run_number\"", "It went fine, I think.");

        var summary = await MemorySummarizer.SummarizeAsync(llm, new MemoryOptions(), Facts(ExecutionStatus.Failed, errorCodes: ["SLACK_DOWN"]), CancellationToken.None);

        Assert.NotNull(summary.LlmProblem);
        Assert.NotNull(summary.Response);
        Assert.Contains("failed", summary.Memory.Summary, StringComparison.Ordinal);
        Assert.Contains("send (SLACK_DOWN)", summary.Memory.Summary, StringComparison.Ordinal);
        Assert.Equal("negative", summary.Memory.Sentiment);
        Assert.Equal(["SLACK_DOWN"], summary.Memory.ErrorCodes);
    }

    [Fact]
    public async Task SummarizeAsync_LlmThrows_PlainSummaryAndNoUsage()
    {
        var summary = await MemorySummarizer.SummarizeAsync(new ScriptedLlmClient(), new MemoryOptions(), Facts(), CancellationToken.None);

        Assert.Null(summary.Response);
        Assert.Contains("InvalidOperationException", summary.LlmProblem, StringComparison.Ordinal);
        Assert.Equal("positive", summary.Memory.Sentiment);
    }

    [Theory]
    [InlineData(ExecutionStatus.Succeeded, 5, 0.3)]
    [InlineData(ExecutionStatus.Succeeded, 1, 0.5)]
    [InlineData(ExecutionStatus.PartiallySucceeded, 5, 0.45)]
    [InlineData(ExecutionStatus.Failed, 5, 0.6)]
    [InlineData(ExecutionStatus.Failed, 1, 0.8)]
    public void ScoreImportance_FailuresAndFirstRuns_WeighMore(ExecutionStatus status, int runNumber, double expected)
    {
        Assert.Equal(expected, MemorySummarizer.ScoreImportance(Facts(status, runNumber)), 6);
    }

    [Fact]
    public void ScoreImportance_ErrorThatFailedARecentRunToo_WeighsMore()
    {
        var once = MemorySummarizer.ScoreImportance(Facts(ExecutionStatus.Failed, errorCodes: ["SLACK_DOWN"], recentErrors: ["TIMEOUT"]));
        var recurring = MemorySummarizer.ScoreImportance(Facts(ExecutionStatus.Failed, errorCodes: ["SLACK_DOWN"], recentErrors: ["SLACK_DOWN"]));

        Assert.Equal(once + 0.2, recurring, 6);
    }

    [Theory]
    [InlineData(10)] // short: the whole text
    [InlineData(390)] // just under the limit (1,984 UTF-16 characters), all kinds of characters
    [InlineData(4_000)] // cut, with three- and four-byte characters around the cut
    public async Task SummarizeAsync_OutputOfAnyLength_PromptCarriesItsTextCutAt2000CharactersAsBefore(int repeats)
    {
        // Mixed one-, two-, three- and four-byte UTF-8 (a surrogate pair in UTF-16), so a cut by bytes would show.
        var text = string.Concat(Enumerable.Repeat("aé€😀", repeats));
        var output = JsonValues.Parse($$"""{ "text": "{{text}}", "more": [1, 2, 3] }""");
        var raw = output.GetRawText();
        var cut = raw.Length <= 2000 ? raw : string.Concat(raw.AsSpan(0, 2000), "...");

        // What the prompt's JSON writer makes of the text cut as before (a cut inside a surrogate pair leaves half of it).
        var expected = JsonDocument.Parse(JsonSerializer.Serialize(cut)).RootElement.GetString();
        var llm = new ScriptedLlmClient().When("\"run_number\"", "not json");

        await MemorySummarizer.SummarizeAsync(llm, new MemoryOptions(), Facts() with { Output = output }, CancellationToken.None);

        using var prompt = JsonDocument.Parse(Assert.Single(llm.Requests).Prompt);
        Assert.Equal(expected, prompt.RootElement.GetProperty("outputs").GetString());
    }

    [Fact]
    public async Task SummarizeAsync_ReplyWithFieldsOfOtherTypes_SummaryKeptOtherFieldsDefaultedWithoutAnError()
    {
        // A sentiment that is not a string made reading the reply throw, which lost the LLM's summary.
        var llm = new ScriptedLlmClient().When("\"run_number\"", """
            { "summary": "Sent the digest.", "sentiment": 5, "key_outcomes": "not a list", "patterns_detected": [1, "two", null], "suggestions": {} }
            """);

        var summary = await MemorySummarizer.SummarizeAsync(llm, new MemoryOptions(), Facts(), CancellationToken.None);

        Assert.Null(summary.LlmProblem);
        Assert.Equal("Sent the digest.", summary.Memory.Summary);
        Assert.Equal("positive", summary.Memory.Sentiment); // The default for a run that succeeded.
        Assert.Empty(summary.Memory.KeyOutcomes);
        Assert.Equal(["1", "two"], summary.Memory.PatternsDetected);
        Assert.Empty(summary.Memory.Suggestions);
    }

    [Fact]
    public async Task SummarizeAsync_Prompt_QuotesAndNonAsciiTextReadAsWrittenNotAsUnicodeEscapes()
    {
        // The prompt is read by a model: the output's JSON text is a string in it, whose quotes were \u0022 (six
        // characters, and tokens, for each) and whose letters outside ASCII were \u00XX under the default encoder.
        var llm = new ScriptedLlmClient().When("\"run_number\"", "not json");
        var output = JsonValues.Parse("""{"subject":"Grüße aus Köln"}""");

        await MemorySummarizer.SummarizeAsync(llm, new MemoryOptions(), Facts() with { Output = output, Error = "Zeitüberschreitung <5s>" }, CancellationToken.None);

        var prompt = Assert.Single(llm.Requests).Prompt;
        Assert.Contains("""
            "outputs":"{\"subject\":\"Grüße aus Köln\"}"
            """, prompt, StringComparison.Ordinal);
        Assert.Contains("\"error\":\"Zeitüberschreitung <5s>\"", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", prompt, StringComparison.Ordinal);
        using var parsed = JsonDocument.Parse(prompt);
        Assert.Equal("""{"subject":"Grüße aus Köln"}""", parsed.RootElement.GetProperty("outputs").GetString());
    }

    [Fact]
    public async Task SummarizeAsync_StepsOfSeveralStatuses_CountedByStatusInTheEnumsOrder()
    {
        var steps = new Dictionary<string, StepResult>
        {
            ["s1"] = new() { StepId = "s1", Status = StepStatus.Skipped },
            ["s2"] = new() { StepId = "s2", Status = StepStatus.Succeeded },
            ["s3"] = new() { StepId = "s3", Status = StepStatus.Failed, Error = "boom" },
            ["s4"] = new() { StepId = "s4", Status = StepStatus.Succeeded },
        };
        var llm = new ScriptedLlmClient().When("\"run_number\"", "not json");

        await MemorySummarizer.SummarizeAsync(llm, new MemoryOptions(), Facts() with { Steps = steps }, CancellationToken.None);

        Assert.Contains("\"steps\":{\"succeeded\":2,\"failed\":1,\"skipped\":1}", Assert.Single(llm.Requests).Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SummarizeAsync_RecentRunsErrorCodes_ListedOnceEachInTheOrderFirstMetAndLeftOutWhenNone()
    {
        var llm = new ScriptedLlmClient().When("\"run_number\"", "not json");

        await MemorySummarizer.SummarizeAsync(llm, new MemoryOptions(), Facts(recentErrors: ["TIMEOUT", "SLACK_DOWN", "TIMEOUT"]), CancellationToken.None);
        await MemorySummarizer.SummarizeAsync(llm, new MemoryOptions(), Facts(), CancellationToken.None);

        var requests = llm.Requests.ToArray();
        Assert.Contains("\"recent_error_codes\":[\"TIMEOUT\",\"SLACK_DOWN\"]", requests[0].Prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("recent_error_codes", requests[1].Prompt, StringComparison.Ordinal);
    }

    public static TheoryData<ExecutionStatus> Statuses => [.. Enum.GetValues<ExecutionStatus>()];

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Wire_EveryStatus_LowerCaseNameWithPartiallySucceededInSnakeCase(ExecutionStatus status)
    {
        var expected = status == ExecutionStatus.PartiallySucceeded ? "partially_succeeded" : status.ToString().ToLowerInvariant();

        Assert.Equal(expected, MemorySummarizer.Wire(status));
    }
}
