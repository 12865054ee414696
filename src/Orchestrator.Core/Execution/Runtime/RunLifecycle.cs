using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Memory;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Telemetry;
using Orchestrator.Core.Usage;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// What happens around a run's steps: memory injected before, and after it the memory summary, usage, metrics and the
/// closing audit event. Every call into the host's side systems is guarded: a failure is logged, audited and added to
/// the run's warnings, and never changes the run's status.
/// </summary>
internal static class RunLifecycle
{
    /// <summary>The agent a run belongs to: the request's, else the workflow's id or name (so memory still has an owner).</summary>
    public static string AgentOf(RunContext run, ExecutionPlan plan) => run.AgentId ?? WorkflowOf(plan);

    /// <summary>The workflow's id, else its name, else <c>workflow</c>: what events and summaries name it by.</summary>
    public static string WorkflowOf(ExecutionPlan plan) => plan.Definition.Id ?? plan.Definition.Name ?? "workflow";

    public static async ValueTask InjectMemoryAsync(RunContext run, string agentId, CancellationToken cancellationToken)
    {
        var runtime = run.Runtime;
        if (runtime.Host.MemoryStore is not { } store || !runtime.Options.Memory.Enabled)
        {
            return;
        }

        try
        {
            var memory = await BoundAsync(run, MemoryInjector.BuildAsync(store, runtime.Host.TokenEstimator, runtime.Options.Memory, runtime.RunLines, run.UserId, agentId, cancellationToken), cancellationToken).ConfigureAwait(false);
            run.InjectedMemory = memory; // Its {{memory.*}} JSON is made when a step first reads it (RunContext.Memory).
            run.Audit?.Write(
                AuditEventKind.MemoryInjected,
                (memory.Tokens, memory.RunEntries, memory.UserEntries, Budget: runtime.Options.Memory.TokenBudget),
                static memory => $"{memory.RunEntries + memory.UserEntries} memory entries ({memory.Tokens} tokens) were injected.",
                static (writer, memory) =>
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("tokens", memory.Tokens);
                    writer.WriteNumber("run_entries", memory.RunEntries);
                    writer.WriteNumber("user_entries", memory.UserEntries);
                    writer.WriteNumber("budget", memory.Budget);
                    writer.WriteEndObject();
                });
        }
        catch (Exception ex)
        {
            Log.MemoryLoadFailed(runtime.Logger, ex, run.ExecutionId, agentId);
            var warning = $"Memory could not be loaded ({ex.GetType().Name}: {ex.Message}); the run went on without it.";
            run.Warnings.Enqueue(warning);
            run.Audit?.Write(AuditEventKind.MemoryFailed, warning);
        }
    }

    public static async ValueTask SaveMemoryAsync(RunContext run, ExecutionPlan plan, string agentId, WorkflowExecutionResult result, CancellationToken cancellationToken)
    {
        var runtime = run.Runtime;
        var options = runtime.Options.Memory;
        if (runtime.Host.MemoryStore is not { } store || !options.Enabled || !options.SummarizeRuns)
        {
            return;
        }

        var stage = "counting runs";
        try
        {
            var previous = await BoundAsync(run, store.CountRunsAsync(run.UserId, agentId, cancellationToken), cancellationToken).ConfigureAwait(false);
            var facts = new RunFacts
            {
                ExecutionId = run.ExecutionId,
                WorkflowId = WorkflowOf(plan),
                UserId = run.UserId,
                AgentId = agentId,
                RunNumber = previous + 1,
                Status = result.Status,
                Error = result.Error,
                Inputs = runtime.Redactor.Redact(run.Inputs.ValueKind == JsonValueKind.Undefined ? JsonValues.EmptyObject : run.Inputs),
                Output = result.Output,
                Steps = result.Steps,
                ErrorCodes = ErrorCodes(result),
                RecentRuns = run.InjectedMemory?.RecentRuns ?? [],
                FinishedAt = runtime.TimeProvider.GetUtcNow(),
            };

            stage = "summarising";
            // A run stopped by its cost ceiling spends nothing more, not even on its summary.
            var llm = run.Usage.LimitReached || runtime.Llm is Hosting.UnconfiguredLlmClient ? null : runtime.Llm;
            var activity = llm is null ? null : OrchestratorTelemetry.StartChat(options.SummaryModel);
            var summarizing = MemorySummarizer.SummarizeAsync(llm, options, facts, cancellationToken);
            if (!summarizing.IsCompleted)
            {
                run.Audit?.Flush();
            }

            var summary = await summarizing.ConfigureAwait(false);
            if (summary.Response is { } response)
            {
                var model = response.Model ?? options.SummaryModel;
                var (inputTokens, outputTokens) = TokenCounts.Validate(run, "memory summary", response.InputTokens, response.OutputTokens);
                var cost = Handlers.LlmHandler.CostOf(run, model, inputTokens, outputTokens);
                run.Usage.Add(inputTokens, outputTokens, cost);
                OrchestratorTelemetry.ChatFinished(activity, options.SummaryModel, response.Model, inputTokens, outputTokens, summary.LlmProblem is null ? null : "LLM_INVALID_OUTPUT");
                OrchestratorTelemetry.RecordCost(cost, options.SummaryModel);
            }
            else if (activity is not null)
            {
                OrchestratorTelemetry.ChatFinished(activity, options.SummaryModel, null, 0, 0, "LLM_EXCEPTION");
            }

            if (summary.LlmProblem is { } problem)
            {
                var warning = $"The run could not be summarised by the LLM ({problem}); a plain summary was saved instead.";
                Log.MemorySaveFailed(runtime.Logger, null, run.ExecutionId, agentId, "summarising");
                run.Warnings.Enqueue(warning);
                run.Audit?.Write(AuditEventKind.MemoryFailed, warning);
            }

            stage = "saving";
            var number = await BoundAsync(run, store.SaveRunAsync(summary.Memory, cancellationToken), cancellationToken).ConfigureAwait(false);
            run.Audit?.Write(
                AuditEventKind.MemorySaved,
                (number, summary.Memory.Importance, summary.Memory.Sentiment, AgentId: agentId),
                static state => $"The run was saved to memory as run {state.number} of agent '{state.AgentId}'.",
                static (writer, state) =>
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("run_number", state.number);
                    writer.WriteNumber("importance", state.Importance);
                    writer.WriteString("sentiment", state.Sentiment);
                    writer.WriteEndObject();
                });
        }
        catch (Exception ex)
        {
            Log.MemorySaveFailed(runtime.Logger, ex, run.ExecutionId, agentId, stage);
            var warning = $"The run's memory could not be saved ({stage}: {ex.GetType().Name}: {ex.Message}).";
            run.Warnings.Enqueue(warning);
            run.Audit?.Write(AuditEventKind.MemoryFailed, warning);
        }
    }

    /// <summary>The run's usage with its cost, credits and memory; a credit rule that throws falls back to the default, with a warning.</summary>
    public static ExecutionUsage Usage(RunContext run, List<string> warnings)
    {
        var usage = new ExecutionUsage(run.Usage.InputTokens, run.Usage.OutputTokens, run.Usage.Calls)
        {
            Cost = run.Usage.Cost,
            MemoryTokens = run.InjectedMemory?.Tokens ?? 0,
            MemoryEntries = run.InjectedMemory?.Entries ?? 0,
        };

        long credits;
        try
        {
            credits = Math.Max(0, run.Runtime.Host.CreditCalculator.CalculateCredits(usage));
        }
        catch (Exception ex)
        {
            warnings.Add($"The credit rule threw {ex.GetType().Name}: {ex.Message}; credits were counted by the default rule (one per started 1,000 tokens).");
            credits = TokenCreditCalculator.Instance.CalculateCredits(usage);
        }

        return usage with { Credits = credits };
    }

    public static async ValueTask RecordMetricsAsync(RunContext run, ExecutionPlan plan, string agentId, WorkflowExecutionResult result)
    {
        var runtime = run.Runtime;
        if (runtime.Host.MetricsSink is not { } sink)
        {
            return;
        }

        var counters = run.Counters;
        var metrics = new ExecutionMetrics
        {
            ExecutionId = run.ExecutionId,
            WorkflowId = WorkflowOf(plan),
            AgentId = agentId,
            UserId = run.UserId,
            Status = result.Status,
            Success = result.Status is ExecutionStatus.Succeeded or ExecutionStatus.PartiallySucceeded,
            InputTokens = result.Usage.InputTokens,
            OutputTokens = result.Usage.OutputTokens,
            TotalTokens = result.Usage.TotalTokens,
            Cost = result.Usage.Cost,
            Credits = result.Usage.Credits,
            Duration = result.Duration,
            Iterations = counters.StepExecutions,
            RetryCount = counters.Retries,
            PluginsUsed = counters.PluginsUsed,
            ToolCallCount = counters.ToolCalls,
            WorkflowSteps = plan.Steps.Count,
            ConditionalBranchesTaken = counters.BranchesTaken,
            LoopIterations = counters.LoopIterations,
            ParallelExecutions = counters.ParallelExecutions,
            LlmCalls = result.Usage.LlmCalls,
            MemoryTokens = result.Usage.MemoryTokens,
            MemoryEntries = result.Usage.MemoryEntries,
        };

        try
        {
            // Bounded like the audit flush: a sink that hangs does not hold the run's result back.
            var recording = sink.RecordAsync(metrics);
            if (!recording.IsCompleted)
            {
                run.Audit?.Flush();
                await recording.AsTask().WaitAsync(runtime.Options.Audit.FlushTimeout, runtime.TimeProvider).ConfigureAwait(false);
            }
            else
            {
                await recording.ConfigureAwait(false); // Completed: observes a synchronous failure without a task or a timer.
            }
        }
        catch (Exception ex)
        {
            Log.MetricsSinkFailed(runtime.Logger, ex, run.ExecutionId);
            var warning = ex is TimeoutException
                ? "The metrics sink did not record the run's summary in time."
                : $"The metrics sink failed to record the run's summary ({ex.GetType().Name}: {ex.Message}).";
            run.Warnings.Enqueue(warning);
            run.Audit?.Write(AuditEventKind.MetricsFailed, warning);
        }
    }

    public static void AuditFinished(RunContext run, ExecutionPlan plan, WorkflowExecutionResult result)
    {
        if (run.Audit is not { } audit)
        {
            return;
        }

        var (kind, severity) = result.Status switch
        {
            ExecutionStatus.Succeeded => (AuditEventKind.ExecutionCompleted, AuditSeverity.Info),
            ExecutionStatus.PartiallySucceeded => (AuditEventKind.ExecutionCompleted, AuditSeverity.Warning),
            ExecutionStatus.Suspended => (AuditEventKind.ExecutionSuspended, AuditSeverity.Info),
            ExecutionStatus.Cancelled => (AuditEventKind.ExecutionCancelled, AuditSeverity.Warning),
            _ => (AuditEventKind.ExecutionFailed, AuditSeverity.Critical),
        };

        // Only the figures are kept (not the result, which a sink that keeps events would keep alive), and the warnings
        // counted now: the run's result gains more (the audit trail's own) after this event. The message is made from
        // them when the event is first read, as its details are.
        var usage = result.Usage;
        var facts = new FinishedFacts(
            plan.Definition.Id, result.Status, result.ErrorCode, result.Error, result.Duration, usage.InputTokens, usage.OutputTokens, usage.Cost, usage.Credits, result.Warnings.Count, result.PendingApprovals.Count);
        audit.Write(kind, facts, static facts => facts.Message, static (writer, facts) => facts.WriteDetails(writer), severity);
    }

    /// <summary>What the closing audit event says about a finished run.</summary>
    private readonly record struct FinishedFacts(
        string? Workflow,
        ExecutionStatus Status,
        string? ErrorCode,
        string? Error,
        TimeSpan Duration,
        long InputTokens,
        long OutputTokens,
        decimal Cost,
        long Credits,
        int Warnings,
        int PendingApprovals)
    {
        public string Message => Status switch
        {
            ExecutionStatus.Succeeded => $"Run of workflow '{Workflow}' succeeded.",
            ExecutionStatus.PartiallySucceeded => $"Run of workflow '{Workflow}' partially succeeded: some steps failed without stopping it.",
            ExecutionStatus.Suspended => $"Run of workflow '{Workflow}' waits for {PendingApprovals} approval(s).",
            ExecutionStatus.Cancelled => $"Run of workflow '{Workflow}' was cancelled.",
            _ => $"Run of workflow '{Workflow}' failed ({ErrorCode}): {Error}",
        };

        public void WriteDetails(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteString("status", MemorySummarizer.Wire(Status));
            if (ErrorCode is not null)
            {
                writer.WriteString("error_code", ErrorCode);
            }

            writer.WriteNumber("duration_ms", Math.Round(Duration.TotalMilliseconds, 3));
            writer.WriteNumber("input_tokens", InputTokens);
            writer.WriteNumber("output_tokens", OutputTokens);
            writer.WriteNumber("cost", Cost);
            writer.WriteNumber("credits", Credits);
            writer.WriteNumber("warnings", Warnings);
            writer.WriteEndObject();
        }
    }

    /// <summary>
    /// A call into a side system bounded by <see cref="WorkflowOrchestratorOptions.SideCallTimeout"/>; when it did not
    /// complete at once the run pauses, so the audit trail hands on what it captured.
    /// </summary>
    private static ValueTask<T> BoundAsync<T>(RunContext run, ValueTask<T> call, CancellationToken cancellationToken)
    {
        if (call.IsCompleted)
        {
            return call;
        }

        run.Audit?.Flush();
        var runtime = run.Runtime;
        return SideCalls.BoundAsync(call, runtime.Options.SideCallTimeout, runtime.TimeProvider, cancellationToken);
    }

    /// <summary>The codes the run failed with, each once; made only for a run that has one (most have none).</summary>
    private static IReadOnlyList<string> ErrorCodes(WorkflowExecutionResult result)
    {
        List<string>? codes = null;
        foreach (var step in result.Steps.Values)
        {
            if (step.Status == StepStatus.Failed && step.ErrorCode is { } code && !(codes?.Contains(code) ?? false))
            {
                (codes ??= []).Add(code);
            }
        }

        if (result.ErrorCode is { } runCode && !(codes?.Contains(runCode) ?? false))
        {
            (codes ??= []).Add(runCode);
        }

        return codes is null ? Array.Empty<string>() : codes;
    }
}
