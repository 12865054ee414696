namespace Orchestrator.Core.Durability;

/// <summary>A step both definitions have, by id, whose definition changed.</summary>
/// <param name="StepId">The step's id.</param>
/// <param name="OldType">Its <c>type</c> in the old definition.</param>
/// <param name="NewType">Its <c>type</c> in the new one.</param>
/// <param name="Fields">The JSON fields that differ (added, removed or changed), in the order the new step writes them.</param>
public sealed record StepChange(string StepId, string OldType, string NewType, IReadOnlyList<string> Fields);
