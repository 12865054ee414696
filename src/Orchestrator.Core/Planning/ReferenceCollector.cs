using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Planning;

/// <summary>
/// Lists the names a step uses in its own fields: declared dependencies and the references of every field the
/// executor evaluates. Inline steps (loop bodies, groups, scatter steps) are planned as lists of their own.
/// </summary>
internal static class ReferenceCollector
{
    public static void Collect(WorkflowStep step, List<NameUse> sink, List<ReferencePath> scratch)
    {
        var dependencies = step.Dependencies.AsSpan();
        for (var i = 0; i < dependencies.Length; i++)
        {
            sink.Add(new NameUse(dependencies[i], PlanEdgeKind.Declared, "dependencies", i, null, null, FieldVariables.None));
        }

        Add(sink, scratch, step.ExecuteIf, "executeIf");
        Add(sink, scratch, step.Fallback, "fallback");
        Add(sink, scratch, step.Cache?.Key, "cache.key");
        Add(sink, scratch, step.RollbackAction?.Params, "rollbackAction.params", FieldVariables.Rollback);

        switch (step)
        {
            case ActionStep action:
                Add(sink, scratch, action.Params, "params");
                break;
            case LlmStep llm:
                Add(sink, scratch, llm.Prompt, "prompt");
                Add(sink, scratch, llm.Params, "params");
                Add(sink, scratch, llm.Input, "input");
                Add(sink, scratch, llm.Config, "config");
                break;
            case ConditionalStep conditional:
                Add(sink, scratch, conditional.Condition, "condition");
                break;
            case SwitchStep @switch:
                Add(sink, scratch, @switch.Evaluate, "evaluate");
                break;
            case LoopStep loop:
                Add(sink, scratch, loop.IterateOver, "iterateOver");
                break;
            case ScatterGatherStep scatter:
                Add(sink, scratch, scatter.Scatter.Input, "scatter.input");
                break;
            case TransformStep transform:
                Add(sink, scratch, transform.Input, "input");
                if (transform.Config is { } config)
                {
                    Add(sink, scratch, config.Mapping, "config.mapping", FieldVariables.Item);
                    Add(sink, scratch, config.Condition, "config.condition", FieldVariables.ItemFields);
                    Add(sink, scratch, config.InitialValue, "config.initialValue", FieldVariables.Item);
                    if (config.Settings is { } settings)
                    {
                        foreach (var (name, value) in settings)
                        {
                            Add(sink, scratch, ParseSetting(value), "config." + name, FieldVariables.Item);
                        }
                    }
                }

                break;
            case EnrichmentStep enrichment:
                for (var i = 0; i < enrichment.Sources.Count; i++)
                {
                    Add(sink, scratch, enrichment.Sources[i]?.From, "sources", FieldVariables.None, i);
                }

                break;
            case ValidationStep validation:
                Add(sink, scratch, validation.Input, "input");
                for (var i = 0; i < validation.Rules.Count; i++)
                {
                    Add(sink, scratch, validation.Rules[i]?.Condition, "rules", FieldVariables.Item, i);
                }

                break;
            case ComparisonStep comparison:
                Add(sink, scratch, comparison.Left, "left");
                Add(sink, scratch, comparison.Right, "right");
                break;
            case SubWorkflowStep subWorkflow:
                Add(sink, scratch, subWorkflow.Inputs, "inputs");
                break;
            case HumanApprovalStep approval:
                Add(sink, scratch, approval.Title, "title");
                Add(sink, scratch, approval.Message, "message");
                Add(sink, scratch, approval.Context, "context");
                break;
        }
    }

    /// <summary>A compiler setting's templates; one that does not parse is reported when the step runs.</summary>
    private static TemplateValue? ParseSetting(System.Text.Json.JsonElement value)
    {
        try
        {
            return TemplateValue.Parse(value);
        }
        catch (TemplateSyntaxException)
        {
            return null;
        }
    }

    private static void Add(List<NameUse> sink, List<ReferencePath> scratch, TemplateValue? value, string field, FieldVariables variables = FieldVariables.None, int fieldIndex = -1)
    {
        if (value is null || !value.HasReferences)
        {
            return;
        }

        Walk(sink, value, value, field, variables, fieldIndex);
    }

    /// <summary>Adds the references of a template, walking it directly (the planner's hot path: no list, no interface calls).</summary>
    private static void Walk(List<NameUse> sink, TemplateValue node, TemplateValue source, string field, FieldVariables variables, int fieldIndex)
    {
        switch (node)
        {
            case ReferenceValue single:
                sink.Add(new NameUse(single.Path.Root, PlanEdgeKind.Reference, field, fieldIndex, single.Path, source, variables));
                break;
            case TextTemplate text:
                foreach (var part in text.Parts)
                {
                    if (part.Reference is { } reference)
                    {
                        sink.Add(new NameUse(reference.Root, PlanEdgeKind.Reference, field, fieldIndex, reference, source, variables));
                    }
                }

                break;
            case ObjectTemplate obj:
                foreach (var property in obj.Properties)
                {
                    if (property.Value.HasReferences)
                    {
                        Walk(sink, property.Value, source, field, variables, fieldIndex);
                    }
                }

                break;
            case ArrayTemplate array:
                foreach (var item in array.Items)
                {
                    if (item.HasReferences)
                    {
                        Walk(sink, item, source, field, variables, fieldIndex);
                    }
                }

                break;
        }
    }

    private static void Add(List<NameUse> sink, List<ReferencePath> scratch, Condition? condition, string field, FieldVariables variables = FieldVariables.None, int fieldIndex = -1)
    {
        if (condition is null)
        {
            return;
        }

        scratch.Clear();
        condition.CollectReferences(scratch);
        foreach (var reference in scratch)
        {
            sink.Add(new NameUse(reference.Root, PlanEdgeKind.Reference, field, fieldIndex, reference, null, variables));
        }
    }
}
