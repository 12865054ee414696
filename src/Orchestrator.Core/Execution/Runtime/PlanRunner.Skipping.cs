using Orchestrator.Core.Execution.Operations;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// The part of <see cref="PlanRunner"/> that finishes a ready step without running it: already final on resume, on a
/// branch that was not taken, or with a false <c>executeIf</c>.
/// </summary>
internal sealed partial class PlanRunner
{
    /// <summary>Handles steps that are already final (resume), or skipped by a branch or by <c>executeIf</c>.</summary>
    private bool TryFinishWithoutRunning(int v)
    {
        var planned = _scope.Plan.Steps[v];
        var record = _scope.Records[v];
        if (record is { IsFinal: true })
        {
            ReleaseDependents(v, record);
            if (record.Status == StepStatus.Succeeded && record.Step.RollbackAction is not null && !record.CacheHit)
            {
                Run.RecordCompensation(record, _scope);
            }

            return true;
        }

        record = _scope.Records[v] = new StepRecord(planned.Step, _scope.Usage);
        string? skipReason = null;
        var branchSkip = false;
        if (planned.BranchOwner is { } owner)
        {
            var ownerRecord = _scope.Records[owner.Index]!;
            if ((ownerRecord.Status != StepStatus.Succeeded || !Contains(ownerRecord.ChosenTargets, planned.Id)) && !SelectedByAnotherOwner(v, owner.Index))
            {
                skipReason = ownerRecord.Status == StepStatus.Succeeded
                    ? $"The branch of '{owner.Id}' that includes this step was not taken."
                    : $"'{owner.Id}', whose branch this step is on, did not succeed.";
                branchSkip = true;
            }
        }
        else if (planned.Dependencies.Count > 0 && AllDependenciesBranchSkipped(planned))
        {
            skipReason = "Every step it depends on is on a branch that was not taken.";
            branchSkip = true;
        }

        if (skipReason is null && planned.Step.ExecuteIf is { } condition && !ConditionEvaluator.Evaluate(condition, _scope))
        {
            skipReason = "Its executeIf condition is false.";
        }

        if (skipReason is null)
        {
            return false;
        }

        record.ExecutedAt = Run.Now;
        record.Skip(skipReason, branchSkip);
        Run.Checkpoints?.StepFinished(_scope, record);
        if (Run.Events is not null)
        {
            Run.Emit(new StepFinishedEvent(Run.ExecutionId, record.ExecutedAt, _scope.IterationKey, record.ToResult()));
        }

        Run.Audit?.StepFinished(record, Run.AuditStepPrefix, _scope.IterationKey, default, record.ExecutedAt);
        ReleaseDependents(v, record);
        return true;
    }

    /// <summary>Whether a branching step other than the first owner selected step <paramref name="v"/> (a step may be the target of several).</summary>
    private bool SelectedByAnotherOwner(int v, int firstOwner)
    {
        var plan = _scope.Plan;
        var offsets = plan.PredecessorOffsets;
        for (var slot = offsets[v]; slot < offsets[v + 1]; slot++)
        {
            var owner = plan.PredecessorAt(slot);
            if (owner != firstOwner && plan.EdgeKind(slot) == Planning.PlanEdgeKind.Branch
                && _scope.Records[owner] is { Status: StepStatus.Succeeded } record
                && Contains(record.ChosenTargets, _scope.Plan.Steps[v].Id))
            {
                return true;
            }
        }

        return false;
    }

    private bool AllDependenciesBranchSkipped(Planning.PlannedStep planned)
    {
        foreach (var dependency in planned.Dependencies.Indexes)
        {
            if (_scope.Records[dependency] is not { BranchSkipped: true })
            {
                return false;
            }
        }

        return true;
    }

    private static bool Contains(EquatableArray<string> ids, string id)
    {
        foreach (var candidate in ids)
        {
            if (string.Equals(candidate, id, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
