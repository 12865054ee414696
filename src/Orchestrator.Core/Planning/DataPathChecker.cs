using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Planning;

/// <summary>
/// The type check of references into a step's data: the path read must exist in what the producer declares it returns
/// (its <c>output_schema</c>, or the shape a scatter-gather gathers). Problems are warnings, with the closest declared name.
/// </summary>
internal static class DataPathChecker
{
    /// <summary>
    /// Checks a reference into a step's data: says when the data is read without <c>data</c> (information), and checks
    /// the path against the step's <c>output_schema</c> (a warning, with the closest declared name).
    /// </summary>
    public static void Check(PlanDiagnostics diagnostics, in ScopedNameUse use, WorkflowStep producer, bool viaOutputVariable)
    {
        if (use.Use.Reference is not { } reference)
        {
            return;
        }

        var segments = reference.Segments.AsSpan();
        if (!viaOutputVariable)
        {
            if (segments.IsEmpty)
            {
                return;
            }

            var first = segments[0];
            if (first.Kind == PathSegmentKind.Property && first.Name == "data")
            {
                segments = segments[1..];
            }
            else if (first.Kind == PathSegmentKind.Property && IsResultField(first.Name!, producer))
            {
                return; // metadata, success, error, ...: not the data.
            }
            else
            {
                var explicitForm = new ReferencePath(reference.Root, EquatableArray<PathSegment>.UnsafeWrap([PathSegment.Property("data"), .. segments]));
                diagnostics.Info(
                    DiagnosticCodes.ImplicitDataReference,
                    $"'{{{{{reference}}}}}' reads the data of the step '{producer.Id}'; '{{{{{explicitForm}}}}}' says so explicitly.",
                    use.StepId,
                    use.Path);
            }
        }

        var gathered = producer.OutputDataSchema is null && producer is ScatterGatherStep;
        if ((producer.OutputDataSchema ?? GatheredSchema(producer)) is not { } schema)
        {
            return;
        }

        var itemSchema = gathered ? (schema.Items ?? schema) : null;
        var afterInnerId = false;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (afterInnerId && segment.Kind == PathSegmentKind.Property && segment.Name is "data" or "metadata" && schema.Property(segment.Name) is null)
            {
                // The old item shape ({id: {data, metadata}}): an item now holds the inner step's data itself.
                diagnostics.Warning(
                    DiagnosticCodes.PathNotInOutputSchema,
                    $"The step '{use.StepId}' reads '{{{{{reference}}}}}', but an item of the scatter-gather '{producer.Id}' holds its inner steps' data itself, without '{segment.Name}'; leave '.{segment.Name}' out.",
                    use.StepId,
                    use.Path);
                return;
            }

            afterInnerId = false;
            if (segment.Kind != PathSegmentKind.Property)
            {
                if (schema.Items is null)
                {
                    return; // Not declared as a list with items: nothing more to check.
                }

                schema = schema.Items;
                continue;
            }

            if (segment.Name == "length" && (schema.Type == "array" || schema.Items is not null))
            {
                return;
            }

            if (gathered && schema.Items is not null)
            {
                // Reading a field of the gathered list itself: an index is missing (or the old outputKey wrapper is read).
                diagnostics.Warning(
                    DiagnosticCodes.PathNotInOutputSchema,
                    $"The step '{use.StepId}' reads '{{{{{reference}}}}}', but the data of the scatter-gather '{producer.Id}' is the gathered list itself (gather.outputKey names it, it does not wrap it); read an item ('[0]') or the whole list.",
                    use.StepId,
                    use.Path);
                return;
            }

            if (!schema.DeclaresProperties)
            {
                return; // An open object: any name may be there.
            }

            if (schema.Property(segment.Name!) is { } next)
            {
                afterInnerId = ReferenceEquals(schema, itemSchema) && segment.Name is not ("error" or "item");
                schema = next;
                continue;
            }

            var declared = schema.Properties.Select(p => p.Name).ToList();
            var at = i == 0 ? "its data" : "'" + new ReferencePath(reference.Root, EquatableArray<PathSegment>.UnsafeWrap(segments[..i].ToArray())) + "'";
            var hint = Serialization.UnknownFields.Closest(segment.Name!, declared) is { } closest
                ? $"did you mean '{closest}'?"
                : $"declared: {PlanDiagnostics.Join(declared)}.";
            diagnostics.Warning(
                DiagnosticCodes.PathNotInOutputSchema,
                gathered
                    ? $"The step '{use.StepId}' reads '{{{{{reference}}}}}', but the scatter-gather '{producer.Id}' gathers no '{segment.Name}' in {at} (each item holds its inner steps' data by step id); {hint}"
                    : $"The step '{use.StepId}' reads '{{{{{reference}}}}}', but the output_schema of '{producer.Id}' declares no '{segment.Name}' in {at}; {hint}",
                use.StepId,
                use.Path);
            return;
        }
    }

    /// <summary>
    /// The shape a scatter-gather's data has when it declares no <c>output_schema</c>, so references into it are checked
    /// like any other: <c>collect</c> without <c>gather.from</c> gives a list whose items hold each inner step's data by
    /// step id (or <c>error</c> and <c>item</c> for a failed item); <c>merge</c> gives one such object. Null (unchecked)
    /// for any other step, for <c>gather.from</c> and for <c>reduce</c>.
    /// </summary>
    private static DataSchema? GatheredSchema(WorkflowStep producer)
    {
        if (producer is not ScatterGatherStep { Scatter.Steps: var inner } step || step.Gather?.From is not null || inner.IsEmpty)
        {
            return null;
        }

        var operation = step.Gather?.Operation ?? GatherOperation.Collect;
        if (operation == GatherOperation.Reduce)
        {
            return null;
        }

        var properties = new List<DataSchemaProperty>(inner.Count + 2);
        foreach (var child in inner)
        {
            properties.Add(new DataSchemaProperty(child.Id, child.OutputDataSchema ?? GatheredSchema(child) ?? new DataSchema()));
        }

        if (operation == GatherOperation.Merge)
        {
            return new DataSchema { Type = "object", Properties = EquatableArray<DataSchemaProperty>.UnsafeWrap([.. properties]) };
        }

        properties.Add(new DataSchemaProperty("error", new DataSchema { Type = "string" }));
        properties.Add(new DataSchemaProperty("item", new DataSchema()));
        return new DataSchema
        {
            Type = "array",
            Items = new DataSchema { Type = "object", Properties = EquatableArray<DataSchemaProperty>.UnsafeWrap([.. properties]) },
        };
    }

    /// <summary>The top-level fields of a step result that are not its data (as <c>StepRecord.GetField</c> reads them).</summary>
    private static bool IsResultField(string name, WorkflowStep producer) =>
        name is "metadata" or "stepId" or "success" or "error"
        || (producer is ActionStep && name is "plugin" or "action");
}
