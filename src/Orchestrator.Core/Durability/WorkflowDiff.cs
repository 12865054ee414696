using System.Text.Json;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Durability;

/// <summary>
/// Compares two definitions step by step and says whether a run checkpointed on the old one can resume on the new one,
/// by the rule <see cref="ResumeOptions.AllowDefinitionChange"/> applies, so a changed agent can ship without
/// stranding suspended runs.
/// </summary>
public static class WorkflowDiff
{
    /// <summary>Compares two definitions.</summary>
    /// <param name="oldDefinition">The definition runs were checkpointed on.</param>
    /// <param name="newDefinition">The definition to ship.</param>
    /// <param name="planner">Plans the new definition (with the host's catalog, when given); a planner without a catalog when null.</param>
    /// <returns>The added, removed and changed steps, and the resume verdict.</returns>
    public static WorkflowDiffResult Compare(WorkflowDefinition oldDefinition, WorkflowDefinition newDefinition, WorkflowPlanner? planner = null)
    {
        ArgumentNullException.ThrowIfNull(oldDefinition);
        ArgumentNullException.ThrowIfNull(newDefinition);
        var oldJson = WorkflowJson.Serialize(oldDefinition);
        var newJson = WorkflowJson.Serialize(newDefinition);
        var oldHash = DefinitionHash.Compute(oldJson);
        var newHash = DefinitionHash.Compute(newJson);
        using var oldDocument = JsonDocument.Parse(oldJson);
        using var newDocument = JsonDocument.Parse(newJson);
        var oldSteps = StepsById(oldDocument.RootElement);
        var newSteps = StepsById(newDocument.RootElement);

        var added = newSteps.Keys.Where(id => !oldSteps.ContainsKey(id)).ToList();
        var removed = oldSteps.Keys.Where(id => !newSteps.ContainsKey(id)).ToList();
        var changed = new List<StepChange>();
        foreach (var (id, newStep) in newSteps)
        {
            if (oldSteps.TryGetValue(id, out var oldStep) && !JsonElement.DeepEquals(oldStep, newStep))
            {
                changed.Add(new StepChange(id, TypeOf(oldStep), TypeOf(newStep), ChangedFields(oldStep, newStep, skip: null)));
            }
        }

        var agentFields = ChangedFields(oldDocument.RootElement, newDocument.RootElement, skip: "workflow_steps");
        var planning = (planner ?? new WorkflowPlanner()).Plan(newDefinition);
        var (resume, reason) = Verdict(oldHash, newHash, planning.Succeeded);
        return new WorkflowDiffResult
        {
            OldHash = oldHash,
            NewHash = newHash,
            AddedSteps = added,
            RemovedSteps = removed,
            ChangedSteps = changed,
            ChangedFields = agentFields,
            Resume = resume,
            ResumeReason = reason,
            ResumeNotes = resume == ResumeCompatibility.RequiresAllowDefinitionChange ? Notes(added, removed, changed, oldDefinition) : [],
            NewDiagnostics = planning.Diagnostics,
        };
    }

    private static (ResumeCompatibility Resume, string Reason) Verdict(string oldHash, string newHash, bool newPlans)
    {
        if (!DefinitionChangeRule.IsChange(oldHash, newHash))
        {
            return (ResumeCompatibility.Unchanged, "The definitions are the same (equal canonical hashes): a checkpointed run resumes as it is.");
        }

        if (!newPlans)
        {
            return (ResumeCompatibility.Refused, "The new definition does not plan (see its errors): no resume can continue on it, even with ResumeOptions.AllowDefinitionChange.");
        }

        // The same words the resume uses when it refuses a changed definition without the option.
        return (ResumeCompatibility.RequiresAllowDefinitionChange, DefinitionChangeRule.Refusal(null, oldHash, newHash, allowDefinitionChange: false)!);
    }

    private static List<string> Notes(List<string> added, List<string> removed, List<StepChange> changed, WorkflowDefinition oldDefinition)
    {
        var notes = new List<string>();
        if (changed.Count > 0)
        {
            notes.Add($"Changed steps that a run finished before its checkpoint keep their old outputs and are not run again: {string.Join(", ", changed.Select(c => c.StepId))}.");
        }

        if (removed.Count > 0)
        {
            notes.Add($"The records of removed steps are dropped: {string.Join(", ", removed)}.");
            var approvals = oldDefinition.Steps.Where(s => s is HumanApprovalStep && removed.Contains(s.Id)).Select(s => s.Id).ToList();
            if (approvals.Count > 0)
            {
                notes.Add($"A run suspended at a removed approval no longer waits for it, and its decisions are dropped: {string.Join(", ", approvals)}.");
            }
        }

        if (added.Count > 0)
        {
            notes.Add($"Added steps run when their dependencies have finished: {string.Join(", ", added)}.");
        }

        return notes;
    }

    private static Dictionary<string, JsonElement> StepsById(JsonElement root)
    {
        // Ordered by document order: Dictionary keeps insertion order while nothing is removed.
        var steps = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (root.TryGetProperty("workflow_steps", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var step in list.EnumerateArray())
            {
                if (step.TryGetProperty("id", out var id) && id.GetString() is { } text)
                {
                    steps.TryAdd(text, step);
                }
            }
        }

        return steps;
    }

    private static string TypeOf(JsonElement step) =>
        step.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString()! : string.Empty;

    private static List<string> ChangedFields(JsonElement oldObject, JsonElement newObject, string? skip)
    {
        var fields = new List<string>();
        foreach (var property in newObject.EnumerateObject())
        {
            if (property.Name != skip && (!oldObject.TryGetProperty(property.Name, out var before) || !JsonElement.DeepEquals(before, property.Value)))
            {
                fields.Add(property.Name);
            }
        }

        foreach (var property in oldObject.EnumerateObject())
        {
            if (property.Name != skip && !newObject.TryGetProperty(property.Name, out _))
            {
                fields.Add(property.Name);
            }
        }

        return fields;
    }
}
