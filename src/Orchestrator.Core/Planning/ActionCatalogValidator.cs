using System.Text.Json;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Planning;

/// <summary>
/// Checks action steps (and rollback actions) against the host's plugin catalog: the plugin and action exist, required
/// parameters are passed, unknown ones are flagged, and a catalog that validates arguments checks them. A catalog that
/// throws is reported on the step, never thrown out of planning. Without a catalog nothing is checked.
/// </summary>
internal sealed class ActionCatalogValidator
{
    private readonly IPluginCatalog? _catalog;
    private readonly PlanDiagnostics _diagnostics;

    public ActionCatalogValidator(IPluginCatalog? catalog, PlanDiagnostics diagnostics)
    {
        _catalog = catalog;
        _diagnostics = diagnostics;
    }

    /// <summary>Checks that the host provides the plugin and action, that the required parameters are passed, and (when the catalog can) the arguments.</summary>
    public void ValidateAction(string stepId, string pluginName, string actionName, TemplateValue? parameters, Scope scope, int index, string field)
    {
        if (_catalog is null)
        {
            return;
        }

        var path = scope.StepPath(index) + field;

        PluginDescriptor? plugin;
        bool found;
        try
        {
            found = _catalog.TryGetPlugin(pluginName, out plugin);
        }
        catch (Exception ex)
        {
            // The host's catalog is outside code: its failure is reported on the step, never thrown out of Plan.
            _diagnostics.Error(DiagnosticCodes.CatalogError, $"The plugin catalog threw {ex.GetType().Name} while checking the step '{stepId}' ({pluginName}.{actionName}): {ex.Message}", stepId, path + ".plugin");
            return;
        }

        if (!found || plugin is null)
        {
            _diagnostics.Error(DiagnosticCodes.UnknownPlugin, $"The step '{stepId}' calls the plugin '{pluginName}', which the host does not provide.", stepId, path + ".plugin");
            return;
        }

        if (!plugin.TryGetAction(actionName, out var action))
        {
            _diagnostics.Error(
                DiagnosticCodes.UnknownAction,
                $"The plugin '{pluginName}' has no action '{actionName}'. Its actions: {PlanDiagnostics.Join(plugin.Actions.Select(a => a.Name))}.",
                stepId,
                path + ".action");
            return;
        }

        var given = ParameterNamesOf(parameters);
        if (given is null)
        {
            return; // Parameters computed as a whole (one reference): their names are known only at run time.
        }

        foreach (var parameter in action.Parameters)
        {
            if (parameter.Required && !given.Contains(parameter.Name))
            {
                _diagnostics.Error(
                    DiagnosticCodes.MissingParameter,
                    $"The step '{stepId}' does not pass '{parameter.Name}', which {pluginName}.{actionName} requires.",
                    stepId,
                    path + ".params");
            }
        }

        foreach (var name in given)
        {
            if (!action.Parameters.Any(p => p.Name == name))
            {
                _diagnostics.Warning(DiagnosticCodes.UnknownParameter, $"{pluginName}.{actionName} takes no parameter '{name}'.", stepId, path + ".params." + name);
            }
        }

        if (_catalog is IPluginArgumentValidator validator)
        {
            ValidateArguments(validator, stepId, pluginName, actionName, parameters, path);
        }
    }

    /// <summary>Asks the catalog to check the step's arguments against the action's own contract (types, enums, forbidden names).</summary>
    private void ValidateArguments(IPluginArgumentValidator validator, string stepId, string pluginName, string actionName, TemplateValue? parameters, string path)
    {
        var arguments = new Dictionary<string, JsonElement?>(StringComparer.Ordinal);
        switch (parameters)
        {
            case ObjectTemplate obj:
                foreach (var property in obj.Properties)
                {
                    arguments[property.Name] = LiteralOf(property.Value);
                }

                break;
            case LiteralValue { Value.ValueKind: JsonValueKind.Object } literal:
                foreach (var property in literal.Value.EnumerateObject())
                {
                    arguments[property.Name] = property.Value;
                }

                break;
        }

        IReadOnlyList<PluginArgumentProblem> problems;
        try
        {
            problems = validator.ValidateArguments(pluginName, actionName, arguments);
        }
        catch (Exception ex)
        {
            // The host's validator is outside code, as its catalog is: reported on the step, never thrown out of Plan.
            _diagnostics.Error(DiagnosticCodes.CatalogError, $"The plugin catalog threw {ex.GetType().Name} while checking the arguments of the step '{stepId}' ({pluginName}.{actionName}): {ex.Message}", stepId, path + ".params");
            return;
        }

        foreach (var problem in problems ?? [])
        {
            _diagnostics.Error(
                DiagnosticCodes.InvalidArgument,
                $"The step '{stepId}' passes {pluginName}.{actionName} an argument '{problem.Argument}' it refuses: {problem.Message}",
                stepId,
                path + ".params." + problem.Argument);
        }
    }

    /// <summary>The value an argument has in the document, or <see langword="null"/> when it is computed at run time.</summary>
    private static JsonElement? LiteralOf(TemplateValue value) => value switch
    {
        LiteralValue literal => literal.Value,
        TextTemplate text when !text.HasReferences => StringElement(string.Concat(text.Parts.Select(p => p.Text))),
        _ => null,
    };

    private static JsonElement StringElement(string text)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(text.Length + 2);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(text);
        }

        return JsonElement.Parse(buffer.WrittenSpan);
    }

    /// <summary>The parameter names a template passes, or <see langword="null"/> when they are known only at run time.</summary>
    public static HashSet<string>? ParameterNamesOf(TemplateValue? parameters)
    {
        switch (parameters)
        {
            case ObjectTemplate obj:
                return obj.Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            case LiteralValue { Value.ValueKind: System.Text.Json.JsonValueKind.Object } literal:
                return literal.Value.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            case null:
                return [];
            default:
                return null; // Parameters computed as a whole (one reference): their names are known only at run time.
        }
    }
}
