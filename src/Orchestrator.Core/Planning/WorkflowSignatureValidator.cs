using System.Globalization;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Planning;

/// <summary>
/// Validates what a workflow declares at its edges: its inputs (<c>input_schema</c>) before the steps are planned, and
/// its outputs (<c>output_schema</c>) against the planned top-level steps afterwards.
/// </summary>
internal static class WorkflowSignatureValidator
{
    /// <summary>Checks the declared inputs (names present and unique, types known) and returns their names.</summary>
    public static HashSet<string> ValidateInputs(WorkflowDefinition definition, PlanDiagnostics diagnostics)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < definition.InputSchema.Count; i++)
        {
            var input = definition.InputSchema[i];
            var path = $"$.input_schema[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (input?.Name is null)
            {
                diagnostics.Error(DiagnosticCodes.MissingField, input is null ? "An input is null." : "An input has no 'name'.", null, input is null ? path : path + ".name");
                continue;
            }

            if (!names.Add(input.Name))
            {
                diagnostics.Error(DiagnosticCodes.DuplicateName, $"The input '{input.Name}' is declared more than once.", null, path + ".name");
            }

            if (input.Type is { } type && !InputTypes.IsKnown(type))
            {
                diagnostics.Warning(DiagnosticCodes.UnknownValueType, $"The input '{input.Name}' has the unknown type '{type}'; known types: {string.Join(", ", InputTypes.All)}.", null, path + ".type");
            }
        }

        return names;
    }

    /// <summary>Checks the declared outputs: names present and unique, each read from a declared input or a top-level step.</summary>
    public static void ValidateOutputs(WorkflowDefinition definition, ListPlan root, Scope scope, IReadOnlySet<string> unreadable, PlanDiagnostics diagnostics)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < definition.OutputSchema.Count; i++)
        {
            var output = definition.OutputSchema[i];
            var path = $"$.output_schema[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (output?.Name is null || output.Source is null)
            {
                diagnostics.Error(DiagnosticCodes.MissingField, output is null ? "An output field is null." : $"An output field needs a 'name' and a 'source'.", null, path);
                continue;
            }

            if (!names.Add(output.Name))
            {
                diagnostics.Error(DiagnosticCodes.DuplicateName, $"The output field '{output.Name}' is declared more than once.", null, path + ".name");
            }

            var source = output.Source;
            if (source.Root == "input")
            {
                if (source.Segments.Count > 0 && source.Segments[0].Name is { } inputName && scope.InputsDeclared && !scope.InputNames!.Contains(inputName))
                {
                    diagnostics.Error(DiagnosticCodes.UndeclaredInput, $"The output field '{output.Name}' reads the undeclared input '{inputName}'.", null, path + ".source");
                }
            }
            else if (!root.Graph.IndexById.ContainsKey(source.Root) && !unreadable.Contains(source.Root) && source.Root is not ("var" or "memory"))
            {
                diagnostics.Error(DiagnosticCodes.UnknownStepReference, $"The output field '{output.Name}' reads '{source}', but no top-level step '{source.Root}' exists.", null, path + ".source");
            }
        }
    }
}
