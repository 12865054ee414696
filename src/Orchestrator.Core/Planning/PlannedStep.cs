using Orchestrator.Core.Model;

namespace Orchestrator.Core.Planning;

/// <summary>A step in an <see cref="ExecutionPlan"/>, with what it waits for and what waits for it.</summary>
public sealed class PlannedStep
{
    private readonly ExecutionPlan _plan;

    internal PlannedStep(ExecutionPlan plan, int index, WorkflowStep step)
    {
        _plan = plan;
        Index = index;
        Step = step;
    }

    /// <summary>The step's position in <see cref="ExecutionPlan.Steps"/> (document order).</summary>
    public int Index { get; }

    /// <summary>The step's id.</summary>
    public string Id => Step.Id;

    /// <summary>The step as defined.</summary>
    public WorkflowStep Step { get; }

    /// <summary>The JSON path of the step in its document, such as <c>$.workflow_steps[2]</c>.</summary>
    public string JsonPath => _plan.ListPath + "[" + Index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";

    /// <summary>The parallel level: 0 for steps that wait for nothing, otherwise one more than the highest level they wait for.</summary>
    public int Level => _plan.LevelOf(Index);

    /// <summary>The steps that must finish before this one starts (declared, referenced and branch owners).</summary>
    public PlannedStepList Dependencies => _plan.PredecessorsOf(Index);

    /// <summary>The steps that wait for this one.</summary>
    public PlannedStepList Dependents => _plan.SuccessorsOf(Index);

    /// <summary>The conditional or switch whose branch this step belongs to; <see langword="null"/> when it runs on its own.</summary>
    public PlannedStep? BranchOwner => _plan.BranchOwnerOf(Index);

    /// <summary>The plan of the step's inline steps (loop body, parallel group, scatter steps, inline sub-workflow); <see langword="null"/> for other steps.</summary>
    public ExecutionPlan? Body { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => Id;
}
