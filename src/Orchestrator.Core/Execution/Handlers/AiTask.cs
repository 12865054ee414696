using System.Globalization;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Handlers;

/// <summary>
/// What an <c>ai_processing</c> step asks for, read from its evaluated <c>config</c> and <c>input</c>: the task
/// (<c>ai_type</c>), the instruction, the labels of a classification, the fields of the JSON reply, and the data to work on.
/// </summary>
internal sealed class AiTask
{
    /// <summary>The error code of a reply that does not fit the declared output fields.</summary>
    public const string InvalidOutputCode = "LLM_INVALID_OUTPUT";

    private AiTask(string? type, string? instruction, string[] labels, OutputFieldSpec[] fields, JsonElement input)
    {
        Type = type;
        Instruction = instruction;
        Labels = labels;
        Fields = fields;
        Input = input;
    }

    /// <summary>The task, such as <c>classify</c>, <c>extract</c>, <c>summarize</c> or <c>generate</c>.</summary>
    public string? Type { get; }

    /// <summary>The instruction; the prompt when the step has none.</summary>
    public string? Instruction { get; }

    /// <summary>The answers a classification may give.</summary>
    public string[] Labels { get; }

    /// <summary>The fields of the JSON reply; empty when the reply is free text.</summary>
    public OutputFieldSpec[] Fields { get; }

    /// <summary>The data the LLM works on; undefined when there is none.</summary>
    public JsonElement Input { get; }

    /// <summary>Reads the task of a step; null for a step with neither <c>input</c> nor <c>config</c> (the plain form).</summary>
    public static AiTask? Of(LlmStep step, Runtime.StepScope scope)
    {
        if (step.Input is null && step.Config is null)
        {
            return null;
        }

        var config = step.Config is null ? default : TemplateEvaluator.Evaluate(step.Config, scope);
        var input = step.Input is null ? default : TemplateEvaluator.Evaluate(step.Input, scope);
        if (config.ValueKind != JsonValueKind.Object)
        {
            return new AiTask(null, null, [], [], input);
        }

        if (input.ValueKind == JsonValueKind.Undefined && config.TryGetProperty("input", out var configInput))
        {
            input = configInput;
        }

        var type = Text(config, "ai_type") ?? Text(config, "type");
        var labels = config.TryGetProperty("labels", out var labelList) && labelList.ValueKind == JsonValueKind.Array
            ? [.. labelList.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.String).Select(l => l.GetString()!)]
            : Array.Empty<string>();
        var fields = Array.Empty<OutputFieldSpec>();
        if (config.TryGetProperty("output_schema", out var schema) && schema.ValueKind == JsonValueKind.Object
            && schema.TryGetProperty("fields", out var fieldList) && fieldList.ValueKind == JsonValueKind.Array)
        {
            fields = [.. fieldList.EnumerateArray()
                .Where(f => f.ValueKind == JsonValueKind.Object && Text(f, "name") is not null)
                .Select(f => new OutputFieldSpec(Text(f, "name")!, Text(f, "type"), Text(f, "description")))];
        }

        return new AiTask(type, Text(config, "instruction"), labels, fields, input);
    }

    /// <summary>The instructions for the model about the task and the shape of its reply; empty when there are none.</summary>
    public void DescribeTo(StringBuilder builder, bool listInput)
    {
        if (Type is not null)
        {
            builder.Append("Task: ").Append(Type).Append('.');
        }

        if (Labels.Length > 0)
        {
            builder.Append(builder.Length > 0 ? " " : string.Empty).Append("Use only these labels: ").AppendJoin(", ", Labels).Append('.');
        }

        if (Fields.Length > 0)
        {
            builder.Append(builder.Length > 0 ? " " : string.Empty)
                .Append(listInput ? "Reply with JSON only: a list with one object per input item, each with the fields " : "Reply with JSON only: an object with the fields ");
            for (var i = 0; i < Fields.Length; i++)
            {
                var field = Fields[i];
                builder.Append(i == 0 ? string.Empty : "; ").Append(field.Name);
                if (field.Type is not null)
                {
                    builder.Append(" (").Append(field.Type).Append(')');
                }

                if (field.Description is not null)
                {
                    builder.Append(": ").Append(field.Description);
                }
            }

            builder.Append('.');
        }
    }

    /// <summary>
    /// Checks a reply against the declared fields: it must be JSON, an object or a list of objects, and every object
    /// must have every field with a value of its declared type. Returns the problem, or null when the reply fits.
    /// </summary>
    public string? FindProblem(JsonElement? reply)
    {
        if (reply is not { } json)
        {
            return "The LLM reply is not JSON, but the step declares output fields (" + string.Join(", ", Fields.Select(f => f.Name)) + ").";
        }

        if (json.ValueKind == JsonValueKind.Object)
        {
            return FindProblem(json, null);
        }

        if (json.ValueKind != JsonValueKind.Array)
        {
            return $"The LLM reply is {Serialization.JsonErrors.Describe(json.ValueKind)}, not an object with the step's output fields.";
        }

        var index = 0;
        foreach (var item in json.EnumerateArray())
        {
            if (FindProblem(item, index) is { } problem)
            {
                return problem;
            }

            index++;
        }

        return null;
    }

    private string? FindProblem(JsonElement item, int? index)
    {
        var where = index is { } i ? $"Item {i.ToString(CultureInfo.InvariantCulture)} of the LLM reply" : "The LLM reply";
        if (item.ValueKind != JsonValueKind.Object)
        {
            return $"{where} is {Serialization.JsonErrors.Describe(item.ValueKind)}, not an object with the step's output fields.";
        }

        foreach (var field in Fields)
        {
            if (!item.TryGetProperty(field.Name, out var value))
            {
                return $"{where} has no field '{field.Name}'.";
            }

            if (!Fits(value, field.Type))
            {
                return $"{where} has '{field.Name}' as {Serialization.JsonErrors.Describe(value.ValueKind)}, not {field.Type}.";
            }
        }

        return null;
    }

    private static bool Fits(JsonElement value, string? type) => type?.ToLowerInvariant() switch
    {
        null or "any" or "" => true,
        "string" or "text" or "date" or "datetime" or "email" => value.ValueKind is JsonValueKind.String or JsonValueKind.Null,
        "number" or "integer" or "float" or "decimal" => value.ValueKind is JsonValueKind.Number or JsonValueKind.Null,
        "boolean" or "bool" => value.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null,
        "array" or "list" => value.ValueKind is JsonValueKind.Array or JsonValueKind.Null,
        "object" => value.ValueKind is JsonValueKind.Object or JsonValueKind.Null,
        _ => true, // A type name we do not know checks nothing rather than failing good replies.
    };

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    /// <summary>One declared field of the reply.</summary>
    internal sealed record OutputFieldSpec(string Name, string? Type, string? Description);
}
