using System.Text.Json;
using Orchestrator.Cli.Tests.TestSupport;

namespace Orchestrator.Cli.Tests.Commands;

public sealed class RunCommandTests : IDisposable
{
    // Three steps calling the same action one after another, so the order of calls is the order of the steps.
    private const string ThreeCalls = """
        { "agent_name": "Three calls", "workflow_steps": [
            { "id": "first", "type": "action", "plugin": "crm", "action": "lookup" },
            { "id": "second", "type": "action", "plugin": "crm", "action": "lookup", "dependencies": ["first"] },
            { "id": "third", "type": "action", "plugin": "crm", "action": "lookup", "dependencies": ["second"] } ] }
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Run_EmailAgentWithScripts_SucceedsWithTheJsonResultShape()
    {
        var result = await RunAsync(
            CliRunner.Fixture("email-summary.json"),
            inputs: """{ "channel": "#inbox" }""",
            plugins: """
                {
                  "google-mail.search_emails": [ { "emails": [ { "from": "boss@example.org", "subject": "Server down" } ] } ],
                  "slack.send_message": [ { "ok": true } ]
                }
                """,
            llm: """
                {
                  "Summarise these emails": { "text": "The server is down.", "input_tokens": 120, "output_tokens": 12 },
                  "Is anything in this summary urgent?": { "text": "urgent", "input_tokens": 40, "output_tokens": 1 }
                }
                """);

        Assert.Equal(0, result.ExitCode);
        var json = result.Json();
        Assert.Equal(["status", "error", "steps", "outputs", "usage"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("succeeded", json.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("error").ValueKind);
        var steps = json.GetProperty("steps");
        Assert.Equal(["step1", "step2", "step3", "step4", "step5"], steps.EnumerateObject().Select(p => p.Name));
        foreach (var step in steps.EnumerateObject())
        {
            Assert.Equal(["status", "output", "error", "attempts"], step.Value.EnumerateObject().Select(p => p.Name));
            Assert.Equal("succeeded", step.Value.GetProperty("status").GetString());
            Assert.Equal(1, step.Value.GetProperty("attempts").GetInt32());
        }

        Assert.Equal("Server down", steps.GetProperty("step1").GetProperty("output").GetProperty("emails")[0].GetProperty("subject").GetString());
        Assert.Equal("The server is down.", steps.GetProperty("step2").GetProperty("output").GetProperty("decision").GetString());
        var outputs = json.GetProperty("outputs");
        Assert.Equal("The server is down.", outputs.GetProperty("summary").GetString());
        Assert.Equal("urgent", outputs.GetProperty("urgency").GetString());
        Assert.True(outputs.GetProperty("posted").GetBoolean());
        var usage = json.GetProperty("usage");
        Assert.Equal(160, usage.GetProperty("input_tokens").GetInt64());
        Assert.Equal(13, usage.GetProperty("output_tokens").GetInt64());
        Assert.Equal(173, usage.GetProperty("total_tokens").GetInt64());
        Assert.Equal(2, usage.GetProperty("llm_calls").GetInt32());
        Assert.Equal(1, usage.GetProperty("credits").GetInt64());
    }

    [Fact]
    public async Task Run_ResponsesInOrder_RepeatTheLastPastTheEnd()
    {
        var result = await RunAsync(_temp.Write("three.json", ThreeCalls), plugins: """{ "crm.lookup": [ "A", "B" ] }""");

        Assert.Equal(0, result.ExitCode);
        var steps = result.Json().GetProperty("steps");
        Assert.Equal("A", steps.GetProperty("first").GetProperty("output").GetString());
        Assert.Equal("B", steps.GetProperty("second").GetProperty("output").GetString());
        Assert.Equal("B", steps.GetProperty("third").GetProperty("output").GetString());
    }

    [Fact]
    public async Task Run_RetryableErrorWithRetryPolicy_RetriesUntilTheScriptedSuccess()
    {
        var workflow = _temp.Write("retry.json", """
            { "workflow_steps": [ { "id": "fetch", "type": "action", "plugin": "web", "action": "get",
                "retryPolicy": { "maxRetries": 3, "backoffMs": 1 } } ] }
            """);

        var result = await RunAsync(workflow, plugins: """
            { "web.get": [ { "error": "busy", "retryable": true }, { "error": "still busy", "retryable": true }, { "page": 1 } ] }
            """);

        Assert.Equal(0, result.ExitCode);
        var fetch = result.Json().GetProperty("steps").GetProperty("fetch");
        Assert.Equal("succeeded", fetch.GetProperty("status").GetString());
        Assert.Equal(3, fetch.GetProperty("attempts").GetInt32());
        Assert.Equal(1, fetch.GetProperty("output").GetProperty("page").GetInt32());
    }

    [Fact]
    public async Task Run_NonRetryableError_FailsTheStepAtOnceWithTheScriptedMessage()
    {
        var workflow = _temp.Write("retry.json", """
            { "workflow_steps": [ { "id": "fetch", "type": "action", "plugin": "web", "action": "get",
                "retryPolicy": { "maxRetries": 3, "backoffMs": 1 } } ] }
            """);

        var result = await RunAsync(workflow, plugins: """{ "web.get": [ { "error": "forbidden", "retryable": false }, { "page": 1 } ] }""");

        Assert.Equal(1, result.ExitCode);
        var json = result.Json();
        Assert.Equal("failed", json.GetProperty("status").GetString());
        var fetch = json.GetProperty("steps").GetProperty("fetch");
        Assert.Equal("failed", fetch.GetProperty("status").GetString());
        Assert.Equal("forbidden", fetch.GetProperty("error").GetString());
        Assert.Equal(1, fetch.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Run_ErrorCodeInRetryableErrors_IsRetried()
    {
        var workflow = _temp.Write("codes.json", """
            { "workflow_steps": [ { "id": "fetch", "type": "action", "plugin": "web", "action": "get",
                "retryPolicy": { "maxRetries": 1, "backoffMs": 1, "retryableErrors": ["RATE_LIMIT"] } } ] }
            """);

        var result = await RunAsync(workflow, plugins: """{ "web.get": [ { "error": "slow down", "code": "RATE_LIMIT" }, "done" ] }""");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.Json().GetProperty("steps").GetProperty("fetch").GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Run_DelayedResponse_ReturnsItsData()
    {
        var workflow = _temp.Write("one.json", """{ "workflow_steps": [ { "id": "fetch", "type": "action", "plugin": "web", "action": "get" } ] }""");

        var result = await RunAsync(workflow, plugins: """{ "web.get": [ { "delay_ms": 10, "data": { "error": "a field of the data" } } ] }""");

        Assert.Equal(0, result.ExitCode);
        var output = result.Json().GetProperty("steps").GetProperty("fetch").GetProperty("output");
        Assert.Equal("a field of the data", output.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Run_DelayLongerThanTheStepTimeout_TimesTheStepOut()
    {
        // The delay really waits (on the orchestrator's clock) and is cancelled with the attempt: a ten-minute
        // response against a 100 ms step timeout fails the step after 100 ms.
        var workflow = _temp.Write("slow.json", """
            { "workflow_steps": [ { "id": "fetch", "type": "action", "plugin": "web", "action": "get", "timeout": 100 } ] }
            """);

        var result = await RunAsync(workflow, plugins: """{ "web.get": [ { "delay_ms": 600000, "data": "too late" } ] }""");

        Assert.Equal(1, result.ExitCode);
        var fetch = result.Json().GetProperty("steps").GetProperty("fetch");
        Assert.Equal("failed", fetch.GetProperty("status").GetString());
        Assert.Contains("timed out", fetch.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ActionTheScriptDoesNotName_FailsThatStepNamingIt()
    {
        var result = await RunAsync(_temp.Write("three.json", ThreeCalls), plugins: """{ "crm.search": [ "A" ] }""");

        Assert.Equal(1, result.ExitCode);
        var json = result.Json();
        Assert.Equal("failed", json.GetProperty("status").GetString());
        var first = json.GetProperty("steps").GetProperty("first");
        Assert.Equal("failed", first.GetProperty("status").GetString());
        Assert.Contains("Step 'first' calls 'crm.lookup', which the plugins file", first.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("(it names: crm.search)", first.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("cancelled", json.GetProperty("steps").GetProperty("second").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Run_NoPluginsFile_FailsTheFirstActionClearly()
    {
        var result = await RunAsync(_temp.Write("three.json", ThreeCalls));

        Assert.Equal(1, result.ExitCode);
        var error = result.Json().GetProperty("steps").GetProperty("first").GetProperty("error").GetString();
        Assert.Contains("no --plugins file was given", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_FirstMatchingLlmKey_AnswersAndInputsReachThePrompt()
    {
        var workflow = _temp.Write("greet.json", """
            { "input_schema": [ { "name": "name", "type": "string", "required": true } ],
              "workflow_steps": [ { "id": "greet", "type": "ai_processing", "prompt": "Say hello to {{input.name}}." } ] }
            """);

        var result = await RunAsync(workflow, inputs: """{ "name": "Ada" }""", llm: """
            {
              "hello to Ada": { "text": "Hello, Ada!", "input_tokens": 7, "output_tokens": 3 },
              "hello": { "text": "Hello, whoever you are.", "input_tokens": 1, "output_tokens": 1 }
            }
            """);

        Assert.Equal(0, result.ExitCode);
        var json = result.Json();
        Assert.Equal("Hello, Ada!", json.GetProperty("steps").GetProperty("greet").GetProperty("output").GetProperty("decision").GetString());
        Assert.Equal(10, json.GetProperty("usage").GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public async Task Run_PromptNoLlmKeyMatches_FailsTheStepQuotingThePrompt()
    {
        var workflow = _temp.Write("greet.json", """
            { "workflow_steps": [ { "id": "greet", "type": "ai_processing", "prompt": "Say \"hello\"\nto Ada." } ] }
            """);
        var llm = _temp.Write("llm.json", """{ "goodbye": { "text": "Bye." } }""");

        var result = await CliRunner.RunAsync("run", workflow, "--llm", llm, "--format", "json");

        Assert.Equal(1, result.ExitCode);
        var error = result.Json().GetProperty("steps").GetProperty("greet").GetProperty("error").GetString();
        Assert.Contains($"No key of the LLM script '{llm}' occurs in the prompt of step 'greet'.", error, StringComparison.Ordinal);
        Assert.EndsWith("The prompt: \"Say \\\"hello\\\"\\nto Ada.\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingRequiredInput_IsRejected()
    {
        var workflow = _temp.Write("greet.json", """
            { "input_schema": [ { "name": "name", "type": "string", "required": true } ],
              "workflow_steps": [ { "id": "greet", "type": "ai_processing", "prompt": "Say hello to {{input.name}}." } ] }
            """);

        var result = await RunAsync(workflow);

        Assert.Equal(1, result.ExitCode);
        var json = result.Json();
        Assert.Equal("rejected", json.GetProperty("status").GetString());
        Assert.Contains("'name' is required.", json.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(json.GetProperty("steps").EnumerateObject());
    }

    [Fact]
    public async Task Run_ContinueOnError_IsPartiallySucceededAndExitsOne()
    {
        var workflow = _temp.Write("partial.json", """
            { "workflow_steps": [
                { "id": "optional", "type": "action", "plugin": "web", "action": "get", "continueOnError": true },
                { "id": "after", "type": "action", "plugin": "web", "action": "post", "dependencies": ["optional"] } ] }
            """);

        var result = await RunAsync(workflow, plugins: """{ "web.get": [ { "error": "down" } ], "web.post": [ "sent" ] }""");

        Assert.Equal(1, result.ExitCode);
        var json = result.Json();
        Assert.Equal("partially_succeeded", json.GetProperty("status").GetString());
        Assert.Equal("sent", json.GetProperty("steps").GetProperty("after").GetProperty("output").GetString());
    }

    [Fact]
    public async Task Run_ResearchDigest_RunsScatterSwitchAndGuardedApproval()
    {
        var result = await RunAsync(
            CliRunner.Fixture("research-digest.json"),
            inputs: """{ "topics": ["rust", "zig"], "recipient": "me@example.org" }""",
            plugins: """{ "web.search": [ { "results": ["a", "b"] } ], "email.send": [ { "sent": true } ] }""",
            llm: """{ "Write three sentences": { "text": "Three sentences.", "input_tokens": 50, "output_tokens": 10 } }""");

        Assert.Equal(0, result.ExitCode);
        var json = result.Json();
        var steps = json.GetProperty("steps");
        Assert.Equal("skipped", steps.GetProperty("review").GetProperty("status").GetString());
        Assert.Equal("skipped", steps.GetProperty("tell_nothing").GetProperty("status").GetString());
        Assert.Equal("succeeded", steps.GetProperty("send_digest").GetProperty("status").GetString());
        Assert.Equal(2, json.GetProperty("outputs").GetProperty("sent_topics").GetInt32());
        Assert.Equal(2, json.GetProperty("usage").GetProperty("llm_calls").GetInt32());
    }

    [Fact]
    public async Task Run_ApprovalThatMustBeGiven_IsSuspendedAndExitsOne()
    {
        var workflow = _temp.Write("approval.json", """
            { "workflow_steps": [ { "id": "ok", "type": "human_approval", "approvers": ["lead@example.org"], "title": "Go?", "message": "Ship it?" } ] }
            """);

        var result = await RunAsync(workflow);

        Assert.Equal(1, result.ExitCode);
        var json = result.Json();
        Assert.Equal("suspended", json.GetProperty("status").GetString());
        Assert.Equal("suspended", json.GetProperty("steps").GetProperty("ok").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Run_SubWorkflowById_FailsForLackOfARegistry()
    {
        var workflow = _temp.Write("child.json", """{ "workflow_steps": [ { "id": "child", "type": "sub_workflow", "workflowId": "other" } ] }""");

        var result = await RunAsync(workflow);

        Assert.Equal(1, result.ExitCode);
        var error = result.Json().GetProperty("steps").GetProperty("child").GetProperty("error").GetString();
        Assert.Contains("no workflow registry is configured", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InvalidWorkflow_IsRejectedWithDiagnosticsOnStandardError()
    {
        var result = await CliRunner.RunAsync("run", CliRunner.Fixture("invalid/cycle-and-missing.json"), "--format", "json");

        Assert.Equal(1, result.ExitCode);
        var json = result.Json();
        Assert.Equal("rejected", json.GetProperty("status").GetString());
        Assert.Contains("cannot be planned", json.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("error ORC103", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TextFormat_ShowsStatusStepsOutputsAndUsage()
    {
        var workflow = _temp.Write("retry.json", """
            { "workflow_steps": [ { "id": "fetch", "type": "action", "plugin": "web", "action": "get",
                "retryPolicy": { "maxRetries": 1, "backoffMs": 1 } } ] }
            """);
        var plugins = _temp.Write("plugins.json", """{ "web.get": [ { "error": "busy", "retryable": true }, { "page": 1 } ] }""");

        var result = await CliRunner.RunAsync("run", workflow, "--plugins", plugins);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal($"Run of '{workflow}': succeeded", lines[0]);
        Assert.Contains("fetch: succeeded (2 attempts)", lines);
        Assert.Contains("output: {\"page\":1}", lines);
        Assert.Contains("Outputs: {\"fetch\":{\"page\":1}}", lines);
        Assert.Contains("Usage: 0 input + 0 output = 0 tokens in 0 LLM calls, 0 credits", lines);
    }

    [Theory]
    [InlineData("plugins", "[1, 2]", "must be an object mapping \"plugin.action\"")]
    [InlineData("plugins", """{ "lookup": ["A"] }""", "a key must be \"plugin.action\"")]
    [InlineData("plugins", """{ "crm.lookup": [] }""", "must be a non-empty list of responses")]
    [InlineData("plugins", """{ "crm.lookup": [ { "error": "x", "retriable": true } ] }""", "'retriable' is not a field of a scripted response")]
    [InlineData("plugins", """{ "crm.lookup": [ { "delay_ms": -5, "data": 1 } ] }""", "'delay_ms' must be a whole number")]
    [InlineData("plugins", """{ "crm.lookup": [ { "error": "x", "data": 1 } ] }""", "either an error or data, not both")]
    [InlineData("llm", """{ "hi": "hello" }""", "must be a reply object")]
    [InlineData("llm", """{ "hi": { "txt": "hello" } }""", "'txt' is not a field of a reply")]
    [InlineData("llm", """{ "hi": { "text": "hello", "input_tokens": 1.5 } }""", "'input_tokens' must be a whole number")]
    [InlineData("inputs", """["Ada"]""", "the inputs must be a JSON object")]
    [InlineData("inputs", """{ "name": """, "is not valid JSON (line 1")]
    public async Task Run_BadScriptFile_IsAUsageErrorNamingTheProblem(string option, string content, string expected)
    {
        var workflow = _temp.Write("three.json", ThreeCalls);
        var file = _temp.Write(option + ".json", content);

        var result = await CliRunner.RunAsync("run", workflow, "--" + option, file);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingScriptFile_IsAUsageError()
    {
        var result = await CliRunner.RunAsync("run", _temp.Write("three.json", ThreeCalls), "--llm", "absent.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: 'absent.json' does not exist.", result.Stderr.Trim());
    }

    [Fact]
    public async Task Run_ConfigFile_IsWhatConfigReferencesRead()
    {
        var workflow = _temp.Write("configured.json", """
            [ { "step_id": "step1", "type": "ai_processing", "prompt": "Write to the tab {{config.sheet_tab_name}} for {{inputs.who}}", "output_variable": "reply" } ]
            """);

        var result = await RunAsync(
            workflow,
            inputs: """{ "who": "ana" }""",
            llm: """{ "Write to the tab Complaints for ana": { "text": "done", "input_tokens": 1, "output_tokens": 1 } }""",
            config: """{ "sheet_tab_name": "Complaints" }""");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("succeeded", result.Json().GetProperty("status").GetString());
    }

    [Fact]
    public async Task Run_ConfigFileThatIsNotAnObject_IsAUsageError()
    {
        var result = await RunAsync(CliRunner.Fixture("email-summary.json"), config: "[1, 2]");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("the configuration must be a JSON object", result.Stderr, StringComparison.Ordinal);
    }

    private async Task<CliResult> RunAsync(string workflow, string? inputs = null, string? plugins = null, string? llm = null, string? config = null)
    {
        var args = new List<string> { "run", workflow, "--format", "json" };
        if (config is not null)
        {
            args.AddRange(["--config", _temp.Write("config.json", config)]);
        }

        if (inputs is not null)
        {
            args.AddRange(["--inputs", _temp.Write("inputs.json", inputs)]);
        }

        if (plugins is not null)
        {
            args.AddRange(["--plugins", _temp.Write("plugins.json", plugins)]);
        }

        if (llm is not null)
        {
            args.AddRange(["--llm", _temp.Write("llm.json", llm)]);
        }

        return await CliRunner.RunAsync([.. args]);
    }
}
