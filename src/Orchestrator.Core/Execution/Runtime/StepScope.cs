using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Planning;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// The values one step list sees while it runs: its own steps' records, its loop or scatter variables, and through
/// the parent the enclosing lists, up to the run's inputs, variables and memory.
/// </summary>
internal sealed class StepScope : ValueScope
{
    public StepScope(RunContext run, ExecutionPlan plan, StepScope? parent, string iterationKey)
    {
        Run = run;
        Plan = plan;
        Parent = parent;
        IterationKey = iterationKey;
        Records = new StepRecord?[plan.Steps.Count];
    }

    public RunContext Run { get; }

    /// <summary>
    /// Whether names stop here: a sub-workflow that does not inherit its parent's context still has the parent as
    /// <see cref="Parent"/> (so its completed steps can be compensated with the parent's), but cannot read its steps.
    /// </summary>
    public bool Isolated { get; init; }

    public ExecutionPlan Plan { get; }

    public StepScope? Parent { get; }

    /// <summary>The iteration path of this list (empty at the top level, <c>each[2]/</c> in a loop's third iteration).</summary>
    public string IterationKey { get; }

    public StepRecord?[] Records { get; }

    /// <summary>The name the current item is read by (<c>current</c> in loops, the item variable in scatters), if any.</summary>
    public string? ItemName { get; init; }

    public JsonElement Item { get; init; }

    public int Index { get; init; } = -1;

    /// <summary>The usage counter of the step that owns this list (the run's for the top level).</summary>
    public required UsageCounter Usage { get; init; }

    /// <inheritdoc />
    public override TimeProvider Time => Run.Runtime.TimeProvider;

    public override bool TryResolveRoot(string name, out JsonElement value, out IStepValue? step)
    {
        for (var scope = this; scope is not null; scope = scope.Isolated ? null : scope.Parent)
        {
            if (scope.ItemName is not null)
            {
                if (name == scope.ItemName || (name is "current" or "item" && scope.ItemName is "current"))
                {
                    value = scope.Item;
                    step = null;
                    return true;
                }

                if (name == "index")
                {
                    value = JsonValues.FromNumber(scope.Index);
                    step = null;
                    return true;
                }
            }

            if (scope.Plan.TryGetStep(name, out var planned))
            {
                var record = scope.Records[planned.Index];
                step = record;
                value = default;
                if (record is null)
                {
                    // Not run (yet): reads as null, like a skipped step.
                    value = JsonValues.Null;
                    step = null;
                }

                return true;
            }

            if (scope.Plan.TryGetOutputVariable(name, out var producer))
            {
                if (scope.Plan.WritersOf(name) is { } writers)
                {
                    // A rebound name: the last writer that has run. The planner orders every reader after the writer
                    // it reads and every rebinding after the readers of the earlier binding, so that is the nearest one.
                    for (var w = writers.Count - 1; w >= 0; w--)
                    {
                        if (scope.Records[writers[w]] is { IsFinal: true, Status: not StepStatus.Skipped })
                        {
                            producer = writers[w];
                            break;
                        }
                    }
                }

                // An output variable names the step's data (of this iteration, inside a loop or scatter body).
                var data = scope.Records[producer]?.Data ?? default;
                value = data.ValueKind == JsonValueKind.Undefined ? JsonValues.Null : data;
                step = null;
                return true;
            }

            if (scope.Parent is { } parent && !ReferenceEquals(parent.Run, scope.Run) && TryReadInput(scope.Run, name, out value))
            {
                step = null;
                return true; // A sub-workflow's steps read its inputs by bare name, before the parent's names.
            }
        }

        step = null;
        switch (name)
        {
            case "input":
                value = Run.Inputs;
                return true;
            case "config":
                value = Run.Config;
                return true;
            case "var":
                value = Run.Variables;
                return true;
            case "memory":
                value = Run.Memory;
                return true;
            default:
                value = default;
                return false;
        }
    }

    private static bool TryReadInput(RunContext run, string name, out JsonElement value)
    {
        if (run.Inputs.ValueKind == JsonValueKind.Object && run.Inputs.TryGetProperty(name, out value))
        {
            return true;
        }

        value = default;
        return false;
    }
}
