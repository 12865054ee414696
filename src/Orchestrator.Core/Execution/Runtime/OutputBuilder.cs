using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Planning;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// The final output: each <c>output_schema</c> field read from its source (a missing source is reported, not ignored),
/// or without a schema every step's data by id, for the steps that ran.
/// </summary>
internal static class OutputBuilder
{
    public static JsonElement Build(ExecutionPlan plan, StepScope scope, ICollection<string>? warnings)
    {
        var schema = plan.Definition.OutputSchema;
        return JsonValues.Write(static (writer, state) =>
        {
            writer.WriteStartObject();
            if (state.schema.IsEmpty)
            {
                foreach (var record in state.scope.Records)
                {
                    if (record is { Status: StepStatus.Succeeded } || record is { UsedFallback: true })
                    {
                        writer.WritePropertyName(record.Step.Id);
                        record.Data.WriteTo(writer);
                    }
                }
            }
            else
            {
                foreach (var field in state.schema)
                {
                    var value = ReferenceEvaluator.Evaluate(field.Source, state.scope);
                    if (value.ValueKind == JsonValueKind.Undefined)
                    {
                        state.warnings?.Add($"The output field '{field.Name}' has no value: its source '{field.Source}' is missing.");
                        value = JsonValues.Null;
                    }

                    writer.WritePropertyName(field.Name);
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }, (schema, scope, warnings));
    }
}
