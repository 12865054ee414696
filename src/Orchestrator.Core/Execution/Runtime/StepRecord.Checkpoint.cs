using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>A step record's checkpoint form, and a record rebuilt from it when a run is resumed.</summary>
internal sealed partial class StepRecord
{
    /// <summary>The record of this finished (or suspended) step, as appended to the run's checkpoint.</summary>
    public StepCheckpoint ToCheckpoint(ApprovalCheckpoint? approval) => new()
    {
        StepId = Step.Id,
        Status = Status,
        Data = Data.ValueKind == JsonValueKind.Undefined ? JsonValues.Null : Data,
        Error = Error,
        ErrorCode = ErrorCode,
        SkipReason = SkipReason,
        BranchSkipped = BranchSkipped,
        ChosenTargets = ChosenTargets.IsEmpty ? null : [.. ChosenTargets],
        Attempts = Attempts,
        ExecutedAt = ExecutedAt,
        ExecutionTime = ExecutionTime,
        ItemCount = ItemCount,
        CacheHit = CacheHit,
        UsedFallback = UsedFallback,
        Model = Model,
        InputTokens = _usage?.InputTokens ?? 0,
        OutputTokens = _usage?.OutputTokens ?? 0,
        Cost = _usage?.Cost ?? 0m,
        LlmCalls = _usage?.Calls ?? 0,
        Approval = approval,
    };

    /// <summary>
    /// A finished step's record rebuilt from its checkpoint: its output is reused and its usage counted again in the
    /// run's totals, so a resumed run reports the same usage as one that never stopped.
    /// </summary>
    public static StepRecord FromCheckpoint(WorkflowStep step, UsageCounter parentUsage, StepCheckpoint checkpoint)
    {
        var record = new StepRecord(step, parentUsage)
        {
            Status = checkpoint.Status,
            Data = checkpoint.Data.ValueKind == JsonValueKind.Undefined ? JsonValues.Null : checkpoint.Data,
            Error = checkpoint.Error,
            ErrorCode = checkpoint.ErrorCode,
            SkipReason = checkpoint.SkipReason,
            BranchSkipped = checkpoint.BranchSkipped,
            ChosenTargets = checkpoint.ChosenTargets is null ? default : new EquatableArray<string>(checkpoint.ChosenTargets),
            Attempts = checkpoint.Attempts,
            ExecutedAt = checkpoint.ExecutedAt,
            ExecutionTime = checkpoint.ExecutionTime,
            ItemCount = checkpoint.ItemCount,
            CacheHit = checkpoint.CacheHit,
            UsedFallback = checkpoint.UsedFallback,
            Model = checkpoint.Model,
        };

        if (checkpoint.InputTokens != 0 || checkpoint.OutputTokens != 0 || checkpoint.LlmCalls != 0 || checkpoint.Cost != 0)
        {
            record.Usage.Restore(checkpoint.InputTokens, checkpoint.OutputTokens, checkpoint.LlmCalls, checkpoint.Cost);
        }

        return record;
    }
}
