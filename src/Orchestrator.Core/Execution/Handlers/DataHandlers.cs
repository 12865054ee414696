using System.Text.Json;
using Orchestrator.Core.Execution.Operations;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Handlers;

/// <summary><c>transform</c>, <c>enrichment</c>, <c>validation</c>, <c>comparison</c>: data operations reading the step's own fields (never <c>params</c>).</summary>
internal static class DataHandlers
{
    public static StepOutcome Execute(StepContext context)
    {
        var scope = context.Scope;
        switch (context.Step)
        {
            case TransformStep transform:
                return FromResult(TransformOperations.Apply(transform, TemplateEvaluator.Evaluate(transform.Input, scope), scope));
            case EnrichmentStep enrichment:
                return FromResult(EnrichmentOperations.Apply(enrichment, scope));
            case ValidationStep validation:
            {
                var report = ValidationOperations.Validate(validation, TemplateEvaluator.Evaluate(validation.Input, scope), scope);
                var valid = report.TryGetProperty("valid", out var flag) && flag.ValueKind == JsonValueKind.True;
                if (valid)
                {
                    return StepOutcome.Success(report);
                }

                return (validation.OnValidationFail ?? ValidationFailureAction.Throw) switch
                {
                    ValidationFailureAction.Continue => StepOutcome.Success(report),
                    ValidationFailureAction.Skip => StepOutcome.Skip("The input is invalid and onValidationFail is 'skip'."),
                    _ => StepOutcome.Failure("Validation failed: " + Describe(report), "VALIDATION_FAILED") with { Data = report },
                };
            }

            case ComparisonStep comparison:
                return StepOutcome.Success(ComparisonOperations.Compare(
                    comparison,
                    TemplateEvaluator.Evaluate(comparison.Left, scope),
                    TemplateEvaluator.Evaluate(comparison.Right, scope)));
            default:
                return StepOutcome.Failure($"'{context.Step.Type}' is not a data step.", "UNSUPPORTED_STEP");
        }
    }

    private static StepOutcome FromResult(ValueResult result) =>
        result.Success ? StepOutcome.Success(result.Value) : StepOutcome.Failure(result.Error!, result.ErrorCode);

    private static string Describe(JsonElement report)
    {
        if (!report.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
        {
            return "the input does not meet the schema or rules.";
        }

        var messages = new List<string>();
        foreach (var error in errors.EnumerateArray())
        {
            messages.Add(error.TryGetProperty("message", out var message) ? JsonValues.ToText(message) : error.GetRawText());
        }

        return string.Join("; ", messages);
    }
}
