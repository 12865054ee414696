using Orchestrator.Core.Planning;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Fuzz;

/// <summary>
/// What the fuzzer drives: one document, loaded from its UTF-8 bytes and planned. The public API promises that bad
/// input becomes diagnostics, never an exception, so anything that escapes here is a finding.
/// </summary>
public static class LoadPlanTarget
{
    private static readonly WorkflowPlanner s_planner = new();

    /// <summary>
    /// Loads and plans <paramref name="utf8Json"/>, then saves the loaded definition and loads and plans the saved text
    /// again (the round trip must not throw either); returns the number of diagnostics (so nothing is optimised away).
    /// </summary>
    public static int Run(ReadOnlyMemory<byte> utf8Json)
    {
        var loaded = WorkflowJson.Load(utf8Json);
        var count = s_planner.Plan(loaded).Diagnostics.Count;
        if (loaded.Definition is { } definition)
        {
            count += s_planner.Plan(WorkflowJson.Load(WorkflowJson.Serialize(definition))).Diagnostics.Count;
        }

        return count;
    }

    /// <summary>Loads and plans <paramref name="utf8Json"/>; returns the number of errors (0 when a plan was made).</summary>
    public static int ErrorCount(ReadOnlyMemory<byte> utf8Json)
    {
        var planned = s_planner.Plan(WorkflowJson.Load(utf8Json));
        return planned.Plan is null ? Math.Max(1, planned.Diagnostics.Count(d => d.IsError)) : planned.Diagnostics.Count(d => d.IsError);
    }
}
