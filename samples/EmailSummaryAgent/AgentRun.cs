using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Ports;

/// <summary>
/// Runs the email agent through the host's orchestrator, showing progress as steps start and finish, then a report:
/// status, each step with its duration and outcome, tokens, cost, credits, the memory injected and the memory saved.
/// </summary>
internal static class AgentRun
{
    public const string UserId = "sample-user";

    public static async Task<WorkflowExecutionResult> RunAsync(IServiceProvider services, WorkflowDefinition definition, int runNumber, TextWriter output)
    {
        // Planned against the host's catalog: the sample's own, or the tools the MCP servers offer.
        var planning = services.GetRequiredService<WorkflowPlanner>().Plan(definition);
        if (planning.Plan is not { } plan)
        {
            output.WriteLine($"== run {runNumber}: the workflow does not fit the configured plugins ==");
            foreach (var diagnostic in planning.Diagnostics)
            {
                output.WriteLine($"  {diagnostic}");
            }

            throw new InvalidOperationException("The email agent cannot be planned against the configured plugins.");
        }

        var orchestrator = services.GetRequiredService<IWorkflowOrchestrator>();
        var agentId = plan.Definition.Id!;
        var request = new WorkflowExecutionRequest
        {
            AgentId = agentId,
            UserId = UserId,
            Inputs = JsonDocument.Parse("""{ "channel": "#inbox" }""").RootElement,
        };

        output.WriteLine($"== run {runNumber}: {plan.Definition.Name} ==");
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

        await WriteReportAsync(services, result, agentId, output).ConfigureAwait(false);
        return result;
    }

    private static async Task WriteReportAsync(IServiceProvider services, WorkflowExecutionResult result, string agentId, TextWriter output)
    {
        var usage = result.Usage;
        output.WriteLine();
        output.WriteLine($"status:      {result.Status}");
        foreach (var step in result.Steps.Values)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {step.StepId,-8} {step.Status,-10} {step.ExecutionTime.TotalMilliseconds,8:F1} ms  attempts {step.Attempts}  tokens {step.TokensUsed}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tokens:      {usage.InputTokens} in, {usage.OutputTokens} out, {usage.TotalTokens} total, {usage.LlmCalls} LLM calls (the memory summary included)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cost:        ${usage.Cost:0.000000} ({usage.Credits} credit{(usage.Credits == 1 ? "" : "s")})"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"duration:    {result.Duration.TotalMilliseconds:F1} ms"));
        output.WriteLine($"output:      {result.Output.GetRawText()}");
        var sent = services.GetRequiredService<IPluginExecutor>() is SamplePlugins offline ? offline.TakeSent() : [];
        foreach (var message in sent)
        {
            output.WriteLine($"sent:        {message.Replace("\n", " / ", StringComparison.Ordinal)}");
        }

        var remembered = (services.GetRequiredService<ILlmClient>() as SampleLlm)?.LastRemembered;
        var budget = services.GetRequiredService<IOptionsMonitor<WorkflowOrchestratorOptions>>().CurrentValue.Memory.TokenBudget;
        output.WriteLine(usage.MemoryEntries == 0
            ? "memory in:   nothing yet (the first run of this agent for this user)"
            : $"memory in:   {usage.MemoryEntries} entr{(usage.MemoryEntries == 1 ? "y" : "ies")}, {usage.MemoryTokens} tokens of the {budget}-token budget; the LLM was told:");
        if (usage.MemoryEntries > 0 && remembered is not null)
        {
            foreach (var line in remembered.Split('\n'))
            {
                output.WriteLine($"               {line}");
            }
        }

        var saved = await services.GetRequiredService<IMemoryStore>().GetRecentRunsAsync(UserId, agentId, 1).ConfigureAwait(false);
        if (saved.Count == 1 && saved[0].ExecutionId == result.ExecutionId)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory out:  run {saved[0].RunNumber} saved (importance {saved[0].Importance:0.00}, {saved[0].Sentiment}): {saved[0].Summary}"));
        }

        var audit = services.GetServices<IAuditSink>().OfType<InMemoryAuditSink>().SelectMany(s => s.EventsOf(result.ExecutionId)).ToList();
        var bySeverity = string.Join(", ", audit.GroupBy(e => e.Severity.Name).Select(g => $"{g.Count()} {g.Key}"));
        output.WriteLine($"audit:       {audit.Count} events ({bySeverity}): {string.Join(" ", audit.Select(e => e.Kind.Name.Replace("ORCHESTRATOR_", "", StringComparison.Ordinal)))}");
        foreach (var warning in result.Warnings)
        {
            output.WriteLine($"warning:     {warning}");
        }

        output.WriteLine();
    }
}
