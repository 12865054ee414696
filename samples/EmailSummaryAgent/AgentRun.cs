using System.Globalization;
using System.Text.Json;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Planning;

/// <summary>Runs the email agent with the offline stand-ins, showing progress as steps start and finish, then a report.</summary>
internal static class AgentRun
{
    public static async Task<WorkflowExecutionResult> RunAsync(ExecutionPlan plan, TextWriter output)
    {
        var plugins = new SamplePlugins();
        var orchestrator = new WorkflowOrchestrator(plugins, new SampleLlm());
        var request = new WorkflowExecutionRequest
        {
            AgentId = plan.Definition.Id,
            UserId = "sample-user",
            Inputs = JsonDocument.Parse("""{ "channel": "#inbox" }""").RootElement,
        };

        output.WriteLine($"== running: {plan.Definition.Name} ==");
        WorkflowExecutionResult? result = null;
        await foreach (var @event in orchestrator.ExecuteStreamingAsync(plan, request).ConfigureAwait(false))
        {
            switch (@event)
            {
                case StepStartedEvent started:
                    output.WriteLine($"  > {started.StepId} started");
                    break;
                case StepFinishedEvent finished:
                    var step = finished.Result;
                    var detail = step.Status switch
                    {
                        StepStatus.Skipped => step.SkipReason,
                        StepStatus.Failed => step.Error,
                        _ => step.TokensUsed > 0 ? $"{step.TokensUsed} tokens" : null,
                    };
                    output.WriteLine($"  < {step.StepId} {step.Status.ToString().ToLowerInvariant()}{(detail is null ? "" : " (" + detail + ")")}");
                    break;
                case ExecutionFinishedEvent done:
                    result = done.Result;
                    break;
            }
        }

        if (result is null)
        {
            throw new InvalidOperationException("The run ended without a result.");
        }
        output.WriteLine();
        output.WriteLine($"status:      {result.Status}");
        foreach (var step in result.Steps.Values)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {step.StepId,-8} {step.Status,-10} {step.ExecutionTime.TotalMilliseconds,8:F1} ms  attempts {step.Attempts}  tokens {step.TokensUsed}"));
        }

        output.WriteLine($"tokens:      {result.Usage.InputTokens} in, {result.Usage.OutputTokens} out, {result.Usage.TotalTokens} total, {result.Usage.LlmCalls} LLM calls");
        output.WriteLine($"output:      {result.Output.GetRawText()}");
        foreach (var message in plugins.Sent)
        {
            output.WriteLine($"sent:        {message.Replace("\n", " / ", StringComparison.Ordinal)}");
        }

        return result;
    }
}
