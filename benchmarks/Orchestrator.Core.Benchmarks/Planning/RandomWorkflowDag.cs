using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Benchmarks.Planning;

/// <summary>
/// One random DAG in two shapes: a <see cref="WorkflowDefinition"/> for the planner, and the same edges as
/// integer pairs for the baselines. Built once per benchmark case, outside the measured methods.
/// </summary>
/// <remarks>
/// Step <c>i</c> (id <c>s{i}</c>) depends on 0-3 distinct earlier steps, chosen uniformly. Each such edge is, by a
/// coin flip, either a reference in <see cref="ActionStep.Params"/> (alternately a whole-value
/// <see cref="ReferenceValue"/> and a <see cref="TextTemplate"/> with text around the reference) or an entry of
/// <see cref="WorkflowStep.Dependencies"/>. Every step also carries one literal parameter, so the planner's
/// reference walk also passes over values that hold no reference. Edges point from the earlier step to the
/// later one (<c>From</c> must finish before <c>To</c> starts). The seed is fixed: every run sees the same graph.
/// </remarks>
internal sealed class RandomWorkflowDag
{
    public const int Seed = 42;

    private RandomWorkflowDag(int stepCount, WorkflowDefinition definition, int[] from, int[] to, int referenceEdges)
    {
        StepCount = stepCount;
        Definition = definition;
        From = from;
        To = to;
        ReferenceEdgeCount = referenceEdges;
    }

    /// <summary>The number of steps (vertices).</summary>
    public int StepCount { get; }

    /// <summary>The workflow the planner plans.</summary>
    public WorkflowDefinition Definition { get; }

    /// <summary>Edge sources (earlier step index), parallel to <see cref="To"/>.</summary>
    public int[] From { get; }

    /// <summary>Edge targets (later step index), parallel to <see cref="From"/>.</summary>
    public int[] To { get; }

    /// <summary>The number of edges.</summary>
    public int EdgeCount => From.Length;

    /// <summary>How many of the edges are expressed as references in params (the rest are declared dependencies).</summary>
    public int ReferenceEdgeCount { get; }

    public static RandomWorkflowDag Create(int stepCount, int seed = Seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepCount);

#pragma warning disable CA5394 // Random is deliberate: a seeded, reproducible graph, not anything security-related.
        var random = new Random(seed);
        var literal = LiteralValue.FromString("fast");
        var steps = new WorkflowStep[stepCount];
        var from = new List<int>(stepCount * 3 / 2);
        var to = new List<int>(stepCount * 3 / 2);
        var parents = new int[3];
        var referenceEdges = 0;
        var templateForm = 0;

        for (var i = 0; i < stepCount; i++)
        {
            var parentCount = Math.Min(random.Next(4), i);
            for (var p = 0; p < parentCount; p++)
            {
                int candidate;
                do
                {
                    candidate = random.Next(i);
                }
                while (Array.IndexOf(parents, candidate, 0, p) >= 0);

                parents[p] = candidate;
            }

            var properties = new List<TemplateProperty>(parentCount + 1) { new("mode", literal) };
            var dependencies = new List<string>(parentCount);
            for (var p = 0; p < parentCount; p++)
            {
                var parent = parents[p];
                from.Add(parent);
                to.Add(i);
                if (random.Next(2) == 0)
                {
                    // Parsed through the public API, exactly as the loader would parse a JSON string.
                    var text = (templateForm++ & 1) == 0
                        ? $"{{{{s{parent}.data.value}}}}"
                        : $"from s{parent}: {{{{s{parent}.data.value}}}}";
                    properties.Add(new TemplateProperty($"in{p}", TemplateValue.Parse(text)));
                    referenceEdges++;
                }
                else
                {
                    dependencies.Add($"s{parent}");
                }
            }
#pragma warning restore CA5394

            steps[i] = new ActionStep
            {
                Id = $"s{i}",
                Plugin = "p",
                Action = "a",
                Dependencies = [.. dependencies],
                Params = new ObjectTemplate([.. properties]),
            };
        }

        // The generator's own check: every reference edge parsed into exactly one reference to the intended step.
        var collected = new List<ReferencePath>();
        foreach (var step in steps)
        {
            ((ActionStep)step).Params!.CollectReferences(collected);
        }

        if (collected.Count != referenceEdges)
        {
            throw new InvalidOperationException($"{collected.Count} references parsed, {referenceEdges} expected.");
        }

        var definition = new WorkflowDefinition { Id = $"random-dag-{stepCount}", Steps = [.. steps] };
        return new RandomWorkflowDag(stepCount, definition, [.. from], [.. to], referenceEdges);
    }
}
