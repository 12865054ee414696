using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// A step's result as it is being made, and as references read it (<see cref="IStepValue"/>). Written by the one
/// task running the step, then published to the coordinator, which reads it only after the step has finished.
/// </summary>
internal sealed partial class StepRecord : IStepValue
{
    private JsonElement _metadata;

    private readonly UsageCounter _parentUsage;
    private UsageCounter? _usage;

    public StepRecord(WorkflowStep step, UsageCounter parentUsage)
    {
        Step = step;
        _parentUsage = parentUsage;
    }

    public WorkflowStep Step { get; }

    /// <summary>The step's usage when it has any, without creating it.</summary>
    public UsageCounter? UsageIfAny => Volatile.Read(ref _usage);

    /// <summary>The step's usage, created when first needed (most steps never call an LLM).</summary>
    public UsageCounter Usage => _usage ?? CreateUsage();

    public StepStatus Status { get; private set; } = StepStatus.Pending;

    public bool IsFinal => Status is not (StepStatus.Pending or StepStatus.Suspended);

    /// <summary>Whether the step was skipped because its branch was not taken (so work that depends only on it is skipped too).</summary>
    public bool BranchSkipped { get; private set; }

    /// <summary>For conditionals and switches: the ids of the branch targets chosen.</summary>
    public EquatableArray<string> ChosenTargets { get; set; }

    public JsonElement Data { get; private set; }

    public string? Error { get; private set; }

    public string? ErrorCode { get; private set; }

    public string? SkipReason { get; private set; }

    public int Attempts { get; set; }

    public DateTimeOffset ExecutedAt { get; set; }

    public TimeSpan ExecutionTime { get; set; }

    public int? ItemCount { get; private set; }

    public bool CacheHit { get; private set; }

    public bool UsedFallback { get; private set; }

    public string? Model { get; set; }

    /// <summary>Whether the run may go on although this step failed (continueOnError or fallback).</summary>
    /// <remarks>Never for a step stopped by the run's cost ceiling: the ceiling stops the run, whatever the step allows.</remarks>
    public bool FailureTolerated => (Step.ContinueOnError || Step.Fallback is not null) && ErrorCode != WorkflowOrchestratorOptions.CostLimitErrorCode;

    public void Complete(in StepOutcome outcome)
    {
        _metadata = default;
        switch (outcome.Kind)
        {
            case StepOutcomeKind.Succeeded:
                Status = StepStatus.Succeeded;
                Data = outcome.Data.ValueKind == JsonValueKind.Undefined ? JsonValues.Null : outcome.Data;
                ItemCount = outcome.ItemCount ?? (Data.ValueKind == JsonValueKind.Array ? Data.GetArrayLength() : null);
                CacheHit = outcome.CacheHit;
                break;
            case StepOutcomeKind.Skipped:
                Skip(outcome.Error ?? "skipped", branch: false);
                break;
            case StepOutcomeKind.Suspended:
                Status = StepStatus.Suspended;
                Data = JsonValues.Null;
                break;
            default:
                Status = StepStatus.Failed;
                Error = outcome.Error ?? "The step failed.";
                ErrorCode = outcome.ErrorCode;

                // A failure may carry data that explains it (a validation report, a rejected approval's decisions).
                Data = outcome.Data.ValueKind == JsonValueKind.Undefined ? JsonValues.Null : outcome.Data;
                break;
        }
    }

    public void UseFallback(JsonElement data)
    {
        Data = data;
        UsedFallback = true;
        _metadata = default;
    }

    public void Skip(string reason, bool branch)
    {
        Status = StepStatus.Skipped;
        SkipReason = reason;
        BranchSkipped = branch;
        Data = JsonValues.Null;
        _metadata = default;
    }

    public void Cancel(string reason)
    {
        Status = StepStatus.Cancelled;
        SkipReason = reason;
        Data = JsonValues.Null;
        _metadata = default;
    }

    public JsonElement GetField(string name) => name switch
    {
        "metadata" => _metadata.ValueKind == JsonValueKind.Undefined ? _metadata = BuildMetadata() : _metadata,
        "stepId" => JsonValues.FromString(Step.Id),
        "plugin" when Step is ActionStep action => JsonValues.FromString(action.Plugin),
        "action" when Step is ActionStep action => JsonValues.FromString(action.Action),
        "success" => JsonValues.FromBoolean(Status == StepStatus.Succeeded),
        "error" => Error is null ? JsonValues.Null : JsonValues.FromString(Error),
        _ => default,
    };

    private UsageCounter CreateUsage()
    {
        var usage = new UsageCounter(_parentUsage);
        return Interlocked.CompareExchange(ref _usage, usage, null) ?? usage;
    }

    public StepResult ToResult() => new()
    {
        StepId = Step.Id,
        Status = Status,
        Data = Data.ValueKind == JsonValueKind.Undefined ? JsonValues.Null : Data,
        Plugin = (Step as ActionStep)?.Plugin,
        Action = (Step as ActionStep)?.Action,
        ExecutedAt = ExecutedAt,
        ExecutionTime = ExecutionTime,
        ItemCount = ItemCount,
        InputTokens = _usage?.InputTokens ?? 0,
        OutputTokens = _usage?.OutputTokens ?? 0,
        Cost = _usage?.Cost ?? 0m,
        Model = Model,
        Error = Error,
        ErrorCode = ErrorCode,
        CacheHit = CacheHit,
        Attempts = Attempts,
        SkipReason = SkipReason,
        UsedFallback = UsedFallback,
    };

    private JsonElement BuildMetadata() => JsonValues.Write(
        static (writer, record) =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("success", record.Status == StepStatus.Succeeded);
            writer.WriteString("status", record.Status.ToString().ToLowerInvariant());
            writer.WriteString("executedAt", record.ExecutedAt);
            writer.WriteNumber("executionTime", record.ExecutionTime.TotalMilliseconds);
            if (record.ItemCount is { } count)
            {
                writer.WriteNumber("itemCount", count);
            }

            writer.WriteNumber("tokensUsed", record._usage is { } usage ? usage.InputTokens + usage.OutputTokens : 0);
            if (record.Error is not null)
            {
                writer.WriteString("error", record.Error);
            }

            if (record.ErrorCode is not null)
            {
                writer.WriteString("errorCode", record.ErrorCode);
            }

            writer.WriteBoolean("cacheHit", record.CacheHit);
            writer.WriteNumber("attempts", record.Attempts);
            if (record.SkipReason is not null)
            {
                writer.WriteString("skipReason", record.SkipReason);
            }

            writer.WriteEndObject();
        },
        this);
}
